// The last unit sold twice, end to end: the Lightspeed and Shopify sandboxes, their
// adapters and webhooks, and the engine on the memory store.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
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
import { expect, it } from "vitest";
import {
  createMemoryStore,
  createSyncEngine,
  type SyncEvent,
  toNodeHandler,
} from "../src/index.js";

async function lastUnitRace() {
  const sandbox = await startSandbox({ lightspeed: {}, shopify: [{}] });
  const ls = sandbox.lightspeed!;
  const outlet = ls.control.addOutlet("Main Street").id;
  ls.control.addRegister(outlet);
  ls.control.addProduct({ sku: "MUG" });
  ls.control.setInventory("MUG", outlet, 1);
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
          channels: [{ id: "shopify", feed: { mode: "single", locationId: outlet } }],
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
  const shows = () => shop.control.quantity(variant.inventoryItemId, location);
  expect(shows()).toBe(1);
  // The counter sells the last unit; a shopper orders it online before Shopify drops to 0.
  ls.control.sell({ outletId: outlet, lines: [{ sku: "MUG", quantity: 1 }] });
  const order = shop.control.placeOrder([{ variantId: variant.id, quantity: 1 }], location);
  await ls.drainWebhooks();
  await engine.idle();
  await shop.drainWebhooks();
  await engine.idle();
  const orderSales = () => ls.control.sales().filter((s) => s.source_id !== null);
  return {
    engine,
    events,
    ls,
    shop,
    order,
    outlet,
    shows,
    orderSales,
    async close() {
      await engine.stop();
      server.close();
      await sandbox.close();
    },
  };
}

it("holds a Shopify order for a unit the counter sold: Lightspeed stays at 0, the order waits with its reason, and its cancellation posts nothing", async () => {
  const race = await lastUnitRace();
  const { engine, ls, shop } = race;
  expect(ls.control.inventory("MUG", race.outlet)).toBe(0);
  expect(race.orderSales()).toEqual([]);
  expect(race.shows()).toBe(0);
  const [held] = await engine.heldOrders("acme");
  expect(held).toMatchObject({
    channelId: "shopify",
    orderId: String(race.order.legacyId),
    hold: { reason: "oversold", unfilled: [{ sku: "MUG", quantity: 1 }] },
  });
  expect(race.events.some((e) => e.type === "order-held")).toBe(true);

  shop.control.cancelOrder(race.order.id);
  await shop.drainWebhooks();
  await engine.idle();
  expect(await engine.heldOrders("acme")).toEqual([]);
  expect(race.orderSales()).toEqual([]);
  expect(ls.control.inventory("MUG", race.outlet)).toBe(0);
  await engine.idle();
  expect(race.shows()).toBe(0);
  await race.close();
});

it("records a held Shopify order once stock came in: one Lightspeed sale, Lightspeed never below zero", async () => {
  const race = await lastUnitRace();
  const { engine, ls } = race;
  ls.control.setInventory("MUG", race.outlet, 1);
  await ls.drainWebhooks();
  await engine.idle();
  expect(race.shows()).toBe(0);
  await engine.resolveHeldOrder("acme", {
    channelId: "shopify",
    orderId: String(race.order.legacyId),
    action: "record",
  });
  await engine.idle();
  await ls.drainWebhooks();
  await engine.idle();
  expect(race.orderSales()).toHaveLength(1);
  expect(ls.control.inventory("MUG", race.outlet)).toBe(0);
  expect(race.shows()).toBe(0);
  expect(await engine.heldOrders("acme")).toEqual([]);
  await race.close();
});
