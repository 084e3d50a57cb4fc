import { type ChildProcess, fork } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createSqliteStore } from "@omnistock/store-sqlite";
import { build } from "esbuild";
import { afterAll, describe, expect, it } from "vitest";
import { verifyWorld } from "../src/oracle.js";
import { startWorld, type World } from "../src/world.js";

const KILLS = Number(process.env.OMNISTOCK_CRASH_KILLS ?? 50);
const childSource = fileURLToPath(new URL("../src/child.ts", import.meta.url));
const tsconfig = fileURLToPath(new URL("../../../tsconfig.json", import.meta.url));

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** A seeded random number in [0, 1): the same kills every run. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1_664_525 + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}

describe("the engine on SQLite, killed with SIGKILL at random points and restarted", () => {
  let world: World | undefined;
  let engine: ChildProcess | undefined;
  const folder = mkdtempSync(join(tmpdir(), "omnistock-crash-"));
  afterAll(async () => {
    engine?.kill("SIGKILL");
    await world?.close();
    rmSync(folder, { recursive: true, force: true });
  });

  it(`loses and doubles nothing across ${KILLS} kills: channels show the allocation of Lightspeed's stock and every order is one sale`, async () => {
    // The engine's process is started 51 times: bundle it once, from source, so that each
    // start takes a fraction of a second.
    const child = join(folder, "child.mjs");
    await build({
      entryPoints: [childSource],
      bundle: true,
      platform: "node",
      format: "esm",
      target: "node24",
      tsconfig,
      outfile: child,
      logLevel: "warning",
    });
    world = await startWorld({ seed: 11, skuCount: 10 });
    const port = await freePort();
    world.subscribe(`http://127.0.0.1:${port}/webhooks`);
    const env = {
      ...process.env,
      OMNISTOCK_WORLD: JSON.stringify(world.description),
      OMNISTOCK_DB: join(folder, "omnistock.db"),
      OMNISTOCK_PORT: String(port),
    };
    const spawn = () =>
      new Promise<ChildProcess>((resolve, reject) => {
        const process = fork(child, [], {
          env,
          execArgv: ["--import", "tsx"],
          stdio: ["ignore", "ignore", "inherit", "ipc"],
        });
        process.once("error", reject);
        process.once("exit", (code) =>
          reject(new Error(`the engine exited with ${code} before it was ready`)),
        );
        process.on("message", (message: { type: string }) => {
          if (message.type === "ready") resolve(process);
        });
      });
    const kill = async (process: ChildProcess) => {
      const exited = new Promise((resolve) => process.once("exit", resolve));
      process.kill("SIGKILL");
      await exited;
    };
    const settle = (process: ChildProcess) =>
      new Promise<void>((resolve, reject) => {
        process.on("message", function answer(message: { type: string; message?: string }) {
          if (message.type === "idle") resolve();
          if (message.type === "busy") reject(new Error(message.message));
          process.off("message", answer);
        });
        process.send({ type: "idle" });
      });

    const draw = random(99);
    const day = world.plan({ posSales: 60, onlineOrders: 40, bulkReceiptUnits: 400 });
    const killEvery = Math.max(1, Math.floor(day.length / KILLS));
    engine = await spawn();
    let kills = 0;
    for (const [i, action] of day.entries()) {
      await world.play(action);
      if (i % killEvery === 0 && kills < KILLS) {
        // Somewhere in the middle of applying, dispatching or recording a sale.
        await new Promise((resolve) => setTimeout(resolve, Math.floor(draw() * 120)));
        await kill(engine);
        kills++;
        engine = await spawn();
      }
    }
    while (kills < KILLS) {
      await new Promise((resolve) => setTimeout(resolve, Math.floor(draw() * 120)));
      await kill(engine);
      kills++;
      engine = await spawn();
    }
    await Promise.all([
      world.sandbox.lightspeed?.drainWebhooks(),
      ...world.sandbox.shopify.map((s) => s.drainWebhooks()),
      world.sandbox.amazon?.drainWebhooks(),
      world.sandbox.bigcommerce?.drainWebhooks(),
    ]);
    await settle(engine);
    await settle(engine);

    // An order no stock covered (a race with the counter) is held, not sold in Lightspeed.
    const store = createSqliteStore({ path: env.OMNISTOCK_DB });
    const held = await store.heldOrders(world.description.tenantId);
    await store.close();
    const verdict = verifyWorld(world, held);
    expect(kills).toBe(KILLS);
    expect(verdict.doubledSales).toEqual([]);
    expect(verdict.ordersRecorded + verdict.ordersHeld).toBe(world.ordered.orders);
    expect(verdict.returnsRecorded).toBe(world.ordered.restocked);
    expect(verdict.mismatches).toEqual([]);
  }, 900_000);
});
