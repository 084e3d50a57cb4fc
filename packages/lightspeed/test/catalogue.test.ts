import { Ledger, type StockEvent } from "@omnistock/core";
import { describe, expect, it } from "vitest";
import {
  createLightspeedCatalogue,
  createLightspeedSalesSink,
  createLightspeedStockSource,
  createLightspeedStockWriter,
  createLightspeedWebhookReceiver,
} from "../src/index.js";
import { inProcessStore, jsonAnswer, sentSince, signedWebhook } from "./support/store.js";

/** A store with two outlets and two products, its webhooks kept. */
function shop(options: { emptyProductReads?: number } = {}) {
  let empty = options.emptyProductReads ?? 0;
  const setup = inProcessStore({
    intercept: (request) => {
      const url = new URL(request.url);
      if (url.pathname !== "/api/2.0/products" || empty === 0) return undefined;
      empty--;
      return Promise.resolve(jsonAnswer({ data: [], version: { min: null, max: null } }));
    },
  });
  const { control } = setup.store;
  const main = control.addOutlet("Main Street").id;
  const mall = control.addOutlet("Mall").id;
  control.addRegister(main);
  control.addRegister(mall);
  const mug = control.addProduct({ sku: "MUG-RED" }).id;
  control.addProduct({ sku: "TEA-EARL" });
  control.setInventory("MUG-RED", main, 20);
  control.setInventory("MUG-RED", mall, 3);
  control.setInventory("TEA-EARL", main, 10);
  for (const type of ["inventory.update", "sale.update", "product.update"] as const)
    control.subscribe(type, "http://hooks.test/lightspeed");
  const take = sentSince(setup.store);
  take();
  return { ...setup, main, mall, mug, take, secret: setup.store.credentials.clientSecret };
}

