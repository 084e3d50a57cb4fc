import type { ChannelLevel } from "@omnistock/core";
import type { BigCommerceInventoryItem } from "./schemas.js";

/** Where a channel's listings are on BigCommerce. */
export interface BigCommerceLocationOptions {
  /**
   * The BigCommerce location id of each channel location id, for listings that name one.
   * @default {} (every listing is at `defaultLocationId`)
   * @example { "main-street": 1, warehouse: 2 }
   */
  readonly locations?: Readonly<Record<string, number>>;
  /**
   * The BigCommerce location of listings that name no channel location.
   * @default 1 (BigCommerce's default location)
   */
  readonly defaultLocationId?: number;
}

/** The two-way map between channel locations and BigCommerce locations. */
export interface LocationMap {
  /** The BigCommerce location of a listing, or `undefined` for a channel location not mapped. */
  toBigCommerce(channelLocationId: string | undefined): number | undefined;
  /**
   * How a BigCommerce location is named on the channel: each channel location mapped to it,
   * or no name for the default location; nothing for a location the channel does not use.
   */
  toChannel(locationId: number): readonly { readonly channelLocationId?: string }[];
  /** Every BigCommerce location the channel uses. */
  readonly ids: readonly number[];
}

/** Builds the {@link LocationMap} of a channel's location options. */
export function createLocationMap(options: BigCommerceLocationOptions): LocationMap {
  const locations = options.locations ?? {};
  const defaultLocationId = options.defaultLocationId ?? 1;
  const named = new Map<number, { channelLocationId: string }[]>();
  for (const [channelLocationId, locationId] of Object.entries(locations)) {
    named.set(locationId, [...(named.get(locationId) ?? []), { channelLocationId }]);
  }
  return {
    toBigCommerce: (channelLocationId) =>
      channelLocationId === undefined ? defaultLocationId : locations[channelLocationId],
    toChannel: (locationId) =>
      named.get(locationId) ?? (locationId === defaultLocationId ? [{}] : []),
    ids: [...new Set([defaultLocationId, ...named.keys()])],
  };
}

/** The levels of inventory items at the channel's locations, one per channel location. */
export function levelsFrom(
  items: readonly BigCommerceInventoryItem[],
  locations: LocationMap,
): ChannelLevel[] {
  return items.flatMap((item) => {
    const sku = item.identity.sku;
    if (!sku) return [];
    return item.locations.flatMap((at) =>
      locations
        .toChannel(at.location_id)
        .map((named) => ({ listingId: sku, ...named, quantity: at.total_inventory_onhand })),
    );
  });
}
