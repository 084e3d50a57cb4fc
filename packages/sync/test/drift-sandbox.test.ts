// A clean day on the Shopify sandbox: Shopify lowers its own count on every order and
// announces it before the order itself.
import { expect, it } from "vitest";
import { sandboxWorld } from "./held-sandbox-world.js";

it("raises no channel-drift for clean Shopify orders, with a buffer that rounds some of them away", async () => {
  const world = await sandboxWorld(20, { percent: 15 });
  expect(world.shows()).toBe(17);
  for (const quantity of [1, 2, 1, 1, 3, 1]) {
    world.order(quantity);
    await world.settle();
  }
  // 20 − 9 = 11 less 15 % shows 9.
  expect(world.shows()).toBe(9);
  expect(world.events.filter((e) => e.type === "channel-drift")).toEqual([]);
  expect(world.orderSales()).toHaveLength(6);
  await world.close();
});
