import { emptyPosition, type Position, positionKey, splitPositionKey } from "@omnistock/core";
import {
  type ApplyChanges,
  type ApplyView,
  type HeldOrder,
  type ListingState,
  type OrderRecord,
  orderKey,
  type PublishedValue,
} from "../store.js";

/** One outbox entry of the oracle, identified by `uid` (the store's ids are its own). */
export interface ModelEntry {
  readonly uid: number;
  readonly queue: string;
  readonly key: string;
  payload: unknown;
  urgent: boolean;
  generation: number;
  attempts: number;
  nextAttemptAt: number;
  seenAt: number;
  leaseUntil: number;
}

/** One parked update of the oracle. */
export interface ModelParked {
  readonly queue: string;
  readonly key: string;
  readonly payload: unknown;
  readonly urgent: boolean;
  readonly attempts: number;
  readonly seenAt: number;
  readonly reason: string;
  readonly parkedAt: number;
}

/** What the property test's units write, drawn by fast-check. */
export interface UnitPlan {
  readonly deliveryId: string | undefined;
  readonly eventIds: readonly string[];
  readonly positionKeys: readonly string[];
  readonly listingKeys: readonly string[];
  readonly orderKeys: readonly string[];
  readonly outbox: readonly {
    readonly queue: string;
    readonly key: string;
    readonly urgent: boolean;
    readonly dueAt: number;
    readonly seenAt: number;
    readonly payload: unknown;
  }[];
  readonly cursor: string | undefined;
  readonly throws: boolean;
}

/** The error a unit of the property test throws when its plan says so. */
export class PlannedFailure extends Error {
  override readonly name = "PlannedFailure";
}

/**
 * The changes a planned unit computes from what it was shown. They depend on every loaded
 * row and on the fresh ids, so a store that shows the wrong rows ends in another state.
 */
export function computePlan(plan: UnitPlan, view: ApplyView): ApplyChanges<unknown> {
  const step = view.fresh.length + 1;
  const positions: Position[] = plan.positionKeys.map((key) => {
    const { sku, locationId } = splitPositionKey(key);
    const before = view.positions.get(key);
    return { ...emptyPosition(sku, locationId), onHand: (before?.onHand ?? 0) + step };
  });
  const listings = plan.listingKeys.map((key) => {
    const before = view.listings.get(key);
    return { key, state: { published: before?.published, planned: (before?.planned ?? 0) + step } };
  });
  const orders: OrderRecord[] = plan.orderKeys.map((key) => {
    const [channelId = "", orderId = ""] = key.split("\u0000");
    const before = view.orders.get(key);
    const quantity = (before?.lines[0]?.quantity ?? 0) + step;
    // Every third value is on hold, since a time that goes up and down with the quantity.
    const held = quantity % 3 === 0;
    return {
      channelId,
      orderId,
      lines: [{ sku: "A", locationId: "x", quantity }],
      status: quantity % 2 === 0 ? "placed" : "fulfilled",
      ...(held
        ? {
            hold: {
              reason: "oversold" as const,
              unfilled: [{ sku: "A", quantity: 1 }],
              heldAt: quantity % 4,
            },
          }
        : {}),
    };
  });
  if (plan.throws) throw new PlannedFailure("the unit failed as planned");
  return {
    positions,
    listings,
    orders,
    outbox: plan.outbox,
    ...(plan.cursor === undefined ? {} : { cursor: { name: "poll", value: plan.cursor } }),
    result: {
      fresh: [...view.fresh],
      positions: [...view.positions.keys()].sort(),
      listings: [...view.listings.keys()].sort(),
      orders: [...view.orders.keys()].sort(),
    },
  };
}

/** Everything the oracle keeps for one tenant. */
interface ModelTenant {
  readonly deliveries: Set<string>;
  readonly events: Set<string>;
  readonly positions: Map<string, Position>;
  readonly listings: Map<string, ListingState>;
  readonly orders: Map<string, OrderRecord>;
  readonly cursors: Map<string, string>;
  readonly outbox: ModelEntry[];
  readonly parked: ModelParked[];
}

