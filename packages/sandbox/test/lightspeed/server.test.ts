import { createHmac } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createLightspeedServer,
  type OutgoingWebhook,
  type ServedHandler,
  serve,
} from "../../src/index.js";

let now = Date.UTC(2026, 10, 22, 9, 0, 0);
const delivered: OutgoingWebhook[] = [];
const lightspeed = createLightspeedServer({ clock: () => now, deliver: (d) => delivered.push(d) });
const { control, credentials } = lightspeed;
let served: ServedHandler;
const main = control.addOutlet("Main Street");
const mall = control.addOutlet("Mall");
control.addRegister(main.id);
const mug = control.addProduct({ sku: "MUG-RED", name: "Red mug" });
const tea = control.addProduct({ sku: "TEA-EARL" });
const giftSet = control.addProduct({
  sku: "GIFT-SET",
  components: [
    { sku: "MUG-RED", quantity: 2 },
    { sku: "TEA-EARL", quantity: 1 },
  ],
});
control.setInventory("MUG-RED", main.id, 20);
control.setInventory("TEA-EARL", main.id, 10);
control.setInventory("MUG-RED", mall.id, 3);

beforeAll(async () => {
  served = await serve((request) => lightspeed.fetch(request));
});
afterAll(() => served.close());

// biome-ignore lint/suspicious/noExplicitAny: answers are read loosely here; the contract test checks their shape.
type Loose = any;
interface LooseResponse extends Response {
  json(): Promise<Loose>;
}

const call = (path: string, init: RequestInit = {}, token = credentials.personalToken) =>
  fetch(`${served.url}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${token}`, ...init.headers },
  }) as Promise<LooseResponse>;

describe("Lightspeed fake: reads", () => {
  it("refuses a request without a valid token", async () => {
    const response = await call("/api/2.0/outlets", {}, "wrong");
    expect(response.status).toBe(401);
  });

  it("pages inventory by the global version cursor", async () => {
    const first = await (await call("/api/2.0/inventory?page_size=2")).json();
    expect(first.data).toHaveLength(2);
    const second = await (
      await call(`/api/2.0/inventory?page_size=2&after=${first.version.max}`)
    ).json();
    expect(second.data).toHaveLength(2);
    const done = await (await call(`/api/2.0/inventory?after=${second.version.max}`)).json();
    expect(done.data).toEqual([]);
    const all = [...first.data, ...second.data];
    expect(
      all.find(
        (r: { product_id: string; outlet_id: string }) =>
          r.product_id === mug.id && r.outlet_id === main.id,
      ),
    ).toMatchObject({ inventory_level: 20 });
    const versions = all.map((r: { version: number }) => r.version);
    expect(versions).toEqual([...versions].sort((a, b) => a - b));
  });

  it("keeps an inventory record of every tracked product at every outlet, as Lightspeed does", async () => {
    const { data } = await (await call("/api/2.0/inventory")).json();
    const records = (data as { product_id: string; outlet_id: string; inventory_level: number }[])
      .map((r) => `${r.product_id}@${r.outlet_id}=${r.inventory_level}`)
      .sort();
    expect(records).toEqual(
      [
        `${mug.id}@${main.id}=20`,
        `${mug.id}@${mall.id}=3`,
        `${tea.id}@${main.id}=10`,
        `${tea.id}@${mall.id}=0`,
      ].sort(),
    );
    expect(records.some((r) => r.startsWith(giftSet.id))).toBe(false);
    // An outlet opened later gets a record of every tracked product, too.
    const other = createLightspeedServer({ clock: () => now });
    other.control.addOutlet("Main Street");
    other.control.addProduct({ sku: "MUG-RED" });
    other.control.addProduct({ sku: "GIFT-CARD", tracked: false });
    const later = other.control.addOutlet("Warehouse");
    const answer = await other.fetch(
      new Request("http://lightspeed.test/api/2.0/inventory", {
        headers: { authorization: `Bearer ${other.credentials.personalToken}` },
      }),
    );
    const rows = ((await answer.json()) as { data: { outlet_id: string }[] }).data;
    expect(rows).toHaveLength(2);
    expect(rows.filter((r) => r.outlet_id === later.id)).toHaveLength(1);
  });

  it("loads a product by SKU and its inventory at every outlet", async () => {
    const bySku = await (await call("/api/2.0/products?sku=MUG-RED")).json();
    expect(bySku.data).toMatchObject([{ id: mug.id, sku: "MUG-RED", has_inventory: true }]);
    const levels = await (await call(`/api/2.0/products/${mug.id}/inventory`)).json();
    expect(levels.data.map((l: { inventory_level: number }) => l.inventory_level).sort()).toEqual([
      20, 3,
    ]);
  });
});

