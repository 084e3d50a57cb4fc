// The README's example, kept runnable.
import { positionKey, replay } from "@omnistock/core";
import { startSandbox } from "@omnistock/sandbox";
import { expect, it } from "vitest";
import {
  createLightspeedCatalogue,
  createLightspeedClient,
  createLightspeedSalesSink,
  createLightspeedStockSource,
  createLightspeedStockWriter,
  createLightspeedWebhookReceiver,
} from "../src/index.js";
import { startCollector } from "./support/collector.js";

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
  const catalogue = createLightspeedCatalogue({ client }); // one for every role
  const source = createLightspeedStockSource({ client, catalogue });
  const { events, cursor } = await source.snapshot();
  const positions = replay(events);
  expect(positions.get(positionKey("MUG-RED", outlet))?.onHand).toBe(20);

  const sink = createLightspeedSalesSink({
    client,
    catalogue,
    userId: "omnistock",
    taxId: "no-tax",
  });
  await sink.recordSale({
    orderId: "1001",
    channelId: "shopify-eu",
    locationId: outlet,
    lines: [{ sku: "MUG-RED", quantity: 1 }],
  });
  const changes = await source.changesSince(cursor);
  expect(changes.events).toMatchObject([{ sku: "MUG-RED", onHand: 19 }]);

  // Your HTTP endpoint, here a loopback one subscribed to the sandbox.
  const endpoint = await startCollector();
  control.subscribe("inventory.update", endpoint.url);

  const writer = createLightspeedStockWriter({ client, catalogue });
  await writer.write([{ sku: "MUG-RED", locationId: outlet, delta: -2, reason: "DAMAGE" }]);
  expect(control.inventory("MUG-RED", outlet)).toBe(17);

  await sandbox.lightspeed!.drainWebhooks();
  const [request] = endpoint.take();
  const rawBody = request!.body;
  const receiver = createLightspeedWebhookReceiver({
    catalogue,
    secrets: [credentials.clientSecret],
  });
  const result = await receiver.tryReceive({ body: rawBody, headers: request!.headers });
  expect(result.ok && result.delivery.events).toMatchObject([
    { type: "stock.counted", sku: "MUG-RED", onHand: 17 },
  ]);
  await endpoint.close();
  await sandbox.close();
});
