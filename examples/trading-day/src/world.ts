/**
 * The retailer of the demo, in sandboxes: a Lightspeed store with three outlets, two
 * Shopify stores, Amazon and BigCommerce, seeded with one catalogue, and a player that
 * carries out a trading day's actions against them the way shoppers and staff would.
 */
import type { CatalogConfig } from "@omnistock/core";
import {
  type Faults,
  planTradingDay,
  type Sandbox,
  type StoreAction,
  startSandbox,
} from "@omnistock/sandbox";

/** Everything an engine needs to reach the sandboxes: plain data, so a child process can take it. */
export interface WorldDescription {
  readonly tenantId: string;
  readonly skus: readonly string[];
  readonly catalog: CatalogConfig;
  readonly lightspeed: {
    readonly url: string;
    readonly personalToken: string;
    readonly clientSecret: string;
    readonly outlets: readonly { readonly id: string; readonly name: string }[];
  };
  readonly shopify: readonly {
    readonly channelId: string;
    readonly url: string;
    readonly shop: string;
    readonly accessToken: string;
    readonly webhookSecret: string;
    readonly locationId: string;
    /** SKU → inventory item, so that no discovery is needed. */
    readonly items: Readonly<Record<string, string>>;
  }[];
  readonly amazon: {
    readonly channelId: string;
    readonly url: string;
    readonly credentials: {
      readonly sellerId: string;
      readonly marketplaceId: string;
      readonly clientId: string;
      readonly clientSecret: string;
      readonly refreshToken: string;
    };
  };
  readonly bigcommerce: {
    readonly channelId: string;
    readonly url: string;
    readonly storeHash: string;
    readonly accessToken: string;
    readonly clientSecret: string;
  };
}

/** Options of {@link startWorld}. */
export interface WorldOptions {
  /** Same seed, same catalogue and day. @default 7 */
  readonly seed?: number;
  /** @default 60 */
  readonly skuCount?: number;
  /** Faults on every sandbox from the start. */
  readonly faults?: Faults;
  /** Units of each SKU at each outlet at the start. @default 12 */
  readonly initialStock?: number;
}

/** The running sandboxes with their seeded catalogue. */
export interface World {
  readonly sandbox: Sandbox;
  readonly description: WorldDescription;
  /** Sends every platform's webhooks to `{baseUrl}/{tenantId}/{receiver}`. */
  subscribe(baseUrl: string): void;
  /** A trading day for this catalogue. */
  plan(options?: {
    readonly posSales?: number;
    readonly onlineOrders?: number;
    readonly bulkReceiptUnits?: number;
  }): StoreAction[];
  /** Carries out one action; online orders only take what the channel shows, as a shopper would. */
  play(action: StoreAction): Promise<void>;
  /** What a channel shows for a SKU now. */
  shows(channelId: string, sku: string): number;
  /** Lightspeed's level of a SKU at an outlet. */
  inventory(sku: string, outletId: string): number;
  /** Units shoppers ordered online; orders refunded, and of those restocked. */
  readonly ordered: {
    units: number;
    orders: number;
    refused: number;
    refunded: number;
    restocked: number;
  };
  /** Faults on every sandbox; `lightspeed` replaces them for Lightspeed alone. */
  setFaults(faults: Faults | undefined, lightspeed?: Faults): void;
  close(): Promise<void>;
}

export const TENANT = "acme";
export const RACE_SKU = "LAST-UNIT";

