import {
  createSkuMapping,
  OmnistockError,
  objectWithMethods,
  parseWith,
  type RoleCallOptions,
  type SkuMapping,
  type SkuMappingEntry,
} from "@omnistock/core";
import { z } from "zod";
import type { ShopifyClient } from "./client.js";
import { shopifyGid } from "./ids.js";
import type { ShopifyVariantRecord } from "./schemas.js";

/** Options of {@link createShopifyMapping}. */
export interface ShopifyMappingOptions {
  readonly client: ShopifyClient;
  /**
   * Listings (SKUs) to Shopify inventory items (gids or numeric ids), for SKUs that must
   * not be looked up. These win over discovery.
   * @example { "MUG-RED": "gid://shopify/InventoryItem/1001" }
   */
  readonly items?: Readonly<Record<string, string>> | readonly SkuMappingEntry[];
  /**
   * Channel locations to Shopify locations (gids or numeric ids). When given, these are
   * the channel's only locations; otherwise the channel's location ids are Shopify
   * location gids themselves (numeric ids accepted).
   * @example { "web": "gid://shopify/Location/1" }
   */
  readonly locations?: Readonly<Record<string, string>>;
  /**
   * The channel location of an update or listing that names none.
   * @default the only location, when `locations` (or else the shop) has exactly one
   */
  readonly defaultLocation?: string;
  /**
   * Whether SKUs missing from `items` are looked up on Shopify (`productVariants` by
   * SKU), and the levels of a full snapshot mapped by their items' own SKUs.
   * @default true
   */
  readonly discover?: boolean;
}

/** What a SKU resolved to: its inventory item, or why it cannot be written. */
export type ShopifyItemResolution =
  | { readonly ok: true; readonly inventoryItemId: string; readonly tracked: boolean }
  | { readonly ok: false; readonly error: OmnistockError };

/** A channel location and the Shopify location behind it. */
export interface ShopifyLocationEntry {
  readonly channelLocationId: string;
  readonly locationId: string;
}

/**
 * The mapping between a channel's listings and locations and one Shopify shop's
 * inventory items and locations. Shared by the publisher, the order source and the
 * webhook receiver of one channel, so each lookup is made once.
 */
export interface ShopifyMapping {
  readonly client: ShopifyClient;
  /**
   * Resolves SKUs to inventory items: the explicit mapping, what was found before, then
   * one search for the rest. A SKU on two inventory items is `MAPPING_DUPLICATE`; one on
   * none is `MAPPING_MISSING`; both name the SKU.
   */
  resolveSkus(
    skus: readonly string[],
    options?: RoleCallOptions,
  ): Promise<ReadonlyMap<string, ShopifyItemResolution>>;
  /**
   * The Shopify location of a channel location (or of the default one).
   * @throws {@link OmnistockError} `MAPPING_MISSING` naming the location.
   */
  resolveLocation(
    channelLocationId: string | undefined,
    options?: RoleCallOptions,
  ): Promise<string>;
  /** The channel location of a Shopify location, or `undefined` for one the channel does not use. */
  channelLocationOf(locationId: string): string | undefined;
  /** The listing (SKU) of an inventory item, or `undefined` for one Omnistock does not map. */
  listingOfItem(inventoryItemId: string, options?: RoleCallOptions): Promise<string | undefined>;
  /**
   * The listing of a variant, through its inventory item (several variants may share one
   * item); for a variant that no longer exists, the order line's own SKU.
   */
  listingOfVariant(
    variantId: string,
    lineSku: string | null | undefined,
    options?: RoleCallOptions,
  ): Promise<string | undefined>;
  /**
   * The listings of inventory items read together (a location's levels, with each item's
   * SKU): the explicit mapping, and with discovery the items' own SKUs; items Omnistock
   * does not map are left out.
   * @throws {@link OmnistockError} `MAPPING_DUPLICATE` naming every SKU on two of the items.
   */
  listingsOf(
    items: readonly { readonly inventoryItemId: string; readonly sku: string | null }[],
  ): Promise<ReadonlyMap<string, string>>;
  /** The channel's locations: the explicit ones, or the shop's active locations. */
  locations(options?: RoleCallOptions): Promise<readonly ShopifyLocationEntry[]>;
}

const optionsSchema = z.strictObject({
  client: objectWithMethods<ShopifyClient>("a ShopifyClient", ["execute"]),
  items: z
    .union([
      z.record(z.string().min(1), z.string().min(1)),
      z.array(z.object({ sku: z.string().min(1), platformId: z.string().min(1) })),
    ])
    .optional(),
  locations: z.record(z.string().min(1), z.string().min(1)).optional(),
  defaultLocation: z.string().min(1).optional(),
  discover: z.boolean().optional(),
});

