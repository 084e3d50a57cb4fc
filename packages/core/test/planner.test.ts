import { describe, expect, it } from "vitest";
import { allocate, compileCatalog, listingKey, plan, StockLevels } from "../src/index.js";

describe("plan", () => {
  const catalog = compileCatalog({
    locations: [{ id: "main" }],
    channels: [
      { id: "shopify", feed: { mode: "single", locationId: "main" } },
      { id: "amazon", feed: { mode: "single", locationId: "main" }, urgentBelow: 5 },
    ],
    listings: ["MUG", "TEA", "JAM"].flatMap((sku) => [
      { channelId: "shopify", listingId: sku, sku },
      { channelId: "amazon", listingId: sku, sku },
    ]),
  });
  const stock = new StockLevels(["main"]);
  stock.set("MUG", "main", 0);
  stock.set("TEA", "main", 4);
  stock.set("JAM", "main", 30);
  const published = new Map<string, number>([
    [listingKey({ channelId: "shopify", listingId: "MUG" }), 1],
    [listingKey({ channelId: "amazon", listingId: "MUG" }), 1],
    [listingKey({ channelId: "shopify", listingId: "TEA" }), 9],
    [listingKey({ channelId: "amazon", listingId: "TEA" }), 9],
    [listingKey({ channelId: "shopify", listingId: "JAM" }), 30],
    [listingKey({ channelId: "amazon", listingId: "JAM" }), 12],
  ]);

  it("sends only changes, urgent ones (toward zero or under the channel's threshold) first", () => {
    const updates = plan(catalog, allocate(catalog, stock).lines(), (ref) =>
      published.get(listingKey(ref)),
    );
    expect(
      updates.map((u) => [u.channelId, u.listingId, u.previous, u.quantity, u.urgent]),
    ).toEqual([
      ["shopify", "MUG", 1, 0, true],
      ["amazon", "MUG", 1, 0, true],
      ["amazon", "TEA", 9, 4, true],
      ["shopify", "TEA", 9, 4, false],
      ["amazon", "JAM", 12, 30, false],
    ]);
  });

  it("keeps the latest value when a slot appears twice", () => {
    const updates = plan(
      catalog,
      [
        { slot: 0, quantity: 5 },
        { slot: 0, quantity: 7 },
      ],
      () => undefined,
    );
    expect(updates).toHaveLength(1);
    expect(updates[0]?.quantity).toBe(7);
  });
});
