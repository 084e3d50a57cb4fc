import { describe, expect, it } from "vitest";
import {
  applyEvent,
  availableAt,
  Ledger,
  type Position,
  parseStockEvent,
  positionKey,
  replay,
  type StockEventInput,
  settlePosition,
} from "../src/index.js";

const events = (...inputs: StockEventInput[]) => inputs.map(parseStockEvent);
const at = (positions: Map<string, Position>, sku: string, loc: string) =>
  positions.get(positionKey(sku, loc)) as Position;

const receipt = (
  id: string,
  time: number,
  quantity: number,
  sku = "MUG",
  loc = "main",
): StockEventInput => ({
  type: "stock.received",
  id,
  at: time,
  locationId: loc,
  lines: [{ sku, quantity }],
});
const sale = (
  id: string,
  time: number,
  quantity: number,
  extra: Partial<StockEventInput> = {},
): StockEventInput =>
  ({
    type: "pos.sale",
    id,
    at: time,
    locationId: "main",
    lines: [{ sku: "MUG", quantity }],
    ...extra,
  }) as StockEventInput;
const count = (id: string, time: number, onHand: number, version?: number): StockEventInput => ({
  type: "stock.counted",
  id,
  at: time,
  locationId: "main",
  sku: "MUG",
  onHand,
  ...(version === undefined ? {} : { version }),
});

