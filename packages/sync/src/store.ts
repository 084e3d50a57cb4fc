import type { ChannelOrder, Position, SkuQuantity } from "@omnistock/core";

/**
 * The storage interface of the sync runtime. A store keeps, per tenant: the event ids
 * already applied (de-duplication), the ledger positions, what was last planned and
 * published for every listing, the routing of channel orders, polling cursors, the outbox
 * of work still to deliver, and the updates parked after their last try.
 *
 * It is shaped so that many workers on many machines can share one store (PostgreSQL):
 *
 * - {@link SyncStore.apply} runs one unit of work in one transaction. The unit names
 *   every row it reads up front, so a store can lock them in a fixed order (sorted keys)
 *   before it hands them to the unit's pure, synchronous `compute`; nothing is awaited
 *   while rows are held.
 * - Outbox entries are leased for a time, not taken: a worker that dies leaves a lease
 *   that lapses, and another worker picks the entry up. An ack or nack names the entry's
 *   `generation`, so work done on a value that was replaced meanwhile never deletes the
 *   newer value.
 *
 * Every implementation runs the conformance suite `runStoreContract` from
 * `@omnistock/sync/testing`.
 */
export interface SyncStore {
  /**
   * Applies one unit of work atomically: drops it whole when its `deliveryId` was seen,
   * loads the rows it names, calls `compute` once with the event ids not seen before,
   * and writes what `compute` returns — positions, listing states, orders, outbox
   * entries, the cursor — together with the new event ids. Either all of it is stored or
   * none of it (when `compute` throws, nothing is written and the error is rethrown).
   */
  apply<R>(tenantId: string, unit: ApplyUnit<R>): Promise<ApplyOutcome<R>>;

  /**
   * Leases up to `limit` due entries of one queue (`nextAttemptAt <= now`, no live lease):
   * urgent entries first, then the oldest. A leased entry is not handed out again until
   * it is acked, nacked or parked, or its lease lapses.
   */
  lease(request: LeaseRequest): Promise<readonly OutboxEntry[]>;

  /**
   * Extends the leases an owner still holds (live at `now`) to `now + leaseMs`, and returns
   * the ids it extended: a lease that lapsed, or that another worker took, is not given
   * back. The dispatcher renews while a call is in flight, so a call slower than a lease is
   * never overtaken by a second worker.
   */
  renew(renewal: LeaseRenewal): Promise<readonly string[]>;

  /**
   * Marks entries delivered: each one whose generation is unchanged is removed; one that
   * was rewritten meanwhile stays, with its lease released, so that the newer value is
   * delivered too. The `published` values given are written in the same transaction,
   * whatever the generation (the channel does show them).
   */
  ack(acks: readonly OutboxAck[]): Promise<void>;

  /**
   * Gives an entry back to be tried again at `nextAttemptAt`: its lease is released and,
   * when `countAttempt` is true (the default), its attempts go up by one. `payload`
   * replaces the entry's payload (e.g. to remember a receipt to confirm later). Ignored
   * when the entry's generation changed meanwhile, except that the lease is released.
   */
  nack(nack: OutboxNack): Promise<void>;

  /**
   * Moves an entry out of the outbox into the parked updates, with the reason: it is
   * not tried again until {@link SyncStore.unpark}. Ignored when the generation changed,
   * except that the lease is released (as for a stale nack), so that the newer value is
   * delivered without waiting for the lease to lapse.
   */
  park(park: OutboxPark): Promise<void>;

  /** The parked updates of a tenant, oldest first. */
  parked(tenantId: string): Promise<readonly ParkedEntry[]>;

  /**
   * Puts parked updates back in the outbox, due at `now` with no attempts, unless a newer
   * entry for the same queue and key is already there. Returns how many went back.
   *
   * Every id named leaves the parked list, whether it went back or not. An update put
   * back is a new entry (acks naming the parked one do not touch it); of several named
   * for one queue and key, only the one parked last (the newest value) goes back.
   */
  unpark(tenantId: string, ids: readonly string[], now: number): Promise<number>;

  /** A polling cursor, or `undefined` when none was stored. */
  cursor(tenantId: string, name: string): Promise<string | undefined>;

  /** Every position of a tenant (to build the full allocation at start). */
  positions(tenantId: string): Promise<readonly Position[]>;

  /** Every listing state of a tenant, by listing key. */
  listings(tenantId: string): Promise<ReadonlyMap<string, ListingState>>;

  /**
   * The orders of a tenant that are on hold (their record has a `hold`): oldest hold first
   * (by `hold.heldAt`), then by {@link orderKey}. Held orders are kept as order records
   * like any other, so they survive a restart wherever orders do.
   */
  heldOrders(tenantId: string): Promise<readonly HeldOrder[]>;

  /** How many outbox entries a tenant has, per queue (leased ones included). */
  outboxSize(tenantId: string): Promise<ReadonlyMap<string, number>>;

