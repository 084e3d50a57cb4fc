import {
  type CatalogConfig,
  type ChannelLevel,
  type ChannelListingRef,
  type ChannelOrder,
  type ChannelPublisher,
  OmnistockError,
  type PendingPublish,
  type PublishOutcome,
  type QuantityToPublish,
  type RecordedSale,
  type ReturnToRecord,
  type SalesOrderSink,
  type SkuQuantity,
  type StockEvent,
  type WebhookDelivery,
} from "@omnistock/core";
import { describe, expect, it } from "vitest";
import { createMemoryStore, createSyncEngine, type SyncEvent } from "../src/index.js";

/**
 * A channel held in memory that behaves as the publisher contract says a platform can:
 * it applies writes, can refuse a compare-and-set, apply later, reject an item, or fail
 * a whole request. It is the engine's counterpart in these tests; the adapters' own
 * tests cover the real platforms.
 */
function memoryChannel(
  channelId: string,
  options: { compareAndSet?: boolean; maxBatch?: number } = {},
) {
  const shows = new Map<string, number>();
  const key = (ref: ChannelListingRef) => `${ref.listingId}@${ref.channelLocationId ?? ""}`;
  const calls: QuantityToPublish[][] = [];
  let failNext: OmnistockError[] = [];
  let applyLater = false;
  const later = new Map<string, number>();
  const rejected = new Set<string>();
  const publisher: ChannelPublisher = {
    platform: "shopify",
    channelId,
    maxBatch: options.maxBatch ?? 250,
    compareAndSet: options.compareAndSet ?? true,
    async publish(updates) {
      calls.push([...updates]);
      const failure = failNext.shift();
      if (failure !== undefined) throw failure;
      return updates.map((update): PublishOutcome => {
        const k = key(update);
        if (rejected.has(update.listingId))
          return {
            status: "rejected",
            update,
            reason: "INVENTORY_NOT_TRACKED",
            message: "not tracked",
          };
        if (
          publisher.compareAndSet &&
          (shows.get(k) ?? undefined) !== update.previous &&
          shows.has(k)
        )
          return { status: "stale", update, actual: shows.get(k) as number };
        if (applyLater) {
          later.set(k, update.quantity);
          return { status: "pending", update, receipt: `tx-${calls.length}` };
        }
        shows.set(k, update.quantity);
        return { status: "published", update };
      });
    },
    async confirm(pending: readonly PendingPublish[]) {
      return pending.map(({ update, receipt }): PublishOutcome => {
        const k = key(update);
        if (later.has(k)) return { status: "pending", update, receipt };
        return shows.get(k) === update.quantity
          ? { status: "published", update }
          : { status: "stale", update, actual: shows.get(k) ?? 0 };
      });
    },
    async readLevels() {
      return [...shows].map(
        ([k, quantity]): ChannelLevel => ({ listingId: k.split("@")[0] as string, quantity }),
      );
    },
  };
  return {
    publisher,
    shows,
    calls,
    failWith: (...errors: OmnistockError[]) => {
      failNext = errors;
    },
    applyLater: (on: boolean) => {
      applyLater = on;
    },
    /** Applies the writes accepted for later. */
    settle: () => {
      for (const [k, q] of later) shows.set(k, q);
      later.clear();
    },
    reject: (listingId: string) => rejected.add(listingId),
  };
}

const catalog: CatalogConfig = {
  locations: [{ id: "main" }, { id: "mall" }],
  channels: [
    { id: "web", feed: { mode: "sum", locationIds: ["main", "mall"] }, buffer: { percent: 15 } },
    { id: "market", feed: { mode: "single", locationId: "main" }, buffer: { percent: 15 } },
  ],
  listings: [
    { channelId: "web", listingId: "MUG", sku: "MUG" },
    { channelId: "web", listingId: "TEA", sku: "TEA" },
    {
      channelId: "web",
      listingId: "GIFT",
      components: [
        { sku: "MUG", quantity: 1 },
        { sku: "TEA", quantity: 2 },
      ],
    },
    { channelId: "market", listingId: "MUG", sku: "MUG" },
  ],
};

const counted = (sku: string, locationId: string, onHand: number, version: number): StockEvent => ({
  type: "stock.counted",
  id: `count:${sku}:${locationId}:${version}`,
  at: version,
  locationId,
  sku,
  onHand,
  version,
});

/**
 * A system of record held in memory, as the sink contract says one behaves: sales and
 * returns recorded once by their reference, each answered with the stock events its own
 * webhooks would carry.
 */
