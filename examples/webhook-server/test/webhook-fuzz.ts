/**
 * The webhook fuzz shared by `fuzz.test.ts` and `bench/fuzz.bench.ts`: one engine with the
 * four platforms' receivers (each with its secret), bodies structurally close to what each
 * platform sends — valid ones and ones broken in one place —, each signed with the
 * platform's own scheme, and the check that every answer keeps the engine's promises.
 */
import { createHmac } from "node:crypto";
import { createServer } from "node:http";
import { createAmazonNotificationReceiver, signAmazonNotification } from "@omnistock/amazon";
import {
  type BigCommerceClient,
  createBigCommerceClient,
  createBigCommerceWebhookReceiver,
} from "@omnistock/bigcommerce";
import {
  type CatalogConfig,
  MAX_EVENT_QUANTITY,
  parseChannelOrders,
  parseStockEvents,
  type WebhookReceiver,
  type WebhookResult,
} from "@omnistock/core";
import { createLightspeedWebhookReceiver } from "@omnistock/lightspeed";
import { createShopifyWebhookReceiver, shopifyWebhookHeaders } from "@omnistock/shopify";
import {
  createMemoryStore,
  createSyncEngine,
  type SyncEngine,
  type SyncStore,
  toNodeHandler,
} from "@omnistock/sync";
import fc from "fast-check";

/** The platforms fuzzed, each one receiver of the tenant. */
export const PLATFORMS = ["lightspeed", "shopify", "amazon", "bigcommerce"] as const;
/** One of {@link PLATFORMS}: also the receiver's route name. */
export type Platform = (typeof PLATFORMS)[number];

const TENANT = "fuzz";
const SECRETS = {
  lightspeed: "ls-client-secret",
  shopify: "shpss_fuzz",
  amazon: "forwarder-secret",
  bigcommerce: "bc-client-secret",
} as const;
/** The time every signature and delivery is dated, in epoch milliseconds. */
const NOW = Date.UTC(2026, 11, 4, 12, 0, 0);
const SKUS = ["MUG-RED", "TEA-EARL"] as const;

const catalog: CatalogConfig = {
  locations: [{ id: "main" }, { id: "mall" }],
  channels: [
    { id: "shopify", feed: { mode: "sum", locationIds: ["main", "mall"] } },
    { id: "amazon", feed: { mode: "single", locationId: "main" } },
    { id: "bigcommerce", feed: { mode: "single", locationId: "main" } },
  ],
  listings: (["shopify", "amazon", "bigcommerce"] as const).flatMap((channelId) =>
    SKUS.map((sku) => ({ channelId, listingId: sku, sku })),
  ),
};

// ---- the fake BigCommerce store the receiver reads orders and levels from -------------

/** Text the fake store puts in its error answers: it must never reach a webhook's caller. */
export const STORE_INTERNAL = "FAKE-STORE-INTERNAL db-7.internal:5432";

/**
 * A BigCommerce client whose store answers every order id with one line and every item
 * with a level, except orders whose id ends in 7 (a 404) or 3 (a 503), answered with
 * internal text, as a platform's error pages carry.
 */
