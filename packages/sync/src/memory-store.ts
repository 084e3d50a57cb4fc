import { OmnistockError, type Position, positionKey } from "@omnistock/core";
import {
  type ApplyOutcome,
  type ApplyUnit,
  type HeldOrder,
  type LeaseRenewal,
  type LeaseRequest,
  type ListingState,
  type OrderRecord,
  type OutboxAck,
  type OutboxEntry,
  type OutboxNack,
  type OutboxPark,
  type OutboxWrite,
  orderKey,
  type ParkedEntry,
  type PublishedValue,
  type SyncStore,
} from "./store.js";

/** An outbox entry as the memory store keeps it, with its lease. */
interface StoredEntry {
  readonly id: string;
  readonly queue: string;
  readonly key: string;
  payload: unknown;
  urgent: boolean;
  generation: number;
  attempts: number;
  nextAttemptAt: number;
  seenAt: number;
  leaseOwner: string | undefined;
  /** The lease is live while `now < leaseUntil`. */
  leaseUntil: number;
}

/** Everything the memory store keeps for one tenant. */
interface TenantState {
  readonly deliveries: Set<string>;
  readonly events: Set<string>;
  readonly positions: Map<string, Position>;
  readonly listings: Map<string, ListingState>;
  readonly orders: Map<string, OrderRecord>;
  readonly cursors: Map<string, string>;
  /** Outbox entries by id. */
  readonly outbox: Map<string, StoredEntry>;
  /** Outbox entry ids by queue and key (the coalescing index). */
  readonly byQueueKey: Map<string, string>;
  /** Parked entries by id. */
  readonly parked: Map<string, ParkedEntry>;
}

/**
 * Creates the in-process {@link SyncStore}: the default store for tests, examples and a
 * process that may lose its state on restart (it keeps nothing on disk).
 *
 * It behaves like a durable store in every way the contract can see: every value written
 * is copied through JSON and deep-frozen, exactly as a store that keeps JSON text would
 * give it back (a `Date` comes back as a string, an `undefined` property is left out),
 * and every value handed out is one of those frozen copies, so nothing a caller does to a
 * value changes what is stored. Each method runs to completion in one turn of the event
 * loop, which makes every call atomic; `apply` writes nothing until `compute` has
 * returned and every value has been copied.
 *
 * After {@link SyncStore.close} every call rejects with an {@link OmnistockError} of code
 * `STORAGE`, as a durable store's closed connection does.
 *
 * Note: entry ids are unique in the store, and an entry put back by
 * {@link SyncStore.unpark} gets a new id, so an ack of the entry from before it was parked
 * cannot touch it.
 *
 * @example
 * ```ts
 * const store = createMemoryStore();
 * await store.apply("acme", {
 *   eventIds: ["sale-1"], positionKeys: [], listingKeys: [], orderKeys: [],
 *   compute: ({ fresh }) => ({ result: fresh.length }),
 * }); // { applied: true, result: 1 }
 * ```
 */