function memorySink() {
  const onHand = new Map<string, number>();
  const recorded = new Map<string, RecordedSale>();
  const returns: ReturnToRecord[] = [];
  const move = (locationId: string, lines: readonly SkuQuantity[], sign: number) => {
    for (const { sku, quantity } of lines) {
      const key = `${sku}@${locationId}`;
      onHand.set(key, (onHand.get(key) ?? 4) + sign * quantity);
    }
  };
  const sink: SalesOrderSink = {
    platform: "lightspeed",
    async recordSale(sale) {
      const reference = `${sale.channelId}:${sale.orderId}`;
      const known = recorded.get(reference);
      if (known !== undefined) return { ...known, created: false };
      move(sale.locationId, sale.lines, -1);
      const saleId = `sale-${recorded.size + 1}`;
      const result: RecordedSale = {
        saleId,
        created: true,
        events: [
          {
            type: "pos.sale",
            id: `pos:${saleId}`,
            at: 150,
            locationId: sale.locationId,
            lines: sale.lines.map((line) => ({ ...line })),
            orderRef: reference,
          },
        ],
      };
      recorded.set(reference, result);
      return result;
    },
    async voidSale() {},
    async recordReturn(ret) {
      const reference = `${ret.channelId}:${ret.orderId}:return:${ret.returnId}`;
      const known = recorded.get(reference);
      if (known !== undefined) return { ...known, created: false };
      move(ret.locationId, ret.lines, 1);
      returns.push(ret);
      const saleId = `sale-${recorded.size + 1}`;
      const result: RecordedSale = {
        saleId,
        created: true,
        events: [
          {
            type: "pos.return",
            id: `pos:${saleId}:return`,
            at: 250,
            locationId: ret.locationId,
            lines: ret.lines.map((line) => ({ ...line, restock: true })),
          },
        ],
      };
      recorded.set(reference, result);
      return result;
    },
  };
  return { sink, onHand, returns };
}

function setup(opts: { web?: Parameters<typeof memoryChannel>[1]; sink?: boolean } = {}) {
  const web = memoryChannel("web", opts.web);
  const market = memoryChannel("market");
  const events: SyncEvent[] = [];
  const sink = memorySink();
  const engine = createSyncEngine({
    store: createMemoryStore(),
    tenants: [
      {
        id: "acme",
        catalog,
        channels: [web.publisher, market.publisher],
        ...(opts.sink ? { salesSink: sink.sink } : {}),
      },
    ],
    onEvent: (e) => events.push(e),
    dispatch: { minBackoffMs: 1, maxBackoffMs: 5, idleMs: 5, confirmDelayMs: 5, maxAttempts: 3 },
    polling: { stockEveryMs: 0, ordersEveryMs: 0 },
  });
  return { engine, web, market, events, sink };
}

