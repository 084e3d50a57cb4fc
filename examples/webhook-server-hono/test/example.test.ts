import { createHmac } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Example, shown, startExample } from "../src/main.js";

let example: Example;

beforeAll(async () => {
  example = await startExample();
  await example.settle();
}, 60_000);
afterAll(() => example?.close());

describe("the Hono webhook server", () => {
  it("takes a sale at the counter to Shopify and Amazon", async () => {
    expect(shown(example, "CANDLE")).toEqual({ web: 12, amazon: 8 }); // 10 + 4 = 14; 10
    example.sandbox.lightspeed!.control.sell({
      outletId: example.outlets.town,
      lines: [{ sku: "CANDLE", quantity: 3 }],
    });
    await example.settle();
    expect(shown(example, "CANDLE")).toEqual({ web: 9, amazon: 5 }); // 7 + 4 = 11; 7
  }, 30_000);

  it("refuses a webhook signed with another secret with 401", async () => {
    const body = new URLSearchParams({ type: "inventory.update", payload: "{}" }).toString();
    const forged = createHmac("sha256", "not-the-client-secret").update(body).digest("hex");
    const response = await fetch(example.webhook("lightspeed"), {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        "x-signature": `signature=${forged},algorithm=HMAC-SHA256`,
      },
      body,
    });
    expect(response.status).toBe(401);
    expect(example.events.at(-1)).toMatchObject({
      type: "error",
      source: "webhook:lightspeed",
      error: { code: "SIGNATURE" },
    });
  });

  it("records a Shopify order once when Shopify delivers its webhook twice", async () => {
    const { sandbox, shopify, outlets } = example;
    sandbox.shopify[0]!.setFaults({ webhooks: { duplicateRate: 1 } });
    const order = sandbox.shopify[0]!.control.placeOrder(
      [{ variantId: shopify.variants.SOAP.id, quantity: 2 }],
      shopify.locationId,
    );
    await example.settle();
    sandbox.shopify[0]!.setFaults(undefined);

    expect(example.events).toContainEqual(
      expect.objectContaining({ type: "duplicate", source: "webhook:shopify" }),
    );
    const sales = sandbox.lightspeed!.control.sales();
    expect(sales.filter((s) => s.source_id === `web:${order.legacyId}`)).toHaveLength(1);
    expect(sandbox.lightspeed!.control.inventory("SOAP", outlets.town)).toBe(3);
    expect(shown(example, "SOAP")).toEqual({ web: 7, amazon: 2 }); // 3 + 5 = 8; 3
  }, 30_000);
});
