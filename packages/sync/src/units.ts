import {
  type Assignment,
  allocate,
  applyEvent,
  availableAt,
  type Catalog,
  type ChannelLevel,
  type ChannelOrder,
  type CompiledChannel,
  type CompiledListing,
  emptyPosition,
  expandListingLines,
  isOmnistockError,
  type ListingRef,
  listingKey,
  type OmnistockError,
  type Position,
  plan,
  positionKey,
  type ReturnToRecord,
  reallocate,
  refOfSlot,
  routeOrder,
  routingCandidates,
  type SaleToRecord,
  type SkuQuantity,
  type SlotQuantity,
  type StockEvent,
  type StockEventOf,
  StockLevels,
} from "@omnistock/core";
import {
  type ApplyUnit,
  type ApplyView,
  type ListingState,
  type OrderRecord,
  type OutboxWrite,
  orderKey,
} from "./store.js";

/** The queue of sales orders for the system of record. */
export const SALES_QUEUE = "sales";

/** The payload of a channel quantity update in the outbox. */
export interface QuantityPayload {
  readonly ref: ListingRef;
  readonly quantity: number;
  /** Set once the channel accepted the write but applies it later: what to confirm. */
  readonly receipt?: string;
}

/** The payload of a sales-order task in the outbox. */
export type SalePayload =
  | { readonly action: "record"; readonly sale: SaleToRecord }
  | { readonly action: "void"; readonly channelId: string; readonly orderId: string }
  | { readonly action: "return"; readonly return: ReturnToRecord };

/**
 * The id the ledger keeps a channel order's commitment under, and the reference the
 * system of record stores with its sale (`channel:order`): a POS sale that carries it as
 * `orderRef` turns the commitment into a sale.
 */
export function orderReference(channelId: string, orderId: string): string {
  return `${channelId}:${orderId}`;
}

/** A channel level as a webhook announced it. */
export type AnnouncedLevel = ChannelLevel & { readonly channelId: string };

/** What to apply in one unit. */
export interface UnitInput {
  readonly deliveryId?: string;
  readonly events: readonly StockEvent[];
  readonly orders: readonly ChannelOrder[];
  readonly levels: readonly AnnouncedLevel[];
  readonly cursor?: { readonly name: string; readonly value: string };
  /** When the change was first seen (for latency). */
  readonly seenAt: number;
  /** The time of the apply (reservations lapse by it). */
  readonly now: number;
}

/** What one input of a unit did. */
export interface InputResult {
  /** `false` when its delivery had been applied before: nothing of it was. */
  readonly applied: boolean;
  /** Events and orders applied for the first time. */
  readonly events: number;
  /** Events and orders dropped as applied before. */
  readonly duplicates: number;
}

/** What one applied unit did. */
export interface UnitResult {
  /** One result per input, in order. */
  readonly inputs: readonly InputResult[];
  readonly applied: number;
  readonly duplicates: number;
  readonly planned: number;
  readonly queues: ReadonlySet<string>;
  readonly oversells: readonly {
    readonly channelId: string;
    readonly orderId: string;
    readonly unfilled: readonly SkuQuantity[];
  }[];
  readonly echoes: readonly { readonly ref: ListingRef; readonly quantity: number }[];
  readonly drifts: readonly {
    readonly ref: ListingRef;
    readonly shown: number;
    readonly planned: number | undefined;
  }[];
}

/** What a unit needs to know of its tenant. */
export interface UnitContext {
  readonly catalog: Catalog;
  /** The channels that have a publisher: only their updates go to the outbox. */
  readonly publishing: ReadonlySet<string>;
  /** Whether routed orders become sales-order tasks (a sales-order sink is configured). */
  readonly recordsSales: boolean;
}

/** A unit, with the problems found while building it (orders that could not be mapped). */
export interface BuiltUnit {
  readonly unit: ApplyUnit<UnitResult>;
  /** Each with the index of the input it came from. */
  readonly problems: readonly { readonly input: number; readonly error: OmnistockError }[];
}

