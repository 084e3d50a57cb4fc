import {
  type ChannelOrder,
  isOmnistockError,
  OmnistockError,
  type SalesOrderSink,
  type StockEvent,
  type StockRead,
  type WebhookDelivery,
  type WebhookReceiver,
} from "@omnistock/core";
import { describe, expect, it } from "vitest";
import { createMemoryStore, createSyncEngine, type SyncEvent } from "../src/index.js";
import { catalog, counted, fakeChannel, fakeSource, fullSnapshot } from "./engine-fakes.js";

function setup(
  snapshot: () => Promise<StockRead> | StockRead = () => ({
    events: fullSnapshot(),
    cursor: "1",
  }),
) {
  const web = fakeChannel("web");
  const market = fakeChannel("market");
  const source = fakeSource(snapshot);
  const events: SyncEvent[] = [];
  const store = createMemoryStore();
  const engine = createSyncEngine({
    store,
    tenants: [
      {
        id: "acme",
        catalog,
        stockSource: source.source,
        channels: [web.publisher, market.publisher],
      },
    ],
    onEvent: (e) => events.push(e),
    dispatch: { minBackoffMs: 1, maxBackoffMs: 5, idleMs: 5 },
    polling: { stockEveryMs: 0, ordersEveryMs: 0 },
  });
  return { engine, store, web, market, source, events };
}

/** What a promise rejected with (fails the test when it resolved). */
async function rejection(promise: Promise<unknown>): Promise<OmnistockError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isOmnistockError(error)) throw new Error(`expected an OmnistockError, got ${String(error)}`);
  return error;
}

const delivery = (deliveryId: string, parts: Partial<WebhookDelivery>): WebhookDelivery => ({
  platform: "lightspeed",
  topic: "test",
  deliveryId,
  events: [],
  orders: [],
  levels: [],
  ...parts,
});

const sale = (id: string, sku: string, quantity: number, locationId = "main"): StockEvent => ({
  type: "pos.sale",
  id,
  at: 10,
  locationId,
  lines: [{ sku, quantity }],
});

describe("the snapshot at first start", () => {
  it("refuses an empty snapshot while the catalog has listings: BAD_RESPONSE, nothing applied or published", async () => {
    const { engine, store, web, market } = setup(() => ({ events: [], cursor: "1" }));
    const error = await rejection(engine.start());
    expect(error.code).toBe("BAD_RESPONSE");
    expect(error.details.missingLocations).toEqual(["main", "mall"]);
    expect(await store.positions("acme")).toEqual([]);
    expect(await store.cursor("acme", "stock")).toBeUndefined();
    expect(await store.outboxSize("acme")).toEqual(new Map());
    expect(web.calls).toEqual([]);
    expect(market.calls).toEqual([]);
    await engine.stop();
  });

  it("refuses a snapshot missing an outlet that feeds a channel, naming it, and publishes nothing", async () => {
    const { engine, store, web } = setup(() => ({
      events: fullSnapshot().filter((e) => "locationId" in e && e.locationId === "main"),
      cursor: "1",
    }));
    const error = await rejection(engine.start());
    expect(error.code).toBe("BAD_RESPONSE");
    expect(error.details.missingLocations).toEqual(["mall"]);
    expect(error.message).toMatch(/mall/);
    expect(await store.positions("acme")).toEqual([]);
    expect(web.calls).toEqual([]);
    await engine.stop();
  });

  it("starts on a snapshot with a count at every outlet that feeds a channel, zero counts included", async () => {
    const { engine, web } = setup(() => ({
      events: [counted("MUG", "main", 4), counted("MUG", "mall", 0)],
      cursor: "1",
    }));
    await engine.start();
    await engine.idle();
    expect(web.shows.get("MUG")).toBe(4);
    await engine.stop();
  });

  it("starts on an empty snapshot when the catalog has no listings", async () => {
    const source = fakeSource(() => ({ events: [], cursor: "1" }));
    const engine = createSyncEngine({
      tenants: [{ id: "acme", catalog: { ...catalog, listings: [] }, stockSource: source.source }],
      polling: { stockEveryMs: 0, ordersEveryMs: 0 },
    });
    await engine.start();
    expect(source.calls.map((c) => c.what)).toEqual(["snapshot"]);
    await engine.stop();
  });

  it("refuses a full read by poll that misses an outlet: an error event, nothing applied, the cursor left", async () => {
    const { engine, store, source, events } = setup();
    source.onChanges(() => ({
      events: fullSnapshot().filter((e) => "locationId" in e && e.locationId === "main"),
      cursor: "9",
    }));
    // Polled before any start: no cursor yet, so the source reads everything.
    await engine.pollNow();
    const errors = events.filter((e) => e.type === "error");
    expect(errors).toHaveLength(1);
    expect(errors[0]?.type === "error" && errors[0].error.code).toBe("BAD_RESPONSE");
    expect(await store.positions("acme")).toEqual([]);
    expect(await store.cursor("acme", "stock")).toBeUndefined();
    await engine.stop();
  });
});

