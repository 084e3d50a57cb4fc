import type { StockEvent, StockEventOf } from "./events.js";
import {
  type CountedLevel,
  emptyPosition,
  type JournalEntry,
  type Position,
  positionKey,
  type Reservation,
  type SeenEvent,
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

const NO_CHANGE: LedgerResult = { positions: [], touched: [] };
const NOTHING_CHANGED: readonly Position[] = Object.freeze([]);

/**
 * Applies one event to the positions it concerns and returns their new values. Pure: the
 * inputs are not modified.
 *
 * The rules that make replays safe:
 * - an event is applied once: applying it again changes nothing, whatever time the
 *   redelivery carries. It is recognised by its id, which every position it touched keeps
 *   (in its journal or its {@link Position.seen} list) until {@link settlePosition} has
 *   passed over its time twice;
 * - an event at or before a position's settlement horizon is too old and changes nothing;
 * - deltas commute: any order of the same deltas gives the same totals;
 * - a `stock.counted` level replaces on hand as of its time: deltas at or before that time
 *   are already in it, deltas after it are added on top, whatever order they arrive in;
 *   of two counts, the later (by time, then version, then id) wins;
 * - commitments are kept per channel order, so a release that arrives before its order
 *   still nets to zero, and no order ever counts below zero.
 *
 * For throughput over many positions in memory, {@link Ledger} applies the same rules in
 * place.
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
  const target = new CopyTarget(source);
  applyInPlace(event, target);
  if (target.positions.length === 0) return NO_CHANGE;
  return { positions: target.positions, touched: target.touched };
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
 * Positions held in memory and changed in place: the same rules as {@link applyEvent},
 * without copying a position for every event. Use it where one process owns the
 * positions (the in-memory store, simulations, benchmarks).
 *
 * Note: the positions it hands out are live and change with later events; copy one
 * (`{ ...position }`) to keep a snapshot.
 *
 * @example
 * ```ts
 * const ledger = new Ledger();
 * ledger.apply(parseStockEvent({ type: "stock.received", id: "r1", at: 1, locationId: "main",
 *   lines: [{ sku: "MUG", quantity: 5 }] }));
 * ledger.get("MUG", "main")?.onHand; // 5
 * ```
 */
export class Ledger {
  readonly #target = new LedgerTarget();

  /** Starts from copies of existing positions. */
  constructor(positions: Iterable<Position> = []) {
    for (const p of positions) this.#target.put(owned(p));
  }

  /** Number of positions held. */
  get size(): number {
    return this.#target.size;
  }

  /**
   * Applies one event and returns the positions it changed (none for a duplicate).
   */
  apply(event: StockEvent): readonly Position[] {
    const target = this.#target;
    target.changedNow = NOTHING_CHANGED;
    applyInPlace(event, target);
    return target.changedNow;
  }

  /** The position of a SKU at a location, if any event has touched it. */
  get(sku: string, locationId: string): Position | undefined {
    return this.#target.find(sku, locationId);
  }

  /** Every position. */
  *positions(): IterableIterator<Position> {
    for (const bySku of this.#target.groups()) yield* bySku.values();
  }

  /** Settles every position at `horizon` (see {@link settlePosition}). */
  settle(horizon: number): void {
    for (const bySku of this.#target.groups()) {
      for (const [sku, draft] of bySku) bySku.set(sku, owned(settlePosition(draft, horizon)));
    }
  }
}

/**
 * Folds every entry at or before `horizon` into the position's settled totals, so that
 * the journal stays short. Call it when no event that old can arrive any more (for
 * Lightspeed, whose webhooks retry for 48 hours, 48 hours after the fact).
 *
 * What is still recognised afterwards:
 * - an event whose time is at or before `horizon` changes nothing (it is too old);
 * - the ids of the entries folded away are kept (in {@link Position.seen}), so a
 *   redelivery of one carrying a later time is still recognised, until the next
 *   settlement: each settlement forgets the ids of the events at or before the previous
 *   settlement's horizon. Settling every day at 48 hours back, an event's id is
 *   recognised whatever time a redelivery carries for at least 72 hours after its time.
 *
 * Keep de-duplicating by event id in the store (as the sync runtime does) for events that
 * may come back later than that.
 *
 * @example
 * ```ts
 * const settled = settlePosition(position, now - 48 * 3_600_000);
 * ```
 */
export function settlePosition(position: Position, horizon: number): Position {
  const previous = position.settled.through;
  if (horizon <= previous) return position;
  const { count } = position;
  const seen = seenOf(position).filter((s) => s.at > previous);
  let { onHand, unsellable, incoming } = position.settled;
  const commitments: Record<string, number> = { ...position.settled.commitments };
  const journal: JournalEntry[] = [];
  for (const entry of position.journal) {
    if (entry.at > horizon) {
      journal.push(entry);
      continue;
    }
    seen.push({ eventId: entry.eventId, at: entry.at });
    if (count === undefined || entry.at > count.at) onHand += entry.onHand;
    unsellable += entry.unsellable ?? 0;
    incoming += entry.incoming ?? 0;
    if (entry.orderId !== undefined) {
      commitments[entry.orderId] = (commitments[entry.orderId] ?? 0) + (entry.committed ?? 0);
    }
  }
  // A net of zero is a closed order. A negative net (a release seen before its order) is
  // kept, so the order that arrives later still nets to zero.
  for (const [orderId, net] of Object.entries(commitments)) {
    if (net === 0) delete commitments[orderId];
  }
  const draft = copyOf(position);
  draft.journal = journal;
  draft.seen = seen.sort((a, b) => compareText(a.eventId, b.eventId));
  draft.reservations = position.reservations.filter((r) => !r.ended && r.expiresAt > horizon);
  draft.settled = { onHand, unsellable, incoming, commitments, through: horizon };
  recomputeTotals(draft);
  return draft;
}

/**
 * A position the ledger may change: only ever a fresh copy or one the {@link Ledger} owns.
 * Its seen list is always there.
 */
type Draft = { -readonly [K in Exclude<keyof Position, "seen">]: Position[K] } & {
  seen: readonly SeenEvent[];
};

/** A shallow copy in the one shape every position has (arrays are replaced, never changed). */
function copyOf(p: Position): Draft {
  return {
    sku: p.sku,
    locationId: p.locationId,
    onHand: p.onHand,
    committed: p.committed,
    unsellable: p.unsellable,
    incoming: p.incoming,
    safetyStock: p.safetyStock,
    reservations: p.reservations,
    count: p.count,
    journal: p.journal,
    seen: seenOf(p),
    settled: p.settled,
    safetySetBy: p.safetySetBy,
  };
}

/** A copy whose journal and seen list the {@link Ledger} may grow in place. */
function owned(p: Position): Draft {
  const draft = copyOf(p);
  draft.journal = p.journal.slice();
  draft.seen = draft.seen.slice();
  return draft;
}

const NOTHING_SEEN: readonly SeenEvent[] = Object.freeze([]);

/** The seen list of a position; one stored before the list existed has none. */
function seenOf(p: Position): readonly SeenEvent[] {
  return p.seen ?? NOTHING_SEEN;
}

/**
 * Where {@link applyInPlace} finds the drafts it changes and reports each one it changed,
 * once. Two kinds only, so that the calls on the hot path stay cheap.
 */
type DraftTarget = CopyTarget | LedgerTarget;

/** Fresh copies of the positions of a {@link PositionSource}, for {@link applyEvent}. */
class CopyTarget {
  /** Whether the drafts' journals belong to the target alone and may grow in place. */
  readonly owned = false;
  readonly positions: Draft[] = [];
  readonly touched: string[] = [];
  readonly #source: PositionSource;
  /**
   * The key of the last draft handed out: a rule reports a draft right after asking for
   * it, so the key built for the lookup is reused (with its hash) for `touched`.
   */
  #key = "";

  constructor(source: PositionSource) {
    this.#source = source;
  }

  draftOf(sku: string, locationId: string): Draft {
    const source = this.#source;
    this.#key = positionKey(sku, locationId);
    const found = typeof source === "function" ? source(sku, locationId) : source.get(this.#key);
    return found === undefined ? (emptyPosition(sku, locationId) as Draft) : copyOf(found);
  }

  changed(draft: Draft): void {
    this.positions.push(draft);
    this.touched.push(this.#key);
  }
}

/**
 * The positions of a {@link Ledger}, by location and then by SKU: locations are few, so
 * their map stays in the cache and finding a position costs one lookup in a large map,
 * with no key to build.
 */
class LedgerTarget {
  readonly owned = true;
  /** The positions the current event changed; {@link NOTHING_CHANGED} until one does. */
  changedNow: readonly Position[] = NOTHING_CHANGED;
  size = 0;
  readonly #byLocation = new Map<string, Map<string, Draft>>();

  draftOf(sku: string, locationId: string): Draft {
    const bySku = this.#atLocation(locationId);
    let draft = bySku.get(sku);
    if (draft === undefined) {
      draft = emptyPosition(sku, locationId) as Draft;
      bySku.set(sku, draft);
      this.size++;
    }
    return draft;
  }

  changed(draft: Draft): void {
    if (this.changedNow === NOTHING_CHANGED) this.changedNow = [draft];
    else (this.changedNow as Position[]).push(draft);
  }

  find(sku: string, locationId: string): Draft | undefined {
    return this.#byLocation.get(locationId)?.get(sku);
  }

  /** Holds a position, in place of any at the same SKU and location. */
  put(draft: Draft): void {
    const bySku = this.#atLocation(draft.locationId);
    if (!bySku.has(draft.sku)) this.size++;
    bySku.set(draft.sku, draft);
  }

  groups(): IterableIterator<Map<string, Draft>> {
    return this.#byLocation.values();
  }

  #atLocation(locationId: string): Map<string, Draft> {
    let bySku = this.#byLocation.get(locationId);
    if (bySku === undefined) {
      bySku = new Map();
      this.#byLocation.set(locationId, bySku);
    }
    return bySku;
  }
}

/**
 * The one implementation of the ledger's rules: changes the drafts that `target` hands
 * out and reports each one it changed, once.
 */
function applyInPlace(event: StockEvent, target: DraftTarget): void {
  switch (event.type) {
    case "stock.counted": {
      const draft = target.draftOf(event.sku, event.locationId);
      if (count(draft, event, target.owned)) target.changed(draft);
      return;
    }
    case "stock.reserved":
    case "reservation.released":
    case "reservation.expired": {
      const draft = target.draftOf(event.sku, event.locationId);
      if (reserve(draft, event, target.owned)) target.changed(draft);
      return;
    }
    case "safety-stock.set": {
      const draft = target.draftOf(event.sku, event.locationId);
      if (setSafetyStock(draft, event, target.owned)) target.changed(draft);
      return;
    }
    case "order.fulfilled":
      return;
    case "pos.sale":
    case "stock.received": {
      // Most events move on hand alone at one position: they need no merging of lines.
      const line = event.lines.length === 1 ? event.lines[0] : undefined;
      const sale = event.type === "pos.sale";
      if (line !== undefined && (sale ? event.orderRef === undefined : !event.wasIncoming)) {
        const draft = target.draftOf(line.sku, event.locationId);
        const entry = {
          eventId: event.id,
          at: event.at,
          onHand: sale ? -line.quantity : line.quantity,
        };
        if (enter(draft, entry, target.owned)) target.changed(draft);
        return;
      }
      applyEffects(event, target);
      return;
    }
    default:
      applyEffects(event, target);
  }
}

/** Applies an event that may move several buckets or positions, one effect per position. */
function applyEffects(event: StockEvent, target: DraftTarget): void {
  for (const effect of effectsOf(event)) {
    const draft = target.draftOf(effect.sku, effect.locationId);
    if (enter(draft, entryOf(event, effect), target.owned)) target.changed(draft);
  }
}

/** The journal entry of one effect, in the smallest shape that holds it. */
function entryOf(event: StockEvent, effect: Effect): JournalEntry {
  if (effect.orderId === undefined && effect.unsellable === 0 && effect.incoming === 0) {
    return { eventId: event.id, at: event.at, onHand: effect.onHand };
  }
  return {
    eventId: event.id,
    at: event.at,
    onHand: effect.onHand,
    unsellable: effect.unsellable,
    incoming: effect.incoming,
    ...(effect.orderId === undefined
      ? {}
      : { orderId: effect.orderId, committed: effect.committed }),
  };
}

interface Effect {
  readonly sku: string;
  readonly locationId: string;
  onHand: number;
  unsellable: number;
  incoming: number;
  committed: number;
  readonly orderId: string | undefined;
}

/** Index of a bulk event's effects by position, reused: the ledger is synchronous. */
const bulkIndex = new Map<string, Effect>();

/**
 * Adds one line's change to the effects of an event, merging lines that name the same
 * position; the effects keep the order in which the lines first name them.
 */
function addEffect(
  effects: Effect[],
  sku: string,
  locationId: string,
  onHand: number,
  unsellable: number,
  incoming: number,
  orderId?: string,
  committed = 0,
): void {
  let effect: Effect | undefined;
  // Most events move one or two positions: scan; index only bulk events.
  if (effects.length > 8) {
    if (bulkIndex.size === 0)
      for (const e of effects) bulkIndex.set(positionKey(e.sku, e.locationId), e);
    effect = bulkIndex.get(positionKey(sku, locationId));
  } else {
    for (const e of effects) if (e.sku === sku && e.locationId === locationId) effect = e;
  }
  if (effect === undefined) {
    effect = { sku, locationId, onHand, unsellable, incoming, committed, orderId };
    effects.push(effect);
    if (bulkIndex.size > 0) bulkIndex.set(positionKey(sku, locationId), effect);
    return;
  }
  effect.onHand += onHand;
  effect.unsellable += unsellable;
  effect.incoming += incoming;
  effect.committed += committed;
}

/** Each position's effect of a delta event. */
function effectsOf(event: StockEvent): Effect[] {
  const effects: Effect[] = [];
  switch (event.type) {
    case "pos.sale":
      for (const line of event.lines) {
        if (event.orderRef === undefined)
          addEffect(effects, line.sku, event.locationId, -line.quantity, 0, 0);
        else
          addEffect(
            effects,
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
        addEffect(
          effects,
          line.sku,
          event.locationId,
          line.quantity,
          line.restock ? 0 : line.quantity,
          0,
        );
      }
      break;
    case "stock.adjusted":
      addEffect(
        effects,
        event.sku,
        event.locationId,
        event.bucket === "onHand" ? event.delta : 0,
        event.bucket === "unsellable" ? event.delta : 0,
        event.bucket === "incoming" ? event.delta : 0,
      );
      break;
    case "stock.received":
      for (const line of event.lines) {
        addEffect(
          effects,
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
        addEffect(effects, line.sku, event.fromLocationId, -line.quantity, 0, 0);
        addEffect(effects, line.sku, event.toLocationId, 0, 0, line.quantity);
      }
      break;
    case "transfer.received":
      for (const line of event.lines)
        addEffect(effects, line.sku, event.toLocationId, line.quantity, 0, -line.quantity);
      break;
    case "order.placed":
      for (const line of event.lines)
        addEffect(effects, line.sku, line.locationId, 0, 0, 0, event.orderId, line.quantity);
      break;
    case "order.cancelled":
    case "order.refunded":
      for (const line of event.lines)
        addEffect(effects, line.sku, line.locationId, 0, 0, 0, event.orderId, -line.quantity);
      break;
    default:
      break;
  }
  bulkIndex.clear();
  return effects;
}

function enter(draft: Draft, entry: JournalEntry, owned: boolean): boolean {
  if (!isNew(draft, entry.eventId, entry.at)) return false;
  draft.journal = inserted(draft.journal, insertionPoint(draft.journal, entry), entry, owned);
  if (
    entry.orderId === undefined &&
    entry.unsellable === undefined &&
    entry.incoming === undefined
  ) {
    // The common case (a sale, a receipt, an on-hand adjustment) moves on hand alone.
    if (draft.count === undefined || entry.at > draft.count.at) draft.onHand += entry.onHand;
  } else recomputeTotals(draft);
  return true;
}

function count(draft: Draft, event: StockEventOf<"stock.counted">, owned: boolean): boolean {
  if (!isNew(draft, event.id, event.at)) return false;
  // Kept even when a later count beats it, so that it never wins by coming back later.
  remember(draft, event, owned);
  const level: CountedLevel = {
    onHand: event.onHand,
    at: event.at,
    version: event.version ?? -1,
    eventId: event.id,
  };
  if (draft.count !== undefined && compareCounts(level, draft.count) <= 0) return true;
  draft.count = level;
  // Every settled entry is at or before `through`, hence before this count: none add to it.
  if (draft.settled.onHand !== 0) draft.settled = { ...draft.settled, onHand: 0 };
  // A count moves on hand alone: the deltas after it, found by binary search, go on top.
  const { journal } = draft;
  let low = 0;
  let high = journal.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if ((journal[mid] as JournalEntry).at <= level.at) low = mid + 1;
    else high = mid;
  }
  let onHand = level.onHand;
  for (let k = low; k < journal.length; k++) onHand += (journal[k] as JournalEntry).onHand;
  draft.onHand = onHand;
  return true;
}

function reserve(
  draft: Draft,
  event: StockEventOf<"stock.reserved" | "reservation.released" | "reservation.expired">,
  owned: boolean,
): boolean {
  if (!isNew(draft, event.id, event.at)) return false;
  remember(draft, event, owned);
  const index = draft.reservations.findIndex((r) => r.reservationId === event.reservationId);
  const existing = index === -1 ? undefined : draft.reservations[index];
  let next: Reservation;
  if (event.type === "stock.reserved") {
    // The latest hold for an id wins, whatever order they arrive in; an end is final.
    const setBy = { at: event.at, eventId: event.id };
    if (existing?.setBy !== undefined && compareEntries(setBy, existing.setBy) <= 0) return true;
    next = {
      reservationId: event.reservationId,
      quantity: event.quantity,
      expiresAt: event.expiresAt,
      ended: existing?.ended ?? false,
      setBy,
    };
  } else {
    if (existing?.ended === true) return true;
    next = existing
      ? { ...existing, ended: true }
      : {
          reservationId: event.reservationId,
          quantity: 0,
          expiresAt: 0,
          ended: true,
          setBy: undefined,
        };
  }
  const reservations = draft.reservations.slice();
  if (index === -1) reservations.push(next);
  else reservations[index] = next;
  reservations.sort((a, b) => compareText(a.reservationId, b.reservationId));
  draft.reservations = reservations;
  return true;
}

function setSafetyStock(
  draft: Draft,
  event: StockEventOf<"safety-stock.set">,
  owned: boolean,
): boolean {
  if (!isNew(draft, event.id, event.at)) return false;
  remember(draft, event, owned);
  const by = { at: event.at, eventId: event.id };
  if (draft.safetySetBy !== undefined && compareEntries(by, draft.safetySetBy) <= 0) return true;
  draft.safetyStock = event.quantity;
  draft.safetySetBy = by;
  return true;
}

/**
 * Whether an event may still change a position: it is later than the settlement horizon
 * and the position has not applied it, at whatever time (its id is neither in the journal
 * nor in the seen list).
 */
function isNew(draft: Draft, eventId: string, at: number): boolean {
  if (at <= draft.settled.through) return false;
  const { journal } = draft;
  // A redelivery mostly follows its first delivery closely: look from the end.
  for (let k = journal.length - 1; k >= 0; k--)
    if ((journal[k] as JournalEntry).eventId === eventId) return false;
  return seenIndex(draft.seen, eventId) < 0;
}

/** Keeps the id of an event that leaves no journal entry. */
function remember(draft: Draft, event: { id: string; at: number }, owned: boolean): void {
  const i = -1 - seenIndex(draft.seen, event.id);
  draft.seen = inserted(draft.seen, i, { eventId: event.id, at: event.at }, owned);
}

/**
 * Where an id is in a seen list sorted by id (binary search): its index, or
 * `-1 - insertion point` when absent.
 */
function seenIndex(seen: readonly SeenEvent[], eventId: string): number {
  let low = 0;
  let high = seen.length - 1;
  while (low <= high) {
    const mid = (low + high) >>> 1;
    const there = (seen[mid] as SeenEvent).eventId;
    if (there < eventId) low = mid + 1;
    else if (there > eventId) high = mid - 1;
    else return mid;
  }
  return -1 - low;
}

/** Derives on hand, committed, unsellable and incoming from the count, journal and settled part. */
function recomputeTotals(draft: Draft): void {
  const { count: level, journal, settled } = draft;
  let onHand = (level?.onHand ?? 0) + settled.onHand;
  let unsellable = settled.unsellable;
  let incoming = settled.incoming;
  let byOrder: Record<string, number> | undefined;
  for (const entry of journal) {
    if (level === undefined || entry.at > level.at) onHand += entry.onHand;
    unsellable += entry.unsellable ?? 0;
    incoming += entry.incoming ?? 0;
    if (entry.orderId !== undefined) {
      byOrder ??= { ...settled.commitments };
      byOrder[entry.orderId] = (byOrder[entry.orderId] ?? 0) + (entry.committed ?? 0);
    }
  }
  let committed = 0;
  for (const net of Object.values(byOrder ?? settled.commitments)) if (net > 0) committed += net;
  draft.onHand = onHand;
  draft.committed = committed;
  draft.unsellable = Math.max(0, unsellable);
  draft.incoming = Math.max(0, incoming);
}

/**
 * Journals and seen lists at least this long, when the {@link Ledger} owns them, grow in
 * place; shorter ones are copied at their exact length, because positions are many and
 * arrays grown in place keep spare capacity.
 */
const GROW_IN_PLACE_FROM = 8;

/** Where an entry goes in a journal sorted by time then event id (binary search). */
function insertionPoint(journal: readonly JournalEntry[], entry: JournalEntry): number {
  let low = 0;
  let high = journal.length;
  // Entries mostly arrive in time order: check the end first.
  if (high > 0 && compareEntries(journal[high - 1] as JournalEntry, entry) < 0) return high;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (compareEntries(journal[mid] as JournalEntry, entry) < 0) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** `list` with `item` at `i`: the same array grown in place where the Ledger owns it, else a copy. */
function inserted<T>(list: readonly T[], i: number, item: T, owned: boolean): readonly T[] {
  if (owned && list.length >= GROW_IN_PLACE_FROM) {
    (list as T[]).splice(i, 0, item);
    return list;
  }
  const next = new Array<T>(list.length + 1);
  for (let k = 0; k < i; k++) next[k] = list[k] as T;
  next[i] = item;
  for (let k = i; k < list.length; k++) next[k + 1] = list[k] as T;
  return next;
}

function compareEntries(
  a: { at: number; eventId: string },
  b: { at: number; eventId: string },
): number {
  return a.at !== b.at ? a.at - b.at : compareText(a.eventId, b.eventId);
}

function compareCounts(a: CountedLevel, b: CountedLevel): number {
  if (a.at !== b.at) return a.at - b.at;
  if (a.version !== b.version) return a.version - b.version;
  return compareText(a.eventId, b.eventId);
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
