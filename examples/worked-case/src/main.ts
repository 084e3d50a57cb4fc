/**
 * A worked case for @omnistock/core: three Lightspeed outlets, two Shopify stores, Amazon
 * and BigCommerce. It replays a morning of trading through the ledger, allocates, plans
 * the channel updates and prints each channel's number with the reason for it.
 */
import {
  allocate,
  compileCatalog,
  expandBundles,
  explainSlot,
  listingKey,
  parseStockEvent,
  plan,
  positionKey,
  reallocate,
  replay,
  routeOrder,
  routingCandidates,
  type StockEventInput,
  StockLevels,
} from "@omnistock/core";

const catalog = compileCatalog({
  locations: [{ id: "main-street" }, { id: "mall" }, { id: "warehouse" }],
  skus: ["MUG-RED", "TEA-EARL", "GIFT-SET"],
  channels: [
    {
      id: "shopify-eu",
      name: "Shopify (EU store)",
      feed: { mode: "sum", locationIds: ["main-street", "mall", "warehouse"] },
      buffer: { percent: 15 },
    },
    {
      id: "shopify-outlet",
      name: "Shopify (outlet store)",
      feed: { mode: "dedicated", shares: [{ locationId: "warehouse", percent: 20 }] },
    },
    {
      id: "amazon",
      name: "Amazon (merchant fulfilled)",
      feed: { mode: "single", locationId: "warehouse" },
      buffer: { percent: 15 },
      lowStock: { below: 5, buffer: { floor: 3 } },
    },
    {
      id: "bigcommerce",
      name: "BigCommerce",
      feed: {
        mode: "zones",
        zones: [
          { channelLocationId: "north", locationIds: ["mall", "warehouse"] },
          { channelLocationId: "city", locationIds: ["main-street"] },
        ],
      },
    },
  ],
  listings: [
    { channelId: "shopify-eu", listingId: "MUG-RED", sku: "MUG-RED" },
    { channelId: "shopify-eu", listingId: "TEA-EARL", sku: "TEA-EARL" },
    {
      channelId: "shopify-eu",
      listingId: "GIFT-SET",
      components: [
        { sku: "MUG-RED", quantity: 2 },
        { sku: "TEA-EARL", quantity: 1 },
      ],
    },
    { channelId: "shopify-outlet", listingId: "MUG-RED", sku: "MUG-RED" },
    { channelId: "amazon", listingId: "MUG-RED", sku: "MUG-RED" },
    { channelId: "bigcommerce", listingId: "MUG-RED", sku: "MUG-RED" },
  ],
  bundles: [
    {
      sku: "GIFT-SET",
      components: [
        { sku: "MUG-RED", quantity: 2 },
        { sku: "TEA-EARL", quantity: 1 },
      ],
    },
  ],
});

const morning = Date.UTC(2026, 10, 22, 9, 0);
const minute = 60_000;
const counted = (locationId: string, sku: string, onHand: number): StockEventInput => ({
  type: "stock.counted",
  id: `count-${locationId}-${sku}`,
  at: morning,
  locationId,
  sku,
  onHand,
});

// Opening counts from the POS.
let positions = replay(
  [
    counted("main-street", "MUG-RED", 6),
    counted("mall", "MUG-RED", 0),
    counted("warehouse", "MUG-RED", 20),
    counted("main-street", "TEA-EARL", 10),
    counted("warehouse", "TEA-EARL", 4),
  ].map(parseStockEvent),
);
const locations = catalog.locations.map((l) => l.id);
let stock = StockLevels.fromPositions(locations, positions.values(), morning);
const opening = allocate(catalog, stock);
const published = new Map<string, number>();
for (const line of opening.lines()) published.set(listingKey(line), line.quantity);

// A gift set sells at the counter; an Amazon order is routed and committed; a mug comes back.
const giftSet = expandBundles(catalog, [{ sku: "GIFT-SET", quantity: 1 }]);
const amazonOrder = routeOrder({
  lines: [{ sku: "MUG-RED", quantity: 2 }],
  candidates: routingCandidates(catalog, "amazon"),
  available: (sku, loc) => stock.get(sku, loc),
});
const day: StockEventInput[] = [
  {
    type: "pos.sale",
    id: "sale-1001",
    at: morning + 5 * minute,
    locationId: "main-street",
    lines: giftSet,
  },
  {
    type: "order.placed",
    id: "amazon-111-2222",
    at: morning + 9 * minute,
    channelId: "amazon",
    orderId: "111-2222",
    lines: amazonOrder.assignments.map((a) => ({ ...a })),
  },
  {
    type: "pos.return",
    id: "return-77",
    at: morning + 14 * minute,
    locationId: "mall",
    lines: [{ sku: "MUG-RED", quantity: 1, restock: true }],
  },
];
const touched = new Set<string>();
for (const event of day.map(parseStockEvent)) {
  positions = replay([event], positions);
  for (const line of "lines" in event ? event.lines : []) touched.add(line.sku);
}
const now = morning + 15 * minute;
stock = StockLevels.fromPositions(locations, positions.values(), now);
const updates = plan(catalog, reallocate(catalog, stock, touched), (ref) =>
  published.get(listingKey(ref)),
);

console.log("Omnistock worked case — core only (no network)\n");
console.log(`Amazon order 111-2222 routed: ${amazonOrder.why.join("; ")}\n`);
console.log("Updates to send (urgent first):");
for (const u of updates) {
  const where = u.channelLocationId === undefined ? "" : ` @ ${u.channelLocationId}`;
  console.log(
    `  ${u.urgent ? "URGENT " : "       "}${u.channelId}${where} ${u.listingId}: ${u.previous ?? "—"} → ${u.quantity}`,
  );
}
console.log("\nEvery channel's number and why:");
const final = allocate(catalog, stock);
for (const line of final.lines()) {
  const why = explainSlot(catalog, stock, line.slot, {
    positions: (sku, loc) => positions.get(positionKey(sku, loc)),
    asOf: now,
  });
  const where = line.channelLocationId === undefined ? "" : ` @ ${line.channelLocationId}`;
  console.log(
    `  ${`${line.channelId}${where} ${line.listingId}`.padEnd(36)} ${String(line.quantity).padStart(3)}  ${why.summary}`,
  );
}
