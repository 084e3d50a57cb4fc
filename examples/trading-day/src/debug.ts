import { createMemoryStore, type SyncEvent } from "@omnistock/sync";
import { createWorldEngine, serveWebhooks } from "./engine.js";
import { verifyWorld } from "./oracle.js";
import { startWorld } from "./world.js";

const world = await startWorld({ skuCount: 12 });
const counts = new Map<string, number>();
const engine = createWorldEngine(world.description, {
  store: createMemoryStore(),
  onEvent: (e: SyncEvent) => {
    const k =
      e.type + ("channelId" in e ? `:${e.channelId}` : "") + ("queue" in e ? `:${e.queue}` : "");
    counts.set(k, (counts.get(k) ?? 0) + 1);
    if (e.type === "error" || e.type === "parked")
      console.log(JSON.stringify(e, (k, v) => (k === "cause" ? undefined : v)).slice(0, 400));
  },
  dispatch: { idleMs: 20, confirmDelayMs: 300, minBackoffMs: 50 },
  polling: { stockEveryMs: 0, ordersEveryMs: 0 },
});
const server = await serveWebhooks(engine);
world.subscribe(server.url);
const t0 = Date.now();
await engine.start();
console.log("started", Date.now() - t0);
for (let i = 0; i < 40; i++) {
  await new Promise((r) => setTimeout(r, 500));
  const sizes = await engine.store.outboxSize("acme");
  console.log(i, JSON.stringify([...sizes]), JSON.stringify([...counts]));
  if ([...sizes.values()].every((v) => v === 0)) break;
}
console.log(JSON.stringify(verifyWorld(world)).slice(0, 1000));
for (const action of world.plan({ posSales: 40, onlineOrders: 25, bulkReceiptUnits: 300 }))
  await world.play(action);
console.log("played", world.ordered);
for (let i = 0; i < 60; i++) {
  await new Promise((r) => setTimeout(r, 1000));
  const sizes = await engine.store.outboxSize("acme");
  console.log(i, JSON.stringify([...sizes]), JSON.stringify([...counts]));
  if ([...sizes.values()].every((v) => v === 0)) break;
}
const v = verifyWorld(world);
console.log(
  JSON.stringify({ ...v, mismatches: v.mismatches.slice(0, 10), n: v.mismatches.length }),
);
console.log(JSON.stringify(await engine.store.parked("acme")).slice(0, 2000));
await engine.stop();
await server.close();
await world.close();
