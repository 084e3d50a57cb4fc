/**
 * The public surface of @omnistock/shopify, pinned: each entry point's runtime exports by name, and
 * its type-only exports by a tuple that stops typechecking when one is removed. A change to
 * these lists is a deliberate change of the package's surface, and gets a changeset.
 */
import { describe, expect, expectTypeOf, it } from "vitest";
import type * as Api from "../src/index.js";

/** The type-only exports of @omnistock/shopify. */
type TypeExports = [
  Api.ShopifyClient,
  Api.ShopifyClientOptions,
  Api.ShopifyIdType,
  Api.ShopifyItemResolution,
  Api.ShopifyLevelRef,
  Api.ShopifyLineFacts,
  Api.ShopifyLineItemRecord,
  Api.ShopifyLocationEntry,
  Api.ShopifyLocationRecord,
  Api.ShopifyMapping,
  Api.ShopifyMappingOptions,
  Api.ShopifyOperation,
  Api.ShopifyOrderContext,
  Api.ShopifyOrderFacts,
  Api.ShopifyOrderRecord,
  Api.ShopifyOrderSourceOptions,
  Api.ShopifyOrdersPage,
  Api.ShopifyPublisherOptions,
  Api.ShopifyQuantityInput,
  Api.ShopifyReceiverSigning,
  Api.ShopifyReceiverWarning,
  Api.ShopifyRefundFacts,
  Api.ShopifyRefundLineRecord,
  Api.ShopifySetQuantitiesInput,
  Api.ShopifyUserError,
  Api.ShopifyVariantRecord,
  Api.ShopifyWebhookHeadersOptions,
  Api.ShopifyWebhookReceiverOptions,
  Api.ShopifyWebhookTopic,
];

describe("public surface", () => {
  it("the public surface of @omnistock/shopify is exactly this list", async () => {
    expect(Object.keys(await import("../src/index.js")).sort()).toEqual([
      "SHOPIFY_API_VERSION",
      "SHOPIFY_MAX_BATCH",
      "SHOPIFY_MAX_QUANTITY",
      "SHOPIFY_WEBHOOK_TOPICS",
      "createShopifyClient",
      "createShopifyMapping",
      "createShopifyOrderSource",
      "createShopifyPublisher",
      "createShopifyWebhookReceiver",
      "legacyId",
      "setQuantitiesKey",
      "shopifyGid",
      "shopifyOrderEventId",
      "shopifyOrderReport",
      "shopifyRefundReport",
      "shopifyWebhookHeaders",
      "signShopifyWebhook",
    ]);
    expectTypeOf<TypeExports>().toHaveProperty("length").toEqualTypeOf<29>();
  });
  it("exports no zod schema: zod stays out of the public surface (docs/architecture.md)", async () => {
    const api: Record<string, unknown> = await import("../src/index.js");
    const schemas = Object.keys(api).filter((name) => {
      const value = api[name];
      return (
        (typeof value === "object" || typeof value === "function") &&
        value !== null &&
        "_zod" in value
      );
    });
    expect(schemas).toEqual([]);
  });
});
