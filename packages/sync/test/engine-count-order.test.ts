import { positionKey } from "@omnistock/core";
import { describe, expect, it } from "vitest";
import { createSyncEngine } from "../src/index.js";
import { catalog, fullSnapshot } from "./engine-fakes.js";

const count = (onHand: number, version: number, at: number) => ({
  type: "stock.counted" as const,
  id: `count:MUG:main:${version}`,
  at,
  locationId: "main",
  sku: "MUG",
  onHand,
  version,
});

async function onHandAfter(counts: ReturnType<typeof count>[]): Promise<number | undefined> {
  const engine = createSyncEngine({ tenants: [{ id: "acme", catalog }], clock: () => 1_000 });
  await engine.applyEvents("acme", fullSnapshot());
  for (const c of counts) await engine.applyEvents("acme", [c]);
  const positions = await engine.store.positions("acme");
  return positions.find((p) => positionKey(p.sku, p.locationId) === positionKey("MUG", "main"))
    ?.onHand;
}

describe("counts from one source are ordered by its version", () => {
  it("lets a newer polled count win over a webhook count received while its page was on its way", async () => {
    // The webhook's count (version 5) is stamped on arrival at t=500; the poll's page was
    // sent at t=400 and worked out after version 6: it is the newer level.
    expect(await onHandAfter([count(7, 5, 500), count(4, 6, 400)])).toBe(4);
  });

  it("ignores an older count however late its stamp", async () => {
    expect(await onHandAfter([count(4, 6, 400), count(7, 5, 500)])).toBe(4);
  });
});
