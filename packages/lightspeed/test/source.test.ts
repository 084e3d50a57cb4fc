import { isOmnistockError, positionKey, replay } from "@omnistock/core";
import { type Sandbox, startSandbox } from "@omnistock/sandbox";
import { afterAll, beforeAll, expect, it } from "vitest";
import { recordingFetch } from "../../sandbox/test/support/openapi.js";
import { createLightspeedClient, createLightspeedStockSource } from "../src/index.js";

let sandbox: Sandbox;
const outlets: string[] = [];
const PRODUCTS = 700;

beforeAll(async () => {
  sandbox = await startSandbox({ lightspeed: {} });
  const { control } = sandbox.lightspeed!;
  for (const name of ["Main Street", "Mall", "Warehouse"]) outlets.push(control.addOutlet(name).id);
  control.addRegister(outlets[0] as string);
  for (let i = 0; i < PRODUCTS; i++) {
    control.addProduct({ sku: `SKU-${i}` });
    for (const [o, outlet] of outlets.entries()) control.setInventory(`SKU-${i}`, outlet, i + o);
  }
});
afterAll(() => sandbox.close());

it("reads a full snapshot of every outlet, page after page by the version cursor, and then only what changed", async () => {
  const { control, url, credentials } = sandbox.lightspeed!;
  const recorded = recordingFetch();
  const client = createLightspeedClient({
    baseUrl: url,
    auth: { personalToken: credentials.personalToken },
    http: { fetch: recorded.fetch },
  });
  const names = new Map([
    [outlets[0], "main-street"],
    [outlets[1], "mall"],
    [outlets[2], "warehouse"],
  ]);
  const source = createLightspeedStockSource({
    client,
    locationOf: (outlet) => names.get(outlet) ?? outlet,
  });
  const snapshot = await source.snapshot();
  expect(snapshot.events).toHaveLength(PRODUCTS * 3);
  const positions = replay(snapshot.events);
  expect(positions.get(positionKey("SKU-0", "main-street"))?.onHand).toBe(0);
  expect(positions.get(positionKey("SKU-699", "warehouse"))?.onHand).toBe(701);
  // 2,100 levels: three pages of 1,000 and the empty page that ends the read.
  const pages = recorded.requests.filter((r) => r.url.pathname === "/api/2.0/inventory");
  expect(pages.map((r) => Number(r.url.searchParams.get("after")))).toEqual(
    [...pages.map((r) => Number(r.url.searchParams.get("after")))].sort((a, b) => a - b),
  );
  expect(pages).toHaveLength(4);
  const versions = snapshot.events.map((e) => (e.type === "stock.counted" ? (e.version ?? 0) : 0));
  expect(Number(snapshot.cursor)).toBe(Math.max(...versions));

  control.sell({ outletId: outlets[1] as string, lines: [{ sku: "SKU-5", quantity: 2 }] });
  control.setInventory("SKU-6", outlets[2] as string, 40);
  const changes = await source.changesSince(snapshot.cursor);
  expect(changes.events).toMatchObject([
    { type: "stock.counted", sku: "SKU-5", locationId: "mall", onHand: 4 },
    { type: "stock.counted", sku: "SKU-6", locationId: "warehouse", onHand: 40 },
  ]);
  // The next poll reads those versions once more, later, and nothing else.
  const again = await source.changesSince(changes.cursor);
  expect(again.events).toMatchObject([
    { type: "stock.counted", sku: "SKU-5", onHand: 4 },
    { type: "stock.counted", sku: "SKU-6", onHand: 40 },
  ]);
  expect((await source.changesSince(again.cursor)).events).toEqual([]);
  await expect(source.changesSince("not-a-version")).rejects.toSatisfy((error) =>
    isOmnistockError(error, "VALIDATION"),
  );
});

it("refuses to take an empty inventory read for a store with tracked products as zero stock", async () => {
  const { url, credentials } = sandbox.lightspeed!;
  const client = createLightspeedClient({
    baseUrl: url,
    auth: { personalToken: credentials.personalToken },
    http: {
      fetch: async (input, init) => {
        const request = new Request(input, init);
        if (new URL(request.url).pathname === "/api/2.0/inventory") {
          return new Response(JSON.stringify({ data: [], version: { min: null, max: null } }), {
            headers: { "content-type": "application/json" },
          });
        }
        return fetch(request);
      },
    },
  });
  await expect(createLightspeedStockSource({ client }).snapshot()).rejects.toSatisfy((error) =>
    isOmnistockError(error, "BAD_RESPONSE"),
  );
});
