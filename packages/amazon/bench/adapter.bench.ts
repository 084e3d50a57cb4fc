/**
 * Throughput of the Amazon publisher against the sandbox's fake SP-API at Amazon's
 * default usage plans, beside the theoretical ceilings: 5 updates/s by patchListingsItem
 * (5 requests/s, one SKU each) and ≈ 416.7 updates/s by JSON_LISTINGS_FEED (25,000
 * messages a feed, 5 feeds per 5 minutes). Prints figures; asserts nothing.
 *
 *   pnpm --filter @omnistock/amazon bench:adapter    (the root `pnpm bench:adapters` builds first)
 *
 * It runs the built packages (`dist/`, as integrators get them).
 *
 * - Urgent path: real time, over loopback, for BENCH_PATCH_SECONDS (default 10).
 * - Bulk path: the feed line refills one feed a minute, so a steady state takes minutes to
 *   show. It runs in virtual time (the sandbox server in process, on the same virtual
 *   clock as the client and its limiter) for BENCH_FEED_MINUTES (default 8) simulated
 *   minutes, which takes a few real seconds. The sandbox's feed delays are
 *   BENCH_FEED_QUEUED_MS (default 1000) and BENCH_FEED_PROCESSING_MS (default 2000); the
 *   ceiling does not depend on them, since feeds are confirmed while the next ones wait.
 */
import { createAmazonClient, createAmazonPublisher, FEED_MAX_MESSAGES } from "@omnistock/amazon";
import type { PendingPublish } from "@omnistock/core";
import { createAmazonServer, startSandbox } from "@omnistock/sandbox";
import type { TransportEvent } from "@omnistock/transport";
import { createVirtualTime } from "@omnistock/transport/testing";

const PATCH_SECONDS = Number(process.env.BENCH_PATCH_SECONDS ?? 10);
const FEED_MINUTES = Number(process.env.BENCH_FEED_MINUTES ?? 8);
const FEED_QUEUED_MS = Number(process.env.BENCH_FEED_QUEUED_MS ?? 1_000);
const FEED_PROCESSING_MS = Number(process.env.BENCH_FEED_PROCESSING_MS ?? 2_000);
const PATCH_CEILING = 5;
const FEED_CEILING = (FEED_MAX_MESSAGES * 5) / 300;

const percent = (value: number, ceiling: number) => `${((value / ceiling) * 100).toFixed(1)} %`;
const rate = (value: number) => value.toFixed(2).padStart(9);

const lwa = (c: { clientId: string; clientSecret: string; refreshToken: string }) => ({
  clientId: c.clientId,
  clientSecret: c.clientSecret,
  refreshToken: c.refreshToken,
});

/** Counts the 429 answers a client saw, and when. */
function throttleCounter(clock: () => number) {
  const at: number[] = [];
  return {
    at,
    onEvent(event: TransportEvent) {
      if (event.type === "response" && event.status === 429) at.push(clock());
    },
  };
}

async function urgentPath() {
  const sandbox = await startSandbox({ amazon: {} });
  const amazon = sandbox.amazon!;
  const skus = Array.from({ length: 50 }, (_, i) => `URGENT-${i}`);
  for (const sku of skus) amazon.control.addListing({ sku, quantity: 100 });
  const throttles = throttleCounter(Date.now);
  const client = createAmazonClient({
    baseUrl: amazon.url,
    tokenUrl: `${amazon.url}/auth/o2/token`,
    credentials: lwa(amazon.credentials),
    http: { onEvent: throttles.onEvent },
  });
  const publisher = createAmazonPublisher({
    client,
    channelId: "amazon-us",
    sellerId: amazon.credentials.sellerId,
    marketplaceIds: [amazon.credentials.marketplaceId],
    listings: skus.map((sku) => ({ listingId: sku, sellerSku: sku })),
  });
  // Sign in and read the FBA set first, so that only patches are timed.
  await publisher.publish([]);
  const started = Date.now();
  const deadline = started + PATCH_SECONDS * 1_000;
  const done: number[] = [];
  let next = 0;
  // More callers than the limiter lets through: the limiter, not the caller, sets the pace.
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (Date.now() < deadline) {
        const sku = skus[next++ % skus.length] as string;
        const [outcome] = await publisher.publish([
          { listingId: sku, quantity: next % 90, previous: undefined, urgent: true },
        ]);
        if (outcome?.status === "pending") done.push(Date.now());
      }
    }),
  );
  const elapsed = (Date.now() - started) / 1_000;
  await sandbox.close();
  // The first second spends the burst of 5; the steady state is what follows.
  const steady =
    done.filter((t) => t >= started + 1_000 && t <= deadline).length / (PATCH_SECONDS - 1);
  return {
    updates: done.length,
    elapsed,
    overall: done.length / elapsed,
    steady,
    throttled: throttles.at.length,
    steadyThrottled: throttles.at.filter((t) => t >= started + 1_000 && t <= deadline).length,
  };
}