export function createMemoryStore(): SyncStore {
  const tenants = new Map<string, TenantState>();
  let lastId = 0;
  let closed = false;

  function live(): Map<string, TenantState> {
    if (closed) throw new OmnistockError("STORAGE", "The memory store is closed");
    return tenants;
  }

  function tenant(tenantId: string): TenantState {
    let state = live().get(tenantId);
    if (state === undefined) {
      state = {
        deliveries: new Set(),
        events: new Set(),
        positions: new Map(),
        listings: new Map(),
        orders: new Map(),
        cursors: new Map(),
        outbox: new Map(),
        byQueueKey: new Map(),
        parked: new Map(),
      };
      tenants.set(tenantId, state);
    }
    return state;
  }

  function nextId(): string {
    lastId += 1;
    return String(lastId);
  }

  function toEntry(tenantId: string, stored: StoredEntry): OutboxEntry {
    return Object.freeze({
      tenantId,
      id: stored.id,
      queue: stored.queue,
      key: stored.key,
      payload: stored.payload,
      urgent: stored.urgent,
      generation: stored.generation,
      attempts: stored.attempts,
      nextAttemptAt: stored.nextAttemptAt,
      seenAt: stored.seenAt,
    });
  }

  function writeOutbox(state: TenantState, write: OutboxWrite): void {
    const slot = queueKey(write.queue, write.key);
    const existingId = state.byQueueKey.get(slot);
    const existing = existingId === undefined ? undefined : state.outbox.get(existingId);
    if (existing !== undefined) {
      // The lease stays: the worker holding it finds the generation changed on ack.
      existing.payload = write.payload;
      existing.urgent = write.urgent;
      existing.nextAttemptAt = write.dueAt;
      existing.seenAt = Math.min(existing.seenAt, write.seenAt);
      existing.generation += 1;
      existing.attempts = 0;
      return;
    }
    const id = nextId();
    state.outbox.set(id, {
      id,
      queue: write.queue,
      key: write.key,
      payload: write.payload,
      urgent: write.urgent,
      generation: 1,
      attempts: 0,
      nextAttemptAt: write.dueAt,
      seenAt: write.seenAt,
      leaseOwner: undefined,
      leaseUntil: Number.NEGATIVE_INFINITY,
    });
    state.byQueueKey.set(slot, id);
  }

  function removeEntry(state: TenantState, stored: StoredEntry): void {
    state.outbox.delete(stored.id);
    state.byQueueKey.delete(queueKey(stored.queue, stored.key));
  }

  /** Sets the published value of listings, keeping the rest of their state. */
  function writePublished(state: TenantState, published: readonly PublishedValue[] = []): void {
    for (const { key, quantity } of published) {
      const before = state.listings.get(key);
      state.listings.set(
        key,
        frozenCopy({ ...before, published: quantity, planned: before?.planned }),
      );
    }
  }

  function release(stored: StoredEntry): void {
    stored.leaseOwner = undefined;
    stored.leaseUntil = Number.NEGATIVE_INFINITY;
  }

  return {
    async apply<R>(tenantId: string, unit: ApplyUnit<R>): Promise<ApplyOutcome<R>> {
      const state = tenant(tenantId);
      if (unit.deliveryId !== undefined && state.deliveries.has(unit.deliveryId)) {
        return { applied: false };
      }
      const fresh: string[] = [];
      const seenInUnit = new Set<string>();
      for (const id of unit.eventIds) {
        if (state.events.has(id) || seenInUnit.has(id)) continue;
        seenInUnit.add(id);
        fresh.push(id);
      }
      const changes = unit.compute({
        fresh: Object.freeze(fresh.slice()),
        positions: pick(state.positions, unit.positionKeys),
        listings: pick(state.listings, unit.listingKeys),
        orders: pick(state.orders, unit.orderKeys),
      });
      // Copy everything before writing anything, so a value JSON cannot carry fails the
      // call with nothing stored.
      const positions = (changes.positions ?? []).map((p) => frozenCopy(p));
      const listings = (changes.listings ?? []).map((l) => ({
        key: l.key,
        state: frozenCopy(l.state),
      }));
      const orders = (changes.orders ?? []).map((o) => frozenCopy(o));
      const outbox = (changes.outbox ?? []).map((w) => ({ ...w, payload: frozenCopy(w.payload) }));
      const cursor = changes.cursor === undefined ? undefined : { ...changes.cursor };

      if (unit.deliveryId !== undefined) state.deliveries.add(unit.deliveryId);
      for (const id of fresh) state.events.add(id);
      for (const p of positions) state.positions.set(positionKey(p.sku, p.locationId), p);
      for (const l of listings) state.listings.set(l.key, l.state);
      for (const o of orders) state.orders.set(orderKey(o.channelId, o.orderId), o);
      for (const w of outbox) writeOutbox(state, w);
      if (cursor !== undefined) state.cursors.set(cursor.name, cursor.value);
      return { applied: true, result: changes.result };
    },

    async lease(request: LeaseRequest): Promise<readonly OutboxEntry[]> {
      const state = live().get(request.tenantId);
      if (state === undefined || request.limit <= 0) return [];
      const due: StoredEntry[] = [];
      for (const stored of state.outbox.values()) {
        if (stored.queue !== request.queue) continue;
        if (stored.nextAttemptAt > request.now || stored.leaseUntil > request.now) continue;
        due.push(stored);
      }
      due.sort(leaseOrder);
      const taken = due.slice(0, request.limit);
      for (const stored of taken) {
        stored.leaseOwner = request.owner;
        stored.leaseUntil = request.now + request.leaseMs;
      }
      return Object.freeze(taken.map((stored) => toEntry(request.tenantId, stored)));
    },

    async renew(renewal: LeaseRenewal): Promise<readonly string[]> {
      const state = live().get(renewal.tenantId);
      if (state === undefined) return [];
      const renewed: string[] = [];
      for (const id of renewal.ids) {
        const stored = state.outbox.get(id);
        if (stored?.leaseOwner !== renewal.owner || stored.leaseUntil <= renewal.now) continue;
        stored.leaseUntil = renewal.now + renewal.leaseMs;
        renewed.push(id);
      }
      return renewed;
    },

    async ack(acks: readonly OutboxAck[]): Promise<void> {
      for (const a of acks) {
        const state = tenant(a.entry.tenantId);
        const stored = state.outbox.get(a.entry.id);
        if (stored !== undefined) {
          if (stored.generation === a.entry.generation) removeEntry(state, stored);
          else release(stored);
        }
        writePublished(state, a.published);
      }
    },

    async nack(nack: OutboxNack): Promise<void> {
      const state = tenant(nack.entry.tenantId);
      writePublished(state, nack.published);
      const stored = state.outbox.get(nack.entry.id);
      if (stored === undefined) return;
      release(stored);
      if (stored.generation !== nack.entry.generation) return;
      if (nack.payload !== undefined) stored.payload = frozenCopy(nack.payload);
      stored.nextAttemptAt = nack.nextAttemptAt;
      if (nack.countAttempt ?? true) stored.attempts += 1;
    },

    async park(park: OutboxPark): Promise<void> {
      const state = live().get(park.entry.tenantId);
      const stored = state?.outbox.get(park.entry.id);
      if (state === undefined || stored === undefined) return;
      if (stored.generation !== park.entry.generation) {
        release(stored);
        return;
      }
      removeEntry(state, stored);
      state.parked.set(
        stored.id,
        Object.freeze({
          tenantId: park.entry.tenantId,
          id: stored.id,
          queue: stored.queue,
          key: stored.key,
          payload: stored.payload,
          urgent: stored.urgent,
          attempts: stored.attempts,
          seenAt: stored.seenAt,
          reason: park.reason,
          parkedAt: park.at,
        }),
      );
    },

    async parked(tenantId: string): Promise<readonly ParkedEntry[]> {
      const state = live().get(tenantId);
      if (state === undefined) return [];
      return Object.freeze([...state.parked.values()].sort(parkedOrder));
    },

    async unpark(tenantId: string, ids: readonly string[], now: number): Promise<number> {
      const state = live().get(tenantId);
      if (state === undefined) return 0;
      const wanted = new Set(ids);
      const chosen = [...state.parked.values()]
        .filter((entry) => wanted.has(entry.id))
        .sort(parkedOrder);
      // Of several chosen for one queue and key, the one parked last is the newest value.
      const newest = new Map(chosen.map((entry) => [queueKey(entry.queue, entry.key), entry]));
      let back = 0;
      for (const entry of chosen) {
        state.parked.delete(entry.id);
        const slot = queueKey(entry.queue, entry.key);
        if (newest.get(slot) !== entry || state.byQueueKey.has(slot)) continue;
        writeOutbox(state, {
          queue: entry.queue,
          key: entry.key,
          payload: entry.payload,
          urgent: entry.urgent,
          dueAt: now,
          seenAt: entry.seenAt,
        });
        back += 1;
      }
      return back;
    },

    async cursor(tenantId: string, name: string): Promise<string | undefined> {
      return live().get(tenantId)?.cursors.get(name);
    },

    async positions(tenantId: string): Promise<readonly Position[]> {
      const state = live().get(tenantId);
      if (state === undefined) return [];
      return Object.freeze([...sortedByKey(state.positions).values()]);
    },

    async listings(tenantId: string): Promise<ReadonlyMap<string, ListingState>> {
      const state = live().get(tenantId);
      return state === undefined ? new Map() : sortedByKey(state.listings);
    },

    async heldOrders(tenantId: string): Promise<readonly HeldOrder[]> {
      const state = live().get(tenantId);
      if (state === undefined) return [];
      const held: HeldOrder[] = [];
      for (const order of sortedByKey(state.orders).values())
        if (order.hold !== undefined) held.push(order as HeldOrder);
      return Object.freeze(held.sort((a, b) => a.hold.heldAt - b.hold.heldAt));
    },

    async outboxSize(tenantId: string): Promise<ReadonlyMap<string, number>> {
      const sizes = new Map<string, number>();
      const state = live().get(tenantId);
      if (state === undefined) return sizes;
      for (const stored of state.outbox.values()) {
        sizes.set(stored.queue, (sizes.get(stored.queue) ?? 0) + 1);
      }
      return sortedByKey(sizes);
    },

    async close(): Promise<void> {
      closed = true;
      tenants.clear();
    },
  };
}

