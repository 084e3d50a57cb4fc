// The README's example, kept runnable: if this fails, the README says something untrue.
import { expect, it } from "vitest";
import {
  allocate,
  compileCatalog,
  explainSlot,
  listingKey,
  parseStockEvent,
  plan,
  reallocate,
  replay,
  StockLevels,
  slotOf,
} from "../src/index.js";

it("runs the README example with the numbers it shows", () => {
  const catalog = compileCatalog({
    locations: [{ id: "main-street" }, { id: "warehouse" }],
    channels: [
      {
        id: "shopify",
        feed: { mode: "sum", locationIds: ["main-street", "warehouse"] },
        buffer: { percent: 15 },
      },
      { id: "amazon", feed: { mode: "single", locationId: "warehouse" }, buffer: { percent: 15 } },
    ],
    listings: [
      { channelId: "shopify", listingId: "MUG-RED", sku: "MUG-RED" },
      { channelId: "amazon", listingId: "MUG-RED", sku: "MUG-RED" },
    ],
  });
  let positions = replay([
    parseStockEvent({
      type: "stock.counted",
      id: "c-1",
      at: 1_000,
      locationId: "warehouse",
      sku: "MUG-RED",
      onHand: 20,
    }),
  ]);
  const stock = StockLevels.fromPositions(["main-street", "warehouse"], positions.values(), 2_000);
  const allocation = allocate(catalog, stock);
  expect(allocation.quantity({ channelId: "shopify", listingId: "MUG-RED" })).toBe(17);
  expect(allocation.quantity({ channelId: "amazon", listingId: "MUG-RED" })).toBe(17);

  const published = new Map(
    [...allocation.lines()].map((line) => [listingKey(line), line.quantity]),
  );
  positions = replay(
    [
      parseStockEvent({
        type: "pos.sale",
        id: "s-1",
        at: 3_000,
        locationId: "warehouse",
        lines: [{ sku: "MUG-RED", quantity: 1 }],
      }),
    ],
    positions,
  );
  for (const p of positions.values()) stock.setFromPosition(p, 3_000);
  const updates = plan(catalog, reallocate(catalog, stock, ["MUG-RED"]), (ref) =>
    published.get(listingKey(ref)),
  );
  expect(updates).toMatchObject([
    { channelId: "shopify", listingId: "MUG-RED", previous: 17, quantity: 16, urgent: false },
    { channelId: "amazon", listingId: "MUG-RED", previous: 17, quantity: 16, urgent: false },
  ]);
  expect(
    explainSlot(catalog, stock, slotOf(catalog, { channelId: "amazon", listingId: "MUG-RED" }))
      .summary,
  ).toBe("warehouse 19 = 19; buffer (default) holds back 3; shows 16");
});
