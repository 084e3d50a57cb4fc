import type { StockEvent } from "./events.js";
import {
  type CountedLevel,
  emptyPosition,
  type JournalEntry,
  type Position,
  positionKey,
  type Reservation,
  withTotals,
} from "./position.js";

/** Where the ledger reads current positions from: a map by {@link positionKey}, or a lookup. */
export type PositionSource =
  | ReadonlyMap<string, Position>
  | ((sku: string, locationId: string) => Position | undefined);

/** What one event did. */
export interface LedgerResult {
  /** The new value of every position the event changed. Empty for a duplicate. */
  readonly positions: readonly Position[];
  /** The {@link positionKey} of each changed position, in the same order. */
  readonly touched: readonly string[];
}

interface Effect {
  readonly sku: string;
  readonly locationId: string;
  readonly key: string;
  onHand: number;
  unsellable: number;
  incoming: number;
  readonly orderId: string | undefined;
  committed: number;
}

const NO_CHANGE: LedgerResult = { positions: [], touched: [] };

/**
 * Applies one event to the positions it concerns and returns their new values. Pure: the
 * inputs are not modified.
 *
 * The rules that make replays safe:
 * - an event is applied once: applying it again changes nothing (it is recognised by its
 *   id among the unsettled entries of each position it touches);
 * - deltas commute: any order of the same deltas gives the same totals;
 * - a `stock.counted` level replaces on hand as of its time: deltas at or before that time
 *   are already in it, deltas after it are added on top, whatever order they arrive in;
 *   of two counts, the later (by time, then version, then id) wins;
 * - commitments are kept per channel order, so a release that arrives before its order
 *   still nets to zero, and no order ever counts below zero.
 *
 * @example
 * ```ts
 * const { positions, touched } = applyEvent(current, {
 *   type: "pos.sale", id: "sale-81", at: 1_700_000_000_000, locationId: "main-street",
 *   lines: [{ sku: "MUG-RED", quantity: 1 }],
 * });
 * ```
 */
export function applyEvent(source: PositionSource, event: StockEvent): LedgerResult {
  switch (event.type) {
    case "stock.counted":
      return single(applyCount(current(source, event.sku, event.locationId), event));
    case "stock.reserved":
    case "reservation.released":
    case "reservation.expired":
      return single(applyReservation(current(source, event.sku, event.locationId), event));
    case "safety-stock.set":
      return single(applySafetyStock(current(source, event.sku, event.locationId), event));
    case "order.fulfilled":
      return NO_CHANGE;
    default: {
      const positions: Position[] = [];
      const touched: string[] = [];
      for (const effect of effectsOf(event)) {
        const next = applyEntry(current(source, effect.sku, effect.locationId, effect.key), {
          eventId: event.id,
          at: event.at,
          onHand: effect.onHand,
          unsellable: effect.unsellable,
          incoming: effect.incoming,
          committed: effect.committed,
          orderId: effect.orderId,
        });
        if (next !== undefined) {
          positions.push(next);
          touched.push(effect.key);
        }
      }
      return { positions, touched };
    }
  }
}

/**
 * Replays events in the given order onto a copy of `initial`: the fold of
 * {@link applyEvent}.
 */
export function replay(
  events: Iterable<StockEvent>,
  initial: ReadonlyMap<string, Position> = new Map(),
): Map<string, Position> {
  const positions = new Map(initial);
  for (const event of events) {
    const { positions: changed, touched } = applyEvent(positions, event);
    for (let i = 0; i < changed.length; i++)
      positions.set(touched[i] as string, changed[i] as Position);
  }
  return positions;
}

/**
 * Folds every entry at or before `horizon` into the position's settled totals, so that
 * the journal stays short. Call it when no event that old can arrive any more (for
 * Lightspeed, whose webhooks retry for 48 hours, 48 hours after the fact): an event older
 * than the horizon that arrives later is no longer recognised by the ledger, so keep
 * de-duplicating by event id in the store for longer than that.
 */
