import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  applyEvent,
  availableAt,
  Ledger,
  type Position,
  parseStockEvent,
  replay,
  type StockEvent,
  settlePosition,
} from "../src/index.js";
import { eventArb, eventList } from "./support/arbitraries.js";

/** What a position means, without its bookkeeping. */
function totals(positions: ReadonlyMap<string, Position>, asOf = 30) {
  const out: Record<string, unknown> = {};
  for (const [key, p] of [...positions].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const t = {
      onHand: p.onHand,
      committed: p.committed,
      unsellable: p.unsellable,
      incoming: p.incoming,
      safetyStock: p.safetyStock,
      available: availableAt(p, asOf),
    };
    // A position nothing has moved is the same as no position at all.
    if (Object.values(t).some((v) => v !== 0)) out[key] = t;
  }
  return out;
}

const parsed = (events: readonly unknown[]) => events.map(parseStockEvent);

describe("ledger properties", () => {
  it("applying an event twice is a no-op", () => {
    fc.assert(
      fc.property(eventList(), eventArb, (history, extra) => {
        const positions = replay(parsed(history));
        const event = parseStockEvent({ ...extra, id: "again", at: 20 });
        const once = replay([event], positions);
        const result = applyEvent(once, event);
        expect(result.positions).toEqual([]);
        expect(replay([event, event], positions)).toEqual(once);
      }),
    );
  });

  it("an event id applies once whatever time it is redelivered with", () => {
    fc.assert(
      fc.property(
        eventList(40, 1),
        fc.nat(),
        fc.integer({ min: 0, max: 60 }),
        (history, pick, redeliveredAt) => {
          const events = parsed(history);
          const original = events[pick % events.length] as StockEvent;
          const again = { ...original, at: redeliveredAt };
          const positions = replay(events);
          expect(applyEvent(positions, again)).toEqual({ positions: [], touched: [] });
          const ledger = new Ledger();
          for (const event of events) ledger.apply(event);
          expect(ledger.apply(again)).toEqual([]);
        },
      ),
    );
  });

  it("after one settlement, an event id still applies once whatever time it is redelivered with", () => {
    fc.assert(
      fc.property(
        eventList(40, 1),
        fc.nat(),
        fc.integer({ min: 0, max: 50 }),
        fc.integer({ min: 0, max: 60 }),
        (history, pick, horizon, redeliveredAt) => {
          const events = parsed(history);
          const original = events[pick % events.length] as StockEvent;
          const settled = new Map(
            [...replay(events)].map(([k, p]) => [k, settlePosition(p, horizon)]),
          );
          expect(applyEvent(settled, { ...original, at: redeliveredAt })).toEqual({
            positions: [],
            touched: [],
          });
        },
      ),
    );
  });

  it("replaying events in any order gives the same positions (deltas commute, counts and holds are order-free)", () => {
    fc.assert(
      fc.property(
        eventList(60, 5).chain((events) =>
          fc.tuple(fc.constant(events), fc.shuffledSubarray(events, { minLength: events.length })),
        ),
        ([events, shuffled]) => {
          expect(totals(replay(parsed(shuffled)))).toEqual(totals(replay(parsed(events))));
        },
      ),
    );
  });

  it("a counted level beats the deltas before it and not those after it", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: -9, max: 9 }), fc.integer({ min: 0, max: 40 })), {
          maxLength: 20,
        }),
        fc.integer({ min: 0, max: 40 }),
        fc.integer({ min: 0, max: 50 }),
        fc.integer({ min: 0, max: 1000 }),
        (deltas, countAt, countedOnHand, seed) => {
          const events: StockEvent[] = deltas.map(([delta, at], i) =>
            parseStockEvent({
              type: "stock.adjusted",
              id: `d${i}`,
              at,
              locationId: "l",
              sku: "s",
              delta,
              bucket: "onHand",
            }),
          );
          events.push(
            parseStockEvent({
              type: "stock.counted",
              id: "count",
              at: countAt,
              locationId: "l",
              sku: "s",
              onHand: countedOnHand,
            }),
          );
          const order =
            fc.sample(fc.shuffledSubarray(events, { minLength: events.length }), {
              numRuns: 1,
              seed,
            })[0] ?? events;
          const [position] = replay(order).values();
          const after = deltas
            .filter(([, at]) => at > countAt)
            .reduce((sum, [delta]) => sum + delta, 0);
          expect(position?.onHand).toBe(countedOnHand + after);
        },
      ),
    );
  });

  it("no quantity is ever below zero: committed, unsellable, incoming, safety stock, available", () => {
    fc.assert(
      fc.property(eventList(40), fc.integer({ min: 0, max: 70 }), (events, asOf) => {
        for (const p of replay(parsed(events)).values()) {
          expect(p.committed).toBeGreaterThanOrEqual(0);
          expect(p.unsellable).toBeGreaterThanOrEqual(0);
          expect(p.incoming).toBeGreaterThanOrEqual(0);
          expect(p.safetyStock).toBeGreaterThanOrEqual(0);
          expect(availableAt(p, asOf)).toBeGreaterThanOrEqual(0);
        }
      }),
    );
  });

  it("settling old entries never changes the totals, and later events still apply on top", () => {
    fc.assert(
      fc.property(
        eventList(),
        eventList(10),
        fc.integer({ min: 0, max: 50 }),
        (events, later, horizon) => {
          const positions = replay(parsed(events));
          const settled = new Map([...positions].map(([k, p]) => [k, settlePosition(p, horizon)]));
          expect(totals(settled, 60)).toEqual(totals(positions, 60));
          const afterHorizon = parsed(
            later.map((e, i) => ({ ...e, id: `late${i}`, at: horizon + 1 + (e.at % 10) })),
          );
          expect(totals(replay(afterHorizon, settled), 70)).toEqual(
            totals(replay(afterHorizon, positions), 70),
          );
        },
      ),
    );
  });

  it("the in-place Ledger ends with the same positions as the pure reducer, duplicates included", () => {
    fc.assert(
      fc.property(
        eventList(120, 60).chain((events) =>
          fc.tuple(
            fc.constant(events),
            fc.array(fc.nat(Math.max(0, events.length - 1)), { maxLength: 20 }),
          ),
        ),
        ([events, repeats]) => {
          const parsedEvents = parsed([
            ...events,
            ...repeats.flatMap((i) => (events[i] ? [events[i]] : [])),
          ]);
          const ledger = new Ledger();
          for (const event of parsedEvents) ledger.apply(event);
          const fromLedger = new Map(
            [...ledger.positions()].map((p) => [`${p.sku}\u0000${p.locationId}`, p]),
          );
          expect(totals(fromLedger)).toEqual(totals(replay(parsedEvents)));
        },
      ),
    );
  });
});