async function bulkPath() {
  const time = createVirtualTime();
  const server = createAmazonServer({
    clock: time.clock,
    feedTiming: { queuedMs: FEED_QUEUED_MS, processingMs: FEED_PROCESSING_MS },
  });
  const listings = Array.from({ length: FEED_MAX_MESSAGES }, (_, i) => ({
    listingId: `BULK-${i}`,
    sellerSku: `BULK-${i}`,
  }));
  for (const l of listings) server.control.addListing({ sku: l.sellerSku, quantity: 100 });
  const throttles = throttleCounter(time.clock);
  const client = createAmazonClient({
    baseUrl: "http://sandbox.invalid",
    tokenUrl: "http://sandbox.invalid/auth/o2/token",
    credentials: lwa(server.credentials),
    http: {
      fetch: async (input, init) => server.fetch(new Request(input, init)),
      clock: time.clock,
      sleep: time.sleep,
      onEvent: throttles.onEvent,
    },
  });
  const publisher = createAmazonPublisher({
    client,
    channelId: "amazon-us",
    sellerId: server.credentials.sellerId,
    marketplaceIds: [server.credentials.marketplaceId],
    listings,
    clock: time.clock,
  });
  const realStart = performance.now();
  const start = time.clock();
  const end = start + FEED_MINUTES * 60_000;
  const feeds: number[] = [];
  const confirmed: number[] = [];
  let rejected = 0;
  const outstanding: Promise<void>[] = [];

  async function confirmLater(pending: PendingPublish[]): Promise<void> {
    let left = pending;
    while (left.length > 0) {
      await time.sleep(5_000);
      const outcomes = await publisher.confirm(left);
      left = [];
      for (const outcome of outcomes) {
        if (outcome.status === "pending") left.push(outcome);
        else if (outcome.status === "published") confirmed.push(time.clock());
        else rejected++;
      }
    }
  }

  async function submitFeeds(): Promise<void> {
    let round = 0;
    while (time.clock() < end) {
      round++;
      const outcomes = await publisher.publish(
        listings.map((l, i) => ({
          listingId: l.listingId,
          quantity: (i + round) % 100,
          previous: undefined,
          urgent: false,
        })),
      );
      if (time.clock() > end) break;
      feeds.push(time.clock());
      outstanding.push(confirmLater(outcomes.flatMap((o) => (o.status === "pending" ? [o] : []))));
    }
    await Promise.all(outstanding);
  }

  await time.run(submitFeeds());
  const realSeconds = (performance.now() - realStart) / 1_000;
  const simulated = (end - start) / 1_000;
  const burst = feeds.filter((t) => t === feeds[0]).length;
  const after = feeds.slice(burst);
  const lastFeed = feeds.at(-1) ?? start;
  const steady =
    after.length === 0 ? 0 : (after.length * FEED_MAX_MESSAGES) / ((lastFeed - start) / 1_000);
  return {
    feeds: feeds.length,
    burst,
    simulated,
    realSeconds,
    overall: (feeds.length * FEED_MAX_MESSAGES) / simulated,
    steady,
    confirmed: confirmed.length,
    rejected,
    throttled: throttles.at.length,
    steadyThrottled: throttles.at.filter((t) => t > (feeds[0] ?? start)).length,
  };
}

const urgent = await urgentPath();
const bulk = await bulkPath();

console.log("Amazon publisher against the sandbox, default usage plans\n");
console.log("path                      updates/s   ceiling   of ceiling   429s (steady)");
console.log(
  `patchListingsItem steady ${rate(urgent.steady)} ${rate(PATCH_CEILING)}   ${percent(urgent.steady, PATCH_CEILING).padStart(9)}   ${urgent.throttled} (${urgent.steadyThrottled})`,
);
console.log(
  `  with the opening burst ${rate(urgent.overall)}            ${percent(urgent.overall, PATCH_CEILING).padStart(9)}   — ${urgent.updates} updates in ${urgent.elapsed.toFixed(1)} s real time`,
);
console.log(
  `JSON_LISTINGS_FEED steady${rate(bulk.steady)} ${rate(FEED_CEILING)}   ${percent(bulk.steady, FEED_CEILING).padStart(9)}   ${bulk.throttled} (${bulk.steadyThrottled})`,
);
console.log(
  `  with the opening burst ${rate(bulk.overall)}            ${percent(bulk.overall, FEED_CEILING).padStart(9)}   — ${bulk.feeds} feeds (${bulk.burst} at once) in ${bulk.simulated} s simulated, ${bulk.realSeconds.toFixed(1)} s real`,
);
console.log(
  `\nfeeds confirmed: ${bulk.confirmed} updates published, ${bulk.rejected} rejected (sandbox feed delays: queued ${FEED_QUEUED_MS} ms, processing ${FEED_PROCESSING_MS} ms)`,
);