function fakeBigCommerce(): BigCommerceClient {
  const json = (value: unknown, status = 200) =>
    new Response(JSON.stringify(value), {
      status,
      headers: { "content-type": "application/json" },
    });
  const fetch: typeof globalThis.fetch = async (input) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const path = url.pathname.replace(/^\/stores\/[^/]+/, "");
    const order = /^\/v2\/orders\/(\d+)(\/products)?$/.exec(path);
    const failing = order?.[1]?.at(-1);
    if (failing === "7" || failing === "3")
      return json(
        { status: failing === "7" ? 404 : 503, title: STORE_INTERNAL },
        failing === "7" ? 404 : 503,
      );
    if (order?.[2] !== undefined)
      return json([
        {
          id: 1,
          order_id: Number(order[1]),
          product_id: 10,
          variant_id: 11,
          sku: "MUG-RED",
          quantity: 2,
        },
      ]);
    if (order !== null)
      return json({
        id: Number(order[1]),
        status_id: 11,
        date_modified: new Date(NOW).toUTCString(),
      });
    if (path.endsWith("/shipments")) return new Response(null, { status: 204 });
    if (path === "/v3/inventory/items")
      return json({
        data: [
          {
            identity: { sku: "MUG-RED", variant_id: 11, product_id: 10 },
            locations: [{ location_id: 1, total_inventory_onhand: 5, available_to_sell: 5 }],
          },
        ],
        meta: { pagination: { total: 1, current_page: 1, total_pages: 1 } },
      });
    return new Response(null, { status: 404 });
  };
  return createBigCommerceClient({
    storeHash: "fuzz",
    accessToken: "token",
    apiUrl: "http://127.0.0.1:1",
    quota: 1_000_000_000,
    http: { fetch, retry: { retries: 0 } },
  });
}

// ---- the engine -----------------------------------------------------------------------

/** What the receivers made of the last delivery they were given. */
class Seen {
  private last: WebhookResult | undefined;
  record(result: WebhookResult | undefined): void {
    this.last = result;
  }
  /** The last result, forgotten as it is read. */
  take(): WebhookResult | undefined {
    const last = this.last;
    this.last = undefined;
    return last;
  }
}

/** Wraps a receiver so the check can see what it made of each body. */
function watched(receiver: WebhookReceiver, seen: Seen): WebhookReceiver {
  return {
    ...receiver,
    receive: (request) => receiver.receive(request),
    async tryReceive(request) {
      seen.record(undefined);
      const result = await receiver.tryReceive(request);
      seen.record(result);
      return result;
    },
  };
}

/** The engine under fuzz, its store, and what the receivers and the store saw. */
export interface FuzzWorld {
  readonly engine: SyncEngine;
  readonly store: SyncStore;
  readonly seen: Seen;
  /** Units of work the store committed (a duplicate delivery commits none). */
  readonly commits: { count: number };
}

/** A fresh engine on the memory store, with the four receivers watched. */
export function createFuzzWorld(): FuzzWorld {
  const memory = createMemoryStore();
  const commits = { count: 0 };
  const store: SyncStore = {
    ...memory,
    async apply(tenantId, unit) {
      const outcome = await memory.apply(tenantId, unit);
      if (outcome.applied) commits.count++;
      return outcome;
    },
  };
  const seen = new Seen();
  const outlets: Record<string, string> = { "o-main": "main", "o-mall": "mall" };
  const products: Record<string, string> = { "p-mug": "MUG-RED", "p-tea": "TEA-EARL" };
  const receivers: Record<Platform, WebhookReceiver> = {
    lightspeed: createLightspeedWebhookReceiver({
      secrets: [SECRETS.lightspeed],
      skuOf: (id) => products[id],
      locationOf: (id) => outlets[id] ?? id,
      clock: () => NOW,
    }),
    shopify: createShopifyWebhookReceiver({ channelId: "shopify", secrets: SECRETS.shopify }),
    amazon: createAmazonNotificationReceiver({
      channelId: "amazon",
      secrets: [SECRETS.amazon],
      listings: SKUS.map((sku) => ({ listingId: sku, sellerSku: `${sku}-01` })),
    }),
    bigcommerce: createBigCommerceWebhookReceiver({
      client: fakeBigCommerce(),
      channelId: "bigcommerce",
      secrets: SECRETS.bigcommerce,
      clock: () => NOW,
    }),
  };
  const engine = createSyncEngine({
    store,
    clock: () => NOW,
    tenants: [
      {
        id: TENANT,
        catalog,
        receivers: Object.fromEntries(
          PLATFORMS.map((platform) => [platform, watched(receivers[platform], seen)]),
        ),
      },
    ],
    polling: { stockEveryMs: 0, ordersEveryMs: 0 },
  });
  return { engine, store, seen, commits };
}

// ---- bodies -----------------------------------------------------------------------------

