// The README's example, kept runnable.
import { createServer } from "node:http";
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
} from "@omnistock/shopify";
import { expect, it } from "vitest";
import { createSyncEngine, toNodeHandler } from "../src/index.js";

it("runs the README example", async () => {
  const sandbox = await startSandbox({ lightspeed: {}, shopify: [{}] });
  const ls = sandbox.lightspeed!;
  const outlet = ls.control.addOutlet("Main Street").id;
  ls.control.addRegister(outlet);
  ls.control.addProduct({ sku: "MUG-RED" });
  ls.control.setInventory("MUG-RED", outlet, 20);
  const shop = sandbox.shopify[0]!;
  const location = shop.control.addLocation("Online").id;
  const variant = shop.control.addVariant({ sku: "MUG-RED" });
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

  const engine = createSyncEngine({
    tenants: [
      {
        id: "acme",
        catalog: {
          locations: [{ id: outlet, name: "Main Street" }],
          channels: [
            {
              id: "shopify",
              feed: { mode: "single", locationId: outlet },
              buffer: { percent: 15 },
            },
          ],
          listings: [{ channelId: "shopify", listingId: "MUG-RED", sku: "MUG-RED" }],
        },
        stockSource: createLightspeedStockSource({ client: lightspeed }),
        salesSink: createLightspeedSalesSink({
          client: lightspeed,
          userId: "omnistock",
          taxId: "no-tax",
        }),
        channels: [
          createShopifyPublisher({
            client: shopify,
            channelId: "shopify",
            mapping: createShopifyMapping({ client: shopify, defaultLocation: location }),
          }),
        ],
        receivers: {
          lightspeed: createLightspeedWebhookReceiver({
            client: lightspeed,
            secrets: [ls.credentials.clientSecret],
          }),
        },
      },
    ],
  });
  const server = createServer(toNodeHandler(engine.handleWebhook)).listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  const { port } = server.address() as { port: number };
  ls.control.subscribe("inventory.update", `http://127.0.0.1:${port}/webhooks/acme/lightspeed`);

  await engine.start();
  await engine.idle();
  expect(shop.control.quantity(variant.inventoryItemId, location)).toBe(17);
  ls.control.sell({ outletId: outlet, lines: [{ sku: "MUG-RED", quantity: 3 }] });
  await ls.drainWebhooks();
  await engine.idle();
  expect(shop.control.quantity(variant.inventoryItemId, location)).toBe(14);
  expect(
    (await engine.explain("acme", { channelId: "shopify", listingId: "MUG-RED" })).summary,
  ).toBe("Main Street 17 = 17; buffer (default) holds back 3; shows 14");
  await engine.stop();
  server.close();
  await sandbox.close();
});
