import {
  OmnistockError,
  type RoleCallOptions,
  type StockEvent,
  type StockRead,
  type StockSource,
} from "@omnistock/core";
import { z } from "zod";
import type { LightspeedClient } from "./client.js";
import { checkOptions, clientOption, fn } from "./options.js";
import type { LightspeedInventoryRecord } from "./schemas.js";

/** Options of {@link createLightspeedStockSource}. */
export interface LightspeedStockSourceOptions {
  readonly client: LightspeedClient;
  /**
   * The Omnistock location of an outlet.
   * @default the outlet id itself
   */
  readonly locationOf?: (outletId: string) => string;
  /**
   * The time levels are observed at (Lightspeed's inventory records carry a version, not a
   * time).
   * @default Date.now
   */
  readonly clock?: () => number;
}

/**
 * Lightspeed as the stock source: a snapshot of every tracked product's level at every
 * outlet, and the levels changed since a version cursor — the polling backstop, since
 * Lightspeed does not guarantee webhooks. Levels become `stock.counted` events with their
 * version; composite products (bundles) and untracked products are left out, their
 * components carry the stock.
 *
 * @throws {@link OmnistockError} `VALIDATION` naming every unknown, missing or invalid
 *   option. Its reads throw `BAD_RESPONSE` when a store with tracked products reports no
 *   inventory at all: an empty read is never taken for "everything is zero".
 * @example
 * ```ts
 * const source = createLightspeedStockSource({ client, locationOf: (outlet) => locations[outlet] });
 * const { events, cursor } = await source.snapshot();
 * const later = await source.changesSince(cursor);
 * ```
 */
export function createLightspeedStockSource(options: LightspeedStockSourceOptions): StockSource {
  checkOptions(
    z.strictObject({ client: clientOption, locationOf: fn.optional(), clock: fn.optional() }),
    options,
    "Lightspeed stock source options",
  );
  const { client } = options;
  const locationOf = options.locationOf ?? ((outletId: string) => outletId);
  const clock = options.clock ?? Date.now;
  let skus: Map<string, string> | undefined;

  async function skuMap(refresh: boolean, call?: RoleCallOptions): Promise<Map<string, string>> {
    if (skus === undefined || refresh) {
      const products = await client.products(call);
      skus = new Map(
        products
          .filter(
            (p) =>
              p.has_inventory !== false &&
              p.is_composite !== true &&
              typeof p.sku === "string" &&
              p.sku !== "",
          )
          .map((p) => [p.id, p.sku as string]),
      );
    }
    return skus;
  }

  async function toEvents(
    records: readonly LightspeedInventoryRecord[],
    call?: RoleCallOptions,
  ): Promise<StockEvent[]> {
    let map = await skuMap(false, call);
    // A product created since the last look: reload the catalogue once.
    if (records.some((r) => !map.has(r.product_id))) map = await skuMap(true, call);
    const at = clock();
    return records.flatMap((record) => {
      const sku = map.get(record.product_id);
      if (sku === undefined) return [];
      return [
        {
          type: "stock.counted" as const,
          id: `lightspeed:inventory:${record.product_id}:${record.outlet_id}:${record.version ?? record.inventory_level}`,
          at,
          locationId: locationOf(record.outlet_id),
          sku,
          onHand: Math.trunc(record.inventory_level),
          ...(record.version === undefined ? {} : { version: record.version }),
        },
      ];
    });
  }

  return {
    platform: "lightspeed",
    async snapshot(call?: RoleCallOptions): Promise<StockRead> {
      const [tracked, { records, version }] = await Promise.all([
        skuMap(true, call),
        client.inventorySince(0, call),
      ]);
      if (tracked.size > 0 && records.length === 0) {
        throw new OmnistockError(
          "BAD_RESPONSE",
          "Lightspeed reported no inventory for a store with tracked products",
          {
            platform: "lightspeed",
          },
        );
      }
      return { events: await toEvents(records, call), cursor: String(version) };
    },
    async changesSince(cursor: string | undefined, call?: RoleCallOptions): Promise<StockRead> {
      const after = cursor === undefined ? 0 : Number(cursor);
      if (!Number.isInteger(after) || after < 0) {
        throw new OmnistockError("VALIDATION", `Invalid Lightspeed version cursor "${cursor}"`, {
          platform: "lightspeed",
        });
      }
      const { records, version } = await client.inventorySince(after, call);
      return { events: await toEvents(records, call), cursor: String(version) };
    },
  };
}
