/**
 * What the channels should show once everything has settled, computed from Lightspeed —
 * the system of record — alone, and the checks that compare the sandboxes with it.
 */
import { allocate, compileCatalog, StockLevels } from "@omnistock/core";
import type { HeldOrder } from "@omnistock/sync";
import type { World } from "./world.js";

/** One channel quantity that differs from what Lightspeed's stock implies. */
export interface Mismatch {
  readonly channelId: string;
  readonly sku: string;
  readonly shows: number;
  readonly expected: number;
}

/** The outcome of {@link verifyWorld}. */
export interface Verdict {
  /** Channel quantities that differ from the allocation of Lightspeed's stock. */
  readonly mismatches: readonly Mismatch[];
  /** Channel order references recorded as more than one live Lightspeed sale. */
  readonly doubledSales: readonly string[];
  /** Live Lightspeed sales recorded for channel orders (a split order has one per part). */
  readonly channelSales: number;
  /** Channel orders with at least one live Lightspeed sale. */
  readonly ordersRecorded: number;
  /** Refunds whose restocked units were recorded as a Lightspeed return (each once: see `doubledSales`). */
  readonly returnsRecorded: number;
  /** Units sold that Lightspeed did not have: levels below zero, summed. */
  readonly oversoldUnits: number;
  /** Channel orders no stock covered, held for a person: committed, never sold in Lightspeed. */
  readonly ordersHeld: number;
}

/**
 * Compares every channel with the allocation of Lightspeed's levels (nothing is in flight
 * once the engine is idle, so the levels are the whole truth, less what the `held` orders
 * keep committed), and checks that no channel order became two sales.
 */
export function verifyWorld(world: World, held: readonly HeldOrder[] = []): Verdict {
  const { description } = world;
  const catalog = compileCatalog(description.catalog);
  const outletIds = description.lightspeed.outlets.map((o) => o.id);
  const stock = new StockLevels(outletIds);
  let oversoldUnits = 0;
  for (const sku of description.skus) {
    for (const outletId of outletIds) {
      const level = world.inventory(sku, outletId);
      if (level < 0) oversoldUnits -= level;
      const committed = held
        .flatMap((order) => order.lines)
        .filter((line) => line.sku === sku && line.locationId === outletId)
        .reduce((sum, line) => sum + line.quantity, 0);
      stock.set(sku, outletId, level - committed);
    }
  }
  const allocation = allocate(catalog, stock);
  const mismatches: Mismatch[] = [];
  for (const line of allocation.lines()) {
    const shows = world.shows(line.channelId, line.listingId);
    if (shows !== line.quantity)
      mismatches.push({
        channelId: line.channelId,
        sku: line.listingId,
        shows,
        expected: line.quantity,
      });
  }
  const live = new Map<string, number>();
  for (const sale of world.sandbox.lightspeed?.control.sales() ?? []) {
    if (sale.source_id === null || sale.status === "VOIDED") continue;
    live.set(sale.source_id, (live.get(sale.source_id) ?? 0) + 1);
  }
  // A refund's return is `channel:order:return:refund`; a split order's parts are
  // `order#1`, `order#2`, … and each part has its own return.
  const isReturn = (ref: string) => ref.includes(":return:");
  const sales = [...live].filter(([ref]) => !isReturn(ref));
  return {
    mismatches,
    doubledSales: [...live].filter(([, n]) => n > 1).map(([ref]) => ref),
    channelSales: sales.reduce((sum, [, n]) => sum + n, 0),
    ordersRecorded: new Set(sales.map(([ref]) => ref.replace(/#\d+$/, ""))).size,
    returnsRecorded: new Set(
      [...live.keys()].filter(isReturn).map((ref) => ref.replace(/#\d+(?=:return:)/, "")),
    ).size,
    oversoldUnits,
    ordersHeld: held.length,
  };
}