/**
 * The serial oracle of the store contract: the simplest code that does what
 * {@link SyncStore} promises, one call after the other.
 */
export class StoreModel {
  readonly #tenants = new Map<string, ModelTenant>();
  #lastUid = 0;

  tenant(tenantId: string): ModelTenant {
    let state = this.#tenants.get(tenantId);
    if (state === undefined) {
      state = {
        deliveries: new Set(),
        events: new Set(),
        positions: new Map(),
        listings: new Map(),
        orders: new Map(),
        cursors: new Map(),
        outbox: [],
        parked: [],
      };
      this.#tenants.set(tenantId, state);
    }
    return state;
  }

  /** Applies a planned unit; `undefined` when its delivery was seen. */
  apply(
    tenantId: string,
    plan: UnitPlan,
  ): { readonly applied: false } | { readonly applied: true; readonly result: unknown } {
    const state = this.tenant(tenantId);
    if (plan.deliveryId !== undefined && state.deliveries.has(plan.deliveryId)) {
      return { applied: false };
    }
    const fresh = [...new Set(plan.eventIds.filter((id) => !state.events.has(id)))];
    const changes = computePlan(plan, {
      fresh,
      positions: pick(state.positions, plan.positionKeys),
      listings: pick(state.listings, plan.listingKeys),
      orders: pick(state.orders, plan.orderKeys),
    });
    if (plan.deliveryId !== undefined) state.deliveries.add(plan.deliveryId);
    for (const id of fresh) state.events.add(id);
    for (const p of changes.positions ?? [])
      state.positions.set(positionKey(p.sku, p.locationId), p);
    for (const l of changes.listings ?? []) state.listings.set(l.key, l.state);
    for (const o of changes.orders ?? []) state.orders.set(orderKey(o.channelId, o.orderId), o);
    for (const w of changes.outbox ?? []) this.#write(state, { ...w });
    if (changes.cursor !== undefined) state.cursors.set(changes.cursor.name, changes.cursor.value);
    return { applied: true, result: changes.result };
  }

  lease(
    tenantId: string,
    queue: string,
    now: number,
    leaseMs: number,
    limit: number,
  ): ModelEntry[] {
    const state = this.tenant(tenantId);
    const due = state.outbox
      .filter((e) => e.queue === queue && e.nextAttemptAt <= now && e.leaseUntil <= now)
      .sort((a, b) =>
        a.urgent !== b.urgent ? (a.urgent ? -1 : 1) : a.seenAt - b.seenAt || a.uid - b.uid,
      )
      .slice(0, Math.max(limit, 0));
    for (const e of due) e.leaseUntil = now + leaseMs;
    return due;
  }

  ack(tenantId: string, uid: number, generation: number, published?: readonly PublishedValue[]) {
    const state = this.tenant(tenantId);
    const at = state.outbox.findIndex((e) => e.uid === uid);
    const entry = state.outbox[at];
    if (entry !== undefined) {
      if (entry.generation === generation) state.outbox.splice(at, 1);
      else entry.leaseUntil = Number.NEGATIVE_INFINITY;
    }
    this.#publish(state, published);
  }

  nack(
    tenantId: string,
    uid: number,
    generation: number,
    nack: {
      readonly nextAttemptAt: number;
      readonly countAttempt: boolean;
      readonly payload: unknown;
      readonly published: readonly PublishedValue[];
    },
  ): void {
    const state = this.tenant(tenantId);
    this.#publish(state, nack.published);
    const entry = state.outbox.find((e) => e.uid === uid);
    if (entry === undefined) return;
    entry.leaseUntil = Number.NEGATIVE_INFINITY;
    if (entry.generation !== generation) return;
    if (nack.payload !== undefined) entry.payload = nack.payload;
    entry.nextAttemptAt = nack.nextAttemptAt;
    if (nack.countAttempt) entry.attempts += 1;
  }