export function settlePosition(position: Position, horizon: number): Position {
  if (horizon <= position.settled.through) return position;
  const { count } = position;
  let { onHand, unsellable, incoming } = position.settled;
  const commitments: Record<string, number> = { ...position.settled.commitments };
  const journal: JournalEntry[] = [];
  for (const entry of position.journal) {
    if (entry.at > horizon) {
      journal.push(entry);
      continue;
    }
    if (count === undefined || entry.at > count.at) onHand += entry.onHand;
    unsellable += entry.unsellable;
    incoming += entry.incoming;
    if (entry.orderId !== undefined) {
      commitments[entry.orderId] = (commitments[entry.orderId] ?? 0) + entry.committed;
    }
  }
  // A net of zero is a closed order. A negative net (a release seen before its order) is
  // kept, so the order that arrives later still nets to zero.
  for (const [orderId, net] of Object.entries(commitments))
    if (net === 0) delete commitments[orderId];
  const reservations = position.reservations.filter((r) => !r.ended && r.expiresAt > horizon);
  return withTotals({
    ...position,
    journal,
    reservations,
    settled: { onHand, unsellable, incoming, commitments, through: horizon },
  });
}

function single(next: Position | undefined): LedgerResult {
  return next === undefined
    ? NO_CHANGE
    : { positions: [next], touched: [positionKey(next.sku, next.locationId)] };
}

function current(source: PositionSource, sku: string, locationId: string, key?: string): Position {
  const found =
    typeof source === "function"
      ? source(sku, locationId)
      : source.get(key ?? positionKey(sku, locationId));
  return found ?? emptyPosition(sku, locationId);
}

/** The effects of one event, one per position, in the order the lines first name them. */
class Effects {
  readonly list: Effect[] = [];
  #byKey: Map<string, Effect> | undefined;

  add(
    sku: string,
    locationId: string,
    onHand: number,
    unsellable: number,
    incoming: number,
    orderId?: string,
    committed = 0,
  ) {
    const key = positionKey(sku, locationId);
    const effect = this.#find(key);
    if (effect === undefined) {
      const created: Effect = {
        sku,
        locationId,
        key,
        onHand,
        unsellable,
        incoming,
        committed,
        orderId,
      };
      this.list.push(created);
      this.#byKey?.set(key, created);
      return;
    }
    effect.onHand += onHand;
    effect.unsellable += unsellable;
    effect.incoming += incoming;
    effect.committed += committed;
  }

