/**
 * Benchmarks of the sync engine against the sandboxes at their standard-plan limits.
 * Prints figures; asserts nothing.
 *
 *   pnpm bench:sync
 *
 * 1. Sustained apply: webhook deliveries of POS sales, verified and parsed, applied
 *    through the engine (ledger, incremental allocation, plan and outbox in one store
 *    transaction) as fast as they come, with the memory and the SQLite store, while the
 *    dispatchers deliver to the channels.
 * 2. Event-to-channel latency at 20 and 100 events/s with 50 ms of sandbox latency: from
 *    the delivery reaching the engine to each channel acknowledging the write (accepting
 *    it, for the channels that apply writes later).
 * 3. A last-unit sale while a 10,000-SKU bulk receipt drains: how long until every
 *    channel shows zero.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { StockEvent, WebhookDelivery } from "@omnistock/core";
import { createSqliteStore } from "@omnistock/store-sqlite";
import { createMemoryStore, type SyncEvent, type SyncStore } from "@omnistock/sync";
import { createWorldEngine, serveWebhooks } from "../src/engine.js";
import { RACE_SKU, startWorld, TENANT } from "../src/world.js";

const folder = mkdtempSync(join(tmpdir(), "omnistock-bench-"));
const percentile = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? 0;
};
const delivery = (id: string, events: StockEvent[]): WebhookDelivery => ({
  platform: "lightspeed",
  topic: "sale.update",
  deliveryId: id,
  events,
  orders: [],
  levels: [],
});

async function setup(store: SyncStore, skuCount: number, latency = false) {
  const world = await startWorld({
    skuCount,
    initialStock: 1_000,
    ...(latency ? { faults: { api: { latencyMs: { min: 50, max: 50 } } } } : {}),
  });
  const listeners = new Set<(event: SyncEvent) => void>();
  const engine = createWorldEngine(world.description, {
    store,
    onEvent: (event) => {
      for (const listener of listeners) listener(event);
    },
    dispatch: { idleMs: 10 },
    polling: { stockEveryMs: 0, ordersEveryMs: 0 },
  });
  const server = await serveWebhooks(engine);
  await engine.start();
  await engine.idle({ timeoutMs: 300_000 });
  const outlet = world.description.lightspeed.outlets[0]?.id as string;
  return {
    world,
    engine,
    outlet,
    listen: (listener: (event: SyncEvent) => void) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close: async () => {
      await engine.stop();
      await store.close();
      await server.close();
      await world.close();
    },
  };
}

async function sustained(name: string, store: SyncStore) {
  const run = await setup(store, 200);
  const skus = run.world.description.skus;
  const total = 4_000;
  const inFlight = 32;
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next < total) {
        const i = next++;
        await run.engine.ingest(
          TENANT,
          "bench",
          delivery(`bench-${name}-${i}`, [
            {
              type: "pos.sale",
              id: `bench-sale-${name}-${i}`,
              at: Date.now(),
              locationId: run.outlet,
              lines: [{ sku: skus[i % (skus.length - 1)] as string, quantity: 1 }],
            },
          ]),
        );
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  console.log(
    `  ${name.padEnd(7)} ${Math.round(total / seconds).toLocaleString("en")} events/s applied (${total} deliveries, ${inFlight} at once)`,
  );
  await run.engine.idle({ timeoutMs: 300_000 });
  await run.close();
}

async function latency(rate: number) {
  const run = await setup(createMemoryStore(), 200, true);
  const skus = run.world.description.skus;
  const seen = new Map<string, number>();
  const latencies: number[] = [];
  const byChannel = new Map<string, number[]>();
  const stop = run.listen((event) => {
    if (event.type !== "acknowledged") return;
    latencies.push(event.latencyMs);
    const list = byChannel.get(event.channelId) ?? [];
    list.push(event.latencyMs);
    byChannel.set(event.channelId, list);
  });
  const count = rate * 10;
  const started = performance.now();
  for (let i = 0; i < count; i++) {
    const due = started + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const id = `lat-${rate}-${i}`;
    seen.set(id, performance.now());
    void run.engine.ingest(
      TENANT,
      "bench",
      delivery(id, [
        {
          type: "pos.sale",
          id,
          at: Date.now(),
          locationId: run.outlet,
          lines: [{ sku: skus[i % (skus.length - 1)] as string, quantity: 1 }],
        },
      ]),
    );
  }
  await run.engine.idle({ timeoutMs: 300_000 });
  stop();
  console.log(
    `  ${String(rate).padStart(3)} events/s: p50 ${Math.round(percentile(latencies, 0.5))} ms, p99 ${Math.round(percentile(latencies, 0.99))} ms over ${latencies.length} channel writes`,
  );
  for (const [channel, list] of byChannel)
    console.log(
      `      ${channel.padEnd(12)} p50 ${Math.round(percentile(list, 0.5))} ms, p99 ${Math.round(percentile(list, 0.99))} ms (${list.length} writes)`,
    );
  await run.close();
}

async function lastUnitUnderBacklog() {
  const run = await setup(createMemoryStore(), 10_000);
  const channels = run.world.description.catalog.channels.map((c) => c.id);
  // The bulk receipt: every SKU at the first outlet.
  const receipt: StockEvent = {
    type: "stock.received",
    id: "bulk-receipt",
    wasIncoming: false,
    at: Date.now(),
    locationId: run.outlet,
    lines: run.world.description.skus
      .filter((s) => s !== RACE_SKU)
      .map((sku) => ({ sku, quantity: 5 })),
  };
  // The last unit: stock it on every channel first.
  const warehouse = run.world.description.lightspeed.outlets[2]?.id as string;
  await run.engine.ingest(
    TENANT,
    "bench",
    delivery("race-stock", [
      {
        type: "stock.counted",
        id: "race-count",
        at: Date.now(),
        locationId: run.outlet,
        sku: RACE_SKU,
        onHand: 10,
        version: 1,
      },
      {
        type: "stock.counted",
        id: "race-count-w",
        at: Date.now(),
        locationId: warehouse,
        sku: RACE_SKU,
        onHand: 10,
        version: 1,
      },
    ]),
  );
  await run.engine.idle({ timeoutMs: 300_000 });
  const zeroAt = new Map<string, number>();
  const stop = run.listen((event) => {
    if (event.type === "acknowledged" && event.ref.listingId === RACE_SKU && event.quantity === 0)
      zeroAt.set(event.channelId, performance.now());
  });
  const backlogStarted = performance.now();
  await run.engine.ingest(TENANT, "bench", delivery("bulk", [receipt]));
  const sizes = await run.engine.store.outboxSize(TENANT);
  const backlog = [...sizes.values()].reduce((a, b) => a + b, 0);
  const saleAt = performance.now();
  await run.engine.ingest(
    TENANT,
    "bench",
    delivery("race-sale", [
      {
        type: "pos.sale",
        id: "race-sale",
        at: Date.now(),
        locationId: run.outlet,
        lines: [{ sku: RACE_SKU, quantity: 10 }],
      },
      {
        type: "pos.sale",
        id: "race-sale-w",
        at: Date.now(),
        locationId: warehouse,
        lines: [{ sku: RACE_SKU, quantity: 10 }],
      },
    ]),
  );
  while (zeroAt.size < channels.length && performance.now() - saleAt < 60_000)
    await new Promise((resolve) => setTimeout(resolve, 5));
  const reached = channels.map(
    (c) =>
      `${c} ${zeroAt.has(c) ? `${Math.round((zeroAt.get(c) as number) - saleAt)} ms` : "not within 60 s"}`,
  );
  console.log(
    `  backlog of ${backlog.toLocaleString("en")} channel updates; the sale reached: ${reached.join(", ")}`,
  );
  await run.engine.idle({ timeoutMs: 600_000 });
  console.log(
    `  the whole backlog drained in ${((performance.now() - backlogStarted) / 1000).toFixed(1)} s`,
  );
  stop();
  await run.close();
}

const only = process.env.BENCH_ONLY;
if (only === undefined || only === "apply") {
  console.log("Sustained apply (POS sale deliveries, 200 SKUs × 3 outlets × 4 channels):");
  await sustained("memory", createMemoryStore());
  await sustained("sqlite", createSqliteStore({ path: join(folder, "bench.db") }));
  await sustained(
    "sqlite, synchronous=normal",
    createSqliteStore({ path: join(folder, "bench-normal.db"), synchronous: "normal" }),
  );
}
if (only === undefined || only === "latency") {
  console.log("Event-to-channel latency, sandbox latency 50 ms:");
  await latency(20);
  await latency(100);
}
if (only === undefined || only === "backlog") {
  console.log("Last-unit sale during a 10,000-SKU bulk receipt:");
  await lastUnitUnderBacklog();
}
rmSync(folder, { recursive: true, force: true });
