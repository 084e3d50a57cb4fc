import type { WebhookResult } from "@omnistock/core";
import { describe, expect, it } from "vitest";
import { BIGCOMMERCE_MAX_QUANTITY, createBigCommerceWebhookReceiver } from "../src/index.js";

const MAX_QUANTITY = BIGCOMMERCE_MAX_QUANTITY;

import { fakeStoreClient, NOW, signedDelivery, WEBHOOK_SECRET, webhookBody } from "./support.js";

/** JSON text of `value` with the placeholder string `"@Q"` replaced by a raw JSON token. */
const withToken = (value: unknown, token: string) => JSON.stringify(value).replace('"@Q"', token);

/** Tokens no BigCommerce quantity takes: its API gives integers, never strings. */
const NEVER = [
  "1.5",
  "1e400",
  "-1e400",
  "true",
  "null",
  '""',
  '"0x10"',
  '"5"',
  "9007199254740993",
  String(MAX_QUANTITY + 1),
  String(-MAX_QUANTITY - 1),
];
/** Units ordered, shipped, refunded: 0 to BIGCOMMERCE_MAX_QUANTITY. */
const UNITS: readonly (readonly [string, boolean])[] = [
  ...["0", "7", String(MAX_QUANTITY)].map((t) => [t, true] as const),
  ...["-1", ...NEVER].map((t) => [t, false] as const),
];
/** A level (on hand, available to sell) may be below zero: orders take units without a floor. */
const SIGNED: readonly (readonly [string, boolean])[] = [
  ...["0", "-3", String(MAX_QUANTITY), String(-MAX_QUANTITY)].map((t) => [t, true] as const),
  ...NEVER.map((t) => [t, false] as const),
];

const receive = (answers: Parameters<typeof fakeStoreClient>[0], scope: string, data: unknown) =>
  createBigCommerceWebhookReceiver({
    client: fakeStoreClient(answers),
    channelId: "bigcommerce",
    secrets: WEBHOOK_SECRET,
    clock: () => NOW,
  }).tryReceive(signedDelivery(webhookBody(scope, data)));

const refusedAt = (result: WebhookResult, path: readonly (string | number)[]) => {
  expect(result.ok).toBe(false);
  if (result.ok) return;
  expect(result.error.code).toBe("VALIDATION");
  expect(result.error.issues.map((i) => i.path)).toContainEqual(path);
  expect(result.error.message).toContain(String(path.at(-1)));
};

describe("BigCommerce quantities from the API, read for a webhook", () => {
  it.each(UNITS)(
    "order products quantity, quantity_shipped, quantity_refunded %s",
    async (token, valid) => {
      for (const field of ["quantity", "quantity_shipped", "quantity_refunded"]) {
        const line = {
          id: 1,
          order_id: 120,
          product_id: 10,
          sku: "TEE-S",
          quantity: 2,
          [field]: "@Q",
        };
        const result = await receive(
          { products: withToken([line], token) },
          "store/order/created",
          {
            type: "order",
            id: 120,
          },
        );
        if (valid) expect(result.ok).toBe(true);
        else refusedAt(result, [0, field]);
      }
    },
  );

  it.each(SIGNED)("inventory item total_inventory_onhand %s", async (token, valid) => {
    const item = {
      identity: { sku: "TEE-S", variant_id: 11, product_id: 10 },
      locations: [{ location_id: 1, total_inventory_onhand: "@Q" }],
    };
    const result = await receive(
      { items: withToken([item], token) },
      "store/sku/inventory/updated",
      {
        type: "sku",
        inventory: { product_id: 10, variant_id: 11 },
      },
    );
    if (valid) expect(result.ok && result.delivery.levels[0]?.quantity).toBe(JSON.parse(token));
    else refusedAt(result, ["data", 0, "locations", 0, "total_inventory_onhand"]);
  });

  it.each(SIGNED)("inventory item available_to_sell %s", async (token, valid) => {
    const item = {
      identity: { sku: "TEE-S", variant_id: 11, product_id: 10 },
      locations: [{ location_id: 1, total_inventory_onhand: 3, available_to_sell: "@Q" }],
    };
    const result = await receive(
      { items: withToken([item], token) },
      "store/product/inventory/updated",
      {
        type: "product",
        inventory: { product_id: 10 },
      },
    );
    if (valid) expect(result.ok).toBe(true);
    else refusedAt(result, ["data", 0, "locations", 0, "available_to_sell"]);
  });
});
