// The README's example, kept runnable.
import { positionKey, replay } from "@omnistock/core";
import { startSandbox } from "@omnistock/sandbox";
import { expect, it } from "vitest";
import {
  createLightspeedClient,
  createLightspeedSalesSink,
  createLightspeedStockSource,
} from "../src/index.js";

it("runs the README example", async () => {
  const sandbox = await startSandbox({ lightspeed: {} });
  const { control, url, credentials } = sandbox.lightspeed!;
  const outlet = control.addOutlet("Main Street").id;
  control.addRegister(outlet);
  control.addProduct({ sku: "MUG-RED" });
  control.setInventory("MUG-RED", outlet, 20);

  const client = createLightspeedClient({
    baseUrl: url,
    auth: { personalToken: credentials.personalToken },
  });
  const source = createLightspeedStockSource({ client });
  const { events, cursor } = await source.snapshot();
  const positions = replay(events);
  expect(positions.get(positionKey("MUG-RED", outlet))?.onHand).toBe(20);

  const sink = createLightspeedSalesSink({ client, userId: "omnistock", taxId: "no-tax" });
  await sink.recordSale({
    orderId: "1001",
    channelId: "shopify-eu",
    locationId: outlet,
    lines: [{ sku: "MUG-RED", quantity: 1 }],
  });
  const changes = await source.changesSince(cursor);
  expect(changes.events).toMatchObject([{ sku: "MUG-RED", onHand: 19 }]);
  await sandbox.close();
});
