import { type PlatformName, validationError } from "@omnistock/core";
import { type Clock, type Sleep, systemClock, systemSleep } from "./time.js";

/**
 * A platform's remaining budget, as typed data: what a dashboard shows and what a
 * dispatcher reads to decide how much to send now.
 *
 * @example
 * ```ts
 * const { remaining, limit, nextInMs } = limiter.budget();
 * ```
 */
export interface RateBudget {
  readonly platform: PlatformName;
  /** The operation it is for, where budgets are per operation (Amazon). */
  readonly operation?: string;
  /** Units that may be spent now (requests, or query-cost points for Shopify). */
  readonly remaining: number;
  /** The most the budget ever holds. */
  readonly limit: number;
  /** Milliseconds until one more unit is free (0 when some are free now). */
  readonly nextInMs: number;
  /** Units granted to requests whose answer has not been observed yet. */
  readonly inFlight: number;
  /** Until when the platform asked us to stop entirely (epoch ms), while it does. */
  readonly blockedUntil?: number;
}

/**
 * Raised each time a request has to wait for the budget, before it waits: the platform,
 * what the request costs, how long it will wait and the budget at that moment.
 *
 * @example
 * ```ts
 * limiter.onThrottled(({ platform, waitMs, budget }) =>
 *   metrics.gauge(`${platform}.remaining`, budget.remaining));
 * ```
 */
export interface ThrottledEvent {
  readonly platform: PlatformName;
  readonly operation?: string;
  /** What the request costs. */
  readonly cost: number;
  /** How long it waits before it looks again, in milliseconds. */
  readonly waitMs: number;
  readonly budget: RateBudget;
}

/** What a limiter can learn from a platform's answer. */
export interface RateObservation {
  /** The HTTP status; 0 when no answer came (network failure, timeout, abort). */
  readonly status: number;
  readonly headers: Headers;
  /** The operation the request was, where budgets are per operation. */
  readonly operation?: string;
  /**
   * What the request was granted by `acquire`, so that it no longer counts as in flight.
   * @default the oldest request of the operation still in flight
   */
  readonly cost?: number;
  /** The parsed body, where the budget is reported there (Shopify's `extensions.cost`). */
  readonly body?: unknown;
}

/** Options of {@link RateLimiter.acquire}. */
export interface AcquireOptions {
  /** The operation, where budgets are per operation (Amazon's `patchListingsItem`). */
  readonly operation?: string;
  /** Gives up waiting when it aborts: the promise rejects with its reason, nothing is spent. */
  readonly signal?: AbortSignal;
}

/**
 * One platform's rate limit, kept on our side so that requests wait instead of being
 * refused, and kept in step with what the platform reports. All four platform limiters
 * implement it, so a runtime can treat them alike; {@link checkRateLimiter} checks any
 * implementation, ours or an integrator's.
 *
 * The contract: every request granted by `acquire` or `tryAcquire` is followed by exactly
 * one `observe` with its answer (status 0 when none came), so that the limiter counts it
 * as in flight until then and reads the platform's reported budget net of it.
 *
 * @example
 * ```ts
 * await limiter.acquire(11, { signal });
 * const response = await fetch(url, init);
 * limiter.observe({ status: response.status, headers: response.headers, cost: 11, body });
 * ```
 */
export interface RateLimiter {
  readonly platform: PlatformName;
  /**
   * Waits until `cost` units may be spent, then spends them. Requests of one budget are
   * served in turn, so a large request is not starved by small ones.
   *
   * @throws {@link OmnistockError} `VALIDATION` when `cost` is not a finite number of 0 or
   *   more, or can never fit the budget; the signal's reason when it aborts.
   */
  acquire(cost?: number, options?: AcquireOptions): Promise<void>;
  /**
   * Spends `cost` units now if the budget allows and no request is waiting for it;
   * otherwise `false`, and nothing is spent.
   *
   * @throws {@link OmnistockError} `VALIDATION` when `cost` is not a finite number of 0 or more.
   */
  tryAcquire(cost?: number, options?: Pick<AcquireOptions, "operation">): boolean;
  /** Learns from an answer: headers, body facts, a 429. */
  observe(observation: RateObservation): void;
  /** The budget now. */
  budget(operation?: string): RateBudget;
  /** Listens to throttling; returns the function that stops listening. */
  onThrottled(listener: (event: ThrottledEvent) => void): () => void;
}