/** A JSON copy of `value`, deep-frozen: what a store that keeps JSON text gives back. */
function frozenCopy<T>(value: T): T {
  if (value === undefined) return value;
  return deepFreeze(JSON.parse(JSON.stringify(value))) as T;
}

/** Freezes a parsed JSON value and everything in it (a JSON value has no cycles). */
function deepFreeze(value: unknown): unknown {
  if (typeof value !== "object" || value === null) return value;
  if (Array.isArray(value)) {
    for (const item of value) deepFreeze(item);
  } else {
    for (const key in value) deepFreeze((value as Record<string, unknown>)[key]);
  }
  return Object.freeze(value);
}

function queueKey(queue: string, key: string): string {
  return `${queue}\u0000${key}`;
}

function pick<V>(source: ReadonlyMap<string, V>, keys: readonly string[]): ReadonlyMap<string, V> {
  const picked = new Map<string, V>();
  for (const key of keys) {
    const value = source.get(key);
    if (value !== undefined) picked.set(key, value);
  }
  return picked;
}

function sortedByKey<V>(source: ReadonlyMap<string, V>): Map<string, V> {
  return new Map([...source].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** Urgent first, then the change seen first, then the entry written first. */
function leaseOrder(a: StoredEntry, b: StoredEntry): number {
  if (a.urgent !== b.urgent) return a.urgent ? -1 : 1;
  if (a.seenAt !== b.seenAt) return a.seenAt - b.seenAt;
  return Number(a.id) - Number(b.id);
}

/** Oldest first; the sort is stable, so equal times keep the order of parking. */
function parkedOrder(a: ParkedEntry, b: ParkedEntry): number {
  return a.parkedAt - b.parkedAt;
}