/** The SKUs an event moves. */
export function skusOfEvent(event: StockEvent): string[] {
  return "lines" in event ? event.lines.map((line) => line.sku) : [event.sku];
}

/**
 * The locations that may fulfil a channel's order, best first. A channel whose feed has
 * no locations of its own (single, sum, dedicated) routes every order the same way,
 * whatever location the channel itself names.
 */
function candidatesOf(catalog: Catalog, order: ChannelOrder): string[] {
  return routingCandidates(
    catalog,
    order.channelId,
    hasChannelLocations(catalog, order.channelId) ? order.channelLocationId : undefined,
  );
}

/** Whether a channel's feed publishes per location of its own (`location`, `zones`). */
function hasChannelLocations(catalog: Catalog, channelId: string): boolean {
  const ci = catalog.channelIndex.get(channelId);
  const channel = ci === undefined ? undefined : catalog.channels[ci];
  return (
    channel?.slots.some((s) => catalog.channelSlots[s]?.channelLocationId !== undefined) ?? false
  );
}

/** Every ref of a listing (one per channel slot). */
function listingRefsOf(catalog: Catalog, li: number): ListingRef[] {
  const listing = catalog.listings[li] as CompiledListing;
  const slots = (catalog.channels[listing.channelIndex] as CompiledChannel).slots.length;
  const refs: ListingRef[] = [];
  for (let k = 0; k < slots; k++) refs.push(refOfSlot(catalog, listing.firstSlot + k));
  return refs;
}

/** Every listing state key of a listing (one per channel slot). */
function listingKeysOf(catalog: Catalog, li: number): string[] {
  return listingRefsOf(catalog, li).map(listingKey);
}

/** One input, with its orders resolved against the catalog. */
interface UnitPart {
  readonly input: UnitInput;
  readonly orders: readonly { order: ChannelOrder; demand: SkuQuantity[] }[];
  readonly levels: readonly AnnouncedLevel[];
}

/** The id under which a delivery is recorded among the event ids, so that a redelivery is dropped whole. */
const deliveryKey = (deliveryId: string) => `delivery:${deliveryId}`;

/**
 * Builds the unit that applies stock events, channel orders and announced levels — of
 * one input, or of several at once (one transaction for many webhooks): it names every
 * position (each SKU concerned, and every component of the listings that use it, at every
 * location), listing state and order the computation reads, and computes — inside the
 * store's transaction — the ledger, the routing of new orders, the recompute of the
 * touched listings, the plan and its outbox entries. A delivery seen before is dropped
 * whole; the cursor of the last input that has one is advanced.
 */
export function buildUnit(context: UnitContext, inputs: readonly UnitInput[]): BuiltUnit {
  const { catalog } = context;
  const problems: { input: number; error: OmnistockError }[] = [];
  const skus = new Set<string>();
  const listingKeys = new Set<string>();
  const eventIds: string[] = [];
  const orderKeys: string[] = [];
  const parts: UnitPart[] = inputs.map((input, index) => {
    if (input.deliveryId !== undefined) eventIds.push(deliveryKey(input.deliveryId));
    for (const event of input.events) {
      eventIds.push(event.id);
      for (const sku of skusOfEvent(event)) skus.add(sku);
    }
    const orders: { order: ChannelOrder; demand: SkuQuantity[] }[] = [];
    for (const order of input.orders) {
      if (order.fulfilledByChannel === true) continue;
      try {
        const demand = expandListingLines(catalog, order.channelId, order.lines);
        candidatesOf(catalog, order);
        for (const line of demand) skus.add(line.sku);
        orders.push({ order, demand });
        eventIds.push(order.eventId);
        orderKeys.push(orderKey(order.channelId, order.orderId));
      } catch (error) {
        if (!isOmnistockError(error)) throw error;
        problems.push({ input: index, error });
      }
    }
    // A level a channel names by its own location, on a channel fed as a whole, is the channel's.
    const levels = input.levels.map((level) =>
      hasChannelLocations(catalog, level.channelId)
        ? level
        : { channelId: level.channelId, listingId: level.listingId, quantity: level.quantity },
    );
    for (const level of levels) listingKeys.add(listingKey(level));
    return { input, orders, levels };
  });

  const listings = new Set<number>();
  for (const sku of skus) for (const li of catalog.listingsBySku.get(sku) ?? []) listings.add(li);
  const allocationSkus = new Set(skus);
  for (const li of listings)
    for (const c of (catalog.listings[li] as CompiledListing).components) allocationSkus.add(c.sku);

  const positionKeys: string[] = [];
  for (const sku of allocationSkus)
    for (const location of catalog.locations) positionKeys.push(positionKey(sku, location.id));
  for (const li of listings) for (const key of listingKeysOf(catalog, li)) listingKeys.add(key);

  return {
    problems,
    unit: {
      eventIds,
      positionKeys,
      listingKeys: [...listingKeys],
      orderKeys,
      compute: (view) => computeUnit(context, parts, view),
    },
  };
}

