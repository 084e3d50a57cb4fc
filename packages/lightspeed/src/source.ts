import {
  OmnistockError,
  type RoleCallOptions,
  type StockEvent,
  type StockRead,
  type StockSource,
} from "@omnistock/core";
import { z } from "zod";
import { createLightspeedCatalogue, type LightspeedCatalogue } from "./catalogue.js";
import type { LightspeedClient, LightspeedInventoryReading } from "./client.js";
import { catalogueOption, checkOptions, clientOption, fn } from "./options.js";

/** Options of {@link createLightspeedStockSource}. */
export interface LightspeedStockSourceOptions {
  readonly client: LightspeedClient;
  /**
   * The catalogue to resolve product ids to SKUs with, shared with the other roles (see
   * `createLightspeedCatalogue`).
   * @default one of its own over `client`
   */
  readonly catalogue?: LightspeedCatalogue;
  /**
   * The Omnistock location of an outlet.
   * @default the outlet id itself
   */
  readonly locationOf?: (outletId: string) => string;
}

/**
 * Lightspeed as the stock source: a snapshot of every tracked product's level at every
 * outlet, and the levels changed since a version cursor — the polling backstop, since
 * Lightspeed does not guarantee webhooks. Levels become `stock.counted` events with their
 * version, dated by when their page's request was sent (`requestedAt`, on the client's
 * clock): Lightspeed works a page out after that, so a sale made while a page was on its
 * way is added on top of the level, never swallowed by it. A sale the page already held is
 * then taken twice for a while: each poll reads once more the versions the poll before it
 * saw first, and a version seen again, later, says the level still held then, so the
 * engine takes it as the newer look. (An `inventory.update` webhook of the same version
 * does the same sooner.) Composite products (bundles) and untracked products are left
 * out, their components carry the stock.
 *
 * A read that is empty or partial is an error, never "everything is zero": the snapshot
 * throws `BAD_RESPONSE` when the store answers no products but reports inventory, no
 * inventory for tracked products, or no inventory at an outlet it lists; the catalogue
 * refuses an empty products answer after a full one (see `createLightspeedCatalogue`). A
 * store with no products and no inventory at all is empty, which is allowed.
 *
 * @throws {@link OmnistockError} `VALIDATION` naming every unknown, missing or invalid
 *   option. Its reads throw `BAD_RESPONSE` as above, `VALIDATION` naming the field for a
 *   level that is not a whole number within `LIGHTSPEED_MAX_QUANTITY`.
 * @example
 * ```ts
 * const source = createLightspeedStockSource({ client, catalogue, locationOf: (outlet) => locations[outlet] });
 * const { events, cursor } = await source.snapshot();
 * const later = await source.changesSince(cursor);
 * ```
 */
export function createLightspeedStockSource(options: LightspeedStockSourceOptions): StockSource {
  checkOptions(
    z.strictObject({
      client: clientOption,
      catalogue: catalogueOption.optional(),
      locationOf: fn.optional(),
    }),
    options,
    "Lightspeed stock source options",
  );
  const { client } = options;
  const catalogue = options.catalogue ?? createLightspeedCatalogue({ client });
  const locationOf = options.locationOf ?? ((outletId: string) => outletId);

  const bad = (message: string, details: Record<string, unknown> = {}) =>
    new OmnistockError("BAD_RESPONSE", message, { platform: "lightspeed", details });

  async function toEvents(
    records: readonly LightspeedInventoryReading[],
    call?: RoleCallOptions,
  ): Promise<StockEvent[]> {
    // A product created since the last look: the catalogue is read again (a poll is rare
    // enough not to need the receiver's bound; a read under way is shared).
    if (records.some((r) => !catalogue.knows(r.product_id))) await catalogue.refresh(call);
    if (records.length > 0 && catalogue.size === 0)
      throw bad("Lightspeed answered no products for a store that reports inventory");
    return records.flatMap((record) => {
      const sku = catalogue.skuOf(record.product_id);
      if (sku === undefined) return [];
      return [
        {
          type: "stock.counted" as const,
          // The read's time is in the id: a later read of the same version is a new look,
          // which tells that the level still held then.
          id: `lightspeed:inventory:${record.product_id}:${record.outlet_id}:${record.version ?? record.inventory_level}@${record.requestedAt}`,
          at: record.requestedAt,
          locationId: locationOf(record.outlet_id),
          sku,
          onHand: record.inventory_level,
          ...(record.version === undefined ? {} : { version: record.version }),
        },
      ];
    });
  }

  return {
    platform: "lightspeed",
    async snapshot(call?: RoleCallOptions): Promise<StockRead> {
      const [, { records, version }, outlets] = await Promise.all([
        catalogue.refresh(call),
        client.inventorySince(0, call),
        client.outlets(call),
      ]);
      if (records.length > 0 && catalogue.size === 0)
        throw bad("Lightspeed answered no products for a store that reports inventory");
      if (catalogue.tracked > 0) {
        if (records.length === 0)
          throw bad("Lightspeed reported no inventory for a store with tracked products");
        const seen = new Set(records.map((r) => r.outlet_id));
        const missing = outlets.map((o) => o.id).filter((id) => !seen.has(id));
        if (missing.length > 0) {
          throw bad(
            `Lightspeed reported no inventory at outlet(s) ${missing.join(", ")} of a store with tracked products`,
            { outletIds: missing },
          );
        }
      }
      return { events: await toEvents(records, call), cursor: String(version) };
    },
    async changesSince(cursor: string | undefined, call?: RoleCallOptions): Promise<StockRead> {
      const { seen, from } = parseCursor(cursor);
      const { records, version } = await client.inventorySince(from, call);
      const latest = Math.max(version, seen);
      // The versions this read saw first are read once more by the next poll (see above).
      return {
        events: await toEvents(records, call),
        cursor: latest > seen ? `${latest}:${seen}` : String(latest),
      };
    },
  };
}

/**
 * A poll's cursor: `"{seen}"`, or `"{seen}:{from}"` when the versions after `from` are to be
 * read once more.
 */
function parseCursor(cursor: string | undefined): { seen: number; from: number } {
  const [seen = Number.NaN, from = seen] = (cursor ?? "0").split(":").map(Number);
  if (
    !Number.isSafeInteger(seen) ||
    !Number.isSafeInteger(from) ||
    seen < 0 ||
    from < 0 ||
    from > seen
  ) {
    throw new OmnistockError("VALIDATION", `Invalid Lightspeed version cursor "${cursor}"`, {
      platform: "lightspeed",
      details: { cursor },
    });
  }
  return { seen, from };
}
