import { isOmnistockError, positionKey, replay } from "@omnistock/core";
import { type Sandbox, startSandbox } from "@omnistock/sandbox";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createLightspeedClient,
  createLightspeedSalesSink,
  createLightspeedStockSource,
  parseLightspeedWebhook,
  returnReference,
  saleReference,
} from "../src/index.js";

let sandbox: Sandbox;
let main = "";
let mall = "";

beforeAll(async () => {
  sandbox = await startSandbox({ lightspeed: {} });
  const { control } = sandbox.lightspeed!;
  main = control.addOutlet("Main Street").id;
  mall = control.addOutlet("Mall").id;
  control.addRegister(main);
  control.addRegister(mall);
  control.addProduct({ sku: "MUG-RED" });
  control.addProduct({ sku: "TEA-EARL" });
  control.addProduct({ sku: "GIFT-SET", components: [{ sku: "MUG-RED", quantity: 2 }] });
  control.setInventory("MUG-RED", main, 20);
  control.setInventory("MUG-RED", mall, 3);
  control.setInventory("TEA-EARL", main, 10);
});
afterAll(() => sandbox.close());

const client = () =>
  createLightspeedClient({
    baseUrl: sandbox.lightspeed!.url,
    auth: { personalToken: sandbox.lightspeed!.credentials.personalToken },
    http: { retry: { retries: 1, minDelayMs: 1 } },
  });

describe("Lightspeed stock source", () => {
  it("reads a snapshot as counted levels, leaving composites out, and polls changes by version", async () => {
    const source = createLightspeedStockSource({ client: client() });
    const snapshot = await source.snapshot();
    const positions = replay(snapshot.events);
    expect(positions.get(positionKey("MUG-RED", main))?.onHand).toBe(20);
    expect(positions.get(positionKey("MUG-RED", mall))?.onHand).toBe(3);
    expect(snapshot.events.some((e) => "sku" in e && e.sku === "GIFT-SET")).toBe(false);

    sandbox.lightspeed!.control.sell({ outletId: main, lines: [{ sku: "GIFT-SET", quantity: 1 }] });
    const changes = await source.changesSince(snapshot.cursor);
    expect(changes.events).toMatchObject([
      { type: "stock.counted", sku: "MUG-RED", locationId: main, onHand: 18 },
    ]);
    expect(Number(changes.cursor.split(":")[0])).toBeGreaterThan(Number(snapshot.cursor));
    const again = await source.changesSince(changes.cursor);
    expect(again.events).toMatchObject([{ type: "stock.counted", sku: "MUG-RED", onHand: 18 }]);
    expect((await source.changesSince(again.cursor)).events).toEqual([]);
  });

  it("signs in with OAuth, rotating the refresh token", async () => {
    const rotated: string[] = [];
    const { credentials, control } = sandbox.lightspeed!;
    const oauth = createLightspeedClient({
      baseUrl: sandbox.lightspeed!.url,
      auth: {
        oauth: {
          clientId: credentials.clientId,
          clientSecret: credentials.clientSecret,
          refreshToken: control.issueRefreshToken(),
          onRefreshToken: (token) => {
            rotated.push(token);
          },
        },
      },
    });
    const [outlets, registers] = await Promise.all([oauth.outlets(), oauth.registers()]);
    expect(outlets).toHaveLength(2);
    expect(registers).toHaveLength(2);
    expect(rotated).toHaveLength(1); // two requests at once, one refresh
  });

  it("turns a malformed answer into a typed error naming the field", async () => {
    const broken = createLightspeedClient({
      baseUrl: "http://127.0.0.1:1",
      auth: { personalToken: "x" },
      http: {
        retry: { retries: 0 },
        fetch: async () =>
          new Response(JSON.stringify({ data: [{ name: "no id" }], version: { min: 1, max: 1 } }), {
            headers: { "content-type": "application/json" },
          }),
      },
    });
    try {
      await broken.outlets();
      expect.unreachable();
    } catch (error) {
      expect(isOmnistockError(error, "VALIDATION")).toBe(true);
      expect((error as Error).message).toContain("data[0].id");
    }
  });
});

describe("Lightspeed factories", () => {
  it("refuse unknown, missing or invalid options, naming each field", () => {
    const cases: [() => unknown, string[]][] = [
      [
        () => createLightspeedClient({ baseUrl: "example.com", auth: {} } as never),
        ["baseUrl", "auth"],
      ],
      [
        () =>
          createLightspeedClient({
            baseUrl: "https://x.retail.lightspeed.app",
            auth: { personalToken: "t" },
            registers: 0,
          }),
        ["registers"],
      ],
      [() => createLightspeedStockSource({ client: client(), outlets: [] } as never), ["outlets"]],
      [() => createLightspeedSalesSink({ client: client() } as never), ["userId", "taxId"]],
    ];
    for (const [create, fields] of cases) {
      try {
        create();
        expect.unreachable();
      } catch (error) {
        expect(isOmnistockError(error, "VALIDATION")).toBe(true);
        for (const field of fields) expect((error as Error).message).toContain(field);
      }
    }
  });
});

