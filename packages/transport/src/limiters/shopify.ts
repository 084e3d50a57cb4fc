import {
  BaseLimiter,
  type LimiterTimeOptions,
  type RateBudget,
  type RateObservation,
  TokenBucket,
} from "../limiter.js";
import { parseRetryAfter } from "../retry-after.js";

/**
 * Shopify's GraphQL Admin API plans: bucket size (points) and restore rate (points per
 * second).
 */
export const SHOPIFY_PLANS = {
  standard: { bucketSize: 2_000, restoreRate: 100 },
  advanced: { bucketSize: 4_000, restoreRate: 200 },
  plus: { bucketSize: 20_000, restoreRate: 1_000 },
  enterprise: { bucketSize: 40_000, restoreRate: 2_000 },
} as const;

/** A Shopify plan name. */
export type ShopifyPlan = keyof typeof SHOPIFY_PLANS;

/** Options of {@link createShopifyLimiter}. */
export interface ShopifyLimiterOptions extends LimiterTimeOptions {
  /**
   * The store's plan, for the bucket until the first answer reports it.
   * @default "standard"
   */
  readonly plan?: ShopifyPlan;
}

/** Shopify's `extensions.cost` of a GraphQL answer. */
interface CostExtension {
  readonly requestedQueryCost?: number;
  readonly actualQueryCost?: number | null;
  readonly throttleStatus?: {
    readonly maximumAvailable?: number;
    readonly currentlyAvailable?: number;
    readonly restoreRate?: number;
  };
}

function costOf(body: unknown): CostExtension | undefined {
  if (typeof body !== "object" || body === null) return undefined;
  const extensions = (body as { extensions?: unknown }).extensions;
  if (typeof extensions !== "object" || extensions === null) return undefined;
  const cost = (extensions as { cost?: unknown }).cost;
  return typeof cost === "object" && cost !== null ? (cost as CostExtension) : undefined;
}

class ShopifyLimiter extends BaseLimiter {
  readonly platform = "shopify" as const;
  readonly #bucket: TokenBucket;

  constructor(options: ShopifyLimiterOptions) {
    super(options);
    const plan = SHOPIFY_PLANS[options.plan ?? "standard"];
    this.#bucket = new TokenBucket(plan.bucketSize, plan.restoreRate, this.clock());
  }

  protected waitFor(cost: number, now: number): number {
    return this.#bucket.waitFor(cost, now);
  }

  protected spend(cost: number, now: number): void {
    this.#bucket.spend(cost, now);
  }

  protected rawBudget(now: number): Omit<RateBudget, "blockedUntil"> {
    return {
      platform: this.platform,
      limit: this.#bucket.capacity,
      remaining: Math.floor(this.#bucket.level(now)),
      nextInMs: this.#bucket.waitFor(1, now),
    };
  }

  observe({ status, headers, body }: RateObservation): void {
    const now = this.clock();
    const cost = costOf(body);
    const throttle = cost?.throttleStatus;
    if (throttle !== undefined) {
      if (typeof throttle.maximumAvailable === "number")
        this.#bucket.capacity = throttle.maximumAvailable;
      if (typeof throttle.restoreRate === "number" && throttle.restoreRate > 0) {
        this.#bucket.perSecond = throttle.restoreRate;
      }
      if (typeof throttle.currentlyAvailable === "number")
        this.#bucket.set(throttle.currentlyAvailable, now);
    }
    if (status === 429)
      this.block(now + (parseRetryAfter(headers.get("retry-after"), now) ?? 1000));
  }
}

/**
 * The Shopify GraphQL limiter: a leaky bucket of query-cost points per store (2,000
 * points restoring 100 per second on the standard plan), set from each answer's
 * `extensions.cost.throttleStatus`. Acquire the query's requested cost before sending.
 *
 * @example
 * ```ts
 * const limiter = createShopifyLimiter({ plan: "plus" });
 * await limiter.acquire(11); // one 250-item inventorySetQuantities
 * ```
 */
export function createShopifyLimiter(options: ShopifyLimiterOptions = {}): BaseLimiter {
  return new ShopifyLimiter(options);
}