/** Starts the sandboxes and seeds the retailer's catalogue into each. */
export async function startWorld(options: WorldOptions = {}): Promise<World> {
  const seed = options.seed ?? 7;
  const skuCount = options.skuCount ?? 60;
  const stock = options.initialStock ?? 12;
  const faults = options.faults;
  const sandbox = await startSandbox({
    seed,
    lightspeed: { ...(faults ? { faults } : {}) },
    shopify: [
      { shop: "acme-eu.myshopify.com", ...(faults ? { faults } : {}) },
      { shop: "acme-us.myshopify.com", ...(faults ? { faults } : {}) },
    ],
    amazon: {
      acceptedDelayMs: 300,
      feedTiming: { queuedMs: 200, processingMs: 800 },
      ...(faults ? { faults } : {}),
    },
    bigcommerce: { applyDelayMs: 200, ...(faults ? { faults } : {}) },
  });
  const ls = sandbox.lightspeed!;
  const [eu, us] = sandbox.shopify as [
    NonNullable<Sandbox["shopify"][0]>,
    NonNullable<Sandbox["shopify"][0]>,
  ];
  const amazon = sandbox.amazon!;
  const bc = sandbox.bigcommerce!;

  const skus = [
    ...Array.from({ length: skuCount }, (_, i) => `SKU-${String(i + 1).padStart(4, "0")}`),
    RACE_SKU,
  ];
  const outlets = ["Main Street", "Mall", "Warehouse"].map((name) => {
    const outlet = ls.control.addOutlet(name);
    ls.control.addRegister(outlet.id);
    return { id: outlet.id, name };
  });
  const shopifyLocations = [eu, us].map((store) => store.control.addLocation("Online"));
  /** Per Shopify store: SKU → its variant and inventory item. */
  const variants = [
    new Map<string, { id: string; inventoryItemId: string }>(),
    new Map<string, { id: string; inventoryItemId: string }>(),
  ];
  for (const sku of skus) {
    ls.control.addProduct({ sku, name: sku });
    outlets.forEach((outlet, o) => {
      const units = sku === RACE_SKU ? (o === 0 ? 1 : 0) : stock;
      if (units > 0) ls.control.setInventory(sku, outlet.id, units);
    });
    [eu, us].forEach((store, s) => {
      const variant = store.control.addVariant({ sku, title: sku });
      store.control.stock(variant.inventoryItemId, (shopifyLocations[s] as { id: string }).id, 0);
      variants[s]?.set(sku, variant);
    });
    amazon.control.addListing({ sku, quantity: 0 });
  }
  bc.control.addProduct({ name: "Catalogue", skus });
  for (const sku of skus) bc.control.setInventory(sku, 1, 0);

  const channels = ["shopify-eu", "shopify-us", "amazon", "bigcommerce"] as const;
  const outletIds = outlets.map((o) => o.id);
  const catalog: CatalogConfig = {
    locations: outlets.map((o) => ({ id: o.id, name: o.name })),
    skus,
    channels: [
      {
        id: "shopify-eu",
        name: "Shopify EU",
        feed: { mode: "sum", locationIds: outletIds },
        buffer: { percent: 10 },
      },
      {
        id: "shopify-us",
        name: "Shopify US",
        feed: { mode: "sum", locationIds: [outletIds[0] as string, outletIds[2] as string] },
        buffer: { units: 1 },
      },
      {
        id: "amazon",
        name: "Amazon",
        feed: { mode: "single", locationId: outletIds[2] as string },
        buffer: { percent: 15 },
      },
      {
        id: "bigcommerce",
        name: "BigCommerce",
        feed: { mode: "sum", locationIds: outletIds },
        buffer: { percent: 15, floor: 2 },
      },
    ],
    listings: channels.flatMap((channelId) =>
      skus.map((sku) => ({ channelId, listingId: sku, sku })),
    ),
  };

  const description: WorldDescription = {
    tenantId: TENANT,
    skus,
    catalog,
    lightspeed: {
      url: ls.url,
      personalToken: ls.credentials.personalToken,
      clientSecret: ls.credentials.clientSecret,
      outlets,
    },
    shopify: [eu, us].map((store, s) => ({
      channelId: channels[s] as string,
      url: store.url,
      shop: store.credentials.shop,
      accessToken: store.credentials.accessToken,
      webhookSecret: store.credentials.webhookSecret,
      locationId: (shopifyLocations[s] as { id: string }).id,
      items: Object.fromEntries(
        [...(variants[s] ?? [])].map(([sku, v]) => [sku, v.inventoryItemId]),
      ),
    })),
    amazon: { channelId: "amazon", url: amazon.url, credentials: amazon.credentials },
    bigcommerce: {
      channelId: "bigcommerce",
      url: bc.url,
      storeHash: bc.credentials.storeHash,
      accessToken: bc.credentials.accessToken,
      clientSecret: bc.credentials.clientSecret,
    },
  };

  const shows = (channelId: string, sku: string): number => {
    switch (channelId) {
      case "shopify-eu":
      case "shopify-us": {
        const s = channelId === "shopify-eu" ? 0 : 1;
        const store = s === 0 ? eu : us;
        const item = variants[s]?.get(sku)?.inventoryItemId as string;
        return store.control.quantity(item, (shopifyLocations[s] as { id: string }).id);
      }
      case "amazon":
        return amazon.control.quantity(sku);
      default:
        return Math.max(0, bc.control.inventory(sku, 1));
    }
  };

  const ordered = { units: 0, orders: 0, refused: 0, refunded: 0, restocked: 0 };
  /** Shopify orders not refunded yet, per store, oldest first. */
  const refundable: { id: string; lines: { variantId: string; quantity: number }[] }[][] = [[], []];
  const outletOf = (name: string) =>
    outlets.find((o) => o.name === name || o.id === name)?.id ?? (outlets[0] as { id: string }).id;

  async function play(action: StoreAction): Promise<void> {
    switch (action.kind) {
      case "pos-sale": {
        // A cashier sells what is on the shelf: Lightspeed below zero can then only come
        // from a channel selling a unit that was not there.
        const outletId = outletOf(action.outlet);
        const lines = action.lines.flatMap((line) => {
          const quantity = Math.min(
            line.quantity,
            Math.max(0, ls.control.inventory(line.sku, outletId)),
          );
          return quantity > 0 ? [{ sku: line.sku, quantity }] : [];
        });
        if (lines.length > 0) ls.control.sell({ outletId, lines });
        return;
      }
      case "return":
        ls.control.returnItems(outletOf(action.outlet), action.lines);
        return;
      case "receipt": {
        const outletId = outletOf(action.outlet);
        for (const line of action.lines)
          ls.control.setInventory(
            line.sku,
            outletId,
            ls.control.inventory(line.sku, outletId) + line.quantity,
          );
        return;
      }
      case "transfer": {
        const from = outletOf(action.from);
        const to = outletOf(action.to);
        for (const line of action.lines) {
          const moved = Math.min(line.quantity, Math.max(0, ls.control.inventory(line.sku, from)));
          if (moved === 0) continue;
          ls.control.setInventory(line.sku, from, ls.control.inventory(line.sku, from) - moved);
          ls.control.setInventory(line.sku, to, ls.control.inventory(line.sku, to) + moved);
        }
        return;
      }
      case "online-order": {
        // A shopper can only buy what the channel shows.
        const lines = action.lines.filter(
          (line) => shows(action.channel, line.sku) >= line.quantity,
        );
        if (lines.length < action.lines.length) ordered.refused++;
        if (lines.length === 0) return;
        ordered.orders++;
        for (const line of lines) ordered.units += line.quantity;
        if (action.channel === "shopify-eu" || action.channel === "shopify-us") {
          const s = action.channel === "shopify-eu" ? 0 : 1;
          const store = s === 0 ? eu : us;
          const orderLines = lines.map((l) => ({
            variantId: variants[s]?.get(l.sku)?.id as string,
            quantity: l.quantity,
          }));
          const order = store.control.placeOrder(
            orderLines,
            (shopifyLocations[s] as { id: string }).id,
          );
          refundable[s]?.push({ id: order.id, lines: orderLines });
        } else if (action.channel === "amazon") {
          amazon.control.placeOrder(lines);
        } else {
          bc.control.placeOrder(lines);
        }
        return;
      }
      case "online-refund": {
        // A shopper sends back an earlier Shopify order; restocked units go back on sale.
        const s = action.channel === "shopify-eu" ? 0 : action.channel === "shopify-us" ? 1 : -1;
        const order = refundable[s]?.shift();
        if (order === undefined) return;
        ordered.refunded++;
        if (action.restock) ordered.restocked++;
        (s === 0 ? eu : us).control.refund(
          order.id,
          order.lines.map((line) => ({ ...line, restock: action.restock })),
        );
        return;
      }
    }
  }

  return {
    sandbox,
    description,
    subscribe(baseUrl) {
      const at = (receiver: string) => `${baseUrl}/${TENANT}/${receiver}`;
      for (const type of ["inventory.update", "sale.update", "product.update"] as const)
        ls.control.subscribe(type, at("lightspeed"));
      [eu, us].forEach((store, s) => {
        for (const topic of [
          "orders/create",
          "orders/cancelled",
          "refunds/create",
          "inventory_levels/update",
        ] as const)
          store.control.subscribe(topic, at(channels[s] as string));
      });
      amazon.control.subscribe(at("amazon"));
      for (const scope of ["store/order/created", "store/order/statusUpdated"])
        bc.control.subscribe(scope, at("bigcommerce"));
    },
    plan(opts = {}) {
      return planTradingDay({
        seed,
        skus: skus.filter((s) => s !== RACE_SKU),
        outlets: outlets.map((o) => o.name),
        channels: [...channels],
        startAt: Date.UTC(2026, 11, 1, 9),
        posSales: opts.posSales ?? 300,
        onlineOrders: opts.onlineOrders ?? 120,
        bulkReceiptUnits: opts.bulkReceiptUnits ?? 5_000,
        refundChannels: channels.filter((c) => c.startsWith("shopify")),
        lastUnitRace: { sku: RACE_SKU, outlet: "Main Street", channels: ["shopify-eu", "amazon"] },
      });
    },
    play,
    shows,
    inventory: (sku, outletId) => ls.control.inventory(sku, outletId),
    ordered,
    setFaults(next, lightspeed = next) {
      ls.setFaults(lightspeed);
      eu.setFaults(next);
      us.setFaults(next);
      amazon.setFaults(next);
      bc.setFaults(next);
    },
    close: () => sandbox.close(),
  };
}
