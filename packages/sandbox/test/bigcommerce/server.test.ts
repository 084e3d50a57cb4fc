import { createHmac } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createBigCommerceServer,
  type OutgoingWebhook,
  type ServedHandler,
  serve,
} from "../../src/index.js";

let now = Date.UTC(2026, 10, 22, 9, 0, 0);
const delivered: OutgoingWebhook[] = [];
const bigcommerce = createBigCommerceServer({
  clock: () => now,
  applyDelayMs: 2_000,
  deliver: (d) => delivered.push(d),
});
const { control, credentials } = bigcommerce;
const warehouse = control.addLocation("WH", "Warehouse");
const tee = control.addProduct({ name: "Tee", skus: ["TEE-S", "TEE-M"] });
control.addProduct({ name: "Gift card", skus: ["GIFT"], tracking: "none" });
control.setInventory("TEE-S", 1, 10);
let served: ServedHandler;

beforeAll(async () => {
  served = await serve((request) => bigcommerce.fetch(request));
});
afterAll(() => served.close());

// biome-ignore lint/suspicious/noExplicitAny: answers are read loosely here; the contract test checks their shape.
type Loose = any;
const call = async (path: string, init: RequestInit = {}, token = credentials.accessToken) => {
  const response = await fetch(`${served.url}/stores/${credentials.storeHash}${path}`, {
    ...init,
    headers: { "x-auth-token": token, "content-type": "application/json", ...init.headers },
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: (text === "" ? undefined : JSON.parse(text)) as Loose,
  };
};

describe("BigCommerce fake", () => {
  it("refuses a missing token with a problem+json 401", async () => {
    const { status, headers } = await call("/v3/inventory/locations", {}, "nope");
    expect(status).toBe(401);
    expect(headers.get("content-type")).toBe("application/problem+json");
  });

  it("finds variants by SKU and inventory per location, leaving out untracked items", async () => {
    const variants = await call("/v3/catalog/variants?sku=TEE-M");
    expect(variants.body.data).toMatchObject([{ sku: "TEE-M", product_id: tee.id }]);
    const byVariant = await call(`/v3/inventory/items?variant_id:in=${tee.variants[1]?.id}`);
    expect(byVariant.body.data.map((i: Loose) => i.identity.sku)).toEqual(["TEE-M"]);
    const byProduct = await call(`/v3/inventory/items?product_id:in=${tee.id}`);
    expect(byProduct.body.data.map((i: Loose) => i.identity.sku)).toEqual(["TEE-S", "TEE-M"]);
    const items = await call("/v3/inventory/items?sku:in=TEE-S,GIFT");
    expect(items.body.data).toHaveLength(1);
    expect(items.body.data[0].locations.find((l: Loose) => l.location_id === 1)).toMatchObject({
      total_inventory_onhand: 10,
    });
  });

  it("filters variants by sku:in and product_id:in, and products by id:in", async () => {
    const variants = await call("/v3/catalog/variants?sku:in=TEE-S,GIFT,NOPE");
    expect(variants.body.data.map((v: Loose) => v.sku).sort()).toEqual(["GIFT", "TEE-S"]);
    const ofTee = await call(`/v3/catalog/variants?product_id:in=${tee.id}`);
    expect(ofTee.body.data.map((v: Loose) => v.sku)).toEqual(["TEE-S", "TEE-M"]);
    const products = await call(`/v3/catalog/products?id:in=${tee.id}`);
    expect(products.body.data).toMatchObject([{ id: tee.id, inventory_tracking: "variant" }]);
  });

  it("pages v2 orders and order products with page and limit, 204 past the last page", async () => {
    const first = control.placeOrder([
      { sku: "TEE-S", quantity: 1 },
      { sku: "TEE-M", quantity: 1 },
    ]);
    const second = control.placeOrder([{ sku: "TEE-S", quantity: 1 }]);
    const pageOne = await call("/v2/orders?limit=1&page=1");
    const pageTwo = await call("/v2/orders?limit=1&page=2");
    expect(pageOne.body.map((o: Loose) => o.id)).toEqual([first.id]);
    expect(pageTwo.body.map((o: Loose) => o.id)).toEqual([second.id]);
    expect((await call("/v2/orders?limit=1&page=3")).status).toBe(204);
    const lines = await call(`/v2/orders/${first.id}/products?limit=1&page=2`);
    expect(lines.body).toMatchObject([{ sku: "TEE-M" }]);
    expect((await call(`/v2/orders/${first.id}/products?limit=1&page=3`)).status).toBe(204);
    control.setOrderStatus(first.id, 5);
    control.setOrderStatus(second.id, 5);
  });

  it("applies absolute adjustments asynchronously, after the delay", async () => {
    const put = await call("/v3/inventory/adjustments/absolute", {
      method: "PUT",
      body: JSON.stringify({
        reason: "sync",
        items: [{ sku: "TEE-M", location_id: warehouse.id, quantity: 7 }],
      }),
    });
    expect(put.status).toBe(200);
    expect(put.body.transaction_id).toMatch(/^txn_/);
    expect(control.inventory("TEE-M", warehouse.id)).toBe(0);
    now += 2_000;
    expect(control.inventory("TEE-M", warehouse.id)).toBe(7);
    const signed = delivered.find((d) => d.topic === "store/sku/inventory/updated");
    expect(signed).toBeUndefined(); // no subscription yet
  });

  it("finds the items of an adjustment by variant id or by product id", async () => {
    const book = control.addProduct({ name: "Book", skus: ["BOOK"], tracking: "product" });
    const put = await call("/v3/inventory/adjustments/absolute", {
      method: "PUT",
      body: JSON.stringify({
        items: [
          { variant_id: tee.variants[1]?.id, location_id: 1, quantity: 6 },
          { product_id: book.id, location_id: 1, quantity: 2 },
        ],
      }),
    });
    expect(put.status).toBe(200);
    control.settle();
    expect(control.inventory("TEE-M", 1)).toBe(6);
    expect(control.inventory("BOOK", 1)).toBe(2);
  });

  it("refuses a relative adjustment before any absolute one, and more than 2,000 items", async () => {
    const relative = await call("/v3/inventory/adjustments/relative", {
      method: "POST",
      body: JSON.stringify({ items: [{ sku: "TEE-S", location_id: warehouse.id, quantity: -1 }] }),
    });
    expect(relative.status).toBe(422);
    expect(relative.body.title).toContain("requires absolute adjustment before relative");
    const ok = await call("/v3/inventory/adjustments/relative", {
      method: "POST",
      body: JSON.stringify({ items: [{ sku: "TEE-S", location_id: 1, quantity: -3 }] }),
    });
    expect(ok.status).toBe(200);
    control.settle();
    expect(control.inventory("TEE-S", 1)).toBe(7);
    const tooMany = Array.from({ length: 2_001 }, () => ({
      sku: "TEE-S",
      location_id: 1,
      quantity: 1,
    }));
    expect(
      (
        await call("/v3/inventory/adjustments/absolute", {
          method: "PUT",
          body: JSON.stringify({ items: tooMany }),
        })
      ).status,
    ).toBe(422);
    const untracked = await call("/v3/inventory/adjustments/absolute", {
      method: "PUT",
      body: JSON.stringify({ items: [{ sku: "GIFT", location_id: 1, quantity: 1 }] }),
    });
    expect(untracked.status).toBe(422);
  });

  it("takes stock for an order, gives it back on cancel, and signs webhooks in the Standard Webhooks scheme", async () => {
    control.subscribe("store/order/*", "http://127.0.0.1:1/bc");
    const order = control.placeOrder([{ sku: "TEE-S", quantity: 2 }]);
    expect(control.inventory("TEE-S", 1)).toBe(5);
    const hook = delivered.find((d) => d.topic === "store/order/created");
    expect(JSON.parse(hook?.body ?? "{}")).toMatchObject({
      scope: "store/order/created",
      data: { type: "order", id: order.id },
    });
    const {
      "webhook-id": id,
      "webhook-timestamp": timestamp,
      "webhook-signature": signature,
    } = hook?.headers ?? {};
    const key = Buffer.from(credentials.webhookSecret.slice("whsec_".length), "base64");
    expect(signature).toBe(
      `v1,${createHmac("sha256", key).update(`${id}.${timestamp}.${hook?.body}`).digest("base64")}`,
    );

    const products = await call(`/v2/orders/${order.id}/products`);
    expect(products.body).toMatchObject([
      { sku: "TEE-S", quantity: 2, variant_id: tee.variants[0]?.id },
    ]);
    control.setOrderStatus(order.id, 5);
    expect(control.inventory("TEE-S", 1)).toBe(7);
    expect((await call(`/v2/orders/${order.id}`)).body).toMatchObject({
      status_id: 5,
      status: "Cancelled",
    });
  });

  it("ships an order with its tracking: Shipped, a shipment to read, the webhooks", async () => {
    const order = control.placeOrder([{ sku: "TEE-S", quantity: 1 }]);
    expect((await call(`/v2/orders/${order.id}/shipments`)).status).toBe(204);
    control.subscribe("store/shipment/*", "http://127.0.0.1:1/bc");
    const mark = delivered.length;
    control.shipOrder(order.id, { trackingNumber: "1Z999", carrier: "ups" });
    expect((await call(`/v2/orders/${order.id}`)).body).toMatchObject({ status_id: 2 });
    expect((await call(`/v2/orders/${order.id}/shipments`)).body).toMatchObject([
      { order_id: order.id, tracking_number: "1Z999", tracking_carrier: "ups" },
    ]);
    expect(delivered.slice(mark).map((d) => d.topic)).toEqual([
      "store/shipment/created",
      "store/order/statusUpdated",
    ]);
    control.setOrderStatus(order.id, 5);
  });

  it("reports its quota in headers and answers 429 past 150 requests in 30 s", async () => {
    const limited = createBigCommerceServer({ clock: () => now });
    const request = () =>
      limited.fetch(
        new Request("http://sandbox/stores/sandbox/v3/inventory/locations", {
          headers: { "x-auth-token": "bc_sandbox_token" },
        }),
      );
    let last = await request();
    expect(last.headers.get("x-rate-limit-requests-quota")).toBe("150");
    expect(last.headers.get("x-rate-limit-requests-left")).toBe("149");
    for (let i = 1; i < 150; i++) last = await request();
    expect(last.status).toBe(200);
    now += 10_000;
    const refused = await request();
    expect(refused.status).toBe(429);
    expect(refused.headers.get("x-rate-limit-time-reset-ms")).toBe("20000");
    now += 20_000;
    expect((await request()).status).toBe(200);
  });
});
