import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  createAmazonLimiter,
  createBigCommerceLimiter,
  createLightspeedLimiter,
  createShopifyLimiter,
  LIGHTSPEED_WINDOW_MS,
  type RateLimiter,
  type RateObservation,
} from "../src/index.js";
import { createVirtualTime, type VirtualTime } from "../src/testing.js";

/** One request of a schedule: when it arrives after the previous one, and what it costs. */
interface Arrival {
  readonly gap: number;
  readonly cost: number;
  /** Gives up this long after it arrives, if it is still waiting. */
  readonly abortAfter?: number;
}

/** The clock and sleep of virtual time, as limiter options. */
const on = (time: VirtualTime) => ({ clock: time.clock, sleep: time.sleep });

interface Grant {
  readonly at: number;
  readonly cost: number;
}

/**
 * Sends every request of the schedule at its time, all at once in flight, in virtual time;
 * returns when each was let through. Aborted requests are not grants. `answer` runs after
 * each grant: the platform's side.
 */
async function simulate(
  limiter: RateLimiter,
  time: VirtualTime,
  schedule: readonly Arrival[],
  options: {
    readonly operation?: string;
    readonly answer?: (grant: Grant) => Promise<void>;
  } = {},
): Promise<Grant[]> {
  const grants: Grant[] = [];
  let offset = 0;
  const requests = schedule.map(async ({ gap, cost, abortAfter }) => {
    offset += gap;
    await time.sleep(offset);
    const controller = new AbortController();
    if (abortAfter !== undefined) {
      void time.sleep(abortAfter).then(() => controller.abort());
    }
    try {
      await limiter.acquire(cost, {
        signal: controller.signal,
        ...(options.operation === undefined ? {} : { operation: options.operation }),
      });
    } catch (error) {
      if (controller.signal.aborted) return;
      throw error;
    }
    const grant = { at: time.clock(), cost };
    grants.push(grant);
    await options.answer?.(grant);
  });
  await time.run(Promise.all(requests));
  return grants.sort((a, b) => a.at - b.at);
}

/** The most spent in any window [t, t + windowMs). */
function busiestWindow(grants: readonly Grant[], windowMs: number): number {
  let most = 0;
  let sum = 0;
  let first = 0;
  for (const grant of grants) {
    sum += grant.cost;
    while ((grants[first] as Grant).at <= grant.at - windowMs) {
      sum -= (grants[first] as Grant).cost;
      first++;
    }
    most = Math.max(most, sum);
  }
  return most;
}

/** The worst excess, over any interval [a, b], of spending above capacity + rate × (b − a). */
function worstBucketExcess(grants: readonly Grant[], capacity: number, perSecond: number): number {
  let worst = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < grants.length; i++) {
    let spent = 0;
    for (let j = i; j < grants.length; j++) {
      const b = grants[j] as Grant;
      spent += b.cost;
      const allowed = capacity + ((b.at - (grants[i] as Grant).at) / 1000) * perSecond;
      worst = Math.max(worst, spent - allowed);
    }
  }
  return worst;
}

const arrival = (maxGap: number, maxCost: number) =>
  fc.record(
    {
      gap: fc.nat(maxGap),
      cost: fc.integer({ min: 1, max: maxCost }),
      abortAfter: fc.nat(maxGap * 4),
    },
    { requiredKeys: ["gap", "cost"] },
  );

/** Schedules of any length up to `maxLength` (fast-check would keep them short otherwise). */
const schedule = (maxGap: number, maxCost = 1, maxLength = 120, minLength = 0) =>
  fc.array(arrival(maxGap, maxCost), { minLength, maxLength, size: "max" });

