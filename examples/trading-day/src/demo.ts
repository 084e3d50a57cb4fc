/**
 * The Omnistock demo: a retailer's trading day, end to end, on this machine.
 *
 * It starts sandboxed Lightspeed (three outlets), two Shopify stores, Amazon and
 * BigCommerce, runs the sync engine with the SQLite store in a temporary folder, replays a
 * scripted day — POS sales, online orders on every channel, returns, transfers, a bulk
 * receipt of 5,000 units and a last-unit race — and prints what happened.
 *
 *   pnpm demo
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createSqliteStore } from "@omnistock/store-sqlite";
import type { SyncEvent } from "@omnistock/sync";
import { SingleBar } from "cli-progress";
import Table from "cli-table3";
import { createWorldEngine, serveWebhooks } from "./engine.js";
import { verifyWorld } from "./oracle.js";
import { RACE_SKU, startWorld, TENANT } from "./world.js";

const started = performance.now();
const folder = mkdtempSync(join(tmpdir(), "omnistock-demo-"));
const world = await startWorld({ skuCount: 60 });
const writes = new Map<string, number>();
let events = 0;
let oversellRisks = 0;
let echoes = 0;
const onEvent = (event: SyncEvent) => {
  if (event.type === "applied") events += event.events;
  if (event.type === "published")
    writes.set(event.channelId, (writes.get(event.channelId) ?? 0) + 1);
  if (event.type === "oversell-risk") oversellRisks++;
  if (event.type === "echo-suppressed") echoes++;
};
const store = createSqliteStore({ path: join(folder, "omnistock.db") });
const engine = createWorldEngine(world.description, {
  store,
  onEvent,
  dispatch: { idleMs: 50, confirmDelayMs: 500 },
  polling: {
    stockEveryMs: 10_000,
    ordersEveryMs: {
      amazon: 60_000,
      "shopify-eu": 10_000,
      "shopify-us": 10_000,
      bigcommerce: 10_000,
    },
  },
});
const server = await serveWebhooks(engine);
world.subscribe(server.url);

console.log("Omnistock demo: Lightspeed (3 outlets) → Shopify EU, Shopify US, Amazon, BigCommerce");
console.log(`Store: SQLite in ${folder}\n`);
await engine.start();
await engine.idle({ timeoutMs: 60_000 });

const day = world.plan();
// Sales orders for the POS wait in the outbox queue `sales` (docs/running-the-engine.md).
const salesRecorded = async (withinMs: number) => {
  const until = Date.now() + withinMs;
  while (((await store.outboxSize(TENANT)).get("sales") ?? 0) > 0 && Date.now() < until)
    await new Promise((resolve) => setTimeout(resolve, 5));
};
const bar = new SingleBar({
  format: "Trading day [{bar}] {value}/{total} actions · {events} events applied",
  noTTYOutput: true,
  notTTYSchedule: 2_000,
  hideCursor: true,
});
bar.start(day.length, 0, { events: 0 });
for (const [i, action] of day.entries()) {
  // The day runs some 700 times faster than a real one: the fraction of a second in which
  // an online order is not yet a sale in Lightspeed would span several sales at the
  // counter, and a cashier could sell the unit a shopper has just bought. A counter sale
  // waits (at most a second) for the online orders before it to reach Lightspeed, as
  // they would have long before in real time.
  if (action.kind === "pos-sale") await salesRecorded(1_000);
  await world.play(action);
  // Shoppers arrive over time, not all in one tick.
  if (i % 10 === 9) await new Promise((resolve) => setTimeout(resolve, 20));
  bar.update(i + 1, { events });
}
bar.stop();

console.log("\nWaiting for every channel to settle…");
await Promise.all([
  world.sandbox.lightspeed?.drainWebhooks(),
  ...world.sandbox.shopify.map((s) => s.drainWebhooks()),
  world.sandbox.amazon?.drainWebhooks(),
  world.sandbox.bigcommerce?.drainWebhooks(),
]);
// No fault is injected here, so every webhook arrives: the backstop polls keep their own
// pace (the soak test and the crash test lean on them).
await engine.idle({ timeoutMs: 120_000 });

const verdict = verifyWorld(world, await engine.heldOrders(TENANT));
const metrics = engine.metrics();
const parked = await store.parked(TENANT);

const summary = new Table({ head: ["channel", "writes", "p50 latency", "p99 latency"] });
for (const channel of world.description.catalog.channels) {
  const histogram = metrics.latency.get(`${TENANT}/${channel.id}`);
  summary.push([
    channel.name ?? channel.id,
    String(writes.get(channel.id) ?? 0),
    histogram === undefined ? "–" : `${Math.round(histogram.percentile(0.5))} ms`,
    histogram === undefined ? "–" : `${Math.round(histogram.percentile(0.99))} ms`,
  ]);
}
console.log(
  `\nActions played: ${day.length} (online orders placed: ${world.ordered.orders}, ${world.ordered.units} units)`,
);
console.log(
  `Events applied: ${metrics.applied} · duplicates dropped: ${metrics.duplicates} · own echoes recognised: ${echoes}`,
);
console.log(
  `Channel orders recorded as Lightspeed sales: ${verdict.ordersRecorded} of ${world.ordered.orders} (${verdict.channelSales} sales, doubled: ${verdict.doubledSales.length}) · held for a person, no stock to cover them: ${verdict.ordersHeld}`,
);
console.log(
  `Refunds: ${world.ordered.refunded}, restocked ${world.ordered.restocked} · recorded as Lightspeed returns: ${verdict.returnsRecorded}`,
);
console.log(summary.toString());
console.log(
  `Oversold units (channel orders Lightspeed could not cover): ${verdict.oversoldUnits} · orders routed past stock: ${oversellRisks}`,
);
console.log(`Parked updates: ${parked.length}`);
console.log(`Channels off the oracle: ${verdict.mismatches.length}`);
if (process.env.OMNISTOCK_DEMO_DEBUG) {
  console.log(JSON.stringify(parked, null, 1).slice(0, 3000));
  const byChannel = new Map<string, number>();
  for (const m of verdict.mismatches)
    byChannel.set(m.channelId, (byChannel.get(m.channelId) ?? 0) + 1);
  console.log([...byChannel], verdict.mismatches.slice(0, 12));
}

const why = new Table({
  head: ["SKU", "channel", "shows", "why"],
  colWidths: [12, 14, 7, 80],
  wordWrap: true,
});
for (const sku of [RACE_SKU, ...world.description.skus.slice(0, 2)]) {
  for (const channel of world.description.catalog.channels) {
    const explanation = await engine.explain(TENANT, { channelId: channel.id, listingId: sku });
    why.push([
      sku,
      channel.name ?? channel.id,
      String(world.shows(channel.id, sku)),
      explanation.summary,
    ]);
  }
}
console.log(why.toString());

await engine.stop();
await store.close();
await server.close();
await world.close();
rmSync(folder, { recursive: true, force: true });
console.log(`\nDone in ${((performance.now() - started) / 1000).toFixed(1)} s.`);
const ok =
  verdict.mismatches.length === 0 &&
  verdict.doubledSales.length === 0 &&
  verdict.ordersRecorded + verdict.ordersHeld === world.ordered.orders &&
  verdict.returnsRecorded === world.ordered.restocked &&
  verdict.oversoldUnits === 0 &&
  parked.length === 0;
process.exitCode = ok ? 0 : 1;
