import { isOmnistockError } from "@omnistock/core";
import { describe, expect, it } from "vitest";
import {
  createLightspeedCatalogue,
  createLightspeedStockSource,
  createLightspeedStockWriter,
} from "../src/index.js";
import { inProcessStore, jsonAnswer } from "./support/store.js";

const EMPTY = { data: [], version: { min: null, max: null } };

/** A store with two outlets; `answer` may replace the store's answer to a request. */
function shop(answer: (url: URL) => unknown = () => undefined) {
  const setup = inProcessStore({
    intercept: (request) => {
      const replaced = answer(new URL(request.url));
      return replaced === undefined ? undefined : Promise.resolve(jsonAnswer(replaced));
    },
  });
  const { control } = setup.store;
  const main = control.addOutlet("Main Street").id;
  const mall = control.addOutlet("Mall").id;
  return { ...setup, main, mall };
}

async function badResponse(read: Promise<unknown>): Promise<Error> {
  try {
    await read;
  } catch (error) {
    if (isOmnistockError(error, "BAD_RESPONSE")) return error;
    throw error;
  }
  throw new Error("read accepted");
}

describe("Lightspeed source guards", () => {
  it("refuses an empty products answer from a store that reports inventory", async () => {
    const { store, client, main } = shop((url) =>
      url.pathname === "/api/2.0/products" ? EMPTY : undefined,
    );
    store.control.addProduct({ sku: "MUG-RED" });
    store.control.setInventory("MUG-RED", main, 5);
    const error = await badResponse(createLightspeedStockSource({ client }).snapshot());
    expect(error.message).toMatch(/no products/);
  });

  it("refuses an empty inventory answer for tracked products", async () => {
    const { store, client, main } = shop((url) =>
      url.pathname === "/api/2.0/inventory" ? EMPTY : undefined,
    );
    store.control.addProduct({ sku: "MUG-RED" });
    store.control.setInventory("MUG-RED", main, 5);
    await badResponse(createLightspeedStockSource({ client }).snapshot());
  });

  it("refuses an inventory read that leaves out an outlet the store has, naming it", async () => {
    const { store, client, main, mall } = shop();
    store.control.addProduct({ sku: "MUG-RED" });
    store.control.setInventory("MUG-RED", main, 5);
    store.control.setInventory("MUG-RED", mall, 2);
    // The same store, with the Mall's rows missing from the inventory answer.
    const dropping = inProcessStoreOver(store, (body) => ({
      ...body,
      data: body.data.filter((r) => r.outlet_id !== mall),
    }));
    expect((await createLightspeedStockSource({ client }).snapshot()).events).toHaveLength(2);
    const error = await badResponse(createLightspeedStockSource({ client: dropping }).snapshot());
    expect(error).toMatchObject({ details: { outletIds: [mall] } });
  });

  it("allows a truly empty store: no products and no inventory", async () => {
    const { client } = shop();
    const snapshot = await createLightspeedStockSource({ client }).snapshot();
    expect(snapshot.events).toEqual([]);
  });

  it("refuses an empty catalogue refresh, keeping the products it had for every role", async () => {
    let emptyProducts = false;
    const { store, client, time, main } = shop((url) =>
      emptyProducts && url.pathname === "/api/2.0/products" ? EMPTY : undefined,
    );
    store.control.addProduct({ sku: "MUG-RED" });
    store.control.setInventory("MUG-RED", main, 5);
    const catalogue = createLightspeedCatalogue({ client, clock: () => time.now });
    const source = createLightspeedStockSource({ client, catalogue });
    const { cursor } = await source.snapshot();

    // A product the catalogue does not know makes the source read it again: empty.
    emptyProducts = true;
    store.control.addProduct({ sku: "SCARF-BLUE" });
    store.control.setInventory("SCARF-BLUE", main, 3);
    time.now += 60_000;
    await badResponse(source.changesSince(cursor));
    await badResponse(source.snapshot());
    expect(catalogue.productIdOf("MUG-RED")).toBeDefined();
    const writer = createLightspeedStockWriter({ client, catalogue });
    expect(await writer.write([{ sku: "MUG-RED", locationId: main, delta: 1 }])).toMatchObject({
      applied: 1,
    });
  });
});

/** A client over `store` whose inventory answers pass through `rewrite`. */
function inProcessStoreOver(
  store: ReturnType<typeof inProcessStore>["store"],
  rewrite: (body: { data: { outlet_id: string }[] }) => unknown,
) {
  const { client } = inProcessStore({
    intercept: async (request) => {
      const answer = await store.fetch(request);
      if (new URL(request.url).pathname !== "/api/2.0/inventory") return answer;
      return jsonAnswer(rewrite((await answer.json()) as { data: { outlet_id: string }[] }));
    },
  });
  return client;
}
