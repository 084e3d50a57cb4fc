import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  applyEvent,
  Ledger,
  type Position,
  parseStockEvent,
  positionKey,
  type StockEvent,
} from "../src/index.js";
import { eventList } from "./support/arbitraries.js";

/** A long stream with some events delivered again later, as webhooks are. */
const streamWithRedeliveries = eventList(300, 100).chain((events) =>
  fc
    .array(fc.nat(Math.max(0, events.length - 1)), { maxLength: 60 })
    .map((again) => [...events, ...again.flatMap((i) => (events[i] ? [events[i]] : []))])
    .chain((all) => fc.shuffledSubarray(all, { minLength: all.length })),
);

describe("Ledger against the pure reducer", () => {
  it("holds the same positions, journals included, and reports the same changes for every event", () => {
    fc.assert(
      fc.property(streamWithRedeliveries, fc.integer({ min: -1, max: 50 }), (inputs, horizon) => {
        const events: StockEvent[] = inputs.map(parseStockEvent);
        const ledger = new Ledger();
        const pure = new Map<string, Position>();
        for (const event of events) {
          const expected = applyEvent(pure, event);
          const changed = ledger.apply(event);
          expect(changed.map((p) => positionKey(p.sku, p.locationId))).toEqual(expected.touched);
          expect(changed).toEqual(expected.positions);
          expected.positions.forEach((p, i) => {
            pure.set(expected.touched[i] as string, p);
          });
        }
        expect(ledger.size).toBe(pure.size);
        for (const [key, p] of pure) {
          expect(ledger.get(p.sku, p.locationId), key).toEqual(p);
        }
        // Settling then carrying on gives the same as a Ledger started from the positions.
        ledger.settle(horizon);
        const restarted = new Ledger(ledger.positions());
        const later = events.slice(0, 20).map((e, i) => ({ ...e, id: `late${i}`, at: e.at + 5 }));
        for (const event of later) {
          expect(restarted.apply(event)).toEqual(ledger.apply(event));
        }
        expect([...restarted.positions()].length).toBe(ledger.size);
      }),
      { numRuns: 300 },
    );
  });
});
