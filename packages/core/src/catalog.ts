import { z } from "zod";
import type { BufferRule, LowStockTier } from "./buffer.js";
import {
  formatPath,
  OmnistockError,
  type OmnistockErrorCode,
  type ValidationIssue,
} from "./errors.js";
import { parseWith } from "./validation.js";

const id = z.string().min(1);
const units = z.number().int().nonnegative();

const bufferRule = z.strictObject({
  percent: z.number().min(0).max(100).optional(),
  units: units.optional(),
  floor: units.optional(),
  cap: units.optional(),
});

const feed = z.discriminatedUnion("mode", [
  z.strictObject({ mode: z.literal("single"), locationId: id }),
  z.strictObject({ mode: z.literal("sum"), locationIds: z.array(id).min(1) }),
  z.strictObject({
    mode: z.literal("location"),
    map: z.array(z.strictObject({ channelLocationId: id, locationId: id })).min(1),
  }),
  z.strictObject({
    mode: z.literal("dedicated"),
    shares: z
      .array(
        z.union([
          z.strictObject({ locationId: id, percent: z.number().gt(0).max(100) }),
          z.strictObject({ locationId: id, units: z.number().int().positive() }),
        ]),
      )
      .min(1),
  }),
  z.strictObject({
    mode: z.literal("zones"),
    zones: z
      .array(z.strictObject({ channelLocationId: id, locationIds: z.array(id).min(1) }))
      .min(1),
  }),
]);

const component = z.strictObject({ sku: id, quantity: z.number().int().positive() });

const channel = z.strictObject({
  id,
  name: z.string().optional(),
  feed,
  buffer: bufferRule.optional(),
  lowStock: z.strictObject({ below: z.number().int().positive(), buffer: bufferRule }).optional(),
  urgentBelow: units.optional(),
});

const listing = z.union([
  z.strictObject({ channelId: id, listingId: id, sku: id }),
  z.strictObject({ channelId: id, listingId: id, components: z.array(component).min(1) }),
]);

/** Zod schema of {@link CatalogConfig}. */
export const catalogConfigSchema = z.strictObject({
  locations: z.array(z.strictObject({ id, name: z.string().optional() })).min(1),
  skus: z.array(id).optional(),
  channels: z.array(channel).min(1),
  listings: z.array(listing),
  pools: z
    .array(
      z.strictObject({
        id,
        mode: z.literal("split"),
        channels: z
          .array(z.strictObject({ channelId: id, weight: z.number().nonnegative() }))
          .min(2),
        skuWeights: z.record(id, z.record(id, z.number().nonnegative())).optional(),
      }),
    )
    .optional(),
  bundles: z.array(z.strictObject({ sku: id, components: z.array(component).min(1) })).optional(),
});

/**
 * Where a channel's stock comes from.
 *
 * - `single`: one location.
 * - `sum`: the sum of several locations.
 * - `location`: each of the channel's own locations mirrors one of ours.
 * - `dedicated`: a share of each location set aside for this channel alone (percent,
 *   rounded down, or units); other channels see what is left.
 * - `zones`: each of the channel's locations (or regions) is served by an ordered list of
 *   our locations; it shows their sum, and orders are routed in that order.
 */
export type LocationFeed = z.output<typeof feed>;

/** A channel (a Shopify store, an Amazon marketplace, ...) and how it is fed. */
export interface ChannelConfig {
  readonly id: string;
  readonly name?: string;
  readonly feed: LocationFeed;
  /** Held back from every pool of this channel. */
  readonly buffer?: BufferRule;
  /** A different buffer while stock is low. */
  readonly lowStock?: LowStockTier;
  /**
   * A lowering update to a quantity below this is urgent (oversell risk) and goes first.
   * @default 3
   */
  readonly urgentBelow?: number;
}

/**
 * Everything the allocation needs to know that is not stock: our locations, the SKUs the
 * system of record knows, the channels with their policies, each channel's listings
 * (one SKU, or a bundle of SKUs), split pools and the POS's own bundles.
 */
