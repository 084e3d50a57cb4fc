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
  type HoldReason,
  type ListingInFlight,
  type ListingState,
  type OrderRecord,
  type OutboxWrite,
  type OversoldPolicy,
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

/** A person's decision on a held order (see `SyncEngine.resolveHeldOrder`). */
export interface Resolution {
  readonly channelId: string;
  readonly orderId: string;
  /** `record`: post the sale anyway; `release`: drop the order and its commitment. */
  readonly action: "record" | "release";
  /** The SKUs of the held order's lines, so that the unit loads their positions. */
  readonly skus: readonly string[];
}

/** What to apply in one unit. */
export interface UnitInput {
  readonly deliveryId?: string;
  readonly events: readonly StockEvent[];
  readonly orders: readonly ChannelOrder[];
  readonly levels: readonly AnnouncedLevel[];
  readonly cursor?: { readonly name: string; readonly value: string };
  /** Held orders to resolve. */
  readonly resolutions?: readonly Resolution[];
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
  /** Orders put on hold (no sale posted), with why. */
  readonly held: readonly {
    readonly channelId: string;
    readonly orderId: string;
    readonly reason: HoldReason;
    readonly unfilled: readonly SkuQuantity[];
  }[];
  /** The resolutions of the unit; `done` is false for an order that was not on hold. */
  readonly resolved: readonly {
    readonly channelId: string;
    readonly orderId: string;
    readonly action: Resolution["action"];
    readonly done: boolean;
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
  /**
   * What to do, per channel id, with an order no stock fully covers.
   * @default "hold" for every channel
   */
  readonly oversold?: Readonly<Record<string, OversoldPolicy>>;
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

/**
 * The listings a channel order takes units of, as the channel counts them: a channel lowers
 * its own level of each when it takes the order.
 */
function orderedRefs(catalog: Catalog, order: ChannelOrder): ListingRef[] {
  const own = hasChannelLocations(catalog, order.channelId) ? order.channelLocationId : undefined;
  return order.lines.map((line) => ({
    channelId: order.channelId,
    listingId: line.listingId,
    ...(own === undefined ? {} : { channelLocationId: own }),
  }));
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
        for (const ref of orderedRefs(catalog, order)) listingKeys.add(listingKey(ref));
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
    for (const resolution of input.resolutions ?? []) {
      orderKeys.push(orderKey(resolution.channelId, resolution.orderId));
      for (const sku of resolution.skus) skus.add(sku);
    }
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
      if (event.type !== "stock.counted") {
        apply(event);
        continue;
      }
      const ordered = inVersionOrder(
        positions.get(positionKey(event.sku, event.locationId)),
        event,
      );
      if (ordered !== undefined) apply(ordered);
    }
  }

