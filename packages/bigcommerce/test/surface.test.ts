/**
 * The public surface of @omnistock/bigcommerce, pinned: each entry point's runtime exports by name, and
 * its type-only exports by a tuple that stops typechecking when one is removed. A change to
 * these lists is a deliberate change of the package's surface, and gets a changeset.
 */
import { describe, expect, expectTypeOf, it } from "vitest";
import type * as Api from "../src/index.js";

/** The type-only exports of @omnistock/bigcommerce. */
type TypeExports = [
  Api.AbsoluteAdjustmentItem,
  Api.AdjustAbsoluteOptions,
  Api.BigCommerceClient,
  Api.BigCommerceClientOptions,
  Api.BigCommerceDiscovery,
  Api.BigCommerceInventoryItem,
  Api.BigCommerceInventoryTracking,
  Api.BigCommerceListing,
  Api.BigCommerceLocationOptions,
  Api.BigCommerceLocationRecord,
  Api.BigCommerceOrderMapping,
  Api.BigCommerceOrderProductRecord,
  Api.BigCommerceOrderRecord,
  Api.BigCommerceOrderSourceOptions,
  Api.BigCommerceProductRecord,
  Api.BigCommercePublisher,
  Api.BigCommercePublisherOptions,
  Api.BigCommerceReceiverSigning,
  Api.BigCommerceReceiverWarning,
  Api.BigCommerceShipmentRecord,
  Api.BigCommerceVariantRecord,
  Api.BigCommerceWebhookReceiverOptions,
];

describe("public surface", () => {
  it("the public surface of @omnistock/bigcommerce is exactly this list", async () => {
    expect(Object.keys(await import("../src/index.js")).sort()).toEqual([
      "BIGCOMMERCE_MAX_QUANTITY",
      "INVENTORY_WEBHOOK_SCOPES",
      "MAX_ADJUSTMENT_ITEMS",
      "MAX_QUANTITY",
      "ORDER_STATUSES",
      "ORDER_WEBHOOK_SCOPES",
      "SHIPMENT_WEBHOOK_SCOPES",
      "channelOrderOf",
      "createBigCommerceClient",
      "createBigCommerceOrderSource",
      "createBigCommercePublisher",
      "createBigCommerceWebhookReceiver",
      "fetchChannelOrder",
    ]);
    expectTypeOf<TypeExports>().toHaveProperty("length").toEqualTypeOf<22>();
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
