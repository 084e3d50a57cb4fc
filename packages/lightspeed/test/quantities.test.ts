import { isOmnistockError, Ledger, type OmnistockError } from "@omnistock/core";
import { describe, expect, it } from "vitest";
import {
  createLightspeedStockSource,
  createLightspeedWebhookReceiver,
  LIGHTSPEED_MAX_QUANTITY,
} from "../src/index.js";
import { inProcessStore, jsonAnswer, signedWebhook } from "./support/store.js";

const SECRET = "app-secret";
const skuOf = (id: string) => (id === "p-mug" ? "MUG-RED" : undefined);
const receiver = () => createLightspeedWebhookReceiver({ skuOf, secrets: [SECRET] });

const inventory = (count: unknown) =>
  signedWebhook(SECRET, "inventory.update", {
    product_id: "p-mug",
    outlet_id: "o1",
    count,
    version: 7,
  });
const sale = (quantity: unknown) =>
  signedWebhook(SECRET, "sale.update", {
    id: "s1",
    outlet_id: "o1",
    status: "CLOSED",
    sale_date: "2026-11-23T09:00:00Z",
    version: 3,
    line_items: [{ product_id: "p-mug", quantity }],
  });

/** The error a delivery was refused with. */
async function refusal(request: { body: string; headers: Headers }): Promise<OmnistockError> {
  const result = await receiver().tryReceive(request);
  if (result.ok) throw new Error(`accepted: ${JSON.stringify(result.delivery.events)}`);
  return result.error;
}

describe("Lightspeed quantities from outside", () => {
  it.each([
    ["null", null],
    ["an empty string", ""],
    ["false", false],
    ["true", true],
    ["an empty array", []],
    ["a hex string", "0x10"],
    ["a fraction", 2.5],
    ["1e308", 1e308],
    ["an exponent string", "1e3"],
    ["a string with spaces", " 5"],
    ["a fractional string", "2.5"],
    ["an object", { value: 5 }],
    ["more than the bound", LIGHTSPEED_MAX_QUANTITY + 1],
    ["less than the bound", -LIGHTSPEED_MAX_QUANTITY - 1],
    ["an unsafe integer", 2 ** 53 + 2],
  ])(
    "refuses an inventory.update whose count is %s, naming payload.count",
    async (_name, count) => {
      const error = await refusal(inventory(count));
      expect(error.code).toBe("VALIDATION");
      expect(error.message).toContain("count");
      expect(error.issues.map((i) => i.path.join("."))).toContain("count");
    },
  );

  it.each([
    [5, 5],
    [0, 0],
    [-3, -3],
    ["5", 5],
    ["5.0", 5],
    ["11.00000", 11],
    ["-2", -2],
    [LIGHTSPEED_MAX_QUANTITY, LIGHTSPEED_MAX_QUANTITY],
  ])("takes an inventory.update count of %j as %d units", async (count, onHand) => {
    const delivery = await receiver().receive(inventory(count));
    expect(delivery.events).toMatchObject([{ type: "stock.counted", onHand }]);
  });

  it.each([
    ["a fraction", 0.5],
    ["1e20", 1e20],
    ["-1e20", -1e20],
    ["a string", "2"],
    ["null", null],
    ["true", true],
    ["more than the bound", LIGHTSPEED_MAX_QUANTITY + 1],
  ])(
    "refuses a sale.update whose line quantity is %s, naming line_items[0].quantity",
    async (_name, quantity) => {
      const error = await refusal(sale(quantity));
      expect(error.code).toBe("VALIDATION");
      expect(error.message).toContain("line_items[0].quantity");
    },
  );

  it("never lets a 1e20 sale and a -1e20 return lose the real units", async () => {
    const ledger = new Ledger();
    ledger.apply({
      type: "stock.counted",
      id: "count",
      at: 0,
      locationId: "o1",
      sku: "MUG-RED",
      onHand: 18,
    });
    for (const quantity of [1e20, -1e20]) {
      const result = await receiver().tryReceive(sale(quantity));
      expect(result.ok).toBe(false);
      if (result.ok) for (const event of result.delivery.events) ledger.apply(event);
    }
    expect(ledger.get("MUG-RED", "o1")?.onHand).toBe(18);
  });

  it.each([
    ["a fraction", 2.5],
    ["1e308", 1e308],
    ["a numeric string", "5"],
    ["null", null],
    ["true", true],
  ])(
    "refuses an inventory read whose inventory_level is %s, naming the record's field",
    async (_name, level) => {
      const { store, client } = inProcessStore({
        intercept: (request) => {
          const url = new URL(request.url);
          if (url.pathname !== "/api/2.0/inventory" || url.searchParams.get("after") !== "0")
            return undefined;
          return Promise.resolve(
            jsonAnswer({
              data: [{ product_id: mug, outlet_id: outlet, inventory_level: level, version: 5 }],
              version: { min: 5, max: 5 },
            }),
          );
        },
      });
      const outlet = store.control.addOutlet("Main Street").id;
      const mug = store.control.addProduct({ sku: "MUG-RED" }).id;
      store.control.setInventory("MUG-RED", outlet, 4);
      const source = createLightspeedStockSource({ client });
      try {
        await source.snapshot();
        expect.unreachable();
      } catch (error) {
        expect(isOmnistockError(error, "VALIDATION")).toBe(true);
        expect((error as Error).message).toContain("data[0].inventory_level");
      }
    },
  );

  it.each([
    ["a fraction", 0.5],
    ["1e20", 1e20],
  ])("refuses a sale read whose line quantity is %s, naming the field", async (_name, quantity) => {
    const { client } = inProcessStore({
      intercept: (request) =>
        new URL(request.url).pathname === "/api/2.0/search"
          ? Promise.resolve(
              jsonAnswer({
                data: [
                  {
                    id: "s1",
                    outlet_id: "o1",
                    status: "CLOSED",
                    source_id: "shopify:1",
                    line_items: [{ product_id: "p", quantity }],
                  },
                ],
              }),
            )
          : undefined,
    });
    try {
      await client.salesFor("shopify:1");
      expect.unreachable();
    } catch (error) {
      expect(isOmnistockError(error, "VALIDATION")).toBe(true);
      expect((error as Error).message).toContain("data[0].line_items[0].quantity");
    }
  });
});