describe("rate limiter properties", () => {
  it("Lightspeed never lets more than 300 × registers + 50 requests through in any 5-minute window", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 2 }),
        schedule(400, 1, 1_300, 400),
        async (registers, plan) => {
          const time = createVirtualTime();
          const limiter = createLightspeedLimiter({ registers, ...on(time) });
          const grants = await simulate(limiter, time, plan);
          expect(busiestWindow(grants, LIGHTSPEED_WINDOW_MS)).toBeLessThanOrEqual(
            300 * registers + 50,
          );
        },
      ),
      // Each run sends up to 1,300 requests: a few dozen runs cover the space.
      { numRuns: 20 },
    );
  });

  it("Lightspeed never lets more through in any 5-minute window than the limit the store reports", async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 30 }), schedule(20_000), async (limit, plan) => {
        const time = createVirtualTime();
        const limiter = createLightspeedLimiter(on(time));
        limiter.observe({
          status: 200,
          headers: new Headers({ "x-ratelimit-limit": String(limit) }),
        });
        const grants = await simulate(limiter, time, plan);
        expect(busiestWindow(grants, LIGHTSPEED_WINDOW_MS)).toBeLessThanOrEqual(limit);
      }),
      { numRuns: 300 },
    );
  });

  it("BigCommerce never lets more than its quota through in any window", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1_000, max: 30_000 }),
        schedule(3_000, 3),
        async (quota, windowMs, plan) => {
          const time = createVirtualTime();
          const limiter = createBigCommerceLimiter({ quota, windowMs, ...on(time) });
          const grants = await simulate(
            limiter,
            time,
            plan.filter((a) => a.cost <= quota),
          );
          expect(busiestWindow(grants, windowMs)).toBeLessThanOrEqual(quota);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("BigCommerce, kept in step with the store's quota headers, is never refused by a store with no other apps", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 10 }),
        fc.nat(29_999),
        fc.nat(2_000),
        fc.nat(2_000),
        schedule(2_000),
        async (quota, phase, latency, answerLatency, plan) => {
          const windowMs = 30_000;
          const time = createVirtualTime();
          const start = time.clock();
          const limiter = createBigCommerceLimiter({ quota, windowMs, ...on(time) });
          // The store counts requests in fixed windows of its own phase, as it processes them.
          const used = new Map<number, number>();
          let refused = 0;
          await simulate(limiter, time, plan, {
            answer: async ({ cost }) => {
              await time.sleep(latency);
              const now = time.clock();
              const window = Math.floor((now - start + phase) / windowMs);
              const count = (used.get(window) ?? 0) + cost;
              used.set(window, count);
              if (count > quota) refused++;
              const resetMs = (window + 1) * windowMs - (now - start + phase);
              const observation: RateObservation = {
                status: count > quota ? 429 : 200,
                cost,
                headers: new Headers({
                  "x-rate-limit-requests-quota": String(quota),
                  "x-rate-limit-requests-left": String(Math.max(0, quota - count)),
                  "x-rate-limit-time-window-ms": String(windowMs),
                  "x-rate-limit-time-reset-ms": String(resetMs),
                }),
              };
              await time.sleep(answerLatency);
              limiter.observe(observation);
            },
          });
          expect(refused).toBe(0);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("Shopify never spends more than the bucket plus what it restored, over any interval", async () => {
    await fc.assert(
      fc.asyncProperty(schedule(2_000, 400), async (plan) => {
        const time = createVirtualTime();
        const limiter = createShopifyLimiter({ plan: "standard", ...on(time) });
        const grants = await simulate(limiter, time, plan);
        expect(worstBucketExcess(grants, 2_000, 100)).toBeLessThanOrEqual(1e-6);
      }),
      { numRuns: 300 },
    );
  });

  it("Shopify, kept in step with extensions.cost.throttleStatus, never sends a query the store's bucket cannot afford", async () => {
    const capacity = 1_000;
    await fc.assert(
      fc.asyncProperty(
        schedule(1_000, 300, 80),
        fc.array(fc.tuple(fc.nat(3_000), fc.nat(3_000), fc.double({ min: 0, max: 1 })), {
          minLength: 80,
          maxLength: 80,
        }),
        fc.integer({ min: 0, max: capacity }),
        fc.integer({ min: 1, max: 100 }),
        async (plan, answers, startLevel, restoreRate) => {
          const time = createVirtualTime();
          // The limiter guesses a larger plan; the first answer corrects it.
          const limiter = createShopifyLimiter({ plan: "plus", ...on(time) });
          let level = startLevel;
          let at = time.clock();
          let throttled = 0;
          const restore = () => {
            level = Math.min(capacity, level + ((time.clock() - at) / 1000) * restoreRate);
            at = time.clock();
          };
          let index = 0;
          limiter.observe({
            status: 200,
            headers: new Headers(),
            body: throttleBody(null, level, capacity, restoreRate, 0),
          });
          await simulate(limiter, time, plan, {
            answer: async ({ cost }) => {
              const [latency, answerLatency, used] = answers[index++ % answers.length] as [
                number,
                number,
                number,
              ];
              await time.sleep(latency);
              restore();
              let actual: number | null = null;
              // Floating-point dust aside: restoring in one step or in several may differ by 1e-13.
              if (level < cost - 1e-9) throttled++;
              else {
                actual = Math.round(cost * used);
                level -= actual;
              }
              const body = throttleBody(actual, level, capacity, restoreRate, cost);
              await time.sleep(answerLatency);
              limiter.observe({ status: 200, headers: new Headers(), cost, body });
            },
          });
          expect(throttled).toBe(0);
        },
      ),
      { numRuns: 200 },
    );
  });

  it("Amazon never lets an operation exceed its burst plus its rate over any interval", async () => {
    await fc.assert(
      fc.asyncProperty(schedule(600), async (plan) => {
        const time = createVirtualTime();
        const limiter = createAmazonLimiter(on(time));
        const grants = await simulate(limiter, time, plan, { operation: "patchListingsItem" });
        expect(worstBucketExcess(grants, 5, 5)).toBeLessThanOrEqual(1e-6);
      }),
      { numRuns: 300 },
    );
  });

  it("Amazon budgets each operation apart: a slow one never holds back another", async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 20 }), async (count) => {
        const time = createVirtualTime();
        const limiter = createAmazonLimiter(on(time));
        // getOrders restores one request a minute: its line waits for minutes.
        for (let i = 0; i < 20; i++) limiter.tryAcquire(1, { operation: "getOrders" });
        const slow = limiter.acquire(1, { operation: "getOrders" });
        const started = time.clock();
        const fast = Array.from({ length: count }, () =>
          limiter.acquire(1, { operation: "patchListingsItem" }),
        );
        await time.run(Promise.all(fast));
        // The burst of 5 goes at once; the rest at 5 per second.
        expect(time.clock() - started).toBe(Math.max(0, Math.ceil(((count - 5) / 5) * 1000)));
        await time.run(slow);
      }),
      { numRuns: 100 },
    );
  });
});

function throttleBody(
  actual: number | null,
  level: number,
  capacity: number,
  restoreRate: number,
  requested: number,
) {
  return {
    ...(actual === null && requested > 0
      ? { errors: [{ message: "Throttled", extensions: { code: "THROTTLED" } }] }
      : { data: {} }),
    extensions: {
      cost: {
        requestedQueryCost: requested,
        actualQueryCost: actual,
        throttleStatus: {
          maximumAvailable: capacity,
          currentlyAvailable: Math.floor(level),
          restoreRate,
        },
      },
    },
  };
}
