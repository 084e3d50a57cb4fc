import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { isOmnistockError } from "@omnistock/core";
import { type Sandbox, startSandbox } from "@omnistock/sandbox";
import { standardWebhookHeaders } from "@omnistock/transport";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  createBigCommerceClient,
  createBigCommerceOrderSource,
  createBigCommerceWebhookReceiver,
} from "../src/index.js";

let now = Date.UTC(2026, 10, 22, 9, 0, 0);
const clock = () => now;
let sandbox: Sandbox;
let server: Server;
let hookUrl = "";
const received: { body: string; headers: Headers }[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => {
      body += chunk;
    });
    req.on("end", () => {
      const headers = new Headers();
      for (const [name, value] of Object.entries(req.headers)) {
        if (typeof value === "string") headers.set(name, value);
      }
      received.push({ body, headers });
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  hookUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/bigcommerce`;
  sandbox = await startSandbox({ bigcommerce: { quota: 100_000 }, clock });
  const { control } = sandbox.bigcommerce!;
  control.addProduct({ name: "Tee", skus: ["TEE-S", "TEE-M"] });
  control.addProduct({ name: "Mug", skus: ["MUG-RED"] });
  control.setInventory("TEE-S", 1, 1_000);
  control.setInventory("MUG-RED", 1, 1_000);
});
afterAll(async () => {
  await sandbox.close();
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});
beforeEach(() => {
  sandbox.bigcommerce!.setFaults(undefined);
});

const client = () =>
  createBigCommerceClient({
    storeHash: sandbox.bigcommerce!.credentials.storeHash,
    accessToken: sandbox.bigcommerce!.credentials.accessToken,
    apiUrl: sandbox.bigcommerce!.url,
    http: { retry: { retries: 1, minDelayMs: 1 } },
  });

const receiver = (
  secrets: string | readonly string[] = sandbox.bigcommerce!.credentials.clientSecret,
) =>
  createBigCommerceWebhookReceiver({
    client: client(),
    channelId: "bigcommerce",
    secrets,
    clock,
  });

/** Webhooks the sandbox sent since the last call. */
async function deliveries() {
  await sandbox.bigcommerce!.drainWebhooks();
  return received.splice(0);
}

describe("BigCommerce order source", () => {
  it("polls orders modified since the cursor, with their lines and what their status means", async () => {
    const { control } = sandbox.bigcommerce!;
    const source = createBigCommerceOrderSource({
      client: client(),
      channelId: "bigcommerce",
      since: now,
      channelLocationId: "online",
    });
    const start = await source.ordersSince(undefined);
    expect(start.orders).toEqual([]); // 204: none yet

    const placed = control.placeOrder([
      { sku: "TEE-S", quantity: 2 },
      { sku: "MUG-RED", quantity: 1 },
    ]);
    const first = await source.ordersSince(start.cursor);
    expect(first.orders).toEqual([
      {
        eventId: `bigcommerce:bigcommerce:order:${placed.id}:placed`,
        channelId: "bigcommerce",
        orderId: String(placed.id),
        at: now,
        status: "placed",
        lines: [
          { listingId: "TEE-S", quantity: 2 },
          { listingId: "MUG-RED", quantity: 1 },
        ],
        channelLocationId: "online",
      },
    ]);
    expect(first.cursor).toBe(new Date(now).toISOString());

    now += 2_000;
    const shipped = control.placeOrder([{ sku: "TEE-S", quantity: 1 }]);
    const refunded = control.placeOrder([{ sku: "MUG-RED", quantity: 1 }]);
    const declined = control.placeOrder([{ sku: "MUG-RED", quantity: 3 }]);
    const incomplete = control.placeOrder([{ sku: "MUG-RED", quantity: 1 }]);
    now += 2_000;
    control.setOrderStatus(placed.id, 5);
    control.shipOrder(shipped.id, { trackingNumber: "1Z999", carrier: "ups" });
    control.setOrderStatus(refunded.id, 4);
    control.setOrderStatus(declined.id, 6);
    control.setOrderStatus(incomplete.id, 0);
    const second = await source.ordersSince(first.cursor);
    expect(
      second.orders.map((o) => [Number(o.orderId), o.status, o.lines.map((l) => l.restock)]),
    ).toEqual([
      [placed.id, "cancelled", [undefined, undefined]],
      [shipped.id, "fulfilled", [undefined]],
      [refunded.id, "refunded", [true]],
      [declined.id, "cancelled", [undefined]],
    ]);
    expect(second.orders[1]).toMatchObject({
      eventId: `bigcommerce:bigcommerce:order:${shipped.id}:fulfilled:1Z999`,
      tracking: { number: "1Z999", company: "ups" },
    });
    expect(second.cursor).toBe(new Date(now).toISOString());
    // The boundary second is read again: the same reports, the same event ids.
    const again = await source.ordersSince(second.cursor);
    expect(again.orders.map((o) => o.eventId)).toEqual(second.orders.map((o) => o.eventId));
  });

  it("reads every page of orders", async () => {
    const { control } = sandbox.bigcommerce!;
    now += 10_000;
    const since = now;
    const ids = Array.from(
      { length: 260 },
      () => control.placeOrder([{ sku: "TEE-S", quantity: 1 }]).id,
    );
    const source = createBigCommerceOrderSource({
      client: client(),
      channelId: "bigcommerce",
      since,
    });
    const { orders } = await source.ordersSince(undefined);
    expect(orders.map((o) => Number(o.orderId))).toEqual(ids);
  }, 30_000);

  it("refuses a cursor that is not a date", async () => {
    const source = createBigCommerceOrderSource({ client: client(), channelId: "bigcommerce" });
    await expect(source.ordersSince("yesterday")).rejects.toMatchObject({ code: "VALIDATION" });
  });
});

describe("BigCommerce webhooks", () => {
  it("verifies the sandbox's signed webhooks and fetches the order they name", async () => {
    const { control } = sandbox.bigcommerce!;
    control.subscribe("store/order/*", hookUrl);
    now += 10_000;
    const order = control.placeOrder([{ sku: "TEE-M", quantity: 1 }]);
    control.setOrderStatus(order.id, 5);
    const sent = await deliveries();
    expect(sent).toHaveLength(2);
    const bigcommerce = receiver();
    const [created, cancelled] = await Promise.all(sent.map((hook) => bigcommerce.receive(hook)));
    expect(created).toMatchObject({
      platform: "bigcommerce",
      topic: "store/order/created",
      deliveryId: sent[0]?.headers.get("webhook-id"),
      events: [],
      levels: [],
    });
    expect(cancelled?.topic).toBe("store/order/statusUpdated");
    // Both fetched the order as it is now: cancelled, one event.
    expect(created?.orders).toMatchObject([
      {
        orderId: String(order.id),
        status: "cancelled",
        lines: [{ listingId: "TEE-M", quantity: 1 }],
      },
    ]);
    expect(cancelled?.orders.map((o) => o.eventId)).toEqual(created?.orders.map((o) => o.eventId));
  });

  it("reports a shipment as its order fulfilled, with the tracking", async () => {
    const { control } = sandbox.bigcommerce!;
    control.subscribe("store/shipment/*", hookUrl);
    now += 1_000;
    const order = control.placeOrder([{ sku: "TEE-S", quantity: 1 }]);
    await deliveries();
    control.shipOrder(order.id, { trackingNumber: "TRACK-1" });
    const sent = await deliveries();
    const bigcommerce = receiver();
    const results = await Promise.all(sent.map((hook) => bigcommerce.receive(hook)));
    expect(results.map((r) => r.topic)).toEqual([
      "store/shipment/created",
      "store/order/statusUpdated",
    ]);
    for (const result of results) {
      expect(result.orders).toMatchObject([
        { orderId: String(order.id), status: "fulfilled", tracking: { number: "TRACK-1" } },
      ]);
      expect(result.orders[0]?.tracking).not.toHaveProperty("company");
    }
  });

  it("gives duplicate deliveries the same delivery id, and reordered ones converge on the order's state", async () => {
    const { control } = sandbox.bigcommerce!;
    sandbox.bigcommerce!.setFaults({ webhooks: { duplicateRate: 1 } });
    now += 1_000;
    const order = control.placeOrder([{ sku: "MUG-RED", quantity: 2 }]);
    const twice = await deliveries();
    expect(twice).toHaveLength(2);
    const bigcommerce = receiver();
    const [a, b] = await Promise.all(twice.map((hook) => bigcommerce.receive(hook)));
    expect(a?.deliveryId).toBe(b?.deliveryId);
    expect(a?.orders).toEqual(b?.orders);
    expect(a?.orders[0]?.status).toBe("placed");

    sandbox.bigcommerce!.setFaults({ webhooks: { reorderRate: 1 } });
    now += 1_000;
    control.setOrderStatus(order.id, 2);
    const later = control.placeOrder([{ sku: "MUG-RED", quantity: 1 }]);
    const reordered = await deliveries();
    expect(reordered.map((r) => (JSON.parse(r.body) as { scope: string }).scope)).toEqual([
      "store/order/created",
      "store/order/statusUpdated",
    ]);
    const results = [];
    for (const hook of reordered) results.push(await bigcommerce.receive(hook));
    expect(results.flatMap((r) => r.orders.map((o) => [Number(o.orderId), o.status]))).toEqual([
      [later.id, "placed"],
      [order.id, "fulfilled"],
    ]);
  });

  it("refuses bad signatures, stale timestamps and other secrets before parsing", async () => {
    const { control, credentials } = sandbox.bigcommerce!;
    sandbox.bigcommerce!.setFaults({ webhooks: { corruptSignatureRate: 1 } });
    now += 1_000;
    control.placeOrder([{ sku: "MUG-RED", quantity: 1 }]);
    const [corrupt] = await deliveries();
    if (corrupt === undefined) throw new Error("no webhook");
    const result = await receiver().tryReceive(corrupt);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error.code).toBe("SIGNATURE");

    const body = JSON.stringify({
      scope: "store/order/created",
      store_id: "1",
      data: { type: "order", id: 1 },
      hash: "x",
      created_at: Math.floor(now / 1000),
      producer: "stores/sandbox",
    });
    const signed = (timestamp: number, secret = credentials.webhookSecret) => ({
      body,
      headers: new Headers(standardWebhookHeaders({ id: "msg_stale", timestamp, body, secret })),
    });
    const stale = await receiver().tryReceive(signed(Math.floor(now / 1000) - 600));
    expect(!stale.ok && stale.error.code).toBe("SIGNATURE");
    expect(!stale.ok && stale.error.message).toMatch(/timestamp/);
    const other = await receiver("another-secret").tryReceive(signed(Math.floor(now / 1000)));
    expect(!other.ok && other.error.code).toBe("SIGNATURE");
    // Rotation: the old secret and the new one are both accepted meanwhile.
    const rotated = await receiver(["new-secret", credentials.clientSecret]).receive(
      signed(Math.floor(now / 1000)),
    );
    expect(rotated.deliveryId).toBe("msg_stale");
  });

  it("reads back the levels an inventory webhook announces, at the channel's locations", async () => {
    const { control, credentials } = sandbox.bigcommerce!;
    control.subscribe("store/sku/inventory/updated", hookUrl);
    const bigcommerce = client();
    const [teeM] = await bigcommerce.variants({ skus: ["TEE-M"] });
    if (teeM === undefined) throw new Error("no TEE-M");
    await bigcommerce.adjustAbsolute([{ locationId: 1, variantId: teeM.id, quantity: 12 }]);
    const hook = (await deliveries()).find(
      (h) => (JSON.parse(h.body) as { scope: string }).scope === "store/sku/inventory/updated",
    );
    if (hook === undefined) throw new Error("no inventory webhook");
    const mapped = createBigCommerceWebhookReceiver({
      client: bigcommerce,
      channelId: "bigcommerce",
      secrets: credentials.clientSecret,
      clock,
      locations: { online: 1 },
    });
    expect((await mapped.receive(hook)).levels).toEqual([
      { channelId: "bigcommerce", listingId: "TEE-M", channelLocationId: "online", quantity: 12 },
    ]);

    const body = JSON.stringify({
      scope: "store/product/inventory/updated",
      store_id: "1",
      data: {
        type: "product",
        id: teeM.product_id,
        inventory: { product_id: teeM.product_id, method: "absolute", value: 1 },
      },
      created_at: Math.floor(now / 1000),
      producer: "stores/sandbox",
    });
    const product = await receiver().receive({
      body,
      headers: new Headers(
        standardWebhookHeaders({
          id: "msg_product",
          timestamp: Math.floor(now / 1000),
          body,
          secret: credentials.webhookSecret,
        }),
      ),
    });
    expect(product.levels.map((l) => [l.listingId, l.quantity])).toEqual([
      ["TEE-S", control.inventory("TEE-S", 1)],
      ["TEE-M", 12],
    ]);
  });

  it("turns a malformed body into a typed error naming the field", async () => {
    const { credentials } = sandbox.bigcommerce!;
    const signed = (body: string) => ({
      body,
      headers: new Headers(
        standardWebhookHeaders({
          id: "msg_bad",
          timestamp: Math.floor(now / 1000),
          body,
          secret: credentials.webhookSecret,
        }),
      ),
    });
    const missingId = JSON.stringify({
      scope: "store/order/updated",
      store_id: "1",
      data: { type: "order" },
      created_at: Math.floor(now / 1000),
      producer: "stores/sandbox",
    });
    try {
      await receiver().receive(signed(missingId));
      expect.unreachable();
    } catch (error) {
      expect(isOmnistockError(error, "VALIDATION")).toBe(true);
      expect((error as Error).message).toContain("data.id");
    }
    const noScope = await receiver().tryReceive(signed(JSON.stringify({ data: {} })));
    expect(!noScope.ok && noScope.error.message).toMatch(/scope/);
    const notJson = await receiver().tryReceive(signed("{"));
    expect(!notJson.ok && notJson.error.code).toBe("VALIDATION");
    // A scope that says nothing about stock is accepted and carries nothing.
    const message = await receiver().receive(
      signed(
        JSON.stringify({
          scope: "store/order/message/created",
          store_id: "1",
          data: { type: "order", id: 1, message: { order_message_id: 3 } },
          created_at: Math.floor(now / 1000),
          producer: "stores/sandbox",
        }),
      ),
    );
    expect(message.orders).toEqual([]);
  });
});
