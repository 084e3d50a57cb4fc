import { compileCatalog, type StockEvent } from "@omnistock/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { admitEvents, checkFullRead, feedingLocations } from "../src/boundary.js";
import { catalog as config } from "./engine-fakes.js";

const catalog = compileCatalog(config);
const components = new Map([...catalog.bundles].map(([sku, parts]) => [sku, parts]));

const line = fc.record({
  sku: fc.constantFrom("SET", "MUG", "TEA"),
  quantity: fc.integer({ min: 1, max: 1_000 }),
});

describe("the boundary, by property", () => {
  it("a sale with POS bundle lines moves exactly its components' units, and no bundle SKU remains", () => {
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 6 }), (lines) => {
        const sale: StockEvent = { type: "pos.sale", id: "s", at: 1, locationId: "main", lines };
        const [admitted] = admitEvents(catalog, [sale], "sale");
        if (admitted?.type !== "pos.sale") throw new Error("expected the sale back");
        const want = new Map<string, number>();
        for (const l of lines)
          for (const c of components.get(l.sku) ?? [{ sku: l.sku, quantity: 1 }])
            want.set(c.sku, (want.get(c.sku) ?? 0) + c.quantity * l.quantity);
        const got = new Map<string, number>();
        for (const l of admitted.lines) got.set(l.sku, (got.get(l.sku) ?? 0) + l.quantity);
        expect(got).toEqual(want);
        expect(admitted.lines.some((l) => catalog.bundles.has(l.sku))).toBe(false);
        expect(admitted.id).toBe("s");
      }),
    );
  });

  it("a full read is refused exactly when some location feeding a channel has no event", () => {
    const feeding = feedingLocations(catalog);
    fc.assert(
      fc.property(
        fc.subarray(["main", "mall"]),
        fc.integer({ min: 0, max: 5 }),
        (present, onHand) => {
          const events: StockEvent[] = present.map((locationId) => ({
            type: "stock.counted",
            id: `c:${locationId}`,
            at: 1,
            locationId,
            sku: "MUG",
            onHand,
          }));
          const missing = feeding.filter((l) => !present.includes(l));
          const check = () => checkFullRead(catalog, events, "lightspeed", "snapshot");
          if (missing.length === 0) expect(check).not.toThrow();
          else expect(check).toThrow(expect.objectContaining({ code: "BAD_RESPONSE" }));
        },
      ),
    );
  });
});
