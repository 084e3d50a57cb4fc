/**
 * The public surface of @omnistock/sandbox, pinned: each entry point's runtime exports by name, and
 * its type-only exports by a tuple that stops typechecking when one is removed. A change to
 * these lists is a deliberate change of the package's surface, and gets a changeset.
 */
import { describe, expect, expectTypeOf, it } from "vitest";
import type * as Api from "../src/index.js";

/** The type-only exports of @omnistock/sandbox. */
type TypeExports = [
  Api.ActionLine,
  Api.AmazonControl,
  Api.AmazonListing,
  Api.AmazonOrder,
  Api.AmazonServer,
  Api.AmazonServerOptions,
  Api.ApiFaults,
  Api.BigCommerceControl,
  Api.BigCommerceOrder,
  Api.BigCommerceServer,
  Api.BigCommerceServerOptions,
  Api.BigCommerceShipment,
  Api.BigCommerceVariant,
  Api.DeliverWebhook,
  Api.Faults,
  Api.FetchHandler,
  Api.InventoryTracking,
  Api.LightspeedControl,
  Api.LightspeedOutlet,
  Api.LightspeedProduct,
  Api.LightspeedSale,
  Api.LightspeedServer,
  Api.LightspeedServerOptions,
  Api.LightspeedWebhookType,
  Api.OutgoingWebhook,
  Api.PlatformServer,
  Api.PlayOptions,
  Api.QuantityName,
  Api.Random,
  Api.RateLimitedAnswer,
  Api.Sandbox,
  Api.SandboxOptions,
  Api.SandboxPlatform<never, never>,
  Api.ServeOptions,
  Api.ServedHandler,
  Api.ShopifyControl,
  Api.ShopifyServer,
  Api.ShopifyServerOptions,
  Api.ShopifyTopic,
  Api.StoreAction,
  Api.StoreActionHandlers,
  Api.TradingDayOptions,
  Api.WebhookDispatcher,
  Api.WebhookDispatcherOptions,
  Api.WebhookFaults,
];

describe("public surface", () => {
  it("the public surface of @omnistock/sandbox is exactly this list", async () => {
    expect(Object.keys(await import("../src/index.js")).sort()).toEqual([
      "SHOPIFY_SDL",
      "createAmazonServer",
      "createBigCommerceServer",
      "createLightspeedServer",
      "createRandom",
      "createShopifyServer",
      "createWebhookDispatcher",
      "planTradingDay",
      "playTradingDay",
      "serve",
      "startSandbox",
      "withApiFaults",
    ]);
    expectTypeOf<TypeExports>().toHaveProperty("length").toEqualTypeOf<45>();
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
