/**
 * The public surface of @omnistock/lightspeed, pinned: each entry point's runtime exports by name, and
 * its type-only exports by a tuple that stops typechecking when one is removed. A change to
 * these lists is a deliberate change of the package's surface, and gets a changeset.
 */
import { describe, expect, expectTypeOf, it } from "vitest";
import type * as Api from "../src/index.js";

/** The type-only exports of @omnistock/lightspeed. */
type TypeExports = [
  Api.CatalogueKey,
  Api.CatalogueLookup,
  Api.LightspeedAdjustmentReason,
  Api.LightspeedAuth,
  Api.LightspeedCatalogue,
  Api.LightspeedCatalogueOptions,
  Api.LightspeedClient,
  Api.LightspeedClientOptions,
  Api.LightspeedDecreaseReason,
  Api.LightspeedIncreaseReason,
  Api.LightspeedInventoryReading,
  Api.LightspeedInventoryRecord,
  Api.LightspeedOutletRecord,
  Api.LightspeedProductRecord,
  Api.LightspeedSaleRecord,
  Api.LightspeedSalesSinkOptions,
  Api.LightspeedStockSourceOptions,
  Api.LightspeedStockWriter,
  Api.LightspeedStockWriterOptions,
  Api.LightspeedWarning,
  Api.LightspeedWebhook,
  Api.LightspeedWebhookReceiverOptions,
  Api.ParseLightspeedWebhookOptions,
  Api.StockCorrection,
  Api.StockCorrectionResult,
];

describe("public surface", () => {
  it("the public surface of @omnistock/lightspeed is exactly this list", async () => {
    expect(Object.keys(await import("../src/index.js")).sort()).toEqual([
      "LIGHTSPEED_MAX_QUANTITY",
      "collectionSchema",
      "createLightspeedCatalogue",
      "createLightspeedClient",
      "createLightspeedSalesSink",
      "createLightspeedStockSource",
      "createLightspeedStockWriter",
      "createLightspeedWebhookReceiver",
      "inventorySchema",
      "inventoryWebhookSchema",
      "legacyQuantitySchema",
      "outletSchema",
      "parseLightspeedWebhook",
      "productSchema",
      "productWebhookSchema",
      "quantitySchema",
      "registerSaleAnswerSchema",
      "registerSchema",
      "returnReference",
      "saleReference",
      "saleSchema",
      "saleWebhookSchema",
      "tokenSchema",
      "versionRangeSchema",
    ]);
    expectTypeOf<TypeExports>().toHaveProperty("length").toEqualTypeOf<25>();
  });
});
