// The README's example, kept runnable.
import { startSandbox } from "@omnistock/sandbox";
import { expect, it } from "vitest";
import {
  createAmazonClient,
  createAmazonNotificationReceiver,
  createAmazonOrderSource,
  createAmazonPublisher,
  signAmazonNotification,
} from "../src/index.js";

it("runs the README example", async () => {
  const sandbox = await startSandbox({ amazon: {} });
  const { control, url, credentials } = sandbox.amazon!;
  control.addListing({ sku: "MUG-RED-01", quantity: 10 });
  control.addListing({ sku: "MUG-FBA-01", quantity: 30, fba: true });

  const client = createAmazonClient({
    baseUrl: url,
    tokenUrl: `${url}/auth/o2/token`,
    credentials: {
      clientId: credentials.clientId,
      clientSecret: credentials.clientSecret,
      refreshToken: credentials.refreshToken,
    },
  });
  const listings = [
    { listingId: "MUG-RED", sellerSku: "MUG-RED-01" },
    { listingId: "MUG-FBA", sellerSku: "MUG-FBA-01" },
  ];
  const publisher = createAmazonPublisher({
    client,
    channelId: "amazon-us",
    sellerId: credentials.sellerId,
    marketplaceIds: [credentials.marketplaceId],
    listings,
  });

  const [outcome] = await publisher.publish([
    { listingId: "MUG-RED", quantity: 3, previous: 10, urgent: true },
  ]);
  expect(outcome?.status).toBe("pending"); // Amazon said ACCEPTED, not applied
  control.settle(); // the sandbox applies it now
  const [confirmed] = await publisher.confirm(outcome?.status === "pending" ? [outcome] : []);
  expect(confirmed?.status).toBe("published");

  const levels = await publisher.readLevels();
  expect(levels).toEqual([
    { listingId: "MUG-RED", quantity: 3, managedBy: "merchant" },
    { listingId: "MUG-FBA", quantity: 30, managedBy: "channel" },
  ]);

  const source = createAmazonOrderSource({
    client,
    channelId: "amazon-us",
    marketplaceIds: [credentials.marketplaceId],
    listings,
  });
  control.placeOrder([{ sku: "MUG-RED-01", quantity: 1 }]);
  const { orders, cursor } = await source.ordersSince(undefined);
  expect(orders).toMatchObject([
    { status: "placed", lines: [{ listingId: "MUG-RED", quantity: 1 }] },
  ]);
  expect(Date.parse(cursor)).not.toBeNaN();

  const receiver = createAmazonNotificationReceiver({
    channelId: "amazon-us",
    client,
    listings,
    secrets: ["forwarder-secret"], // what your SQS-to-HTTP forwarder signs with
  });
  const body = JSON.stringify({
    NotificationVersion: "1.0",
    NotificationType: "ORDER_CHANGE",
    PayloadVersion: "1.0",
    EventTime: new Date().toISOString(),
    Payload: {
      OrderChangeNotification: {
        NotificationLevel: "OrderLevel",
        SellerId: credentials.sellerId,
        AmazonOrderId: orders[0]!.orderId,
        OrderChangeType: "OrderStatusChange",
        OrderChangeTrigger: {
          TimeOfOrderChange: new Date().toISOString(),
          ChangeReason: "Order status changed",
        },
        Summary: {
          MarketplaceId: credentials.marketplaceId,
          OrderStatus: "Unshipped",
          PurchaseDate: new Date().toISOString(),
          DestinationPostalCode: "98101",
          FulfillmentType: "MFN",
          OrderType: "StandardOrder",
          OrderItems: [],
        },
      },
    },
    NotificationMetadata: {
      ApplicationId: credentials.clientId,
      SubscriptionId: "subscription-1",
      PublishTime: new Date().toISOString(),
      NotificationId: "notification-1",
    },
  });
  const headers = new Headers({
    "x-omnistock-signature": signAmazonNotification("forwarder-secret", body),
  });
  const delivery = await receiver.receive({ body, headers });
  expect(delivery.deliveryId).toBe("notification-1");
  expect(delivery.orders[0]?.eventId).toBe(orders[0]?.eventId); // the same change, once
  await sandbox.close();
});
