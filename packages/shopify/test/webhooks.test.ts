import { isOmnistockError, type WebhookDelivery, type WebhookResult } from "@omnistock/core";
import { type Sandbox, type ServedHandler, serve, startSandbox } from "@omnistock/sandbox";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import {
  createShopifyMapping,
  createShopifyOrderSource,
  createShopifyPublisher,
  createShopifyWebhookReceiver,
  SHOPIFY_WEBHOOK_TOPICS,
  shopifyWebhookHeaders,
  signShopifyWebhook,
} from "../src/index.js";
import { clientOf, type Shop } from "./support.js";

vi.setConfig({ testTimeout: 30_000 });

const SECRET = "shpss_test";

describe("Shopify webhooks from the sandbox", () => {
  let sandbox: Sandbox;
  let shop: Shop;
  let served: ServedHandler;
  const results: WebhookResult[] = [];

  beforeAll(async () => {
    sandbox = await startSandbox({
      shopify: [
        {
          plan: "plus",
          webhookSecret: SECRET,
          faults: { webhooks: { duplicateRate: 0.5, reorderRate: 0.4 } },
        },
      ],
      seed: 3,
    });
    shop = sandbox.shopify[0] as Shop;
  });
  afterAll(async () => {
    await sandbox.close();
    await served.close();
  });

  it("turns orders, refunds and level changes into deliveries that duplicates and reordering do not change", async () => {
    const client = clientOf(shop, {}, { plan: "plus" });
    const web = shop.control.addLocation("Web").id;
    const mug = shop.control.addVariant({ sku: "MUG-RED" });
    const tea = shop.control.addVariant({ sku: "TEA-EARL" });
    shop.control.stock(mug.inventoryItemId, web, 10);
    shop.control.stock(tea.inventoryItemId, web, 10);
    const mapping = createShopifyMapping({ client, locations: { web } });
    const receiver = createShopifyWebhookReceiver({
      channelId: "shopify-eu",
      secrets: ["shpss_new", SECRET],
      shop: shop.credentials.shop,
      mapping,
    });
    served = await serve(async (request) => {
      const result = await receiver.tryReceive({
        body: await request.text(),
        headers: request.headers,
      });
      results.push(result);
      return new Response(null, { status: result.ok ? 200 : 401 });
    });
    for (const topic of SHOPIFY_WEBHOOK_TOPICS)
      shop.control.subscribe(topic, `${served.url}/shopify`);

    const since = Date.now() - 60_000;
    const a = shop.control.placeOrder([{ variantId: mug.id, quantity: 2 }], web);
    shop.control.fulfillOrder(a.id);
    shop.control.refund(a.id, [{ variantId: mug.id, quantity: 1, restock: true }]);
    const b = shop.control.placeOrder([{ variantId: tea.id, quantity: 1 }], web);
    shop.control.cancelOrder(b.id);
    const publisher = createShopifyPublisher({ client, channelId: "shopify-eu", mapping });
    const [published] = await publisher.publish([
      { listingId: "TEA-EARL", channelLocationId: "web", quantity: 4, previous: 10, urgent: false },
    ]);
    expect(published?.status).toBe("published");
    await shop.drainWebhooks();

    expect(results.every((r) => r.ok)).toBe(true);
    const deliveries = results.flatMap((r) => (r.ok ? [r.delivery] : []));
    const byId = new Map<string, WebhookDelivery[]>();
    for (const d of deliveries) byId.set(d.deliveryId, [...(byId.get(d.deliveryId) ?? []), d]);
    const repeated = [...byId.values()].filter((copies) => copies.length > 1);
    expect(repeated.length).toBeGreaterThan(0);
    for (const copies of repeated) expect(copies[1]).toEqual(copies[0]);

    const webhookEvents = new Set(deliveries.flatMap((d) => d.orders.map((o) => o.eventId)));
    const polled = await createShopifyOrderSource({
      client,
      channelId: "shopify-eu",
      mapping,
      startAt: since,
    }).ordersSince(undefined);
    expect(webhookEvents).toEqual(new Set(polled.orders.map((o) => o.eventId)));
    expect(webhookEvents.size).toBe(5);
    const refund = deliveries.find((d) => d.topic === "refunds/create")?.orders[0];
    expect(refund).toMatchObject({
      status: "refunded",
      lines: [{ listingId: "MUG-RED", quantity: 1, restock: true }],
      channelLocationId: "web",
    });

    // Our own write comes back as a level, for the runtime to recognise as its echo.
    const echo = deliveries
      .filter((d) => d.topic === "inventory_levels/update")
      .flatMap((d) => d.levels)
      .filter((l) => l.listingId === "TEA-EARL");
    expect(echo.at(-1)).toEqual({
      channelId: "shopify-eu",
      listingId: "TEA-EARL",
      channelLocationId: "web",
      quantity: 4,
    });
  });
});