/** Time options every limiter takes. */
export interface LimiterTimeOptions {
  /**
   * The clock, in epoch milliseconds. Inject a virtual one to simulate hours in a test.
   * @default Date.now
   */
  readonly clock?: Clock;
  /**
   * How to wait; it must resolve after `ms` of the clock above, or reject when the signal
   * aborts.
   * @default a real timer
   */
  readonly sleep?: Sleep;
  /**
   * How long a granted request counts as in flight when no answer is ever observed for it,
   * so that a caller who forgets `observe` cannot shrink the budget for good.
   * @default 60000
   */
  readonly settleAfterMs?: number;
}

/** The longest a platform's 429 stops a limiter at once: 15 minutes. */
export const MAX_BLOCK_MS = 900_000;

/** A request granted and not answered yet. */
interface Grant {
  readonly key: string;
  readonly cost: number;
  readonly at: number;
}

/**
 * The part every limiter shares: requests of one budget wait in turn, a block the
 * platform asked for (a 429) stops them all, granted requests count as in flight until
 * answered, and listeners hear about every wait. Extend it for a platform of your own:
 * say how long a cost must wait, how to spend it, what the budget is and what to learn
 * from an answer.
 *
 * @example
 * ```ts
 * class FixedLimiter extends BaseLimiter {
 *   readonly platform = "shopify";
 *   readonly #window = new SlidingWindow(10, 1_000);
 *   protected waitFor(cost: number, now: number) { return this.#window.waitFor(cost, now); }
 *   protected spend(cost: number, now: number) { this.#window.spend(cost, now); }
 *   protected rawBudget(now: number) {
 *     const limit = this.#window.limit;
 *     return { limit, remaining: limit - this.#window.used(now), nextInMs: this.waitFor(1, now) };
 *   }
 *   protected learn() {}
 * }
 * ```
 */
export abstract class BaseLimiter implements RateLimiter {
  abstract readonly platform: PlatformName;
  protected readonly clock: Clock;
  readonly #sleep: Sleep;
  readonly #settleAfterMs: number;
  readonly #listeners = new Set<(event: ThrottledEvent) => void>();
  /** Until when the platform told us to stop, per budget (epoch ms). */
  readonly #blockedUntil = new Map<string, number>();
  /** The last request in line, per budget. */
  readonly #lines = new Map<string, Promise<void>>();
  /** Requests waiting in line, per budget. */
  readonly #waiting = new Map<string, number>();
  #inFlight: Grant[] = [];

  constructor(options: LimiterTimeOptions) {
    this.clock = options.clock ?? systemClock;
    this.#sleep = options.sleep ?? systemSleep;
    this.#settleAfterMs = options.settleAfterMs ?? 60_000;
  }

  /**
   * Which budget an operation draws on: one for the whole account unless the platform
   * budgets per operation.
   */
  protected keyOf(_operation?: string): string {
    return "";
  }

  /** Milliseconds until `cost` units are free (0: now; Infinity: never), ignoring any block. */
  protected abstract waitFor(cost: number, now: number, operation?: string): number;
  /** Spends `cost` units at `now`. */
  protected abstract spend(cost: number, now: number, operation?: string): void;
  /** The budget's size, what is left and when the next unit frees, ignoring any block. */
  protected abstract rawBudget(
    now: number,
    operation?: string,
  ): Pick<RateBudget, "limit" | "remaining" | "nextInMs">;
  /**
   * Learns from an answer. `inFlight` is what other requests of the same budget were
   * granted and have not been answered yet: a reported budget does not know about them.
   */
  protected abstract learn(observation: RateObservation, now: number, inFlight: number): void;

  /**
   * What requests of the operation's budget were granted and have not been answered yet
   * (those older than `settleAfterMs` no longer count). A request being granted counts once
   * `spend` has returned.
   */
  protected inFlight(operation?: string): number {
    return this.#inFlightCost(this.keyOf(operation), this.clock());
  }

