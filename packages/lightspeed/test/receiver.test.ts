import { createHmac } from "node:crypto";
import { isOmnistockError, Ledger, type StockEvent } from "@omnistock/core";
import { type Sandbox, startSandbox } from "@omnistock/sandbox";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordingFetch } from "../../sandbox/test/support/openapi.js";
import {
  createLightspeedClient,
  createLightspeedSalesSink,
  createLightspeedStockSource,
  createLightspeedStockWriter,
  createLightspeedWebhookReceiver,
} from "../src/index.js";
import { startCollector } from "./support/collector.js";

let sandbox: Sandbox;
let collector: Awaited<ReturnType<typeof startCollector>>;
let main = "";
let mall = "";

beforeAll(async () => {
  sandbox = await startSandbox({ lightspeed: {} });
  collector = await startCollector();
  const { control } = sandbox.lightspeed!;
  main = control.addOutlet("Main Street").id;
  mall = control.addOutlet("Mall").id;
  control.addRegister(main);
  control.addRegister(mall);
  control.addProduct({ sku: "MUG-RED" });
  control.addProduct({ sku: "TEA-EARL" });
  control.addProduct({ sku: "GIFT-SET", components: [{ sku: "MUG-RED", quantity: 2 }] });
  control.addProduct({ sku: "GIFT-CARD", tracked: false });
  control.setInventory("MUG-RED", main, 20);
  control.setInventory("MUG-RED", mall, 3);
  control.setInventory("TEA-EARL", main, 10);
  for (const type of ["inventory.update", "sale.update", "product.update"] as const)
    control.subscribe(type, collector.url);
});
afterAll(async () => {
  await sandbox.close();
  await collector.close();
});

/** The webhooks the store has sent since the last call. */
async function delivered() {
  await sandbox.lightspeed!.drainWebhooks();
  return collector.take();
}

function recordedClient() {
  const recorded = recordingFetch();
  const client = createLightspeedClient({
    baseUrl: sandbox.lightspeed!.url,
    auth: { personalToken: sandbox.lightspeed!.credentials.personalToken },
    http: { fetch: recorded.fetch, retry: { retries: 1, minDelayMs: 1 } },
  });
  const reads = (path: string) =>
    recorded.requests.filter(
      (r) =>
        r.method === "GET" && r.url.pathname === path && r.url.searchParams.get("after") === "0",
    ).length;
  return { client, recorded, reads };
}

/** A webhook signed with the sandbox app's secret, as Lightspeed signs them. */
function signed(type: string, payload: unknown) {
  const body = new URLSearchParams({ type, payload: JSON.stringify(payload) }).toString();
  const signature = createHmac("sha256", sandbox.lightspeed!.credentials.clientSecret)
    .update(body)
    .digest("hex");
  return {
    body,
    headers: new Headers({ "x-signature": `signature=${signature},algorithm=HMAC-SHA256` }),
  };
}

