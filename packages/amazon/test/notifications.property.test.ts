import { isOmnistockError } from "@omnistock/core";
import { arbitraryBody } from "@omnistock/transport/testing";
import fc from "fast-check";
import { describe, expect, it, vi } from "vitest";
import {
  AMAZON_MAX_QUANTITY,
  createAmazonClient,
  createAmazonNotificationReceiver,
  signAmazonNotification,
} from "../src/index.js";
import { answering, mfnQuantityNotification, orderChangeNotification } from "./support.js";

// A thousand bodies, some nested thousands deep, on a machine that may be busy.
vi.setConfig({ testTimeout: 60_000 });

const SECRET = "forwarder-secret";

const orderChange = orderChangeNotification("111-1", [
  { OrderItemId: "1", SellerSKU: "MUG-RED-01", SupplySourceId: null, Quantity: 2 },
]);
const VALID = [
  orderChange,
  orderChangeNotification("111-2", []),
  mfnQuantityNotification(6),
  { version: "0", id: "e-1", "detail-type": "ORDER_CHANGE", detail: orderChange },
];

const receiver = createAmazonNotificationReceiver({
  channelId: "amazon-us",
  secrets: [SECRET],
  sellerId: "A2SANDBOXSELLER",
  listings: [{ listingId: "MUG-RED", sellerSku: "MUG-RED-01" }],
  client: createAmazonClient({
    baseUrl: "http://127.0.0.1:1",
    tokenUrl: "http://127.0.0.1:1/auth/o2/token",
    credentials: { clientId: "id", clientSecret: "secret", refreshToken: "Atzr|r" },
    rates: { getOrderItems: { rate: 1_000_000, burst: 1_000_000 } },
    http: {
      fetch: answering({
        payload: {
          AmazonOrderId: "111-2",
          OrderItems: [
            { ASIN: "B01", OrderItemId: "1", SellerSKU: "MUG-RED-01", QuantityOrdered: 1 },
          ],
        },
      }),
    },
  }),
});

const quantityInBounds = (q: number) =>
  Number.isSafeInteger(q) && q >= 0 && q <= AMAZON_MAX_QUANTITY;

describe("Amazon notification receiver, any body", () => {
  it("a correctly signed arbitrary body never throws and is either a valid delivery or a typed VALIDATION error", async () => {
    await fc.assert(
      fc.asyncProperty(arbitraryBody(fc, VALID), async (body) => {
        const headers = new Headers({
          "x-omnistock-signature": signAmazonNotification(SECRET, body),
        });
        const result = await receiver.tryReceive({ body, headers });
        if (!result.ok) {
          expect(isOmnistockError(result.error, "VALIDATION")).toBe(true);
          expect(result.error.issues.length).toBeGreaterThan(0);
          return;
        }
        const { delivery } = result;
        expect(delivery.platform).toBe("amazon");
        expect(delivery.deliveryId).not.toBe("");
        for (const order of delivery.orders) {
          expect(Number.isFinite(order.at)).toBe(true);
          for (const line of order.lines) expect(quantityInBounds(line.quantity)).toBe(true);
        }
        for (const level of delivery.levels) expect(quantityInBounds(level.quantity)).toBe(true);
      }),
    );
  });
});
