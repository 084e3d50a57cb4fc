/**
 * fast-check arbitraries shared by the core's property tests: small worlds (a few SKUs,
 * locations and channels) so that collisions — the interesting cases — are frequent.
 */
import fc from "fast-check";
import type { BufferRule, CatalogConfig, LocationFeed, StockEventInput } from "../../src/index.js";
import { StockLevels } from "../../src/index.js";

export const SKUS = ["A", "B", "C", "D"] as const;
export const LOCATIONS = ["l0", "l1", "l2", "l3"] as const;

const sku = fc.constantFrom(...SKUS);
const loc = fc.constantFrom(...LOCATIONS);
const qty = fc.integer({ min: 1, max: 9 });
const time = fc.integer({ min: 0, max: 50 });

/** One event of any kind over the small world; ids are made unique by {@link eventList}. */
export const eventArb: fc.Arbitrary<StockEventInput> = fc.oneof(
  fc.record({
    type: fc.constant("pos.sale"),
    locationId: loc,
    lines: fc.array(fc.record({ sku, quantity: qty }), { minLength: 1, maxLength: 2 }),
    orderRef: fc.option(fc.constantFrom("o1", "o2"), { nil: undefined }),
  }),
  fc.record({
    type: fc.constant("pos.return"),
    locationId: loc,
    lines: fc.array(fc.record({ sku, quantity: qty, restock: fc.boolean() }), {
      minLength: 1,
      maxLength: 2,
    }),
  }),
  fc.record({
    type: fc.constant("stock.adjusted"),
    locationId: loc,
    sku,
    delta: fc.integer({ min: -9, max: 9 }),
    bucket: fc.constantFrom("onHand", "unsellable", "incoming"),
  }),
  fc.record({
    type: fc.constant("stock.counted"),
    locationId: loc,
    sku,
    onHand: fc.integer({ min: 0, max: 30 }),
    version: fc.option(fc.nat(5), { nil: undefined }),
  }),
  fc.record({
    type: fc.constant("stock.received"),
    locationId: loc,
    lines: fc.array(fc.record({ sku, quantity: qty }), { minLength: 1, maxLength: 2 }),
    wasIncoming: fc.boolean(),
  }),
  fc.record({
    type: fc.constantFrom("transfer.sent", "transfer.received"),
    transferId: fc.constantFrom("t1", "t2"),
    fromLocationId: loc,
    toLocationId: loc,
    lines: fc.array(fc.record({ sku, quantity: qty }), { minLength: 1, maxLength: 2 }),
  }),
  fc.record({
    type: fc.constantFrom("order.placed", "order.cancelled", "order.fulfilled"),
    channelId: fc.constantFrom("shop", "amz"),
    orderId: fc.constantFrom("o1", "o2", "o3"),
    lines: fc.array(fc.record({ sku, locationId: loc, quantity: qty }), {
      minLength: 1,
      maxLength: 2,
    }),
  }),
  fc.record({
    type: fc.constant("order.refunded"),
    channelId: fc.constant("shop"),
    orderId: fc.constantFrom("o1", "o2"),
    lines: fc.array(fc.record({ sku, locationId: loc, quantity: qty, restock: fc.boolean() }), {
      minLength: 1,
      maxLength: 2,
    }),
  }),
  fc.record({
    type: fc.constant("stock.reserved"),
    reservationId: fc.constantFrom("r1", "r2"),
    locationId: loc,
    sku,
    quantity: qty,
    expiresAt: fc.integer({ min: 0, max: 60 }),
  }),
  fc.record({
    type: fc.constantFrom("reservation.released", "reservation.expired"),
    reservationId: fc.constantFrom("r1", "r2"),
    locationId: loc,
    sku,
  }),
  fc.record({ type: fc.constant("safety-stock.set"), locationId: loc, sku, quantity: fc.nat(5) }),
) as fc.Arbitrary<StockEventInput>;

/** A list of events with unique ids and random times. */
export const eventList = (maxLength = 25, minLength = 0): fc.Arbitrary<StockEventInput[]> =>
  fc.array(fc.tuple(eventArb, time), { minLength, maxLength }).map((pairs) =>
    pairs.map(([event, at], i) => {
      const clean = Object.fromEntries(Object.entries(event).filter(([, v]) => v !== undefined));
      return { ...clean, id: `e${i}`, at } as StockEventInput;
    }),
  );

const bufferArb: fc.Arbitrary<BufferRule> = fc.record(
  {
    percent: fc.integer({ min: 0, max: 60 }),
    units: fc.nat(3),
    floor: fc.nat(4),
    cap: fc.integer({ min: 1, max: 40 }),
  },
  { requiredKeys: [] },
);

const locationSubset = fc.subarray([...LOCATIONS], { minLength: 1 });

