/**
 * Benchmarks of @omnistock/store-sqlite: applies per second for units of 1 and of 50
 * sales (each loads its positions, runs the ledger, writes positions, three listings and
 * three outbox entries per SKU), and outbox entries per second leased and acked. The
 * positions carry a counted level and a journal of a dozen entries, as after a day of
 * trading. The memory store runs the same work for comparison. Prints figures; asserts
 * nothing.
 *
 *   pnpm build && pnpm --filter @omnistock/store-sqlite bench
 *
 * It runs the built packages (`dist/`, as integrators get them).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { applyEvent, type Position, parseStockEvent, positionKey } from "@omnistock/core";
import { createSqliteStore } from "@omnistock/store-sqlite";
import {
  type ApplyUnit,
  createMemoryStore,
  type OutboxWrite,
  type SyncStore,
} from "@omnistock/sync";

const SKUS = 2_000;
const LOCATION = "outlet-1";
const CHANNELS = ["shopify-main", "amazon", "bigcommerce"];
const BUDGET_MS = Number(process.env.BENCH_MS ?? 3_000);
const TENANT = "bench";

const dir = mkdtempSync(join(tmpdir(), "omnistock-bench-"));
const sku = (i: number) => `SKU-${String(i % SKUS).padStart(5, "0")}`;
let clock = 1_750_000_000_000;
let lastEvent = 0;

/** A unit that applies one POS sale per SKU given, as the sync engine would. */
function saleUnit(skus: readonly string[], type: "pos.sale" | "stock.received" | "stock.counted") {
  const events = skus.map((s) => {
    lastEvent += 1;
    clock += 1_000;
    const base = { id: `ev-${lastEvent}`, at: clock, locationId: LOCATION };
    return parseStockEvent(
      type === "stock.counted"
        ? { ...base, type, sku: s, onHand: 40, version: lastEvent }
        : { ...base, type, lines: [{ sku: s, quantity: 1 }] },
    );
  });
  const keys = skus.map((s) => positionKey(s, LOCATION));
  const listingKeys = skus.flatMap((s) => CHANNELS.map((c) => `${c}/${s}`));
  const unit: ApplyUnit<number> = {
    deliveryId: `delivery-${lastEvent}`,
    eventIds: events.map((e) => e.id),
    positionKeys: keys,
    listingKeys,
    orderKeys: [],
    compute: (view) => {
      const positions = new Map<string, Position>(view.positions);
      for (const event of events) {
        if (!view.fresh.includes(event.id)) continue;
        for (const p of applyEvent(positions, event).positions) {
          positions.set(positionKey(p.sku, p.locationId), p);
        }
      }
      const changed = [...positions.values()];
      const outbox: OutboxWrite[] = [];
      const listings = [];
      for (const p of changed) {
        for (const channel of CHANNELS) {
          const planned = Math.max(0, p.onHand - p.committed);
          listings.push({ key: `${channel}/${p.sku}`, state: { published: undefined, planned } });
          outbox.push({
            queue: channel,
            key: p.sku,
            payload: { sku: p.sku, locationId: LOCATION, quantity: planned },
            urgent: planned <= 1,
            dueAt: clock,
            seenAt: clock,
          });
        }
      }
      return { positions: changed, listings, outbox, result: changed.length };
    },
  };
  return unit;
}

async function seed(store: SyncStore): Promise<void> {
  for (let i = 0; i < SKUS; i += 50) {
    const skus = Array.from({ length: 50 }, (_, j) => sku(i + j));
    await store.apply(TENANT, saleUnit(skus, "stock.counted"));
    for (let round = 0; round < 6; round++) {
      await store.apply(TENANT, saleUnit(skus, round % 3 === 0 ? "stock.received" : "pos.sale"));
    }
  }
}

async function drain(store: SyncStore): Promise<void> {
  for (const queue of CHANNELS) {
    for (;;) {
      const leased = await store.lease({
        tenantId: TENANT,
        queue,
        owner: "drain",
        now: clock,
        leaseMs: 1,
        limit: 500,
      });
      if (leased.length === 0) break;
      await store.ack(leased.map((entry) => ({ entry })));
    }
  }
}

/** Runs `step` until the budget is spent; returns operations per second. */
async function rate(step: () => Promise<number>): Promise<number> {
  let done = 0;
  const start = performance.now();
  while (performance.now() - start < BUDGET_MS) done += await step();
  return (done * 1_000) / (performance.now() - start);
}

const format = (n: number) => Math.round(n).toLocaleString("en-US");

async function run(name: string, store: SyncStore): Promise<void> {
  await seed(store);
  const [sample] = await store.positions(TENANT);
  const bytes = JSON.stringify(sample).length;
  await drain(store);
  let next = 0;
  const ones = await rate(async () => {
    next += 1;
    await store.apply(TENANT, saleUnit([sku(next * 7)], "pos.sale"));
    return 1;
  });
  await drain(store);
  const fifties = await rate(async () => {
    next += 1;
    const skus = Array.from({ length: 50 }, (_, j) => sku(next * 50 + j));
    await store.apply(TENANT, saleUnit(skus, "pos.sale"));
    return 1;
  });
  await drain(store);
  // Fill the outbox: 3 channels × every SKU, then lease and ack in batches.
  for (let i = 0; i < SKUS; i += 50) {
    await store.apply(
      TENANT,
      saleUnit(
        Array.from({ length: 50 }, (_, j) => sku(i + j)),
        "pos.sale",
      ),
    );
  }
  const leaseAck = (limit: number) => async () => {
    const queue = CHANNELS[next++ % CHANNELS.length] ?? "";
    const leased = await store.lease({
      tenantId: TENANT,
      queue,
      owner: "w",
      now: clock,
      leaseMs: 30_000,
      limit,
    });
    await store.ack(
      leased.map((entry) => ({
        entry,
        published: [{ key: `${queue}/${entry.key}`, quantity: 1 }],
      })),
    );
    if (leased.length === 0) {
      await store.apply(
        TENANT,
        saleUnit(
          Array.from({ length: 50 }, (_, j) => sku(next * 50 + j)),
          "pos.sale",
        ),
      );
    }
    return leased.length;
  };
  const batched = await rate(leaseAck(50));
  const single = await rate(leaseAck(1));
  console.log(
    `${name.padEnd(22)} apply 1 event ${format(ones).padStart(7)}/s · apply 50 events ${format(fifties).padStart(5)}/s (${format(fifties * 50)} events/s) · lease+ack ${format(batched).padStart(7)} entries/s in 50s, ${format(single).padStart(6)}/s one by one · position ${bytes} B`,
  );
  await store.close();
}

console.log(`store bench: ${SKUS} SKUs, ${CHANNELS.length} channels, ${BUDGET_MS} ms per figure`);
await run("memory", createMemoryStore());
await run("sqlite synchronous=full", createSqliteStore({ path: join(dir, "full.db") }));
await run(
  "sqlite synchronous=normal",
  createSqliteStore({ path: join(dir, "normal.db"), synchronous: "normal" }),
);
rmSync(dir, { recursive: true, force: true });