export type CatalogConfig = z.input<typeof catalogConfigSchema>;

/** One place a channel publishes a quantity: the channel itself, or one of its locations. */
export interface ChannelSlot {
  readonly channelIndex: number;
  /** The channel's own location, in `location` and `zones` feeds. */
  readonly channelLocationId: string | undefined;
  /** Our locations this slot draws from, as indexes into `locations`, in routing order. */
  readonly sources: readonly number[];
}

/** A listing resolved against the catalog. */
export interface CompiledListing {
  readonly channelIndex: number;
  readonly listingId: string;
  /** The SKUs and how many of each one unit of the listing takes. */
  readonly components: readonly { readonly sku: string; readonly quantity: number }[];
  readonly isBundle: boolean;
  /** Index of this listing's first allocation slot; it has one per channel slot. */
  readonly firstSlot: number;
}

/** A compiled channel. */
export interface CompiledChannel extends ChannelConfig {
  readonly index: number;
  /** Its slots, as indexes into `channelSlots`. */
  readonly slots: readonly number[];
  /** Dedicated shares, keyed by location index. */
  readonly dedicated: ReadonlyMap<number, { readonly percent?: number; readonly units?: number }>;
  /** The split pool it belongs to, if any. */
  readonly splitPool: number | undefined;
}

/** A split pool, compiled. */
export interface CompiledPool {
  readonly id: string;
  readonly channels: readonly number[];
  readonly channelIds: readonly string[];
  readonly weights: readonly number[];
  readonly skuWeights: ReadonlyMap<string, readonly number[]>;
}

/**
 * A validated, indexed catalog: build it once with {@link compileCatalog} and hand it to
 * the allocation, the router and the planner.
 */
export interface Catalog {
  readonly locations: readonly { readonly id: string; readonly name?: string }[];
  readonly locationIndex: ReadonlyMap<string, number>;
  readonly channels: readonly CompiledChannel[];
  readonly channelIndex: ReadonlyMap<string, number>;
  readonly channelSlots: readonly ChannelSlot[];
  readonly listings: readonly CompiledListing[];
  /** For each channel (by index), its listings' indexes by listing id. */
  readonly listingIndex: readonly ReadonlyMap<string, number>[];
  /** For each SKU, the listings that use it (single or in a bundle), ascending. */
  readonly listingsBySku: ReadonlyMap<string, readonly number[]>;
  /** Total allocation slots (Σ listings × their channel's slots). */
  readonly slotCount: number;
  /** For each allocation slot, its listing. */
  readonly slotListing: Int32Array;
  /** For each allocation slot, its channel slot. */
  readonly slotChannelSlot: Int32Array;
  readonly pools: readonly CompiledPool[];
  /** The POS's own bundles (composite products): SKU → components. */
  readonly bundles: ReadonlyMap<
    string,
    readonly { readonly sku: string; readonly quantity: number }[]
  >;
  /** The SKUs the system of record knows, when given. */
  readonly skus: ReadonlySet<string> | undefined;
}

/** The index of a listing in `catalog.listings`, or `undefined`. */
export function findListing(
  catalog: Catalog,
  channelId: string,
  listingId: string,
): number | undefined {
  const ci = catalog.channelIndex.get(channelId);
  return ci === undefined ? undefined : catalog.listingIndex[ci]?.get(listingId);
}

interface Problem {
  readonly code: OmnistockErrorCode;
  readonly path: (string | number)[];
  readonly message: string;
}

