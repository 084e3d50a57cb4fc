// The README's example, kept runnable.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { emptyPosition, positionKey } from "@omnistock/core";
import { expect, it } from "vitest";
import { createSqliteStore, SQLITE_STORE_DEFAULTS } from "../src/index.js";

it("runs the README example", async () => {
  const dir = mkdtempSync(join(tmpdir(), "omnistock-readme-"));
  const store = createSqliteStore({ path: join(dir, "omnistock.db") });
  const mug = positionKey("MUG-RED", "main-street");

  const outcome = await store.apply("acme", {
    deliveryId: "webhook-1",
    eventIds: ["sale-1"],
    positionKeys: [mug],
    listingKeys: ["shopify/MUG-RED"],
    orderKeys: [],
    compute: (view) => {
      const onHand = (view.positions.get(mug)?.onHand ?? 20) - 1;
      return {
        positions: [{ ...emptyPosition("MUG-RED", "main-street"), onHand }],
        listings: [{ key: "shopify/MUG-RED", state: { published: 20, planned: onHand } }],
        outbox: [
          {
            queue: "shopify",
            key: "MUG-RED",
            payload: { quantity: onHand },
            urgent: false,
            dueAt: Date.now(),
            seenAt: Date.now(),
          },
        ],
        result: onHand,
      };
    },
  });
  expect(outcome).toEqual({ applied: true, result: 19 });

  const [update] = await store.lease({
    tenantId: "acme",
    queue: "shopify",
    owner: "worker-1",
    now: Date.now(),
    leaseMs: 30_000,
    limit: 50,
  });
  expect(update?.payload).toEqual({ quantity: 19 });
  if (update !== undefined) {
    await store.ack([{ entry: update, published: [{ key: "shopify/MUG-RED", quantity: 19 }] }]);
  }
  expect(await store.listings("acme")).toEqual(
    new Map([["shopify/MUG-RED", { published: 19, planned: 19 }]]),
  );

  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

it("the README's option table shows SQLITE_STORE_DEFAULTS", () => {
  const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
  const lines = readme.slice(readme.indexOf("| option | default |")).split("\n").slice(2);
  const rows = lines.slice(
    0,
    lines.findIndex((line) => !line.startsWith("|")),
  );
  const defaults = new Map(
    rows
      .map((line) => line.split("|").map((cell) => cell.trim().replaceAll("`", "")))
      .map(([, name = "", value = ""]) => [name, value]),
  );
  defaults.delete("path");
  expect(Object.fromEntries(defaults)).toEqual({
    busyTimeoutMs: String(SQLITE_STORE_DEFAULTS.busyTimeoutMs),
    synchronous: JSON.stringify(SQLITE_STORE_DEFAULTS.synchronous),
  });
});
