/**
 * Throughput of the Shopify publisher against the sandbox at the standard plan's pace
 * (100 points restored per second, a 1,000-point bucket): how many inventory updates per
 * second it sustains once the bucket's first burst is spent, beside the ceiling the cost
 * model allows (restore rate ÷ cost per call × 250 per call ≈ 2,270/s at cost 11), and how
 * many answers were throttle refusals. Prints figures; asserts nothing.
 *
 *   pnpm --filter @omnistock/shopify bench:adapter   (the root `pnpm bench:adapters` builds first)
 *
 * It runs the built packages, as integrators get them.
 */
import { startSandbox } from "@omnistock/sandbox";
import {
  createShopifyClient,
  createShopifyMapping,
  createShopifyPublisher,
  SHOPIFY_MAX_BATCH,
} from "@omnistock/shopify";
import { createShopifyLimiter } from "@omnistock/transport";

const ITEMS = 2_500;
const RESTORE_RATE = 100;
const BUCKET = 1_000;
const WARMUP_MS = Number(process.env.BENCH_WARMUP_MS ?? 6_000);
const MEASURE_MS = Number(process.env.BENCH_MEASURE_MS ?? 28_000);

const sandbox = await startSandbox({
  shopify: [{ bucketSize: BUCKET, restoreRate: RESTORE_RATE }],
});
const shop = sandbox.shopify[0];
if (shop === undefined) throw new Error("the sandbox started no Shopify store");
const location = shop.control.addLocation("Web").id;
const items: Record<string, string> = {};
for (let i = 0; i < ITEMS; i++) {
  const sku = `BENCH-${String(i).padStart(5, "0")}`;
  const { inventoryItemId } = shop.control.addVariant({ sku });
  shop.control.stock(inventoryItemId, location, 0);
  items[sku] = inventoryItemId;
}
const skus = Object.keys(items);

/** One answered inventorySetQuantities: when, how many quantities, what it cost. */
const calls: { at: number; quantities: number; cost: number }[] = [];
const refusals: number[] = [];
const counting: typeof fetch = async (input, init) => {
  const request = new Request(input, init);
  const body = await request.clone().text();
  const response = await fetch(request);
  const text = await response.clone().text();
  const at = performance.now();
  if (response.status === 429 || text.includes('"THROTTLED"')) refusals.push(at);
  else if (body.includes("OmnistockSetQuantities")) {
    const sent = JSON.parse(body) as { variables: { input: { quantities: unknown[] } } };
    const cost = /"requestedQueryCost":(\d+)/.exec(text)?.[1];
    calls.push({ at, quantities: sent.variables.input.quantities.length, cost: Number(cost) });
  }
  return response;
};

const client = createShopifyClient({
  shop: shop.credentials.shop,
  baseUrl: shop.url,
  accessToken: shop.credentials.accessToken,
  limiter: createShopifyLimiter({ bucketSize: BUCKET, restoreRate: RESTORE_RATE }),
  http: { fetch: counting },
});
const publisher = createShopifyPublisher({
  client,
  channelId: "bench",
  mapping: createShopifyMapping({ client, items, discover: false }),
});

const started = performance.now();
const steadyFrom = started + WARMUP_MS;
const until = steadyFrom + MEASURE_MS;
const shown = new Map(skus.map((sku) => [sku, 0]));
let round = 0;
let unexpected = 0;
while (performance.now() < until) {
  round++;
  const outcomes = await publisher.publish(
    skus.map((sku) => ({
      listingId: sku,
      channelLocationId: location,
      quantity: (round % 40) + 1,
      previous: shown.get(sku),
      urgent: false,
    })),
  );
  for (const outcome of outcomes) {
    if (outcome.status === "published")
      shown.set(outcome.update.listingId, outcome.update.quantity);
    else unexpected++;
  }
}
const ended = performance.now();
await sandbox.close();

// The rate between the first and the last answer of the window: the updates answered after
// the first, over the time between them.
const steady = calls.filter((c) => c.at >= steadyFrom && c.at <= until);
const firstAt = steady[0]?.at ?? steadyFrom;
const lastAt = steady.at(-1)?.at ?? until;
const steadyUpdates = steady.slice(1).reduce((sum, c) => sum + c.quantities, 0);
const windowMs = lastAt - firstAt;
const rate = windowMs > 0 ? steadyUpdates / (windowMs / 1000) : 0;
const cost = steady[0]?.cost ?? calls[0]?.cost ?? 11;
const ceiling = (RESTORE_RATE / cost) * SHOPIFY_MAX_BATCH;
const total = calls.reduce((sum, c) => sum + c.quantities, 0);

const fmt = (n: number) => Math.round(n).toLocaleString("en-US");
console.log(
  `Shopify publisher · sandbox standard pace (${RESTORE_RATE} points/s, ${fmt(BUCKET)}-point bucket)`,
);
console.log(
  `  ${fmt(ITEMS)} item-locations, ${round} rounds, ${calls.length} inventorySetQuantities calls`,
);
console.log(`  cost per ${SHOPIFY_MAX_BATCH}-item call (extensions.cost)   ${cost} points`);
console.log(`  updates in all, ${((ended - started) / 1000).toFixed(1)} s          ${fmt(total)}`);
console.log(
  `  steady state (${(windowMs / 1000).toFixed(1)} s after ${(WARMUP_MS / 1000).toFixed(0)} s of burst)  ${fmt(rate)} updates/s`,
);
console.log(
  `  ceiling (restore ÷ cost × ${SHOPIFY_MAX_BATCH})           ${fmt(ceiling)} updates/s`,
);
console.log(`  share of the ceiling                   ${((rate / ceiling) * 100).toFixed(1)} %`);
console.log(
  `  429 / THROTTLED answers                ${refusals.filter((t) => t >= steadyFrom).length} in steady state, ${refusals.length} in all`,
);
console.log(`  outcomes other than published          ${unexpected}`);
