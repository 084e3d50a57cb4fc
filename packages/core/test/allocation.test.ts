import { describe, expect, it } from "vitest";
import {
  allocate,
  type CatalogConfig,
  compileCatalog,
  expandBundles,
  explainSlot,
  parseStockEvent,
  positionKey,
  reallocate,
  replay,
  StockLevels,
  slotOf,
} from "../src/index.js";

const outlets = [{ id: "main-street" }, { id: "mall" }, { id: "warehouse" }];

function stockOf(
  levels: Record<string, Record<string, number>>,
  locations = outlets.map((o) => o.id),
) {
  const stock = new StockLevels(locations);
  for (const [sku, byLocation] of Object.entries(levels)) {
    for (const [loc, units] of Object.entries(byLocation)) stock.set(sku, loc, units);
  }
  return stock;
}

function setup(config: CatalogConfig, levels: Record<string, Record<string, number>>) {
  const catalog = compileCatalog(config);
  const stock = stockOf(
    levels,
    catalog.locations.map((l) => l.id),
  );
  const allocation = allocate(catalog, stock);
  return {
    catalog,
    stock,
    allocation,
    qty: (channelId: string, listingId: string, channelLocationId?: string) =>
      allocation.quantity(
        channelLocationId === undefined
          ? { channelId, listingId }
          : { channelId, listingId, channelLocationId },
      ),
  };
}

describe("allocation: shared pool and buffers", () => {
  it("shows 17 on Shopify and 17 on Amazon for 20 units with a 15 % buffer each", () => {
    const { qty } = setup(
      {
        locations: outlets,
        channels: [
          {
            id: "shopify",
            feed: { mode: "single", locationId: "warehouse" },
            buffer: { percent: 15 },
          },
          {
            id: "amazon",
            feed: { mode: "single", locationId: "warehouse" },
            buffer: { percent: 15 },
          },
        ],
        listings: [
          { channelId: "shopify", listingId: "MUG", sku: "MUG" },
          { channelId: "amazon", listingId: "MUG-A", sku: "MUG" },
        ],
      },
      { MUG: { warehouse: 20 } },
    );
    expect(qty("shopify", "MUG")).toBe(17);
    expect(qty("amazon", "MUG-A")).toBe(17);
  });
});

describe("allocation: mapping modes", () => {
  const three = { MUG: { "main-street": 5, mall: 0, warehouse: 12 } };

  it("single location vs the sum of three outlets", () => {
    const { qty } = setup(
      {
        locations: outlets,
        channels: [
          { id: "single", feed: { mode: "single", locationId: "mall" } },
          { id: "sum", feed: { mode: "sum", locationIds: ["main-street", "mall", "warehouse"] } },
        ],
        listings: [
          { channelId: "single", listingId: "MUG", sku: "MUG" },
          { channelId: "sum", listingId: "MUG", sku: "MUG" },
        ],
      },
      three,
    );
    expect(qty("single", "MUG")).toBe(0);
    expect(qty("sum", "MUG")).toBe(17);
  });

  it("location to location: each channel location mirrors its outlet", () => {
    const { qty } = setup(
      {
        locations: outlets,
        channels: [
          {
            id: "shopify",
            feed: {
              mode: "location",
              map: [
                { channelLocationId: "gid://shopify/Location/1", locationId: "main-street" },
                { channelLocationId: "gid://shopify/Location/2", locationId: "warehouse" },
              ],
            },
          },
        ],
        listings: [{ channelId: "shopify", listingId: "MUG", sku: "MUG" }],
      },
      three,
    );
    expect(qty("shopify", "MUG", "gid://shopify/Location/1")).toBe(5);
    expect(qty("shopify", "MUG", "gid://shopify/Location/2")).toBe(12);
  });

  it("dedicated e-commerce share: the web store gets 30 % of the warehouse, the POS-fed channel the rest", () => {
    const { qty } = setup(
      {
        locations: outlets,
        channels: [
          {
            id: "web",
            feed: { mode: "dedicated", shares: [{ locationId: "warehouse", percent: 30 }] },
          },
          { id: "amazon", feed: { mode: "single", locationId: "warehouse" } },
          {
            id: "ebay",
            feed: { mode: "dedicated", shares: [{ locationId: "main-street", units: 2 }] },
          },
          { id: "shop-floor", feed: { mode: "single", locationId: "main-street" } },
        ],
        listings: [
          { channelId: "web", listingId: "MUG", sku: "MUG" },
          { channelId: "amazon", listingId: "MUG", sku: "MUG" },
          { channelId: "ebay", listingId: "MUG", sku: "MUG" },
          { channelId: "shop-floor", listingId: "MUG", sku: "MUG" },
        ],
      },
      three,
    );
    expect(qty("web", "MUG")).toBe(3); // ⌊12 × 30 %⌋
    expect(qty("amazon", "MUG")).toBe(9); // 12 − 3 set aside
    expect(qty("ebay", "MUG")).toBe(2);
    expect(qty("shop-floor", "MUG")).toBe(3);
  });

  it("fulfilment zones: a zone whose nearest location is empty still sells from the next", () => {
    const { qty, catalog, stock } = setup(
      {
        locations: outlets,
        channels: [
          {
            id: "bigcommerce",
            feed: {
              mode: "zones",
              zones: [
                { channelLocationId: "north", locationIds: ["mall", "warehouse"] },
                { channelLocationId: "city", locationIds: ["main-street"] },
              ],
            },
          },
        ],
        listings: [{ channelId: "bigcommerce", listingId: "MUG", sku: "MUG" }],
      },
      three,
    );
    expect(qty("bigcommerce", "MUG", "north")).toBe(12);
    expect(qty("bigcommerce", "MUG", "city")).toBe(5);
    const why = explainSlot(
      catalog,
      stock,
      slotOf(catalog, { channelId: "bigcommerce", listingId: "MUG", channelLocationId: "north" }),
    );
    expect(why.components[0]?.sources.map((s) => [s.locationId, s.counted])).toEqual([
      ["mall", 0],
      ["warehouse", 12],
    ]);
  });
});

