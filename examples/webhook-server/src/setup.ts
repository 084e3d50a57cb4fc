/**
 * The merchant of this example, on the sandboxes: a Lightspeed store with two outlets, one
 * Shopify store and an Amazon seller account, seeded with three products; the catalog that
 * says what each channel shows; and the adapters that talk to each platform.
 */
import {
  createAmazonClient,
  createAmazonNotificationReceiver,
  createAmazonOrderSource,
  createAmazonPublisher,
} from "@omnistock/amazon";
import type { CatalogConfig } from "@omnistock/core";
import {
  createLightspeedClient,
  createLightspeedSalesSink,
  createLightspeedStockSource,
  createLightspeedWebhookReceiver,
} from "@omnistock/lightspeed";
import { type Sandbox, startSandbox } from "@omnistock/sandbox";
import {
  createShopifyClient,
  createShopifyMapping,
  createShopifyOrderSource,
  createShopifyPublisher,
  createShopifyWebhookReceiver,
} from "@omnistock/shopify";
import type { SyncTenantOptions } from "@omnistock/sync";

/** The tenant id: the first segment of every webhook route. */
export const TENANT = "harbour-goods";

/** Stock at the two outlets when the example starts. */
const STOCK = {
  "MUG-RED": { "main-street": 12, harbour: 8 },
  "TEA-EARL": { "main-street": 6, harbour: 0 },
  "POT-BLUE": { "main-street": 3, harbour: 2 },
} as const;

export type Sku = keyof typeof STOCK;
const SKUS = Object.keys(STOCK) as Sku[];

/** Shopify sells the sum of both outlets less 10 %; Amazon ships from Main Street, less 15 %. */
export const catalog: CatalogConfig = {
  locations: [{ id: "main-street" }, { id: "harbour" }],
  channels: [
    {
      id: "shopify",
      feed: { mode: "sum", locationIds: ["main-street", "harbour"] },
      buffer: { percent: 10 },
    },
    { id: "amazon", feed: { mode: "single", locationId: "main-street" }, buffer: { percent: 15 } },
  ],
  listings: SKUS.flatMap((sku) => [
    { channelId: "shopify", listingId: sku, sku },
    { channelId: "amazon", listingId: sku, sku },
  ]),
};

/** The running sandboxes and the ids the example needs to act on them. */
export interface Platforms {
  readonly sandbox: Sandbox;
  /** Catalog location → Lightspeed outlet id. */
  readonly outlets: Readonly<Record<"main-street" | "harbour", string>>;
  /** The Shopify store's only location. */
  readonly shopifyLocation: string;
  /** SKU → Shopify variant and inventory item. */
  readonly variants: Readonly<
    Record<Sku, { readonly id: string; readonly inventoryItemId: string }>
  >;
}

/** Starts the sandboxes and seeds them: products with stock in Lightspeed, empty listings online. */
export async function startPlatforms(): Promise<Platforms> {
  const sandbox = await startSandbox({ lightspeed: {}, shopify: [{}], amazon: {} });
  const lightspeed = sandbox.lightspeed!.control;
  const shopify = sandbox.shopify[0]!.control;
  const amazon = sandbox.amazon!.control;

  const outlets = {
    "main-street": lightspeed.addOutlet("Main Street").id,
    harbour: lightspeed.addOutlet("Harbour").id,
  };
  for (const outlet of Object.values(outlets)) lightspeed.addRegister(outlet);
  const shopifyLocation = shopify.addLocation("Online store").id;
  const variants = {} as Record<Sku, { id: string; inventoryItemId: string }>;
  for (const sku of SKUS) {
    lightspeed.addProduct({ sku });
    for (const [location, level] of Object.entries(STOCK[sku]))
      lightspeed.setInventory(sku, outlets[location as keyof typeof outlets], level);
    variants[sku] = shopify.addVariant({ sku });
    shopify.stock(variants[sku].inventoryItemId, shopifyLocation, 0);
    amazon.addListing({ sku, quantity: 0 });
  }
  return { sandbox, outlets, shopifyLocation, variants };
}

/** The tenant: the catalog and one adapter per role, against the sandboxes' URLs and credentials. */
export function createTenant({ sandbox, outlets }: Platforms): SyncTenantOptions {
  const ls = sandbox.lightspeed!;
  const shop = sandbox.shopify[0]!;
  const amz = sandbox.amazon!;

  // Lightspeed names outlets by id; the catalog by name.
  const locationOf = (outletId: string) =>
    Object.entries(outlets).find(([, id]) => id === outletId)?.[0] ?? outletId;
  const outletOf = (locationId: string) => outlets[locationId as keyof typeof outlets];
  const lightspeed = createLightspeedClient({
    baseUrl: ls.url,
    auth: { personalToken: ls.credentials.personalToken },
  });

  const shopify = createShopifyClient({
    shop: shop.credentials.shop,
    accessToken: shop.credentials.accessToken,
    baseUrl: shop.url,
  });
  // One mapping for the publisher, the order source and the receiver: each lookup once.
  const mapping = createShopifyMapping({ client: shopify });

  const amazon = createAmazonClient({
    baseUrl: amz.url,
    tokenUrl: `${amz.url}/auth/o2/token`,
    credentials: {
      clientId: amz.credentials.clientId,
      clientSecret: amz.credentials.clientSecret,
      refreshToken: amz.credentials.refreshToken,
    },
  });
  const amazonListings = SKUS.map((sku) => ({ listingId: sku, sellerSku: sku }));

  return {
    id: TENANT,
    catalog,
    stockSource: createLightspeedStockSource({ client: lightspeed, locationOf }),
    salesSink: createLightspeedSalesSink({
      client: lightspeed,
      userId: "omnistock",
      taxId: "no-tax",
      outletOf,
    }),
    channels: [
      createShopifyPublisher({ client: shopify, channelId: "shopify", mapping }),
      createAmazonPublisher({
        client: amazon,
        channelId: "amazon",
        sellerId: amz.credentials.sellerId,
        marketplaceIds: [amz.credentials.marketplaceId],
        listings: amazonListings,
      }),
    ],
    orderSources: [
      createShopifyOrderSource({ client: shopify, channelId: "shopify", mapping }),
      createAmazonOrderSource({
        client: amazon,
        channelId: "amazon",
        marketplaceIds: [amz.credentials.marketplaceId],
        listings: amazonListings,
      }),
    ],
    receivers: {
      // The sandbox signs Lightspeed webhooks with the OAuth app's client secret.
      lightspeed: createLightspeedWebhookReceiver({
        client: lightspeed,
        secrets: [ls.credentials.clientSecret],
        locationOf,
      }),
      shopify: createShopifyWebhookReceiver({
        channelId: "shopify",
        secrets: [shop.credentials.webhookSecret],
        shop: shop.credentials.shop,
        mapping,
      }),
      // The sandbox posts Amazon's notifications as an SQS bridge would, unsigned; in
      // production your forwarder signs them and the receiver takes its `secrets`.
      amazon: createAmazonNotificationReceiver({
        channelId: "amazon",
        client: amazon,
        listings: amazonListings,
        sellerId: amz.credentials.sellerId,
        allowUnsigned: true,
      }),
    },
  };
}