  #find(key: string): Effect | undefined {
    // Most events move one or two positions: scan; index only bulk events.
    if (this.#byKey === undefined && this.list.length > 8)
      this.#byKey = new Map(this.list.map((e) => [e.key, e]));
    if (this.#byKey !== undefined) return this.#byKey.get(key);
    for (const e of this.list) if (e.key === key) return e;
    return undefined;
  }
}

/** Each position's effect of a delta event. */
function effectsOf(event: StockEvent): Effect[] {
  const effects = new Effects();
  switch (event.type) {
    case "pos.sale":
      for (const line of event.lines) {
        if (event.orderRef === undefined)
          effects.add(line.sku, event.locationId, -line.quantity, 0, 0);
        else
          effects.add(
            line.sku,
            event.locationId,
            -line.quantity,
            0,
            0,
            event.orderRef,
            -line.quantity,
          );
      }
      break;
    case "pos.return":
      for (const line of event.lines) {
        effects.add(line.sku, event.locationId, line.quantity, line.restock ? 0 : line.quantity, 0);
      }
      break;
    case "stock.adjusted":
      effects.add(
        event.sku,
        event.locationId,
        event.bucket === "onHand" ? event.delta : 0,
        event.bucket === "unsellable" ? event.delta : 0,
        event.bucket === "incoming" ? event.delta : 0,
      );
      break;
    case "stock.received":
      for (const line of event.lines) {
        effects.add(
          line.sku,
          event.locationId,
          line.quantity,
          0,
          event.wasIncoming ? -line.quantity : 0,
        );
      }
      break;
    case "transfer.sent":
      for (const line of event.lines) {
        effects.add(line.sku, event.fromLocationId, -line.quantity, 0, 0);
        effects.add(line.sku, event.toLocationId, 0, 0, line.quantity);
      }
      break;
    case "transfer.received":
      for (const line of event.lines)
        effects.add(line.sku, event.toLocationId, line.quantity, 0, -line.quantity);
      break;
    case "order.placed":
      for (const line of event.lines)
        effects.add(line.sku, line.locationId, 0, 0, 0, event.orderId, line.quantity);
      break;
    case "order.cancelled":
    case "order.refunded":
      for (const line of event.lines)
        effects.add(line.sku, line.locationId, 0, 0, 0, event.orderId, -line.quantity);
      break;
    default:
      break;
  }
  return effects.list;
}

function isKnown(position: Position, eventId: string, at: number): boolean {
  if (at <= position.settled.through) return true;
  for (const entry of position.journal) if (entry.eventId === eventId) return true;
  return false;
}

function applyEntry(position: Position, entry: JournalEntry): Position | undefined {
  if (isKnown(position, entry.eventId, entry.at)) return undefined;
  const journal = insertSorted(position.journal, entry);
  if (entry.orderId === undefined && entry.unsellable === 0 && entry.incoming === 0) {
    // The common case (a sale, a receipt, an on-hand adjustment) moves on hand alone.
    const counts = position.count === undefined || entry.at > position.count.at;
    return {
      sku: position.sku,
      locationId: position.locationId,
      onHand: counts ? position.onHand + entry.onHand : position.onHand,
      committed: position.committed,
      unsellable: position.unsellable,
      incoming: position.incoming,
      safetyStock: position.safetyStock,
      reservations: position.reservations,
      count: position.count,
      journal,
      settled: position.settled,
      safetySetBy: position.safetySetBy,
    };
  }
  return withTotals({ ...position, journal });
}

function insertSorted(journal: readonly JournalEntry[], entry: JournalEntry): JournalEntry[] {
  let i = journal.length;
  while (i > 0 && compareEntries(journal[i - 1] as JournalEntry, entry) > 0) i--;
  // Built at its exact length: positions are many, and arrays grown by push or splice
  // keep spare capacity.
  const next = new Array<JournalEntry>(journal.length + 1);
  for (let k = 0; k < i; k++) next[k] = journal[k] as JournalEntry;
  next[i] = entry;
  for (let k = i; k < journal.length; k++) next[k + 1] = journal[k] as JournalEntry;
  return next;
}

function compareEntries(
  a: { at: number; eventId: string },
  b: { at: number; eventId: string },
): number {
  if (a.at !== b.at) return a.at - b.at;
  return a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0;
}

function compareCounts(a: CountedLevel, b: CountedLevel): number {
  if (a.at !== b.at) return a.at - b.at;
  if (a.version !== b.version) return a.version - b.version;
  return a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0;
}

function applyCount(
  position: Position,
  event: Extract<StockEvent, { type: "stock.counted" }>,
): Position | undefined {
  const count: CountedLevel = {
    onHand: event.onHand,
    at: event.at,
    version: event.version ?? -1,
    eventId: event.id,
  };
  if (count.at <= position.settled.through) return undefined;
  if (position.count !== undefined && compareCounts(count, position.count) <= 0) return undefined;
  // Every settled entry is at or before `through`, hence before this count: none add to it.
  const settled =
    position.settled.onHand === 0 ? position.settled : { ...position.settled, onHand: 0 };
  return withTotals({ ...position, count, settled });
}

function applyReservation(
  position: Position,
  event: Extract<
    StockEvent,
    { type: "stock.reserved" | "reservation.released" | "reservation.expired" }
  >,
): Position | undefined {
  const index = position.reservations.findIndex((r) => r.reservationId === event.reservationId);
  const existing = index === -1 ? undefined : position.reservations[index];
  let next: Reservation;
  if (event.type === "stock.reserved") {
    if (existing !== undefined && existing.quantity > 0) return undefined;
    next = {
      reservationId: event.reservationId,
      quantity: event.quantity,
      expiresAt: event.expiresAt,
      ended: existing?.ended ?? false,
    };
  } else {
    if (existing?.ended === true) return undefined;
    next = existing
      ? { ...existing, ended: true }
      : { reservationId: event.reservationId, quantity: 0, expiresAt: 0, ended: true };
  }
  const reservations = position.reservations.slice();
  if (index === -1) reservations.push(next);
  else reservations[index] = next;
  reservations.sort((a, b) => (a.reservationId < b.reservationId ? -1 : 1));
  return withTotals({ ...position, reservations });
}

function applySafetyStock(
  position: Position,
  event: Extract<StockEvent, { type: "safety-stock.set" }>,
): Position | undefined {
  const by = { at: event.at, eventId: event.id };
  if (position.safetySetBy !== undefined && compareEntries(by, position.safetySetBy) <= 0)
    return undefined;
  return withTotals({ ...position, safetyStock: event.quantity, safetySetBy: by });
}
