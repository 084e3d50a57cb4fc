/**
 * The engine as its own process, for the crash test: it takes the world's description,
 * a SQLite file and a port from the environment, serves webhooks, and answers the
 * parent's `idle` questions over the IPC channel. The parent kills it with SIGKILL at
 * random moments and starts it again on the same file and port.
 */
import { createSqliteStore } from "@omnistock/store-sqlite";
import { createWorldEngine, serveWebhooks } from "./engine.js";
import type { WorldDescription } from "./world.js";

const world = JSON.parse(process.env.OMNISTOCK_WORLD ?? "") as WorldDescription;
const store = createSqliteStore({ path: process.env.OMNISTOCK_DB ?? "" });
const engine = createWorldEngine(world, {
  store,
  dispatch: {
    idleMs: 20,
    confirmDelayMs: 200,
    minBackoffMs: 20,
    maxBackoffMs: 500,
    leaseMs: 1_500,
  },
  polling: {
    stockEveryMs: 5_000,
    ordersEveryMs: { amazon: 60_000, "shopify-eu": 5_000, "shopify-us": 5_000, bigcommerce: 5_000 },
  },
  // What went wrong, on stderr, for the parent's log.
  onEvent: (event) => {
    if (event.type === "error" || event.type === "parked" || event.type === "throttled")
      console.error(
        JSON.stringify({ ...event, error: "error" in event ? event.error.message : undefined }),
      );
  },
});
await serveWebhooks(engine, Number(process.env.OMNISTOCK_PORT));
await engine.start();
process.send?.({ type: "ready" });
// A parent that died takes its engine with it.
process.on("disconnect", () => process.exit(0));
process.on("message", (message: { type: string }) => {
  if (message.type !== "idle") return;
  engine
    .pollNow()
    .then(() => engine.idle({ timeoutMs: 60_000 }))
    .then(
      () => process.send?.({ type: "idle" }),
      (error: Error) => process.send?.({ type: "busy", message: error.message }),
    );
});
