import { isOmnistockError } from "@omnistock/core";
import type { RateLimiter, RateObservation, ThrottledEvent } from "./limiter.js";
import type { Clock, Sleep } from "./time.js";
import { createVirtualTime, type VirtualTime } from "./virtual-time.js";

/** Options of {@link checkRateLimiter}. */
export interface RateLimiterConformanceOptions {
  /** Builds a fresh limiter on the given time; called once per check. */
  readonly create: (time: { readonly clock: Clock; readonly sleep: Sleep }) => RateLimiter;
  /** The operation to draw on, for limiters budgeted per operation. */
  readonly operation?: string;
  /**
   * The platform's 429 that asks to stop for `waitMs`, as its headers say it.
   * @default a 429 with `Retry-After` in seconds
   */
  readonly rateLimited?: (waitMs: number, now: number) => RateObservation;
}

/** The clock the checks start at: a whole second, so HTTP dates are exact. */
const START = Date.UTC(2026, 10, 22, 12, 0, 0);

/** The most units a check spends to empty a budget before it calls the budget endless. */
const MAX_UNITS = 100_000;

/** A named check: resolves with a problem, or `undefined` when the limiter passed. */
type Check = (
  limiter: RateLimiter,
  time: VirtualTime,
  options: RateLimiterConformanceOptions,
) => Promise<string | undefined>;

const operationOf = (options: RateLimiterConformanceOptions) =>
  options.operation === undefined ? {} : { operation: options.operation };

/** Spends the budget with `tryAcquire` until it refuses; how many units that took. */
function exhaust(limiter: RateLimiter, options: RateLimiterConformanceOptions): number {
  let spent = 0;
  while (spent < MAX_UNITS && limiter.tryAcquire(1, operationOf(options))) spent++;
  return spent;
}

/** The answer for a request, so that it stops counting as in flight. */
function answered(options: RateLimiterConformanceOptions, cost = 1): RateObservation {
  return { status: 200, headers: new Headers(), cost, ...operationOf(options) };
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  return undefined;
}

