// The README's example, kept runnable.
import { startSandbox } from "@omnistock/sandbox";
import { expect, it } from "vitest";
import {
  createBigCommerceClient,
  createBigCommerceOrderSource,
  createBigCommercePublisher,
} from "../src/index.js";

it("runs the README example", async () => {
  const sandbox = await startSandbox({ bigcommerce: { applyDelayMs: 60_000 } });
  const { control, url, credentials } = sandbox.bigcommerce!;
  const warehouse = control.addLocation("WH", "Warehouse").id;
  control.addProduct({ name: "Mug", skus: ["MUG-RED", "MUG-BLUE"] });
  control.addProduct({ name: "Gift card", skus: ["GIFT"], tracking: "none" });

  const client = createBigCommerceClient({
    storeHash: credentials.storeHash,
    accessToken: credentials.accessToken,
    apiUrl: url, // leave out for https://api.bigcommerce.com
  });
  const publisher = createBigCommercePublisher({
    client,
    channelId: "bigcommerce",
    locations: { warehouse },
  });
  const { untracked } = await publisher.discover(["MUG-RED", "MUG-BLUE", "GIFT"]);
  expect(untracked.map((l) => l.sku)).toEqual(["GIFT"]);

  const outcomes = await publisher.publish([
    { listingId: "MUG-RED", quantity: 17, previous: undefined, urgent: false },
    {
      listingId: "MUG-BLUE",
      channelLocationId: "warehouse",
      quantity: 3,
      previous: undefined,
      urgent: false,
    },
    { listingId: "GIFT", quantity: 5, previous: undefined, urgent: false },
  ]);
  expect(outcomes.map((o) => o.status)).toEqual(["pending", "pending", "rejected"]);

  const pending = outcomes.flatMap((o) => (o.status === "pending" ? [o] : []));
  expect((await publisher.confirm(pending)).map((o) => o.status)).toEqual(["pending", "pending"]);
  control.settle(); // BigCommerce applies adjustments later; the sandbox can apply them now
  const confirmed = await publisher.confirm(pending);
  expect(confirmed.map((o) => o.status)).toEqual(["published", "published"]);

  control.placeOrder([{ sku: "MUG-RED", quantity: 1 }]);
  const source = createBigCommerceOrderSource({ client, channelId: "bigcommerce" });
  const { orders, cursor } = await source.ordersSince(undefined);
  expect(orders).toMatchObject([
    { status: "placed", lines: [{ listingId: "MUG-RED", quantity: 1 }] },
  ]);
  expect(cursor).toMatch(/^\d{4}-/);
  await sandbox.close();
});
