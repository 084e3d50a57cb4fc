import { z } from "zod";
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

/**
 * Shopify's GraphQL Admin API plans: bucket size (`maximumAvailable`, points) and restore
 * rate (points per second). The first answer's `throttleStatus` replaces them, so a wrong
 * plan costs at most the first request's pacing.
 *
 * @example
 * ```ts
 * SHOPIFY_PLANS.plus; // { bucketSize: 20000, restoreRate: 1000 }
 * ```
 */
export const SHOPIFY_PLANS = {
  standard: { bucketSize: 2_000, restoreRate: 100 },
  advanced: { bucketSize: 4_000, restoreRate: 200 },
  plus: { bucketSize: 20_000, restoreRate: 1_000 },
  enterprise: { bucketSize: 40_000, restoreRate: 2_000 },
} as const;

/** A Shopify plan name: a key of {@link SHOPIFY_PLANS}. */
export type ShopifyPlan = keyof typeof SHOPIFY_PLANS;

/** Options of {@link createShopifyLimiter}. */
export interface ShopifyLimiterOptions extends LimiterTimeOptions {
  /**
   * The store's plan, for the bucket until the first answer reports it.
   * @default "standard"
   */
  readonly plan?: ShopifyPlan;
  /**
   * The bucket size in points, over the plan's (development stores have far smaller ones).
   * @default the plan's
   */
  readonly bucketSize?: number;
  /**
   * Points restored per second, over the plan's.
   * @default the plan's
   */
  readonly restoreRate?: number;
}

/** Shopify's `extensions.cost` of a GraphQL answer, as typed data. */
export interface ShopifyQueryCost {
  /** What the query was charged up front. */
  readonly requestedQueryCost?: number;
  /** What it really cost (the difference is refunded); `null` when it did not run. */
  readonly actualQueryCost?: number | null;
  readonly throttleStatus?: {
    /** The bucket size. */
    readonly maximumAvailable?: number;
    /** Points in the bucket after this query. */
    readonly currentlyAvailable?: number;
    /** Points restored per second. */
    readonly restoreRate?: number;
  };
}

const costSchema = z.looseObject({
  extensions: z.looseObject({
    cost: z.looseObject({
      requestedQueryCost: z.number().optional(),
      actualQueryCost: z.number().nullable().optional(),
      throttleStatus: z
        .looseObject({
          maximumAvailable: z.number().optional(),
          currentlyAvailable: z.number().optional(),
          restoreRate: z.number().optional(),
        })
        .optional(),
    }),
  }),
});

/**
 * Reads `extensions.cost` from a Shopify GraphQL answer's parsed body; `undefined` when the
 * body has none or it does not have Shopify's shape.
 *
 * @example
 * ```ts
 * const cost = readShopifyQueryCost(response.body);
 * cost?.throttleStatus?.currentlyAvailable; // 1989
 * ```
 */
export function readShopifyQueryCost(body: unknown): ShopifyQueryCost | undefined {
  const parsed = costSchema.safeParse(body);
  if (!parsed.success) return undefined;
  const { requestedQueryCost, actualQueryCost, throttleStatus } = parsed.data.extensions.cost;
  return {
    ...(requestedQueryCost === undefined ? {} : { requestedQueryCost }),
    ...(actualQueryCost === undefined ? {} : { actualQueryCost }),
    ...(throttleStatus === undefined
      ? {}
      : {
          throttleStatus: {
            ...(throttleStatus.maximumAvailable === undefined
              ? {}
              : { maximumAvailable: throttleStatus.maximumAvailable }),
            ...(throttleStatus.currentlyAvailable === undefined
              ? {}
              : { currentlyAvailable: throttleStatus.currentlyAvailable }),
            ...(throttleStatus.restoreRate === undefined
              ? {}
              : { restoreRate: throttleStatus.restoreRate }),
          },
        }),
  };
}

const throttledSchema = z.looseObject({
  errors: z.array(z.looseObject({ extensions: z.looseObject({ code: z.string() }).optional() })),
});

/**
 * Whether a Shopify GraphQL answer is a `THROTTLED` refusal — Shopify sends it with a 2xx
 * status and no `data` — and how long to wait: the points missing for the requested cost,
 * at the restore rate. Pass it as the client's `throttledBody` for Shopify.
 *
 * @example
 * ```ts
 * const shopify = createHttpClient({
 *   platform: "shopify",
 *   baseUrl: "https://example.myshopify.com/admin/api/2026-04",
 *   limiter: createShopifyLimiter(),
 *   throttledBody: shopifyThrottledBody,
 * });
 * ```
 */
