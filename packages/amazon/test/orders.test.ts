import type { WebhookRequest } from "@omnistock/core";
import { type Sandbox, type ServedHandler, serve, startSandbox } from "@omnistock/sandbox";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createAmazonNotificationReceiver,
  createAmazonOrderSource,
  signAmazonNotification,
} from "../src/index.js";
import { sandboxClient, UNSIGNED } from "./support.js";

let sandbox: Sandbox;
let inbox: ServedHandler;
const received: WebhookRequest[] = [];
const start = Date.now();

beforeAll(async () => {
  sandbox = await startSandbox({ amazon: {} });
  inbox = await serve(async (request) => {
    received.push({ body: await request.text(), headers: request.headers });
    return new Response(null, { status: 204 });
  });
  const { control } = sandbox.amazon!;
  control.addListing({ sku: "MUG-RED-01", quantity: 10 });
  control.addListing({ sku: "TEA-EARL-01", quantity: 10 });
  control.addListing({ sku: "MUG-FBA-01", quantity: 30, fba: true });
  control.subscribe(`${inbox.url}/sqs-bridge`);
});
afterAll(async () => {
  await sandbox.close();
  await inbox.close();
});

const listings = [
  { listingId: "MUG-RED", sellerSku: "MUG-RED-01" },
  { listingId: "TEA-EARL", sellerSku: "TEA-EARL-01" },
  { listingId: "MUG-FBA", sellerSku: "MUG-FBA-01" },
];

describe("Amazon order source", () => {
  it("polls by last update, pages with NextToken, and marks AFN orders fulfilled by the channel", async () => {
    const { control } = sandbox.amazon!;
    const mfn = control.placeOrder([
      { sku: "MUG-RED-01", quantity: 2 },
      { sku: "UNLISTED-01", quantity: 1 },
    ]);
    const afn = control.placeOrder([{ sku: "MUG-FBA-01", quantity: 1 }], "AFN");
    const shipped = control.placeOrder([{ sku: "TEA-EARL-01", quantity: 3 }]);
    control.setOrderStatus(shipped.AmazonOrderId, "Shipped");

    const source = createAmazonOrderSource({
      client: sandboxClient(sandbox),
      channelId: "amazon-us",
      marketplaceIds: [sandbox.amazon!.credentials.marketplaceId],
      listings,
      pageSize: 2,
    });
    const first = await source.ordersSince(new Date(start - 1_000).toISOString());
    expect(first.orders).toHaveLength(3);
    const byId = new Map(first.orders.map((o) => [o.orderId, o]));
    expect(byId.get(mfn.AmazonOrderId)).toEqual({
      eventId: `amazon:order:${mfn.AmazonOrderId}:placed`,
      channelId: "amazon-us",
      orderId: mfn.AmazonOrderId,
      at: Date.parse(mfn.LastUpdateDate),
      status: "placed",
      lines: [{ listingId: "MUG-RED", quantity: 2 }],
    });
    expect(byId.get(afn.AmazonOrderId)).toMatchObject({
      status: "placed",
      fulfilledByChannel: true,
      lines: [{ listingId: "MUG-FBA", quantity: 1 }],
    });
    expect(byId.get(shipped.AmazonOrderId)).toMatchObject({
      status: "fulfilled",
      lines: [{ listingId: "TEA-EARL", quantity: 3 }],
    });
    expect(byId.get(shipped.AmazonOrderId)?.fulfilledByChannel).toBeUndefined();
    expect(Date.parse(first.cursor)).toBeGreaterThanOrEqual(Date.parse(shipped.LastUpdateDate));

    await new Promise((resolve) => setTimeout(resolve, 5));
    control.setOrderStatus(mfn.AmazonOrderId, "Canceled");
    const next = await source.ordersSince(first.cursor);
    expect(next.orders).toMatchObject([
      {
        eventId: `amazon:order:${mfn.AmazonOrderId}:cancelled`,
        status: "cancelled",
        lines: [{ listingId: "MUG-RED", quantity: 2 }],
      },
    ]);
  });

  it("refuses a cursor that is not a time", async () => {
    const source = createAmazonOrderSource({
      client: sandboxClient(sandbox),
      channelId: "amazon-us",
      marketplaceIds: ["ATVPDKIKX0DER"],
    });
    await expect(source.ordersSince("yesterday")).rejects.toMatchObject({ code: "VALIDATION" });
  });
});

