import { createSkuMapping, parseWith, type SkuMapping } from "@omnistock/core";
import { z } from "zod";

/** One listing of the catalog on Amazon: its listing id and the seller SKU behind it. */
export interface AmazonListingMapping {
  /** The catalog's listing id on this channel (`ChannelListingRef.listingId`). */
  readonly listingId: string;
  /** The seller SKU on Amazon. */
  readonly sellerSku: string;
  /**
   * The listing's Amazon product type, which every listings patch must name; read it from
   * `getListingsItem` `summaries[].productType`.
   * @default the publisher's `productType`
   */
  readonly productType?: string;
}

const entrySchema = z.strictObject({
  listingId: z.string().min(1),
  sellerSku: z.string().min(1),
  productType: z.string().min(1).optional(),
});

/** The validated listing ↔ seller SKU mapping, with each SKU's product type. */
export interface AmazonListings {
  /** Listing id (core's `sku` side) ↔ seller SKU (the platform id side). */
  readonly mapping: SkuMapping;
  /** The product type given for a seller SKU, if any. */
  productTypeOf(sellerSku: string): string | undefined;
}

/**
 * Validates the listings: each entry's shape, then one seller SKU per listing and one
 * listing per seller SKU (core's `createSkuMapping`).
 *
 * @throws {@link OmnistockError} `VALIDATION` naming the entry at fault, or
 *   `MAPPING_DUPLICATE` / `MAPPING_AMBIGUOUS` naming the listing and SKU.
 * @example
 * ```ts
 * const { mapping } = amazonListings([{ listingId: "MUG-RED", sellerSku: "MUG-RED-01" }]);
 * mapping.toPlatformId("MUG-RED"); // "MUG-RED-01"
 * ```
 */
export function amazonListings(listings: readonly AmazonListingMapping[]): AmazonListings {
  parseWith(z.array(entrySchema), listings, "Amazon listings", { platform: "amazon" });
  const mapping = createSkuMapping(
    "amazon",
    listings.map((l) => ({ sku: l.listingId, platformId: l.sellerSku })),
  );
  const productTypes = new Map(
    listings.flatMap((l): [string, string][] =>
      l.productType === undefined ? [] : [[l.sellerSku, l.productType]],
    ),
  );
  return { mapping, productTypeOf: (sellerSku) => productTypes.get(sellerSku) };
}