describe("allocation: split pools", () => {
  it("divides the pool by weight with largest-remainder rounding, never above the pool", () => {
    const { qty } = setup(
      {
        locations: outlets,
        channels: [
          { id: "a", feed: { mode: "single", locationId: "warehouse" } },
          { id: "b", feed: { mode: "single", locationId: "warehouse" } },
          { id: "c", feed: { mode: "single", locationId: "warehouse" } },
        ],
        listings: ["a", "b", "c"].map((channelId) => ({ channelId, listingId: "MUG", sku: "MUG" })),
        pools: [
          {
            id: "web",
            mode: "split",
            channels: [
              { channelId: "a", weight: 1 },
              { channelId: "b", weight: 1 },
              { channelId: "c", weight: 1 },
            ],
          },
        ],
      },
      { MUG: { warehouse: 10 } },
    );
    // 10 ÷ 3 = 3.33 each; the leftover unit goes to the lowest channel id among equal remainders.
    expect([qty("a", "MUG"), qty("b", "MUG"), qty("c", "MUG")]).toEqual([4, 3, 3]);
  });

  it("uses per-SKU weights such as sell-through velocity", () => {
    const { qty } = setup(
      {
        locations: outlets,
        channels: [
          { id: "shopify", feed: { mode: "single", locationId: "warehouse" } },
          { id: "amazon", feed: { mode: "single", locationId: "warehouse" } },
        ],
        listings: [
          { channelId: "shopify", listingId: "MUG", sku: "MUG" },
          { channelId: "amazon", listingId: "MUG", sku: "MUG" },
        ],
        pools: [
          {
            id: "p",
            mode: "split",
            channels: [
              { channelId: "shopify", weight: 1 },
              { channelId: "amazon", weight: 1 },
            ],
            skuWeights: { MUG: { shopify: 3, amazon: 1 } },
          },
        ],
      },
      { MUG: { warehouse: 20 } },
    );
    expect([qty("shopify", "MUG"), qty("amazon", "MUG")]).toEqual([15, 5]);
  });
});

