/**
 * The shop behind the Hono server, on the sandboxes: a Lightspeed store with two outlets
 * (the system of record), one Shopify store and Amazon, and the Omnistock tenant that
 * syncs them.
 */
import { createAmazonClient, createAmazonPublisher } from "@omnistock/amazon";
import {
  createLightspeedClient,
  createLightspeedSalesSink,
  createLightspeedStockSource,
  createLightspeedWebhookReceiver,
} from "@omnistock/lightspeed";
import { type Sandbox, startSandbox } from "@omnistock/sandbox";
import {
  createShopifyClient,
  createShopifyPublisher,
  createShopifyWebhookReceiver,
} from "@omnistock/shopify";
import type { SyncTenantOptions } from "@omnistock/sync";

export const TENANT = "corner-shop";
export const SKUS = ["CANDLE", "SOAP"] as const;
export type Sku = (typeof SKUS)[number];

/** The sandboxes, seeded, with the tenant that syncs them. */
export interface Shop {
  readonly sandbox: Sandbox;
  readonly tenant: SyncTenantOptions;
  /** Lightspeed outlet ids by catalog location. */
  readonly outlets: { readonly town: string; readonly station: string };
  /** Shopify variant and inventory item of each SKU, and the store's location. */
  readonly shopify: {
    readonly variants: Readonly<Record<Sku, { id: string; inventoryItemId: string }>>;
    readonly locationId: string;
  };
}

/** Starts and seeds the sandboxes: CANDLE 10 + 4 and SOAP 5 + 5 at the town and station outlets. */
export async function startShop(): Promise<Shop> {
  const sandbox = await startSandbox({ lightspeed: {}, shopify: [{}], amazon: {} });
  const ls = sandbox.lightspeed!;
  const shop = sandbox.shopify[0]!;
  const amz = sandbox.amazon!;

  const outlets = {
    town: ls.control.addOutlet("Town").id,
    station: ls.control.addOutlet("Station").id,
  };
  ls.control.addRegister(outlets.town);
  ls.control.addRegister(outlets.station);
  const locationId = shop.control.addLocation("Web").id;
  const variants = {} as Record<Sku, { id: string; inventoryItemId: string }>;
  const stock: Record<Sku, [number, number]> = { CANDLE: [10, 4], SOAP: [5, 5] };
  for (const sku of SKUS) {
    ls.control.addProduct({ sku });
    ls.control.setInventory(sku, outlets.town, stock[sku][0]);
    ls.control.setInventory(sku, outlets.station, stock[sku][1]);
    variants[sku] = shop.control.addVariant({ sku });
    shop.control.stock(variants[sku].inventoryItemId, locationId, 0);
    amz.control.addListing({ sku, quantity: 0 });
  }

  const byOutlet = new Map(Object.entries(outlets).map(([name, id]) => [id, name]));
  const locationOf = (outletId: string) => byOutlet.get(outletId) ?? outletId;
  const lightspeed = createLightspeedClient({
    baseUrl: ls.url,
    auth: { personalToken: ls.credentials.personalToken },
  });
  const shopify = createShopifyClient({
    shop: shop.credentials.shop,
    accessToken: shop.credentials.accessToken,
    baseUrl: shop.url,
  });
  const { clientId, clientSecret, refreshToken, sellerId, marketplaceId } = amz.credentials;
  const amazon = createAmazonClient({
    baseUrl: amz.url,
    tokenUrl: `${amz.url}/auth/o2/token`,
    credentials: { clientId, clientSecret, refreshToken },
  });

  const tenant: SyncTenantOptions = {
    id: TENANT,
    catalog: {
      locations: [{ id: "town" }, { id: "station" }],
      channels: [
        {
          id: "web",
          feed: { mode: "sum", locationIds: ["town", "station"] },
          buffer: { percent: 10 },
        },
        { id: "amazon", feed: { mode: "single", locationId: "town" }, buffer: { percent: 15 } },
      ],
      listings: SKUS.flatMap((sku) => [
        { channelId: "web", listingId: sku, sku },
        { channelId: "amazon", listingId: sku, sku },
      ]),
    },
    stockSource: createLightspeedStockSource({ client: lightspeed, locationOf }),
    salesSink: createLightspeedSalesSink({
      client: lightspeed,
      userId: "omnistock",
      taxId: "no-tax",
      outletOf: (location) => outlets[location as keyof typeof outlets],
    }),
    channels: [
      createShopifyPublisher({ client: shopify, channelId: "web" }),
      createAmazonPublisher({
        client: amazon,
        channelId: "amazon",
        sellerId,
        marketplaceIds: [marketplaceId],
        listings: SKUS.map((sku) => ({ listingId: sku, sellerSku: sku })),
      }),
    ],
    receivers: {
      lightspeed: createLightspeedWebhookReceiver({
        client: lightspeed,
        secrets: [ls.credentials.clientSecret],
        locationOf,
      }),
      shopify: createShopifyWebhookReceiver({
        channelId: "web",
        secrets: [shop.credentials.webhookSecret],
        shop: shop.credentials.shop,
      }),
    },
  };
  return { sandbox, tenant, outlets, shopify: { variants, locationId } };
}