describe("Lightspeed catalogue", () => {
  it("after an empty catalogue read, refreshes on an unknown product (one read for concurrent deliveries, bounded, backing off) and answers a retryable MAPPING_MISSING until it is found", async () => {
    const { store, client, time, reads, main, mug, take, secret } = shop({ emptyProductReads: 1 });
    const catalogue = createLightspeedCatalogue({
      client,
      clock: () => time.now,
      minRefreshMs: 5_000,
      maxRefreshMs: 60_000,
    });
    const receiver = createLightspeedWebhookReceiver({ catalogue, secrets: [secret] });
    for (let i = 0; i < 6; i++)
      store.control.sell({ outletId: main, lines: [{ sku: "MUG-RED", quantity: 1 }] });
    store.control.setInventory("TEA-EARL", main, 7);
    const hooks = take();
    const sales = hooks.filter((h) => h.type === "sale.update");
    const count = hooks.filter((h) => h.type === "inventory.update").at(-1);
    expect(sales).toHaveLength(6);

    // The first read answers nothing: the sale is not applied, and not dropped either.
    const first = await receiver.tryReceive(sales[0]!);
    expect(first.ok).toBe(false);
    expect(!first.ok && first.error).toMatchObject({
      code: "MAPPING_MISSING",
      retryable: true,
      details: { productIds: [mug] },
    });
    expect(reads("/api/2.0/products")).toBe(1);

    // Lightspeed retries: six sales and a count at once make one read.
    time.now += 5_000;
    const results = await Promise.all([...sales, count!].map((h) => receiver.tryReceive(h)));
    expect(reads("/api/2.0/products")).toBe(2);
    const ledger = new Ledger();
    ledger.apply({
      type: "stock.counted",
      id: "before",
      at: 0,
      locationId: main,
      sku: "MUG-RED",
      onHand: 20,
    });
    for (const result of results) {
      expect(result.ok).toBe(true);
      if (result.ok)
        for (const event of result.delivery.events as StockEvent[]) ledger.apply(event);
    }
    expect(ledger.get("MUG-RED", main)?.onHand).toBe(store.control.inventory("MUG-RED", main));
    expect(ledger.get("TEA-EARL", main)?.onHand).toBe(7);

    // A product the store does not have: read again at most every minimum interval, and
    // less and less often while it stays unknown.
    const ghost = signedWebhookFor(secret, { product_id: "ghost", outlet_id: main, count: 1 });
    const readsAt = async (advance: number) => {
      time.now += advance;
      const result = await receiver.tryReceive(ghost);
      expect(!result.ok && result.error).toMatchObject({
        code: "MAPPING_MISSING",
        retryable: true,
      });
      return reads("/api/2.0/products");
    };
    expect(await readsAt(0)).toBe(2); // read a moment ago
    expect(await readsAt(5_000)).toBe(3);
    expect(await readsAt(5_000)).toBe(4);
    expect(await readsAt(5_000)).toBe(4); // backing off: 10 s now
    expect(await readsAt(5_000)).toBe(5);
    // A new product is not held back by the ghost's backoff.
    store.control.addProduct({ sku: "HAT-GREY" });
    store.control.setInventory("HAT-GREY", main, 2);
    const hat = take().find((h) => h.type === "inventory.update");
    time.now += 5_000;
    expect((await receiver.receive(hat!)).events).toMatchObject([{ sku: "HAT-GREY", onHand: 2 }]);
    expect(reads("/api/2.0/products")).toBe(6);
  });

  it("serves the source, the sink, the receiver and the stock writer from one read", async () => {
    const { store, client, time, reads, main, mall, take, secret } = shop();
    const catalogue = createLightspeedCatalogue({ client, clock: () => time.now });
    const source = createLightspeedStockSource({ client, catalogue });
    const sink = createLightspeedSalesSink({ client, catalogue, userId: "omnistock", taxId: "t" });
    const writer = createLightspeedStockWriter({ client, catalogue });
    const receiver = createLightspeedWebhookReceiver({ catalogue, secrets: [secret] });
    store.control.setInventory("TEA-EARL", mall, 4);
    const [level] = take();
    const order = { channelId: "shopify-eu", locationId: main };
    const [snapshot, sale, written, delivery] = await Promise.all([
      source.snapshot(),
      sink.recordSale({ ...order, orderId: "1", lines: [{ sku: "MUG-RED", quantity: 1 }] }),
      writer.write([{ sku: "TEA-EARL", locationId: main, delta: -1 }]),
      receiver.receive(level!),
    ]);
    expect(snapshot.events.length).toBeGreaterThan(0);
    expect(sale.created).toBe(true);
    expect(written.applied).toBe(1);
    expect(delivery.events).toMatchObject([{ sku: "TEA-EARL", onHand: 4 }]);
    await sink.recordSale({ ...order, orderId: "2", lines: [{ sku: "TEA-EARL", quantity: 1 }] });
    await writer.write([{ sku: "MUG-RED", locationId: mall, delta: 2 }]);
    await source.changesSince(snapshot.cursor);
    expect(reads("/api/2.0/products")).toBe(1);
  });

  it("finds a product created after the first sale, so its order is recorded, not parked", async () => {
    const { store, client, time, reads, main } = shop();
    const sink = createLightspeedSalesSink({
      client,
      userId: "omnistock",
      taxId: "t",
      clock: () => time.now,
    });
    const order = { channelId: "shopify-eu", locationId: main };
    await sink.recordSale({ ...order, orderId: "1", lines: [{ sku: "MUG-RED", quantity: 1 }] });
    store.control.addProduct({ sku: "SCARF-BLUE" });
    store.control.setInventory("SCARF-BLUE", main, 5);
    time.now += 60_000;
    const scarf = await sink.recordSale({
      ...order,
      orderId: "2",
      lines: [{ sku: "SCARF-BLUE", quantity: 2 }],
    });
    expect(scarf).toMatchObject({
      created: true,
      events: [{ type: "pos.sale", lines: [{ sku: "SCARF-BLUE", quantity: 2 }] }],
    });
    expect(store.control.inventory("SCARF-BLUE", main)).toBe(3);
    expect(reads("/api/2.0/products")).toBe(2);

    // A SKU Lightspeed does not have: worth another try while the catalogue was read too
    // recently to read it again, then an error for a person.
    const ghost = { ...order, orderId: "3", lines: [{ sku: "GHOST", quantity: 1 }] };
    await expect(sink.recordSale(ghost)).rejects.toMatchObject({
      code: "MAPPING_MISSING",
      retryable: true,
    });
    time.now += 60_000;
    await expect(sink.recordSale(ghost)).rejects.toMatchObject({
      code: "MAPPING_MISSING",
      retryable: false,
      details: { sku: "GHOST" },
    });
    expect(reads("/api/2.0/products")).toBe(3);
  });
});

function signedWebhookFor(secret: string, payload: Record<string, unknown>) {
  return signedWebhook(secret, "inventory.update", { version: 1, ...payload });
}

describe("Lightspeed receiver reading the catalogue", () => {
  it("answers a catalogue read that fails (even with a malformed answer) as retryable, so Lightspeed sends the webhook again", async () => {
    let broken = true;
    const setup = inProcessStore({
      intercept: (request) =>
        broken && new URL(request.url).pathname === "/api/2.0/products"
          ? Promise.resolve(jsonAnswer({ data: [{ sku: "no id" }], version: { min: 1, max: 1 } }))
          : undefined,
    });
    const { control, credentials } = setup.store;
    const main = control.addOutlet("Main Street").id;
    const mug = control.addProduct({ sku: "MUG-RED" }).id;
    const receiver = createLightspeedWebhookReceiver({
      client: setup.client,
      secrets: [credentials.clientSecret],
      clock: () => setup.time.now,
    });
    const level = signedWebhook(credentials.clientSecret, "inventory.update", {
      product_id: mug,
      outlet_id: main,
      count: 4,
      version: 9,
    });
    const failed = await receiver.tryReceive(level);
    expect(!failed.ok && failed.error).toMatchObject({ code: "BAD_RESPONSE", retryable: true });
    expect(!failed.ok && failed.error.message).toContain("data[0].id");
    broken = false;
    expect((await receiver.receive(level)).events).toMatchObject([{ sku: "MUG-RED", onHand: 4 }]);
  });
});
