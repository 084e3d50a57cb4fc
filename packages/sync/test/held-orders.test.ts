import type {
  CatalogConfig,
  ChannelLevel,
  ChannelOrder,
  ChannelPublisher,
  PublishOutcome,
  RecordedSale,
  SalesOrderSink,
  SaleToRecord,
  StockEvent,
  WebhookDelivery,
} from "@omnistock/core";
import { describe, expect, it } from "vitest";
import { createMemoryStore, createSyncEngine, type SyncEvent } from "../src/index.js";

/** One outlet, one Shopify store fed from it with no buffer: every unit shows online. */
const catalog: CatalogConfig = {
  locations: [{ id: "outlet" }],
  channels: [{ id: "shopify", feed: { mode: "single", locationId: "outlet" } }],
  listings: [{ channelId: "shopify", listingId: "MUG", sku: "MUG" }],
};

/**
 * Lightspeed held in memory: on hand per SKU at the outlet, moved by counter sales, receipts
 * and the sales Omnistock records, with the lowest level it ever reached.
 */
function pointOfSale(start: number) {
  let onHand = start;
  let lowest = start;
  const sales: SaleToRecord[] = [];
  const voids: string[] = [];
  const returns: string[] = [];
  const move = (delta: number) => {
    onHand += delta;
    lowest = Math.min(lowest, onHand);
  };
  const recorded = new Map<string, RecordedSale>();
  const sink: SalesOrderSink = {
    platform: "lightspeed",
    async recordSale(sale) {
      const reference = `${sale.channelId}:${sale.orderId}`;
      const known = recorded.get(reference);
      if (known !== undefined) return { ...known, created: false };
      sales.push(sale);
      move(-sale.lines.reduce((sum, line) => sum + line.quantity, 0));
      const result: RecordedSale = {
        saleId: `sale-${sales.length}`,
        created: true,
        events: [
          {
            type: "pos.sale",
            id: `pos:${reference}`,
            at: 500,
            locationId: sale.locationId,
            lines: sale.lines.map((line) => ({ ...line })),
            orderRef: reference,
          },
        ],
      };
      recorded.set(reference, result);
      return result;
    },
    async voidSale({ channelId, orderId }) {
      voids.push(`${channelId}:${orderId}`);
    },
    async recordReturn(ret) {
      returns.push(ret.returnId);
      return { saleId: `return-${returns.length}`, created: true };
    },
  };
  return {
    sink,
    sales,
    voids,
    returns,
    onHand: () => onHand,
    lowest: () => lowest,
    /** A sale at the counter, as its webhook reports it. */
    counterSale(id: string, quantity: number): StockEvent {
      move(-quantity);
      return {
        type: "pos.sale",
        id,
        at: 200,
        locationId: "outlet",
        lines: [{ sku: "MUG", quantity }],
      };
    },
    /** Stock received at the outlet. */
    receive(id: string, quantity: number): StockEvent {
      move(quantity);
      return {
        type: "stock.received",
        id,
        at: 300,
        locationId: "outlet",
        lines: [{ sku: "MUG", quantity }],
        wasIncoming: false,
      };
    },
  };
}

/** A Shopify store that shows what it is told. */
function shop() {
  const shows = new Map<string, number>();
  const publisher: ChannelPublisher = {
    platform: "shopify",
    channelId: "shopify",
    maxBatch: 250,
    compareAndSet: false,
    async publish(updates) {
      return updates.map((update): PublishOutcome => {
        shows.set(update.listingId, update.quantity);
        return { status: "published", update };
      });
    },
    async confirm(pending) {
      return pending.map(({ update }): PublishOutcome => ({ status: "published", update }));
    },
    async readLevels() {
      return [...shows].map(([listingId, quantity]): ChannelLevel => ({ listingId, quantity }));
    },
  };
  return { publisher, shows };
}

