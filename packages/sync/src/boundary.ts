import {
  type Catalog,
  type ChannelOrder,
  channelOrderSchema,
  findListing,
  OmnistockError,
  parseWith,
  type StockEvent,
  stockEventSchema,
  type ValidationIssue,
  validationError,
} from "@omnistock/core";
import { z } from "zod";
import type { AnnouncedLevel } from "./units.js";

/**
 * What enters the engine from outside — webhooks, polls, snapshots, `applyEvents`, a
 * sales sink's own events — is checked here, in one place, before anything is applied:
 * core's event schema, the catalog's locations, and the POS's own bundles, which become
 * their components.
 */

const id = z.string().min(1);
/** Zod schema of a level a channel announced. */
const levelSchema = z.object({
  channelId: id,
  listingId: id,
  channelLocationId: id.optional(),
  quantity: z.number().int().min(-Number.MAX_SAFE_INTEGER).max(Number.MAX_SAFE_INTEGER),
  managedBy: z.enum(["merchant", "channel"]).optional(),
});

const eventsSchema = z.array(stockEventSchema);
const deliverySchema = z.object({
  platform: id,
  topic: z.string(),
  deliveryId: id,
  events: eventsSchema,
  orders: z.array(channelOrderSchema),
  levels: z.array(levelSchema),
});

/** A delivery's contents, checked. */
export interface AdmittedDelivery {
  readonly events: readonly StockEvent[];
  readonly orders: readonly ChannelOrder[];
  readonly levels: readonly AnnouncedLevel[];
}

/**
 * Checks stock events from outside and returns them ready to apply: valid by core's
 * schema, at locations the catalog has, with sales, returns, receipts and transfers of a
 * POS bundle's SKU expanded into its components (one event, the same id).
 *
 * @throws {@link OmnistockError} `VALIDATION` naming every field at fault (a single-SKU
 *   event — a count, an adjustment, a reservation — of a bundle's SKU among them: a bundle
 *   has no stock of its own); `MAPPING_MISSING` naming the locations the catalog does not
 *   have. Nothing of the input is to be applied then.
 */
export function admitEvents(catalog: Catalog, input: unknown, what: string): StockEvent[] {
  const events = parseWith(eventsSchema, input, what);
  return prepare(catalog, events, [], what);
}

/**
 * Checks a verified webhook delivery (see {@link admitEvents}): its events, its channel
 * orders and its announced levels.
 *
 * @throws {@link OmnistockError} as {@link admitEvents}, with paths under `events`,
 *   `orders` or `levels`.
 */
export function admitDelivery(catalog: Catalog, input: unknown, what: string): AdmittedDelivery {
  const { events } = parseWith(deliverySchema, input, what);
  // The schema passed: the orders and levels have the types their interfaces promise.
  const delivery = input as AdmittedDelivery;
  return {
    events: prepare(catalog, events, ["events"], what),
    orders: delivery.orders,
    levels: delivery.levels,
  };
}

/**
 * Checks channel orders read by polling.
 *
 * @throws {@link OmnistockError} `VALIDATION` naming every field at fault.
 */
export function admitOrders(input: unknown, what: string): readonly ChannelOrder[] {
  parseWith(z.array(channelOrderSchema), input, what);
  // The schema passed: the input has the types its interface promises.
  return input as readonly ChannelOrder[];
}

/**
 * Checks what a stock source read (see {@link admitEvents}) and that it has a cursor.
 *
 * @throws {@link OmnistockError} as {@link admitEvents}; `BAD_RESPONSE` for a read that is
 *   not an object with a string `cursor`.
 */
export function admitRead(
  catalog: Catalog,
  read: unknown,
  what: string,
): { readonly events: StockEvent[]; readonly cursor: string } {
  const cursor = (read as { cursor?: unknown } | null | undefined)?.cursor;
  if (typeof cursor !== "string")
    throw new OmnistockError("BAD_RESPONSE", `The ${what} has no cursor to continue from`, {
      details: { field: "cursor" },
    });
  return { events: admitEvents(catalog, (read as { events?: unknown }).events, what), cursor };
}

