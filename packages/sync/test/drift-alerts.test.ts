import type {
  CatalogConfig,
  ChannelLevel,
  ChannelOrder,
  ChannelPublisher,
  PublishOutcome,
  QuantityToPublish,
  StockEvent,
  WebhookDelivery,
} from "@omnistock/core";
import { describe, expect, it } from "vitest";
import { createMemoryStore, createSyncEngine, type SyncEvent } from "../src/index.js";

/**
 * A Shopify store that shows what it is told, and can hold its next write in flight until
 * the test lets it through.
 */
function shop() {
  const shows = new Map<string, number>();
  const sent: QuantityToPublish[] = [];
  let gate: Promise<void> | undefined;
  let open = () => {};
  const publisher: ChannelPublisher = {
    platform: "shopify",
    channelId: "shopify",
    maxBatch: 250,
    compareAndSet: false,
    async publish(updates) {
      sent.push(...updates);
      if (gate !== undefined) await gate;
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
  return {
    publisher,
    shows,
    sent,
    /** Holds the writes from now on until `release` is called. */
    hold() {
      gate = new Promise((resolve) => {
        open = resolve;
      });
    },
    release() {
      gate = undefined;
      open();
    },
  };
}

function setup(buffer?: { percent: number }) {
  const catalog: CatalogConfig = {
    locations: [{ id: "outlet" }],
    channels: [
      {
        id: "shopify",
        feed: { mode: "single", locationId: "outlet" },
        ...(buffer === undefined ? {} : { buffer }),
      },
    ],
    listings: [{ channelId: "shopify", listingId: "MUG", sku: "MUG" }],
  };
  const channel = shop();
  const events: SyncEvent[] = [];
  const engine = createSyncEngine({
    store: createMemoryStore(),
    tenants: [{ id: "acme", catalog, channels: [channel.publisher] }],
    onEvent: (event) => events.push(event),
    dispatch: { minBackoffMs: 1, maxBackoffMs: 5, idleMs: 5 },
    polling: { stockEveryMs: 0, ordersEveryMs: 0 },
  });
  let deliveries = 0;
  /** Shopify announcing the level it shows now (its `inventory_levels/update`). */
  const announce = (quantity: number) => {
    channel.shows.set("MUG", quantity);
    return engine.ingest(
      "acme",
      "shopify",
      delivery(`level-${++deliveries}`, {
        levels: [{ channelId: "shopify", listingId: "MUG", quantity }],
      }),
    );
  };
  /** Shopify's `orders/create` for an order it has taken the units of. */
  const order = (orderId: string, quantity: number) =>
    engine.ingest(
      "acme",
      "shopify",
      delivery(`order-${orderId}`, { orders: [placed(orderId, quantity)] }),
    );
  const drifts = () => events.filter((e) => e.type === "channel-drift");
  return { engine, channel, events, announce, order, drifts };
}

const counted = (onHand: number, version: number): StockEvent => ({
  type: "stock.counted",
  id: `count-${version}`,
  at: version,
  locationId: "outlet",
  sku: "MUG",
  onHand,
  version,
});

const sale = (id: string, quantity: number): StockEvent => ({
  type: "pos.sale",
  id,
  at: 50,
  locationId: "outlet",
  lines: [{ sku: "MUG", quantity }],
});

const placed = (orderId: string, quantity: number): ChannelOrder => ({
  eventId: `shopify:${orderId}:placed`,
  channelId: "shopify",
  orderId,
  at: 60,
  status: "placed",
  lines: [{ listingId: "MUG", quantity }],
});

const delivery = (deliveryId: string, parts: Partial<WebhookDelivery>): WebhookDelivery => ({
  platform: "shopify",
  topic: "test",
  deliveryId,
  events: [],
  orders: [],
  levels: [],
  ...parts,
});

describe("drift alerts", () => {
  it("raises no channel-drift for a clean order: publish 10, a Shopify order of 1, Shopify announces 9", async () => {
    const { engine, channel, order, announce, drifts } = setup();
    await engine.start();
    await engine.applyEvents("acme", [counted(10, 1)]);
    await engine.idle();
    expect(channel.shows.get("MUG")).toBe(10);
    await order("1001", 1);
    await announce(9);
    await engine.idle();
    expect(drifts()).toEqual([]);
    expect(channel.shows.get("MUG")).toBe(9);
    await engine.stop();
  });

  it("raises no channel-drift when Shopify announces its own decrement before the order reaches us", async () => {
    const { engine, channel, order, announce, drifts } = setup();
    await engine.start();
    await engine.applyEvents("acme", [counted(10, 1)]);
    await engine.idle();
    await announce(9);
    await order("1001", 1);
    await engine.idle();
    await announce(8);
    await order("1002", 1);
    await engine.idle();
    expect(drifts()).toEqual([]);
    expect(channel.shows.get("MUG")).toBe(8);
    await engine.stop();
  });

  it("raises no channel-drift for an order the buffer rounds away: the channel's own count is explained by its order", async () => {
    // 7 on hand less 15 % shows 5; after an order of 1, 6 less 15 % still shows 5.
    const { engine, channel, order, announce, drifts } = setup({ percent: 15 });
    await engine.start();
    await engine.applyEvents("acme", [counted(7, 1)]);
    await engine.idle();
    expect(channel.shows.get("MUG")).toBe(5);
    await order("1001", 1);
    await announce(4);
    await engine.idle();
    expect(drifts()).toEqual([]);
    await engine.stop();
  });

  it("raises no channel-drift for a value still in flight, replaced by a newer plan before it was confirmed", async () => {
    const { engine, channel, announce, drifts } = setup();
    await engine.start();
    await engine.applyEvents("acme", [counted(10, 1)]);
    await engine.idle();
    channel.hold();
    await engine.applyEvents("acme", [sale("sale-1", 1)]);
    await expect.poll(() => channel.sent.at(-1)?.quantity).toBe(9);
    await engine.applyEvents("acme", [sale("sale-2", 1)]);
    // The first write reaches Shopify, which announces it before we hear back.
    await announce(9);
    channel.release();
    await engine.idle();
    expect(drifts()).toEqual([]);
    expect(channel.shows.get("MUG")).toBe(8);
    await engine.stop();
  });

  it("still raises channel-drift for a manual edit, and sets back a channel that shows more", async () => {
    const { engine, channel, order, announce, drifts } = setup();
    await engine.start();
    await engine.applyEvents("acme", [counted(10, 1)]);
    await engine.idle();
    await order("1001", 1);
    await engine.idle();
    await announce(50);
    await engine.idle();
    expect(drifts()).toMatchObject([{ shown: 50, planned: 9 }]);
    expect(channel.shows.get("MUG")).toBe(9);
    await engine.stop();
  });

  it("sets back a channel that shows more than planned though it showed that number before: a cancellation puts units back on sale", async () => {
    const { engine, channel, order, announce, drifts } = setup();
    await engine.start();
    await engine.applyEvents("acme", [counted(1, 1)]);
    await engine.idle();
    // Shopify takes an order for the last unit and announces 0 before anything reaches us.
    await announce(0);
    await engine.applyEvents("acme", [sale("counter-1", 1)]);
    await order("1001", 1);
    await engine.idle();
    expect(channel.shows.get("MUG")).toBe(0);
    // The order is cancelled on Shopify, which puts the unit back on sale.
    await announce(1);
    await engine.idle();
    expect(channel.shows.get("MUG")).toBe(0);
    expect(drifts()).toMatchObject([{ shown: 1, planned: 0 }]);
    await engine.stop();
  });

  it("reports a lower level no order explains, with the channel's next announcement", async () => {
    const { engine, channel, announce, drifts } = setup();
    await engine.start();
    await engine.applyEvents("acme", [counted(10, 1)]);
    await engine.idle();
    await announce(3);
    await engine.applyEvents("acme", [counted(12, 2)]);
    await engine.idle();
    expect(channel.shows.get("MUG")).toBe(12);
    await announce(12);
    expect(drifts()).toMatchObject([{ shown: 3, planned: 10 }]);
    await engine.stop();
  });
});
