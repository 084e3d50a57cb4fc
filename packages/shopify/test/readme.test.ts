// The README's example, kept runnable.
import { startSandbox } from "@omnistock/sandbox";
import { expect, it } from "vitest";
import {
  createShopifyClient,
  createShopifyOrderSource,
  createShopifyPublisher,
  createShopifyWebhookReceiver,
  shopifyWebhookHeaders,
} from "../src/index.js";

it("runs the README example", async () => {
  const sandbox = await startSandbox({ shopify: [{}] });
  const shop = sandbox.shopify[0]!;
  const web = shop.control.addLocation("Web").id;
  const mug = shop.control.addVariant({ sku: "MUG-RED" });
  shop.control.stock(mug.inventoryItemId, web, 9);

  const client = createShopifyClient({
    shop: shop.credentials.shop,
    baseUrl: shop.url,
    accessToken: shop.credentials.accessToken,
  });

  const publisher = createShopifyPublisher({ client, channelId: "shopify-eu" });
  const [outcome] = await publisher.publish([
    { listingId: "MUG-RED", channelLocationId: web, quantity: 7, previous: 9, urgent: true },
  ]);
  expect(outcome?.status).toBe("published");
  expect(await publisher.readLevels()).toEqual([
    { listingId: "MUG-RED", channelLocationId: web, quantity: 7 },
  ]);

  shop.control.placeOrder([{ variantId: mug.id, quantity: 1 }], web);
  const orders = createShopifyOrderSource({ client, channelId: "shopify-eu" });
  const { orders: changes, cursor } = await orders.ordersSince(undefined);
  expect(changes[0]?.status).toBe("placed");
  expect(changes[0]?.lines).toEqual([{ listingId: "MUG-RED", quantity: 1 }]);
  expect(typeof cursor).toBe("string");

  const receiver = createShopifyWebhookReceiver({
    channelId: "shopify-eu",
    secrets: [shop.credentials.webhookSecret],
  });
  const body = JSON.stringify({
    id: 1001,
    created_at: "2026-11-22T09:00:00Z",
    updated_at: "2026-11-22T09:00:00Z",
    line_items: [{ id: 1, variant_id: 2, sku: "MUG-RED", quantity: 1 }],
  });
  const headers = new Headers(
    shopifyWebhookHeaders({
      topic: "orders/create",
      body,
      secret: shop.credentials.webhookSecret,
      webhookId: "w-1",
    }),
  );
  const result = await receiver.tryReceive({ body, headers });
  expect(result.ok && result.delivery.orders[0]?.eventId).toBe("shopify-eu:order:1001:placed");

  await sandbox.close();
});
