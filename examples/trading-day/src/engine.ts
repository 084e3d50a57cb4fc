/**
 * Wires the sync engine to the world's sandboxes with the real adapters, and serves its
 * webhook handler on 127.0.0.1.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import {
  createAmazonClient,
  createAmazonNotificationReceiver,
  createAmazonOrderSource,
  createAmazonPublisher,
} from "@omnistock/amazon";
import {
  createBigCommerceClient,
  createBigCommerceOrderSource,
  createBigCommercePublisher,
  createBigCommerceWebhookReceiver,
} from "@omnistock/bigcommerce";
import {
  createLightspeedClient,
  createLightspeedSalesSink,
  createLightspeedStockSource,
  createLightspeedWebhookReceiver,
} from "@omnistock/lightspeed";
import {
  createShopifyClient,
  createShopifyMapping,
  createShopifyOrderSource,
  createShopifyPublisher,
  createShopifyWebhookReceiver,
} from "@omnistock/shopify";
import {
  createSyncEngine,
  type SyncEngine,
  type SyncEngineOptions,
  type SyncStore,
  toNodeHandler,
} from "@omnistock/sync";
import type { WorldDescription } from "./world.js";

/** Options of {@link createWorldEngine}. */
export interface WorldEngineOptions {
  readonly store: SyncStore;
  readonly onEvent?: SyncEngineOptions["onEvent"];
  readonly logger?: SyncEngineOptions["logger"];
  readonly dispatch?: SyncEngineOptions["dispatch"];
  readonly polling?: SyncEngineOptions["polling"];
  /** Retries of each HTTP request before the engine's own retry takes over. @default 2 */
  readonly retries?: number;
  /** Per-attempt HTTP timeout. @default 5000 */
  readonly timeoutMs?: number;
}

/** The engine for the world's tenant, with every adapter in place. */
export function createWorldEngine(
  world: WorldDescription,
  options: WorldEngineOptions,
): SyncEngine {
  const http = {
    retry: { retries: options.retries ?? 2, minDelayMs: 20, maxDelayMs: 1_000 },
    timeoutMs: options.timeoutMs ?? 5_000,
  };
  const lightspeed = createLightspeedClient({
    baseUrl: world.lightspeed.url,
    auth: { personalToken: world.lightspeed.personalToken },
    registers: world.lightspeed.outlets.length,
    http,
  });

  const shopify = world.shopify.map((store) => {
    const client = createShopifyClient({
      shop: store.shop,
      accessToken: store.accessToken,
      baseUrl: store.url,
      http,
    });
    const mapping = createShopifyMapping({
      client,
      defaultLocation: store.locationId,
      items: store.items,
    });
    return {
      channelId: store.channelId,
      publisher: createShopifyPublisher({ client, channelId: store.channelId, mapping }),
      orders: createShopifyOrderSource({ client, channelId: store.channelId, mapping }),
      receiver: createShopifyWebhookReceiver({
        channelId: store.channelId,
        secrets: store.webhookSecret,
        shop: store.shop,
        mapping,
      }),
    };
  });

  const amazonClient = createAmazonClient({
    baseUrl: world.amazon.url,
    tokenUrl: `${world.amazon.url}/auth/o2/token`,
    credentials: {
      clientId: world.amazon.credentials.clientId,
      clientSecret: world.amazon.credentials.clientSecret,
      refreshToken: world.amazon.credentials.refreshToken,
    },
    http,
  });
  const amazonListings = world.skus.map((sku) => ({ listingId: sku, sellerSku: sku }));
  const marketplaceIds = [world.amazon.credentials.marketplaceId];

  const bigcommerce = createBigCommerceClient({
    storeHash: world.bigcommerce.storeHash,
    accessToken: world.bigcommerce.accessToken,
    apiUrl: world.bigcommerce.url,
    http,
  });

  return createSyncEngine({
    store: options.store,
    ...(options.onEvent === undefined ? {} : { onEvent: options.onEvent }),
    ...(options.logger === undefined ? {} : { logger: options.logger }),
    ...(options.dispatch === undefined ? {} : { dispatch: options.dispatch }),
    ...(options.polling === undefined ? {} : { polling: options.polling }),
    tenants: [
      {
        id: world.tenantId,
        catalog: world.catalog,
        stockSource: createLightspeedStockSource({ client: lightspeed }),
        salesSink: createLightspeedSalesSink({
          client: lightspeed,
          userId: "omnistock",
          taxId: "no-tax",
        }),
        channels: [
          ...shopify.map((s) => s.publisher),
          createAmazonPublisher({
            client: amazonClient,
            channelId: world.amazon.channelId,
            sellerId: world.amazon.credentials.sellerId,
            marketplaceIds,
            listings: amazonListings,
          }),
          createBigCommercePublisher({
            client: bigcommerce,
            channelId: world.bigcommerce.channelId,
          }),
        ],
        orderSources: [
          ...shopify.map((s) => s.orders),
          createAmazonOrderSource({
            client: amazonClient,
            channelId: world.amazon.channelId,
            marketplaceIds,
            listings: amazonListings,
          }),
          createBigCommerceOrderSource({
            client: bigcommerce,
            channelId: world.bigcommerce.channelId,
          }),
        ],
        receivers: {
          lightspeed: createLightspeedWebhookReceiver({
            secrets: [world.lightspeed.clientSecret],
            client: lightspeed,
          }),
          ...Object.fromEntries(shopify.map((s) => [s.channelId, s.receiver])),
          [world.amazon.channelId]: createAmazonNotificationReceiver({
            channelId: world.amazon.channelId,
            client: amazonClient,
            listings: amazonListings,
            sellerId: world.amazon.credentials.sellerId,
            // The sandbox posts notifications as an SQS bridge would, unsigned; a forwarder
            // of yours signs them (`secrets`).
            allowUnsigned: true,
            onWarning: (warning) => options.logger?.warn(warning.message),
          }),
          [world.bigcommerce.channelId]: createBigCommerceWebhookReceiver({
            client: bigcommerce,
            secrets: world.bigcommerce.clientSecret,
            channelId: world.bigcommerce.channelId,
          }),
        },
      },
    ],
  });
}

/** The engine's webhook handler on node:http at 127.0.0.1. */
export interface WebhookServer {
  /** Where the routes start: `{url}/{tenantId}/{receiver}`. */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

/** Serves `engine.handleWebhook` on 127.0.0.1 (`port` 0 picks a free one). */
export async function serveWebhooks(engine: SyncEngine, port = 0): Promise<WebhookServer> {
  const server: Server = createServer(toNodeHandler(engine.handleWebhook));
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve());
  });
  const actual = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${actual}/webhooks`,
    port: actual,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
