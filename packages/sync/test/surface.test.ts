/**
 * The public surface of @omnistock/sync, pinned: each entry point's runtime exports by name, and
 * its type-only exports by a tuple that stops typechecking when one is removed. A change to
 * these lists is a deliberate change of the package's surface, and gets a changeset.
 */
import { describe, expect, expectTypeOf, it } from "vitest";
import type * as Api from "../src/index.js";
import type * as Testing from "../src/testing.js";

/** The type-only exports of @omnistock/sync. */
type TypeExports = [
  Api.ApplyChanges<never>,
  Api.ApplyOutcome<never>,
  Api.ApplyUnit<never>,
  Api.ApplyView,
  Api.DispatchOptions,
  Api.HeldOrder,
  Api.HeldOrderResolution,
  Api.HoldReason,
  Api.IngestResult,
  Api.LeaseRenewal,
  Api.LeaseRequest,
  Api.ListingInFlight,
  Api.ListingState,
  Api.Logger,
  Api.NodeHandlerOptions,
  Api.OrderHold,
  Api.OrderRecord,
  Api.OutboxAck,
  Api.OutboxEntry,
  Api.OutboxNack,
  Api.OutboxPark,
  Api.OutboxWrite,
  Api.OversoldPolicy,
  Api.ParkedEntry,
  Api.PollingOptions,
  Api.PublishedValue,
  Api.SyncEngine,
  Api.SyncEngineOptions,
  Api.SyncEvent,
  Api.SyncEventType,
  Api.SyncMetrics,
  Api.SyncStore,
  Api.SyncTenantOptions,
  Api.WebhookOptions,
];

/** The type-only exports of @omnistock/sync/testing. */
type TestingTypeExports = [
  Testing.StoreContractOptions,
  Testing.StoreFactory,
  Testing.StoreFixture,
];

describe("public surface", () => {
  it("the public surface of @omnistock/sync is exactly this list", async () => {
    expect(Object.keys(await import("../src/index.js")).sort()).toEqual([
      "LatencyHistogram",
      "createMemoryStore",
      "createSyncEngine",
      "orderKey",
      "orderReference",
      "silentLogger",
      "toNodeHandler",
    ]);
    expectTypeOf<TypeExports>().toHaveProperty("length").toEqualTypeOf<34>();
  });
  it("the public surface of @omnistock/sync/testing is exactly this list", async () => {
    expect(Object.keys(await import("../src/testing.js")).sort()).toEqual(["runStoreContract"]);
    expectTypeOf<TestingTypeExports>().toHaveProperty("length").toEqualTypeOf<3>();
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
