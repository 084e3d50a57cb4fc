import { createHmac } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createShopifyServer,
  type OutgoingWebhook,
  type ServedHandler,
  serve,
} from "../../src/index.js";

let now = Date.UTC(2026, 10, 22, 9, 0, 0);
const delivered: OutgoingWebhook[] = [];
const shopify = createShopifyServer({ clock: () => now, deliver: (d) => delivered.push(d) });
const { control, credentials } = shopify;
const store = control.addLocation("Online");
const backroom = control.addLocation("Back room");
const mug = control.addVariant({ sku: "MUG-RED", title: "Red mug" });
const tea = control.addVariant({ sku: "TEA-EARL" });
control.addVariant({ sku: "MUG-RED", title: "Red mug (copy)" });
control.stock(mug.inventoryItemId, store.id, 10);
control.stock(tea.inventoryItemId, store.id, 5);
let served: ServedHandler;

beforeAll(async () => {
  served = await serve((request) => shopify.fetch(request));
});
afterAll(() => served.close());

// biome-ignore lint/suspicious/noExplicitAny: answers are read loosely here; the contract test checks their shape.
type Loose = any;
const graphql = async (
  query: string,
  variables: Record<string, unknown> = {},
  token = credentials.accessToken,
) => {
  const response = await fetch(`${served.url}/admin/api/2026-04/graphql.json`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-shopify-access-token": token },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, body: (await response.json()) as Loose };
};

const SET = `mutation Set($input: InventorySetQuantitiesInput!, $key: String!) {
  inventorySetQuantities(input: $input) @idempotent(key: $key) {
    inventoryAdjustmentGroup { reason changes { name delta quantityAfterChange } }
    userErrors { code field message }
  }
}`;
const setInput = (
  quantity: number,
  changeFromQuantity: number | null,
  itemId = mug.inventoryItemId,
  locationId = store.id,
) => ({
  reason: "correction",
  name: "available",
  quantities: [{ inventoryItemId: itemId, locationId, quantity, changeFromQuantity }],
});

describe("Shopify fake: reads", () => {
  it("refuses a missing access token", async () => {
    expect((await graphql("{ locations(first: 5) { nodes { id } } }", {}, "nope")).status).toBe(
      401,
    );
  });

  it("finds variants and inventory items by SKU, with duplicate SKUs counted, and named quantities", async () => {
    const { body } = await graphql(`{
      productVariants(first: 5, query: "sku:MUG-RED") { nodes { id sku inventoryItem { id duplicateSkuCount } } }
      inventoryItem(id: "${mug.inventoryItemId}") { inventoryLevels(first: 5) { nodes { location { name } quantities(names: ["available", "on_hand", "committed"]) { name quantity } } } }
    }`);
    expect(body.data.productVariants.nodes).toHaveLength(2);
    expect(body.data.productVariants.nodes[0].inventoryItem.duplicateSkuCount).toBe(1);
    expect(body.data.inventoryItem.inventoryLevels.nodes[0].quantities).toEqual([
      { name: "available", quantity: 10 },
      { name: "on_hand", quantity: 10 },
      { name: "committed", quantity: 0 },
    ]);
    expect(body.extensions.cost).toMatchObject({
      requestedQueryCost: expect.any(Number),
      throttleStatus: { maximumAvailable: 2000, restoreRate: 100 },
    });
  });

  it("rejects an unknown field and a wrong argument as Shopify does, before running anything", async () => {
    const unknown = await graphql("{ locations(first: 1) { nodes { warehouseCode } } }");
    expect(unknown.body.errors[0].message).toContain("warehouseCode");
    const wrong = await graphql('{ inventoryItem(sku: "MUG-RED") { id } }');
    expect(wrong.body.errors.length).toBeGreaterThan(0);
    expect(wrong.body.data).toBeUndefined();
  });
});

describe("Shopify fake: inventorySetQuantities", () => {
  it("sets available with compare-and-set, once per idempotency key", async () => {
    const first = await graphql(SET, { input: setInput(7, 10), key: "k-1" });
    expect(first.body.data.inventorySetQuantities).toEqual({
      inventoryAdjustmentGroup: {
        reason: "correction",
        changes: [{ name: "available", delta: -3, quantityAfterChange: 7 }],
      },
      userErrors: [],
    });
    const again = await graphql(SET, { input: setInput(7, 10), key: "k-1" });
    expect(again.body.data.inventorySetQuantities.userErrors).toEqual([]);
    expect(control.quantity(mug.inventoryItemId, store.id)).toBe(7);
    const mismatch = await graphql(SET, { input: setInput(6, 7), key: "k-1" });
    expect(mismatch.body.data.inventorySetQuantities.userErrors[0].code).toBe(
      "IDEMPOTENCY_KEY_PARAMETER_MISMATCH",
    );
  });

  it("refuses a stale changeFromQuantity and changes nothing", async () => {
    const stale = await graphql(SET, { input: setInput(1, 99), key: "k-2" });
    expect(stale.body.data.inventorySetQuantities).toMatchObject({
      inventoryAdjustmentGroup: null,
      userErrors: [{ code: "CHANGE_FROM_QUANTITY_STALE" }],
    });
    expect(control.quantity(mug.inventoryItemId, store.id)).toBe(7);
  });

  it("requires changeFromQuantity on every quantity (explicit null opts out) and the @idempotent key", async () => {
    const { changeFromQuantity: _omitted, ...withoutCheck } = setInput(3, null)
      .quantities[0] as Loose;
    const missing = await graphql(SET, {
      input: { ...setInput(3, null), quantities: [withoutCheck] },
      key: "k-3",
    });
    expect(missing.body.data.inventorySetQuantities.userErrors[0].field).toEqual([
      "input",
      "quantities",
      "0",
      "changeFromQuantity",
    ]);
    const optOut = await graphql(SET, { input: setInput(3, null), key: "k-4" });
    expect(optOut.body.data.inventorySetQuantities.userErrors).toEqual([]);
    const noKey = await graphql(
      "mutation($input: InventorySetQuantitiesInput!) { inventorySetQuantities(input: $input) { userErrors { code } } }",
      { input: setInput(2, null) },
    );
    expect(noKey.body.errors[0].message).toContain("@idempotent");
  });

  it("reports an item not stocked at the location, until inventoryActivate connects it", async () => {
    const unstocked = await graphql(SET, {
      input: setInput(4, null, tea.inventoryItemId, backroom.id),
      key: "k-5",
    });
    expect(unstocked.body.data.inventorySetQuantities.userErrors[0].code).toBe(
      "ITEM_NOT_STOCKED_AT_LOCATION",
    );
    await graphql(
      `mutation { inventoryActivate(inventoryItemId: "${tea.inventoryItemId}", locationId: "${backroom.id}", available: 0) { userErrors { message } } }`,
    );
    const stocked = await graphql(SET, {
      input: setInput(4, 0, tea.inventoryItemId, backroom.id),
      key: "k-6",
    });
    expect(stocked.body.data.inventorySetQuantities.userErrors).toEqual([]);
  });

  it("refuses more than 250 items in one call", async () => {
    const quantities = Array.from({ length: 251 }, () => ({
      inventoryItemId: mug.inventoryItemId,
      locationId: store.id,
      quantity: 1,
      changeFromQuantity: null,
    }));
    const { body } = await graphql(SET, {
      input: { reason: "correction", name: "available", quantities },
      key: "k-7",
    });
    expect(body.errors[0].extensions.code).toBe("MAX_INPUT_SIZE_EXCEEDED");
    expect(body.data).toBeUndefined();
  });
});

describe("Shopify fake: cost and throttling", () => {
  it("charges the documented cost and answers THROTTLED when the bucket is empty, restoring over time", async () => {
    const limited = createShopifyServer({ clock: () => now, plan: "standard" });
    const run = async (query: string) =>
      (await (
        await limited.fetch(
          new Request("http://x/admin/api/2026-04/graphql.json", {
            method: "POST",
            headers: {
              "x-shopify-access-token": "shpat_sandbox",
              "content-type": "application/json",
            },
            body: JSON.stringify({ query }),
          }),
        )
      ).json()) as Loose;
    const heavy = "{ locations(first: 249) { nodes { id name } } }"; // 2 + 249 × 1 = 251
    const first = await run(heavy);
    expect(first.extensions.cost.requestedQueryCost).toBe(251);
    for (let i = 0; i < 6; i++) await run(heavy);
    const throttled = await run(heavy);
    expect(throttled.errors[0].extensions.code).toBe("THROTTLED");
    // As on Shopify, the refusal says what the query asked for: the wait it implies.
    expect(throttled.extensions.cost).toMatchObject({
      requestedQueryCost: 251,
      actualQueryCost: null,
    });
    now += 2_000;
    expect((await run(heavy)).errors).toBeUndefined();
    const tooBig = await run(
      "{ inventoryItems(first: 250) { nodes { inventoryLevels(first: 10) { nodes { id } } } } }",
    );
    expect(tooBig.errors[0].extensions.code).toBe("MAX_COST_EXCEEDED");
  });
});

describe("Shopify fake: orders and webhooks", () => {
  it("commits stock for an order, signs orders/create, and restocks a refund", async () => {
    control.subscribe("orders/create", "http://127.0.0.1:1/shopify");
    control.subscribe("refunds/create", "http://127.0.0.1:1/shopify");
    const before = control.quantity(tea.inventoryItemId, store.id);
    const order = control.placeOrder([{ variantId: tea.id, quantity: 2 }], store.id);
    expect(control.quantity(tea.inventoryItemId, store.id)).toBe(before - 2);
    expect(control.quantity(tea.inventoryItemId, store.id, "committed")).toBe(2);
    const hook = delivered.find((d) => d.topic === "orders/create");
    expect(hook?.headers).toMatchObject({
      "x-shopify-topic": "orders/create",
      "x-shopify-shop-domain": credentials.shop,
    });
    expect(hook?.headers["x-shopify-hmac-sha256"]).toBe(
      createHmac("sha256", credentials.webhookSecret)
        .update(hook?.body ?? "")
        .digest("base64"),
    );
    expect(JSON.parse(hook?.body ?? "{}").line_items[0]).toMatchObject({
      sku: "TEA-EARL",
      quantity: 2,
    });
    control.fulfillOrder(order.id);
    control.refund(order.id, [{ variantId: tea.id, quantity: 1, restock: true }]);
    expect(control.quantity(tea.inventoryItemId, store.id)).toBe(before - 1);
    const polled = await graphql(
      `{ orders(first: 5, query: "updated_at:>2026-11-22T08:00:00Z") { nodes { name lineItems(first: 5) { nodes { sku quantity } } } } }`,
    );
    expect(polled.body.data.orders.nodes[0].lineItems.nodes).toEqual([
      { sku: "TEA-EARL", quantity: 2 },
    ]);
  });
});

describe("Shopify fake: what an adapter reads", () => {
  it("finds several SKUs in one search, quoted or not, and the variants of one inventory item", async () => {
    const shared = control.addVariant({ sku: "CUP-BLUE" });
    control.addVariant({
      sku: "CUP-BLUE",
      itemId: shared.inventoryItemId,
      title: "Blue cup (set)",
    });
    const { body } = await graphql(
      `query($q: String) {
        productVariants(first: 10, query: $q) { nodes { sku inventoryItem { id } } }
        inventoryItem(id: "${shared.inventoryItemId}") { variants(first: 5) { nodes { id } } }
      }`,
      { q: `sku:TEA-EARL OR sku:"CUP-BLUE"` },
    );
    expect(body.data.productVariants.nodes.map((n: Loose) => n.sku).sort()).toEqual([
      "CUP-BLUE",
      "CUP-BLUE",
      "TEA-EARL",
    ]);
    expect(body.data.inventoryItem.variants.nodes).toHaveLength(2);
  });

  it("lists a location's inventory levels, page by page", async () => {
    const { body } = await graphql(
      `{ location(id: "${store.id}") { inventoryLevels(first: 1) { nodes { item { id } quantities(names: ["available"]) { quantity } } pageInfo { hasNextPage endCursor } } } }`,
    );
    const page = body.data.location.inventoryLevels;
    expect(page.nodes).toHaveLength(1);
    expect(page.pageInfo.hasNextPage).toBe(true);
  });

  it("charges a mutation 10 plus the objects its payload selects", async () => {
    const { body } = await graphql(
      `mutation($input: InventorySetQuantitiesInput!, $key: String!) {
        inventorySetQuantities(input: $input) @idempotent(key: $key) { userErrors { code field message } }
      }`,
      { input: setInput(5, null), key: "cost-1" },
    );
    expect(body.extensions.cost.requestedQueryCost).toBe(11);
  });

  it("sorts orders by update time, filters them inclusively, and shows refunds and fulfilment", async () => {
    const a = control.placeOrder([{ variantId: tea.id, quantity: 1 }], store.id);
    now += 1_000;
    const b = control.placeOrder([{ variantId: mug.id, quantity: 1 }], store.id);
    now += 1_000;
    control.fulfillOrder(a.id);
    control.refund(a.id, [{ variantId: tea.id, quantity: 1, restock: true }]);
    const since = new Date(now - 1_000).toISOString();
    const { body } = await graphql(
      `query($q: String) { orders(first: 10, sortKey: UPDATED_AT, query: $q) { nodes {
        id displayFulfillmentStatus retailLocation { id }
        refunds(first: 5) { id refundLineItems(first: 5) { nodes { quantity restockType restocked location { id } lineItem { variant { id } } } } }
      } } }`,
      { q: `updated_at:>='${since}'` },
    );
    expect(body.data.orders.nodes.map((n: Loose) => n.id)).toEqual([b.id, a.id]);
    const refunded = body.data.orders.nodes[1];
    expect(refunded.displayFulfillmentStatus).toBe("FULFILLED");
    expect(refunded.retailLocation.id).toBe(store.id);
    expect(refunded.refunds[0].refundLineItems.nodes[0]).toEqual({
      quantity: 1,
      restockType: "RETURN",
      restocked: true,
      location: { id: store.id },
      lineItem: { variant: { id: tea.id } },
    });
    const one = await graphql(
      `{ order(id: "${a.id}") { id } refund(id: "${refunded.refunds[0].id}") { id } productVariant(id: "${tea.id}") { sku } }`,
    );
    expect(one.body.data).toEqual({
      order: { id: a.id },
      refund: { id: refunded.refunds[0].id },
      productVariant: { sku: "TEA-EARL" },
    });
  });

  it("takes a smaller bucket and restore rate over the plan's", async () => {
    const small = createShopifyServer({ bucketSize: 40, restoreRate: 2 });
    const response = await small.fetch(
      new Request("http://x/admin/api/2026-04/graphql.json", {
        method: "POST",
        headers: { "x-shopify-access-token": "shpat_sandbox", "content-type": "application/json" },
        body: JSON.stringify({ query: "{ locations(first: 5) { nodes { id } } }" }),
      }),
    );
    const answer = (await response.json()) as Loose;
    expect(answer.extensions.cost.throttleStatus).toMatchObject({
      maximumAvailable: 40,
      restoreRate: 2,
    });
  });
});
