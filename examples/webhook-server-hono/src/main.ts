/**
 * Omnistock's webhook handler on Hono: one route, `POST /webhooks/:tenant/:receiver`,
 * handing the raw request to the engine. Against the sandboxes, a sale at a Lightspeed
 * counter and a Shopify order reach Shopify and Amazon, and the server prints each
 * channel's number with its why.
 *
 * `pnpm --filter @omnistock/example-webhook-server-hono start` (`-- --serve` keeps it up).
 */
import { fileURLToPath } from "node:url";
import { serve } from "@hono/node-server";
import { createSyncEngine, type SyncEngine, type SyncEvent } from "@omnistock/sync";
import { Hono } from "hono";
import { type Shop, SKUS, startShop, TENANT } from "./setup.js";

/** The running example. */
export interface Example extends Shop {
  readonly engine: SyncEngine;
  /** The server's root, e.g. `http://127.0.0.1:8080`. */
  readonly url: string;
  /** The webhook route of a receiver: `{url}/webhooks/{tenant}/{receiver}`. */
  webhook(receiver: "lightspeed" | "shopify"): string;
  readonly events: readonly SyncEvent[];
  /** Resolves once the sandboxes' webhooks are in and every channel is written. */
  settle(): Promise<void>;
  close(): Promise<void>;
}

/** Starts the sandboxes, the engine and the Hono server on 127.0.0.1, and subscribes the webhooks. */
export async function startExample(port = 0): Promise<Example> {
  const shop = await startShop();
  const events: SyncEvent[] = [];
  const engine = createSyncEngine({ tenants: [shop.tenant], onEvent: (e) => events.push(e) });

  // `c.req.raw` is the untouched Request: signatures are over its exact bytes.
  const app = new Hono();
  app.post("/webhooks/:tenant/:receiver", (c) => engine.handleWebhook(c.req.raw));

  const { promise: listening, resolve } = Promise.withResolvers<number>();
  const server = serve({ fetch: app.fetch, port, hostname: "127.0.0.1" }, (info) =>
    resolve(info.port),
  );
  const url = `http://127.0.0.1:${await listening}`;
  const webhook = (receiver: string) => `${url}/webhooks/${TENANT}/${receiver}`;

  await engine.start();
  const { lightspeed, shopify } = shop.sandbox;
  for (const type of ["inventory.update", "sale.update", "product.update"] as const)
    lightspeed!.control.subscribe(type, webhook("lightspeed"));
  for (const topic of ["orders/create", "orders/cancelled", "refunds/create"] as const)
    shopify[0]!.control.subscribe(topic, webhook("shopify"));

  return {
    ...shop,
    engine,
    url,
    webhook,
    events,
    async settle() {
      // A Shopify order recorded in Lightspeed comes back as Lightspeed webhooks: two rounds.
      for (let round = 0; round < 2; round++) {
        await Promise.all([lightspeed!.drainWebhooks(), shopify[0]!.drainWebhooks()]);
        await engine.idle();
      }
    },
    async close() {
      await engine.stop();
      await new Promise((done) => server.close(done));
      await shop.sandbox.close();
    },
  };
}

/** What Shopify and Amazon show for a SKU, read from the sandboxes. */
export function shown({ sandbox, shopify }: Example, sku: (typeof SKUS)[number]) {
  return {
    web: sandbox.shopify[0]!.control.quantity(
      shopify.variants[sku].inventoryItemId,
      shopify.locationId,
    ),
    amazon: sandbox.amazon!.control.quantity(sku),
  };
}

async function print(example: Example, title: string) {
  console.log(`\n${title}`);
  for (const sku of SKUS)
    for (const [channelId, quantity] of Object.entries(shown(example, sku))) {
      const { summary } = await example.engine.explain(TENANT, { channelId, listingId: sku });
      console.log(
        `  ${channelId.padEnd(6)} ${sku.padEnd(6)} ${String(quantity).padStart(3)}  ${summary}`,
      );
    }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const example = await startExample(Number(process.env.PORT ?? 0));
  console.log(`Hono webhook server on ${example.url}`);
  await example.settle();
  await print(example, "After the first sync:");

  const { sandbox, outlets, shopify } = example;
  sandbox.lightspeed!.control.sell({
    outletId: outlets.town,
    lines: [{ sku: "CANDLE", quantity: 3 }],
  });
  sandbox.shopify[0]!.control.placeOrder(
    [{ variantId: shopify.variants.SOAP.id, quantity: 2 }],
    shopify.locationId,
  );
  await example.settle();
  await print(example, "After 3 × CANDLE sold in town and 2 × SOAP ordered on Shopify:");

  if (process.argv.includes("--serve")) {
    console.log("\nServing — Ctrl-C stops.");
    process.once("SIGINT", () => void example.close());
  } else await example.close();
}