describe("Lightspeed fake: writes", () => {
  it("applies stock adjustments as deltas, 1 to 1000 items, reasons by sign", async () => {
    const ok = await call("/api/2026-01/stock_adjustments", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        stock_adjustments: [
          { product_id: tea.id, outlet_id: main.id, quantity: "-2", reason: "DAMAGE" },
        ],
      }),
    });
    expect(ok.status).toBe(201);
    expect((await ok.json()).data[0]).toMatchObject({ quantity: "-2", reason: "DAMAGE" });
    expect(control.inventory("TEA-EARL", main.id)).toBe(8);

    const wrongReason = await call("/api/2026-01/stock_adjustments", {
      method: "POST",
      body: JSON.stringify({
        stock_adjustments: [
          { product_id: tea.id, outlet_id: main.id, quantity: "5", reason: "DAMAGE" },
        ],
      }),
    });
    expect(wrongReason.status).toBe(422);
    const tooMany = Array.from({ length: 1001 }, () => ({
      product_id: tea.id,
      outlet_id: main.id,
      quantity: "1",
      reason: "STOCK_FOUND",
    }));
    expect(
      (
        await call("/api/2026-01/stock_adjustments", {
          method: "POST",
          body: JSON.stringify({ stock_adjustments: tooMany }),
        })
      ).status,
    ).toBe(422);
    expect(
      (
        await call("/api/2026-01/stock_adjustments", {
          method: "POST",
          body: JSON.stringify({ stock_adjustments: [] }),
        })
      ).status,
    ).toBe(422);
    expect(control.inventory("TEA-EARL", main.id)).toBe(8);
  });

  it("moves stock when a sale closes, composites through their components, and gives it back on void", async () => {
    const register = (await (await call("/api/2.0/registers")).json()).data[0].id;
    const sale = {
      register_id: register,
      user_id: "u1",
      status: "CLOSED",
      source_id: "shopify-1001",
      register_sale_products: [
        { product_id: giftSet.id, quantity: 1, price: 30, tax: 0, tax_id: "t" },
      ],
    };
    const created = await (
      await call("/api/register_sales", { method: "POST", body: JSON.stringify(sale) })
    ).json();
    expect(control.inventory("MUG-RED", main.id)).toBe(18);
    expect(control.inventory("TEA-EARL", main.id)).toBe(7);
    const found = await (await call("/api/2.0/search?type=sales&source_id=shopify-1001")).json();
    expect(found.data).toHaveLength(1);
    expect(created.register_sale.updated_at).toBe(new Date(now).toISOString());
    const closedAt = now;
    now += 60_000;
    const voided = await (
      await call("/api/register_sales", {
        method: "POST",
        body: JSON.stringify({ ...sale, id: created.register_sale.id, status: "VOIDED" }),
      })
    ).json();
    expect(control.inventory("MUG-RED", main.id)).toBe(20);
    // The void keeps the sale's date and says when it changed.
    expect(voided.register_sale).toMatchObject({
      sale_date: new Date(closedAt).toISOString(),
      updated_at: new Date(now).toISOString(),
    });
    const invalid = await call("/api/register_sales", {
      method: "POST",
      body: JSON.stringify({ ...sale, register_sale_products: [{ product_id: "nope" }] }),
    });
    expect(invalid.status).toBe(400);
  });
});

describe("Lightspeed fake: webhooks", () => {
  it("sends inventory.update form-encoded with a JSON payload and an X-Signature HMAC", () => {
    control.subscribe("inventory.update", "http://127.0.0.1:1/hooks");
    delivered.length = 0;
    control.sell({ outletId: mall.id, lines: [{ sku: "MUG-RED", quantity: 1 }] });
    const hook = delivered.find((d) => d.topic === "inventory.update");
    expect(hook?.headers["content-type"]).toBe("application/x-www-form-urlencoded");
    const payload = JSON.parse(new URLSearchParams(hook?.body).get("payload") ?? "{}");
    expect(payload).toMatchObject({ product_id: mug.id, outlet_id: mall.id, count: 2 });
    const expected = createHmac("sha256", credentials.clientSecret)
      .update(hook?.body ?? "")
      .digest("hex");
    expect(hook?.headers["x-signature"]).toBe(`signature=${expected},algorithm=HMAC-SHA256`);
  });

  it("sends product.update when a product is created", () => {
    control.subscribe("product.update", "http://127.0.0.1:1/products");
    delivered.length = 0;
    control.addProduct({ sku: "JAM" });
    const hook = delivered.find((d) => d.topic === "product.update");
    expect(JSON.parse(new URLSearchParams(hook?.body).get("payload") ?? "{}")).toMatchObject({
      sku: "JAM",
      has_inventory: true,
    });
  });

  it("registers webhooks through the API and refuses a duplicate with 409", async () => {
    const body = JSON.stringify({
      url: "http://127.0.0.1:1/sales",
      active: true,
      type: "sale.update",
    });
    expect((await call("/api/2.0/webhooks", { method: "POST", body })).status).toBe(201);
    expect((await call("/api/2.0/webhooks", { method: "POST", body })).status).toBe(409);
  });
});