const listingRefSchema = z.object({
  channelId: id,
  listingId: id,
  channelLocationId: id.optional(),
});

/**
 * Checks that a listing ref names a listing of the catalog.
 *
 * @throws {@link OmnistockError} `VALIDATION` for a ref of the wrong shape; `NOT_FOUND`
 *   naming the channel and listing the catalog does not have.
 */
export function checkListingRef(catalog: Catalog, ref: unknown): void {
  const { channelId, listingId } = parseWith(listingRefSchema, ref, "listing ref");
  if (findListing(catalog, channelId, listingId) === undefined)
    throw new OmnistockError(
      "NOT_FOUND",
      `The catalog has no listing "${listingId}" on channel "${channelId}"`,
      { details: { channelId, listingId } },
    );
}

/**
 * Checks that every channel a tenant's order sources and receivers name is in its catalog.
 * A receiver names one when it has a string `channelId` (the channel adapters' receivers
 * are made for one channel).
 *
 * @throws {@link OmnistockError} `CONFIG` naming the tenant, the channel and the role.
 */
export function checkRolesAgainstCatalog(
  tenant: {
    readonly id: string;
    readonly orderSources?: readonly { readonly channelId: string; readonly platform: string }[];
    readonly receivers?: Readonly<Record<string, object>>;
  },
  catalog: Catalog,
): void {
  const named: { channelId: string; role: string }[] = [];
  for (const source of tenant.orderSources ?? [])
    named.push({ channelId: source.channelId, role: `${source.platform} order source` });
  for (const [route, receiver] of Object.entries(tenant.receivers ?? {})) {
    const channelId: unknown = (receiver as { channelId?: unknown }).channelId;
    if (typeof channelId === "string")
      named.push({ channelId, role: `webhook receiver "${route}"` });
  }
  for (const { channelId, role } of named)
    if (!catalog.channelIndex.has(channelId))
      throw new OmnistockError(
        "CONFIG",
        `Tenant "${tenant.id}" has a ${role} for channel "${channelId}", which its catalog does not have`,
        { details: { tenantId: tenant.id, channelId, role } },
      );
}

/**
 * The locations whose stock some channel shows: every source of a channel that has at
 * least one listing, in the catalog's order.
 */
export function feedingLocations(catalog: Catalog): string[] {
  const feeding = new Set<number>();
  const listed = new Set(catalog.listings.map((l) => l.channelIndex));
  for (const slot of catalog.channelSlots) {
    if (!listed.has(slot.channelIndex)) continue;
    for (const source of slot.sources) feeding.add(source);
  }
  return catalog.locations.filter((_, i) => feeding.has(i)).map((l) => l.id);
}

/**
 * Checks that a full read of the stock source (the snapshot at first start, or a poll
 * with no cursor, which reads everything) covers every location that feeds a channel:
 * each must appear in at least one of its events. A count of zero is a level like any
 * other, so a location the source knows with nothing on its shelves passes; one the read
 * says nothing about is missing, never "zero everywhere". A catalog with no listings
 * needs nothing.
 *
 * @throws {@link OmnistockError} `BAD_RESPONSE` with `details.missingLocations` (and the
 *   source's `platform`) when a location is missing — all of them for an empty read.
 */
export function checkFullRead(
  catalog: Catalog,
  events: readonly StockEvent[],
  platform: OmnistockError["platform"],
  what: string,
): void {
  const seen = new Set<string>();
  for (const event of events) for (const l of locationsOf(event)) seen.add(l);
  const missing = feedingLocations(catalog).filter((l) => !seen.has(l));
  if (missing.length === 0) return;
  const quoted = missing.map((l) => `"${l}"`).join(", ");
  throw new OmnistockError(
    "BAD_RESPONSE",
    events.length === 0
      ? `The ${what} came back empty, but the catalog lists stock at ${quoted}: nothing is applied or published`
      : `The ${what} has no level at ${quoted}, which feed channels: it is partial, and nothing of it is applied or published`,
    {
      ...(platform === undefined ? {} : { platform }),
      details: { missingLocations: missing, events: events.length },
    },
  );
}