/**
 * Validates a catalog and indexes it for fast allocation.
 *
 * Every mapping problem is found, not only the first: a listing for a SKU the system of
 * record does not know, two listings of one channel for the same SKU (both would show the
 * same units), a location or channel that does not exist, dedicated shares over 100 %, a
 * channel in two split pools. The error's code is that of the first problem and its
 * `issues` list them all.
 *
 * @throws {@link OmnistockError} `VALIDATION` for a malformed config;
 *   `MAPPING_MISSING`, `MAPPING_DUPLICATE`, `MAPPING_AMBIGUOUS` or `CONFIG` for an
 *   inconsistent one.
 * @example
 * ```ts
 * const catalog = compileCatalog({
 *   locations: [{ id: "main-street" }],
 *   channels: [{ id: "shopify", feed: { mode: "single", locationId: "main-street" }, buffer: { percent: 15 } }],
 *   listings: [{ channelId: "shopify", listingId: "MUG-RED", sku: "MUG-RED" }],
 * });
 * ```
 */
export function compileCatalog(input: CatalogConfig): Catalog {
  const config = parseWith(catalogConfigSchema, input, "catalog");
  const problems: Problem[] = [];
  const problem = (code: OmnistockErrorCode, path: (string | number)[], message: string) =>
    problems.push({ code, path, message });

  const locationIndex = new Map<string, number>();
  config.locations.forEach((location, i) => {
    if (locationIndex.has(location.id)) {
      problem(
        "MAPPING_DUPLICATE",
        ["locations", i, "id"],
        `location "${location.id}" is listed twice`,
      );
    } else locationIndex.set(location.id, i);
  });
  const locationRef = (locationId: string, path: (string | number)[]): number => {
    const index = locationIndex.get(locationId);
    if (index === undefined) problem("MAPPING_MISSING", path, `unknown location "${locationId}"`);
    return index ?? -1;
  };

  const channelIndex = new Map<string, number>();
  config.channels.forEach((c, i) => {
    if (channelIndex.has(c.id))
      problem("MAPPING_DUPLICATE", ["channels", i, "id"], `channel "${c.id}" is listed twice`);
    else channelIndex.set(c.id, i);
  });

  const splitPoolOf = new Map<number, number>();
  const pools: CompiledPool[] = (config.pools ?? []).map((pool, p) => {
    const channels = pool.channels.map((member, m) => {
      const index = channelIndex.get(member.channelId);
      if (index === undefined) {
        problem(
          "MAPPING_MISSING",
          ["pools", p, "channels", m, "channelId"],
          `unknown channel "${member.channelId}"`,
        );
        return -1;
      }
      if (splitPoolOf.has(index)) {
        problem(
          "CONFIG",
          ["pools", p, "channels", m, "channelId"],
          `channel "${member.channelId}" is in two split pools`,
        );
      }
      splitPoolOf.set(index, p);
      return index;
    });
    const skuWeights = new Map<string, number[]>();
    for (const [sku, weights] of Object.entries(pool.skuWeights ?? {})) {
      skuWeights.set(
        sku,
        pool.channels.map((member) => weights[member.channelId] ?? member.weight),
      );
    }
    return {
      id: pool.id,
      channels,
      channelIds: pool.channels.map((m) => m.channelId),
      weights: pool.channels.map((m) => m.weight),
      skuWeights,
    };
  });

  const channelSlots: ChannelSlot[] = [];
  const dedicatedPercent = new Map<number, number>();
  const channels: CompiledChannel[] = config.channels.map((c, ci) => {
    const path = ["channels", ci, "feed"];
    const slots: number[] = [];
    const addSlot = (channelLocationId: string | undefined, sources: number[]) => {
      slots.push(channelSlots.length);
      channelSlots.push({ channelIndex: ci, channelLocationId, sources });
    };
    const dedicated = new Map<number, { percent?: number; units?: number }>();
    const f = c.feed;
    switch (f.mode) {
      case "single":
        addSlot(undefined, [locationRef(f.locationId, [...path, "locationId"])]);
        break;
      case "sum":
        addSlot(
          undefined,
          uniqueSources(f.locationIds, [...path, "locationIds"], locationRef, problem),
        );
        break;
      case "location":
        f.map.forEach((entry, i) => {
          addSlot(entry.channelLocationId, [
            locationRef(entry.locationId, [...path, "map", i, "locationId"]),
          ]);
        });
        duplicatesOf(
          f.map.map((e) => e.channelLocationId),
          (i, value) =>
            problem(
              "MAPPING_AMBIGUOUS",
              [...path, "map", i, "channelLocationId"],
              `channel location "${value}" is mapped twice`,
            ),
        );
        break;
      case "dedicated": {
        const sources: number[] = [];
        f.shares.forEach((share, i) => {
          const index = locationRef(share.locationId, [...path, "shares", i, "locationId"]);
          if (dedicated.has(index)) {
            problem(
              "MAPPING_DUPLICATE",
              [...path, "shares", i, "locationId"],
              `location "${share.locationId}" has two shares`,
            );
          }
          dedicated.set(
            index,
            "percent" in share ? { percent: share.percent } : { units: share.units },
          );
          sources.push(index);
          if ("percent" in share) {
            const total = (dedicatedPercent.get(index) ?? 0) + share.percent;
            dedicatedPercent.set(index, total);
            if (total > 100) {
              problem(
                "CONFIG",
                [...path, "shares", i, "percent"],
                `dedicated shares of "${share.locationId}" exceed 100 %`,
              );
            }
          }
        });
        addSlot(undefined, sources);
        break;
      }
      case "zones":
        f.zones.forEach((zone, i) => {
          addSlot(
            zone.channelLocationId,
            uniqueSources(
              zone.locationIds,
              [...path, "zones", i, "locationIds"],
              locationRef,
              problem,
            ),
          );
        });
        duplicatesOf(
          f.zones.map((z) => z.channelLocationId),
          (i, value) =>
            problem(
              "MAPPING_AMBIGUOUS",
              [...path, "zones", i, "channelLocationId"],
              `zone "${value}" is defined twice`,
            ),
        );
        break;
    }
    if (f.mode === "dedicated" && splitPoolOf.has(ci)) {
      problem(
        "CONFIG",
        path,
        `channel "${c.id}" has a dedicated share and is in a split pool; choose one`,
      );
    }
    return {
      ...withoutUndefined(c),
      index: ci,
      slots,
      dedicated,
      splitPool: splitPoolOf.get(ci),
    } as CompiledChannel;
  });

  const knownSkus = config.skus === undefined ? undefined : new Set(config.skus);
  const checkSku = (sku: string, path: (string | number)[]) => {
    if (knownSkus !== undefined && !knownSkus.has(sku)) {
      problem("MAPPING_MISSING", path, `SKU "${sku}" is not known to the system of record`);
    }
  };

  // A SKU listed on several channels shares one components array.
  const singles = new Map<string, readonly { sku: string; quantity: number }[]>();
  const singleComponent = (sku: string) => {
    let components = singles.get(sku);
    if (components === undefined) {
      components = [{ sku, quantity: 1 }];
      singles.set(sku, components);
    }
    return components;
  };
  const listings: CompiledListing[] = [];
  const listingIndex = config.channels.map(() => new Map<string, number>());
  const singleSkuListing = new Map<string, number>();
  const listingsBySku = new Map<string, number[]>();
  let slotCount = 0;
  config.listings.forEach((l, i) => {
    const ci = channelIndex.get(l.channelId);
    if (ci === undefined) {
      problem("MAPPING_MISSING", ["listings", i, "channelId"], `unknown channel "${l.channelId}"`);
      return;
    }
    const ofChannel = listingIndex[ci] as Map<string, number>;
    if (ofChannel.has(l.listingId)) {
      problem(
        "MAPPING_DUPLICATE",
        ["listings", i, "listingId"],
        `listing "${l.listingId}" is listed twice on "${l.channelId}"`,
      );
      return;
    }
    const isBundle = "components" in l;
    const components = isBundle ? mergeComponents(l.components) : singleComponent(l.sku);
    if (isBundle) {
      l.components.forEach((c, k) => {
        checkSku(c.sku, ["listings", i, "components", k, "sku"]);
      });
    } else {
      checkSku(l.sku, ["listings", i, "sku"]);
      const skuKey = `${l.channelId}\u0000${l.sku}`;
      const other = singleSkuListing.get(skuKey);
      if (other !== undefined) {
        problem(
          "MAPPING_DUPLICATE",
          ["listings", i, "sku"],
          `SKU "${l.sku}" has two listings on "${l.channelId}" ("${listings[other]?.listingId}" and "${l.listingId}")`,
        );
        return;
      }
      singleSkuListing.set(skuKey, listings.length);
    }
    const index = listings.length;
    ofChannel.set(l.listingId, index);
    listings.push({
      channelIndex: ci,
      listingId: l.listingId,
      components,
      isBundle,
      firstSlot: slotCount,
    });
    slotCount += channels[ci]?.slots.length ?? 0;
    for (const c of components) {
      let list = listingsBySku.get(c.sku);
      if (list === undefined) {
        list = [];
        listingsBySku.set(c.sku, list);
      }
      list.push(index);
    }
  });

  const bundles = new Map<string, readonly { sku: string; quantity: number }[]>();
  (config.bundles ?? []).forEach((bundle, i) => {
    if (bundles.has(bundle.sku)) {
      problem(
        "MAPPING_DUPLICATE",
        ["bundles", i, "sku"],
        `bundle "${bundle.sku}" is defined twice`,
      );
    }
    bundle.components.forEach((c, k) => {
      checkSku(c.sku, ["bundles", i, "components", k, "sku"]);
      if (c.sku === bundle.sku)
        problem("CONFIG", ["bundles", i, "components", k, "sku"], "a bundle cannot contain itself");
    });
    bundles.set(bundle.sku, mergeComponents(bundle.components));
  });

  if (problems.length > 0) {
    const issues: ValidationIssue[] = problems.map(({ path, message }) => ({ path, message }));
    const first = problems[0] as Problem;
    throw new OmnistockError(
      first.code,
      `Invalid catalog mapping: ${problems.map((p) => `${formatPath(p.path)}: ${p.message}`).join("; ")}`,
      { issues, details: { codes: problems.map((p) => p.code) } },
    );
  }

  const slotListing = new Int32Array(slotCount);
  const slotChannelSlot = new Int32Array(slotCount);
  for (let li = 0; li < listings.length; li++) {
    const listing = listings[li] as CompiledListing;
    const slots = (channels[listing.channelIndex] as CompiledChannel).slots;
    for (let k = 0; k < slots.length; k++) {
      slotListing[listing.firstSlot + k] = li;
      slotChannelSlot[listing.firstSlot + k] = slots[k] as number;
    }
  }

  return {
    locations: config.locations.map((l) =>
      l.name === undefined ? { id: l.id } : { id: l.id, name: l.name },
    ),
    locationIndex,
    channels,
    channelIndex,
    channelSlots,
    listings,
    listingIndex,
    listingsBySku,
    slotCount,
    slotListing,
    slotChannelSlot,
    pools,
    bundles,
    skus: knownSkus,
  };
}

function uniqueSources(
  ids: readonly string[],
  path: (string | number)[],
  ref: (id: string, path: (string | number)[]) => number,
  problem: (code: OmnistockErrorCode, path: (string | number)[], message: string) => void,
): number[] {
  duplicatesOf(ids, (i, value) =>
    problem("MAPPING_DUPLICATE", [...path, i], `location "${value}" is listed twice`),
  );
  return ids.map((locationId, i) => ref(locationId, [...path, i]));
}

function duplicatesOf(
  values: readonly string[],
  report: (index: number, value: string) => void,
): void {
  const seen = new Set<string>();
  values.forEach((value, i) => {
    if (seen.has(value)) report(i, value);
    seen.add(value);
  });
}

function mergeComponents(
  components: readonly { sku: string; quantity: number }[],
): { sku: string; quantity: number }[] {
  const merged = new Map<string, number>();
  for (const c of components) merged.set(c.sku, (merged.get(c.sku) ?? 0) + c.quantity);
  return [...merged].map(([sku, quantity]) => ({ sku, quantity }));
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