function computeUnit(context: UnitContext, parts: readonly UnitPart[], view: ApplyView) {
  const { catalog } = context;
  const fresh = new Set(view.fresh);
  // Inputs whose delivery was applied before take no part.
  const live = parts.filter(
    (p) => p.input.deliveryId === undefined || fresh.has(deliveryKey(p.input.deliveryId)),
  );
  const now = Math.max(...parts.map((p) => p.input.now));
  const seenAt = Math.min(...(live.length > 0 ? live : parts).map((p) => p.input.seenAt));
  const counts = new Map<UnitPart, { events: number; duplicates: number }>(
    parts.map((p) => [p, { events: 0, duplicates: 0 }]),
  );
  const positions = new Map(view.positions);
  const changed = new Map<string, Position>();
  const touched = new Set<string>();
  let applied = 0;
  const apply = (event: StockEvent) => {
    const result = applyEvent(positions, event);
    result.positions.forEach((position, i) => {
      const key = result.touched[i] as string;
      positions.set(key, position);
      changed.set(key, position);
      touched.add(position.sku);
    });
  };
  for (const part of live) {
    const count = counts.get(part) as { events: number; duplicates: number };
    for (const event of part.input.events) {
      if (!fresh.has(event.id)) {
        count.duplicates++;
        continue;
      }
      count.events++;
      applied++;
      if (
        event.type === "stock.counted" &&
        outdated(positions.get(positionKey(event.sku, event.locationId)), event)
      )
        continue;
      apply(event);
    }
  }

  const records = new Map(view.orders);
  /** Listing state keys to write again whatever the plan says (see refunds below). */
  const rewrite = new Map<string, ListingRef>();
  const recordWrites = new Map<string, OrderRecord>();
  const outbox: OutboxWrite[] = [];
  const queues = new Set<string>();
  const oversells: UnitResult["oversells"][number][] = [];
  /**
   * A sales-order task for the system of record; a later one for the same part replaces it
   * (a void, a sale not yet recorded). A return has a key of its own: it replaces nothing.
   */
  const saleTask = (channelId: string, orderId: string, payload: SalePayload) => {
    if (!context.recordsSales) return;
    const key = orderReference(channelId, orderId);
    outbox.push({
      queue: SALES_QUEUE,
      key: payload.action === "return" ? `${key}:return:${payload.return.returnId}` : key,
      payload,
      urgent: false,
      dueAt: now,
      seenAt,
    });
    queues.add(SALES_QUEUE);
  };
  const available = (sku: string, locationId: string) =>
    availableAt(positions.get(positionKey(sku, locationId)) ?? emptyPosition(sku, locationId), now);

  /** Applies one channel order change to its record (and its stock, and its sales tasks). */
  const take = (order: ChannelOrder, demand: SkuQuantity[]): void => {
    const key = orderKey(order.channelId, order.orderId);
    const record = records.get(key);
    const write = (next: OrderRecord) => {
      records.set(key, next);
      recordWrites.set(key, next);
    };
    if (order.status === "placed") {
      if (record !== undefined && record.early === undefined) return;
      const candidates = candidatesOf(catalog, order);
      const routing = routeOrder({ lines: demand, candidates, available });
      const assignments: Assignment[] = [...routing.assignments];
      if (routing.unfilled.length > 0) {
        // The channel sold these units already: commit them where they would have come
        // from, so every other channel drops to what is really left.
        const first = candidates[0] as string;
        for (const line of routing.unfilled) assignments.push({ ...line, locationId: first });
        oversells.push({
          channelId: order.channelId,
          orderId: order.orderId,
          unfilled: routing.unfilled,
        });
      }
      const next: OrderRecord = {
        channelId: order.channelId,
        orderId: order.orderId,
        lines: assignments,
        status: "placed",
      };
      write(next);
      partsOf(next).forEach((part, k) => {
        apply({
          type: "order.placed",
          id: k === 0 ? order.eventId : `${order.eventId}#${k}`,
          at: order.at,
          channelId: order.channelId,
          orderId: orderReference(order.channelId, part.orderId),
          lines: part.lines,
        });
        saleTask(order.channelId, part.orderId, {
          action: "record",
          sale: {
            orderId: part.orderId,
            channelId: order.channelId,
            locationId: part.locationId,
            lines: part.lines.map(({ sku, quantity }) => ({ sku, quantity })),
          },
        });
      });
      for (const change of record?.early ?? [])
        take(change, expandListingLines(catalog, change.channelId, change.lines));
      return;
    }
    if (record === undefined || record.early !== undefined) {
      // A change reported before its order. A cancellation means the late "placed" is not
      // taken at all; a refund or a fulfilment waits for it and is applied right after.
      const early = record?.early ?? [];
      write({
        channelId: order.channelId,
        orderId: order.orderId,
        lines: [],
        status: order.status,
        ...(order.status === "cancelled" ? {} : { early: [...early, order] }),
      });
      return;
    }
    if (order.status === "cancelled" && record.status === "placed") {
      partsOf(record).forEach((part, k) => {
        apply({
          type: "order.cancelled",
          id: k === 0 ? order.eventId : `${order.eventId}#${k}`,
          at: order.at,
          channelId: order.channelId,
          orderId: orderReference(order.channelId, part.orderId),
          lines: part.lines,
        });
        saleTask(order.channelId, part.orderId, {
          action: "void",
          channelId: order.channelId,
          orderId: part.orderId,
        });
      });
      write({ ...record, status: "cancelled" });
    } else if (order.status === "refunded" && record.status !== "cancelled") {
      // Refund lines are by listing: release the SKUs they stand for, part by part.
      const refunded = new Map(demand.map((d) => [d.sku, d.quantity]));
      const restock = order.lines.some((l) => l.restock === true);
      // The channel puts restocked units back on sale itself; its level webhook may come
      // before the answer to a write of ours and look like that write's echo. Write the
      // intended number again after the refund, so that the channel never keeps them.
      if (restock) {
        const ci = context.catalog.channelIndex.get(order.channelId);
        for (const line of order.lines) {
          const li =
            ci === undefined ? undefined : context.catalog.listingIndex[ci]?.get(line.listingId);
          if (li === undefined) continue;
          for (const ref of listingRefsOf(context.catalog, li)) rewrite.set(listingKey(ref), ref);
        }
      }
      partsOf(record).forEach((part, k) => {
        const lines = part.lines.flatMap((line) => {
          const quantity = Math.min(line.quantity, refunded.get(line.sku) ?? 0);
          if (quantity <= 0) return [];
          refunded.set(line.sku, (refunded.get(line.sku) ?? 0) - quantity);
          return [{ ...line, quantity, restock }];
        });
        if (lines.length === 0) return;
        apply({
          type: "order.refunded",
          id: `${order.eventId}#${k}`,
          at: order.at,
          channelId: order.channelId,
          orderId: orderReference(order.channelId, part.orderId),
          lines,
        });
        // The units back on the shelf go back into the system of record's stock, at the
        // location the part was sold from; its return webhook then restocks them here.
        if (restock)
          saleTask(order.channelId, part.orderId, {
            action: "return",
            return: {
              orderId: part.orderId,
              channelId: order.channelId,
              returnId: order.eventId,
              locationId: part.locationId,
              lines: lines.map(({ sku, quantity }) => ({ sku, quantity })),
            },
          });
      });
      write({ ...record, status: "refunded" });
    } else if (order.status === "fulfilled" && record.status === "placed") {
      write({ ...record, status: "fulfilled" });
    }
  };

  for (const { part, order, demand } of live.flatMap((part) =>
    part.orders.map((o) => ({ part, ...o })),
  )) {
    const count = counts.get(part) as { events: number; duplicates: number };
    if (!fresh.has(order.eventId)) {
      count.duplicates++;
      continue;
    }
    count.events++;
    applied++;
    take(order, demand);
  }

  const states = new Map(view.listings);
  const stateWrites = new Map<string, ListingState>();
  const setState = (key: string, state: ListingState) => {
    states.set(key, state);
    stateWrites.set(key, state);
  };
  const intended = (key: string) => {
    const state = states.get(key);
    return state?.planned ?? state?.published;
  };

  let planned = 0;
  if (touched.size > 0) {
    const stock = StockLevels.fromPositions(
      catalog.locations.map((l) => l.id),
      positions.values(),
      now,
    );
    const lines: SlotQuantity[] = reallocate(catalog, stock, touched);
    for (const update of plan(catalog, lines, (ref) => intended(listingKey(ref)))) {
      if (!context.publishing.has(update.channelId)) continue;
      const key = listingKey(update);
      setState(key, { published: states.get(key)?.published, planned: update.quantity });
      outbox.push(quantityWrite(update, update.quantity, update.urgent, now, seenAt));
      queues.add(update.channelId);
      planned++;
    }
  }

  const written = new Set(outbox.map((entry) => entry.key));
  for (const [key, ref] of rewrite) {
    const state = states.get(key);
    const target = intended(key);
    if (written.has(key) || state === undefined || target === undefined) continue;
    if (!context.publishing.has(ref.channelId)) continue;
    setState(key, { published: state.published, planned: target });
    outbox.push(quantityWrite(ref, target, false, now, seenAt));
    queues.add(ref.channelId);
    planned++;
  }

  const echoes: { ref: ListingRef; quantity: number }[] = [];
  const drifts: { ref: ListingRef; shown: number; planned: number | undefined }[] = [];
  for (const level of live.flatMap((part) => part.levels)) {
    const ref = refOf(level);
    const key = listingKey(ref);
    const state = states.get(key);
    if (state === undefined) continue;
    if (level.quantity === state.published || level.quantity === state.planned) {
      echoes.push({ ref, quantity: level.quantity });
      continue;
    }
    const target = intended(key);
    drifts.push({ ref, shown: level.quantity, planned: target });
    setState(key, { published: level.quantity, planned: target });
    // A channel showing more than planned can sell units that are not there: set it back
    // at once. Showing fewer is left for the next change (or reconciliation) to correct.
    if (target !== undefined && level.quantity > target) {
      outbox.push(quantityWrite(ref, target, true, now, seenAt));
      queues.add(ref.channelId);
      planned++;
    }
  }

  const cursor = parts.findLast((p) => p.input.cursor !== undefined)?.input.cursor;
  return {
    positions: [...changed.values()],
    listings: [...stateWrites].map(([key, state]) => ({ key, state })),
    orders: [...recordWrites.values()],
    outbox,
    ...(cursor === undefined ? {} : { cursor }),
    result: {
      inputs: parts.map((part) => {
        const count = counts.get(part) as { events: number; duplicates: number };
        return { applied: live.includes(part), ...count };
      }),
      applied,
      duplicates: [...counts.values()].reduce((sum, c) => sum + c.duplicates, 0),
      planned,
      queues,
      oversells,
      echoes,
      drifts,
    } satisfies UnitResult,
  };
}

