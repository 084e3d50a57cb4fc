import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { routeOrder } from "../src/index.js";

const SKUS = ["A", "B", "C"];
const LOCS = ["x", "y", "z"];

const orderArb = fc.record({
  lines: fc.array(
    fc.record({ sku: fc.constantFrom(...SKUS), quantity: fc.integer({ min: 1, max: 8 }) }),
    { minLength: 1, maxLength: 4 },
  ),
  candidates: fc.shuffledSubarray(LOCS, { minLength: 1 }),
  stock: fc.dictionary(
    fc.constantFrom(...SKUS),
    fc.dictionary(fc.constantFrom(...LOCS), fc.integer({ min: -2, max: 10 })),
  ),
  splitLines: fc.boolean(),
});

describe("routing properties", () => {
  it("never assigns a location more than it has, and places or reports every unit", () => {
    fc.assert(
      fc.property(orderArb, ({ lines, candidates, stock, splitLines }) => {
        const available = (sku: string, loc: string) => stock[sku]?.[loc] ?? 0;
        const routing = routeOrder({ lines, candidates, available, splitLines });
        const used = new Map<string, number>();
        for (const a of routing.assignments) {
          expect(candidates).toContain(a.locationId);
          expect(a.quantity).toBeGreaterThan(0);
          const key = `${a.sku}@${a.locationId}`;
          used.set(key, (used.get(key) ?? 0) + a.quantity);
        }
        for (const [key, units] of used) {
          const [sku, loc] = key.split("@") as [string, string];
          expect(units).toBeLessThanOrEqual(Math.max(0, available(sku, loc)));
        }
        for (const sku of SKUS) {
          const demand = lines.filter((l) => l.sku === sku).reduce((s, l) => s + l.quantity, 0);
          const placed = routing.assignments
            .filter((a) => a.sku === sku)
            .reduce((s, a) => s + a.quantity, 0);
          const left = routing.unfilled
            .filter((u) => u.sku === sku)
            .reduce((s, u) => s + u.quantity, 0);
          expect(placed + left).toBe(demand);
        }
      }),
    );
  });

  it("ships from one location whenever one candidate has the whole order", () => {
    fc.assert(
      fc.property(orderArb, ({ lines, candidates, stock }) => {
        const available = (sku: string, loc: string) => stock[sku]?.[loc] ?? 0;
        const demand = new Map<string, number>();
        for (const l of lines) demand.set(l.sku, (demand.get(l.sku) ?? 0) + l.quantity);
        const whole = candidates.find((loc) =>
          [...demand].every(([sku, q]) => available(sku, loc) >= q),
        );
        const routing = routeOrder({ lines, candidates, available });
        if (whole === undefined) expect(routing.strategy).not.toBe("single-location");
        else
          expect(new Set(routing.assignments.map((a) => a.locationId))).toEqual(new Set([whole]));
      }),
    );
  });
});