  acquire(cost = 1, options: AcquireOptions = {}): Promise<void> {
    try {
      checkCost(cost);
    } catch (error) {
      return Promise.reject(error);
    }
    const key = this.keyOf(options.operation);
    this.#waiting.set(key, (this.#waiting.get(key) ?? 0) + 1);
    const previous = this.#lines.get(key) ?? Promise.resolve();
    const turn = previous
      .then(() => this.#take(cost, key, options))
      .finally(() => {
        const left = (this.#waiting.get(key) ?? 1) - 1;
        if (left === 0) this.#waiting.delete(key);
        else this.#waiting.set(key, left);
      });
    const settled = turn.then(
      () => undefined,
      () => undefined,
    );
    this.#lines.set(key, settled);
    void settled.then(() => {
      if (this.#lines.get(key) === settled) this.#lines.delete(key);
    });
    return options.signal === undefined ? turn : abortable(turn, options.signal);
  }

  tryAcquire(cost = 1, options: Pick<AcquireOptions, "operation"> = {}): boolean {
    checkCost(cost);
    const { operation } = options;
    const key = this.keyOf(operation);
    const now = this.clock();
    if ((this.#waiting.get(key) ?? 0) > 0) return false;
    if (now < (this.#blockedUntil.get(key) ?? 0)) return false;
    if (this.waitFor(cost, now, operation) > 0) return false;
    this.#grant(cost, key, now, operation);
    return true;
  }

  observe(observation: RateObservation): void {
    const now = this.clock();
    const key = this.keyOf(observation.operation);
    this.#settle(key, observation.cost, now);
    this.learn(observation, now, this.#inFlightCost(key, now));
  }

  budget(operation?: string): RateBudget {
    const now = this.clock();
    const key = this.keyOf(operation);
    const raw = this.rawBudget(now, operation);
    const blockedUntil = this.#blockedUntil.get(key) ?? 0;
    return {
      platform: this.platform,
      ...(operation === undefined ? {} : { operation }),
      limit: raw.limit,
      remaining: Math.max(0, Math.floor(raw.remaining)),
      nextInMs: Math.max(0, raw.nextInMs, blockedUntil - now),
      inFlight: this.#inFlightCost(key, now),
      ...(now < blockedUntil ? { blockedUntil } : {}),
    };
  }

  onThrottled(listener: (event: ThrottledEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  /**
   * Stops every request of the operation's budget until `until` (epoch ms), as a 429 asks,
   * for at most {@link MAX_BLOCK_MS}: a wrong or hostile date must not stop an account for
   * days, and a platform still refusing after that says so again.
   */
  protected block(until: number, operation?: string): void {
    const key = this.keyOf(operation);
    const capped = Math.min(until, this.clock() + MAX_BLOCK_MS);
    this.#blockedUntil.set(key, Math.max(this.#blockedUntil.get(key) ?? 0, capped));
  }

  async #take(cost: number, key: string, { operation, signal }: AcquireOptions): Promise<void> {
    for (;;) {
      signal?.throwIfAborted();
      const now = this.clock();
      const blocked = (this.#blockedUntil.get(key) ?? 0) - now;
      const wait = Math.max(blocked, this.waitFor(cost, now, operation));
      if (!Number.isFinite(wait)) {
        throw validationError(
          `${this.platform} rate-limited request`,
          [
            {
              path: ["cost"],
              message: `${cost} can never fit a budget of ${this.rawBudget(now, operation).limit}`,
            },
          ],
          { platform: this.platform },
        );
      }
      if (wait <= 0) {
        this.#grant(cost, key, now, operation);
        return;
      }
      const event: ThrottledEvent = {
        platform: this.platform,
        ...(operation === undefined ? {} : { operation }),
        cost,
        waitMs: wait,
        budget: this.budget(operation),
      };
      for (const listener of this.#listeners) {
        try {
          listener(event);
        } catch {
          // A failing observer must not stop the request it observes.
        }
      }
      await this.#sleep(wait, signal);
    }
  }

  #grant(cost: number, key: string, now: number, operation?: string): void {
    this.spend(cost, now, operation);
    this.#inFlight.push({ key, cost, at: now });
  }

  /** The request answered stops counting as in flight; so do any too old to be answered. */
  #settle(key: string, cost: number | undefined, now: number): void {
    const index = this.#inFlight.findIndex(
      (grant) => grant.key === key && (cost === undefined || grant.cost === cost),
    );
    if (index >= 0) this.#inFlight.splice(index, 1);
    this.#expire(now);
  }

  #inFlightCost(key: string, now: number): number {
    this.#expire(now);
    let total = 0;
    for (const grant of this.#inFlight) if (grant.key === key) total += grant.cost;
    return total;
  }

  #expire(now: number): void {
    if (this.#inFlight.some((grant) => now - grant.at >= this.#settleAfterMs)) {
      this.#inFlight = this.#inFlight.filter((grant) => now - grant.at < this.#settleAfterMs);
    }
  }
}

function checkCost(cost: number): void {
  if (typeof cost !== "number" || !Number.isFinite(cost) || cost < 0) {
    throw validationError("rate-limited request", [
      { path: ["cost"], message: "expected a finite number of 0 or more" },
    ]);
  }
}

/** `promise`, rejected at once with the signal's reason when the signal aborts first. */
function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    if (signal.aborted) {
      onAbort();
      return;
    }
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      },
    );
  });
}

/**
 * At most `limit` units in any window of `windowMs`, as a sliding log: unlike a fixed
 * window, no burst at a window's edge lets through more than the limit. A building block
 * for {@link BaseLimiter}s (Lightspeed, BigCommerce).
 *
 * @example
 * ```ts
 * const window = new SlidingWindow(150, 30_000);
 * if (window.waitFor(1, Date.now()) === 0) window.spend(1, Date.now());
 * ```
 */
export class SlidingWindow {
  /** Units allowed per window; the platform may change it. */
  limit: number;
  /** The window, in milliseconds; the platform may change it. */
  windowMs: number;
  /** Times (epoch ms) of the units spent in the last window, oldest first. */
  readonly #spent: number[] = [];

