import { isOmnistockError } from "@omnistock/core";
import { arbitraryBody } from "@omnistock/transport/testing";
import fc from "fast-check";
import { describe, expect, it, vi } from "vitest";
import { BIGCOMMERCE_MAX_QUANTITY, createBigCommerceWebhookReceiver } from "../src/index.js";
import { fakeStoreClient, NOW, signedDelivery, WEBHOOK_SECRET } from "./support.js";

// A thousand bodies, some nested thousands deep, on a machine that may be busy.
vi.setConfig({ testTimeout: 60_000 });

const receiver = createBigCommerceWebhookReceiver({
  client: fakeStoreClient(),
  channelId: "bigcommerce",
  secrets: WEBHOOK_SECRET,
  clock: () => NOW,
});

const envelope = (scope: string, data: unknown) => ({
  scope,
  store_id: "1",
  data,
  hash: "3f9ea420af83450d7ef9f78b08c8af25b2213637",
  created_at: NOW / 1000,
  producer: "stores/abc123",
});
const VALID = [
  envelope("store/order/created", { type: "order", id: 120 }),
  envelope("store/order/refund/created", { type: "order", id: 120, refund: { refund_id: 1 } }),
  envelope("store/shipment/created", { type: "shipment", id: 3, orderId: 120 }),
  envelope("store/sku/inventory/updated", {
    type: "sku",
    id: 11,
    inventory: { product_id: 10, variant_id: 11, method: "absolute", value: 5 },
  }),
  envelope("store/product/inventory/order/updated", {
    type: "product",
    id: 10,
    inventory: { product_id: 10, method: "relative", value: -1 },
  }),
  envelope("store/cart/created", { type: "cart", id: "c-1" }),
];

describe("BigCommerce webhook receiver, any body", () => {
  it("a correctly signed arbitrary body never throws and is either a valid delivery or a typed VALIDATION error", async () => {
    await fc.assert(
      fc.asyncProperty(arbitraryBody(fc, VALID), async (body) => {
        const result = await receiver.tryReceive(signedDelivery(body, "msg_p"));
        if (!result.ok) {
          expect(isOmnistockError(result.error, "VALIDATION")).toBe(true);
          expect(result.error.issues.length).toBeGreaterThan(0);
          return;
        }
        expect(result.delivery).toMatchObject({ platform: "bigcommerce", deliveryId: "msg_p" });
        for (const order of result.delivery.orders) {
          for (const line of order.lines) {
            expect(Number.isSafeInteger(line.quantity)).toBe(true);
            expect(line.quantity).toBeGreaterThan(0);
            expect(line.quantity).toBeLessThanOrEqual(BIGCOMMERCE_MAX_QUANTITY);
          }
        }
        for (const level of result.delivery.levels) {
          expect(Number.isSafeInteger(level.quantity)).toBe(true);
          expect(Math.abs(level.quantity)).toBeLessThanOrEqual(BIGCOMMERCE_MAX_QUANTITY);
        }
      }),
    );
  });
});