/**
 * Whether a count is older than the one the position holds by the source's own version:
 * a webhook delayed behind a later one. Counts are stamped when they are received (the
 * system of record gives versions, not times), so without this a late, older count would
 * win by its later stamp.
 */
function outdated(position: Position | undefined, count: StockEventOf<"stock.counted">): boolean {
  const held = position?.count;
  return (
    held !== undefined &&
    count.version !== undefined &&
    held.version >= 0 &&
    count.version < held.version
  );
}

/** The listing ref of a level, without extra fields. */
function refOf(level: AnnouncedLevel): ListingRef {
  return {
    channelId: level.channelId,
    listingId: level.listingId,
    ...(level.channelLocationId === undefined
      ? {}
      : { channelLocationId: level.channelLocationId }),
  };
}

function quantityWrite(
  ref: ListingRef,
  quantity: number,
  urgent: boolean,
  now: number,
  seenAt: number,
): OutboxWrite {
  const clean: ListingRef = {
    channelId: ref.channelId,
    listingId: ref.listingId,
    ...(ref.channelLocationId === undefined ? {} : { channelLocationId: ref.channelLocationId }),
  };
  return {
    queue: ref.channelId,
    key: listingKey(clean),
    payload: { ref: clean, quantity } satisfies QuantityPayload,
    urgent,
    dueAt: now,
    seenAt,
  };
}

