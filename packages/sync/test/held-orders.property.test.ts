import type {
  ChannelOrder,
  ChannelPublisher,
  PublishOutcome,
  RecordedSale,
  SalesOrderSink,
  StockEvent,
} from "@omnistock/core";
import fc from "fast-check";
import { expect, it } from "vitest";
import { createMemoryStore, createSyncEngine } from "../src/index.js";

type Action =
  | { readonly kind: "counter"; readonly quantity: number }
  | { readonly kind: "receive"; readonly quantity: number }
  | { readonly kind: "order"; readonly quantity: number }
  | { readonly kind: "cancel"; readonly pick: number }
  | { readonly kind: "release"; readonly pick: number };

const action: fc.Arbitrary<Action> = fc.oneof(
  fc.record({ kind: fc.constant("counter" as const), quantity: fc.integer({ min: 1, max: 3 }) }),
  fc.record({ kind: fc.constant("receive" as const), quantity: fc.integer({ min: 1, max: 2 }) }),
  fc.record({ kind: fc.constant("order" as const), quantity: fc.integer({ min: 1, max: 3 }) }),
  fc.record({ kind: fc.constant("cancel" as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant("release" as const), pick: fc.nat() }),
);

/** Plays a sequence against the engine with a point of sale that counts its stock. */
async function play(actions: readonly Action[]) {
  let onHand = 2;
  let lowest = onHand;
  const posted = new Map<string, number>();
  const sink: SalesOrderSink = {
    platform: "lightspeed",
    async recordSale(sale): Promise<RecordedSale> {
      const reference = `${sale.channelId}:${sale.orderId}`;
      posted.set(reference, (posted.get(reference) ?? 0) + 1);
      for (const line of sale.lines) onHand -= line.quantity;
      lowest = Math.min(lowest, onHand);
      return {
        saleId: reference,
        created: true,
        events: [
          {
            type: "pos.sale",
            id: `pos:${reference}`,
            at: 10,
            locationId: "outlet",
            lines: sale.lines.map((line) => ({ ...line })),
            orderRef: reference,
          },
        ],
      };
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
  const engine = createSyncEngine({
    store: createMemoryStore(),
    tenants: [
      {
        id: "acme",
        catalog: {
          locations: [{ id: "outlet" }],
          channels: [{ id: "shopify", feed: { mode: "single", locationId: "outlet" } }],
          listings: [{ channelId: "shopify", listingId: "MUG", sku: "MUG" }],
        },
        salesSink: sink,
        channels: [publisher],
      },
    ],
    dispatch: { minBackoffMs: 1, maxBackoffMs: 5, idleMs: 2 },
    polling: { stockEveryMs: 0, ordersEveryMs: 0 },
  });
  await engine.start();
  await engine.applyEvents("acme", [
    { type: "stock.counted", id: "count", at: 1, locationId: "outlet", sku: "MUG", onHand },
  ]);
  const orders: string[] = [];
  const cancelled = new Set<string>();
  const change = (orderId: string, status: ChannelOrder["status"], quantity = 1) =>
    engine.ingest("acme", "shopify", {
      platform: "shopify",
      topic: "orders",
      deliveryId: `${orderId}:${status}`,
      events: [],
      orders: [
        {
          eventId: `shopify:${orderId}:${status}`,
          channelId: "shopify",
          orderId,
          at: 5,
          status,
          lines: [{ listingId: "MUG", quantity }],
        },
      ],
      levels: [],
    });
  for (const [i, a] of actions.entries()) {
    const picked = orders[("pick" in a ? a.pick : 0) % Math.max(orders.length, 1)];
    switch (a.kind) {
      case "counter": {
        // A cashier sells what is on the shelf.
        const quantity = Math.min(a.quantity, Math.max(0, onHand));
        if (quantity === 0) break;
        onHand -= quantity;
        const sale: StockEvent = {
          type: "pos.sale",
          id: `counter-${i}`,
          at: 10,
          locationId: "outlet",
          lines: [{ sku: "MUG", quantity }],
        };
        await engine.applyEvents("acme", [sale]);
        break;
      }
      case "receive":
        onHand += a.quantity;
        await engine.applyEvents("acme", [
          {
            type: "stock.received",
            id: `receipt-${i}`,
            at: 10,
            locationId: "outlet",
            lines: [{ sku: "MUG", quantity: a.quantity }],
            wasIncoming: false,
          },
        ]);
        break;
      case "order":
        orders.push(String(i));
        await change(String(i), "placed", a.quantity);
        break;
      case "cancel":
        if (picked === undefined) break;
        cancelled.add(picked);
        await change(picked, "cancelled");
        break;
      case "release":
        if (picked === undefined) break;
        if ((await engine.heldOrders("acme")).some((h) => h.orderId === picked)) {
          cancelled.add(picked);
          await engine.resolveHeldOrder("acme", {
            channelId: "shopify",
            orderId: picked,
            action: "release",
          });
        }
        break;
    }
    await engine.idle();
  }
  const held = new Set((await engine.heldOrders("acme")).map((h) => h.orderId));
  await engine.stop();
  return { lowest, posted, held, orders, cancelled };
}

it("whatever the interleaving of counter sales, receipts, orders, cancellations and releases, the point of sale never goes below zero, and every order is posted once, held or cancelled", async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(action, { minLength: 1, maxLength: 14 }), async (actions) => {
      const { lowest, posted, held, orders, cancelled } = await play(actions);
      expect(lowest).toBeGreaterThanOrEqual(0);
      for (const orderId of orders) {
        const times = posted.get(`shopify:${orderId}`) ?? 0;
        expect(times).toBeLessThanOrEqual(1);
        expect(times === 1 || held.has(orderId) || cancelled.has(orderId)).toBe(true);
        expect(times === 1 && held.has(orderId)).toBe(false);
      }
    }),
    { numRuns: 40 },
  );
}, 120_000);
