import {
  BaseLimiter,
  type LimiterTimeOptions,
  type RateBudget,
  type RateObservation,
  TokenBucket,
} from "../limiter.js";
import { parseRetryAfter } from "../retry-after.js";

/** One SP-API operation's usage plan: requests per second and burst. */
export interface AmazonRate {
  readonly rate: number;
  readonly burst: number;
}

/** The usage plans of the operations Omnistock calls, as Amazon publishes them. */
export const AMAZON_RATES: Readonly<Record<string, AmazonRate>> = {
  patchListingsItem: { rate: 5, burst: 5 },
  getListingsItem: { rate: 5, burst: 10 },
  createFeedDocument: { rate: 0.5, burst: 15 },
  createFeed: { rate: 0.0083, burst: 15 },
  getFeed: { rate: 2, burst: 15 },
  getFeedDocument: { rate: 0.0222, burst: 10 },
  getOrders: { rate: 0.0167, burst: 20 },
  getOrderItems: { rate: 0.5, burst: 30 },
  getInventorySummaries: { rate: 2, burst: 2 },
};

/** Options of {@link createAmazonLimiter}. */
export interface AmazonLimiterOptions extends LimiterTimeOptions {
  /** Usage plans by operation, over {@link AMAZON_RATES}. */
  readonly rates?: Readonly<Record<string, AmazonRate>>;
  /**
   * The plan of an operation not listed.
   * @default { rate: 1, burst: 1 }
   */
  readonly fallback?: AmazonRate;
}

class AmazonLimiter extends BaseLimiter {
  readonly platform = "amazon" as const;
  readonly #rates: Readonly<Record<string, AmazonRate>>;
  readonly #fallback: AmazonRate;
  readonly #buckets = new Map<string, TokenBucket>();

  constructor(options: AmazonLimiterOptions) {
    super(options);
    this.#rates = { ...AMAZON_RATES, ...options.rates };
    this.#fallback = options.fallback ?? { rate: 1, burst: 1 };
  }

  #bucket(operation = "default", now = this.clock()): TokenBucket {
    let bucket = this.#buckets.get(operation);
    if (bucket === undefined) {
      const { rate, burst } = this.#rates[operation] ?? this.#fallback;
      bucket = new TokenBucket(burst, rate, now);
      this.#buckets.set(operation, bucket);
    }
    return bucket;
  }

  protected waitFor(cost: number, now: number, operation?: string): number {
    return this.#bucket(operation, now).waitFor(cost, now);
  }

  protected spend(cost: number, now: number, operation?: string): void {
    this.#bucket(operation, now).spend(cost, now);
  }

  protected rawBudget(now: number, operation?: string): Omit<RateBudget, "blockedUntil"> {
    const bucket = this.#bucket(operation, now);
    return {
      platform: this.platform,
      ...(operation === undefined ? {} : { operation }),
      limit: bucket.capacity,
      remaining: Math.floor(bucket.level(now)),
      nextInMs: bucket.waitFor(1, now),
    };
  }

  observe({ status, headers, operation }: RateObservation): void {
    const now = this.clock();
    const bucket = this.#bucket(operation, now);
    // Amazon states the operation's current rate on every answer; it may differ by seller.
    const rate = Number(headers.get("x-amzn-ratelimit-limit"));
    if (Number.isFinite(rate) && rate > 0) bucket.perSecond = rate;
    if (status === 429) {
      bucket.set(0, now);
      const wait = parseRetryAfter(headers.get("retry-after"), now);
      if (wait !== undefined) this.block(now + wait);
    }
  }
}

/**
 * The Amazon SP-API limiter: a token bucket per operation with the operation's rate and
 * burst (patchListingsItem: 5 per second, burst 5), the rate kept in step with
 * `x-amzn-RateLimit-Limit`. Pass the operation name to `acquire`.
 *
 * @example
 * ```ts
 * const limiter = createAmazonLimiter();
 * await limiter.acquire(1, { operation: "patchListingsItem" });
 * ```
 */
export function createAmazonLimiter(options: AmazonLimiterOptions = {}): BaseLimiter {
  return new AmazonLimiter(options);
}