/** Every location an event names. */
function locationsOf(event: StockEvent): string[] {
  if (event.type === "transfer.sent" || event.type === "transfer.received")
    return [event.fromLocationId, event.toLocationId];
  if ("locationId" in event) return [event.locationId];
  return event.lines.map((line) => line.locationId);
}

/** The field paths of an event's locations, relative to the event. */
function locationFieldsOf(event: StockEvent): { path: (string | number)[]; locationId: string }[] {
  if (event.type === "transfer.sent" || event.type === "transfer.received")
    return [
      { path: ["fromLocationId"], locationId: event.fromLocationId },
      { path: ["toLocationId"], locationId: event.toLocationId },
    ];
  if ("locationId" in event) return [{ path: ["locationId"], locationId: event.locationId }];
  return event.lines.map((line, i) => ({
    path: ["lines", i, "locationId"],
    locationId: line.locationId,
  }));
}

interface Line {
  readonly sku: string;
  readonly quantity: number;
}

function prepare(
  catalog: Catalog,
  events: readonly StockEvent[],
  prefix: (string | number)[],
  what: string,
): StockEvent[] {
  const unknown: { path: (string | number)[]; locationId: string; eventId: string }[] = [];
  const issues: ValidationIssue[] = [];
  const prepared = events.map((event, i) => {
    for (const field of locationFieldsOf(event))
      if (!catalog.locationIndex.has(field.locationId))
        unknown.push({
          path: [...prefix, i, ...field.path],
          locationId: field.locationId,
          eventId: event.id,
        });
    if (catalog.bundles.size === 0) return event;
    if (!("lines" in event)) {
      if (catalog.bundles.has(event.sku))
        issues.push({
          path: [...prefix, i, "sku"],
          message: `"${event.sku}" is a POS bundle, which has no stock of its own: a ${event.type} of it cannot be applied to its components`,
        });
      return event;
    }
    if (!event.lines.some((line) => catalog.bundles.has(line.sku))) return event;
    const lines = expandLines(catalog, event.lines, (path, message) =>
      issues.push({ path: [...prefix, i, "lines", ...path], message }),
    );
    return { ...event, lines } as StockEvent;
  });
  if (unknown.length > 0) {
    const locations = [...new Set(unknown.map((u) => u.locationId))];
    const first = unknown[0] as (typeof unknown)[number];
    throw new OmnistockError(
      "MAPPING_MISSING",
      `The ${what} name${unknown.length === 1 ? "s" : ""} ${locations.map((l) => `"${l}"`).join(", ")}, which the catalog does not have as a location: nothing of it is applied`,
      {
        issues: unknown.map((u) => ({
          path: u.path,
          message: `unknown location "${u.locationId}"`,
        })),
        details: { locationId: first.locationId, locationIds: locations, eventId: first.eventId },
      },
    );
  }
  if (issues.length > 0) throw validationError(what, issues);
  return prepared;
}

/**
 * A bundle line becomes one line per component (its quantity times the component's), the
 * line's other fields (location, restock) kept; lines that end up alike are summed.
 */
function expandLines<L extends Line>(
  catalog: Catalog,
  lines: readonly L[],
  problem: (path: (string | number)[], message: string) => void,
): L[] {
  const merged = new Map<string, L>();
  lines.forEach((line, k) => {
    const components = catalog.bundles.get(line.sku) ?? [{ sku: line.sku, quantity: 1 }];
    for (const c of components) {
      const quantity = c.quantity * line.quantity;
      if (!Number.isSafeInteger(quantity)) {
        problem([k, "quantity"], `${line.quantity} of bundle "${line.sku}" is too many units`);
        continue;
      }
      const next = { ...line, sku: c.sku, quantity };
      const { quantity: _, ...rest } = next;
      const key = JSON.stringify(rest);
      const known = merged.get(key);
      merged.set(
        key,
        known === undefined ? next : { ...known, quantity: known.quantity + quantity },
      );
    }
  });
  return [...merged.values()];
}
