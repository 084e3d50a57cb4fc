/**
 * The public surface of @omnistock/amazon, pinned: each entry point's runtime exports by name, and
 * its type-only exports by a tuple that stops typechecking when one is removed. A change to
 * these lists is a deliberate change of the package's surface, and gets a changeset.
 */
import { describe, expect, expectTypeOf, it } from "vitest";
import type * as Api from "../src/index.js";

/** The type-only exports of @omnistock/amazon. */
type TypeExports = [
  Api.AmazonClient,
  Api.AmazonClientOptions,
  Api.AmazonCredentials,
  Api.AmazonFeed,
  Api.AmazonInventorySummary,
  Api.AmazonListingItem,
  Api.AmazonListingMapping,
  Api.AmazonListingSubmission,
  Api.AmazonListings,
  Api.AmazonNotificationReceiverOptions,
  Api.AmazonOrderChange,
  Api.AmazonOrderFacts,
  Api.AmazonOrderItemRecord,
  Api.AmazonOrderRecord,
  Api.AmazonOrderSourceOptions,
  Api.AmazonOrderStatus,
  Api.AmazonOrdersPage,
  Api.AmazonProcessingReport,
  Api.AmazonPublisherOptions,
  Api.AmazonReceiverSigning,
  Api.AmazonReceiverWarning,
  Api.GetListingsItemRequest,
  Api.GetOrdersRequest,
  Api.ListingsPatchOperation,
  Api.PatchListingsItemRequest,
];

describe("public surface", () => {
  it("the public surface of @omnistock/amazon is exactly this list", async () => {
    expect(Object.keys(await import("../src/index.js")).sort()).toEqual([
      "AMAZON_MAX_QUANTITY",
      "AMAZON_SIGNATURE_HEADER",
      "FEED_MAX_BYTES",
      "FEED_MAX_MESSAGES",
      "JSON_LISTINGS_FEED_OPERATION",
      "JSON_LISTINGS_FEED_RATE",
      "LWA_TOKEN_URL",
      "amazonListings",
      "createAmazonClient",
      "createAmazonNotificationReceiver",
      "createAmazonOrderSource",
      "createAmazonPublisher",
      "orderStatusOf",
      "signAmazonNotification",
      "toChannelOrder",
    ]);
    expectTypeOf<TypeExports>().toHaveProperty("length").toEqualTypeOf<25>();
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