export function shopifyThrottledBody(
  body: unknown,
): { readonly retryAfterMs?: number } | undefined {
  const parsed = throttledSchema.safeParse(body);
  if (!parsed.success) return undefined;
  if (!parsed.data.errors.some((error) => error.extensions?.code === "THROTTLED")) return undefined;
  const cost = readShopifyQueryCost(body);
  const requested = cost?.requestedQueryCost;
  const available = cost?.throttleStatus?.currentlyAvailable;
  const rate = cost?.throttleStatus?.restoreRate;
  if (requested === undefined || available === undefined || rate === undefined || rate <= 0) {
    return {};
  }
  return { retryAfterMs: Math.max(0, Math.ceil(((requested - available) / rate) * 1000)) };
}

/** What a 429 with no readable `Retry-After` waits, in milliseconds. */
const FALLBACK_BLOCK_MS = 1_000;

const schema = z.strictObject({
  ...limiterTime,
  plan: z.enum(Object.keys(SHOPIFY_PLANS) as [ShopifyPlan, ...ShopifyPlan[]]).optional(),
  bucketSize: positive.optional(),
  restoreRate: positive.optional(),
});

class ShopifyLimiter extends BaseLimiter {
  readonly platform = "shopify" as const;
  readonly #bucket: TokenBucket;

  constructor(options: ShopifyLimiterOptions) {
    super(options);
    const plan = SHOPIFY_PLANS[options.plan ?? "standard"];
    this.#bucket = new TokenBucket(
      options.bucketSize ?? plan.bucketSize,
      options.restoreRate ?? plan.restoreRate,
      this.clock(),
    );
  }

  // Shopify charges a query when it arrives, and its bucket stops refilling when full: until
  // their answers, the queries in flight are held out of our bucket's ceiling.
  protected waitFor(cost: number, now: number): number {
    this.#bucket.hold(this.inFlight(), now);
    return this.#bucket.waitFor(cost, now);
  }

  protected spend(cost: number, now: number): void {
    this.#bucket.spend(cost, now);
    this.#bucket.hold(this.inFlight() + cost, now);
  }

  protected rawBudget(now: number): Pick<RateBudget, "limit" | "remaining" | "nextInMs"> {
    return {
      limit: this.#bucket.capacity,
      remaining: this.#bucket.level(now),
      nextInMs: this.#bucket.waitFor(1, now),
    };
  }

  protected learn(
    { status, headers, body, cost: charged }: RateObservation,
    now: number,
    inFlight: number,
  ): void {
    this.#bucket.hold(inFlight, now);
    const cost = readShopifyQueryCost(body);
    const throttle = cost?.throttleStatus;
    if (throttle?.maximumAvailable !== undefined && throttle.maximumAvailable > 0) {
      this.#bucket.capacity = throttle.maximumAvailable;
    }
    if (throttle?.restoreRate !== undefined && throttle.restoreRate > 0) {
      this.#bucket.perSecond = throttle.restoreRate;
    }
    // What the query really cost, against what we charged for it: a refund, or nothing
    // charged at all when it was throttled (`actualQueryCost: null`).
    if (charged !== undefined && cost?.actualQueryCost !== undefined) {
      this.#bucket.credit(charged - (cost.actualQueryCost ?? 0), now);
    }
    // Our estimate already holds every query we sent; the store's level may be older than
    // answers already read, so it can only tell us of points spent elsewhere (another
    // process of the same app): it lowers the estimate, never raises it.
    if (throttle?.currentlyAvailable !== undefined) {
      this.#bucket.lower(throttle.currentlyAvailable, now);
    }
    if (status === 429) {
      this.block(now + (parseRetryAfter(headers.get("retry-after"), now) ?? FALLBACK_BLOCK_MS));
    }
  }
}

/**
 * Creates the Shopify GraphQL limiter: a leaky bucket of query-cost points per store
 * (2,000 points restoring 100 per second on the standard plan), set from each answer's
 * `extensions.cost.throttleStatus`. Acquire the query's requested cost before sending;
 * Shopify refunds what the query did not use, and the next answer's status shows it.
 *
 * @throws {@link OmnistockError} `VALIDATION` naming every unknown or invalid option.
 * @example
 * ```ts
 * const limiter = createShopifyLimiter({ plan: "plus" });
 * await limiter.acquire(11); // one 250-item inventorySetQuantities
 * ```
 */
export function createShopifyLimiter(options: ShopifyLimiterOptions = {}): RateLimiter {
  checkOptions(schema, options, "Shopify limiter options");
  return new ShopifyLimiter(options);
}