/**
 * Creates the listing and location mapping of one Shopify channel: an explicit mapping,
 * validated with core's `createSkuMapping` (a SKU under two items or an item under two
 * SKUs is refused at once), and discovery by SKU for the rest. Since 2026-04 one
 * inventory item may back several variants: variants are resolved to their item, and
 * only two different items under one SKU are a duplicate.
 *
 * @throws {@link OmnistockError} `VALIDATION` for bad options; `MAPPING_DUPLICATE` or
 *   `MAPPING_AMBIGUOUS` for an explicit mapping that contradicts itself.
 * @example
 * ```ts
 * const mapping = createShopifyMapping({
 *   client,
 *   locations: { web: "gid://shopify/Location/1" },
 * });
 * const found = await mapping.resolveSkus(["MUG-RED"]);
 * ```
 */
export function createShopifyMapping(options: ShopifyMappingOptions): ShopifyMapping {
  parseWith(optionsSchema, options, "Shopify mapping options", { platform: "shopify" });
  const { client } = options;
  const discover = options.discover ?? true;
  const given = options.items ?? {};
  const explicit: SkuMapping = createSkuMapping(
    "shopify",
    (Array.isArray(given)
      ? (given as readonly SkuMappingEntry[])
      : Object.entries(given as Record<string, string>).map(([sku, platformId]) => ({
          sku,
          platformId,
        }))
    ).map((entry) => ({
      sku: entry.sku,
      platformId: shopifyGid("InventoryItem", entry.platformId),
    })),
  );
  const locationMap =
    options.locations === undefined
      ? undefined
      : new Map(
          Object.entries(options.locations).map(([channel, id]) => [
            channel,
            shopifyGid("Location", id),
          ]),
        );
  const channelOf = new Map([...(locationMap ?? [])].map(([channel, id]) => [id, channel]));

  // What discovery found: SKU → item, item → SKU, variant → item.
  const found = new Map<string, { readonly inventoryItemId: string; readonly tracked: boolean }>();
  const skuOfItem = new Map<string, string>();
  const itemOfVariant = new Map<string, string>();
  let shopLocations: Promise<readonly ShopifyLocationEntry[]> | undefined;

  const remember = (variants: readonly ShopifyVariantRecord[]) => {
    for (const v of variants) itemOfVariant.set(v.id, v.inventoryItem.id);
  };

  /** The resolutions of SKUs from their variants: one item each, or why not. */
  function judge(
    skus: readonly string[],
    variants: readonly ShopifyVariantRecord[],
  ): Map<string, ShopifyItemResolution> {
    const bySku = new Map<string, Map<string, boolean>>();
    for (const v of variants) {
      if (v.sku === null || v.sku === "") continue;
      const items = bySku.get(v.sku) ?? new Map<string, boolean>();
      items.set(v.inventoryItem.id, v.inventoryItem.tracked);
      bySku.set(v.sku, items);
    }
    const out = new Map<string, ShopifyItemResolution>();
    for (const sku of skus) {
      const items = [...(bySku.get(sku) ?? [])];
      const only = items[0];
      if (only === undefined) {
        out.set(sku, {
          ok: false,
          error: new OmnistockError("MAPPING_MISSING", `SKU "${sku}" is on no Shopify variant`, {
            platform: "shopify",
            details: { sku, shop: client.shop },
          }),
        });
        continue;
      }
      if (items.length > 1) {
        out.set(sku, {
          ok: false,
          error: duplicate(
            sku,
            items.map(([id]) => id),
          ),
        });
        continue;
      }
      const [inventoryItemId, tracked] = only;
      const owner = explicit.findSku(inventoryItemId) ?? skuOfItem.get(inventoryItemId);
      if (owner !== undefined && owner !== sku) {
        out.set(sku, {
          ok: false,
          error: new OmnistockError(
            "MAPPING_DUPLICATE",
            `Shopify inventory item "${inventoryItemId}" is claimed by SKUs "${owner}" and "${sku}"`,
            { platform: "shopify", details: { sku, otherSku: owner, inventoryItemId } },
          ),
        });
        continue;
      }
      found.set(sku, { inventoryItemId, tracked });
      skuOfItem.set(inventoryItemId, sku);
      out.set(sku, { ok: true, inventoryItemId, tracked });
    }
    return out;
  }

  function duplicate(sku: string, inventoryItemIds: readonly string[]): OmnistockError {
    return new OmnistockError(
      "MAPPING_DUPLICATE",
      `SKU "${sku}" is on ${inventoryItemIds.length} Shopify inventory items (${inventoryItemIds.join(", ")}): which one gets the stock?`,
      { platform: "shopify", details: { sku, inventoryItemIds, shop: client.shop } },
    );
  }

  /**
   * The listing of an inventory item: known, or looked up by its SKU (`sku` when the
   * caller read it already) and kept only when that SKU resolves back to this one item.
   */
  async function listingOf(
    inventoryItemId: string,
    sku: string | null | undefined,
    call: RoleCallOptions | undefined,
  ): Promise<string | undefined> {
    const gid = shopifyGid("InventoryItem", inventoryItemId);
    const known = explicit.findSku(gid) ?? skuOfItem.get(gid);
    if (known !== undefined || !discover) return known;
    const own = sku === undefined ? await client.inventoryItemSku(gid, call) : sku;
    if (own === undefined || own === null || own === "") return undefined;
    const resolution = (await mapping.resolveSkus([own], call)).get(own);
    return resolution?.ok === true && resolution.inventoryItemId === gid ? own : undefined;
  }

  const mapping: ShopifyMapping = {
    client,
    async resolveSkus(skus, call) {
      const out = new Map<string, ShopifyItemResolution>();
      const unknown: string[] = [];
      for (const sku of new Set(skus)) {
        const platformId = explicit.findPlatformId(sku);
        const seen = found.get(sku);
        if (platformId !== undefined)
          out.set(sku, { ok: true, inventoryItemId: platformId, tracked: true });
        else if (seen !== undefined) out.set(sku, { ok: true, ...seen });
        else if (discover) unknown.push(sku);
        else {
          out.set(sku, {
            ok: false,
            error: new OmnistockError(
              "MAPPING_MISSING",
              `SKU "${sku}" is not in the Shopify mapping`,
              {
                platform: "shopify",
                details: { sku, shop: client.shop },
              },
            ),
          });
        }
      }
      if (unknown.length > 0) {
        const variants = await client.variants(unknown, call);
        remember(variants);
        for (const [sku, resolution] of judge(unknown, variants)) out.set(sku, resolution);
      }
      return out;
    },
    async resolveLocation(channelLocationId, call) {
      const wanted = channelLocationId ?? options.defaultLocation;
      if (wanted !== undefined) {
        if (locationMap === undefined) return shopifyGid("Location", wanted);
        const id = locationMap.get(wanted);
        if (id !== undefined) return id;
        throw new OmnistockError(
          "MAPPING_MISSING",
          `Channel location "${wanted}" is not mapped to a Shopify location`,
          { platform: "shopify", details: { channelLocationId: wanted, shop: client.shop } },
        );
      }
      const all = await mapping.locations(call);
      const only = all[0];
      if (all.length === 1 && only !== undefined) return only.locationId;
      throw new OmnistockError(
        "MAPPING_MISSING",
        `The update names no location and the Shopify channel has ${all.length}: set defaultLocation`,
        { platform: "shopify", details: { shop: client.shop } },
      );
    },
    channelLocationOf(locationId) {
      const gid = shopifyGid("Location", locationId);
      return locationMap === undefined ? gid : channelOf.get(gid);
    },
    listingOfItem: (inventoryItemId, call) => listingOf(inventoryItemId, undefined, call),
    async listingOfVariant(variantId, lineSku, call) {
      const gid = shopifyGid("ProductVariant", variantId);
      const item = itemOfVariant.get(gid);
      if (item !== undefined) return listingOf(item, undefined, call);
      const variant = await client.variant(gid, call);
      if (variant === undefined) return lineSku ?? undefined;
      remember([variant]);
      return listingOf(variant.inventoryItem.id, variant.sku, call);
    },
    async listingsOf(items) {
      const out = new Map<string, string>();
      const bySku = new Map<string, Set<string>>();
      for (const { inventoryItemId, sku } of items) {
        const fixed = explicit.findSku(inventoryItemId);
        if (fixed !== undefined) out.set(inventoryItemId, fixed);
        // An explicitly mapped SKU belongs to its item alone: another item with it is not ours.
        else if (
          discover &&
          sku !== null &&
          sku !== "" &&
          explicit.findPlatformId(sku) === undefined
        )
          bySku.set(sku, (bySku.get(sku) ?? new Set()).add(inventoryItemId));
      }
      const problems: OmnistockError[] = [];
      for (const [sku, ids] of bySku) {
        const [only, ...others] = ids;
        if (only === undefined) continue;
        if (others.length > 0) problems.push(duplicate(sku, [...ids]));
        else {
          skuOfItem.set(only, sku);
          out.set(only, sku);
        }
      }
      if (problems.length > 0) {
        throw new OmnistockError(
          "MAPPING_DUPLICATE",
          `Shopify SKUs on more than one inventory item: ${problems.map((p) => p.message).join("; ")}`,
          {
            platform: "shopify",
            issues: problems.map((p) => ({ path: [String(p.details.sku)], message: p.message })),
            details: { skus: problems.map((p) => p.details.sku), shop: client.shop },
          },
        );
      }
      return out;
    },
    locations(call) {
      if (locationMap !== undefined) {
        return Promise.resolve(
          [...locationMap].map(([channelLocationId, locationId]) => ({
            channelLocationId,
            locationId,
          })),
        );
      }
      shopLocations ??= client.locations(call).then(
        (all) =>
          all.filter((l) => l.isActive).map((l) => ({ channelLocationId: l.id, locationId: l.id })),
        (error: unknown) => {
          shopLocations = undefined;
          throw error;
        },
      );
      return shopLocations;
    },
  };
  return mapping;
}