function setup(oversold?: Readonly<Record<string, "hold" | "record">>) {
  const pos = pointOfSale(1);
  const channel = shop();
  const events: SyncEvent[] = [];
  const engine = createSyncEngine({
    store: createMemoryStore(),
    tenants: [
      {
        id: "acme",
        catalog,
        salesSink: pos.sink,
        channels: [channel.publisher],
        ...(oversold === undefined ? {} : { oversold }),
      },
    ],
    onEvent: (event) => events.push(event),
    dispatch: { minBackoffMs: 1, maxBackoffMs: 5, idleMs: 5 },
    polling: { stockEveryMs: 0, ordersEveryMs: 0 },
  });
  return { engine, pos, channel, events };
}

const order = (orderId: string, status: ChannelOrder["status"], quantity = 1): ChannelOrder => ({
  eventId: `shopify:${orderId}:${status}`,
  channelId: "shopify",
  orderId,
  at: 400,
  status,
  lines: [{ listingId: "MUG", quantity }],
});

const delivery = (deliveryId: string, orders: ChannelOrder[]): WebhookDelivery => ({
  platform: "shopify",
  topic: "orders/create",
  deliveryId,
  events: [],
  orders,
  levels: [],
});

/** 1 unit at the outlet, sold at the counter, then ordered on Shopify before it dropped. */
async function lastUnitSoldTwice(oversold?: Readonly<Record<string, "hold" | "record">>) {
  const world = setup(oversold);
  const { engine, pos } = world;
  await engine.start();
  await engine.applyEvents("acme", [
    { type: "stock.counted", id: "count-1", at: 100, locationId: "outlet", sku: "MUG", onHand: 1 },
  ]);
  await engine.idle();
  expect(world.channel.shows.get("MUG")).toBe(1);
  await engine.applyEvents("acme", [pos.counterSale("counter-1", 1)]);
  await engine.ingest("acme", "shopify", delivery("o-1", [order("1001", "placed")]));
  await engine.idle();
  return world;
}