describe("Shopify webhook verification and parsing", () => {
  const receiver = createShopifyWebhookReceiver({
    channelId: "shopify-eu",
    secrets: ["shpss_new", "shpss_old"],
    shop: "example.myshopify.com",
  });
  const order = {
    id: 5678901234567,
    created_at: "2026-11-22T09:00:00Z",
    updated_at: "2026-11-22T09:00:00Z",
    cancelled_at: null,
    line_items: [
      { id: 1, variant_id: 44, sku: "MUG-RED", quantity: 2 },
      { id: 2, variant_id: null, sku: null, quantity: 1 },
    ],
  };
  const deliver = (
    payload: unknown,
    {
      topic = "orders/create",
      secret = "shpss_old",
      webhookId = "w-1",
      shop = "example.myshopify.com",
    } = {},
  ) => {
    const body = typeof payload === "string" ? payload : JSON.stringify(payload);
    return {
      body,
      headers: new Headers(shopifyWebhookHeaders({ topic, body, secret, webhookId, shop })),
    };
  };

  it("verifies under any of the rotating secrets and parses an order, leaving out custom lines", async () => {
    const delivery = await receiver.receive(deliver(order));
    expect(delivery).toMatchObject({
      platform: "shopify",
      topic: "orders/create",
      deliveryId: "w-1",
      events: [],
      levels: [],
      orders: [
        {
          eventId: "shopify-eu:order:5678901234567:placed",
          orderId: "5678901234567",
          status: "placed",
          at: Date.UTC(2026, 10, 22, 9, 0, 0),
          lines: [{ listingId: "MUG-RED", quantity: 2 }],
        },
      ],
    });
    expect((await receiver.receive(deliver(order, { secret: "shpss_new" }))).orders).toHaveLength(
      1,
    );
  });

  it("rejects a bad or missing signature before reading the body", async () => {
    const forged = await receiver.tryReceive(deliver("not even json", { secret: "shpss_wrong" }));
    expect(forged.ok === false && forged.error.code).toBe("SIGNATURE");
    const unsigned = deliver(order);
    unsigned.headers.delete("x-shopify-hmac-sha256");
    const missing = await receiver.tryReceive(unsigned);
    expect(missing.ok === false && missing.error.code).toBe("SIGNATURE");
    const tampered = deliver(order);
    const changed = { ...tampered, body: tampered.body.replace('"quantity":2', '"quantity":9') };
    await expect(receiver.receive(changed)).rejects.toSatisfy((e) =>
      isOmnistockError(e, "SIGNATURE"),
    );
  });

  it("names the field of a malformed delivery", async () => {
    const cases: [ReturnType<typeof deliver>, (string | number)[]][] = [
      [deliver({ ...order, line_items: undefined }), ["line_items"]],
      [
        deliver({ ...order, line_items: [{ id: 1, variant_id: 4, quantity: -1 }] }),
        ["line_items", 0, "quantity"],
      ],
      [deliver("{oops"), ["body"]],
      [deliver(order, { topic: "orders/cancelled" }), ["cancelled_at"]],
      [
        deliver(
          {
            id: 5,
            order_id: 6,
            created_at: "2026-11-22T09:00:00Z",
            refund_line_items: [{ quantity: 1, restock_type: "maybe", line_item: {} }],
          },
          { topic: "refunds/create" },
        ),
        ["refund_line_items", 0, "restock_type"],
      ],
      [
        deliver(
          { inventory_item_id: 1, location_id: 2, available: 3 },
          { topic: "inventory_levels/update" },
        ),
        ["updated_at"],
      ],
      [deliver(order, { webhookId: "" }), ["headers", "x-shopify-webhook-id"]],
      [deliver(order, { shop: "other.myshopify.com" }), ["headers", "x-shopify-shop-domain"]],
    ];
    for (const [request, path] of cases) {
      const result = await receiver.tryReceive(request);
      expect(result.ok === false && result.error.code).toBe("VALIDATION");
      expect(result.ok === false && result.error.issues.map((i) => i.path)).toContainEqual(path);
    }
  });

  it("reports a refund's restocked and kept lines, and acknowledges other topics with nothing", async () => {
    const refund = {
      id: 77,
      order_id: 5678901234567,
      created_at: "2026-11-22T10:00:00Z",
      refund_line_items: [
        {
          quantity: 1,
          restock_type: "return",
          location_id: 9,
          line_item: { variant_id: 44, sku: "MUG-RED" },
        },
        {
          quantity: 2,
          restock_type: "no_restock",
          location_id: null,
          line_item: { variant_id: 45, sku: "TEA-EARL" },
        },
      ],
    };
    const delivery = await receiver.receive(deliver(refund, { topic: "refunds/create" }));
    expect(delivery.orders).toEqual([
      {
        eventId: "shopify-eu:order:5678901234567:refund:77",
        channelId: "shopify-eu",
        orderId: "5678901234567",
        at: Date.UTC(2026, 10, 22, 10, 0, 0),
        status: "refunded",
        lines: [
          { listingId: "MUG-RED", quantity: 1, restock: true },
          { listingId: "TEA-EARL", quantity: 2, restock: false },
        ],
        channelLocationId: "gid://shopify/Location/9",
      },
    ]);
    const other = await receiver.receive(deliver({ id: 1 }, { topic: "products/update" }));
    expect(other).toMatchObject({ topic: "products/update", orders: [], levels: [], events: [] });
  });

  it("carries a fulfilment's tracking on the fulfilled order", async () => {
    const fulfilled = {
      ...order,
      fulfillments: [{ tracking_company: "DHL", tracking_number: "JD0142" }],
    };
    const delivery = await receiver.receive(deliver(fulfilled, { topic: "orders/fulfilled" }));
    expect(delivery.orders[0]).toMatchObject({
      status: "fulfilled",
      eventId: "shopify-eu:order:5678901234567:fulfilled",
      tracking: { company: "DHL", number: "JD0142" },
    });
  });

  it("signs as Shopify does: base64 HMAC-SHA256 of the raw body", () => {
    expect(signShopifyWebhook("{}", "secret")).toBe("dzJZAsrKgS3CWXM6rNBGtzgXNyx3e42VtAJkdHRRbhM=");
  });
});
