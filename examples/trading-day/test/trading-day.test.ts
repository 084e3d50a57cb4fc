import { createMemoryStore, type SyncEvent } from "@omnistock/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createWorldEngine, serveWebhooks, type WebhookServer } from "../src/engine.js";
import { verifyWorld } from "../src/oracle.js";
import { startWorld, type World } from "../src/world.js";

describe("a trading day through the sync engine against the sandboxes", () => {
  let world: World;
  let server: WebhookServer;
  let engine: ReturnType<typeof createWorldEngine>;
  const events: SyncEvent[] = [];

  beforeAll(async () => {
    world = await startWorld({ skuCount: 12 });
    engine = createWorldEngine(world.description, {
      store: createMemoryStore(),
      onEvent: (e) => events.push(e),
      dispatch: { idleMs: 20, confirmDelayMs: 300, minBackoffMs: 50 },
      polling: { stockEveryMs: 0, ordersEveryMs: 0 },
    });
    server = await serveWebhooks(engine);
    world.subscribe(server.url);
    await engine.start();
  }, 60_000);
  afterAll(async () => {
    await engine?.stop();
    await server?.close();
    await world?.close();
  });

  it("ends with every channel showing the allocation of Lightspeed's stock, and each order one sale", async () => {
    await engine.idle({ timeoutMs: 30_000 });
    for (const action of world.plan({ posSales: 40, onlineOrders: 25, bulkReceiptUnits: 300 }))
      await world.play(action);
    await Promise.all([
      world.sandbox.lightspeed!.drainWebhooks(),
      ...world.sandbox.shopify.map((s) => s.drainWebhooks()),
      world.sandbox.amazon!.drainWebhooks(),
      world.sandbox.bigcommerce!.drainWebhooks(),
    ]);
    await engine.idle({ timeoutMs: 60_000 });
    await engine.pollNow();
    await engine.idle({ timeoutMs: 60_000 });
    // An order no stock covered (a race with the counter) is held, not sold in Lightspeed.
    const verdict = verifyWorld(world, await engine.heldOrders("acme"));
    const errors = events.filter((e) => e.type === "error");
    expect(
      errors.map((e) => (e.type === "error" ? `${e.source}: ${e.error.message}` : "")),
    ).toEqual([]);
    expect(verdict.mismatches).toEqual([]);
    expect(verdict.doubledSales).toEqual([]);
    expect(verdict.ordersRecorded + verdict.ordersHeld).toBe(world.ordered.orders);
    expect(verdict.returnsRecorded).toBe(world.ordered.restocked);
    expect(await engine.store.parked("acme")).toEqual([]);
  }, 120_000);
});
