import { isOmnistockError } from "@omnistock/core";
import { describe, expect, it } from "vitest";
import {
  AMAZON_RATES,
  type AmazonLimiterOptions,
  createAmazonLimiter,
  createBigCommerceLimiter,
  createLightspeedLimiter,
  createShopifyLimiter,
  MAX_BLOCK_MS,
  type RateLimiter,
  type ThrottledEvent,
} from "../src/index.js";
import { checkRateLimiter, createVirtualTime, type VirtualTime } from "../src/testing.js";

const on = (time: VirtualTime) => ({ clock: time.clock, sleep: time.sleep });

const shopifyCost = (currentlyAvailable: number, extra: Record<string, unknown> = {}) => ({
  data: {},
  extensions: {
    cost: {
      requestedQueryCost: 50,
      actualQueryCost: 50,
      throttleStatus: { maximumAvailable: 100, currentlyAvailable, restoreRate: 0.001 },
      ...extra,
    },
  },
});

describe("the RateLimiter conformance suite", () => {
  it.each<[string, Parameters<typeof checkRateLimiter>[0]]>([
    [
      "Lightspeed",
      {
        create: (time) => createLightspeedLimiter(time),
        rateLimited: (waitMs, now) => ({
          status: 429,
          headers: new Headers({ "retry-after": new Date(now + waitMs).toUTCString() }),
        }),
      },
    ],
    [
      "BigCommerce",
      {
        create: (time) => createBigCommerceLimiter(time),
        rateLimited: (waitMs) => ({
          status: 429,
          headers: new Headers({
            "x-rate-limit-requests-left": "0",
            "x-rate-limit-time-reset-ms": String(waitMs),
          }),
        }),
      },
    ],
    ["Shopify", { create: (time) => createShopifyLimiter({ ...time, plan: "standard" }) }],
    ["Amazon", { create: (time) => createAmazonLimiter(time), operation: "patchListingsItem" }],
  ])("passes for the %s limiter", async (_name, options) => {
    expect(await checkRateLimiter(options)).toEqual([]);
  });

  it("finds the faults of a limiter that waits for nothing", async () => {
    const careless: RateLimiter = {
      platform: "shopify",
      acquire: async () => undefined,
      tryAcquire: () => true,
      observe: () => undefined,
      budget: () => ({ platform: "shopify", limit: 1, remaining: 1, nextInMs: 0, inFlight: 0 }),
      onThrottled: () => () => undefined,
    };
    const problems = await checkRateLimiter({ create: () => careless });
    expect(problems.length).toBeGreaterThanOrEqual(5);
    expect(problems.join("\n")).toMatch(/never ran out/);
  });
});

describe("rate limiter options", () => {
  it("names every unknown or invalid option at once", () => {
    let error: unknown;
    try {
      createLightspeedLimiter({ registers: 0, regsters: 2 } as never);
    } catch (caught) {
      error = caught;
    }
    expect(isOmnistockError(error, "VALIDATION")).toBe(true);
    const paths = (error as { issues: { path: unknown[] }[] }).issues.map((i) => i.path.join("."));
    expect(paths).toEqual(expect.arrayContaining(["registers", ""]));
    expect((error as Error).message).toMatch(/regsters/);
    expect(() => createShopifyLimiter({ plan: "gold" as never })).toThrow(/plan/);
    expect(() => createBigCommerceLimiter({ quota: 1.5 })).toThrow(/quota/);
    expect(() =>
      createAmazonLimiter({ rates: { getOrders: { rate: 0, burst: 20 } } } as AmazonLimiterOptions),
    ).toThrow(/rates\.getOrders\.rate/);
  });
});

