import type { WebhookResult } from "@omnistock/core";
import { describe, expect, it } from "vitest";
import type { z } from "zod";
import {
  createShopifyWebhookReceiver,
  SHOPIFY_MAX_QUANTITY,
  shopifyWebhookHeaders,
} from "../src/index.js";
import {
  activateAnswerSchema,
  itemLevelSchema,
  lineItemsSchema,
  locationLevelsAnswerSchema,
  refundLinesSchema,
} from "../src/schemas.js";

const SECRET = "shpss_test";
const receiver = createShopifyWebhookReceiver({ channelId: "shopify-eu", secrets: SECRET });

/** JSON text of `payload` with the placeholder string `"@Q"` replaced by a raw JSON token. */
const withToken = (payload: unknown, token: string) =>
  JSON.stringify(payload).replace('"@Q"', token);

const deliver = (topic: string, body: string) =>
  receiver.tryReceive({
    body,
    headers: new Headers(shopifyWebhookHeaders({ topic, body, secret: SECRET, webhookId: "w-q" })),
  });

const refusedAt = (result: WebhookResult, path: readonly (string | number)[]) => {
  expect(result.ok).toBe(false);
  if (result.ok) return;
  expect(result.error.code).toBe("VALIDATION");
  expect(result.error.issues.map((i) => i.path)).toContainEqual(path);
  expect(result.error.message).toContain(String(path.at(-1)));
};

const MAX = SHOPIFY_MAX_QUANTITY;
/** Tokens no Shopify quantity takes: Shopify documents integers, never strings. */
const NEVER = [
  "1.5",
  "1e400",
  "-1e400",
  "true",
  '""',
  '"0x10"',
  '"5"',
  "9007199254740993",
  String(MAX + 1),
  String(-MAX - 1),
];
/** Units sold or refunded: 0 to SHOPIFY_MAX_QUANTITY. */
const UNITS: readonly (readonly [string, boolean])[] = [
  ...["0", "7", String(MAX)].map((t) => [t, true] as const),
  ...["-1", "null", ...NEVER].map((t) => [t, false] as const),
];
/** A level, which Shopify lets go negative: ±SHOPIFY_MAX_QUANTITY. */
const LEVELS: readonly (readonly [string, boolean])[] = [
  ...["0", "7", "-3", String(MAX), String(-MAX)].map((t) => [t, true] as const),
  ...NEVER.map((t) => [t, false] as const),
];

const order = (quantity: unknown) => ({
  id: 1001,
  created_at: "2026-11-22T09:00:00Z",
  updated_at: "2026-11-22T09:00:00Z",
  cancelled_at: null,
  line_items: [{ id: 1, variant_id: 44, sku: "MUG-RED", quantity }],
});
const refund = (quantity: unknown) => ({
  id: 77,
  order_id: 1001,
  created_at: "2026-11-22T10:00:00Z",
  refund_line_items: [
    {
      quantity,
      restock_type: "return",
      location_id: 9,
      line_item: { variant_id: 44, sku: "MUG-RED" },
    },
  ],
});
const level = (available: unknown) => ({
  inventory_item_id: 1,
  location_id: 2,
  available,
  updated_at: "2026-11-22T09:00:00Z",
});

describe("Shopify webhook quantities", () => {
  it.each(UNITS)("orders/create line_items[].quantity %s", async (token, valid) => {
    for (const topic of ["orders/create", "orders/fulfilled"]) {
      const result = await deliver(topic, withToken(order("@Q"), token));
      if (valid) expect(result.ok).toBe(true);
      else refusedAt(result, ["line_items", 0, "quantity"]);
    }
  });

  it.each(UNITS)("refunds/create refund_line_items[].quantity %s", async (token, valid) => {
    const result = await deliver("refunds/create", withToken(refund("@Q"), token));
    if (valid) expect(result.ok).toBe(true);
    else refusedAt(result, ["refund_line_items", 0, "quantity"]);
  });

  it.each([...LEVELS, ["null", true] as const])(
    "inventory_levels/update available %s",
    async (token, valid) => {
      const result = await deliver("inventory_levels/update", withToken(level("@Q"), token));
      if (valid) expect(result.ok).toBe(true);
      else refusedAt(result, ["available"]);
    },
  );
});

/** What a schema says of `value`: `true`, or the paths at fault (each once). */
function check(schema: z.ZodType, value: unknown): true | (string | number | symbol)[][] {
  const result = schema.safeParse(value);
  if (result.success) return true;
  const paths = new Map(result.error.issues.map((i) => [JSON.stringify(i.path), i.path]));
  return [...paths.values()];
}

describe("Shopify GraphQL quantities", () => {
  const gid = "gid://shopify/InventoryItem/1";
  const pageInfo = { hasNextPage: false, endCursor: null };

  it.each([...LEVELS, ["null", false] as const])(
    "InventoryLevel quantities[].quantity %s",
    (token, valid) => {
      const cases: [z.ZodType, unknown, (string | number)[]][] = [
        [
          locationLevelsAnswerSchema,
          {
            location: {
              inventoryLevels: {
                nodes: [{ item: { id: gid, sku: "A" }, quantities: [{ quantity: "@Q" }] }],
                pageInfo,
              },
            },
          },
          ["location", "inventoryLevels", "nodes", 0, "quantities", 0, "quantity"],
        ],
        [
          itemLevelSchema,
          { inventoryLevel: { quantities: [{ quantity: "@Q" }] } },
          ["inventoryLevel", "quantities", 0, "quantity"],
        ],
        [
          activateAnswerSchema,
          {
            inventoryActivate: {
              inventoryLevel: { quantities: [{ quantity: "@Q" }] },
              userErrors: [],
            },
          },
          ["inventoryActivate", "inventoryLevel", "quantities", 0, "quantity"],
        ],
      ];
      for (const [schema, shape, path] of cases) {
        const outcome = check(schema, JSON.parse(withToken(shape, token)));
        expect(outcome === true ? true : outcome).toEqual(valid ? true : [path]);
      }
    },
  );

  it.each(UNITS)("LineItem and RefundLineItem quantity %s", (token, valid) => {
    const line = { id: "gid://shopify/LineItem/1", sku: "A", quantity: "@Q", variant: null };
    const lines = JSON.parse(withToken({ nodes: [line], pageInfo }, token));
    expect(check(lineItemsSchema, lines)).toEqual(valid ? true : [["nodes", 0, "quantity"]]);
    const refunded = JSON.parse(
      withToken(
        {
          nodes: [
            {
              quantity: "@Q",
              restockType: "RETURN",
              location: null,
              lineItem: { ...line, quantity: 1 },
            },
          ],
          pageInfo,
        },
        token,
      ),
    );
    expect(check(refundLinesSchema, refunded)).toEqual(valid ? true : [["nodes", 0, "quantity"]]);
  });

  it("refuses NaN and ±Infinity, which JSON cannot carry but a custom fetch can", () => {
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
      expect(
        check(itemLevelSchema, { inventoryLevel: { quantities: [{ quantity: bad }] } }),
      ).not.toBe(true);
    }
  });
});