describe("events at the boundary", () => {
  it("refuses an event for a location the catalog does not know, naming it, as an error event, storing nothing", async () => {
    const { engine, store, events } = setup();
    await engine.start();
    const before = await store.positions("acme");
    const error = await rejection(
      engine.applyEvents("acme", [counted("MUG", "main", 3, 2), counted("MUG", "attic", 5, 2)]),
    );
    expect(error.code).toBe("MAPPING_MISSING");
    expect(error.details.locationId).toBe("attic");
    expect(await store.positions("acme")).toEqual(before);
    expect(events.some((e) => e.type === "error" && e.error.code === "MAPPING_MISSING")).toBe(true);
    const viaWebhook = await rejection(
      engine.ingest(
        "acme",
        "webhook:pos",
        delivery("d1", { events: [sale("s1", "MUG", 1, "attic")] }),
      ),
    );
    expect(viaWebhook.details.locationId).toBe("attic");
    expect(await store.positions("acme")).toEqual(before);
    await engine.stop();
  });

  it("refuses a snapshot that counts stock at a location the catalog does not know", async () => {
    const { engine, store } = setup(() => ({
      events: [...fullSnapshot(), counted("MUG", "attic", 5)],
      cursor: "1",
    }));
    const error = await rejection(engine.start());
    expect(error.code).toBe("MAPPING_MISSING");
    expect(error.details.locationId).toBe("attic");
    expect(await store.positions("acme")).toEqual([]);
    await engine.stop();
  });

  it("refuses an event that breaks core's schema with VALIDATION naming the field; nothing of the input is applied", async () => {
    const { engine, store } = setup();
    await engine.start();
    const before = await store.positions("acme");
    const error = await rejection(
      engine.applyEvents("acme", [counted("MUG", "main", 3, 2), sale("s1", "MUG", -1)]),
    );
    expect(error.code).toBe("VALIDATION");
    expect(error.issues.map((i) => i.path.join("."))).toContain("1.lines.0.quantity");
    expect(await store.positions("acme")).toEqual(before);
    await engine.stop();
  });

  it("refuses a delivery whose channel order breaks the schema, naming the field", async () => {
    const { engine, store } = setup();
    await engine.start();
    const before = await store.positions("acme");
    const order: ChannelOrder = {
      eventId: "web:1:placed",
      channelId: "web",
      orderId: "1",
      at: 5,
      status: "placed",
      lines: [{ listingId: "MUG", quantity: 1.5 }],
    };
    const error = await rejection(
      engine.ingest("acme", "webhook:web", delivery("o1", { orders: [order] })),
    );
    expect(error.code).toBe("VALIDATION");
    expect(error.issues.map((i) => i.path.join("."))).toContain("orders.0.lines.0.quantity");
    expect(await store.positions("acme")).toEqual(before);
    await engine.stop();
  });

  it("refuses a snapshot with an event that breaks the schema, and starts nothing", async () => {
    const { engine, store, web } = setup(() => ({
      events: [...fullSnapshot(), { ...counted("TEA", "main", 1, 2), onHand: 0.5 }],
      cursor: "1",
    }));
    const error = await rejection(engine.start());
    expect(error.code).toBe("VALIDATION");
    expect(await store.positions("acme")).toEqual([]);
    expect(web.calls).toEqual([]);
    await engine.stop();
  });

  it("refuses a bad input to a public method with a typed error, never a raw TypeError or RangeError", async () => {
    const { engine } = setup();
    await engine.start();
    const unknownListing = await rejection(
      engine.explain("acme", { channelId: "web", listingId: "NOPE" }),
    );
    expect(unknownListing.code).toBe("NOT_FOUND");
    expect(unknownListing.details).toMatchObject({ channelId: "web", listingId: "NOPE" });
    const unknownChannel = await rejection(
      engine.explain("acme", { channelId: "ebay", listingId: "MUG" }),
    );
    expect(unknownChannel.code).toBe("NOT_FOUND");
    const notEvents = await rejection(engine.applyEvents("acme", "nope" as never));
    expect(notEvents.code).toBe("VALIDATION");
    const notADelivery = await rejection(engine.ingest("acme", "x", {} as never));
    expect(notADelivery.code).toBe("VALIDATION");
    const notATimeout = await rejection(engine.idle({ timeoutMs: "soon" as never }));
    expect(notATimeout.issues.map((i) => i.path.join("."))).toEqual(["timeoutMs"]);
    await engine.stop();
  });
});

