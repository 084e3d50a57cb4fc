import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type Allocation,
  allocate,
  type Catalog,
  type CatalogConfig,
  type CompiledListing,
  compileCatalog,
  explainSlot,
  listingKey,
  plan,
  reallocate,
  refOfSlot,
  StockLevels,
} from "../src/index.js";
import { catalogArb, LOCATIONS, levelsArb, SKUS, stockFrom } from "./support/arbitraries.js";

const listingOf = (catalog: Catalog, slot: number) =>
  catalog.listings[catalog.slotListing[slot] as number] as CompiledListing;
const sourcesOf = (catalog: Catalog, slot: number) =>
  catalog.channelSlots[catalog.slotChannelSlot[slot] as number]?.sources.map(
    (l) => catalog.locations[l]?.id as string,
  ) ?? [];
const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
const byRef = (allocation: Allocation) =>
  Object.fromEntries([...allocation.lines()].map((line) => [listingKey(line), line.quantity]));

function allocated(config: CatalogConfig, levels: Record<string, Record<string, number>>) {
  const catalog = compileCatalog(config);
  const stock = stockFrom(levels);
  return { catalog, stock, allocation: allocate(catalog, stock) };
}

describe("allocation properties", () => {
  it("never shows a quantity below zero", () => {
    fc.assert(
      fc.property(catalogArb(), levelsArb, (config, levels) => {
        const allocation = allocate(compileCatalog(config), stockFrom(levels));
        for (const line of allocation.lines()) expect(line.quantity).toBeGreaterThanOrEqual(0);
      }),
    );
  });

  it("never shows a listing above the available stock of its sources", () => {
    fc.assert(
      fc.property(catalogArb(), levelsArb, (config, levels) => {
        const { catalog, stock, allocation } = allocated(config, levels);
        for (const line of allocation.lines()) {
          const sources = sourcesOf(catalog, line.slot);
          for (const c of listingOf(catalog, line.slot).components) {
            const there = sum(sources.map((l) => stock.get(c.sku, l)));
            expect(line.quantity * c.quantity).toBeLessThanOrEqual(there);
          }
        }
      }),
    );
  });

  it("keeps a split pool's channels' sum at or under the pool, SKU by SKU", () => {
    fc.assert(
      fc.property(catalogArb({ split: true }), levelsArb, (config, levels) => {
        const { catalog, stock, allocation } = allocated(config, levels);
        for (const pool of catalog.pools) {
          const members = new Set(pool.channels);
          for (const sku of SKUS) {
            const slots = [...allocation.lines()].filter((line) => {
              const listing = listingOf(catalog, line.slot);
              return (
                members.has(listing.channelIndex) &&
                !listing.isBundle &&
                listing.components[0]?.sku === sku
              );
            });
            const locations = new Set(slots.flatMap((line) => sourcesOf(catalog, line.slot)));
            const poolUnits = sum([...locations].map((l) => stock.get(sku, l)));
            expect(sum(slots.map((line) => line.quantity))).toBeLessThanOrEqual(poolUnits);
          }
        }
      }),
    );
  });

  it("never shows a bundle above what any component allows", () => {
    fc.assert(
      fc.property(catalogArb(), levelsArb, (config, levels) => {
        const { catalog, stock, allocation } = allocated(config, levels);
        for (const line of allocation.lines()) {
          const listing = listingOf(catalog, line.slot);
          if (!listing.isBundle) continue;
          const why = explainSlot(catalog, stock, line.slot);
          expect(why.quantity).toBe(line.quantity);
          for (const c of why.components) expect(line.quantity).toBeLessThanOrEqual(c.allows);
        }
      }),
    );
  });

  it("never lowers a channel's number when stock is added (shared pool)", () => {
    fc.assert(
      fc.property(
        catalogArb({ split: false }),
        levelsArb,
        fc.constantFrom(...SKUS),
        fc.constantFrom(...LOCATIONS),
        fc.integer({ min: 1, max: 20 }),
        (config, levels, sku, location, added) => {
          const catalog = compileCatalog(config);
          const stock = stockFrom(levels);
          const before = allocate(catalog, stock);
          stock.set(sku, location, stock.get(sku, location) + added);
          const after = allocate(catalog, stock);
          for (let slot = 0; slot < before.size; slot++)
            expect(after.at(slot)).toBeGreaterThanOrEqual(before.at(slot));
        },
      ),
    );
  });

  it("gives the same result whatever the order of locations, channels, listings, pool members and stock", () => {
    fc.assert(
      fc.property(catalogArb(), levelsArb, fc.integer(), (config, levels, seed) => {
        const shuffle = <T>(items: readonly T[], salt: number): T[] =>
          fc.sample(fc.shuffledSubarray([...items], { minLength: items.length }), {
            numRuns: 1,
            seed: seed + salt,
          })[0] ?? [...items];
        const reordered: CatalogConfig = {
          ...config,
          locations: shuffle(config.locations, 1),
          channels: shuffle(config.channels, 2),
          listings: shuffle(config.listings, 3),
          ...(config.pools === undefined
            ? {}
            : { pools: config.pools.map((p) => ({ ...p, channels: shuffle(p.channels, 4) })) }),
        };
        const a = compileCatalog(config);
        const b = compileCatalog(reordered);
        const stockB = new StockLevels(b.locations.map((l) => l.id));
        for (const [sku, byLoc] of shuffle(Object.entries(levels), 5)) {
          for (const [loc, units] of shuffle(Object.entries(byLoc), 6)) stockB.set(sku, loc, units);
        }
        expect(byRef(allocate(b, stockB))).toEqual(byRef(allocate(a, stockFrom(levels))));
      }),
    );
  });

  it("recomputing only the touched SKUs equals a full recompute", () => {
    fc.assert(
      fc.property(catalogArb(), levelsArb, levelsArb, (config, levels, changes) => {
        const catalog = compileCatalog(config);
        const stock = stockFrom(levels);
        const previous = allocate(catalog, stock);
        for (const [sku, byLoc] of Object.entries(changes))
          for (const [l, n] of Object.entries(byLoc)) stock.set(sku, l, n);
        const incremental = previous.withUpdates(reallocate(catalog, stock, Object.keys(changes)));
        expect(byRef(incremental)).toEqual(byRef(allocate(catalog, stock)));
      }),
    );
  });

  it("applying the plan to the published values gives the new allocation, and the plan is minimal", () => {
    fc.assert(
      fc.property(
        catalogArb(),
        levelsArb,
        fc.array(fc.option(fc.nat(40), { nil: undefined }), { maxLength: 60 }),
        (config, levels, old) => {
          const catalog = compileCatalog(config);
          const allocation = allocate(catalog, stockFrom(levels));
          const published = new Map<string, number>();
          old.forEach((value, slot) => {
            if (value !== undefined && slot < catalog.slotCount)
              published.set(listingKey(refOfSlot(catalog, slot)), value);
          });
          const lines = [...allocation.lines()];
          const updates = plan(catalog, lines, (ref) => published.get(listingKey(ref)));
          for (const u of updates) expect(published.get(listingKey(u))).not.toBe(u.quantity);
          for (const u of updates) published.set(listingKey(u), u.quantity);
          for (const line of lines) expect(published.get(listingKey(line))).toBe(line.quantity);
          const firstNormal = updates.findIndex((u) => !u.urgent);
          if (firstNormal !== -1)
            expect(updates.slice(firstNormal).every((u) => !u.urgent)).toBe(true);
        },
      ),
    );
  });
});
