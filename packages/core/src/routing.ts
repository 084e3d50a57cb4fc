import {
  type Catalog,
  type CompiledChannel,
  type CompiledListing,
  findListing,
} from "./catalog.js";
import { OmnistockError } from "./errors.js";

/** A SKU and a number of units. */
export interface SkuQuantity {
  readonly sku: string;
  readonly quantity: number;
}

/** Units of one SKU assigned to one location. */
export interface Assignment {
  readonly sku: string;
  readonly locationId: string;
  readonly quantity: number;
}

/** Options of {@link routeOrder}. */
export interface RouteOrderOptions {
  /** The order's lines, by SKU (expand bundles first with {@link expandListingLines}). */
  readonly lines: readonly SkuQuantity[];
  /** Locations that may fulfil, best first (zone order, priority, distance...). */
  readonly candidates: readonly string[];
  /** Units available of a SKU at a location. */
  readonly available: (sku: string, locationId: string) => number;
  /**
   * Whether one line may be split across locations when no single one has it all.
   * @default true
   */
  readonly splitLines?: boolean;
}

/** Where an order's units go, and why. */
export interface Routing {
  readonly assignments: readonly Assignment[];
  /** Units no candidate could fulfil. */
  readonly unfilled: readonly SkuQuantity[];
  /**
   * - `single-location`: the whole order from one location;
   * - `split-order`: each line whole, from more than one location;
   * - `split-line`: at least one line split across locations;
   * - `unfilled`: some units could not be placed at all.
   */
  readonly strategy: "single-location" | "split-order" | "split-line" | "unfilled";
  /** Sentences a merchant can read. */
  readonly why: readonly string[];
}

/**
 * Assigns an order's lines to locations: the whole order from the first candidate that
 * has all of it; failing that, each line whole from the first location that has it
 * (preferring locations already used); failing that, a line split across candidates in
 * order. Deterministic, and it never assigns a location more than it has.
 *
 * @example
 * ```ts
 * routeOrder({ lines: [{ sku: "MUG-RED", quantity: 2 }], candidates: ["north", "south"],
 *   available: (sku, loc) => stock.get(sku, loc) });
 * ```
 */
export function routeOrder(options: RouteOrderOptions): Routing {
  const lines = mergeLines(options.lines);
  const left = new Map<string, number>();
  const remaining = (sku: string, loc: string): number => {
    const key = `${sku}\u0000${loc}`;
    let units = left.get(key);
    if (units === undefined) {
      units = Math.max(0, options.available(sku, loc));
      left.set(key, units);
    }
    return units;
  };
  const take = (sku: string, loc: string, quantity: number) =>
    left.set(`${sku}\u0000${loc}`, remaining(sku, loc) - quantity);

  for (const loc of options.candidates) {
    if (lines.every((line) => remaining(line.sku, loc) >= line.quantity)) {
      return {
        assignments: lines.map((line) => ({
          sku: line.sku,
          locationId: loc,
          quantity: line.quantity,
        })),
        unfilled: [],
        strategy: "single-location",
        why: [`${loc} has every line`],
      };
    }
  }

  const assignments: Assignment[] = [];
  const unfilled: SkuQuantity[] = [];
  const why: string[] = ["no single location has every line"];
  const used: string[] = [];
  let splitLine = false;
  for (const line of lines) {
    const whole =
      used.find((loc) => remaining(line.sku, loc) >= line.quantity) ??
      options.candidates.find((loc) => remaining(line.sku, loc) >= line.quantity);
    if (whole !== undefined) {
      take(line.sku, whole, line.quantity);
      assignments.push({ sku: line.sku, locationId: whole, quantity: line.quantity });
      if (!used.includes(whole)) used.push(whole);
      why.push(`${line.sku} × ${line.quantity} from ${whole}`);
      continue;
    }
    let needed = line.quantity;
    if (options.splitLines ?? true) {
      for (const loc of options.candidates) {
        const units = Math.min(needed, remaining(line.sku, loc));
        if (units <= 0) continue;
        take(line.sku, loc, units);
        assignments.push({ sku: line.sku, locationId: loc, quantity: units });
        if (!used.includes(loc)) used.push(loc);
        why.push(`${line.sku} × ${units} from ${loc} (line split)`);
        splitLine = true;
        needed -= units;
        if (needed === 0) break;
      }
    }
    if (needed > 0) {
      unfilled.push({ sku: line.sku, quantity: needed });
      why.push(`${line.sku} × ${needed} unfilled: no candidate has it`);
    }
  }
  const strategy =
    unfilled.length > 0
      ? "unfilled"
      : splitLine
        ? "split-line"
        : used.length > 1
          ? "split-order"
          : "single-location";
  return { assignments, unfilled, strategy, why };
}

