/**
 * Throughput of the BigCommerce publisher against the sandbox on the standard plan
 * (150 requests per 30 s): absolute adjustments of 2,000 items, one request in flight per
 * store. Prints the updates per second achieved in one quota window beside the
 * theoretical ceiling, min(quota × 2,000 per window, 2,000 per round trip), the round trip
 * measured on the sandbox first; and the 429s seen. Prints figures; asserts nothing.
 *
 *   pnpm bench:adapters      (builds first; or `pnpm --filter @omnistock/bigcommerce bench:adapter` after a build)
 *
 * It runs the built packages (`dist/`, as integrators get them).
 */
import {
  type BigCommerceListing,
  createBigCommerceClient,
  createBigCommercePublisher,
  MAX_ADJUSTMENT_ITEMS,
} from "@omnistock/bigcommerce";
import type { QuantityToPublish } from "@omnistock/core";
import { startSandbox } from "@omnistock/sandbox";

const QUOTA = 150;
const WINDOW_MS = 30_000;
/** One whole quota window is measured; the run goes on into the next to watch for 429s. */
const RUN_MS = 36_000;
const ROUND_TRIPS = 20;

/** A store with one variant per item of a full request, and the listings to publish to. */
async function store(options: { quota: number }) {
  const sandbox = await startSandbox({
    bigcommerce: { quota: options.quota, windowMs: WINDOW_MS },
  });
  const bigcommerce = sandbox.bigcommerce;
  if (bigcommerce === undefined) throw new Error("The sandbox did not start BigCommerce");
  const listings: BigCommerceListing[] = [];
  for (let p = 0; p < 4; p++) {
    const skus = Array.from({ length: 500 }, (_, i) => `BENCH-${p}-${i}`);
    for (const variant of bigcommerce.control.addProduct({ name: `Bench ${p}`, skus }).variants) {
      listings.push({
        sku: variant.sku,
        variantId: variant.id,
        productId: variant.product_id,
        tracking: "variant",
      });
    }
  }
  return { sandbox, bigcommerce, listings };
}

const updatesFor = (listings: readonly BigCommerceListing[], round: number): QuantityToPublish[] =>
  listings.map((l, i) => ({
    listingId: l.sku,
    quantity: (round + i) % 100,
    previous: undefined,
    urgent: false,
  }));

// The round trip of one full adjustment, on a store whose quota does not get in the way.
const probe = await store({ quota: 1_000_000 });
const probeClient = createBigCommerceClient({
  storeHash: probe.bigcommerce.credentials.storeHash,
  accessToken: probe.bigcommerce.credentials.accessToken,
  apiUrl: probe.bigcommerce.url,
  quota: 1_000_000,
});
const probeItems = probe.listings.map((l, i) => ({
  locationId: 1,
  variantId: l.variantId,
  quantity: i % 7,
}));
const trips: number[] = [];
for (let i = 0; i < ROUND_TRIPS + 5; i++) {
  const started = performance.now();
  await probeClient.adjustAbsolute(probeItems);
  if (i >= 5) trips.push(performance.now() - started);
}
await probe.sandbox.close();
trips.sort((a, b) => a - b);
const rttMs = trips[Math.floor(trips.length / 2)] ?? 0;

// The publisher on the standard plan, for a bounded time.
const run = await store({ quota: QUOTA });
let rateLimited = 0;
let requests = 0;
const client = createBigCommerceClient({
  storeHash: run.bigcommerce.credentials.storeHash,
  accessToken: run.bigcommerce.credentials.accessToken,
  apiUrl: run.bigcommerce.url,
  http: {
    onEvent: (event) => {
      if (event.type !== "response") return;
      requests++;
      if (event.status === 429) rateLimited++;
    },
  },
});
const publisher = createBigCommercePublisher({
  client,
  channelId: "bigcommerce",
  listings: run.listings,
});
const started = performance.now();
const stop = AbortSignal.timeout(RUN_MS);
let inWindow = 0;
let total = 0;
for (let round = 0; !stop.aborted; round++) {
  try {
    const outcomes = await publisher.publish(updatesFor(run.listings, round), { signal: stop });
    const accepted = outcomes.filter((o) => o.status === "pending").length;
    total += accepted;
    if (performance.now() - started <= WINDOW_MS) inWindow += accepted;
  } catch (error) {
    if (!stop.aborted) throw error;
  }
}
const elapsedMs = performance.now() - started;
await run.sandbox.close();

const quotaBound = (QUOTA * MAX_ADJUSTMENT_ITEMS) / (WINDOW_MS / 1_000);
const latencyBound = MAX_ADJUSTMENT_ITEMS / (rttMs / 1_000);
const ceiling = Math.min(quotaBound, latencyBound);
const achieved = inWindow / (WINDOW_MS / 1_000);
const round = (n: number) => Math.round(n).toLocaleString("en-US");

console.log(
  "BigCommerce publisher, standard plan (150 requests / 30 s), 2,000 items a request, one in flight",
);
console.log(
  `  round trip of a 2,000-item adjustment (median of ${ROUND_TRIPS}): ${rttMs.toFixed(1)} ms`,
);
console.log(
  `  ceiling: min(quota ${round(quotaBound)}/s, round trip ${round(latencyBound)}/s) = ${round(ceiling)} updates/s`,
);
console.log(
  `  achieved over one 30 s window: ${round(achieved)} updates/s (${((achieved / ceiling) * 100).toFixed(1)} % of the ceiling)`,
);
console.log(
  `  whole run: ${round(total)} updates in ${(elapsedMs / 1_000).toFixed(1)} s, ${requests} requests, ${rateLimited} answered 429`,
);
