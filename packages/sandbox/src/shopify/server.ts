import { buildSchema } from "graphql";
import { json } from "../common/http.js";
import { createRandom } from "../common/random.js";
import type { Clock, DeliverWebhook, PlatformServer } from "../common/types.js";
import { createShopifyControl, type ShopifyControl } from "./control.js";
import { createGraphqlEndpoint } from "./endpoint.js";
import { createShopifyLimits } from "./limits.js";
import { createShopifyMutations } from "./mutations.js";
import { createShopifyNodes } from "./nodes.js";
import { levelPayload } from "./payloads.js";
import { createShopifyResolvers } from "./resolvers.js";
import { SHOPIFY_SDL } from "./schema.js";
import { createShopifyState } from "./state.js";
import { createShopifyWebhooks } from "./webhooks.js";

export type { ShopifyControl } from "./control.js";
export type { QuantityName } from "./state.js";
export type { ShopifyTopic } from "./webhooks.js";

/** Shopify plans: bucket size (points) and restore rate (points per second). */
const PLANS = {
  standard: { bucket: 2_000, restore: 100 },
  advanced: { bucket: 4_000, restore: 200 },
  plus: { bucket: 20_000, restore: 1_000 },
  enterprise: { bucket: 40_000, restore: 2_000 },
} as const;

/** Options of {@link createShopifyServer}. */
export interface ShopifyServerOptions {
  /** @default "sandbox-1.myshopify.com" */
  readonly shop?: string;
  /** @default "shpat_sandbox" */
  readonly accessToken?: string;
  /** The app's secret: webhooks are signed with it. @default "shpss_sandbox" */
  readonly webhookSecret?: string;
  /** @default "standard" */
  readonly plan?: keyof typeof PLANS;
  /**
   * The bucket size in points, over the plan's (development stores have far smaller
   * buckets, and Shopify has changed the standard plan's over time).
   * @default the plan's
   */
  readonly bucketSize?: number;
  /**
   * Points restored per second, over the plan's.
   * @default the plan's
   */
  readonly restoreRate?: number;
  readonly deliver?: DeliverWebhook;
  /** @default Date.now */
  readonly clock?: Clock;
  /** @default 1 */
  readonly seed?: number;
}

/** A running fake Shopify store. */
export interface ShopifyServer extends PlatformServer {
  readonly platform: "shopify";
  readonly control: ShopifyControl;
  readonly credentials: {
    readonly shop: string;
    readonly accessToken: string;
    readonly webhookSecret: string;
    readonly apiVersion: "2026-04";
  };
  /**
   * Shopify's own throttled answer, for fault injection: `THROTTLED` with the bucket's
   * status, and the cost the refused query asked for where known.
   */
  rateLimitedResponse(requestedQueryCost?: number): Response;
}

/**
 * A fake Shopify store's Admin GraphQL API (2026-04), executed with the `graphql`
 * library against {@link SHOPIFY_SDL}: locations, variants and inventory items by SKU,
 * inventory levels with named quantities, `inventorySetQuantities` (250 items, the
 * required `changeFromQuantity` compare-and-set, the required `@idempotent` key,
 * `userErrors`), `inventoryAdjustQuantities`, `inventoryActivate` and orders; query cost
 * by Shopify's rules, a leaky bucket per shop with `extensions.cost` and `THROTTLED`; and
 * signed webhooks.
 */
export function createShopifyServer(options: ShopifyServerOptions = {}): ShopifyServer {
  const clock = options.clock ?? Date.now;
  const random = createRandom(options.seed ?? 1);
  const shop = options.shop ?? "sandbox-1.myshopify.com";
  const accessToken = options.accessToken ?? "shpat_sandbox";
  const webhookSecret = options.webhookSecret ?? "shpss_sandbox";
  const planned = PLANS[options.plan ?? "standard"];
  const plan: { readonly bucket: number; readonly restore: number } = {
    bucket: options.bucketSize ?? planned.bucket,
    restore: options.restoreRate ?? planned.restore,
  };
  const schema = buildSchema(SHOPIFY_SDL);

  const state = createShopifyState();
  const webhooks = createShopifyWebhooks({
    clock,
    random,
    shop,
    webhookSecret,
    deliver: options.deliver,
  });
  const emitLevel = (itemId: string, locationId: string) =>
    webhooks.emit("inventory_levels/update", levelPayload(state, clock, itemId, locationId));
  const control = createShopifyControl(state, webhooks, emitLevel, clock);
  const limits = createShopifyLimits(plan, clock);
  const answer = createGraphqlEndpoint({
    schema,
    limits,
    clock,
    rootValue: createShopifyResolvers(
      state,
      createShopifyNodes(state),
      createShopifyMutations(state, emitLevel, clock),
    ),
  });

  return {
    platform: "shopify",
    control,
    credentials: { shop, accessToken, webhookSecret, apiVersion: "2026-04" },
    rateLimitedResponse: limits.rateLimitedResponse,
    async fetch(request) {
      const url = new URL(request.url);
      if (request.method !== "POST" || url.pathname !== "/admin/api/2026-04/graphql.json")
        return json(404, { errors: "Not Found" });
      if (request.headers.get("x-shopify-access-token") !== accessToken) {
        return json(401, {
          errors: "[API] Invalid API key or access token (unrecognized login or wrong password)",
        });
      }
      return answer(request);
    },
  };
}