let sequence = 0;
/** A number no other delivery of this process has: ids and versions stay unique. */
const next = () => ++sequence;

/** A valid delivery's parts: the topic (where the platform sends one) and the JSON payload. */
interface Template {
  readonly topic: string;
  readonly payload: (n: number) => unknown;
}

const lightspeedTemplates: readonly Template[] = [
  {
    topic: "inventory.update",
    payload: (n) => ({ product_id: "p-mug", outlet_id: "o-main", count: 12, version: n }),
  },
  {
    topic: "inventory.update",
    payload: (n) => ({ product_id: "p-tea", outlet_id: "o-mall", count: "7.00000", version: n }),
  },
  {
    topic: "sale.update",
    payload: (n) => ({
      id: `sale-${n}`,
      outlet_id: "o-main",
      status: "CLOSED",
      sale_date: "2026-12-04 11:59:00",
      line_items: [
        { product_id: "p-mug", quantity: 1 },
        { product_id: "p-tea", quantity: -1 },
      ],
      version: n,
    }),
  },
  {
    topic: "sale.update",
    payload: (n) => ({
      id: `sale-${n}`,
      outlet_id: "o-mall",
      status: "VOIDED",
      updated_at: "2026-12-04T11:59:30Z",
      line_items: [{ product_id: "p-mug", quantity: 2 }],
      version: n,
    }),
  },
  {
    topic: "product.update",
    payload: (n) => ({ id: "p-mug", sku: "MUG-RED", name: "Mug", version: n }),
  },
];

const shopifyOrder = (n: number, extra: Record<string, unknown> = {}) => ({
  id: 5000 + n,
  created_at: "2026-12-04T11:00:00Z",
  updated_at: "2026-12-04T11:30:00Z",
  location_id: null,
  line_items: [
    { id: 1, variant_id: 44, sku: "MUG-RED", quantity: 1 },
    { id: 2, variant_id: 45, sku: "TEA-EARL", quantity: 3 },
  ],
  fulfillments: [],
  ...extra,
});

const shopifyTemplates: readonly Template[] = [
  { topic: "orders/create", payload: (n) => shopifyOrder(n) },
  {
    topic: "orders/cancelled",
    payload: (n) => shopifyOrder(n, { cancelled_at: "2026-12-04T11:40:00Z" }),
  },
  {
    topic: "orders/fulfilled",
    payload: (n) =>
      shopifyOrder(n, { fulfillments: [{ tracking_company: "DHL", tracking_number: "JD01" }] }),
  },
  {
    topic: "refunds/create",
    payload: (n) => ({
      id: n,
      order_id: 5000 + n,
      created_at: "2026-12-04T11:50:00Z",
      refund_line_items: [
        { quantity: 1, restock_type: "return", line_item: { variant_id: 44, sku: "MUG-RED" } },
      ],
    }),
  },
  {
    topic: "inventory_levels/update",
    payload: () => ({
      inventory_item_id: 1,
      location_id: 2,
      available: 4,
      updated_at: "2026-12-04T11:00:00Z",
    }),
  },
];

const amazonEnvelope = (n: number, type: string, payload: unknown) => ({
  NotificationVersion: "1.0",
  NotificationType: type,
  PayloadVersion: "1.0",
  EventTime: "2026-12-04T11:00:00.000Z",
  Payload: payload,
  NotificationMetadata: {
    ApplicationId: "app",
    SubscriptionId: "sub",
    PublishTime: "2026-12-04T11:00:01.000Z",
    NotificationId: `n-${n}`,
  },
});
const amazonOrderChange = (n: number) =>
  amazonEnvelope(n, "ORDER_CHANGE", {
    OrderChangeNotification: {
      NotificationLevel: "OrderLevel",
      SellerId: "A2FUZZSELLER",
      AmazonOrderId: `111-${n}`,
      OrderChangeType: "OrderStatusChange",
      OrderChangeTrigger: {
        TimeOfOrderChange: "2026-12-04T11:00:00.000Z",
        ChangeReason: "Order status changed",
      },
      Summary: {
        MarketplaceId: "ATVPDKIKX0DER",
        OrderStatus: "Unshipped",
        PurchaseDate: "2026-12-04T10:59:00.000Z",
        DestinationPostalCode: "98101",
        FulfillmentType: "MFN",
        OrderType: "StandardOrder",
        OrderItems: [
          { OrderItemId: "1", SellerSKU: "MUG-RED-01", SupplySourceId: null, Quantity: 2 },
        ],
      },
    },
  });