describe("Lightspeed stock adjustments", () => {
  it("applies corrections as deltas, more than 1,000 in several requests", async () => {
    const { control } = sandbox.lightspeed!;
    const lightspeed = client();
    const products = new Map((await lightspeed.products()).map((p) => [p.sku, p.id]));
    const before = control.inventory("MUG-RED", mall);
    const items = Array.from({ length: 1_001 }, (_, i) => ({
      productId: products.get("MUG-RED") as string,
      outletId: mall,
      delta: i % 2 === 0 ? 1 : -1,
      reason: i % 2 === 0 ? "STOCK_FOUND" : "DAMAGE",
    }));
    await lightspeed.adjustStock(items);
    expect(control.inventory("MUG-RED", mall)).toBe(before + 1);
  });
});

describe("Lightspeed sales-order sink", () => {
  it("records a channel order as a sale at the routed outlet once, and voids it to give the stock back", async () => {
    const { control } = sandbox.lightspeed!;
    const sink = createLightspeedSalesSink({
      client: client(),
      userId: "omnistock",
      taxId: "no-tax",
    });
    const before = control.inventory("TEA-EARL", main);
    const order = {
      orderId: "1001",
      channelId: "shopify-eu",
      locationId: main,
      lines: [{ sku: "TEA-EARL", quantity: 2 }],
    };
    const first = await sink.recordSale(order);
    const retry = await sink.recordSale(order);
    expect(first.created).toBe(true);
    expect(retry).toMatchObject({ saleId: first.saleId, created: false });
    // The event the sale's own webhook carries, under the same id, for echo recognition.
    expect(first.events).toMatchObject([
      {
        type: "pos.sale",
        id: `lightspeed:sale:${first.saleId}`,
        locationId: main,
        lines: [{ sku: "TEA-EARL", quantity: 2 }],
        orderRef: "shopify-eu:1001",
      },
    ]);
    expect(retry.events).toEqual(first.events);
    expect(control.inventory("TEA-EARL", main)).toBe(before - 2);
    expect(
      control.sales().filter((s) => s.source_id === saleReference("shopify-eu", "1001")),
    ).toHaveLength(1);
    await sink.voidSale({ channelId: "shopify-eu", orderId: "1001" });
    expect(control.inventory("TEA-EARL", main)).toBe(before);
    await expect(
      sink.recordSale({ ...order, orderId: "1002", lines: [{ sku: "GHOST", quantity: 1 }] }),
    ).rejects.toThrow(/GHOST/);
  });

  it("records a refund's restocked units once as a return sale at the outlet, giving the stock back", async () => {
    const { control } = sandbox.lightspeed!;
    const sink = createLightspeedSalesSink({ client: client(), userId: "omnistock", taxId: "t" });
    const order = {
      orderId: "1003",
      channelId: "shopify-eu",
      locationId: main,
      lines: [{ sku: "TEA-EARL", quantity: 3 }],
    };
    await sink.recordSale(order);
    const sold = control.inventory("TEA-EARL", main);
    const ret = { ...order, returnId: "refund-77", lines: [{ sku: "TEA-EARL", quantity: 2 }] };
    const first = await sink.recordReturn(ret);
    const retry = await sink.recordReturn(ret);
    expect(first.created).toBe(true);
    expect(retry).toMatchObject({ saleId: first.saleId, created: false });
    expect(control.inventory("TEA-EARL", main)).toBe(sold + 2);
    // What the return's own webhook carries, under the same id (see the webhook parser).
    expect(first.events).toMatchObject([
      {
        type: "pos.return",
        id: `lightspeed:sale:${first.saleId}:return`,
        locationId: main,
        lines: [{ sku: "TEA-EARL", quantity: 2, restock: true }],
      },
    ]);
    expect(retry.events).toEqual(first.events);
    const reference = returnReference("shopify-eu", "1003", "refund-77");
    const returns = control.sales().filter((s) => s.source_id === reference);
    expect(returns).toHaveLength(1);
    expect(returns[0]?.line_items.map((l) => l.quantity)).toEqual([-2]);
    // The order's sale is still the one sale under the order's own reference.
    expect(
      control.sales().filter((s) => s.source_id === saleReference("shopify-eu", "1003")),
    ).toHaveLength(1);
  });
});