describe("ledger", () => {
  it("applies a sale and reports the key it touched", () => {
    const before = replay(events(receipt("r1", 1, 20)));
    const result = applyEvent(before, parseStockEvent(sale("s1", 2, 3)));
    expect(result.touched).toEqual([positionKey("MUG", "main")]);
    expect(result.positions[0]?.onHand).toBe(17);
    expect(at(before, "MUG", "main").onHand).toBe(20); // the input is not modified
  });

  it("ignores an event applied twice", () => {
    const positions = replay(events(receipt("r1", 1, 20), sale("s1", 2, 3), sale("s1", 2, 3)));
    expect(at(positions, "MUG", "main").onHand).toBe(17);
    expect(applyEvent(positions, parseStockEvent(sale("s1", 2, 3)))).toEqual({
      positions: [],
      touched: [],
    });
  });

  it("recognises a redelivered event by its id whatever time it carries", () => {
    const redelivered = events(
      receipt("r1", 1_000, 20),
      sale("sale-42", 2_000, 1),
      sale("sale-42", 2_500, 1),
      count("c1", 3_000, 19),
      count("c1", 4_000, 19),
      sale("s2", 3_500, 2),
    );
    expect(at(replay(redelivered), "MUG", "main").onHand).toBe(17);
    const ledger = new Ledger();
    const changed = redelivered.map((event) => ledger.apply(event).length);
    expect(changed).toEqual([1, 1, 0, 1, 0, 1]);
    expect(ledger.get("MUG", "main")?.onHand).toBe(17);
  });

  it("recognises an event after settlement until the next settlement, whatever time it carries", () => {
    const mug = at(
      replay(events(receipt("r1", 1, 10), sale("s1", 2, 1), sale("s2", 9, 1))),
      "MUG",
      "main",
    );
    const once = settlePosition(mug, 5);
    const positions = new Map([[positionKey("MUG", "main"), once]]);
    // s1 was folded away at 5; its redelivery carrying a later time is still recognised.
    expect(applyEvent(positions, parseStockEvent(sale("s1", 7, 1)))).toEqual({
      positions: [],
      touched: [],
    });
    // A second settlement forgets the ids of events at or before the first one's horizon.
    const twice = settlePosition(once, 8);
    expect(twice.seen?.map((s) => s.eventId)).toEqual([]);
    const later = settlePosition(twice, 10);
    expect(later.seen?.map((s) => s.eventId)).toEqual(["s2"]);
  });

  it("lets a count win over deltas before it and not over those after it, in any arrival order", () => {
    // A receipt at t=1, a count of 18 at t=5 (which saw the receipt and two sales), a sale at t=7.
    const inOrder = replay(
      events(receipt("r1", 1, 20), sale("s1", 3, 2), count("c1", 5, 18), sale("s2", 7, 1)),
    );
    const shuffled = replay(
      events(sale("s2", 7, 1), count("c1", 5, 18), sale("s1", 3, 2), receipt("r1", 1, 20)),
    );
    expect(at(inOrder, "MUG", "main").onHand).toBe(17);
    expect(at(shuffled, "MUG", "main").onHand).toBe(17);
  });

  it("keeps the later of two counts, by time then version", () => {
    const positions = replay(
      events(count("c2", 10, 4, 2), count("c1", 10, 9, 1), count("c0", 3, 50)),
    );
    expect(at(positions, "MUG", "main").onHand).toBe(4);
  });

  it("restocks a return at the counter, and keeps a damaged one unsellable", () => {
    const positions = replay(
      events(receipt("r1", 1, 5), {
        type: "pos.return",
        id: "ret1",
        at: 2,
        locationId: "main",
        lines: [
          { sku: "MUG", quantity: 1, restock: true },
          { sku: "MUG", quantity: 1, restock: false },
        ],
      }),
    );
    const mug = at(positions, "MUG", "main");
    expect(mug).toMatchObject({ onHand: 7, unsellable: 1 });
    expect(availableAt(mug, 3)).toBe(6);
  });

  it("commits a channel order until the POS records it, then moves on hand instead", () => {
    const placed: StockEventInput = {
      type: "order.placed",
      id: "o1-placed",
      at: 2,
      channelId: "shopify",
      orderId: "o1",
      lines: [{ sku: "MUG", locationId: "main", quantity: 2 }],
    };
    const inFlight = replay(events(receipt("r1", 1, 10), placed));
    expect(at(inFlight, "MUG", "main")).toMatchObject({ onHand: 10, committed: 2 });
    expect(availableAt(at(inFlight, "MUG", "main"), 3)).toBe(8);

    const recorded = replay(events(sale("s-o1", 3, 2, { orderRef: "o1" })), inFlight);
    expect(at(recorded, "MUG", "main")).toMatchObject({ onHand: 8, committed: 0 });
    expect(availableAt(at(recorded, "MUG", "main"), 4)).toBe(8);
  });

  it("releases a cancelled order's commitment, even when the cancellation arrives first", () => {
    const line = [{ sku: "MUG", locationId: "main", quantity: 2 }];
    const positions = replay(
      events(
        {
          type: "order.cancelled",
          id: "o1-c",
          at: 5,
          channelId: "amazon",
          orderId: "o1",
          lines: line,
        },
        {
          type: "order.placed",
          id: "o1-p",
          at: 2,
          channelId: "amazon",
          orderId: "o1",
          lines: line,
        },
        receipt("r1", 1, 4),
      ),
    );
    expect(at(positions, "MUG", "main")).toMatchObject({ onHand: 4, committed: 0 });
  });

  it("never counts a refunded order below zero", () => {
    const line = [{ sku: "MUG", locationId: "main", quantity: 1 }];
    const positions = replay(
      events(
        { type: "order.placed", id: "p", at: 1, channelId: "bc", orderId: "o9", lines: line },
        sale("s", 2, 1, { orderRef: "o9" }),
        {
          type: "order.refunded",
          id: "rf",
          at: 3,
          channelId: "bc",
          orderId: "o9",
          lines: [{ sku: "MUG", locationId: "main", quantity: 1, restock: true }],
        },
      ),
    );
    expect(at(positions, "MUG", "main").committed).toBe(0);
  });

  it("moves a transfer from one location's on hand to the other's incoming, then on hand", () => {
    const lines = [{ sku: "MUG", quantity: 4 }];
    const base = { transferId: "t1", fromLocationId: "main", toLocationId: "mall", lines };
    const sent = replay(
      events(receipt("r1", 1, 10), { type: "transfer.sent", id: "ts", at: 2, ...base }),
    );
    expect(at(sent, "MUG", "main").onHand).toBe(6);
    expect(at(sent, "MUG", "mall")).toMatchObject({ onHand: 0, incoming: 4 });
    const received = replay(events({ type: "transfer.received", id: "tr", at: 3, ...base }), sent);
    expect(at(received, "MUG", "mall")).toMatchObject({ onHand: 4, incoming: 0 });
  });

  it("holds reserved units until the reservation expires or ends", () => {
    const positions = replay(
      events(receipt("r1", 1, 10), {
        type: "stock.reserved",
        id: "h1",
        at: 2,
        reservationId: "cart-1",
        locationId: "main",
        sku: "MUG",
        quantity: 3,
        expiresAt: 100,
      }),
    );
    const mug = at(positions, "MUG", "main");
    expect(availableAt(mug, 50)).toBe(7);
    expect(availableAt(mug, 100)).toBe(10);
    const released = replay(
      events({
        type: "reservation.released",
        id: "h1-end",
        at: 60,
        reservationId: "cart-1",
        locationId: "main",
        sku: "MUG",
      }),
      positions,
    );
    expect(availableAt(at(released, "MUG", "main"), 61)).toBe(10);
  });

  it("keeps safety stock back, last writer winning", () => {
    const positions = replay(
      events(
        receipt("r1", 1, 10),
        { type: "safety-stock.set", id: "ss2", at: 5, locationId: "main", sku: "MUG", quantity: 2 },
        { type: "safety-stock.set", id: "ss1", at: 4, locationId: "main", sku: "MUG", quantity: 6 },
      ),
    );
    expect(availableAt(at(positions, "MUG", "main"), 6)).toBe(8);
  });

  it("changes no count on fulfilment (the POS sale already did)", () => {
    const result = applyEvent(
      new Map(),
      parseStockEvent({
        type: "order.fulfilled",
        id: "f",
        at: 1,
        channelId: "shopify",
        orderId: "o1",
        lines: [{ sku: "MUG", locationId: "main", quantity: 1 }],
        tracking: { number: "1Z" },
      }),
    );
    expect(result.touched).toEqual([]);
  });

  it("settles old entries without changing the totals", () => {
    const positions = replay(
      events(
        receipt("r1", 1, 10),
        sale("s1", 2, 1),
        count("c", 3, 9),
        sale("s2", 4, 2),
        sale("s3", 9, 1),
      ),
    );
    const mug = at(positions, "MUG", "main");
    const settled = settlePosition(mug, 5);
    expect(settled.journal.map((e) => e.eventId)).toEqual(["s3"]);
    expect(settled).toMatchObject({
      onHand: mug.onHand,
      committed: mug.committed,
      unsellable: mug.unsellable,
    });
    // Newer events still apply on top; older ones are taken as already seen.
    const after = replay(
      events(sale("s4", 10, 1), sale("s0", 4, 5)),
      new Map([[positionKey("MUG", "main"), settled]]),
    );
    expect(at(after, "MUG", "main").onHand).toBe(mug.onHand - 1);
  });
});