const amazonTemplates: readonly Template[] = [
  { topic: "", payload: amazonOrderChange },
  {
    topic: "",
    payload: (n) =>
      amazonEnvelope(n, "LISTINGS_ITEM_MFN_QUANTITY_CHANGE", {
        SellerId: "A2FUZZSELLER",
        FulfillmentChannelCode: "DEFAULT",
        Sku: "TEA-EARL-01",
        Quantity: 6,
      }),
  },
  {
    topic: "",
    payload: (n) => ({
      version: "0",
      id: `e-${n}`,
      "detail-type": "ORDER_CHANGE",
      detail: amazonOrderChange(n),
    }),
  },
];

const bigcommerceEnvelope = (scope: string, data: unknown) => ({
  scope,
  store_id: "1",
  data,
  hash: "3f9ea420af83450d7ef9f78b08c8af25b2213637",
  created_at: NOW / 1000,
  producer: "stores/fuzz",
});

const bigcommerceTemplates: readonly Template[] = [
  {
    topic: "",
    payload: (n) => bigcommerceEnvelope("store/order/created", { type: "order", id: 100 + n }),
  },
  {
    topic: "",
    payload: (n) =>
      bigcommerceEnvelope("store/order/refund/created", {
        type: "order",
        id: 100 + n,
        refund: { refund_id: n },
      }),
  },
  {
    topic: "",
    payload: () =>
      bigcommerceEnvelope("store/sku/inventory/updated", {
        type: "sku",
        id: 11,
        inventory: { product_id: 10, variant_id: 11, method: "absolute", value: 5 },
      }),
  },
  {
    topic: "",
    payload: (n) =>
      bigcommerceEnvelope("store/shipment/created", { type: "shipment", id: n, orderId: 100 + n }),
  },
  { topic: "", payload: (n) => bigcommerceEnvelope("store/cart/created", { type: "cart", id: n }) },
];

const TEMPLATES: Record<Platform, readonly Template[]> = {
  lightspeed: lightspeedTemplates,
  shopify: shopifyTemplates,
  amazon: amazonTemplates,
  bigcommerce: bigcommerceTemplates,
};

/**
 * JSON text put in place of one value: wrong types, quantities that are huge, negative,
 * fractional or NaN-ish as numbers and as strings, number tokens JSON.parse turns into
 * edge cases, unicode, and nesting.
 */
const replacement: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    "null",
    "true",
    "false",
    "[]",
    "{}",
    "[1]",
    '{"a":1}',
    "-1",
    "0",
    "-0",
    "1.5",
    "0.1",
    "-2.5",
    "1e3",
    "1e400",
    "-1e400",
    "1e-400",
    "9007199254740993",
    "123456789012345678901234567890",
    "2147483648",
    "1000000001",
    "-1000000001",
    '"3"',
    '"-3"',
    '"1.5"',
    '"NaN"',
    '"Infinity"',
    '"-Infinity"',
    '"0x10"',
    '" 3"',
    '"1e3"',
    '""',
    '"11.00000"',
    '"\\ud800"',
    '"MUG-RED\\u0000"',
    '"🍵"',
  ),
  fc.integer().map(String),
  fc.double().map((d) => JSON.stringify(d) ?? "null"),
  fc.string({ unit: "binary" }).map((s) => JSON.stringify(s)),
  fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v) ?? "null"),
  fc.integer({ min: 1, max: 5_000 }).map((depth) => `${"[".repeat(depth)}1${"]".repeat(depth)}`),
);