describe("Lightspeed webhooks", () => {
  const skuOf = (productId: string) => (productId === "p-mug" ? "MUG-RED" : undefined);
  const form = (type: string, payload: unknown) =>
    new URLSearchParams({ type, payload: JSON.stringify(payload) }).toString();

  it("verifies the signature of the sandbox's real webhooks and parses inventory.update as a counted level", async () => {
    const { control, credentials } = sandbox.lightspeed!;
    const received: { body: string; signature: string }[] = [];
    const { createServer } = await import("node:http");
    const server = createServer((req, res) => {
      let body = "";
      req.on("data", (c) => {
        body += c;
      });
      req.on("end", () => {
        received.push({ body, signature: String(req.headers["x-signature"]) });
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    control.subscribe(
      "inventory.update",
      `http://127.0.0.1:${(server.address() as { port: number }).port}/ls`,
    );
    control.setInventory("MUG-RED", mall, 7);
    await sandbox.lightspeed!.drainWebhooks();
    const hook = received[0];
    if (hook === undefined) throw new Error("no webhook");
    const products = new Map((await client().products()).map((p) => [p.id, p.sku ?? ""]));
    const parsed = parseLightspeedWebhook({
      body: hook.body,
      signature: hook.signature,
      secrets: [credentials.clientSecret],
      skuOf: (id) => products.get(id),
      clock: () => 5,
    });
    expect(parsed.events).toMatchObject([
      { type: "stock.counted", sku: "MUG-RED", locationId: mall, onHand: 7, at: 5 },
    ]);
    expect(() =>
      parseLightspeedWebhook({
        body: hook.body,
        signature: "signature=forged,algorithm=HMAC-SHA256",
        secrets: [credentials.clientSecret],
        skuOf: () => "X",
      }),
    ).toThrow(/X-Signature/);
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it("turns closed sales into POS sales with the order reference, returns into restocks, voids into reversals", () => {
    const sale = (status: string, quantity: number) =>
      parseLightspeedWebhook({
        body: form("sale.update", {
          id: "s1",
          outlet_id: "o1",
          status,
          source_id: "shopify-eu:1001",
          version: 3,
          line_items: [{ product_id: "p-mug", quantity }],
        }),
        signature: undefined,
        allowUnsigned: true,
        skuOf,
        clock: () => 10,
      }).events;
    expect(sale("CLOSED", 2)).toEqual([
      {
        type: "pos.sale",
        id: "lightspeed:sale:s1",
        at: 10,
        locationId: "o1",
        lines: [{ sku: "MUG-RED", quantity: 2 }],
        orderRef: "shopify-eu:1001",
      },
    ]);
    expect(sale("CLOSED", -1)).toMatchObject([
      { type: "pos.return", lines: [{ sku: "MUG-RED", quantity: 1, restock: true }] },
    ]);
    expect(sale("VOIDED", 2)).toMatchObject([
      { type: "pos.return", id: "lightspeed:sale:s1:void" },
    ]);
    expect(sale("SAVED", 2)).toEqual([]);
    // On account: the goods left unpaid, so the stock went with them. A lay-by waits.
    expect(sale("ONACCOUNT", 2)).toMatchObject([{ type: "pos.sale", id: "lightspeed:sale:s1" }]);
    expect(sale("LAYBY", 2)).toEqual([]);
  });

  it("dates a sale by its sale_date and a void by its updated_at, in either API's format", () => {
    const events = (payload: Record<string, unknown>) =>
      parseLightspeedWebhook({
        body: form("sale.update", {
          id: "s2",
          outlet_id: "o1",
          line_items: [{ product_id: "p-mug", quantity: 1 }],
          ...payload,
        }),
        signature: undefined,
        allowUnsigned: true,
        skuOf,
        clock: () => 99,
      }).events;
    expect(events({ status: "CLOSED", sale_date: "2026-11-22 09:00:00" })).toMatchObject([
      { at: Date.UTC(2026, 10, 22, 9) },
    ]);
    expect(events({ status: "CLOSED", sale_date: "2026-11-22T09:00:00.250Z" })).toMatchObject([
      { at: Date.UTC(2026, 10, 22, 9, 0, 0, 250) },
    ]);
    expect(
      events({
        status: "VOIDED",
        sale_date: "2026-11-22T09:00:00Z",
        updated_at: "2026-11-22T10:30:00Z",
      }),
    ).toMatchObject([{ type: "pos.return", at: Date.UTC(2026, 10, 22, 10, 30) }]);
    expect(events({ status: "CLOSED", sale_date: "soon" })).toMatchObject([{ at: 99 }]);
  });

  it("rejects a malformed body with a typed error naming the field", () => {
    try {
      parseLightspeedWebhook({
        body: form("inventory.update", { product_id: "p-mug" }),
        signature: undefined,
        allowUnsigned: true,
        skuOf,
      });
      expect.unreachable();
    } catch (error) {
      expect(isOmnistockError(error, "VALIDATION")).toBe(true);
      expect((error as Error).message).toContain("outlet_id");
    }
  });
});