/**
 * The locations that may fulfil a channel's orders, best first: a zone's ordered list
 * (or the mapped location) for a channel location, else every source of the channel.
 *
 * @throws {@link OmnistockError} `MAPPING_MISSING` for an unknown channel or channel location.
 */
export function routingCandidates(
  catalog: Catalog,
  channelId: string,
  channelLocationId?: string,
): string[] {
  const ci = catalog.channelIndex.get(channelId);
  if (ci === undefined) {
    throw new OmnistockError("MAPPING_MISSING", `Unknown channel "${channelId}"`, {
      details: { channelId },
    });
  }
  const channel = catalog.channels[ci] as CompiledChannel;
  const slots = channel.slots
    .map((s) => catalog.channelSlots[s])
    .filter(
      (slot) => channelLocationId === undefined || slot?.channelLocationId === channelLocationId,
    );
  if (slots.length === 0) {
    throw new OmnistockError(
      "MAPPING_MISSING",
      `Channel "${channelId}" has no location "${channelLocationId}"`,
      { details: { channelId, channelLocationId } },
    );
  }
  const ordered: string[] = [];
  for (const slot of slots) {
    for (const l of slot?.sources ?? []) {
      const id = (catalog.locations[l] as { id: string }).id;
      if (!ordered.includes(id)) ordered.push(id);
    }
  }
  return ordered;
}

/**
 * Turns a channel order's lines (by listing) into demand per SKU: bundles become their
 * components, and demand for one SKU is summed across bundles and single listings.
 *
 * @throws {@link OmnistockError} `MAPPING_MISSING` naming a listing the channel does not have.
 */
export function expandListingLines(
  catalog: Catalog,
  channelId: string,
  lines: readonly { readonly listingId: string; readonly quantity: number }[],
): SkuQuantity[] {
  const demand = new Map<string, number>();
  for (const line of lines) {
    const li = findListing(catalog, channelId, line.listingId);
    if (li === undefined) {
      throw new OmnistockError(
        "MAPPING_MISSING",
        `Channel "${channelId}" has no listing "${line.listingId}"`,
        { details: { channelId, listingId: line.listingId } },
      );
    }
    for (const c of (catalog.listings[li] as CompiledListing).components) {
      demand.set(c.sku, (demand.get(c.sku) ?? 0) + c.quantity * line.quantity);
    }
  }
  return [...demand].map(([sku, quantity]) => ({ sku, quantity }));
}

/**
 * Replaces the POS's own bundle SKUs (composite products) by their components, summing
 * demand per SKU; other SKUs pass through. A gift set sold in the store thus moves its
 * components' stock, and every listing that uses them.
 */
export function expandBundles(catalog: Catalog, lines: readonly SkuQuantity[]): SkuQuantity[] {
  const demand = new Map<string, number>();
  for (const line of lines) {
    const components = catalog.bundles.get(line.sku) ?? [{ sku: line.sku, quantity: 1 }];
    for (const c of components)
      demand.set(c.sku, (demand.get(c.sku) ?? 0) + c.quantity * line.quantity);
  }
  return [...demand].map(([sku, quantity]) => ({ sku, quantity }));
}

function mergeLines(lines: readonly SkuQuantity[]): SkuQuantity[] {
  const merged = new Map<string, number>();
  for (const line of lines) {
    if (line.quantity > 0) merged.set(line.sku, (merged.get(line.sku) ?? 0) + line.quantity);
  }
  return [...merged].map(([sku, quantity]) => ({ sku, quantity }));
}