describe("held orders", () => {
  it("holds a channel order no stock covers: nothing posted to the POS, which never goes below zero, and the order listed with its reason", async () => {
    const { engine, pos, channel, events } = await lastUnitSoldTwice();
    expect(pos.sales).toEqual([]);
    expect(pos.lowest()).toBe(0);
    expect(channel.shows.get("MUG")).toBe(0);
    const held = await engine.heldOrders("acme");
    expect(held).toMatchObject([
      {
        channelId: "shopify",
        orderId: "1001",
        status: "placed",
        hold: { reason: "oversold", unfilled: [{ sku: "MUG", quantity: 1 }] },
      },
    ]);
    expect(events.filter((e) => e.type === "order-held")).toMatchObject([
      {
        tenantId: "acme",
        channelId: "shopify",
        orderId: "1001",
        reason: "oversold",
        unfilled: [{ sku: "MUG", quantity: 1 }],
      },
    ]);
    expect(events.filter((e) => e.type === "oversell-risk")).toHaveLength(1);
    expect(engine.metrics().held).toBe(1);
    await engine.stop();
  });

  it("records a held order once resolved, after stock arrived: exactly one sale, and the POS never below zero", async () => {
    const { engine, pos, channel } = await lastUnitSoldTwice();
    await engine.applyEvents("acme", [pos.receive("receipt-1", 1)]);
    await engine.idle();
    // The held order keeps the unit that came in: no channel offers it again.
    expect(channel.shows.get("MUG")).toBe(0);
    const outcome = await engine.resolveHeldOrder("acme", {
      channelId: "shopify",
      orderId: "1001",
      action: "record",
    });
    expect(outcome).toEqual({ channelId: "shopify", orderId: "1001", action: "record" });
    await engine.idle();
    expect(pos.sales).toMatchObject([
      {
        channelId: "shopify",
        orderId: "1001",
        locationId: "outlet",
        lines: [{ sku: "MUG", quantity: 1 }],
      },
    ]);
    expect(pos.onHand()).toBe(0);
    expect(pos.lowest()).toBe(0);
    expect(await engine.heldOrders("acme")).toEqual([]);
    await expect(
      engine.resolveHeldOrder("acme", { channelId: "shopify", orderId: "1001", action: "record" }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    await engine.idle();
    expect(pos.sales).toHaveLength(1);
    expect(channel.shows.get("MUG")).toBe(0);
    await engine.stop();
  });

  it("records a held order with no stock come in when the merchant accepts the backorder: one sale at the outlet", async () => {
    const { engine, pos, channel } = await lastUnitSoldTwice();
    await engine.resolveHeldOrder("acme", {
      channelId: "shopify",
      orderId: "1001",
      action: "record",
    });
    await engine.idle();
    expect(pos.sales).toMatchObject([{ orderId: "1001", locationId: "outlet" }]);
    expect(pos.onHand()).toBe(-1);
    expect(channel.shows.get("MUG")).toBe(0);
    expect(await engine.heldOrders("acme")).toEqual([]);
    await engine.stop();
  });

  it("releases a held order the channel cancelled: its units come back, no sale and no void are posted", async () => {
    const { engine, pos, channel } = await lastUnitSoldTwice();
    await engine.applyEvents("acme", [pos.receive("receipt-1", 1)]);
    await engine.ingest("acme", "shopify", delivery("o-2", [order("1001", "cancelled")]));
    await engine.idle();
    expect(await engine.heldOrders("acme")).toEqual([]);
    expect(pos.sales).toEqual([]);
    expect(pos.voids).toEqual([]);
    expect(channel.shows.get("MUG")).toBe(1);
    await engine.stop();
  });

  it("releases a held order through the API, and a later cancellation from the channel changes nothing", async () => {
    const { engine, pos, channel } = await lastUnitSoldTwice();
    await engine.applyEvents("acme", [pos.receive("receipt-1", 2)]);
    await engine.resolveHeldOrder("acme", {
      channelId: "shopify",
      orderId: "1001",
      action: "release",
    });
    await engine.ingest("acme", "shopify", delivery("o-2", [order("1001", "cancelled")]));
    await engine.idle();
    expect(await engine.heldOrders("acme")).toEqual([]);
    expect(pos.sales).toEqual([]);
    expect(pos.voids).toEqual([]);
    expect(channel.shows.get("MUG")).toBe(2);
    await engine.stop();
  });

  it("keeps a fulfilled held order held, and a refunded one releases its units with no return posted", async () => {
    const { engine, pos, channel } = await lastUnitSoldTwice();
    await engine.ingest("acme", "shopify", delivery("o-2", [order("1001", "fulfilled")]));
    expect(await engine.heldOrders("acme")).toMatchObject([
      { orderId: "1001", status: "fulfilled" },
    ]);
    await engine.ingest("acme", "shopify", delivery("o-3", [order("1002", "placed", 2)]));
    await engine.applyEvents("acme", [pos.receive("receipt-1", 3)]);
    await engine.idle();
    // 3 received, 1 + 2 held: nothing to show.
    expect(channel.shows.get("MUG")).toBe(0);
    const refund: ChannelOrder = {
      ...order("1002", "refunded"),
      lines: [{ listingId: "MUG", quantity: 1, restock: true }],
    };
    await engine.ingest("acme", "shopify", delivery("o-4", [refund]));
    await engine.idle();
    expect(pos.returns).toEqual([]);
    expect(channel.shows.get("MUG")).toBe(1);
    expect((await engine.heldOrders("acme")).map((h) => [h.orderId, h.lines])).toEqual([
      ["1001", [{ sku: "MUG", locationId: "outlet", quantity: 1 }]],
      ["1002", [{ sku: "MUG", locationId: "outlet", quantity: 1 }]],
    ]);
    await engine.resolveHeldOrder("acme", {
      channelId: "shopify",
      orderId: "1002",
      action: "record",
    });
    await engine.idle();
    expect(pos.sales).toMatchObject([{ orderId: "1002", lines: [{ sku: "MUG", quantity: 1 }] }]);
    expect(pos.lowest()).toBe(0);
    await engine.stop();
  });

  it("records an order no stock covers as a backorder where the channel opted in, as before", async () => {
    const { engine, pos, events } = await lastUnitSoldTwice({ shopify: "record" });
    expect(pos.sales).toHaveLength(1);
    expect(pos.onHand()).toBe(-1);
    expect(await engine.heldOrders("acme")).toEqual([]);
    expect(events.some((e) => e.type === "order-held")).toBe(false);
    expect(events.filter((e) => e.type === "oversell-risk")).toHaveLength(1);
    await engine.stop();
  });

  it("names the field at fault for a bad policy, an unknown channel or a bad resolution", async () => {
    const create = (oversold: unknown) => () =>
      createSyncEngine({
        tenants: [{ id: "acme", catalog, oversold } as never],
      });
    expect(create({ shopify: "backorder" })).toThrow(
      expect.objectContaining({
        code: "VALIDATION",
        issues: [expect.objectContaining({ path: ["tenants", 0, "oversold", "shopify"] })],
      }),
    );
    expect(create({ amazon: "hold" })).toThrow(expect.objectContaining({ code: "CONFIG" }));
    const { engine } = setup();
    await expect(
      engine.resolveHeldOrder("acme", {
        channelId: "shopify",
        orderId: "1001",
        action: "ship" as never,
      }),
    ).rejects.toMatchObject({ code: "VALIDATION", details: { field: "action" } });
    await expect(
      engine.resolveHeldOrder("acme", { channelId: "shopify", orderId: "404", action: "record" }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});

describe("held orders across outlets", () => {
  it("routes a held order again when it is recorded: a unit that came in at another outlet is the one sold", async () => {
    const sales: SaleToRecord[] = [];
    const sink: SalesOrderSink = {
      platform: "lightspeed",
      async recordSale(sale) {
        sales.push(sale);
        return {
          saleId: `sale-${sales.length}`,
          created: true,
          events: [
            {
              type: "pos.sale",
              id: `pos:${sale.channelId}:${sale.orderId}`,
              at: 500,
              locationId: sale.locationId,
              lines: sale.lines.map((line) => ({ ...line })),
              orderRef: `${sale.channelId}:${sale.orderId}`,
            },
          ],
        };
      },
      async voidSale() {},
      async recordReturn() {
        return { saleId: "return", created: true };
      },
    };
    const channel = shop();
    const engine = createSyncEngine({
      store: createMemoryStore(),
      tenants: [
        {
          id: "acme",
          catalog: {
            locations: [{ id: "main" }, { id: "mall" }],
            channels: [{ id: "shopify", feed: { mode: "sum", locationIds: ["main", "mall"] } }],
            listings: [{ channelId: "shopify", listingId: "MUG", sku: "MUG" }],
          },
          salesSink: sink,
          channels: [channel.publisher],
        },
      ],
      dispatch: { minBackoffMs: 1, maxBackoffMs: 5, idleMs: 5 },
      polling: { stockEveryMs: 0, ordersEveryMs: 0 },
    });
    await engine.start();
    await engine.applyEvents("acme", [
      { type: "stock.counted", id: "c-main", at: 1, locationId: "main", sku: "MUG", onHand: 1 },
      { type: "stock.counted", id: "c-mall", at: 1, locationId: "mall", sku: "MUG", onHand: 0 },
      {
        type: "pos.sale",
        id: "s-1",
        at: 2,
        locationId: "main",
        lines: [{ sku: "MUG", quantity: 1 }],
      },
    ]);
    await engine.ingest("acme", "shopify", delivery("o-1", [order("1001", "placed")]));
    expect(await engine.heldOrders("acme")).toMatchObject([
      { orderId: "1001", lines: [{ sku: "MUG", locationId: "main", quantity: 1 }] },
    ]);
    await engine.applyEvents("acme", [
      {
        type: "stock.received",
        id: "r-1",
        at: 3,
        locationId: "mall",
        lines: [{ sku: "MUG", quantity: 1 }],
        wasIncoming: false,
      },
    ]);
    await engine.resolveHeldOrder("acme", {
      channelId: "shopify",
      orderId: "1001",
      action: "record",
    });
    await engine.idle();
    expect(sales).toMatchObject([{ orderId: "1001", locationId: "mall" }]);
    const why = await engine.explain("acme", { channelId: "shopify", listingId: "MUG" });
    expect(why.quantity).toBe(0);
    expect(channel.shows.get("MUG")).toBe(0);
    await engine.stop();
  });
});
