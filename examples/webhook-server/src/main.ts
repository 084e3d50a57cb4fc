/**
 * A webhook server on node:http that keeps Lightspeed, one Shopify store and Amazon in
 * step with Omnistock, against the sandboxes: a sale rung up at the counter and an order
 * placed online both reach every channel, and each channel's number comes with its why.
 *
 * Run it with `pnpm --filter @omnistock/example-webhook-server start` (`-- --serve` keeps
 * it serving; `PORT` picks the port).
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { createSyncEngine, type SyncEngine, type SyncEvent, toNodeHandler } from "@omnistock/sync";
import { createTenant, type Platforms, type Sku, startPlatforms, TENANT } from "./setup.js";

/** The running example. */
export interface Example extends Platforms {
  readonly engine: SyncEngine;
  /** The server's root, e.g. `http://127.0.0.1:8080`. */
  readonly url: string;
  /** Where each platform posts its webhooks: `{url}/webhooks/{tenant}/{receiver}`. */
  readonly routes: Readonly<Record<"lightspeed" | "shopify" | "amazon", string>>;
  /** Every event the engine reported, in order. */
  readonly events: readonly SyncEvent[];
  /** Waits until every webhook the sandboxes queued is in and every channel is written. */
  settle(): Promise<void>;
  /** Stops the engine, the server and the sandboxes. */
  close(): Promise<void>;
}

/** Starts the sandboxes, the engine and the server, and subscribes the webhooks to it. */
export async function startExample(options: { readonly port?: number } = {}): Promise<Example> {
  const platforms = await startPlatforms();
  const { sandbox } = platforms;
  const events: SyncEvent[] = [];
  const engine = createSyncEngine({
    tenants: [createTenant(platforms)],
    onEvent: (event) => events.push(event),
  });

  const server = createServer(toNodeHandler(engine.handleWebhook));
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const routes = {
    lightspeed: `${url}/webhooks/${TENANT}/lightspeed`,
    shopify: `${url}/webhooks/${TENANT}/shopify`,
    amazon: `${url}/webhooks/${TENANT}/amazon`,
  };

  for (const type of ["inventory.update", "sale.update", "product.update"] as const)
    sandbox.lightspeed!.control.subscribe(type, routes.lightspeed);
  // Orders, and the levels Shopify announces: Omnistock's own writes come back among them.
  for (const topic of [
    "orders/create",
    "orders/cancelled",
    "refunds/create",
    "inventory_levels/update",
  ] as const)
    sandbox.shopify[0]!.control.subscribe(topic, routes.shopify);
  sandbox.amazon!.control.subscribe(routes.amazon);
  // The first start reads Lightspeed's snapshot and publishes every listing.
  await engine.start();

  const drain = () =>
    Promise.all([
      sandbox.lightspeed!.drainWebhooks(),
      sandbox.shopify[0]!.drainWebhooks(),
      sandbox.amazon!.drainWebhooks(),
    ]);
  return {
    ...platforms,
    engine,
    url,
    routes,
    events,
    async settle() {
      // Twice: an online order recorded as a Lightspeed sale makes Lightspeed send
      // webhooks of its own, which the engine must see (and recognise) too.
      for (let round = 0; round < 2; round++) {
        await drain();
        await engine.idle();
      }
    },
    async close() {
      await engine.stop();
      await new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      );
      await sandbox.close();
    },
  };
}

/** What each channel shows for a SKU now, read from the sandboxes. */
export function shown(example: Example, sku: Sku): { shopify: number; amazon: number } {
  const { sandbox, variants, shopifyLocation } = example;
  return {
    shopify: sandbox.shopify[0]!.control.quantity(variants[sku].inventoryItemId, shopifyLocation),
    amazon: sandbox.amazon!.control.quantity(sku),
  };
}

/** Prints what each channel shows for the SKUs, with the engine's why. */
async function report(example: Example, title: string, skus: readonly Sku[]): Promise<void> {
  console.log(`\n${title}`);
  for (const sku of skus) {
    const now = shown(example, sku);
    for (const channelId of ["shopify", "amazon"] as const) {
      const why = await example.engine.explain(TENANT, { channelId, listingId: sku });
      console.log(
        `  ${channelId.padEnd(7)} ${sku.padEnd(8)} ${String(now[channelId]).padStart(3)}  ${why.summary}`,
      );
    }
  }
}

async function main(): Promise<void> {
  const port = Number(process.env.PORT ?? 0);
  const example = await startExample({ port });
  const { sandbox, outlets, shopifyLocation, variants } = example;
  console.log(`Omnistock webhook server on ${example.url}`);
  await example.settle();
  await report(example, "After the first sync:", ["MUG-RED", "TEA-EARL"]);

  sandbox.lightspeed!.control.sell({
    outletId: outlets["main-street"],
    lines: [{ sku: "MUG-RED", quantity: 2 }],
  });
  await example.settle();
  await report(example, "After 2 × MUG-RED sold at the Main Street counter:", ["MUG-RED"]);

  sandbox.shopify[0]!.control.placeOrder(
    [{ variantId: variants["TEA-EARL"].id, quantity: 1 }],
    shopifyLocation,
  );
  await example.settle();
  await report(example, "After 1 × TEA-EARL ordered on Shopify:", ["TEA-EARL"]);
  const m = example.engine.metrics();
  console.log(
    `\n${m.applied} events applied, ${m.duplicates} duplicates, ${m.published} updates published, ${m.echoes} echoes recognised, ${m.salesRecorded} sales recorded, ${m.parked} parked`,
  );

  if (process.argv.includes("--serve")) {
    console.log(`\nServing on ${example.url} — Ctrl-C stops.`);
    process.once("SIGINT", () => void example.close());
    return;
  }
  await example.close();
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