  /** Releases the store's resources (connections, file handles). */
  close(): Promise<void>;
}

/** What the runtime knows of one listing on one channel. */
export interface ListingState {
  /** What the channel last confirmed showing; `undefined` when never published. */
  readonly published: number | undefined;
  /** The quantity the runtime wants the channel to show (may not be delivered yet). */
  readonly planned: number | undefined;
  /**
   * What the channel may announce without drifting, besides `published` and `planned`: it
   * tells the channel's own reflection of known changes from an edit on the channel.
   * Absent when nothing is in flight. A store keeps it as it keeps the rest of the state.
   */
  readonly inFlight?: ListingInFlight;
}

/**
 * The writes and orders of one listing that a channel's announced level may still reflect
 * (see {@link ListingState.inFlight}).
 */
export interface ListingInFlight {
  /**
   * Quantities planned before `planned` and not confirmed when they were replaced: the
   * channel may have been sent them (the newest last, a few at most).
   */
  readonly sent?: readonly number[];
  /**
   * Units the channel's own orders took on the listing since it last announced a level: a
   * channel lowers its own count when it takes an order (Shopify does).
   */
  readonly ordered?: number;
  /**
   * A level the channel announced lower than planned that no order explained yet: the
   * channel's own order may still be on its way. `units` is what is left to explain.
   */
  readonly short?: {
    readonly shown: number;
    readonly planned: number | undefined;
    readonly units: number;
  };
}

/**
 * Why a channel order is on hold rather than recorded in the system of record.
 *
 * - `oversold`: no location had the units of some lines (`unfilled`); recording it would
 *   drive the system of record below zero.
 */
export type HoldReason = "oversold";

/**
 * A hold on a channel order: its units stay committed (every other channel keeps showing
 * less) but no sale is posted until a person resolves it.
 */
export interface OrderHold {
  readonly reason: HoldReason;
  /** The units no location had when the order was placed. */
  readonly unfilled: readonly SkuQuantity[];
  /** When the order was held (epoch ms). */
  readonly heldAt: number;
  /** The channel location the order named, to route it again when it is resolved. */
  readonly channelLocationId?: string;
}

/** An order record that is on hold. */
export type HeldOrder = OrderRecord & { readonly hold: OrderHold };

/**
 * What the runtime does with a channel order that no location has every unit of (a POS
 * sale took the last one first):
 *
 * - `hold` (the default): the order is committed, so every other channel keeps showing
 *   less, but no sale is posted; it is kept as a held order, raises `order-held`, and
 *   waits for `SyncEngine.resolveHeldOrder`. The system of record never goes below zero.
 * - `record`: a backorder. The units no location has are committed and recorded as sold
 *   at the first location the channel routes from, which goes below zero there.
 */
export type OversoldPolicy = "hold" | "record";

/** Where one routed channel order's units were committed, to release them later. */
export interface OrderRecord {
  readonly channelId: string;
  readonly orderId: string;
  readonly lines: readonly {
    readonly sku: string;
    readonly locationId: string;
    readonly quantity: number;
  }[];
  /** The last status applied. */
  readonly status: "placed" | "cancelled" | "fulfilled" | "refunded";
  /**
   * Changes (refunds, fulfilment) reported before the order itself was: kept until it is,
   * then applied after it. Absent once the order has been placed.
   */
  readonly early?: readonly ChannelOrder[];
  /**
   * Set while the order is on hold: committed, with no sale posted. `lines` are then what
   * is still committed (a refund while held takes its units off them).
   */
  readonly hold?: OrderHold;
}

/** One unit of work for {@link SyncStore.apply}. */
export interface ApplyUnit<R> {
  /**
   * The webhook delivery (or poll) this unit comes from: when a unit with the same
   * delivery id was applied before, nothing happens and `compute` is not called.
   */
  readonly deliveryId?: string;
  /** The ids of the events the unit applies; the ones already applied are not fresh. */
  readonly eventIds: readonly string[];
  /** The positions to load (by `positionKey`); the store locks them in sorted order. */
  readonly positionKeys: readonly string[];
  /** The listing states to load (by `listingKey`). */
  readonly listingKeys: readonly string[];
  /** The orders to load (by {@link orderKey}). */
  readonly orderKeys: readonly string[];
  /**
   * Computes the changes from what was loaded. Pure and synchronous: it is called inside
   * the transaction, at most once per call of `apply`.
   */
  compute(view: ApplyView): ApplyChanges<R>;
}

/** What {@link ApplyUnit.compute} sees. */
export interface ApplyView {
  /** The unit's event ids that were not applied before, in the unit's order. */
  readonly fresh: readonly string[];
  /** The loaded positions that exist (a missing key has no position yet). */
  readonly positions: ReadonlyMap<string, Position>;
  /** The loaded listing states that exist. */
  readonly listings: ReadonlyMap<string, ListingState>;
  /** The loaded orders that exist. */
  readonly orders: ReadonlyMap<string, OrderRecord>;
}

