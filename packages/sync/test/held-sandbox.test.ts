// The last unit sold twice, end to end on the Lightspeed and Shopify sandboxes.
import { expect, it } from "vitest";
import { sandboxWorld } from "./held-sandbox-world.js";

/** The counter sells the last unit; a shopper orders it online before Shopify drops to 0. */
async function lastUnitRace() {
  const world = await sandboxWorld(1);
  expect(world.shows()).toBe(1);
  world.ls.control.sell({ outletId: world.outlet, lines: [{ sku: "MUG", quantity: 1 }] });
  const order = world.order(1);
  await world.settle();
  return { ...world, placed: order };
}

it("holds a Shopify order for a unit the counter sold: Lightspeed stays at 0, the order waits with its reason, and its cancellation posts nothing", async () => {
  const race = await lastUnitRace();
  const { engine, ls, shop } = race;
  expect(ls.control.inventory("MUG", race.outlet)).toBe(0);
  expect(race.orderSales()).toEqual([]);
  expect(race.shows()).toBe(0);
  expect(await engine.heldOrders("acme")).toMatchObject([
    {
      channelId: "shopify",
      orderId: String(race.placed.legacyId),
      hold: { reason: "oversold", unfilled: [{ sku: "MUG", quantity: 1 }] },
    },
  ]);
  expect(race.events.some((e) => e.type === "order-held")).toBe(true);

  // Cancelled on Shopify, which puts the unit back on sale: Omnistock sets it back to 0.
  shop.control.cancelOrder(race.placed.id);
  await race.settle();
  expect(await engine.heldOrders("acme")).toEqual([]);
  expect(race.orderSales()).toEqual([]);
  expect(ls.control.inventory("MUG", race.outlet)).toBe(0);
  expect(race.shows()).toBe(0);
  await race.close();
});

it("records a held Shopify order once stock came in: one Lightspeed sale, Lightspeed never below zero", async () => {
  const race = await lastUnitRace();
  const { engine, ls } = race;
  ls.control.setInventory("MUG", race.outlet, 1);
  await race.settle();
  expect(race.shows()).toBe(0);
  await engine.resolveHeldOrder("acme", {
    channelId: "shopify",
    orderId: String(race.placed.legacyId),
    action: "record",
  });
  await race.settle();
  expect(race.orderSales()).toHaveLength(1);
  expect(ls.control.inventory("MUG", race.outlet)).toBe(0);
  expect(race.shows()).toBe(0);
  expect(await engine.heldOrders("acme")).toEqual([]);
  await race.close();
});