/** One way a valid body is broken, or none. */
type Mutation =
  | { readonly kind: "none" }
  | { readonly kind: "replace"; readonly at: number; readonly raw: string }
  | { readonly kind: "delete"; readonly at: number }
  | { readonly kind: "truncate"; readonly at: number }
  | { readonly kind: "whole"; readonly text: string }
  | { readonly kind: "topic"; readonly topic: string };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { arbitrary: fc.constant({ kind: "none" as const }), weight: 3 },
  {
    arbitrary: fc.record({
      kind: fc.constant("replace" as const),
      at: fc.nat(),
      raw: replacement,
    }),
    weight: 10,
  },
  {
    arbitrary: fc.record({ kind: fc.constant("delete" as const), at: fc.nat() }),
    weight: 2,
  },
  {
    arbitrary: fc.record({ kind: fc.constant("truncate" as const), at: fc.nat() }),
    weight: 1,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant("whole" as const),
      text: fc.oneof(
        fc.string({ unit: "binary" }),
        fc.jsonValue().map((v) => JSON.stringify(v) ?? "null"),
        fc.constantFrom("", "null", "[]", "{}", '""', "0", "[{}]", "\u0000", "%ZZ", "payload="),
        fc
          .integer({ min: 1, max: 10_000 })
          .map((depth) => `${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`),
      ),
    }),
    weight: 1,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant("topic" as const),
      topic: fc.oneof(
        fc.constantFrom("", "orders/updated", "inventory.update ", "ORDER_CHANGE", "Sale.Update"),
        // What a header can carry: printable ASCII.
        fc.stringMatching(/^[ -~]{0,40}$/),
      ),
    }),
    weight: 1,
  },
);

/** One generated case: which template, broken how. */
export interface FuzzCase {
  readonly template: number;
  readonly mutation: Mutation;
}

/** How many valid bodies (templates) a platform's cases start from. */
export const templateCount = (platform: Platform): number => TEMPLATES[platform].length;

/** Cases for a platform: its templates, each broken (or not) in one place. */
export function fuzzCase(platform: Platform): fc.Arbitrary<FuzzCase> {
  return fc.record({
    template: fc.nat({ max: TEMPLATES[platform].length - 1 }),
    mutation,
  });
}

/** Every path of the values inside `value`, the root excluded. */
function pathsOf(value: unknown, prefix: readonly (string | number)[] = []): (string | number)[][] {
  if (typeof value !== "object" || value === null) return [];
  const entries: [string | number, unknown][] = Array.isArray(value)
    ? value.map((v, i) => [i, v])
    : Object.entries(value);
  return entries.flatMap(([key, v]) => [[...prefix, key], ...pathsOf(v, [...prefix, key])]);
}

const MARK = "\u0000@fuzz\u0000";

/** The payload as JSON text, broken as `m` says (the topic mutation leaves it whole). */
function brokenJson(payload: unknown, m: Mutation): string {
  if (m.kind === "none" || m.kind === "topic") return JSON.stringify(payload);
  if (m.kind === "whole") return m.text;
  if (m.kind === "truncate") {
    const text = JSON.stringify(payload);
    return text.slice(0, m.at % text.length);
  }
  const paths = pathsOf(payload);
  const path = paths[m.at % paths.length] ?? [];
  const copy = structuredClone(payload) as Record<string | number, unknown>;
  let parent: Record<string | number, unknown> = copy;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
  const last = path.at(-1);
  if (last === undefined) return JSON.stringify(copy);
  if (m.kind === "delete") {
    if (Array.isArray(parent)) parent.splice(Number(last), 1);
    else delete parent[last];
    return JSON.stringify(copy);
  }
  parent[last] = MARK;
  return JSON.stringify(copy).replace(JSON.stringify(MARK), m.raw);
}

/** A signed request: the body and headers as the platform would send them. */
export interface SignedDelivery {
  readonly body: string;
  readonly headers: Record<string, string>;
}