  const records = new Map(view.orders);
  /** Listing state keys to write again whatever the plan says (see refunds below). */
  const rewrite = new Map<string, ListingRef>();
  const recordWrites = new Map<string, OrderRecord>();
  const outbox: OutboxWrite[] = [];
  const queues = new Set<string>();
  const oversells: UnitResult["oversells"][number][] = [];
  const held: UnitResult["held"][number][] = [];
  const resolved: UnitResult["resolved"][number][] = [];
  /** Units each listing's own channel took by orders in this unit, by listing state key. */
  const ordered = new Map<string, { ref: ListingRef; units: number }>();
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
  /** Commits an order's units where its record routed them, and posts its sales unless held. */
  const commit = (record: OrderRecord, eventId: string, at: number, post: boolean) => {
    partsOf(record).forEach((part, k) => {
      apply({
        type: "order.placed",
        id: k === 0 ? eventId : `${eventId}#${k}`,
        at,
        channelId: record.channelId,
        orderId: orderReference(record.channelId, part.orderId),
        lines: part.lines,
      });
      if (post)
        saleTask(record.channelId, part.orderId, {
          action: "record",
          sale: {
            orderId: part.orderId,
            channelId: record.channelId,
            locationId: part.locationId,
            lines: part.lines.map(({ sku, quantity }) => ({ sku, quantity })),
          },
        });
    });
  };
  /** Releases what an order has committed; voids its sales unless it was held (none posted). */
  const release = (record: OrderRecord, eventId: string, at: number) => {
    partsOf(record).forEach((part, k) => {
      apply({
        type: "order.cancelled",
        id: k === 0 ? eventId : `${eventId}#${k}`,
        at,
        channelId: record.channelId,
        orderId: orderReference(record.channelId, part.orderId),
        lines: part.lines,
      });
      if (record.hold === undefined)
        saleTask(record.channelId, part.orderId, {
          action: "void",
          channelId: record.channelId,
          orderId: part.orderId,
        });
    });
  };

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
      for (const ref of orderedRefs(catalog, order)) {
        const line = ordered.get(listingKey(ref)) ?? { ref, units: 0 };
        line.units += order.lines
          .filter((l) => l.listingId === ref.listingId)
          .reduce((sum, l) => sum + l.quantity, 0);
        ordered.set(listingKey(ref), line);
      }
      const candidates = candidatesOf(catalog, order);
      const routing = routeOrder({ lines: demand, candidates, available });
      const assignments: Assignment[] = [...routing.assignments];
      const hold = routing.unfilled.length > 0 && policyOf(context, order.channelId) === "hold";
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
      const own = hasChannelLocations(catalog, order.channelId)
        ? order.channelLocationId
        : undefined;
      const next: OrderRecord = {
        channelId: order.channelId,
        orderId: order.orderId,
        lines: assignments,
        status: "placed",
        ...(hold
          ? {
              hold: {
                reason: "oversold",
                unfilled: routing.unfilled,
                heldAt: now,
                ...(own === undefined ? {} : { channelLocationId: own }),
              },
            }
          : {}),
      };
      write(next);
      if (hold)
        held.push({
          channelId: order.channelId,
          orderId: order.orderId,
          reason: "oversold",
          unfilled: routing.unfilled,
        });
      commit(next, order.eventId, order.at, !hold);
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
      release(record, order.eventId, order.at);
      write({ ...unheld(record), status: "cancelled" });
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
      /** What a held order keeps committed once the refund took its units. */
      const left: Assignment[] = [];
      partsOf(record).forEach((part, k) => {
        const lines = part.lines.flatMap((line) => {
          const quantity = Math.min(line.quantity, refunded.get(line.sku) ?? 0);
          if (quantity < line.quantity) left.push({ ...line, quantity: line.quantity - quantity });
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
        // location the part was sold from; its return webhook then restocks them here. A
        // held order was never posted: its units never left that stock.
        if (restock && record.hold === undefined)
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
      if (record.hold === undefined) write({ ...record, status: "refunded" });
      // Held, it keeps what is left to post, or ends once nothing is.
      else if (left.length > 0) write({ ...record, lines: left });
      else write({ ...unheld(record), lines: [], status: "refunded" });
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

  for (const resolution of live.flatMap((part) => part.input.resolutions ?? [])) {
    const { channelId, orderId, action } = resolution;
    const key = orderKey(channelId, orderId);
    const record = records.get(key);
    resolved.push({ channelId, orderId, action, done: record?.hold !== undefined });
    if (record?.hold === undefined) continue;
    const eventId = `${orderReference(channelId, orderId)}:${action}`;
    release(record, `${eventId}:release`, now);
    if (action === "release") {
      records.set(key, { ...unheld(record), status: "cancelled" });
      recordWrites.set(key, records.get(key) as OrderRecord);
      continue;
    }
    // Routed again on the stock there is now (it may have come in elsewhere); what no
    // location has is a backorder the merchant accepted, where it would have come from.
    const candidates = routingCandidates(
      catalog,
      channelId,
      hasChannelLocations(catalog, channelId) ? record.hold.channelLocationId : undefined,
    );
    const routing = routeOrder({ lines: record.lines, candidates, available });
    const first = candidates[0] as string;
    const next: OrderRecord = {
      ...unheld(record),
      lines: [
        ...routing.assignments,
        ...routing.unfilled.map((line) => ({ ...line, locationId: first })),
      ],
    };
    records.set(key, next);
    recordWrites.set(key, next);
    commit(next, eventId, now, true);
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
  /** The new plan of a listing, keeping what may still be in flight of the old one. */
  const replan = (key: string, quantity: number) => {
    const state = states.get(key);
    const previous = state?.planned;
    const flight = state?.inFlight;
    // Once the last plan was confirmed, nothing sent before it can still arrive.
    const sent =
      previous === undefined || previous === state?.published
        ? []
        : previous === quantity
          ? flight?.sent
          : [...(flight?.sent ?? []).filter((v) => v !== previous), previous].slice(-SENT_KEPT);
    setState(key, withFlight(state?.published, quantity, { ...flight, sent }));
  };

  /** Listings whose channel shows less than planned by its own count: written back below. */
  const heal = new Map<string, { ref: ListingRef; shown: number }>();
  // The channel's own orders: each lowers the channel's own count, which explains a level
  // it announced before the order reached us, or one it announces after.
  for (const [key, { ref, units }] of ordered) {
    const state = states.get(key);
    if (state === undefined) continue;
    const short = state.inFlight?.short;
    const explained = Math.min(short?.units ?? 0, units);
    const left = (short?.units ?? 0) - explained;
    setState(
      key,
      withFlight(state.published, state.planned, {
        ...state.inFlight,
        ordered: (state.inFlight?.ordered ?? 0) + units - explained,
        short: short === undefined || left === 0 ? undefined : { ...short, units: left },
      }),
    );
    if (short !== undefined && left === 0) heal.set(key, { ref, shown: short.shown });
  }

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
      replan(listingKey(update), update.quantity);
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
    replan(key, target);
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
    const shown = level.quantity;
    const flight = state.inFlight;
    const target = intended(key);
    // A lower level no order came to explain before the channel spoke again was an edit.
    if (flight?.short !== undefined)
      drifts.push({ ref, shown: flight.short.shown, planned: flight.short.planned });
    // Each announcement is the channel's count from here on: its orders before it are in it.
    const sent = shown === target ? [] : (flight?.sent ?? []);
    const ordered = flight?.ordered ?? 0;
    /** Whether the channel may show this by a value it was written, less its own orders. */
    const reflects = (values: readonly (number | undefined)[]) =>
      values.some((v) => v !== undefined && shown <= v && shown >= v - ordered);
    // `planned` differs from `published` only while a write of it is in the outbox.
    const writing = state.planned !== undefined && state.planned !== state.published;
    if (
      shown === target ||
      (target !== undefined && shown < target && reflects([state.published, target, ...sent])) ||
      // More than planned is an echo only while the write that lowers it is on its way.
      (target !== undefined && shown > target && writing && reflects([state.published, ...sent]))
    ) {
      echoes.push({ ref, quantity: shown });
      if (flight !== undefined) setState(key, withFlight(state.published, state.planned, { sent }));
      if (target !== undefined && shown < target && !writing) heal.set(key, { ref, shown });
      continue;
    }
    if (target !== undefined && shown < target) {
      // Lower than planned: the channel's own order may be on its way (Shopify announces
      // its level before the order). Wait for it; the next announcement reports it if not.
      setState(
        key,
        withFlight(state.published, state.planned, {
          sent,
          short: { shown, planned: target, units: target - shown },
        }),
      );
      continue;
    }
    drifts.push({ ref, shown, planned: target });
    setState(key, withFlight(shown, target, { sent }));
    // A channel showing more than planned can sell units that are not there: set it back
    // at once.
    if (target !== undefined && shown > target) {
      outbox.push(quantityWrite(ref, target, true, now, seenAt));
      queues.add(ref.channelId);
      planned++;
    }
  }

  // A channel whose own count ends below the plan (a buffer rounded its order away) is
  // written the plan, unless a write is on its way already.
  const writtenNow = new Set(outbox.map((entry) => entry.key));
  for (const [key, { ref, shown }] of heal) {
    const state = states.get(key);
    const target = intended(key);
    if (state === undefined || target === undefined || shown >= target) continue;
    if (writtenNow.has(key) || !context.publishing.has(ref.channelId)) continue;
    if (state.planned !== undefined && state.planned !== state.published) continue;
    replan(key, target);
    outbox.push(quantityWrite(ref, target, false, now, seenAt));
    queues.add(ref.channelId);
    planned++;
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
      held,
      resolved,
      echoes,
      drifts,
    } satisfies UnitResult,
  };
}

/**
 * A count placed in the source's own order, by its version where the source gives one:
 * `undefined` for a count older than the one the position holds (a webhook delayed behind
 * a later one), and a newer one dated no earlier than the one it replaces. Webhook counts
 * are stamped when received and polled counts when their page was asked for, so by time
 * alone a late, older count would win by its later stamp, and a newer polled count lose to
 * a webhook received while its page was on its way.
 */
function inVersionOrder(
  position: Position | undefined,
  count: StockEventOf<"stock.counted">,
): StockEventOf<"stock.counted"> | undefined {
  const held = position?.count;
  if (held === undefined || count.version === undefined || held.version < 0) return count;
  if (count.version < held.version) return undefined;
  return count.version > held.version && count.at < held.at ? { ...count, at: held.at } : count;
}

/** How many replaced plans a listing remembers as possibly sent. */
const SENT_KEPT = 4;

/** A listing state, with only the parts of `inFlight` that hold something. */
function withFlight(
  published: number | undefined,
  planned: number | undefined,
  flight: { readonly [K in keyof ListingInFlight]?: ListingInFlight[K] | undefined },
): ListingState {
  const inFlight: ListingInFlight = {
    ...(flight.sent !== undefined && flight.sent.length > 0 ? { sent: flight.sent } : {}),
    ...(flight.ordered !== undefined && flight.ordered > 0 ? { ordered: flight.ordered } : {}),
    ...(flight.short === undefined ? {} : { short: flight.short }),
  };
  return Object.keys(inFlight).length === 0
    ? { published, planned }
    : { published, planned, inFlight };
}

/** A channel's oversold policy: its own entry in the tenant's, or `hold`. */
function policyOf(context: UnitContext, channelId: string): OversoldPolicy {
  const policies = context.oversold;
  return policies !== undefined && Object.hasOwn(policies, channelId)
    ? (policies[channelId] as OversoldPolicy)
    : "hold";
}

/** An order record without its hold. */
function unheld(record: OrderRecord): OrderRecord {
  const { hold: _, ...rest } = record;
  return rest;
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
          held: [],
          resolved: [],
          echoes: [],
          drifts: [],
        },
      };
    },
  };
}
