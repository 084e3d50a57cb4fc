import type { QuantityToPublish } from "@omnistock/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type AbsoluteAdjustmentItem,
  type BigCommerceClient,
  type BigCommerceListing,
  createBigCommercePublisher,
} from "../src/index.js";

const LISTINGS: readonly BigCommerceListing[] = [
  { sku: "A", variantId: 1, productId: 10, tracking: "variant" },
  { sku: "B", variantId: 2, productId: 10, tracking: "variant" },
  { sku: "C", variantId: 3, productId: 11, tracking: "product" },
  { sku: "D", variantId: 4, productId: 12, tracking: "none" },
];
const SKUS = ["A", "B", "C", "D", "MISSING"];
const LOCATIONS = { main: 1, warehouse: 2 };

/** A client that records adjustments and knows only the listings above. */
function recordingClient() {
  const requests: AbsoluteAdjustmentItem[][] = [];
  let inFlight = 0;
  let most = 0;
  const client: BigCommerceClient = {
    storeHash: "abc123",
    locations: async () => [],
    variants: async () => [],
    products: async () => [],
    inventoryItems: async () => [],
    async adjustAbsolute(items) {
      inFlight++;
      most = Math.max(most, inFlight);
      requests.push([...items]);
      await new Promise((resolve) => setImmediate(resolve));
      inFlight--;
      return { transactionId: `txn_${requests.length}` };
    },
    ordersModifiedSince: async () => [],
    order: async () => undefined,
    orderProducts: async () => [],
    orderShipments: async () => [],
  };
  return { client, requests, most: () => most };
}

const updateArb: fc.Arbitrary<QuantityToPublish> = fc
  .record({
    listingId: fc.constantFrom(...SKUS),
    quantity: fc.oneof(fc.integer({ min: 0, max: 100 }), fc.constantFrom(-1, 2.5)),
    previous: fc.constant(undefined),
    urgent: fc.boolean(),
    channelLocationId: fc.constantFrom(undefined, "main", "warehouse", "nowhere"),
  })
  .map(({ channelLocationId, ...rest }) =>
    channelLocationId === undefined ? rest : { ...rest, channelLocationId },
  );

describe("BigCommerce publisher, for any batch", () => {
  it("gives one outcome per update, in order, and writes the last valid quantity of each item at each location", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(updateArb, { maxLength: 60 }), async (updates) => {
        const { client, requests, most } = recordingClient();
        const publisher = createBigCommercePublisher({
          client,
          channelId: "bigcommerce",
          locations: LOCATIONS,
          listings: LISTINGS,
        });
        const outcomes = await publisher.publish(updates);
        expect(outcomes).toHaveLength(updates.length);
        outcomes.forEach((outcome, i) => {
          expect(outcome.update).toBe(updates[i]);
        });
        expect(most()).toBeLessThanOrEqual(1);

        const key = (item: AbsoluteAdjustmentItem) =>
          `${"variantId" in item ? `v${item.variantId}` : `p${item.productId}`}@${item.locationId}`;
        const written = new Map<string, number>();
        for (const request of requests) {
          const keys = request.map(key);
          expect(new Set(keys).size).toBe(keys.length); // each item once per request
          for (const item of request) written.set(key(item), item.quantity);
        }
        const expected = new Map<string, number>();
        updates.forEach((update, i) => {
          const outcome = outcomes[i];
          const listing = LISTINGS.find((l) => l.sku === update.listingId);
          const locationId =
            update.channelLocationId === undefined
              ? 1
              : LOCATIONS[update.channelLocationId as keyof typeof LOCATIONS];
          const writable =
            listing !== undefined &&
            listing.tracking !== "none" &&
            locationId !== undefined &&
            Number.isInteger(update.quantity) &&
            update.quantity >= 0;
          expect(outcome?.status).toBe(writable ? "pending" : "rejected");
          if (writable) {
            const k = `${listing.tracking === "product" ? `p${listing.productId}` : `v${listing.variantId}`}@${locationId}`;
            expect(written.has(k)).toBe(true);
            expect(requests.flat().filter((item) => key(item) === k)).toHaveLength(1);
            expected.set(k, update.quantity);
          }
        });
        expect(written).toEqual(expected);
      }),
      { numRuns: 200 },
    );
  });
});