const hmac = (secret: string | Buffer, text: string, encoding: "hex" | "base64") =>
  createHmac("sha256", secret).update(text, "utf8").digest(encoding);

/** Builds the case's body and signs it with the platform's scheme. */
export function signedDelivery(platform: Platform, c: FuzzCase): SignedDelivery {
  const template = TEMPLATES[platform][c.template] as Template;
  const n = next();
  const json = brokenJson(template.payload(n), c.mutation);
  const topic = c.mutation.kind === "topic" ? c.mutation.topic : template.topic;
  switch (platform) {
    case "lightspeed": {
      // Form-encoded with a JSON `payload`; a whole-body mutation replaces the form itself.
      const body =
        c.mutation.kind === "whole"
          ? c.mutation.text
          : new URLSearchParams({ type: topic, payload: json }).toString();
      return {
        body,
        headers: {
          "content-type": "application/x-www-form-urlencoded",
          "x-signature": `signature=${hmac(SECRETS.lightspeed, body, "hex")},algorithm=HMAC-SHA256`,
        },
      };
    }
    case "shopify":
      return {
        body: json,
        headers: shopifyWebhookHeaders({
          topic,
          body: json,
          secret: SECRETS.shopify,
          webhookId: `w-${n}`,
        }),
      };
    case "amazon":
      return {
        body: json,
        headers: {
          "content-type": "application/json",
          "x-omnistock-signature": signAmazonNotification(SECRETS.amazon, json),
        },
      };
    case "bigcommerce": {
      // Standard Webhooks: base64 HMAC-SHA256 of `id.timestamp.body` under the secret's bytes.
      const id = `msg_${n}`;
      const timestamp = Math.floor(NOW / 1000);
      return {
        body: json,
        headers: {
          "content-type": "application/json",
          "webhook-id": id,
          "webhook-timestamp": String(timestamp),
          "webhook-signature": `v1,${hmac(Buffer.from(SECRETS.bigcommerce), `${id}.${timestamp}.${json}`, "base64")}`,
        },
      };
    }
  }
}

// ---- the check ----------------------------------------------------------------------

/** What one answer was, for the counts. */
export type Outcome = "applied" | "duplicate" | `refused-${number}`;

/** Everything the store holds for the tenant, as text: equal text, nothing changed. */
async function stateOf(store: SyncStore): Promise<string> {
  const positions = [...(await store.positions(TENANT))].sort((a, b) =>
    `${a.sku}@${a.locationId}`.localeCompare(`${b.sku}@${b.locationId}`),
  );
  const listings = [...(await store.listings(TENANT))].sort(([a], [b]) => a.localeCompare(b));
  const outbox = [...(await store.outboxSize(TENANT))].sort(([a], [b]) => a.localeCompare(b));
  return JSON.stringify({ positions, listings, outbox });
}

/** Every number in a JSON text is a safe integer (quantities, times, versions). */
function onlySafeIntegers(text: string): boolean {
  let ok = true;
  JSON.parse(text, (_key, value: unknown) => {
    if (typeof value === "number" && !Number.isSafeInteger(value)) ok = false;
    return value;
  });
  return ok;
}

/** What an answer was and, when it broke a promise, which one. */
export interface Verdict {
  readonly outcome: Outcome;
  readonly broken?: string;
}

/**
 * Sends one delivery through `send` and checks the promises: the answer is one the
 * engine documents for a correctly signed body (200, 400, 500 or 503 — never 401, and
 * never a crash); a 2xx comes only from a delivery the receiver made valid (core's schemas
 * pass on its events, orders and levels) and leaves only whole numbers in the store; a
 * non-2xx leaves the store exactly as it was and commits nothing; no answer carries a
 * secret.
 */
