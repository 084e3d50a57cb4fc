import { json } from "../common/http.js";
import { TokenBucket } from "../common/token-bucket.js";
import type { Clock } from "../common/types.js";

/** The shop's leaky bucket of query points. */
export interface ShopifyLimits {
  readonly bucket: TokenBucket;
  /** `extensions.cost.throttleStatus` as of `now` (refilling first). */
  throttleStatus(now: number): {
    maximumAvailable: number;
    currentlyAvailable: number;
    restoreRate: number;
  };
  /** Shopify's throttled answer, with the cost the refused query asked for. */
  rateLimitedResponse(requestedQueryCost?: number): Response;
}

/** Creates a full bucket of `plan.bucket` points restored at `plan.restore` per second. */
export function createShopifyLimits(
  plan: { readonly bucket: number; readonly restore: number },
  clock: Clock,
): ShopifyLimits {
  const bucket = new TokenBucket(plan.bucket, plan.restore, clock());
  function throttleStatus(now: number) {
    bucket.refill(now);
    return {
      maximumAvailable: plan.bucket,
      currentlyAvailable: Math.floor(bucket.level),
      restoreRate: plan.restore,
    };
  }
  return {
    bucket,
    throttleStatus,
    rateLimitedResponse(requestedQueryCost = 0): Response {
      return json(200, {
        errors: [
          {
            message: "Throttled",
            extensions: {
              code: "THROTTLED",
              documentation: "https://shopify.dev/api/usage/rate-limits",
            },
          },
        ],
        extensions: {
          cost: {
            requestedQueryCost,
            actualQueryCost: null,
            throttleStatus: throttleStatus(clock()),
          },
        },
      });
    },
  };
}
