import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type {
  CatalogConfig,
  ChannelPublisher,
  PublishOutcome,
  SalesOrderSink,
  SaleToRecord,
  StockEvent,
} from "@omnistock/core";
import { createSyncEngine, type SyncEngine } from "@omnistock/sync";
import { afterAll, describe, expect, it } from "vitest";
import { createSqliteStore } from "../src/index.js";

const dir = mkdtempSync(join(tmpdir(), "omnistock-sqlite-held-"));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const catalog: CatalogConfig = {
  locations: [{ id: "outlet" }],
  channels: [{ id: "shopify", feed: { mode: "single", locationId: "outlet" } }],
  listings: [{ channelId: "shopify", listingId: "MUG", sku: "MUG" }],
};

const sales: SaleToRecord[] = [];
const sink: SalesOrderSink = {
  platform: "lightspeed",
  async recordSale(sale) {
    sales.push(sale);
    return { saleId: `sale-${sales.length}`, created: true };
  },
  async voidSale() {},
  async recordReturn() {
    return { saleId: "return", created: true };
  },
};

const publisher: ChannelPublisher = {
  platform: "shopify",
  channelId: "shopify",
  maxBatch: 250,
  compareAndSet: false,
  async publish(updates) {
    return updates.map((update): PublishOutcome => ({ status: "published", update }));
  },
  async confirm(pending) {
    return pending.map(({ update }): PublishOutcome => ({ status: "published", update }));
  },
  async readLevels() {
    return [];
  },
};

function engineOn(path: string): SyncEngine {
  return createSyncEngine({
    store: createSqliteStore({ path, synchronous: "normal" }),
    tenants: [{ id: "acme", catalog, salesSink: sink, channels: [publisher] }],
    dispatch: { minBackoffMs: 1, maxBackoffMs: 5, idleMs: 5 },
    polling: { stockEveryMs: 0, ordersEveryMs: 0 },
  });
}

const events: StockEvent[] = [
  { type: "stock.counted", id: "count-1", at: 100, locationId: "outlet", sku: "MUG", onHand: 1 },
  {
    type: "pos.sale",
    id: "counter-1",
    at: 200,
    locationId: "outlet",
    lines: [{ sku: "MUG", quantity: 1 }],
  },
];

describe("held orders on SQLite", () => {
  it("keeps a held order through a restart of the file, and records it once when resolved", async () => {
    const path = join(dir, "held.db");
    const first = engineOn(path);
    await first.start();
    await first.applyEvents("acme", events);
    await first.ingest("acme", "shopify", {
      platform: "shopify",
      topic: "orders/create",
      deliveryId: "o-1",
      events: [],
      orders: [
        {
          eventId: "shopify:1001:placed",
          channelId: "shopify",
          orderId: "1001",
          at: 300,
          status: "placed",
          lines: [{ listingId: "MUG", quantity: 1 }],
        },
      ],
      levels: [],
    });
    await first.idle();
    await first.stop();
    await first.store.close();
    expect(sales).toEqual([]);

    const second = engineOn(path);
    await second.start();
    expect(await second.heldOrders("acme")).toMatchObject([
      {
        channelId: "shopify",
        orderId: "1001",
        lines: [{ sku: "MUG", locationId: "outlet", quantity: 1 }],
        hold: { reason: "oversold", unfilled: [{ sku: "MUG", quantity: 1 }] },
      },
    ]);
    await second.resolveHeldOrder("acme", {
      channelId: "shopify",
      orderId: "1001",
      action: "record",
    });
    await second.idle();
    expect(sales).toMatchObject([{ channelId: "shopify", orderId: "1001", locationId: "outlet" }]);
    expect(await second.heldOrders("acme")).toEqual([]);
    await second.stop();
    await second.store.close();
  });
});
