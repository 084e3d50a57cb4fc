import { Ledger, type StockEvent } from "@omnistock/core";
import { expect, it } from "vitest";
import { createLightspeedStockSource, parseLightspeedWebhook } from "../src/index.js";
import { inProcessStore } from "./support/store.js";

it("stamps a polled count with the time its page was asked for, so a sale made while the page was on its way is not swallowed", async () => {
  let hold: { computed: () => void; release: Promise<void> } | undefined;
  const { store, client, time } = inProcessStore({
    intercept: async (request, server) => {
      const url = new URL(request.url);
      const answer = await server.fetch(request);
      // The store has worked the poll's last page out (the empty one that ends it); its
      // answer takes a while to come back.
      const last =
        url.pathname === "/api/2.0/inventory" &&
        ((await answer.clone().json()) as { data: unknown[] }).data.length === 0;
      if (hold !== undefined && last) {
        const { computed, release } = hold;
        hold = undefined;
        computed();
        await release;
      }
      return answer;
    },
  });
  const { control } = store;
  const main = control.addOutlet("Main Street").id;
  control.addRegister(main);
  const mug = control.addProduct({ sku: "MUG-RED" }).id;
  control.setInventory("MUG-RED", main, 10);
  control.subscribe("sale.update", "http://hooks.test/lightspeed");

  const source = createLightspeedStockSource({ client });
  const ledger = new Ledger();
  const snapshot = await source.snapshot();
  for (const event of snapshot.events) ledger.apply(event);

  time.now += 1_000;
  control.setInventory("MUG-RED", main, 9); // a stocktake the poll will report
  time.now += 1_000;
  let computed!: () => void;
  const pageComputed = new Promise<void>((resolve) => {
    computed = resolve;
  });
  let release!: () => void;
  hold = { computed, release: new Promise<void>((resolve) => (release = resolve)) };
  const poll = source.changesSince(snapshot.cursor);
  await pageComputed;

  // A sale at the counter while the page is on its way: its webhook is applied first.
  time.now += 1_000;
  control.sell({ outletId: main, lines: [{ sku: "MUG-RED", quantity: 1 }] });
  const hook = control.webhooksSent().findLast((w) => w.type === "sale.update");
  const sale = parseLightspeedWebhook({
    body: hook!.body,
    signature: undefined,
    allowUnsigned: true,
    skuOf: (id) => (id === mug ? "MUG-RED" : undefined),
  });
  for (const event of sale.events as StockEvent[]) ledger.apply(event);
  expect(ledger.get("MUG-RED", main)?.onHand).toBe(9);

  time.now += 1_000;
  release();
  const changes = await poll;
  expect(changes.events).toMatchObject([{ type: "stock.counted", onHand: 9 }]);
  for (const event of changes.events) ledger.apply(event);
  expect(control.inventory("MUG-RED", main)).toBe(8);
  expect(ledger.get("MUG-RED", main)?.onHand).toBe(8);
});

/**
 * A poll whose page already holds a sale made while its request was on its way, with the
 * sale's webhook applied after it: the sale is taken twice until something dates the
 * polled level later.
 */
async function pollHoldingASale() {
  let before: (() => void) | undefined;
  const { store, client, time } = inProcessStore({
    intercept: async (request, server) => {
      // The request is on its way: a sale at the counter lands before the store works the
      // page out, so the page already holds it.
      if (new URL(request.url).pathname === "/api/2.0/inventory" && before !== undefined) {
        const sell = before;
        before = undefined;
        sell();
      }
      return server.fetch(request);
    },
  });
  const { control } = store;
  const main = control.addOutlet("Main Street").id;
  control.addRegister(main);
  const mug = control.addProduct({ sku: "MUG-RED" }).id;
  control.setInventory("MUG-RED", main, 10);
  control.subscribe("sale.update", "http://hooks.test/lightspeed");
  control.subscribe("inventory.update", "http://hooks.test/lightspeed");
  const parse = (body: string) =>
    parseLightspeedWebhook({
      body,
      signature: undefined,
      allowUnsigned: true,
      skuOf: (id) => (id === mug ? "MUG-RED" : undefined),
      clock: () => time.now,
    });

  const source = createLightspeedStockSource({ client });
  const ledger = new Ledger();
  const snapshot = await source.snapshot();
  for (const event of snapshot.events) ledger.apply(event);

  time.now += 1_000;
  const sent = control.webhooksSent().length;
  before = () => {
    time.now += 10;
    control.sell({ outletId: main, lines: [{ sku: "MUG-RED", quantity: 1 }] });
  };
  const changes = await source.changesSince(snapshot.cursor);
  for (const event of changes.events) ledger.apply(event);
  const hooks = control.webhooksSent().slice(sent);
  // The sale's webhook, dated by the sale, lands after the page's request was sent.
  for (const hook of hooks.filter((w) => w.type === "sale.update"))
    for (const event of parse(hook.body).events as StockEvent[]) ledger.apply(event);
  expect(ledger.get("MUG-RED", main)?.onHand).toBe(8);
  expect(control.inventory("MUG-RED", main)).toBe(9);
  time.now += 1_000;
  const onHand = () => ledger.get("MUG-RED", main)?.onHand;
  const levelHooks = hooks.filter((w) => w.type === "inventory.update");
  return { source, ledger, changes, parse, levelHooks, onHand };
}

it("lets the sale's own level webhook date a polled count that already held the sale, so the sale is not taken twice", async () => {
  const { ledger, parse, levelHooks, onHand } = await pollHoldingASale();
  // Its level webhook, of the version the page gave, says the level still held later.
  for (const hook of levelHooks)
    for (const event of parse(hook.body).events as StockEvent[]) ledger.apply(event);
  expect(onHand()).toBe(9);
});

it("reads the versions a poll saw first once more at the next poll, so a sale the page already held is not taken twice when its level webhook is lost", async () => {
  const { source, ledger, changes, onHand } = await pollHoldingASale();
  // Its level webhook is lost; the next poll reads that version again, later.
  const again = await source.changesSince(changes.cursor);
  for (const event of again.events) ledger.apply(event);
  expect(onHand()).toBe(9);
});
