// Lightspeed (one outlet) and one Shopify store in the sandboxes, their adapters and
// webhooks, and the engine on the memory store between them.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { BufferRule } from "@omnistock/core";
import {
  createLightspeedClient,
  createLightspeedSalesSink,
  createLightspeedStockSource,
  createLightspeedWebhookReceiver,
} from "@omnistock/lightspeed";
import { startSandbox } from "@omnistock/sandbox";
import {
  createShopifyClient,
  createShopifyMapping,
  createShopifyPublisher,
  createShopifyWebhookReceiver,
} from "@omnistock/shopify";
import {
  createMemoryStore,
  createSyncEngine,
  type SyncEvent,
  toNodeHandler,
} from "../src/index.js";

/** The world with `stock` units of MUG at the outlet, started and settled. */
export async function sandboxWorld(stock: number, buffer?: BufferRule) {
  const sandbox = await startSandbox({ lightspeed: {}, shopify: [{}] });
  const ls = sandbox.lightspeed!;
  const outlet = ls.control.addOutlet("Main Street").id;
  ls.control.addRegister(outlet);
  ls.control.addProduct({ sku: "MUG" });
  ls.control.setInventory("MUG", outlet, stock);
  const shop = sandbox.shopify[0]!;
  const location = shop.control.addLocation("Online").id;
  const variant = shop.control.addVariant({ sku: "MUG" });
  shop.control.stock(variant.inventoryItemId, location, 0);

  const lightspeed = createLightspeedClient({
    baseUrl: ls.url,
    auth: { personalToken: ls.credentials.personalToken },
  });
  const shopify = createShopifyClient({
    shop: shop.credentials.shop,
    accessToken: shop.credentials.accessToken,
    baseUrl: shop.url,
  });
  const mapping = createShopifyMapping({
    client: shopify,
    defaultLocation: location,
    items: { MUG: variant.inventoryItemId },
  });
  const events: SyncEvent[] = [];
  const engine = createSyncEngine({
    store: createMemoryStore(),
    tenants: [
      {
        id: "acme",
        catalog: {
          locations: [{ id: outlet, name: "Main Street" }],
          channels: [
            {
              id: "shopify",
              feed: { mode: "single", locationId: outlet },
              ...(buffer === undefined ? {} : { buffer }),
            },
          ],
          listings: [{ channelId: "shopify", listingId: "MUG", sku: "MUG" }],
        },
        stockSource: createLightspeedStockSource({ client: lightspeed }),
        salesSink: createLightspeedSalesSink({
          client: lightspeed,
          userId: "omnistock",
          taxId: "no-tax",
        }),
        channels: [createShopifyPublisher({ client: shopify, channelId: "shopify", mapping })],
        receivers: {
          lightspeed: createLightspeedWebhookReceiver({
            client: lightspeed,
            secrets: [ls.credentials.clientSecret],
          }),
          shopify: createShopifyWebhookReceiver({
            channelId: "shopify",
            secrets: shop.credentials.webhookSecret,
            shop: shop.credentials.shop,
            mapping,
          }),
        },
      },
    ],
    onEvent: (event) => events.push(event),
    dispatch: { idleMs: 10, minBackoffMs: 5, maxBackoffMs: 50 },
    polling: { stockEveryMs: 0, ordersEveryMs: 0 },
  });
  const server = createServer(toNodeHandler(engine.handleWebhook)).listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/acme`;
  for (const type of ["inventory.update", "sale.update"] as const)
    ls.control.subscribe(type, `${base}/lightspeed`);
  for (const topic of ["orders/create", "orders/cancelled", "inventory_levels/update"] as const)
    shop.control.subscribe(topic, `${base}/shopify`);
  await engine.start();
  await engine.idle();

  return {
    engine,
    events,
    ls,
    shop,
    outlet,
    /** What Shopify shows for MUG. */
    shows: () => shop.control.quantity(variant.inventoryItemId, location),
    /** A shopper's Shopify order. */
    order: (quantity: number) =>
      shop.control.placeOrder([{ variantId: variant.id, quantity }], location),
    /** Lightspeed's sales of channel orders. */
    orderSales: () => ls.control.sales().filter((s) => s.source_id !== null),
    /** Every webhook delivered and applied, everything written. */
    async settle() {
      await ls.drainWebhooks();
      await engine.idle();
      await shop.drainWebhooks();
      await engine.idle();
    },
    async close() {
      await engine.stop();
      server.close();
      await sandbox.close();
    },
  };
}