export async function deliverAndCheck(
  world: FuzzWorld,
  platform: Platform,
  delivery: SignedDelivery,
  send: (request: Request) => Promise<Response>,
): Promise<Verdict> {
  const before = await stateOf(world.store);
  const commits = world.commits.count;
  world.seen.take();
  const response = await send(
    new Request(`http://127.0.0.1/webhooks/${TENANT}/${platform}`, {
      method: "POST",
      headers: delivery.headers,
      body: delivery.body,
    }),
  );
  const text = await response.text();
  const after = await stateOf(world.store);
  const status = response.status;
  const fail = (broken: string): Verdict => ({
    outcome: status === 200 ? "applied" : `refused-${status}`,
    broken: `${broken} (status ${status}, answer ${text.slice(0, 300)})`,
  });
  for (const secret of Object.values(SECRETS))
    if (text.includes(secret)) return fail("the answer carries a secret");
  if (text.includes(STORE_INTERNAL)) return fail("the answer carries a platform's error text");
  if (status < 200 || status >= 300) {
    if (![400, 500, 503].includes(status)) return fail("an answer no signed body should get");
    if (after !== before) return fail("a refused delivery changed the store");
    if (world.commits.count !== commits) return fail("a refused delivery committed work");
    return { outcome: `refused-${status}` };
  }
  const seen = world.seen.take();
  if (seen === undefined || !seen.ok) return fail("a 2xx for a delivery the receiver refused");
  const { delivery: parsed } = seen;
  try {
    parseStockEvents(parsed.events, "fuzz");
    parseChannelOrders(parsed.orders, "fuzz");
  } catch (error) {
    return fail(`a 2xx for a delivery core's schemas refuse: ${String(error)}`);
  }
  for (const level of parsed.levels)
    if (!Number.isSafeInteger(level.quantity) || Math.abs(level.quantity) > MAX_EVENT_QUANTITY)
      return fail(`a 2xx for a level of ${level.quantity}`);
  if (!onlySafeIntegers(after)) return fail("the store holds a number that is no whole number");
  const answer = JSON.parse(text) as { ok?: boolean; duplicate?: boolean };
  if (answer.ok !== true) return fail("a 2xx that does not say ok");
  if (answer.duplicate === true) {
    if (after !== before) return fail("a duplicate changed the store");
    return { outcome: "duplicate" };
  }
  if (world.commits.count !== commits + 1) return fail("an applied delivery committed no work");
  return { outcome: "applied" };
}

/** Deliveries one engine takes before the next is made: its store, and each check, stay small. */
const DELIVERIES_PER_WORLD = 250;

/**
 * Runs cases against a fresh engine every {@link DELIVERIES_PER_WORLD} deliveries, either
 * straight into `handleWebhook` or through a real node:http server on 127.0.0.1 (port 0)
 * mounted with `toNodeHandler`, which outlives every engine.
 */
export interface FuzzRunner {
  /** Builds and signs one case, sends it, and checks the answer. */
  run(platform: Platform, c: FuzzCase, via: "fetch" | "node"): Promise<Verdict>;
  /** Whether the node:http server still listens. */
  readonly listening: () => boolean;
  stop(): Promise<void>;
}

/** Starts the first engine and the node:http server on 127.0.0.1 (port 0). */
export async function createFuzzRunner(): Promise<FuzzRunner> {
  let world = createFuzzWorld();
  await world.engine.start();
  let delivered = 0;
  const server = createServer(toNodeHandler((request) => world.engine.handleWebhook(request)));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("no port");
  const origin = `http://127.0.0.1:${address.port}`;
  const viaNode = async (request: Request) =>
    fetch(`${origin}${new URL(request.url).pathname}`, {
      method: request.method,
      headers: request.headers,
      body: await request.text(),
    });
  return {
    async run(platform, c, via) {
      if (++delivered % DELIVERIES_PER_WORLD === 0) {
        await world.engine.stop();
        world = createFuzzWorld();
        await world.engine.start();
      }
      const send = via === "node" ? viaNode : world.engine.handleWebhook;
      return deliverAndCheck(world, platform, signedDelivery(platform, c), send);
    },
    listening: () => server.listening,
    async stop() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await world.engine.stop();
    },
  };
}
