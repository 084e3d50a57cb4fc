import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  createAmazonLimiter,
  createBigCommerceLimiter,
  createLightspeedLimiter,
  createShopifyLimiter,
  LIGHTSPEED_WINDOW_MS,
  type RateLimiter,
} from "../src/index.js";

/** A clock that only moves when told to, and a sleep that moves it. */
function virtualTime(start = 1_000_000) {
  let now = start;
  return {
    clock: () => now,
    sleep: async (ms: number) => {
      now += ms;
    },
    advance: (ms: number) => {
      now += ms;
    },
  };
}

/** Requests at random gaps; returns when each was let through and what it cost. */
async function run(
  limiter: RateLimiter,
  time: ReturnType<typeof virtualTime>,
  schedule: readonly { gap: number; cost: number }[],
  operation?: string,
) {
  const grants: { at: number; cost: number }[] = [];
  for (const { gap, cost } of schedule) {
    time.advance(gap);
    await limiter.acquire(cost, operation === undefined ? {} : { operation });
    grants.push({ at: time.clock(), cost });
  }
  return grants;
}

/** The most spent in any window [t, t + windowMs) that starts at a grant. */
function busiestWindow(grants: readonly { at: number; cost: number }[], windowMs: number): number {
  let most = 0;
  for (const start of grants) {
    let sum = 0;
    for (const g of grants) if (g.at >= start.at && g.at < start.at + windowMs) sum += g.cost;
    most = Math.max(most, sum);
  }
  return most;
}

const schedule = (maxGap: number, maxCost = 1) =>
  fc.array(fc.record({ gap: fc.nat(maxGap), cost: fc.integer({ min: 1, max: maxCost }) }), {
    maxLength: 120,
  });

describe("rate limiter properties", () => {
  it("Lightspeed never lets more than 300 × registers + 50 requests through in any 5-minute window", async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 0 }), schedule(4_000), async (_, plan) => {
        const time = virtualTime();
        // A small store keeps the property test fast: the window is the same arithmetic.
        const limiter = createLightspeedLimiter({
          registers: 0,
          clock: time.clock,
          sleep: time.sleep,
        });
        const grants = await run(limiter, time, plan);
        expect(busiestWindow(grants, LIGHTSPEED_WINDOW_MS)).toBeLessThanOrEqual(50);
      }),
      { numRuns: 200 },
    );
  });

  it("BigCommerce never lets more than its quota through in any window", async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 12 }), schedule(3_000), async (quota, plan) => {
        const time = virtualTime();
        const limiter = createBigCommerceLimiter({
          quota,
          windowMs: 30_000,
          clock: time.clock,
          sleep: time.sleep,
        });
        const grants = await run(limiter, time, plan);
        expect(busiestWindow(grants, 30_000)).toBeLessThanOrEqual(quota);
      }),
      { numRuns: 300 },
    );
  });

  it("Shopify never spends more than the bucket plus what it restored, over any interval", async () => {
    await fc.assert(
      fc.asyncProperty(schedule(2_000, 400), async (plan) => {
        const time = virtualTime();
        const limiter = createShopifyLimiter({
          plan: "standard",
          clock: time.clock,
          sleep: time.sleep,
        });
        const grants = await run(limiter, time, plan);
        for (const a of grants) {
          for (const b of grants) {
            if (b.at < a.at) continue;
            const spent = grants
              .filter((g) => g.at >= a.at && g.at <= b.at)
              .reduce((s, g) => s + g.cost, 0);
            expect(spent).toBeLessThanOrEqual(2_000 + ((b.at - a.at) / 1000) * 100 + 1e-6);
          }
        }
      }),
      { numRuns: 200 },
    );
  });

  it("Amazon never lets an operation exceed its burst plus its rate over any interval", async () => {
    await fc.assert(
      fc.asyncProperty(schedule(600), async (plan) => {
        const time = virtualTime();
        const limiter = createAmazonLimiter({ clock: time.clock, sleep: time.sleep });
        const grants = await run(limiter, time, plan, "patchListingsItem");
        for (const a of grants) {
          for (const b of grants) {
            if (b.at < a.at) continue;
            const spent = grants.filter((g) => g.at >= a.at && g.at <= b.at).length;
            expect(spent).toBeLessThanOrEqual(5 + ((b.at - a.at) / 1000) * 5 + 1e-6);
          }
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe("rate limiters", () => {
  it("report their budget as data and announce throttling", async () => {
    const time = virtualTime();
    const limiter = createBigCommerceLimiter({ quota: 2, clock: time.clock, sleep: time.sleep });
    const events: number[] = [];
    limiter.onThrottled((event) => events.push(event.waitMs));
    await limiter.acquire();
    expect(limiter.budget()).toMatchObject({ platform: "bigcommerce", remaining: 1, limit: 2 });
    await limiter.acquire();
    expect(limiter.tryAcquire()).toBe(false);
    await limiter.acquire();
    expect(events).toEqual([30_000]);
  });

  it("follow what the platform reports: BigCommerce's shared quota left, Shopify's throttle status", () => {
    const time = virtualTime();
    const bc = createBigCommerceLimiter({ clock: time.clock, sleep: time.sleep });
    bc.observe({
      status: 200,
      headers: new Headers({
        "x-rate-limit-requests-quota": "150",
        "x-rate-limit-requests-left": "0",
        "x-rate-limit-time-reset-ms": "4000",
        "x-rate-limit-time-window-ms": "30000",
      }),
    });
    expect(bc.tryAcquire()).toBe(false);
    expect(bc.budget().nextInMs).toBe(4_000);

    const shopify = createShopifyLimiter({ clock: time.clock, sleep: time.sleep });
    shopify.observe({
      status: 200,
      headers: new Headers(),
      body: {
        extensions: {
          cost: {
            throttleStatus: {
              maximumAvailable: 20_000,
              currentlyAvailable: 50,
              restoreRate: 1_000,
            },
          },
        },
      },
    });
    expect(shopify.budget()).toMatchObject({ remaining: 50, limit: 20_000 });
    expect(shopify.tryAcquire(60)).toBe(false);
    time.advance(10);
    expect(shopify.tryAcquire(60)).toBe(true);
  });

  it("stop entirely for the wait a 429 asks, and keep Amazon's rate in step with x-amzn-RateLimit-Limit", async () => {
    const time = virtualTime(Date.UTC(2026, 10, 22, 12, 0, 0));
    const lightspeed = createLightspeedLimiter({ clock: time.clock, sleep: time.sleep });
    lightspeed.observe({
      status: 429,
      headers: new Headers({ "retry-after": "Sun, 22 Nov 2026 12:01:00 GMT" }),
    });
    expect(lightspeed.budget().blockedUntil).toBe(Date.UTC(2026, 10, 22, 12, 1, 0));
    const before = time.clock();
    await lightspeed.acquire();
    expect(time.clock() - before).toBe(60_000);

    const amazon = createAmazonLimiter({ clock: time.clock, sleep: time.sleep });
    amazon.observe({
      status: 200,
      headers: new Headers({ "x-amzn-ratelimit-limit": "0.5" }),
      operation: "getListingsItem",
    });
    for (let i = 0; i < 10; i++) expect(amazon.tryAcquire(1, "getListingsItem")).toBe(true);
    expect(amazon.budget("getListingsItem").nextInMs).toBe(2_000);
  });

  it("refuse a request that can never fit", async () => {
    const limiter = createShopifyLimiter();
    await expect(limiter.acquire(5_000)).rejects.toThrow(/never fit/);
  });
});
