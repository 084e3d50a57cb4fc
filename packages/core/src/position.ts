/**
 * A hold on units for one customer until a time. Kept after it ends so that an end that
 * arrives before its start still cancels it.
 */
export interface Reservation {
  readonly reservationId: string;
  /** Units held; 0 until the `stock.reserved` event has been seen. */
  readonly quantity: number;
  /** When the hold lapses on its own (epoch ms). */
  readonly expiresAt: number;
  /** Whether a release or expiry event ended it. */
  readonly ended: boolean;
  /** The `stock.reserved` event that set it: a later one for the same id replaces it. */
  readonly setBy: { readonly at: number; readonly eventId: string } | undefined;
}

/**
 * One event's effect on one position, kept until settled. Buckets an event does not move
 * are left out (most entries move on hand alone), which keeps positions small.
 */
export interface JournalEntry {
  readonly eventId: string;
  readonly at: number;
  readonly onHand: number;
  readonly unsellable?: number;
  readonly incoming?: number;
  /** The channel order whose commitment this entry changes, with the change. */
  readonly orderId?: string;
  readonly committed?: number;
}

/**
 * An event a position applied that its journal does not hold: an absolute event (a count,
 * a hold or its end, a safety stock), or a journal entry settled away. Kept so that a
 * redelivery of the event is recognised by its id whatever time it carries.
 */
export interface SeenEvent {
  readonly eventId: string;
  /** The event's time as first applied; {@link settlePosition} forgets it by this time. */
  readonly at: number;
}

/** The last absolute count of on hand, which beats every delta at or before its time. */
export interface CountedLevel {
  readonly onHand: number;
  readonly at: number;
  readonly version: number;
  readonly eventId: string;
}

/** Entries folded away by {@link settlePosition}. */
export interface SettledTotals {
  /** Sum of settled on-hand deltas later than the count (all of them when no count). */
  readonly onHand: number;
  readonly unsellable: number;
  readonly incoming: number;
  /** Net committed units per open order. */
  readonly commitments: Readonly<Record<string, number>>;
  /** Everything at or before this time is settled (epoch ms); -1 when nothing is. */
  readonly through: number;
}

/**
 * The stock of one SKU at one location, as the ledger keeps it.
 *
 * The totals (`onHand`, `committed`, ...) are derived from `count`, `journal` and
 * `settled` on every change; read them, never write them.
 */
export interface Position {
  readonly sku: string;
  readonly locationId: string;
  /** Units physically at the location; may go below zero when the POS oversold. */
  readonly onHand: number;
  /** Units sold on a channel that the POS does not show as sold yet (in flight). */
  readonly committed: number;
  /** Units damaged or in quality control: on hand but not for sale. */
  readonly unsellable: number;
  /** Units on their way (informational; never sellable). */
  readonly incoming: number;
  /** Units kept back at the location whatever happens. */
  readonly safetyStock: number;
  readonly reservations: readonly Reservation[];
  readonly count: CountedLevel | undefined;
  /** Unsettled entries, sorted by time then event id. */
  readonly journal: readonly JournalEntry[];
  /**
   * The other events applied here, sorted by id: with the journal, every event id the
   * position recognises. Absent reads as none (a position stored before it existed).
   */
  readonly seen?: readonly SeenEvent[];
  readonly settled: SettledTotals;
  /** The last `safety-stock.set` applied, for last-writer-wins ordering. */
  readonly safetySetBy: { readonly at: number; readonly eventId: string } | undefined;
}

const NONE: readonly never[] = Object.freeze([]);

const NOTHING_SETTLED: SettledTotals = {
  onHand: 0,
  unsellable: 0,
  incoming: 0,
  commitments: {},
  through: -1,
};

/** A position with nothing in it. */
export function emptyPosition(sku: string, locationId: string): Position {
  return {
    sku,
    locationId,
    onHand: 0,
    committed: 0,
    unsellable: 0,
    incoming: 0,
    safetyStock: 0,
    reservations: NONE,
    count: undefined,
    journal: NONE,
    seen: NONE,
    settled: NOTHING_SETTLED,
    safetySetBy: undefined,
  };
}

/**
 * The key of a position in maps and stores: SKU and location joined by a NUL, which
 * neither may contain.
 */
export function positionKey(sku: string, locationId: string): string {
  return `${sku}\u0000${locationId}`;
}

/** Splits a {@link positionKey} back into its SKU and location. */
export function splitPositionKey(key: string): {
  readonly sku: string;
  readonly locationId: string;
} {
  const cut = key.indexOf("\u0000");
  return { sku: key.slice(0, cut), locationId: key.slice(cut + 1) };
}

/** Units held by reservations that are still active at `asOf`. */
export function reservedAt(position: Position, asOf: number): number {
  let held = 0;
  for (const r of position.reservations) if (!r.ended && r.expiresAt > asOf) held += r.quantity;
  return held;
}

/**
 * What can be sold from a position at `asOf`: on hand less committed, active
 * reservations, unsellable and safety stock — never below zero.
 *
 * @example
 * ```ts
 * availableAt(position, Date.now()) // 20 on hand, 2 committed, 1 damaged → 17
 * ```
 */
export function availableAt(position: Position, asOf: number): number {
  const free =
    position.onHand -
    position.committed -
    reservedAt(position, asOf) -
    position.unsellable -
    position.safetyStock;
  return Math.max(free, 0);
}