describe("Lightspeed limiter", () => {
  it("allows 300 × registers + 50 requests per five minutes", () => {
    const time = createVirtualTime();
    const limiter = createLightspeedLimiter({ registers: 3, ...on(time) });
    expect(limiter.budget()).toMatchObject({ limit: 950, remaining: 950 });
  });

  it("stops for the HTTP date of a 429 and counts what other processes spent", async () => {
    const time = createVirtualTime(Date.UTC(2026, 10, 22, 12, 0, 0));
    const limiter = createLightspeedLimiter(on(time));
    limiter.observe({
      status: 200,
      headers: new Headers({ "x-ratelimit-limit": "350", "x-ratelimit-remaining": "340" }),
    });
    expect(limiter.budget().remaining).toBe(340);
    limiter.observe({
      status: 429,
      headers: new Headers({ "retry-after": "Sun, 22 Nov 2026 12:01:00 GMT" }),
    });
    expect(limiter.budget()).toMatchObject({
      blockedUntil: Date.UTC(2026, 10, 22, 12, 1, 0),
      nextInMs: 60_000,
    });
    await time.run(limiter.acquire());
    expect(time.clock()).toBe(Date.UTC(2026, 10, 22, 12, 1, 0));
  });

  it("never stops for longer than MAX_BLOCK_MS, whatever the date says", () => {
    const time = createVirtualTime(Date.UTC(2026, 10, 22, 12, 0, 0));
    const limiter = createLightspeedLimiter(on(time));
    limiter.observe({
      status: 429,
      headers: new Headers({ "retry-after": "Fri, 01 Jan 2100 00:00:00 GMT" }),
    });
    expect(limiter.budget().blockedUntil).toBe(time.clock() + MAX_BLOCK_MS);
  });
});

describe("BigCommerce limiter", () => {
  it("follows the store's quota headers: what is left is shared with other apps", async () => {
    const time = createVirtualTime();
    const limiter = createBigCommerceLimiter(on(time));
    limiter.observe({
      status: 200,
      headers: new Headers({
        "x-rate-limit-requests-quota": "450",
        "x-rate-limit-requests-left": "0",
        "x-rate-limit-time-reset-ms": "4000",
        "x-rate-limit-time-window-ms": "30000",
      }),
    });
    expect(limiter.tryAcquire()).toBe(false);
    expect(limiter.budget()).toMatchObject({ limit: 450, remaining: 0, nextInMs: 4_000 });
    await time.run(limiter.acquire());
    expect(limiter.budget().remaining).toBe(449);
  });

  it("waits X-Rate-Limit-Time-Reset-Ms after a 429, or X-Retry-After when the store sheds load", () => {
    const time = createVirtualTime();
    const quota = createBigCommerceLimiter(on(time));
    quota.observe({
      status: 429,
      headers: new Headers({
        "x-rate-limit-requests-left": "0",
        "x-rate-limit-time-reset-ms": "1500",
      }),
    });
    expect(quota.budget().blockedUntil).toBe(time.clock() + 1_500);
    const shedding = createBigCommerceLimiter(on(time));
    shedding.observe({ status: 429, headers: new Headers({ "x-retry-after": "3" }) });
    expect(shedding.budget().blockedUntil).toBe(time.clock() + 3_000);
  });

  it("takes a later report within a window only when it lowers what is left", () => {
    const time = createVirtualTime();
    const limiter = createBigCommerceLimiter(on(time));
    const report = (left: number, resetMs: number) =>
      limiter.observe({
        status: 200,
        headers: new Headers({
          "x-rate-limit-requests-left": String(left),
          "x-rate-limit-time-reset-ms": String(resetMs),
        }),
      });
    report(10, 20_000);
    report(25, 19_000);
    expect(limiter.budget().remaining).toBe(10);
    report(4, 18_000);
    expect(limiter.budget().remaining).toBe(4);
  });
});