describe("Amazon ORDER_CHANGE notifications", () => {
  const latest = async () => {
    await sandbox.amazon!.drainWebhooks();
    return received.at(-1) as WebhookRequest;
  };

  it("parses ORDER_CHANGE into the same order event polling reports, keyed by NotificationId", async () => {
    const { control } = sandbox.amazon!;
    const order = control.placeOrder([{ sku: "TEA-EARL-01", quantity: 1 }]);
    const request = await latest();
    const receiver = createAmazonNotificationReceiver({
      channelId: "amazon-us",
      listings,
      ...UNSIGNED,
    });
    const delivery = await receiver.receive(request);
    expect(delivery).toMatchObject({
      platform: "amazon",
      topic: "ORDER_CHANGE",
      deliveryId: JSON.parse(request.body).NotificationMetadata.NotificationId,
      events: [],
      levels: [],
      orders: [
        {
          eventId: `amazon:order:${order.AmazonOrderId}:placed`,
          orderId: order.AmazonOrderId,
          status: "placed",
          lines: [{ listingId: "TEA-EARL", quantity: 1 }],
        },
      ],
    });
    const again = await receiver.receive(request);
    expect(again.deliveryId).toBe(delivery.deliveryId);

    control.placeOrder([{ sku: "MUG-FBA-01", quantity: 2 }], "AFN");
    const afn = await receiver.receive(await latest());
    expect(afn.orders[0]).toMatchObject({ fulfilledByChannel: true, status: "placed" });
  });

  it("reads the lines with getOrderItems where the notification has none, and unwraps EventBridge", async () => {
    const { control } = sandbox.amazon!;
    const order = control.placeOrder([{ sku: "MUG-RED-01", quantity: 4 }]);
    const notification = JSON.parse((await latest()).body);
    notification.Payload.OrderChangeNotification.Summary.OrderItems = [];
    const body = JSON.stringify({
      version: "0",
      id: "e-1",
      "detail-type": "ORDER_CHANGE",
      source: "aws.partner/sellingpartnerapi.amazon.com",
      detail: notification,
    });
    const receiver = createAmazonNotificationReceiver({
      channelId: "amazon-us",
      client: sandboxClient(sandbox),
      listings,
      ...UNSIGNED,
    });
    const delivery = await receiver.receive({ body, headers: new Headers() });
    expect(delivery.orders).toMatchObject([
      { orderId: order.AmazonOrderId, lines: [{ listingId: "MUG-RED", quantity: 4 }] },
    ]);
    const bare = createAmazonNotificationReceiver({ channelId: "amazon-us", ...UNSIGNED });
    const result = await bare.tryReceive({ body, headers: new Headers() });
    expect(result).toMatchObject({ ok: false, error: { code: "CONFIG" } });
  });

  it("checks a forwarder's HMAC before parsing, and names the field of a malformed notification", async () => {
    const request = await latest();
    const receiver = createAmazonNotificationReceiver({
      channelId: "amazon-us",
      secrets: ["forwarder-secret"],
    });
    const signed = new Headers({
      "x-omnistock-signature": signAmazonNotification("forwarder-secret", request.body),
    });
    expect((await receiver.receive({ body: request.body, headers: signed })).orders).toHaveLength(
      1,
    );
    expect(
      await receiver.tryReceive({
        body: request.body,
        headers: new Headers({ "x-omnistock-signature": "00" }),
      }),
    ).toMatchObject({ ok: false, error: { code: "SIGNATURE" } });
    expect(await receiver.tryReceive({ body: request.body, headers: new Headers() })).toMatchObject(
      { ok: false, error: { code: "SIGNATURE" } },
    );

    const broken = JSON.parse(request.body);
    delete broken.Payload.OrderChangeNotification.AmazonOrderId;
    const open = createAmazonNotificationReceiver({ channelId: "amazon-us", ...UNSIGNED });
    const result = await open.tryReceive({ body: JSON.stringify(broken), headers: new Headers() });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe("VALIDATION");
    expect(result.error.message).toContain("OrderChangeNotification.AmazonOrderId");
    expect(await open.tryReceive({ body: "{", headers: new Headers() })).toMatchObject({
      ok: false,
      error: { code: "VALIDATION" },
    });
    const other = createAmazonNotificationReceiver({
      channelId: "amazon-us",
      sellerId: "OTHER",
      ...UNSIGNED,
    });
    expect(await other.tryReceive(request)).toMatchObject({
      ok: false,
      error: { code: "VALIDATION" },
    });
  });

  it("reads LISTINGS_ITEM_MFN_QUANTITY_CHANGE as a level the channel announced", async () => {
    const body = JSON.stringify({
      NotificationVersion: "1.0",
      NotificationType: "LISTINGS_ITEM_MFN_QUANTITY_CHANGE",
      PayloadVersion: "1.0",
      EventTime: "2026-11-22T09:00:00.000Z",
      Payload: {
        SellerId: "A2SANDBOXSELLER",
        FulfillmentChannelCode: "DEFAULT",
        Sku: "MUG-RED-01",
        Quantity: 6,
      },
      NotificationMetadata: {
        ApplicationId: "app",
        SubscriptionId: "sub",
        PublishTime: "2026-11-22T09:00:00.000Z",
        NotificationId: "n-42",
      },
    });
    const receiver = createAmazonNotificationReceiver({
      channelId: "amazon-us",
      listings,
      ...UNSIGNED,
    });
    expect(await receiver.receive({ body, headers: new Headers() })).toMatchObject({
      topic: "LISTINGS_ITEM_MFN_QUANTITY_CHANGE",
      deliveryId: "n-42",
      orders: [],
      levels: [
        { channelId: "amazon-us", listingId: "MUG-RED", quantity: 6, managedBy: "merchant" },
      ],
    });
  });
});
