/**
 * Benchmarks of @omnistock/core on a generated catalog: 100,000 SKUs × 10 locations ×
 * 4 channels, 5 % of listings bundles. Prints figures; asserts nothing.
 *
 *   pnpm --filter @omnistock/core bench      (or `pnpm bench` for every package)
 *
 * It runs the built package (`dist/`, as integrators get it), built first by the script.
 */
import {
  allocate,
  applyEvent,
  type CatalogConfig,
  compileCatalog,
  Ledger,
  listingKey,
  type Position,
  parseStockEvent,
  plan,
  reallocate,
  type StockEvent,
  StockLevels,
} from "@omnistock/core";

const SKU_COUNT = Number(process.env.BENCH_SKUS ?? 100_000);
const LOCATION_COUNT = 10;
const BUNDLE_SHARE = 0.05;
const LEDGER_EVENTS = 1_000_000;

let peakHeap = 0;
const heapAt: string[] = [];
const sampleHeap = (phase: string) => {
  // Collect first where the script runs with --expose-gc, so that garbage is not counted.
  (globalThis as { gc?: () => void }).gc?.();
  const used = process.memoryUsage().heapUsed;
  peakHeap = Math.max(peakHeap, used);
  heapAt.push(`${phase} ${Math.round(used / 2 ** 20)} MB`);
};

// A small deterministic generator, so runs compare.
let seed = 42;
const random = () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), seed | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const pick = (n: number) => Math.floor(random() * n);

const locations = Array.from({ length: LOCATION_COUNT }, (_, i) => `outlet-${i}`);
const skus = Array.from({ length: SKU_COUNT }, (_, i) => `SKU-${String(i).padStart(6, "0")}`);
const bundleCount = Math.round(SKU_COUNT * BUNDLE_SHARE);
const channels: CatalogConfig["channels"] = [
  { id: "shopify-main", feed: { mode: "sum", locationIds: locations }, buffer: { percent: 15 } },
  {
    id: "shopify-outlet",
    feed: { mode: "dedicated", shares: [{ locationId: "outlet-9", percent: 20 }] },
  },
  {
    id: "amazon",
    feed: { mode: "single", locationId: "outlet-0" },
    buffer: { percent: 10 },
    lowStock: { below: 5, buffer: { floor: 3 } },
  },
  {
    id: "bigcommerce",
    feed: {
      mode: "zones",
      zones: [
        { channelLocationId: "north", locationIds: locations.slice(0, 5) },
        { channelLocationId: "south", locationIds: locations.slice(5) },
      ],
    },
  },
];
/** The catalog config is built inside a function so that only the compiled catalog stays in memory. */
function buildCatalogConfig(): CatalogConfig {
  const listings: CatalogConfig["listings"] = [];
  for (const channel of channels) {
    for (let i = 0; i < SKU_COUNT - bundleCount; i++) {
      const sku = skus[i] as string;
      listings.push({ channelId: channel.id, listingId: sku, sku });
    }
    for (let b = 0; b < bundleCount; b++) {
      listings.push({
        channelId: channel.id,
        listingId: `BUNDLE-${b}`,
        components: [
          { sku: skus[(b * 7) % (SKU_COUNT - bundleCount)] as string, quantity: 1 },
          { sku: skus[(b * 13 + 1) % (SKU_COUNT - bundleCount)] as string, quantity: 2 },
        ],
      });
    }
  }
  return { locations: locations.map((id) => ({ id })), channels, listings };
}

const ms = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6;

let t = process.hrtime.bigint();
const catalog = compileCatalog(buildCatalogConfig());
const compileMs = ms(t);
sampleHeap("catalog");

const stock = new StockLevels(locations);
for (const sku of skus) for (const loc of locations) stock.set(sku, loc, pick(40));
sampleHeap("stock levels");

// Full allocation: best of 5 after one warm-up.
allocate(catalog, stock);
let fullMs = Number.POSITIVE_INFINITY;
let allocation = allocate(catalog, stock);
for (let run = 0; run < 5; run++) {
  t = process.hrtime.bigint();
  allocation = allocate(catalog, stock);
  fullMs = Math.min(fullMs, ms(t));
}
sampleHeap("allocation");
const positionCount = SKU_COUNT * LOCATION_COUNT;

// Incremental recompute after one sale: stock row update, reallocate and plan.
const published = new Map<string, number>();
for (const line of allocation.lines()) published.set(listingKey(line), line.quantity);
sampleHeap(`${published.size.toLocaleString("en-US")} published values`);
const samples: number[] = [];
for (let i = 0; i < 20_000; i++) {
  const sku = skus[pick(SKU_COUNT)] as string;
  const loc = locations[pick(LOCATION_COUNT)] as string;
  const start = process.hrtime.bigint();
  stock.set(sku, loc, Math.max(0, stock.get(sku, loc) - 1));
  const updates = plan(catalog, reallocate(catalog, stock, [sku]), (ref) =>
    published.get(listingKey(ref)),
  );
  for (const u of updates) published.set(listingKey(u), u.quantity);
  samples.push(Number(process.hrtime.bigint() - start) / 1e3);
}
samples.sort((a, b) => a - b);
const median = samples[Math.floor(samples.length / 2)] as number;
const p99 = samples[Math.floor(samples.length * 0.99)] as number;

