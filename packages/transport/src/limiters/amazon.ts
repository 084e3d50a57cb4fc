import { z } from "zod";
import { numberHeader } from "../headers.js";
import {
  BaseLimiter,
  type LimiterTimeOptions,
  type RateBudget,
  type RateLimiter,
  type RateObservation,
  TokenBucket,
} from "../limiter.js";
import { checkOptions, limiterTime, positive } from "../options.js";
import { parseRetryAfter } from "../retry-after.js";

/** One SP-API operation's usage plan: requests restored per second, and the burst. */
export interface AmazonRate {
  /** Requests per second (the bucket's refill). */
  readonly rate: number;
  /** The bucket size: requests that may go at once after a quiet spell. */
  readonly burst: number;
}

/**
 * The default usage plans of the SP-API operations Omnistock calls, as Amazon publishes
 * them. Amazon may grant a seller more, and says so in `x-amzn-RateLimit-Limit`.
 *
 * @example
 * ```ts
 * AMAZON_RATES.patchListingsItem; // { rate: 5, burst: 5 }
 * ```
 */
export const AMAZON_RATES: Readonly<Record<string, AmazonRate>> = {
  getListingsItem: { rate: 5, burst: 10 },
  patchListingsItem: { rate: 5, burst: 5 },
  putListingsItem: { rate: 5, burst: 10 },
  deleteListingsItem: { rate: 5, burst: 5 },
  searchListingsItems: { rate: 5, burst: 5 },
  createFeedDocument: { rate: 0.5, burst: 15 },
  createFeed: { rate: 0.0083, burst: 15 },
  getFeed: { rate: 2, burst: 15 },
  getFeeds: { rate: 0.0222, burst: 10 },
  cancelFeed: { rate: 2, burst: 15 },
  getFeedDocument: { rate: 0.0222, burst: 10 },
  getOrders: { rate: 0.0167, burst: 20 },
  getOrder: { rate: 0.5, burst: 30 },
  getOrderItems: { rate: 0.5, burst: 30 },
  getOrderAddress: { rate: 0.5, burst: 30 },
  searchOrders: { rate: 0.0056, burst: 20 },
  getInventorySummaries: { rate: 2, burst: 2 },
  getMarketplaceParticipations: { rate: 0.016, burst: 15 },
};

/** Options of {@link createAmazonLimiter}. */
export interface AmazonLimiterOptions extends LimiterTimeOptions {
  /**
   * Usage plans by operation, over {@link AMAZON_RATES}.
   * @default AMAZON_RATES
   */
  readonly rates?: Readonly<Record<string, AmazonRate>>;
  /**
   * The plan of an operation not listed (and of requests that name none).
   * @default { rate: 1, burst: 1 }
   */
  readonly fallback?: AmazonRate;
}

const rateSchema = z.strictObject({ rate: positive, burst: positive });

const schema = z.strictObject({
  ...limiterTime,
  rates: z.record(z.string(), rateSchema).optional(),
  fallback: rateSchema.optional(),
});

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

  /** Each operation has a bucket of its own, so each waits in a line of its own. */
  protected override keyOf(operation?: string): string {
    return operation ?? "";
  }

  #bucket(operation: string | undefined, now: number): TokenBucket {
    const key = this.keyOf(operation);
    let bucket = this.#buckets.get(key);
    if (bucket === undefined) {
      const plan = operation === undefined ? undefined : this.#rates[operation];
      const { rate, burst } = plan ?? this.#fallback;
      bucket = new TokenBucket(burst, rate, now);
      this.#buckets.set(key, bucket);
    }
    return bucket;
  }

  protected waitFor(cost: number, now: number, operation?: string): number {
    return this.#bucket(operation, now).waitFor(cost, now);
  }

  protected spend(cost: number, now: number, operation?: string): void {
    this.#bucket(operation, now).spend(cost, now);
  }

  protected rawBudget(
    now: number,
    operation?: string,
  ): Pick<RateBudget, "limit" | "remaining" | "nextInMs"> {
    const bucket = this.#bucket(operation, now);
    return {
      limit: bucket.capacity,
      remaining: bucket.level(now),
      nextInMs: bucket.waitFor(1, now),
    };
  }

  protected learn({ status, headers, operation }: RateObservation, now: number): void {
    const bucket = this.#bucket(operation, now);
    // Amazon states the operation's rate for this seller on successful answers.
    const rate = numberHeader(headers, "x-amzn-ratelimit-limit");
    if (rate !== undefined && rate > 0) bucket.perSecond = rate;
    if (status === 429) {
      // QuotaExceeded: the bucket is empty, whatever we thought.
      bucket.lower(0, now);
      const wait = parseRetryAfter(headers.get("retry-after"), now);
      if (wait !== undefined) this.block(now + wait, operation);
    }
  }
}

/**
 * Creates the Amazon SP-API limiter: a token bucket per operation with the operation's
 * rate and burst (`patchListingsItem`: 5 per second, burst 5), the rate kept in step with
 * `x-amzn-RateLimit-Limit`. Pass the operation name to `acquire` and `observe`; operations
 * never wait for one another.
 *
 * @throws {@link OmnistockError} `VALIDATION` naming every unknown or invalid option.
 * @example
 * ```ts
 * const limiter = createAmazonLimiter();
 * await limiter.acquire(1, { operation: "patchListingsItem" });
 * ```
 */
export function createAmazonLimiter(options: AmazonLimiterOptions = {}): RateLimiter {
  checkOptions(schema, options, "Amazon limiter options");
  return new AmazonLimiter(options);
}
