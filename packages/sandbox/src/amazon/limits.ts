import { TokenBucket } from "../common/token-bucket.js";

/** Default usage plans (rate per second, burst) of the operations served. */
const PLANS: Readonly<Record<string, { rate: number; burst: number }>> = {
  getListingsItem: { rate: 5, burst: 10 },
  patchListingsItem: { rate: 5, burst: 5 },
  createFeedDocument: { rate: 0.5, burst: 15 },
  createFeed: { rate: 0.0083, burst: 15 },
  getFeed: { rate: 2, burst: 15 },
  getFeedDocument: { rate: 0.0222, burst: 10 },
  getOrders: { rate: 0.0167, burst: 20 },
  getOrderItems: { rate: 0.5, burst: 30 },
  getInventorySummaries: { rate: 2, burst: 2 },
  // JSON_LISTINGS_FEED has a limit of its own: 5 submissions per 5 minutes per region
  // (since 2025-05-06), as a bucket of 5 that refills one every minute.
  "createFeed:JSON_LISTINGS_FEED": { rate: 5 / 300, burst: 5 },
};

const operations: readonly [string, RegExp][] = [
  ["GET", /^\/listings\/2021-08-01\/items\/[^/]+\/[^/]+$/],
  ["PATCH", /^\/listings\/2021-08-01\/items\/[^/]+\/[^/]+$/],
  ["POST", /^\/feeds\/2021-06-30\/documents$/],
  ["POST", /^\/feeds\/2021-06-30\/feeds$/],
  ["GET", /^\/feeds\/2021-06-30\/feeds\/[^/]+$/],
  ["GET", /^\/feeds\/2021-06-30\/documents\/[^/]+$/],
  ["GET", /^\/orders\/v0\/orders$/],
  ["GET", /^\/orders\/v0\/orders\/[^/]+\/orderItems$/],
  ["GET", /^\/fba\/inventory\/v1\/summaries$/],
];
const operationNames = [
  "getListingsItem",
  "patchListingsItem",
  "createFeedDocument",
  "createFeed",
  "getFeed",
  "getFeedDocument",
  "getOrders",
  "getOrderItems",
  "getInventorySummaries",
];

/** The operation a request calls (`undefined` outside the API's paths). */
export function operationOf(request: Request): string | undefined {
  const path = new URL(request.url).pathname;
  const index = operations.findIndex(
    ([method, pattern]) => method === request.method && pattern.test(path),
  );
  return operationNames[index];
}

/** The `x-amzn-RateLimit-Limit` of an operation: its rate per second. */
export function rateOf(operation: string): number {
  return (PLANS[operation] as { rate: number }).rate;
}

/** Per-operation usage plans: a bucket of `burst` requests refilled at `rate` per second. */
export interface AmazonLimits {
  /** Spends one request of an operation's bucket; `false` when it is empty. */
  admit(operation: string, now: number): boolean;
}

/** Creates the buckets, each full when its operation is first called. */
export function createAmazonLimits(): AmazonLimits {
  const buckets = new Map<string, TokenBucket>();
  return {
    admit(operation, now) {
      const plan = PLANS[operation] ?? { rate: 1, burst: 1 };
      const bucket = buckets.get(operation) ?? new TokenBucket(plan.burst, plan.rate, now);
      bucket.refill(now);
      buckets.set(operation, bucket);
      if (bucket.level < 1) return false;
      bucket.spend(1);
      return true;
    },
  };
}