describe("a sales sink's own events", () => {
  it("are checked too: a sale's event at a location the catalog does not know parks the task and stores nothing of it", async () => {
    const events: SyncEvent[] = [];
    const sink: SalesOrderSink = {
      platform: "lightspeed",
      recordSale: async (s) => ({
        saleId: "sale-1",
        created: true,
        events: [{ ...sale("lightspeed:sale:1", "MUG", 1, "attic"), orderRef: `web:${s.orderId}` }],
      }),
      voidSale: async () => undefined,
      recordReturn: async (r) => ({ saleId: r.returnId, created: true }),
    };
    const store = createMemoryStore();
    const engine = createSyncEngine({
      store,
      tenants: [{ id: "acme", catalog, salesSink: sink }],
      onEvent: (e) => events.push(e),
      dispatch: { minBackoffMs: 1, maxBackoffMs: 5, idleMs: 5 },
      polling: { stockEveryMs: 0, ordersEveryMs: 0 },
    });
    await engine.applyEvents("acme", fullSnapshot());
    await engine.start();
    const order: ChannelOrder = {
      eventId: "web:1:placed",
      channelId: "web",
      orderId: "1",
      at: 5,
      status: "placed",
      lines: [{ listingId: "MUG", quantity: 1 }],
    };
    await engine.ingest("acme", "webhook:web", delivery("o1", { orders: [order] }));
    await engine.idle();
    const parked = await store.parked("acme");
    expect(parked.map((p) => p.reason)).toEqual([
      expect.stringMatching(/^MAPPING_MISSING: .*attic/),
    ]);
    expect((await store.positions("acme")).some((p) => p.locationId === "attic")).toBe(false);
    await engine.stop();
  });
});

describe("POS bundles", () => {
  it("expands a sale of a POS bundle into its components on every entry path; no position for the bundle SKU", async () => {
    const { engine, store, web, market } = setup();
    await engine.start();
    await engine.applyEvents("acme", [sale("s1", "SET", 1)]);
    await engine.ingest("acme", "webhook:pos", delivery("d2", { events: [sale("s2", "SET", 2)] }));
    await engine.idle();
    const positions = await store.positions("acme");
    expect(positions.some((p) => p.sku === "SET")).toBe(false);
    const onHand = (sku: string) =>
      positions.find((p) => p.sku === sku && p.locationId === "main")?.onHand;
    expect(onHand("MUG")).toBe(7); // 10 − 3 sets × 1
    expect(onHand("TEA")).toBe(4); // 10 − 3 sets × 2
    expect(web.shows.get("MUG")).toBe(17);
    expect(web.shows.get("TEA")).toBe(14);
    expect(market.shows.get("MUG")).toBe(7);
    await engine.stop();
  });

  it("refuses a counted level of a POS bundle SKU, which has no stock of its own", async () => {
    const { engine, store } = setup();
    await engine.start();
    const before = await store.positions("acme");
    const error = await rejection(engine.applyEvents("acme", [counted("SET", "main", 4, 2)]));
    expect(error.code).toBe("VALIDATION");
    expect(error.issues.map((i) => i.path.join("."))).toContain("0.sku");
    expect(await store.positions("acme")).toEqual(before);
    await engine.stop();
  });
});

describe("the tenant's roles against its catalog", () => {
  const receiver = (channelId: string): WebhookReceiver & { channelId: string } => ({
    platform: "shopify",
    channelId,
    receive: async () => {
      throw new OmnistockError("SIGNATURE", "unused");
    },
    tryReceive: async () => ({ ok: false, error: new OmnistockError("SIGNATURE", "unused") }),
  });

  it("refuses an order source for a channel the catalog does not have, naming it", () => {
    try {
      createSyncEngine({
        tenants: [
          {
            id: "acme",
            catalog,
            orderSources: [
              {
                platform: "amazon",
                channelId: "amazon-us",
                ordersSince: async () => ({ orders: [], cursor: "0" }),
              },
            ],
          },
        ],
      });
      expect.unreachable();
    } catch (error) {
      expect(isOmnistockError(error) && error.code).toBe("CONFIG");
      expect((error as OmnistockError).details).toMatchObject({ channelId: "amazon-us" });
    }
  });

  it("refuses a receiver that names a channel the catalog does not have", () => {
    expect(() =>
      createSyncEngine({
        tenants: [{ id: "acme", catalog, receivers: { shop: receiver("shopify-eu") } }],
      }),
    ).toThrow(/shopify-eu/);
    expect(() =>
      createSyncEngine({
        tenants: [{ id: "acme", catalog, receivers: { shop: receiver("web") } }],
      }),
    ).not.toThrow();
  });
});