/** What {@link ApplyUnit.compute} decided, to write in the same transaction. */
export interface ApplyChanges<R> {
  /** New values of positions (upserts). */
  readonly positions?: readonly Position[];
  /** New listing states (upserts), by listing key. */
  readonly listings?: readonly { readonly key: string; readonly state: ListingState }[];
  /** New order records (upserts), by {@link orderKey}. */
  readonly orders?: readonly OrderRecord[];
  /** Work to deliver; an entry with the queue and key of an existing one replaces it. */
  readonly outbox?: readonly OutboxWrite[];
  /** A polling cursor to advance with the events read. */
  readonly cursor?: { readonly name: string; readonly value: string };
  /** Handed back to the caller of `apply`. */
  readonly result: R;
}

/** What {@link SyncStore.apply} did. */
export type ApplyOutcome<R> =
  | { readonly applied: true; readonly result: R }
  /** The delivery had been applied before: nothing was computed or written. */
  | { readonly applied: false };

/** One piece of work to deliver. */
export interface OutboxWrite {
  /** The queue: a channel id for quantity updates, `sales` for sales orders. */
  readonly queue: string;
  /** The coalescing key within the queue: a later write with the same key replaces the earlier one. */
  readonly key: string;
  /** JSON-serialisable data for the dispatcher. */
  readonly payload: unknown;
  /** Urgent entries are leased first (an oversell risk). */
  readonly urgent: boolean;
  /** When the entry is due (epoch ms). */
  readonly dueAt: number;
  /**
   * When the change it delivers was first seen (epoch ms), for latency. A replacing write
   * keeps the earlier time of the entry it replaces.
   */
  readonly seenAt: number;
}

/** An entry of the outbox as the store hands it out. */
export interface OutboxEntry {
  readonly tenantId: string;
  /** The store's id of the entry; stable while it stays in the outbox. */
  readonly id: string;
  readonly queue: string;
  readonly key: string;
  readonly payload: unknown;
  readonly urgent: boolean;
  /** Goes up by one each time the entry is written again (coalesced). */
  readonly generation: number;
  /** Failed deliveries of this generation. */
  readonly attempts: number;
  readonly nextAttemptAt: number;
  readonly seenAt: number;
}

/** Options of {@link SyncStore.lease}. */
export interface LeaseRequest {
  readonly tenantId: string;
  readonly queue: string;
  /** Who holds the lease (a worker id). */
  readonly owner: string;
  readonly now: number;
  /** How long the lease lasts, in milliseconds. */
  readonly leaseMs: number;
  readonly limit: number;
}

/** The leases to extend, for {@link SyncStore.renew}. */
export interface LeaseRenewal {
  readonly tenantId: string;
  /** Who holds the leases (a worker id). */
  readonly owner: string;
  /** The entries' ids. */
  readonly ids: readonly string[];
  readonly now: number;
  /** How long the leases last from `now`, in milliseconds. */
  readonly leaseMs: number;
}

/** One delivered entry, for {@link SyncStore.ack}. */
export interface OutboxAck {
  readonly entry: Pick<OutboxEntry, "tenantId" | "id" | "generation">;
  /** What the channel now shows, by listing key. */
  readonly published?: readonly PublishedValue[];
}

/**
 * Sets only the `published` value of a listing state, keeping the rest of it (its
 * `planned` value: a newer plan may be waiting in the outbox; its `inFlight`). A listing
 * with no state gets `planned: undefined`.
 */
export interface PublishedValue {
  readonly key: string;
  readonly quantity: number;
}

/** Options of {@link SyncStore.nack}. */
export interface OutboxNack {
  readonly entry: Pick<OutboxEntry, "tenantId" | "id" | "generation">;
  readonly nextAttemptAt: number;
  /** @default true */
  readonly countAttempt?: boolean;
  /** Replaces the payload when given. */
  readonly payload?: unknown;
  /** Why, for the record. */
  readonly error?: string;
  /**
   * What the channel was found to show, by listing key (e.g. after a compare-and-set
   * refusal), written whatever the generation.
   */
  readonly published?: readonly PublishedValue[];
}

/** Options of {@link SyncStore.park}. */
export interface OutboxPark {
  readonly entry: Pick<OutboxEntry, "tenantId" | "id" | "generation">;
  readonly reason: string;
  readonly at: number;
}

/** An update parked after its last try. */
export interface ParkedEntry {
  readonly tenantId: string;
  /** The parked entry's id, for {@link SyncStore.unpark}. */
  readonly id: string;
  readonly queue: string;
  readonly key: string;
  readonly payload: unknown;
  readonly urgent: boolean;
  readonly attempts: number;
  readonly seenAt: number;
  readonly reason: string;
  readonly parkedAt: number;
}

/** The key of an order record. */
export function orderKey(channelId: string, orderId: string): string {
  return `${channelId}\u0000${orderId}`;
}