// Ledger throughput: POS sales, receipts and counts over a million positions, generated
// in batches so that the events themselves do not fill the heap. Measured twice, each on
// its own: the in-place Ledger, and the pure applyEvent over a Map (what a store does).
function* batches(): Generator<StockEvent[]> {
  seed = 7;
  const BATCH = 100_000;
  for (let done = 0; done < LEDGER_EVENTS; done += BATCH) {
    const events: StockEvent[] = [];
    for (let i = done; i < done + BATCH; i++) {
      const sku = skus[pick(SKU_COUNT)] as string;
      const locationId = locations[pick(LOCATION_COUNT)] as string;
      const kind = pick(10);
      events.push(
        parseStockEvent(
          kind < 7
            ? { type: "pos.sale", id: `e${i}`, at: i, locationId, lines: [{ sku, quantity: 1 }] }
            : kind < 9
              ? {
                  type: "stock.received",
                  id: `e${i}`,
                  at: i,
                  locationId,
                  lines: [{ sku, quantity: 5 }],
                }
              : { type: "stock.counted", id: `e${i}`, at: i, locationId, sku, onHand: 20 },
        ),
      );
    }
    // Collect the garbage of generating and parsing the batch first, so that the timing
    // pays only for the ledger's own work.
    (globalThis as { gc?: () => void }).gc?.();
    yield events;
  }
}

const ledger = new Ledger();
let ledgerNs = 0n;
for (const events of batches()) {
  const start = process.hrtime.bigint();
  for (const event of events) ledger.apply(event);
  ledgerNs += process.hrtime.bigint() - start;
}
const ledgerMs = Number(ledgerNs) / 1e6;
sampleHeap(`${ledger.size.toLocaleString("en-US")} positions`);
const positionsHeld = ledger.size;

// The floor under any in-memory ledger on this machine: finding the position of each
// event in a two-level map (SKU, then location), and nothing else.
const index = new Map<string, Map<string, { onHand: number }>>();
for (const p of ledger.positions()) {
  let byLocation = index.get(p.sku);
  if (byLocation === undefined) {
    byLocation = new Map();
    index.set(p.sku, byLocation);
  }
  byLocation.set(p.locationId, { onHand: p.onHand });
}
let lookupNs = 0n;
for (const events of batches()) {
  const start = process.hrtime.bigint();
  for (const event of events) {
    if (event.type === "stock.counted") continue;
    const line = "lines" in event ? event.lines[0] : undefined;
    const found =
      line === undefined
        ? undefined
        : index.get(line.sku)?.get((event as { locationId: string }).locationId);
    if (found !== undefined) found.onHand -= 1;
  }
  lookupNs += process.hrtime.bigint() - start;
}
const lookupMs = Number(lookupNs) / 1e6;

let pure: Map<string, Position> | undefined = new Map<string, Position>();
let pureNs = 0n;
for (const events of batches()) {
  const start = process.hrtime.bigint();
  for (const event of events) {
    const { positions: changed, touched } = applyEvent(pure, event);
    for (let k = 0; k < changed.length; k++) pure.set(touched[k] as string, changed[k] as Position);
  }
  pureNs += process.hrtime.bigint() - start;
}
const pureMs = Number(pureNs) / 1e6;
if (pure.size !== positionsHeld)
  throw new Error("The Ledger and applyEvent disagree on the positions");
pure = undefined;

const fmt = (n: number, digits = 0) => n.toLocaleString("en-US", { maximumFractionDigits: digits });
console.log(`@omnistock/core benchmark — Node ${process.version}`);
console.log(
  `catalog: ${fmt(SKU_COUNT)} SKUs × ${LOCATION_COUNT} locations × ${channels.length} channels, ` +
    `${fmt(bundleCount)} bundles per channel, ${fmt(catalog.slotCount)} allocation slots (compiled in ${fmt(compileMs)} ms)`,
);
console.log(
  `full allocation:      ${fmt(fullMs, 1)} ms  (${fmt(positionCount / (fullMs / 1000))} positions/s)   target ≤ 250 ms`,
);
console.log(
  `incremental (1 sale): median ${fmt(median, 1)} µs, p99 ${fmt(p99, 1)} µs                  target median ≤ 20 µs`,
);
console.log(
  `ledger:               ${fmt(LEDGER_EVENTS / (ledgerMs / 1000))} events/s in place (Ledger), ${fmt(LEDGER_EVENTS / (pureMs / 1000))} events/s pure (applyEvent over a Map)   target ≥ 1,000,000/s`,
);
console.log(
  `  (lookups alone, two Map gets per event over the same positions: ${fmt(LEDGER_EVENTS / (lookupMs / 1000))} events/s)`,
);
console.log(
  `peak heap:            ${fmt(peakHeap / 2 ** 20)} MB                                   target ≤ 400 MB`,
);
console.log(`heap after each step: ${heapAt.join(", ")}`);