const placed = (
  orderId: string,
  listingId: string,
  quantity: number,
  channelId = "web",
): ChannelOrder => ({
  eventId: `${channelId}:${orderId}:placed`,
  channelId,
  orderId,
  at: 100,
  status: "placed",
  lines: [{ listingId, quantity }],
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

describe("sync engine", () => {
  it("publishes 20 units with a 15 % buffer as 17 on both channels, and the gift set by its binding component", async () => {
    const { engine, web, market } = setup();
    await engine.start();
    await engine.applyEvents("acme", [counted("MUG", "main", 20, 1), counted("TEA", "main", 9, 1)]);
    await engine.idle();
    expect(web.shows.get("MUG@")).toBe(17);
    expect(market.shows.get("MUG@")).toBe(17);
    expect(web.shows.get("GIFT@")).toBe(3); // TEA: 9 → ⌊9 ÷ 2⌋ = 4 sets, less 15 % → 3
    await engine.stop();
  });

  it("applies a redelivered webhook once, and an event seen by webhook and by poll once", async () => {
    const { engine, web } = setup();
    await engine.start();
    const sale: StockEvent = {
      type: "pos.sale",
      id: "sale-1",
      at: 5,
      locationId: "main",
      lines: [{ sku: "MUG", quantity: 3 }],
    };
    await engine.applyEvents("acme", [counted("MUG", "main", 20, 1)]);
    const first = await engine.ingest("acme", "test", delivery("d1", { events: [sale] }));
    const again = await engine.ingest("acme", "test", delivery("d1", { events: [sale] }));
    const polled = await engine.applyEvents("acme", [sale]);
    expect(first).toMatchObject({ applied: true, events: 1 });
    expect(again.applied).toBe(false);
    expect(polled).toMatchObject({ events: 0, duplicates: 1 });
    await engine.idle();
    expect(web.shows.get("MUG@")).toBe(14); // 17 on hand × 0.85 → 14
    await engine.stop();
  });

  it("keeps the newer count when an older one arrives late, by the source's version", async () => {
    const { engine, market } = setup();
    await engine.start();
    await engine.applyEvents("acme", [{ ...counted("MUG", "main", 9, 7), at: 100 }]);
    await engine.applyEvents("acme", [{ ...counted("MUG", "main", 10, 6), at: 200 }]);
    await engine.idle();
    expect(market.shows.get("MUG@")).toBe(7); // 9 less 15 %, not 10
    await engine.stop();
  });

  it("routes a channel order, commits it so every other channel drops at once, and releases it on cancel", async () => {
    const { engine, web, market } = setup();
    await engine.start();
    await engine.applyEvents("acme", [counted("MUG", "main", 4, 1)]);
    await engine.idle();
    expect(market.shows.get("MUG@")).toBe(3);
    await engine.ingest("acme", "web", delivery("o1", { orders: [placed("1001", "MUG", 2)] }));
    await engine.idle();
    expect(market.shows.get("MUG@")).toBe(1); // 2 left, less 15 % → 1
    expect(web.shows.get("MUG@")).toBe(1);
    await engine.ingest(
      "acme",
      "web",
      delivery("o2", {
        orders: [
          { ...placed("1001", "MUG", 2), eventId: "web:1001:cancelled", status: "cancelled" },
        ],
      }),
    );
    await engine.idle();
    expect(market.shows.get("MUG@")).toBe(3);
    await engine.stop();
  });

  it("records a restocked refund as a return in the system of record, once, and every channel gets the units back", async () => {
    const { engine, market, sink } = setup({ sink: true });
    await engine.start();
    await engine.applyEvents("acme", [counted("MUG", "main", 4, 1)]);
    await engine.ingest("acme", "web", delivery("o1", { orders: [placed("1001", "MUG", 2)] }));
    await engine.ingest("acme", "web", delivery("o2", { orders: [placed("1002", "MUG", 1)] }));
    await engine.idle();
    expect(sink.onHand.get("MUG@main")).toBe(1);
    expect(market.shows.get("MUG@")).toBe(0); // 1 left, less 15 % → 0
    const refund = (orderId: string, quantity: number, restock: boolean): ChannelOrder => ({
      eventId: `web:${orderId}:refund:1`,
      channelId: "web",
      orderId,
      at: 200,
      status: "refunded",
      lines: [{ listingId: "MUG", quantity, restock }],
    });
    await engine.ingest("acme", "web", delivery("r1", { orders: [refund("1001", 2, true)] }));
    // A redelivery, and a refund whose goods stay with the customer: no return for either.
    await engine.ingest("acme", "web", delivery("r1", { orders: [refund("1001", 2, true)] }));
    await engine.ingest("acme", "web", delivery("r2", { orders: [refund("1002", 1, false)] }));
    await engine.idle();
    expect(sink.returns).toEqual([
      {
        orderId: "1001",
        channelId: "web",
        returnId: "web:1001:refund:1",
        locationId: "main",
        lines: [{ sku: "MUG", quantity: 2 }],
      },
    ]);
    expect(sink.onHand.get("MUG@main")).toBe(3);
    expect(market.shows.get("MUG@")).toBe(2); // 3 back on hand, less 15 % → 2
    await engine.stop();
  });

  it("takes a refund reported before its order once the order comes: the sale, then the return", async () => {
    const { engine, market, sink } = setup({ sink: true });
    await engine.start();
    await engine.applyEvents("acme", [counted("MUG", "main", 4, 1)]);
    const refund: ChannelOrder = {
      eventId: "web:1001:refund:1",
      channelId: "web",
      orderId: "1001",
      at: 200,
      status: "refunded",
      lines: [{ listingId: "MUG", quantity: 2, restock: true }],
    };
    await engine.ingest("acme", "web", delivery("r1", { orders: [refund] }));
    await engine.idle();
    expect(sink.returns).toEqual([]);
    await engine.ingest("acme", "web", delivery("o1", { orders: [placed("1001", "MUG", 2)] }));
    await engine.idle();
    expect(sink.returns.map((r) => r.returnId)).toEqual(["web:1001:refund:1"]);
    expect(sink.onHand.get("MUG@main")).toBe(4);
    expect(market.shows.get("MUG@")).toBe(3);
    await engine.stop();
  });

  it("writes a channel's number again after a restocked refund: the units the channel put back on sale itself are not there", async () => {
    const { engine, web } = setup();
    await engine.start();
    await engine.applyEvents("acme", [counted("MUG", "main", 4, 1)]);
    await engine.ingest("acme", "web", delivery("o1", { orders: [placed("1001", "MUG", 2)] }));
    await engine.idle();
    expect(web.shows.get("MUG@")).toBe(1);
    // Shopify restocks a refund on its own; its level webhook may never reach us.
    web.shows.set("MUG@", 3);
    await engine.ingest(
      "acme",
      "web",
      delivery("r1", {
        orders: [
          {
            ...placed("1001", "MUG", 2),
            eventId: "web:1001:refund:1",
            status: "refunded",
            lines: [{ listingId: "MUG", quantity: 2, restock: true }],
          },
        ],
      }),
    );
    await engine.idle();
    // No system of record took the units back: the order's release alone gives 4 − 15 %.
    expect(web.shows.get("MUG@")).toBe(3);
    web.shows.set("MUG@", 5);
    await engine.ingest(
      "acme",
      "web",
      delivery("r2", {
        orders: [
          {
            ...placed("1001", "MUG", 1),
            eventId: "web:1001:refund:2",
            status: "refunded",
            lines: [{ listingId: "MUG", quantity: 1, restock: true }],
          },
        ],
      }),
    );
    await engine.idle();
    expect(web.shows.get("MUG@")).toBe(3);
    await engine.stop();
  });

  it("reports an oversell when an order takes more than is left, and shows zero everywhere", async () => {
    const { engine, market, events } = setup();
    await engine.start();
    await engine.applyEvents("acme", [counted("MUG", "main", 1, 1)]);
    await engine.ingest("acme", "web", delivery("o1", { orders: [placed("1", "MUG", 2)] }));
    await engine.idle();
    expect(events.filter((e) => e.type === "oversell-risk")).toHaveLength(1);
    expect(market.shows.get("MUG@")).toBe(0);
    await engine.stop();
  });

  it("re-plans from the channel's value when compare-and-set is refused, never overwriting blind", async () => {
    const { engine, web, events } = setup();
    await engine.start();
    await engine.applyEvents("acme", [counted("MUG", "main", 20, 1)]);
    await engine.idle();
    web.shows.set("MUG@", 5); // someone edited it on the channel
    await engine.applyEvents("acme", [counted("MUG", "main", 10, 2)]);
    await engine.idle();
    expect(events.some((e) => e.type === "stale" && e.actual === 5)).toBe(true);
    expect(web.shows.get("MUG@")).toBe(8);
    expect(web.calls.at(-1)?.[0]).toMatchObject({ listingId: "MUG", previous: 5, quantity: 8 });
    await engine.stop();
  });

  it("confirms writes the channel applies later, and retries a failed request with backoff", async () => {
    const { engine, web } = setup();
    web.applyLater(true);
    await engine.start();
    web.failWith(new OmnistockError("SERVER", "503", { retryable: true }));
    await engine.applyEvents("acme", [counted("MUG", "main", 20, 1)]);
    await new Promise((r) => setTimeout(r, 50));
    expect(web.shows.get("MUG@")).toBeUndefined();
    web.settle();
    web.applyLater(false);
    await engine.idle();
    expect(web.shows.get("MUG@")).toBe(17);
    expect((await engine.store.listings("acme")).get("web\u0000MUG\u0000")?.published).toBe(17);
    await engine.stop();
  });

  it("parks an update after its last try and one the channel refuses for good, raising an event", async () => {
    const { engine, web, events } = setup();
    await engine.start();
    web.reject("TEA");
    const down = new OmnistockError("SERVER", "503", { retryable: true });
    web.failWith(down, down, down);
    await engine.applyEvents("acme", [
      counted("MUG", "main", 20, 1),
      counted("TEA", "main", 20, 1),
    ]);
    await engine.idle();
    const parked = await engine.store.parked("acme");
    expect(parked.map((p) => p.key).sort()).toEqual([
      "web\u0000GIFT\u0000",
      "web\u0000MUG\u0000",
      "web\u0000TEA\u0000",
    ]);
    expect(parked.find((p) => p.key === "web\u0000MUG\u0000")?.reason).toMatch(/SERVER/);
    expect(events.filter((e) => e.type === "parked").length).toBeGreaterThanOrEqual(3);
    await engine.stop();
  });

  it("recognises its own write announced back by the channel, and sets back a channel that shows more", async () => {
    const { engine, web, events } = setup();
    await engine.start();
    await engine.applyEvents("acme", [counted("MUG", "main", 20, 1)]);
    await engine.idle();
    await engine.ingest(
      "acme",
      "web",
      delivery("l1", { levels: [{ channelId: "web", listingId: "MUG", quantity: 17 }] }),
    );
    expect(events.filter((e) => e.type === "echo-suppressed")).toHaveLength(1);
    web.shows.set("MUG@", 30);
    await engine.ingest(
      "acme",
      "web",
      delivery("l2", { levels: [{ channelId: "web", listingId: "MUG", quantity: 30 }] }),
    );
    await engine.idle();
    expect(events.some((e) => e.type === "channel-drift")).toBe(true);
    expect(web.shows.get("MUG@")).toBe(17);
    await engine.stop();
  });

  it("coalesces many changes to one listing into its latest value, in batches of the channel's maximum", async () => {
    const { engine, web } = setup({ web: { maxBatch: 2 } });
    await engine.applyEvents(
      "acme",
      [1, 2, 3, 4, 5].map((v) => counted("MUG", "main", 10 * v, v)),
    );
    await engine.applyEvents("acme", [counted("TEA", "main", 10, 1)]);
    await engine.start();
    await engine.idle();
    expect(web.calls.flat().filter((u) => u.listingId === "MUG")).toHaveLength(1);
    expect(web.shows.get("MUG@")).toBe(42);
    expect(Math.max(...web.calls.map((c) => c.length))).toBeLessThanOrEqual(2);
    await engine.stop();
  });

  it("answers webhooks: 404 for an unknown route, 401 for a bad signature, 200 once applied", async () => {
    const web = memoryChannel("web");
    const engine = createSyncEngine({
      tenants: [
        {
          id: "acme",
          catalog,
          channels: [web.publisher],
          receivers: {
            pos: {
              platform: "lightspeed",
              receive: async () => {
                throw new Error("unused");
              },
              tryReceive: async ({ headers, body }) =>
                headers.get("x-signature") === "good"
                  ? {
                      ok: true,
                      delivery: delivery("w1", {
                        platform: "lightspeed",
                        events: [JSON.parse(body) as StockEvent],
                      }),
                    }
                  : { ok: false, error: new OmnistockError("SIGNATURE", "bad signature") },
            },
          },
        },
      ],
      polling: { stockEveryMs: 0, ordersEveryMs: 0 },
      dispatch: { idleMs: 5 },
    });
    await engine.start();
    const post = (path: string, signature: string) =>
      engine.handleWebhook(
        new Request(`http://127.0.0.1${path}`, {
          method: "POST",
          headers: { "x-signature": signature },
          body: JSON.stringify(counted("MUG", "main", 20, 1)),
        }),
      );
    expect((await post("/webhooks/acme/nope", "good")).status).toBe(404);
    expect((await post("/webhooks/acme/pos", "bad")).status).toBe(401);
    const ok = await post("/webhooks/acme/pos", "good");
    expect(ok.status).toBe(200);
    expect(await (await post("/webhooks/acme/pos", "good")).json()).toEqual({
      ok: true,
      duplicate: true,
    });
    await engine.idle();
    expect(web.shows.get("MUG@")).toBe(17);
    await engine.stop();
  });

  it("explains a channel's number", async () => {
    const { engine } = setup();
    await engine.start();
    await engine.applyEvents("acme", [counted("MUG", "main", 20, 1), counted("MUG", "mall", 3, 1)]);
    const why = await engine.explain("acme", { channelId: "web", listingId: "MUG" });
    expect(why.quantity).toBe(19);
    expect(why.pool).toBe(23);
    await engine.stop();
  });

  it("names every option at fault in one typed error, unknown keys included", () => {
    try {
      createSyncEngine({
        tenants: [{ id: "", catalog, channels: [{} as never] }],
        dispatch: { maxAttempts: 0 },
        extra: true,
      } as never);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(OmnistockError);
      expect((error as OmnistockError).code).toBe("VALIDATION");
      const paths = (error as OmnistockError).issues.map((i) => i.path.join("."));
      expect(paths).toEqual(
        expect.arrayContaining([
          "tenants.0.id",
          "tenants.0.channels.0",
          "dispatch.maxAttempts",
          "",
        ]),
      );
    }
  });

  it("refuses a publisher for a channel the catalog does not have", () => {
    expect(() =>
      createSyncEngine({
        tenants: [{ id: "acme", catalog, channels: [memoryChannel("ebay").publisher] }],
      }),
    ).toThrow(/ebay/);
  });
});
