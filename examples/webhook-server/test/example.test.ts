import { shopifyWebhookHeaders } from "@omnistock/shopify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Example, shown, startExample } from "../src/main.js";

let example: Example;

beforeAll(async () => {
  example = await startExample();
  await example.settle();
}, 60_000);
afterAll(() => example?.close());

describe("the node:http webhook server", () => {
  it("publishes the first sync: the sum less 10 % on Shopify, Main Street less 15 % on Amazon", () => {
    expect(shown(example, "MUG-RED")).toEqual({ shopify: 18, amazon: 10 }); // 12 + 8 = 20; 12
    expect(shown(example, "TEA-EARL")).toEqual({ shopify: 5, amazon: 5 }); // 6 + 0; 6
  });

  it("recognises its own writes when Shopify announces them back", () => {
    expect(example.events).toContainEqual({
      type: "echo-suppressed",
      tenantId: "harbour-goods",
      channelId: "shopify",
      ref: { channelId: "shopify", listingId: "MUG-RED" },
      quantity: 18,
    });
    expect(example.events.some((e) => e.type === "channel-drift")).toBe(false);
  });

  it("takes a sale at the counter to Shopify and Amazon", async () => {
    example.sandbox.lightspeed!.control.sell({
      outletId: example.outlets["main-street"],
      lines: [{ sku: "MUG-RED", quantity: 2 }],
    });
    await example.settle();
    expect(shown(example, "MUG-RED")).toEqual({ shopify: 16, amazon: 8 }); // 10 + 8 = 18; 10
  }, 30_000);

  it("records a Shopify order as a Lightspeed sale, and every channel drops", async () => {
    const { sandbox, variants, shopifyLocation, outlets } = example;
    sandbox.shopify[0]!.control.placeOrder(
      [{ variantId: variants["TEA-EARL"].id, quantity: 1 }],
      shopifyLocation,
    );
    await example.settle();
    expect(sandbox.lightspeed!.control.inventory("TEA-EARL", outlets["main-street"])).toBe(5);
    expect(shown(example, "TEA-EARL")).toEqual({ shopify: 4, amazon: 4 });
    expect(example.events).toContainEqual(
      expect.objectContaining({ type: "sale-recorded", channelId: "shopify", created: true }),
    );
  }, 30_000);

  it("records an Amazon order from its notification, and Shopify drops too", async () => {
    const { sandbox, outlets } = example;
    expect(shown(example, "POT-BLUE")).toEqual({ shopify: 4, amazon: 2 }); // 3 + 2 = 5; 3
    const order = sandbox.amazon!.control.placeOrder([{ sku: "POT-BLUE", quantity: 1 }]);
    await example.settle();
    expect(sandbox.lightspeed!.control.sales().map((s) => s.source_id)).toContain(
      `amazon:${order.AmazonOrderId}`,
    );
    expect(sandbox.lightspeed!.control.inventory("POT-BLUE", outlets["main-street"])).toBe(2);
    expect(shown(example, "POT-BLUE")).toEqual({ shopify: 3, amazon: 1 }); // 2 + 2 = 4; 2
  }, 30_000);

  it("answers 401 to a bad signature and applies nothing", async () => {
    const before = example.engine.metrics().applied;
    const lightspeed = await fetch(example.routes.lightspeed, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        "x-signature": "signature=00,algorithm=HMAC-SHA256",
      },
      body: "type=inventory.update&payload=%7B%7D",
    });
    const body = JSON.stringify({ id: 1, created_at: "", updated_at: "", line_items: [] });
    const shopify = await fetch(example.routes.shopify, {
      method: "POST",
      headers: shopifyWebhookHeaders({
        topic: "orders/create",
        body,
        secret: "not-the-secret",
        webhookId: "forged",
      }),
      body,
    });
    expect([lightspeed.status, shopify.status]).toEqual([401, 401]);
    expect(await lightspeed.json()).toMatchObject({ error: "SIGNATURE" });
    expect(example.engine.metrics().applied).toBe(before);
  });

  it("answers a redelivered webhook as a duplicate", async () => {
    const { credentials } = example.sandbox.shopify[0]!;
    const now = new Date().toISOString();
    const body = JSON.stringify({ id: 9001, created_at: now, updated_at: now, line_items: [] });
    const post = () =>
      fetch(example.routes.shopify, {
        method: "POST",
        headers: shopifyWebhookHeaders({
          topic: "orders/create",
          body,
          secret: credentials.webhookSecret,
          webhookId: "delivery-9001",
          shop: credentials.shop,
        }),
        body,
      }).then((response) => response.json());
    expect(await post()).toEqual({ ok: true, duplicate: false });
    expect(await post()).toEqual({ ok: true, duplicate: true });
  });

  it("counts a sale once when Lightspeed sends each of its webhooks twice", async () => {
    const lightspeed = example.sandbox.lightspeed!;
    lightspeed.setFaults({ webhooks: { duplicateRate: 1 } });
    lightspeed.control.sell({
      outletId: example.outlets.harbour,
      lines: [{ sku: "MUG-RED", quantity: 3 }],
    });
    await example.settle();
    lightspeed.setFaults(undefined);
    expect(example.events).toContainEqual(
      expect.objectContaining({ type: "duplicate", source: "webhook:lightspeed" }),
    );
    expect(shown(example, "MUG-RED")).toEqual({ shopify: 13, amazon: 8 }); // 10 + 5 = 15; 10
  }, 30_000);
});
