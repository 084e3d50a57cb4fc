import { isOmnistockError } from "@omnistock/core";
import { arbitraryBody } from "@omnistock/transport/testing";
import fc from "fast-check";
import { describe, expect, it, vi } from "vitest";
import {
  createShopifyWebhookReceiver,
  SHOPIFY_MAX_QUANTITY,
  SHOPIFY_WEBHOOK_TOPICS,
  shopifyWebhookHeaders,
} from "../src/index.js";

// A thousand bodies, some nested thousands deep, on a machine that may be busy.
vi.setConfig({ testTimeout: 60_000 });

const SECRET = "shpss_test";
const receiver = createShopifyWebhookReceiver({ channelId: "shopify-eu", secrets: SECRET });

const VALID = [
  {
    id: 1001,
    created_at: "2026-11-22T09:00:00Z",
    updated_at: "2026-11-22T09:00:00Z",
    cancelled_at: "2026-11-22T09:30:00Z",
    location_id: 9,
    line_items: [
      { id: 1, variant_id: 44, sku: "MUG-RED", quantity: 2 },
      { id: 2, variant_id: null, sku: null, quantity: 1 },
    ],
    fulfillments: [{ tracking_company: "DHL", tracking_number: "JD0142" }],
  },
  {
    id: 77,
    order_id: 1001,
    created_at: "2026-11-22T10:00:00Z",
    refund_line_items: [
      {
        quantity: 1,
        restock_type: "return",
        location_id: 9,
        line_item: { variant_id: 44, sku: "MUG-RED" },
      },
    ],
  },
  { inventory_item_id: 1, location_id: 2, available: -3, updated_at: "2026-11-22T09:00:00Z" },
];

describe("Shopify webhook receiver, any body", () => {
  it("a correctly signed arbitrary body never throws and is either a valid delivery or a typed VALIDATION error", async () => {
    await fc.assert(
      fc.asyncProperty(
        arbitraryBody(fc, VALID),
        fc.constantFrom(...SHOPIFY_WEBHOOK_TOPICS, "products/update"),
        async (body, topic) => {
          const headers = new Headers(
            shopifyWebhookHeaders({ topic, body, secret: SECRET, webhookId: "w-1" }),
          );
          const result = await receiver.tryReceive({ body, headers });
          if (!result.ok) {
            expect(isOmnistockError(result.error, "VALIDATION")).toBe(true);
            expect(result.error.issues.length).toBeGreaterThan(0);
            return;
          }
          expect(result.delivery).toMatchObject({ platform: "shopify", topic, deliveryId: "w-1" });
          for (const order of result.delivery.orders) {
            expect(Number.isFinite(order.at)).toBe(true);
            for (const line of order.lines) {
              expect(Number.isSafeInteger(line.quantity)).toBe(true);
              expect(line.quantity).toBeGreaterThan(0);
              expect(line.quantity).toBeLessThanOrEqual(SHOPIFY_MAX_QUANTITY);
            }
          }
        },
      ),
    );
  });
});
