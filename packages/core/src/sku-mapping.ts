import { formatPath, OmnistockError, type PlatformName, type ValidationIssue } from "./errors.js";

/** One platform id that stands for one SKU. */
export interface SkuMappingEntry {
  /** The system of record's SKU. */
  readonly sku: string;
  /** The platform's id for it (inventory item id, seller SKU, variant id...). */
  readonly platformId: string;
}

/** A validated two-way map between SKUs and one platform's ids. */
export interface SkuMapping {
  /** The platform (or channel) these ids belong to. */
  readonly platform: PlatformName | string;
  /** Number of mapped SKUs. */
  readonly size: number;
  /**
   * The SKU of a platform id.
   * @throws {@link OmnistockError} `MAPPING_MISSING` naming the id.
   */
  toSku(platformId: string): string;
  /**
   * The platform id of a SKU.
   * @throws {@link OmnistockError} `MAPPING_MISSING` naming the SKU.
   */
  toPlatformId(sku: string): string;
  /** The SKU of a platform id, or `undefined`. */
  findSku(platformId: string): string | undefined;
  /** The platform id of a SKU, or `undefined`. */
  findPlatformId(sku: string): string | undefined;
  /** Every entry, in the order given. */
  entries(): readonly SkuMappingEntry[];
}

/**
 * Builds the mapping between SKUs and a platform's ids, refusing anything that would
 * make a count go to the wrong place: one SKU under two platform ids (which would get
 * the stock?) or one platform id for two SKUs. Every problem is reported, not only the
 * first.
 *
 * @throws {@link OmnistockError} `MAPPING_DUPLICATE` or `MAPPING_AMBIGUOUS`, whose
 *   `issues` name each SKU and id at fault.
 * @example
 * ```ts
 * const mapping = createSkuMapping("shopify", [
 *   { sku: "MUG-RED", platformId: "gid://shopify/InventoryItem/1" },
 * ]);
 * mapping.toPlatformId("MUG-RED"); // "gid://shopify/InventoryItem/1"
 * ```
 */
export function createSkuMapping(
  platform: PlatformName | string,
  entries: readonly SkuMappingEntry[],
): SkuMapping {
  const bySku = new Map<string, string>();
  const byId = new Map<string, string>();
  const issues: (ValidationIssue & { code: "MAPPING_DUPLICATE" | "MAPPING_AMBIGUOUS" })[] = [];
  entries.forEach((entry, i) => {
    const otherId = bySku.get(entry.sku);
    if (otherId !== undefined && otherId !== entry.platformId) {
      issues.push({
        code: "MAPPING_AMBIGUOUS",
        path: [i, "sku"],
        message: `SKU "${entry.sku}" maps to both "${otherId}" and "${entry.platformId}" on ${platform}`,
      });
    }
    const otherSku = byId.get(entry.platformId);
    if (otherSku !== undefined && otherSku !== entry.sku) {
      issues.push({
        code: "MAPPING_DUPLICATE",
        path: [i, "platformId"],
        message: `${platform} id "${entry.platformId}" is claimed by SKUs "${otherSku}" and "${entry.sku}"`,
      });
    }
    if (!bySku.has(entry.sku)) bySku.set(entry.sku, entry.platformId);
    if (!byId.has(entry.platformId)) byId.set(entry.platformId, entry.sku);
  });
  if (issues.length > 0) {
    throw new OmnistockError(
      (issues[0] as (typeof issues)[number]).code,
      `Invalid ${platform} SKU mapping: ${issues.map((i) => `${formatPath(i.path)}: ${i.message}`).join("; ")}`,
      { issues: issues.map(({ path, message }) => ({ path, message })) },
    );
  }
  const missing = (what: string, value: string) =>
    new OmnistockError("MAPPING_MISSING", `No ${platform} mapping for ${what} "${value}"`, {
      details: { platform, [what === "SKU" ? "sku" : "platformId"]: value },
    });
  const kept = [...bySku].map(([sku, platformId]) => ({ sku, platformId }));
  return {
    platform,
    size: bySku.size,
    toSku(platformId) {
      const sku = byId.get(platformId);
      if (sku === undefined) throw missing(`${platform} id`, platformId);
      return sku;
    },
    toPlatformId(sku) {
      const platformId = bySku.get(sku);
      if (platformId === undefined) throw missing("SKU", sku);
      return platformId;
    },
    findSku: (platformId) => byId.get(platformId),
    findPlatformId: (sku) => bySku.get(sku),
    entries: () => kept,
  };
}
