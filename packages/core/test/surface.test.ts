/**
 * The public surface of @omnistock/core, pinned: each entry point's runtime exports by name, and
 * its type-only exports by a tuple that stops typechecking when one is removed. A change to
 * these lists is a deliberate change of the package's surface, and gets a changeset.
 */
import { describe, expect, expectTypeOf, it } from "vitest";
import type * as Api from "../src/index.js";

/** The type-only exports of @omnistock/core. */
type TypeExports = [
  Api.AllocationLine,
  Api.Assignment,
  Api.BufferOutcome,
  Api.BufferRule,
  Api.Catalog,
  Api.CatalogConfig,
  Api.ChannelConfig,
  Api.ChannelLevel,
  Api.ChannelListingRef,
  Api.ChannelOrder,
  Api.ChannelOrderLine,
  Api.ChannelPublisher,
  Api.ChannelSlot,
  Api.ChannelUpdate,
  Api.CompiledChannel,
  Api.CompiledListing,
  Api.CompiledPool,
  Api.ComponentExplanation,
  Api.CountedLevel,
  Api.DispatchAction,
  Api.ExplainOptions,
  Api.Explanation,
  Api.JournalEntry,
  Api.LedgerResult,
  Api.ListingRef,
  Api.LocationFeed,
  Api.LowStockTier,
  Api.OmnistockErrorOptions,
  Api.OmnistockErrorTraits,
  Api.OrderRead,
  Api.OrderSource,
  Api.PendingPublish,
  Api.PlatformName,
  Api.Position,
  Api.PositionBreakdown,
  Api.PositionSource,
  Api.PublishOutcome,
  Api.PublishedLookup,
  Api.QuantityToPublish,
  Api.RecordedSale,
  Api.Reservation,
  Api.ReturnToRecord,
  Api.RoleCallOptions,
  Api.RouteOrderOptions,
  Api.Routing,
  Api.SaleToRecord,
  Api.SalesOrderSink,
  Api.SeenEvent,
  Api.SettledTotals,
  Api.SkuMapping,
  Api.SkuMappingEntry,
  Api.SkuQuantity,
  Api.SlotQuantity,
  Api.SourceExplanation,
  Api.StockEvent,
  Api.StockEventInput,
  Api.StockEventOf<never>,
  Api.StockEventType,
  Api.StockRead,
  Api.StockSource,
  Api.ToOmnistockErrorOptions,
  Api.ValidationIssue,
  Api.WebhookDelivery,
  Api.WebhookReceiver,
  Api.WebhookRequest,
  Api.WebhookResult,
];

describe("public surface", () => {
  it("the public surface of @omnistock/core is exactly this list", async () => {
    expect(Object.keys(await import("../src/index.js")).sort()).toEqual([
      "Allocation",
      "DEFAULT_URGENT_BELOW",
      "Ledger",
      "MAX_EVENT_QUANTITY",
      "OMNISTOCK_ERROR_TRAITS",
      "OmnistockError",
      "OmnistockErrorCode",
      "StockLevels",
      "allocate",
      "applyBuffer",
      "applyEvent",
      "availableAt",
      "channelOrderSchema",
      "compileCatalog",
      "createSkuMapping",
      "createWebhookReceiver",
      "dispatchActionOf",
      "emptyPosition",
      "expandBundles",
      "expandListingLines",
      "explainSlot",
      "findListing",
      "functionOption",
      "isOmnistockError",
      "listingKey",
      "objectWithMethods",
      "parseChannelOrders",
      "parseStockEvent",
      "parseStockEvents",
      "parseWith",
      "plan",
      "positionKey",
      "reallocate",
      "refOfSlot",
      "replay",
      "routeOrder",
      "routingCandidates",
      "settlePosition",
      "slotOf",
      "splitPositionKey",
      "stockEventSchema",
      "toOmnistockError",
      "validationError",
      "webhookStatusOf",
    ]);
    expectTypeOf<TypeExports>().toHaveProperty("length").toEqualTypeOf<66>();
  });
  it("exports no zod schema but the canonical model's and the option helpers the other packages share (docs/architecture.md)", async () => {
    const api: Record<string, unknown> = await import("../src/index.js");
    const schemas = Object.keys(api).filter((name) => {
      const value = api[name];
      return (
        (typeof value === "object" || typeof value === "function") &&
        value !== null &&
        "_zod" in value
      );
    });
    expect(schemas.sort()).toEqual(["channelOrderSchema", "functionOption", "stockEventSchema"]);
  });
});