describe("Lightspeed fake: ids", () => {
  it("makes version-4-shaped UUIDs that repeat for a seed and differ between seeds", () => {
    const ids = (seed: number) => {
      const store = createLightspeedServer({ seed });
      return Array.from({ length: 50 }, (_, i) => store.control.addOutlet(`Outlet ${i}`).id);
    };
    const first = ids(7);
    for (const id of first)
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(new Set(first).size).toBe(first.length);
    expect(ids(7)).toEqual(first);
    expect(ids(8)).not.toEqual(first);
  });
});

describe("Lightspeed fake: tokens and rate limit", () => {
  it("rotates refresh tokens: a used one is revoked", async () => {
    const first = control.issueRefreshToken();
    const grant = (refresh: string) =>
      fetch(`${served.url}/api/1.0/token`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({
          grant_type: "refresh_token",
          refresh_token: refresh,
          client_id: credentials.clientId,
          client_secret: credentials.clientSecret,
        }),
      });
    const issued: Loose = await (await grant(first)).json();
    expect(issued).toMatchObject({
      token_type: "Bearer",
      expires_in: 604800,
      domain_prefix: "demo",
    });
    expect((await call("/api/2.0/outlets", {}, issued.access_token)).status).toBe(200);
    expect((await grant(first)).status).toBe(400);
    expect((await grant(issued.refresh_token)).status).toBe(200);
  });

  it("allows 300 × registers + 50 requests per five minutes, then 429 with Retry-After as an HTTP date", async () => {
    const limited = createLightspeedServer({ clock: () => now });
    limited.control.addRegister(limited.control.addOutlet("Only").id);
    const request = () =>
      limited.fetch(
        new Request("http://sandbox/api/2.0/outlets", {
          headers: { authorization: "Bearer lsxs_pt_sandbox" },
        }),
      );
    let last = await request();
    expect(last.headers.get("x-ratelimit-limit")).toBe("350");
    for (let i = 1; i < 350; i++) last = await request();
    expect(last.status).toBe(200);
    expect(last.headers.get("x-ratelimit-remaining")).toBe("0");
    const refused = await request();
    expect(refused.status).toBe(429);
    expect(await (refused as LooseResponse).json()).toEqual({
      error: "Too Many Requests",
      message: "Rate limiting enforced",
    });
    expect(Date.parse(refused.headers.get("retry-after") ?? "")).toBe(
      Math.ceil((now + 300_000) / 1000) * 1000,
    );
    now += 300_000;
    expect((await request()).status).toBe(200);
  });

  it("names a reset still to come in an injected 429, even after the window ran out unseen", async () => {
    let time = Date.UTC(2026, 10, 22, 9, 0, 0, 250);
    const limited = createLightspeedServer({ clock: () => time });
    await limited.fetch(
      new Request("http://sandbox/api/2.0/outlets", {
        headers: { authorization: "Bearer lsxs_pt_sandbox" },
      }),
    );
    time += 400_000;
    const refused = limited.rateLimitedResponse();
    expect(refused.status).toBe(429);
    expect(Date.parse(refused.headers.get("retry-after") ?? "")).toBe(
      Math.ceil((time + 300_000) / 1000) * 1000,
    );
  });

  it("names a Retry-After date, in whole seconds, at which requests pass again", async () => {
    let time = Date.UTC(2026, 10, 22, 9, 0, 0, 400);
    const limited = createLightspeedServer({ clock: () => time });
    const request = () =>
      limited.fetch(
        new Request("http://sandbox/api/2.0/outlets", {
          headers: { authorization: "Bearer lsxs_pt_sandbox" },
        }),
      );
    for (let i = 0; i < 350; i++) await request();
    time += 1_000;
    const refused = await request();
    expect(refused.status).toBe(429);
    const retryAt = Date.parse(refused.headers.get("retry-after") ?? "");
    expect(retryAt % 1000).toBe(0);
    expect(retryAt).toBeGreaterThanOrEqual(Date.UTC(2026, 10, 22, 9, 5, 0, 400));
    time = retryAt - 1_000;
    expect((await request()).status).toBe(429);
    time = retryAt;
    expect((await request()).status).toBe(200);
  });
});