describe("allocation: bundles", () => {
  const giftSet = [
    { sku: "MUG", quantity: 2 },
    { sku: "TEA", quantity: 1 },
  ];
  const config: CatalogConfig = {
    locations: outlets,
    channels: [
      { id: "shopify", feed: { mode: "single", locationId: "main-street" } },
      { id: "amazon", feed: { mode: "single", locationId: "main-street" }, buffer: { units: 1 } },
    ],
    listings: [
      {
        channelId: "shopify",
        listingId: "GIFT-SET",
        components: giftSet,
      },
      { channelId: "shopify", listingId: "MUG", sku: "MUG" },
      { channelId: "shopify", listingId: "TEA", sku: "TEA" },
      {
        channelId: "amazon",
        listingId: "GIFT-SET",
        components: giftSet,
      },
      { channelId: "amazon", listingId: "TEA", sku: "TEA" },
    ],
    bundles: [
      {
        sku: "GIFT-SET",
        components: giftSet,
      },
    ],
  };

  it("is limited by the binding component, and explains it", () => {
    const { qty, catalog, stock } = setup(config, {
      MUG: { "main-street": 7 },
      TEA: { "main-street": 10 },
    });
    expect(qty("shopify", "GIFT-SET")).toBe(3); // ⌊7 ÷ 2⌋
    expect(qty("amazon", "GIFT-SET")).toBe(2); // 3 less the 1-unit buffer
    const why = explainSlot(
      catalog,
      stock,
      slotOf(catalog, { channelId: "shopify", listingId: "GIFT-SET" }),
    );
    expect(why.binding).toBe("MUG");
    expect(why.summary).toContain("MUG binds at 3");
  });

  it("a gift set sold in the store lowers its components on every channel", () => {
    const { catalog } = setup(config, {});
    const sold = expandBundles(catalog, [{ sku: "GIFT-SET", quantity: 1 }]);
    expect(sold).toEqual([
      { sku: "MUG", quantity: 2 },
      { sku: "TEA", quantity: 1 },
    ]);
    const positions = replay([
      parseStockEvent({
        type: "stock.counted",
        id: "c1",
        at: 1,
        locationId: "main-street",
        sku: "MUG",
        onHand: 7,
      }),
      parseStockEvent({
        type: "stock.counted",
        id: "c2",
        at: 1,
        locationId: "main-street",
        sku: "TEA",
        onHand: 10,
      }),
      parseStockEvent({
        type: "pos.sale",
        id: "s1",
        at: 2,
        locationId: "main-street",
        lines: sold,
      }),
    ]);
    const stock = StockLevels.fromPositions(
      catalog.locations.map((l) => l.id),
      positions.values(),
      3,
    );
    const allocation = allocate(catalog, stock);
    expect(allocation.quantity({ channelId: "shopify", listingId: "MUG" })).toBe(5);
    expect(allocation.quantity({ channelId: "shopify", listingId: "TEA" })).toBe(9);
    expect(allocation.quantity({ channelId: "amazon", listingId: "TEA" })).toBe(8);
    expect(allocation.quantity({ channelId: "shopify", listingId: "GIFT-SET" })).toBe(2);
    expect(allocation.quantity({ channelId: "amazon", listingId: "GIFT-SET" })).toBe(1);
    expect(positions.get(positionKey("GIFT-SET", "main-street"))).toBeUndefined();
  });
});

describe("allocation: returns and incremental recompute", () => {
  it("a return restocked at the counter reappears online at once", () => {
    const { catalog, stock, allocation } = setup(
      {
        locations: outlets,
        channels: [{ id: "shopify", feed: { mode: "sum", locationIds: ["main-street", "mall"] } }],
        listings: [{ channelId: "shopify", listingId: "MUG", sku: "MUG" }],
      },
      { MUG: { "main-street": 0, mall: 0 } },
    );
    expect(allocation.quantity({ channelId: "shopify", listingId: "MUG" })).toBe(0);
    const positions = replay([
      parseStockEvent({
        type: "pos.return",
        id: "ret-1",
        at: 5,
        locationId: "mall",
        lines: [{ sku: "MUG", quantity: 1, restock: true }],
      }),
    ]);
    for (const p of positions.values()) stock.setFromPosition(p, 6);
    const changes = reallocate(catalog, stock, ["MUG"]);
    expect(changes).toEqual([{ slot: 0, quantity: 1 }]);
  });

  it("recomputes only listings that use the touched SKU, bundles included", () => {
    const { catalog, stock } = setup(
      {
        locations: outlets,
        channels: [{ id: "s", feed: { mode: "single", locationId: "mall" } }],
        listings: [
          { channelId: "s", listingId: "A", sku: "A" },
          { channelId: "s", listingId: "B", sku: "B" },
          {
            channelId: "s",
            listingId: "AB",
            components: [
              { sku: "A", quantity: 1 },
              { sku: "B", quantity: 1 },
            ],
          },
        ],
      },
      { A: { mall: 3 }, B: { mall: 4 } },
    );
    expect(reallocate(catalog, stock, ["A"]).map((c) => c.slot)).toEqual([0, 2]);
  });
});

describe("explanations", () => {
  it("name the in-flight orders committed at a source", () => {
    const catalog = compileCatalog({
      locations: [{ id: "warehouse" }],
      channels: [
        {
          id: "amazon",
          feed: { mode: "single", locationId: "warehouse" },
          buffer: { percent: 15 },
        },
      ],
      listings: [{ channelId: "amazon", listingId: "MUG", sku: "MUG" }],
    });
    const positions = replay(
      [
        { type: "stock.counted", id: "c", at: 1, locationId: "warehouse", sku: "MUG", onHand: 20 },
        {
          type: "order.placed",
          id: "o",
          at: 2,
          channelId: "shopify",
          orderId: "1001",
          lines: [{ sku: "MUG", locationId: "warehouse", quantity: 2 }],
        },
      ].map(parseStockEvent),
    );
    const stock = StockLevels.fromPositions(["warehouse"], positions.values(), 3);
    const why = explainSlot(catalog, stock, 0, {
      positions: (sku, loc) => positions.get(positionKey(sku, loc)),
      asOf: 3,
    });
    expect(why.components[0]?.sources[0]?.position).toEqual({
      onHand: 20,
      committed: 2,
      reserved: 0,
      unsellable: 0,
      safetyStock: 0,
    });
    expect(why.summary).toBe(
      "warehouse 18 (20 on hand − 2 committed) = 18; buffer (default) holds back 3; shows 15",
    );
  });
});