  park(tenantId: string, uid: number, generation: number, reason: string, at: number): void {
    const state = this.tenant(tenantId);
    const index = state.outbox.findIndex((e) => e.uid === uid);
    const entry = state.outbox[index];
    if (entry === undefined) return;
    if (entry.generation !== generation) {
      entry.leaseUntil = Number.NEGATIVE_INFINITY;
      return;
    }
    state.outbox.splice(index, 1);
    state.parked.push({
      queue: entry.queue,
      key: entry.key,
      payload: entry.payload,
      urgent: entry.urgent,
      attempts: entry.attempts,
      seenAt: entry.seenAt,
      reason,
      parkedAt: at,
    });
  }

  /** The parked updates, oldest first (parking order among equal times). */
  parked(tenantId: string): ModelParked[] {
    return [...this.tenant(tenantId).parked].sort((a, b) => a.parkedAt - b.parkedAt);
  }

  /** Unparks the parked updates at these positions of {@link StoreModel.parked}. */
  unpark(tenantId: string, picks: readonly number[], now: number): number {
    const state = this.tenant(tenantId);
    const listed = this.parked(tenantId);
    const chosen = listed.filter((_, i) => picks.includes(i));
    // Of several chosen for one queue and key, the one parked last is the newest value.
    const newest = new Map(chosen.map((p) => [`${p.queue}\u0000${p.key}`, p]));
    let back = 0;
    for (const parked of chosen) {
      state.parked.splice(state.parked.indexOf(parked), 1);
      if (newest.get(`${parked.queue}\u0000${parked.key}`) !== parked) continue;
      if (state.outbox.some((e) => e.queue === parked.queue && e.key === parked.key)) continue;
      this.#write(state, { ...parked, dueAt: now });
      back += 1;
    }
    return back;
  }

  positions(tenantId: string): Position[] {
    return [...this.tenant(tenantId).positions.values()];
  }

  listings(tenantId: string): Map<string, ListingState> {
    return new Map(this.tenant(tenantId).listings);
  }

  /** The held orders, oldest hold first, then by order key. */
  heldOrders(tenantId: string): HeldOrder[] {
    return [...this.tenant(tenantId).orders]
      .filter((entry): entry is [string, HeldOrder] => entry[1].hold !== undefined)
      .sort(([a, x], [b, y]) => x.hold.heldAt - y.hold.heldAt || (a < b ? -1 : a > b ? 1 : 0))
      .map(([, order]) => order);
  }

  cursor(tenantId: string, name: string): string | undefined {
    return this.tenant(tenantId).cursors.get(name);
  }

  outboxSize(tenantId: string): Map<string, number> {
    const sizes = new Map<string, number>();
    for (const e of this.tenant(tenantId).outbox) sizes.set(e.queue, (sizes.get(e.queue) ?? 0) + 1);
    return sizes;
  }

  #write(
    state: ModelTenant,
    write: {
      readonly queue: string;
      readonly key: string;
      readonly payload: unknown;
      readonly urgent: boolean;
      readonly dueAt: number;
      readonly seenAt: number;
    },
  ): void {
    const existing = state.outbox.find((e) => e.queue === write.queue && e.key === write.key);
    if (existing !== undefined) {
      existing.payload = write.payload;
      existing.urgent = write.urgent;
      existing.nextAttemptAt = write.dueAt;
      existing.seenAt = Math.min(existing.seenAt, write.seenAt);
      existing.generation += 1;
      existing.attempts = 0;
      return;
    }
    this.#lastUid += 1;
    state.outbox.push({
      uid: this.#lastUid,
      queue: write.queue,
      key: write.key,
      payload: write.payload,
      urgent: write.urgent,
      generation: 1,
      attempts: 0,
      nextAttemptAt: write.dueAt,
      seenAt: write.seenAt,
      leaseUntil: Number.NEGATIVE_INFINITY,
    });
  }

  #publish(state: ModelTenant, published: readonly PublishedValue[] = []): void {
    for (const { key, quantity } of published) {
      const before = state.listings.get(key);
      state.listings.set(key, { ...before, published: quantity, planned: before?.planned });
    }
  }
}

function pick<V>(source: ReadonlyMap<string, V>, keys: readonly string[]): Map<string, V> {
  const picked = new Map<string, V>();
  for (const key of keys) {
    const value = source.get(key);
    if (value !== undefined) picked.set(key, value);
  }
  return picked;
}