const checks: Readonly<Record<string, Check>> = {
  "reports a sane budget": async (limiter, _time, options) => {
    const budget = limiter.budget(options.operation);
    if (budget.platform !== limiter.platform) return "budget names another platform";
    if (!(budget.limit > 0)) return `limit ${budget.limit} is not positive`;
    if (budget.remaining < 0 || budget.remaining > budget.limit)
      return `remaining ${budget.remaining} is outside 0..${budget.limit}`;
    if (budget.nextInMs !== 0) return "a fresh limiter makes the next unit wait";
    if (budget.inFlight !== 0) return "a fresh limiter has requests in flight";
    return undefined;
  },

  "tryAcquire stops at the budget and spends nothing when it refuses": async (
    limiter,
    _time,
    options,
  ) => {
    const spent = exhaust(limiter, options);
    if (spent >= MAX_UNITS) return "the budget never ran out";
    const before = limiter.budget(options.operation);
    if (limiter.tryAcquire(1, operationOf(options))) return "a second refusal granted";
    const after = limiter.budget(options.operation);
    if (after.remaining !== before.remaining || after.inFlight !== before.inFlight)
      return "a refused tryAcquire spent budget";
    if (before.nextInMs <= 0) return "an empty budget says the next unit is free now";
    return undefined;
  },

  "acquire waits for the budget and tells listeners": async (limiter, time, options) => {
    exhaust(limiter, options);
    const events: ThrottledEvent[] = [];
    const stop = limiter.onThrottled((event) => events.push(event));
    const started = time.clock();
    await time.run(limiter.acquire(1, operationOf(options)));
    stop();
    if (time.clock() <= started) return "acquire on an empty budget did not wait";
    const [first] = events;
    if (first === undefined) return "no throttled event while waiting";
    if (!(first.waitMs > 0) || first.cost !== 1 || first.platform !== limiter.platform)
      return "the throttled event does not describe the wait";
    exhaust(limiter, options);
    const later = events.length;
    await time.run(limiter.acquire(1, operationOf(options)));
    if (events.length !== later) return "a listener heard events after it stopped listening";
    return undefined;
  },

  "an abort while waiting rejects with its reason and spends nothing": async (
    limiter,
    time,
    options,
  ) => {
    exhaust(limiter, options);
    const controller = new AbortController();
    const reason = new Error("stop");
    const waiting = rejection(
      limiter.acquire(1, { ...operationOf(options), signal: controller.signal }),
    );
    await time.advance(0);
    const before = limiter.budget(options.operation);
    controller.abort(reason);
    if ((await waiting) !== reason) return "the abort did not reject with its reason";
    await time.advance(0);
    const after = limiter.budget(options.operation);
    if (after.inFlight !== before.inFlight) return "the aborted request was granted";
    return undefined;
  },

  "counts granted requests in flight until observed": async (limiter, time, options) => {
    await time.run(limiter.acquire(2, operationOf(options)));
    if (limiter.budget(options.operation).inFlight !== 2)
      return "a granted request is not in flight";
    limiter.observe(answered(options, 2));
    if (limiter.budget(options.operation).inFlight !== 0) return "an answered request is in flight";
    return undefined;
  },

  "a 429 stops every request until the platform's time": async (limiter, time, options) => {
    const waitMs = 60_000;
    const observation =
      options.rateLimited?.(waitMs, time.clock()) ??
      ({
        status: 429,
        headers: new Headers({ "retry-after": String(waitMs / 1000) }),
        ...operationOf(options),
      } satisfies RateObservation);
    const until = time.clock() + waitMs;
    limiter.observe(observation);
    const budget = limiter.budget(options.operation);
    if (budget.blockedUntil !== until)
      return `blockedUntil is ${budget.blockedUntil}, not ${until}`;
    if (budget.nextInMs < waitMs) return "the next unit is free before the platform's time";
    if (limiter.tryAcquire(1, operationOf(options))) return "tryAcquire granted while blocked";
    await time.run(limiter.acquire(1, operationOf(options)));
    if (time.clock() < until) return "acquire went before the platform's time";
    return undefined;
  },

  "refuses a cost that is not a number or can never fit": async (limiter, time, options) => {
    const negative = await rejection(limiter.acquire(-1, operationOf(options)));
    if (!isOmnistockError(negative, "VALIDATION")) return "acquire(-1) was not a VALIDATION error";
    let thrown: unknown;
    try {
      limiter.tryAcquire(Number.NaN, operationOf(options));
    } catch (error) {
      thrown = error;
    }
    if (!isOmnistockError(thrown, "VALIDATION"))
      return "tryAcquire(NaN) was not a VALIDATION error";
    const huge = limiter.budget(options.operation).limit * 10 + 1;
    const never = await rejection(time.run(limiter.acquire(huge, operationOf(options))));
    if (!isOmnistockError(never, "VALIDATION")) return "a cost beyond any budget did not fail";
    return undefined;
  },
};

/**
 * The conformance suite of {@link RateLimiter}: runs every check on fresh limiters in
 * virtual time and returns the problems found — none for a conforming limiter. Ours run
 * it in their tests; run it on a limiter of your own before handing it to a client.
 *
 * Why a function and not a test file: it works under any test runner.
 *
 * @example
 * ```ts
 * test("my limiter conforms", async () => {
 *   expect(await checkRateLimiter({ create: (time) => createMyLimiter(time) })).toEqual([]);
 * });
 * ```
 */
export async function checkRateLimiter(
  options: RateLimiterConformanceOptions,
): Promise<readonly string[]> {
  const problems: string[] = [];
  for (const [name, check] of Object.entries(checks)) {
    const time = createVirtualTime(START);
    const limiter = options.create({ clock: time.clock, sleep: time.sleep });
    try {
      const problem = await check(limiter, time, options);
      if (problem !== undefined) problems.push(`${name}: ${problem}`);
    } catch (error) {
      problems.push(`${name}: threw ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return problems;
}