describe("Shopify limiter", () => {
  it("follows extensions.cost.throttleStatus and gives back what a query did not use", async () => {
    const time = createVirtualTime();
    const limiter = createShopifyLimiter(on(time));
    await time.run(limiter.acquire(752));
    expect(limiter.budget().remaining).toBe(2_000 - 752);
    limiter.observe({
      status: 200,
      headers: new Headers(),
      cost: 752,
      body: {
        data: {},
        extensions: {
          cost: {
            requestedQueryCost: 752,
            actualQueryCost: 102,
            throttleStatus: {
              maximumAvailable: 2_000,
              currentlyAvailable: 1_898,
              restoreRate: 100,
            },
          },
        },
      },
    });
    expect(limiter.budget()).toMatchObject({ remaining: 1_898, limit: 2_000, inFlight: 0 });
  });

  it("lowers its estimate for a store report, and never raises it for an older one", async () => {
    const time = createVirtualTime();
    const limiter = createShopifyLimiter({ ...on(time), bucketSize: 100, restoreRate: 0.001 });
    // Two queries of 50 leave together; the store answers the second first.
    await time.run(Promise.all([limiter.acquire(50), limiter.acquire(50)]));
    limiter.observe({ status: 200, headers: new Headers(), cost: 50, body: shopifyCost(0) });
    limiter.observe({ status: 200, headers: new Headers(), cost: 50, body: shopifyCost(50) });
    expect(limiter.budget().remaining).toBe(0);
    expect(limiter.tryAcquire(50)).toBe(false);
  });

  it("learns a smaller bucket than the plan's from the first answer", () => {
    const time = createVirtualTime();
    const limiter = createShopifyLimiter({ ...on(time), plan: "plus" });
    limiter.observe({
      status: 200,
      headers: new Headers(),
      body: {
        extensions: {
          cost: {
            throttleStatus: { maximumAvailable: 40, currentlyAvailable: 38, restoreRate: 2 },
          },
        },
      },
    });
    expect(limiter.budget()).toMatchObject({ limit: 40, remaining: 38 });
    expect(limiter.tryAcquire(39)).toBe(false);
  });

  it("gives back the whole charge of a THROTTLED query: the store charged nothing", async () => {
    const time = createVirtualTime();
    const limiter = createShopifyLimiter({ ...on(time), bucketSize: 100, restoreRate: 0.001 });
    await time.run(limiter.acquire(60));
    limiter.observe({
      status: 200,
      headers: new Headers(),
      cost: 60,
      body: shopifyCost(100, { actualQueryCost: null }),
    });
    expect(limiter.budget().remaining).toBe(100);
  });

  it("does not refill past what queries in flight will cost: the store's full bucket refills nothing", async () => {
    const time = createVirtualTime();
    const limiter = createShopifyLimiter({ ...on(time), bucketSize: 100, restoreRate: 10 });
    // 60 points leave with the store's bucket full; the query takes 3 s to reach the store.
    await time.run(limiter.acquire(60));
    await time.advance(3_000);
    // The store stayed at 100 until it charged the query, so it has 40 now, not 70.
    expect(limiter.budget().remaining).toBe(40);
    expect(limiter.tryAcquire(70)).toBe(false);
    limiter.observe({
      status: 200,
      headers: new Headers(),
      cost: 60,
      body: {
        data: {},
        extensions: {
          cost: {
            requestedQueryCost: 60,
            actualQueryCost: 60,
            throttleStatus: { maximumAvailable: 100, currentlyAvailable: 40, restoreRate: 10 },
          },
        },
      },
    });
    await time.advance(3_000);
    expect(limiter.budget()).toMatchObject({ remaining: 70, inFlight: 0 });
    expect(limiter.tryAcquire(70)).toBe(true);
  });

  it("refuses a query larger than the bucket", async () => {
    const limiter = createShopifyLimiter({ bucketSize: 1_000 });
    await expect(limiter.acquire(1_001)).rejects.toThrow(/can never fit a budget of 1000/);
  });
});

describe("Amazon limiter", () => {
  it("knows the published rate and burst of the operations Omnistock calls", () => {
    expect(AMAZON_RATES.patchListingsItem).toEqual({ rate: 5, burst: 5 });
    expect(AMAZON_RATES.getInventorySummaries).toEqual({ rate: 2, burst: 2 });
    const limiter = createAmazonLimiter({ rates: { patchListingsItem: { rate: 10, burst: 10 } } });
    expect(limiter.budget("patchListingsItem")).toMatchObject({
      operation: "patchListingsItem",
      limit: 10,
    });
  });

  it("keeps an operation's rate in step with x-amzn-RateLimit-Limit and empties it on a 429", () => {
    const time = createVirtualTime();
    const limiter = createAmazonLimiter(on(time));
    const operation = "getListingsItem";
    limiter.observe({
      status: 200,
      headers: new Headers({ "x-amzn-ratelimit-limit": "0.5" }),
      operation,
    });
    for (let i = 0; i < 10; i++) expect(limiter.tryAcquire(1, { operation })).toBe(true);
    expect(limiter.budget(operation).nextInMs).toBe(2_000);
    const patch = "patchListingsItem";
    limiter.observe({ status: 429, headers: new Headers(), operation: patch });
    expect(limiter.budget(patch)).toMatchObject({ remaining: 0, nextInMs: 200 });
    expect(limiter.budget("getOrders").remaining).toBe(20);
  });

  it("tells listeners which operation waits, and for how long", async () => {
    const time = createVirtualTime();
    const limiter = createAmazonLimiter(on(time));
    const events: ThrottledEvent[] = [];
    limiter.onThrottled((event) => events.push(event));
    const operation = "getInventorySummaries";
    await time.run(Promise.all([1, 2, 3].map(() => limiter.acquire(1, { operation }))));
    expect(events).toMatchObject([{ platform: "amazon", operation, cost: 1, waitMs: 500 }]);
  });
});
