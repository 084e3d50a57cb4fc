// Shopify sends REST ids as JSON numbers, and its own samples carry ids beyond 2^53; the
// receiver keeps every digit, and de-duplicates one event sent through two subscriptions.
import { describe, expect, it } from "vitest";
import {
  createShopifyClient,
  createShopifyMapping,
  createShopifyWebhookReceiver,
  shopifyWebhookHeaders,
} from "../src/index.js";

const SECRET = "shpss_ids";

// The ids of Shopify's documented samples (orders/create, refunds/create,
// inventory_levels/update), in bodies of our own: the raw text, as Shopify sends it.
const ORDER = `{
  "id": 820982911946154508,
  "admin_graphql_api_id": "gid://shopify/Order/820982911946154508",
  "created_at": "2021-12-31T19:00:00-05:00",
  "updated_at": "2021-12-31T19:00:00-05:00",
  "cancelled_at": null,
  "location_id": null,
  "customer": { "id": 115310627314723954, "default_address": { "id": 715243470612851245, "customer_id": 115310627314723954 } },
  "line_items": [
    { "id": 866550311766439020, "variant_id": 808950810, "product_id": 632910392, "sku": "IPOD2008PINK", "quantity": 1 },
    { "id": 141249953214522974, "variant_id": 808950810, "product_id": 632910392, "sku": "IPOD2008PINK", "quantity": 1 }
  ],
  "shipping_lines": [{ "id": 271878346596884015, "price": "10.00" }]
}`;
const REFUND = `{
  "id": 890088186047892319,
  "order_id": 820982911946154508,
  "created_at": "2021-12-31T19:00:00-05:00",
  "user_id": 548380009,
  "refund_line_items": [
    {
      "id": 487817672276298627,
      "line_item_id": 487817672276298554,
      "quantity": 1,
      "restock_type": "return",
      "location_id": 487838322,
      "line_item": { "id": 487817672276298554, "variant_id": 49148385, "sku": "SKU2006-001" }
    }
  ]
}`;
const LEVEL = `{
  "inventory_item_id": 271878346596884015,
  "location_id": 24826418,
  "available": 6,
  "updated_at": "2021-12-31T19:00:00-05:00",
  "admin_graphql_api_id": "gid://shopify/InventoryLevel/24826418?inventory_item_id=271878346596884015"
}`;

const deliver = (topic: string, body: string, headers: Record<string, string> = {}) => ({
  body,
  headers: new Headers({
    ...shopifyWebhookHeaders({ topic, body, secret: SECRET, webhookId: "w-1" }),
    ...headers,
  }),
});

describe("Shopify webhook ids", () => {
  const client = createShopifyClient({
    shop: "example.myshopify.com",
    baseUrl: "http://127.0.0.1:9",
    accessToken: "shpat_unused",
  });
  const mapping = createShopifyMapping({
    client,
    items: { "IPOD-PINK": "271878346596884015" },
    locations: { web: "24826418", back: "487838322" },
    discover: false,
  });
  const receiver = createShopifyWebhookReceiver({ channelId: "shopify-eu", secrets: [SECRET] });
  const mapped = createShopifyWebhookReceiver({
    channelId: "shopify-eu",
    secrets: [SECRET],
    mapping,
  });

  it("keeps every digit of the documented sample order's ids above 2^53", async () => {
    const result = await receiver.tryReceive(deliver("orders/create", ORDER));
    expect(result.ok && result.delivery.orders).toEqual([
      {
        eventId: "shopify-eu:order:820982911946154508:placed",
        channelId: "shopify-eu",
        orderId: "820982911946154508",
        status: "placed",
        at: Date.parse("2021-12-31T19:00:00-05:00"),
        lines: [
          { listingId: "IPOD2008PINK", quantity: 1 },
          { listingId: "IPOD2008PINK", quantity: 1 },
        ],
      },
    ]);
  });

  it("keeps the documented refund's ids and its order's id whole", async () => {
    const delivery = await receiver.receive(deliver("refunds/create", REFUND));
    expect(delivery.orders).toMatchObject([
      {
        eventId: "shopify-eu:order:820982911946154508:refund:890088186047892319",
        orderId: "820982911946154508",
        status: "refunded",
        channelLocationId: "gid://shopify/Location/487838322",
      },
    ]);
  });

  it("finds the documented level's inventory item above 2^53 in the mapping", async () => {
    const delivery = await mapped.receive(deliver("inventory_levels/update", LEVEL));
    expect(delivery.levels).toEqual([
      { channelId: "shopify-eu", listingId: "IPOD-PINK", channelLocationId: "web", quantity: 6 },
    ]);
  });

  it("still refuses an id that is not a positive whole number, naming it", async () => {
    for (const [body, path] of [
      [ORDER.replace("820982911946154508,", "-5,"), ["id"]],
      [ORDER.replace("820982911946154508,", "8.5e17,"), ["id"]],
      [LEVEL.replace("24826418,", '"24826418x",'), ["location_id"]],
    ] as const) {
      const topic = body.includes("inventory_item_id")
        ? "inventory_levels/update"
        : "orders/create";
      const result = await receiver.tryReceive(deliver(topic, body));
      expect(result.ok === false && result.error.code).toBe("VALIDATION");
      expect(result.ok === false && result.error.issues.map((i) => i.path)).toContainEqual(path);
    }
  });
});

describe("Shopify webhook de-duplication", () => {
  const receiver = createShopifyWebhookReceiver({ channelId: "shopify-eu", secrets: [SECRET] });
  const order = JSON.stringify({
    id: 450789469,
    created_at: "2026-11-22T09:00:00Z",
    updated_at: "2026-11-22T09:00:00Z",
    line_items: [{ id: 466157049, variant_id: 39072856, sku: "MUG-RED", quantity: 1 }],
  });

  it("keys a delivery by X-Shopify-Event-Id, so one event sent through two subscriptions is one delivery", async () => {
    const event = { "x-shopify-event-id": "98880550-7158-44d4-b7cd-2c97c8a091b5" };
    const first = await receiver.receive(
      deliver("orders/create", order, { ...event, "x-shopify-webhook-id": "sub-a-1" }),
    );
    const second = await receiver.receive(
      deliver("orders/create", order, { ...event, "x-shopify-webhook-id": "sub-b-1" }),
    );
    expect(first.deliveryId).toBe(second.deliveryId);
    expect(first.deliveryId).toBe("98880550-7158-44d4-b7cd-2c97c8a091b5");
  });

  it("falls back to X-Shopify-Webhook-Id where no event id is sent, and names it when both are missing", async () => {
    const a = await receiver.receive(
      deliver("orders/create", order, { "x-shopify-webhook-id": "a" }),
    );
    const b = await receiver.receive(
      deliver("orders/create", order, { "x-shopify-webhook-id": "b" }),
    );
    expect(a.deliveryId).not.toBe(b.deliveryId);
    const none = deliver("orders/create", order);
    none.headers.delete("x-shopify-webhook-id");
    const result = await receiver.tryReceive(none);
    expect(result.ok === false && result.error.issues.map((i) => i.path)).toContainEqual([
      "headers",
      "x-shopify-webhook-id",
    ]);
  });
});