describe("Lightspeed webhook receiver", () => {
  it("resolves product ids through the client: one catalogue read, kept, read again for an unknown product, which is refused as retryable while the store does not have it", async () => {
    const { control, credentials } = sandbox.lightspeed!;
    await delivered();
    const { client, reads } = recordedClient();
    let now = Date.now();
    const receiver = createLightspeedWebhookReceiver({
      client,
      secrets: [credentials.clientSecret],
      clock: () => now,
    });

    control.setInventory("MUG-RED", main, 15);
    control.setInventory("TEA-EARL", main, 9);
    const [mug, tea] = await delivered();
    const first = await receiver.receive(mug!);
    expect(first).toMatchObject({
      platform: "lightspeed",
      topic: "inventory.update",
      orders: [],
      levels: [],
      events: [{ type: "stock.counted", sku: "MUG-RED", locationId: main, onHand: 15 }],
    });
    expect(first.deliveryId).toMatch(/^lightspeed:inventory:/);
    expect((await receiver.receive(tea!)).events).toMatchObject([{ sku: "TEA-EARL", onHand: 9 }]);
    expect(reads("/api/2.0/products")).toBe(1);

    // A product the receiver has not seen (its product.update is not given to it).
    control.addProduct({ sku: "SCARF-BLUE" });
    control.setInventory("SCARF-BLUE", mall, 4);
    const scarf = (await delivered()).find((w) => w.body.includes("inventory.update"));
    now += 60_000;
    expect((await receiver.receive(scarf!)).events).toMatchObject([
      { sku: "SCARF-BLUE", locationId: mall, onHand: 4 },
    ]);
    expect(reads("/api/2.0/products")).toBe(2);

    // An id the store does not know either: one read, then no other for a while; the
    // webhook is refused as retryable, so Lightspeed sends it again.
    const ghost = signed("inventory.update", {
      product_id: "ghost",
      outlet_id: main,
      count: 1,
      version: 1,
    });
    now += 60_000;
    for (let i = 0; i < 2; i++) {
      const result = await receiver.tryReceive(ghost);
      expect(!result.ok && result.error).toMatchObject({
        code: "MAPPING_MISSING",
        retryable: true,
        details: { productIds: ["ghost"] },
      });
    }
    expect(reads("/api/2.0/products")).toBe(3);
  });

  it("follows product.update without reading the catalogue again, and leaves untracked products and composites out", async () => {
    const { control, credentials } = sandbox.lightspeed!;
    await delivered();
    const { client, reads } = recordedClient();
    const receiver = createLightspeedWebhookReceiver({
      client,
      secrets: [credentials.clientSecret],
    });
    control.setInventory("TEA-EARL", mall, 2);
    await receiver.receive((await delivered())[0]!);
    expect(reads("/api/2.0/products")).toBe(1);

    control.addProduct({ sku: "HAT-GREY" });
    const [created] = await delivered();
    const catalogueChange = await receiver.receive(created!);
    expect(catalogueChange).toMatchObject({ topic: "product.update", events: [] });
    control.setInventory("HAT-GREY", main, 6);
    expect((await receiver.receive((await delivered())[0]!)).events).toMatchObject([
      { sku: "HAT-GREY", onHand: 6 },
    ]);

    const sale = control.sell({
      outletId: main,
      lines: [
        { sku: "GIFT-SET", quantity: 1 },
        { sku: "GIFT-CARD", quantity: 1 },
        { sku: "TEA-EARL", quantity: 1 },
      ],
    });
    const saleHook = (await delivered()).find((w) => w.body.includes("sale.update"));
    expect((await receiver.receive(saleHook!)).events).toEqual([
      {
        type: "pos.sale",
        id: `lightspeed:sale:${sale.id}`,
        at: Date.parse(sale.sale_date),
        locationId: main,
        lines: [{ sku: "TEA-EARL", quantity: 1 }],
      },
    ]);
    expect(reads("/api/2.0/products")).toBe(1);
  });

  it("keeps a caller's skuOf working, with locations mapped", async () => {
    const receiver = createLightspeedWebhookReceiver({
      skuOf: (id) => (id === "p-mug" ? "MUG-RED" : undefined),
      allowUnsigned: true,
      onWarning: () => {},
      locationOf: (outlet) => `loc-${outlet}`,
      clock: () => 42,
    });
    const delivery = await receiver.receive({
      body: new URLSearchParams({
        type: "inventory.update",
        payload: JSON.stringify({ product_id: "p-mug", outlet_id: "o1", count: "7", version: 9 }),
      }).toString(),
      headers: new Headers(),
    });
    expect(delivery).toEqual({
      platform: "lightspeed",
      topic: "inventory.update",
      deliveryId: "lightspeed:inventory:p-mug:o1:9",
      events: [
        {
          type: "stock.counted",
          id: "lightspeed:inventory.update:p-mug:o1:9",
          at: 42,
          locationId: "loc-o1",
          sku: "MUG-RED",
          onHand: 7,
          version: 9,
        },
      ],
      orders: [],
      levels: [],
    });
  });

  it("rejects a bad or missing signature before asking the store anything", async () => {
    const { credentials } = sandbox.lightspeed!;
    const { client, recorded } = recordedClient();
    const receiver = createLightspeedWebhookReceiver({
      client,
      secrets: [credentials.clientSecret],
    });
    sandbox.lightspeed!.setFaults({ webhooks: { corruptSignatureRate: 1 } });
    sandbox.lightspeed!.control.setInventory("MUG-RED", mall, 5);
    const [corrupt] = await delivered();
    sandbox.lightspeed!.setFaults(undefined);
    const result = await receiver.tryReceive(corrupt!);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error.code).toBe("SIGNATURE");
    const unsigned = { body: corrupt!.body, headers: new Headers() };
    await expect(receiver.receive(unsigned)).rejects.toSatisfy((e) =>
      isOmnistockError(e, "SIGNATURE"),
    );
    const forged = signed("inventory.update", { product_id: "x", outlet_id: main, count: 1 });
    forged.headers.set(
      "x-signature",
      forged.headers.get("x-signature")!.replace(/[0-9a-f]{6}/, "000000"),
    );
    await expect(receiver.receive(forged)).rejects.toThrow(/X-Signature/);
    // A rotated-out secret still verifies while it is listed.
    const rotating = createLightspeedWebhookReceiver({
      skuOf: () => undefined,
      secrets: ["new-secret", credentials.clientSecret],
    });
    expect(
      (
        await rotating.tryReceive(
          signed("inventory.update", { product_id: "x", outlet_id: main, count: 1 }),
        )
      ).ok,
    ).toBe(true);
    expect(recorded.requests).toEqual([]);
  });

  it("drops an older inventory.update that arrives after a newer one, and gives a redelivery the same key", async () => {
    const { control, credentials } = sandbox.lightspeed!;
    await delivered();
    const { client } = recordedClient();
    const receiver = createLightspeedWebhookReceiver({
      client,
      secrets: [credentials.clientSecret],
    });
    control.setInventory("TEA-EARL", main, 30);
    control.setInventory("TEA-EARL", main, 31);
    const [older, newer] = await delivered();
    const fresh = await receiver.receive(newer!);
    expect(fresh.events).toMatchObject([{ sku: "TEA-EARL", onHand: 31 }]);
    const stale = await receiver.receive(older!);
    expect(stale.events).toEqual([]);
    expect(stale.deliveryId).not.toBe(fresh.deliveryId);
    expect((await receiver.receive(newer!)).deliveryId).toBe(fresh.deliveryId);
  });

  it("converges on the store's counts through duplicated and reordered webhooks", async () => {
    const { control, credentials } = sandbox.lightspeed!;
    await delivered();
    const { client } = recordedClient();
    const { events: snapshot } = await createLightspeedStockSource({ client }).snapshot();
    const ledger = new Ledger();
    for (const event of snapshot) ledger.apply(event);
    // Whatever happens next happens later than the snapshot's counts.
    await new Promise((resolve) => setTimeout(resolve, 5));

    sandbox.lightspeed!.setFaults({ webhooks: { duplicateRate: 0.4, reorderRate: 0.4 } });
    const sink = createLightspeedSalesSink({ client, userId: "omnistock", taxId: "no-tax" });
    const writer = createLightspeedStockWriter({ client });
    control.sell({ outletId: main, lines: [{ sku: "MUG-RED", quantity: 2 }] });
    control.sell({ outletId: mall, lines: [{ sku: "MUG-RED", quantity: 1 }], status: "ONACCOUNT" });
    control.returnItems(main, [{ sku: "TEA-EARL", quantity: 1 }]);
    control.sell({ outletId: main, lines: [{ sku: "GIFT-SET", quantity: 1 }] });
    await sink.recordSale({
      orderId: "2001",
      channelId: "shopify-eu",
      locationId: mall,
      lines: [{ sku: "TEA-EARL", quantity: 1 }],
    });
    await sink.recordSale({
      orderId: "2002",
      channelId: "shopify-eu",
      locationId: main,
      lines: [{ sku: "MUG-RED", quantity: 3 }],
    });
    await sink.voidSale({ channelId: "shopify-eu", orderId: "2002" });
    await writer.write([
      { sku: "TEA-EARL", locationId: main, delta: 4 },
      { sku: "MUG-RED", locationId: mall, delta: -1, reason: "THEFT" },
    ]);
    control.setInventory("TEA-EARL", mall, 12);
    const webhooks = await delivered();
    sandbox.lightspeed!.setFaults(undefined);

    const receiver = createLightspeedWebhookReceiver({
      client,
      secrets: [credentials.clientSecret],
    });
    const seen = new Set<string>();
    let duplicates = 0;
    for (const webhook of webhooks) {
      const delivery = await receiver.receive(webhook);
      if (seen.has(delivery.deliveryId)) {
        duplicates++;
        continue;
      }
      seen.add(delivery.deliveryId);
      for (const event of delivery.events as StockEvent[]) ledger.apply(event);
    }
    expect(duplicates).toBeGreaterThan(0);
    for (const sku of ["MUG-RED", "TEA-EARL"]) {
      for (const outlet of [main, mall]) {
        expect({ sku, outlet, onHand: ledger.get(sku, outlet)?.onHand ?? 0 }).toEqual({
          sku,
          outlet,
          onHand: control.inventory(sku, outlet),
        });
      }
    }
  });

  it("refuses options that give both or neither way to find SKUs, naming the field", () => {
    for (const options of [
      {},
      { skuOf: () => undefined, client: {} },
      { skuOf: () => undefined, secret: "x" },
    ]) {
      try {
        createLightspeedWebhookReceiver(options as never);
        expect.unreachable();
      } catch (error) {
        expect(isOmnistockError(error, "VALIDATION")).toBe(true);
        expect((error as Error).message).toMatch(/client|secret/);
      }
    }
  });
});