const feedArb = (channel: number): fc.Arbitrary<LocationFeed> =>
  fc.oneof(
    loc.map((locationId) => ({ mode: "single" as const, locationId })),
    locationSubset.map((locationIds) => ({ mode: "sum" as const, locationIds })),
    locationSubset.map((locs) => ({
      mode: "location" as const,
      map: locs.map((locationId, i) => ({ channelLocationId: `c${channel}-loc${i}`, locationId })),
    })),
    fc
      .tuple(
        locationSubset,
        fc.array(
          fc.oneof(
            fc.integer({ min: 1, max: 30 }).map((percent) => ({ percent })),
            fc.integer({ min: 1, max: 6 }).map((units) => ({ units })),
          ),
          { minLength: 4, maxLength: 4 },
        ),
      )
      .map(([locs, shares]) => ({
        mode: "dedicated" as const,
        shares: locs.map((locationId, i) => ({
          locationId,
          ...(shares[i] as { percent: number } | { units: number }),
        })),
      })),
    fc
      .array(fc.subarray([...LOCATIONS], { minLength: 1 }), { minLength: 1, maxLength: 3 })
      .map((zones) => ({
        mode: "zones" as const,
        zones: zones.map((locationIds, i) => ({
          channelLocationId: `c${channel}-zone${i}`,
          locationIds,
        })),
      })),
  );

export interface CatalogOptions {
  /** Allow split pools (which are not monotone: Alabama paradox). */
  readonly split?: boolean;
}

/** A random valid catalog over the small world. */
export const catalogArb = (
  options: CatalogOptions = { split: true },
): fc.Arbitrary<CatalogConfig> =>
  fc
    .integer({ min: 1, max: 4 })
    .chain((channelCount) =>
      fc.record({
        feeds: fc.tuple(...Array.from({ length: channelCount }, (_, i) => feedArb(i))),
        buffers: fc.array(fc.option(bufferArb, { nil: undefined }), {
          minLength: channelCount,
          maxLength: channelCount,
        }),
        lows: fc.array(
          fc.option(fc.record({ below: fc.integer({ min: 1, max: 10 }), buffer: bufferArb }), {
            nil: undefined,
          }),
          { minLength: channelCount, maxLength: channelCount },
        ),
        listed: fc.array(fc.subarray([...SKUS]), {
          minLength: channelCount,
          maxLength: channelCount,
        }),
        bundles: fc.array(
          fc.array(fc.record({ sku, quantity: fc.integer({ min: 1, max: 3 }) }), {
            minLength: 1,
            maxLength: 3,
          }),
          { minLength: channelCount, maxLength: channelCount },
        ),
        withBundle: fc.array(fc.boolean(), { minLength: channelCount, maxLength: channelCount }),
        split:
          options.split === false
            ? fc.constant([] as number[])
            : fc.subarray(Array.from({ length: channelCount }, (_, i) => i)),
        weights: fc.array(fc.nat(5), { minLength: channelCount, maxLength: channelCount }),
      }),
    )
    .map(({ feeds, buffers, lows, listed, bundles, withBundle, split, weights }) => {
      // Split pools take channels fed by single or sum feeds (other feeds may count a
      // location in several slots of one channel).
      const members = split.filter((i) => feeds[i]?.mode === "single" || feeds[i]?.mode === "sum");
      const percentUsed = new Map<string, number>();
      const channels = feeds.map((feed, i) => {
        let f = feed;
        if (f.mode === "dedicated") {
          // Keep every location's dedicated percents within 100 %.
          f = {
            ...f,
            shares: f.shares.map((share) => {
              if (!("percent" in share)) return share;
              const used = percentUsed.get(share.locationId) ?? 0;
              const percent = Math.min(share.percent, 100 - used);
              percentUsed.set(share.locationId, used + percent);
              return percent > 0 ? share : { locationId: share.locationId, units: 1 };
            }),
          };
        }
        return {
          id: `ch${i}`,
          feed: f,
          ...(buffers[i] === undefined ? {} : { buffer: buffers[i] }),
          ...(lows[i] === undefined ? {} : { lowStock: lows[i] }),
        };
      });
      const listings = channels.flatMap((c, i) => [
        ...(listed[i] ?? []).map((s) => ({ channelId: c.id, listingId: s, sku: s })),
        ...(withBundle[i]
          ? [{ channelId: c.id, listingId: "BUNDLE", components: bundles[i] ?? [] }]
          : []),
      ]);
      return {
        locations: LOCATIONS.map((id) => ({ id })),
        channels,
        listings,
        ...(members.length >= 2
          ? {
              pools: [
                {
                  id: "split",
                  mode: "split" as const,
                  channels: members.map((i) => ({ channelId: `ch${i}`, weight: weights[i] ?? 1 })),
                },
              ],
            }
          : {}),
      } satisfies CatalogConfig;
    });

/** Available units per SKU and location. */
export const levelsArb = fc.dictionary(
  fc.constantFrom(...SKUS),
  fc.dictionary(fc.constantFrom(...LOCATIONS), fc.nat(40)),
);

export function stockFrom(levels: Record<string, Record<string, number>>): StockLevels {
  const stock = new StockLevels([...LOCATIONS]);
  for (const [s, byLoc] of Object.entries(levels))
    for (const [l, n] of Object.entries(byLoc)) stock.set(s, l, n);
  return stock;
}