/**
 * An order's units grouped by location, in the order of first appearance: one sale per
 * location in the system of record. A single-location order keeps its id; parts of a
 * split order are `order#1`, `order#2`, …
 */
export function partsOf(record: OrderRecord): {
  readonly orderId: string;
  readonly locationId: string;
  readonly lines: Assignment[];
}[] {
  const byLocation = new Map<string, Assignment[]>();
  for (const line of record.lines) {
    const lines = byLocation.get(line.locationId) ?? [];
    lines.push({ sku: line.sku, locationId: line.locationId, quantity: line.quantity });
    byLocation.set(line.locationId, lines);
  }
  const split = byLocation.size > 1;
  return [...byLocation].map(([locationId, lines], i) => ({
    orderId: split ? `${record.orderId}#${i + 1}` : record.orderId,
    locationId,
    lines,
  }));
}

/**
 * The unit that plans every listing from scratch (at start, or after a catalog change):
 * the full allocation of the stored positions against the stored listing states.
 */
export function fullPlanUnit(
  context: UnitContext,
  positions: readonly Position[],
  listings: ReadonlyMap<string, ListingState>,
  now: number,
): ApplyUnit<UnitResult> {
  return {
    eventIds: [],
    positionKeys: [],
    listingKeys: [],
    orderKeys: [],
    compute: () => {
      const { catalog } = context;
      const stock = StockLevels.fromPositions(
        catalog.locations.map((l) => l.id),
        positions,
        now,
      );
      const allocation = allocate(catalog, stock);
      const lines: SlotQuantity[] = [];
      for (let slot = 0; slot < allocation.size; slot++)
        lines.push({ slot, quantity: allocation.at(slot) });
      const outbox: OutboxWrite[] = [];
      const states: { key: string; state: ListingState }[] = [];
      const queues = new Set<string>();
      for (const update of plan(catalog, lines, (ref) => {
        const state = listings.get(listingKey(ref));
        return state?.planned ?? state?.published;
      })) {
        if (!context.publishing.has(update.channelId)) continue;
        const key = listingKey(update);
        states.push({
          key,
          state: { published: listings.get(key)?.published, planned: update.quantity },
        });
        outbox.push(quantityWrite(update, update.quantity, update.urgent, now, now));
        queues.add(update.channelId);
      }
      return {
        listings: states,
        outbox,
        result: {
          inputs: [],
          applied: 0,
          duplicates: 0,
          planned: outbox.length,
          queues,
          oversells: [],
          echoes: [],
          drifts: [],
        },
      };
    },
  };
}
