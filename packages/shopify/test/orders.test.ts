import type { ChannelOrder } from "@omnistock/core";
import { isOmnistockError } from "@omnistock/core";
import { type Sandbox, startSandbox } from "@omnistock/sandbox";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createShopifyMapping, createShopifyOrderSource } from "../src/index.js";
import { clientOf, type Shop } from "./support.js";

vi.setConfig({ testTimeout: 30_000 });

let now = Date.UTC(2026, 10, 22, 9, 0, 0);
let sandbox: Sandbox;
let shop: Shop;
let web = "";
const variants = new Map<string, string>();

beforeAll(async () => {
  sandbox = await startSandbox({ shopify: [{ plan: "plus" }], clock: () => now });
  shop = sandbox.shopify[0] as Shop;
  web = shop.control.addLocation("Web").id;
  for (const sku of ["MUG-RED", "TEA-EARL", ...Array.from({ length: 30 }, (_, i) => `BULK-${i}`)]) {
    const v = shop.control.addVariant({ sku });
    variants.set(sku, v.id);
    shop.control.stock(v.inventoryItemId, web, 100);
  }
});
afterAll(() => sandbox.close());

const variant = (sku: string) => variants.get(sku) as string;
const source = () => {
  const client = clientOf(shop, {}, { plan: "plus" });
  return createShopifyOrderSource({
    client,
    channelId: "shopify-eu",
    mapping: createShopifyMapping({ client, locations: { web } }),
    startAt: now - 60_000,
  });
};
const legacy = (gid: string) => gid.slice(gid.lastIndexOf("/") + 1);

describe("Shopify order source", () => {
  let cursor = "";

  it("reports placed, fulfilled, refunded (restock lines) and cancelled orders, oldest change first", async () => {
    const a = shop.control.placeOrder([{ variantId: variant("MUG-RED"), quantity: 2 }], web);
    now += 1_000;
    const b = shop.control.placeOrder(
      [
        { variantId: variant("TEA-EARL"), quantity: 1 },
        { variantId: variant("MUG-RED"), quantity: 1 },
      ],
      web,
    );
    now += 1_000;
    shop.control.fulfillOrder(a.id);
    shop.control.refund(a.id, [{ variantId: variant("MUG-RED"), quantity: 1, restock: true }]);
    now += 1_000;
    shop.control.cancelOrder(b.id);
    const read = await source().ordersSince(undefined);
    const by = (order: string, status: ChannelOrder["status"]) =>
      read.orders.find((o) => o.orderId === legacy(order) && o.status === status);
    expect(by(a.id, "placed")).toMatchObject({
      eventId: `shopify-eu:order:${legacy(a.id)}:placed`,
      channelId: "shopify-eu",
      lines: [{ listingId: "MUG-RED", quantity: 2 }],
      channelLocationId: "web",
      at: Date.UTC(2026, 10, 22, 9, 0, 0),
    });
    expect(by(a.id, "fulfilled")?.eventId).toBe(`shopify-eu:order:${legacy(a.id)}:fulfilled`);
    expect(by(a.id, "refunded")).toMatchObject({
      lines: [{ listingId: "MUG-RED", quantity: 1, restock: true }],
      channelLocationId: "web",
    });
    expect(by(a.id, "refunded")?.eventId).toMatch(
      new RegExp(`:order:${legacy(a.id)}:refund:\\d+$`),
    );
    expect(by(b.id, "cancelled")).toMatchObject({
      lines: [
        { listingId: "TEA-EARL", quantity: 1 },
        { listingId: "MUG-RED", quantity: 1 },
      ],
      at: now,
    });
    // Order a changed last at +2 s, b at +3 s: a's reports come first.
    expect(read.orders.findIndex((o) => o.orderId === legacy(b.id))).toBeGreaterThan(
      read.orders.findIndex((o) => o.status === "refunded"),
    );
    cursor = read.cursor;
    expect((await source().ordersSince(cursor)).orders).toEqual([]);
  });

  it("pages through orders changed in the same second, losing none and reading none twice", async () => {
    now += 1_000;
    const placed = Array.from({ length: 11 }, () =>
      shop.control.placeOrder([{ variantId: variant("TEA-EARL"), quantity: 1 }], web),
    );
    const orders = createShopifyOrderSource({
      client: clientOf(shop, {}, { plan: "plus" }),
      channelId: "shopify-eu",
      maxOrders: 5,
    });
    const first = await orders.ordersSince(cursor);
    expect(first.orders.length).toBeLessThan(placed.length);
    const second = await orders.ordersSince(first.cursor);
    const seen = [...first.orders, ...second.orders].map((o) => o.orderId);
    expect(seen.sort()).toEqual(placed.map((p) => String(p.legacyId)).sort());
    expect((await orders.ordersSince(second.cursor)).orders).toEqual([]);
    cursor = second.cursor;
  });

  it("reads every line of a large order and of a large refund", async () => {
    now += 1_000;
    const lines = Array.from({ length: 30 }, (_, i) => ({
      variantId: variant(`BULK-${i}`),
      quantity: 1,
    }));
    const order = shop.control.placeOrder(lines, web);
    shop.control.refund(
      order.id,
      lines.slice(0, 12).map((l) => ({ ...l, restock: false })),
    );
    const read = await source().ordersSince(cursor);
    const placed = read.orders.find((o) => o.status === "placed");
    const refunded = read.orders.find((o) => o.status === "refunded");
    expect(placed?.lines).toHaveLength(30);
    expect(refunded?.lines).toHaveLength(12);
    expect(refunded?.lines.every((l) => l.restock === false)).toBe(true);
  });

  it("refuses a cursor it did not write", async () => {
    const error = await source()
      .ordersSince("yesterday")
      .catch((e: unknown) => e);
    expect(isOmnistockError(error, "VALIDATION")).toBe(true);
  });
});