  constructor(limit: number, windowMs: number) {
    this.limit = limit;
    this.windowMs = windowMs;
  }

  /** Units spent in the window that ends at `now`. */
  used(now: number): number {
    this.#forget(now);
    return this.#spent.length;
  }

  /** Milliseconds until `cost` more units fit (0: now; Infinity: `cost` exceeds the limit). */
  waitFor(cost: number, now: number): number {
    this.#forget(now);
    const over = this.#spent.length + Math.ceil(cost) - this.limit;
    if (over <= 0) return 0;
    // The unit whose expiry frees enough room.
    const freeing = this.#spent[over - 1];
    return freeing === undefined ? Number.POSITIVE_INFINITY : freeing + this.windowMs - now;
  }

  spend(cost: number, now: number): void {
    for (let i = 0; i < Math.ceil(cost); i++) this.#spent.push(now);
  }

  /**
   * Counts at least `used` units as spent in the current window (units spent elsewhere that
   * the platform reports); the extra ones are taken as spent `now`, the cautious guess.
   */
  reserve(used: number, now: number): void {
    this.#forget(now);
    while (this.#spent.length < used) this.#spent.push(now);
  }

  #forget(now: number): void {
    let drop = 0;
    while (drop < this.#spent.length && (this.#spent[drop] as number) <= now - this.windowMs)
      drop++;
    if (drop > 0) this.#spent.splice(0, drop);
  }
}

/**
 * A bucket of `capacity` units that refills at `perSecond`: Shopify's query-cost bucket and
 * Amazon's rate and burst. A building block for {@link BaseLimiter}s.
 *
 * @example
 * ```ts
 * const bucket = new TokenBucket(2_000, 100, Date.now()); // Shopify standard plan
 * bucket.waitFor(752, Date.now()); // 0 while the bucket is full
 * ```
 */
export class TokenBucket {
  /** The most the bucket holds; the platform may change it. */
  capacity: number;
  /** Units restored per second; the platform may change it. */
  perSecond: number;
  #level: number;
  #at: number;
  #held = 0;

  constructor(capacity: number, perSecond: number, now: number) {
    this.capacity = capacity;
    this.perSecond = perSecond;
    this.#level = capacity;
    this.#at = now;
  }

  /** Units in the bucket at `now`. */
  level(now: number): number {
    this.#refill(now);
    return this.#level;
  }

  /**
   * Milliseconds until `cost` units are in the bucket (Infinity: more than it holds). While
   * units are {@link hold held} out, the wait may end before they are there: look again.
   */
  waitFor(cost: number, now: number): number {
    this.#refill(now);
    if (cost > this.capacity) return Number.POSITIVE_INFINITY;
    const missing = cost - this.#level;
    return missing <= 0 ? 0 : Math.ceil((missing / this.perSecond) * 1000);
  }

  /**
   * From `now` on, the bucket refills only to `capacity − units`. Requests sent but not yet
   * answered are charged here, but not yet at the platform, whose bucket may sit full and
   * lose its refill meanwhile; holding their cost out of our ceiling keeps our estimate at
   * or below the platform's.
   */
  hold(units: number, now: number): void {
    this.#refill(now);
    this.#held = Math.max(0, units);
  }

  spend(cost: number, now: number): void {
    this.#refill(now);
    this.#level -= cost;
  }

  /**
   * Lowers the level to `level` if it is above: a platform's report of what is left may be
   * older than requests already sent, so it may lower the estimate but never raise it.
   */
  lower(level: number, now: number): void {
    this.#refill(now);
    this.#level = Math.min(this.#level, level);
  }

  /**
   * Gives back `units` charged but not used (Shopify refunds what a query did not cost);
   * negative units charge what was under-estimated.
   */
  credit(units: number, now: number): void {
    this.#refill(now);
    this.#level = Math.min(this.capacity, this.#level + units);
  }

  #refill(now: number): void {
    if (now > this.#at) {
      const ceiling = Math.max(this.#level, this.capacity - this.#held);
      this.#level = Math.min(ceiling, this.#level + ((now - this.#at) / 1000) * this.perSecond);
      this.#at = now;
    }
  }
}
