import { json, Router, readJson } from "../common/http.js";
import { createRandom } from "../common/random.js";
import type { Clock, DeliverWebhook, PlatformServer } from "../common/types.js";

/** Options of {@link createAmazonServer}. */
export interface AmazonServerOptions {
  /** @default "A2SANDBOXSELLER" */
  readonly sellerId?: string;
  /** @default "ATVPDKIKX0DER" (US) */
  readonly marketplaceId?: string;
  /** The LWA app's client id. @default "amzn1.application-oa2-client.sandbox" */
  readonly clientId?: string;
  /** @default "sandbox-lwa-secret" */
  readonly clientSecret?: string;
  /** The seller's refresh token for the refresh-token grant. @default "Atzr|sandbox-refresh" */
  readonly refreshToken?: string;
  /** How long after an ACCEPTED listings write its quantity shows. @default 0 */
  readonly acceptedDelayMs?: number;
  /** How long a feed waits in queue, then processes. @default { queuedMs: 1000, processingMs: 2000 } */
  readonly feedTiming?: { readonly queuedMs: number; readonly processingMs: number };
  /**
   * Where notifications go (as an integrator's SQS-to-HTTP bridge would post them);
   * without it they are kept in `control.notificationsSent()`.
   */
  readonly deliver?: DeliverWebhook;
  /** @default Date.now */
  readonly clock?: Clock;
  /** @default 1 */
  readonly seed?: number;
}

/** A listing: merchant-fulfilled (`DEFAULT`) or Amazon-fulfilled (`AMAZON_NA`, …). */
export interface AmazonListing {
  readonly sku: string;
  readonly asin: string;
  readonly productType: string;
  readonly fulfillmentChannelCode: string;
  /** The quantity buyers see (MFN), or Amazon's fulfillable quantity (FBA). */
  readonly quantity: number;
}

/** An order, as the server keeps it. */
export interface AmazonOrder {
  readonly AmazonOrderId: string;
  readonly FulfillmentChannel: "MFN" | "AFN";
  readonly OrderStatus: string;
  readonly PurchaseDate: string;
  readonly LastUpdateDate: string;
  readonly items: readonly {
    readonly OrderItemId: string;
    readonly SellerSKU: string;
    readonly ASIN: string;
    readonly QuantityOrdered: number;
  }[];
}

/** The control handle. */
export interface AmazonControl {
  addListing(listing: {
    readonly sku: string;
    readonly quantity: number;
    readonly fba?: boolean;
    readonly productType?: string;
  }): AmazonListing;
  /** The quantity buyers see now (pending writes not yet applied). */
  quantity(sku: string): number;
  /** A buyer orders: MFN orders take the merchant quantity; AFN orders Amazon's. */
  placeOrder(
    lines: readonly { readonly sku: string; readonly quantity: number }[],
    fulfillment?: "MFN" | "AFN",
  ): AmazonOrder;
  /** Changes an order's status (`Canceled` gives MFN units back). */
  setOrderStatus(orderId: string, status: "Unshipped" | "Shipped" | "Canceled"): void;
  /** Sends ORDER_CHANGE notifications to a URL. */
  subscribe(url: string): void;
  notificationsSent(): readonly string[];
  /** Applies pending ACCEPTED writes and finishes feeds now. */
  settle(): void;
}

/** A running fake Selling Partner API. */
export interface AmazonServer extends PlatformServer {
  readonly platform: "amazon";
  readonly control: AmazonControl;
  readonly credentials: {
    readonly sellerId: string;
    readonly marketplaceId: string;
    readonly clientId: string;
    readonly clientSecret: string;
    readonly refreshToken: string;
  };
  /** Amazon's own 429, for fault injection. */
  rateLimitedResponse(): Response;
}

/** Default usage plans (rate per second, burst) of the operations served. */
const PLANS: Readonly<Record<string, { rate: number; burst: number }>> = {
  getListingsItem: { rate: 5, burst: 10 },
  patchListingsItem: { rate: 5, burst: 5 },
  createFeedDocument: { rate: 0.5, burst: 15 },
  createFeed: { rate: 0.0083, burst: 15 },
  getFeed: { rate: 2, burst: 15 },
  getFeedDocument: { rate: 0.0222, burst: 10 },
  getOrders: { rate: 0.0167, burst: 20 },
  getOrderItems: { rate: 0.5, burst: 30 },
  getInventorySummaries: { rate: 2, burst: 2 },
  // JSON_LISTINGS_FEED has a limit of its own: 5 submissions per 5 minutes per region
  // (since 2025-05-06), as a bucket of 5 that refills one every minute.
  "createFeed:JSON_LISTINGS_FEED": { rate: 5 / 300, burst: 5 },
};

interface Feed {
  readonly feedId: string;
  readonly createdAt: number;
  readonly documentId: string;
  resultDocumentId?: string;
}

/**
 * A fake Amazon Selling Partner API: the LWA token endpoint (refresh-token grant),
 * `x-amz-access-token`, `getListingsItem` and `patchListingsItem` (merge and replace on
 * `fulfillment_availability`), the `JSON_LISTINGS_FEED` flow (document, upload, feed,
 * status, processing report), `getOrders`/`getOrderItems` with MFN and AFN orders, FBA
 * inventory summaries, per-operation rate and burst with `x-amzn-RateLimit-Limit` and 429
 * (`JSON_LISTINGS_FEED` submissions on their own line of 5 per 5 minutes),
 * and ACCEPTED writes that apply after a delay.
 */
export function createAmazonServer(options: AmazonServerOptions = {}): AmazonServer {
  const clock = options.clock ?? Date.now;
  const random = createRandom(options.seed ?? 1);
  const sellerId = options.sellerId ?? "A2SANDBOXSELLER";
  const marketplaceId = options.marketplaceId ?? "ATVPDKIKX0DER";
  const clientId = options.clientId ?? "amzn1.application-oa2-client.sandbox";
  const clientSecret = options.clientSecret ?? "sandbox-lwa-secret";
  const refreshToken = options.refreshToken ?? "Atzr|sandbox-refresh";
  const acceptedDelay = options.acceptedDelayMs ?? 0;
  const timing = options.feedTiming ?? { queuedMs: 1_000, processingMs: 2_000 };

  const token = () => Math.floor(random.next() * 2 ** 48).toString(36);
  const listings = new Map<string, AmazonListing>();
  const pendingWrites: { sku: string; quantity: number; visibleAt: number }[] = [];
  const documents = new Map<string, string | undefined>();
  const feeds = new Map<string, Feed>();
  const orders = new Map<string, AmazonOrder>();
  const accessTokens = new Map<string, number>();
  const subscribers: string[] = [];
  const sent: string[] = [];
  const buckets = new Map<string, { level: number; at: number }>();

  function applyDue(now: number, all = false): void {
    for (let i = 0; i < pendingWrites.length; ) {
      const write = pendingWrites[i] as (typeof pendingWrites)[number];
      if (all || write.visibleAt <= now) {
        const listing = listings.get(write.sku);
        if (listing !== undefined)
          listings.set(write.sku, { ...listing, quantity: write.quantity });
        pendingWrites.splice(i, 1);
      } else i++;
    }
    for (const feed of feeds.values()) {
      if (
        feed.resultDocumentId === undefined &&
        (all || now >= feed.createdAt + timing.queuedMs + timing.processingMs)
      ) {
        finishFeed(feed);
      }
    }
  }

  /** Checks one quantity patch; returns the issue that makes it invalid, if any. */
  function patchIssue(sku: string, patch: unknown): string | undefined {
    const p = patch as { op?: unknown; path?: unknown; value?: unknown };
    if (!["add", "replace", "merge", "delete"].includes(p?.op as string))
      return "op must be add, replace, merge or delete";
    if (p.path !== "/attributes/fulfillment_availability") return undefined;
    if (!Array.isArray(p.value)) return "value must be an array";
    for (const entry of p.value as { fulfillment_channel_code?: unknown; quantity?: unknown }[]) {
      if (typeof entry.fulfillment_channel_code !== "string")
        return "fulfillment_channel_code is required";
      if (entry.fulfillment_channel_code !== "DEFAULT" && entry.quantity !== undefined) {
        return "Quantity of Amazon-fulfilled offers is managed by Amazon and cannot be set";
      }
      if (
        entry.quantity !== undefined &&
        (!Number.isInteger(entry.quantity) || (entry.quantity as number) < 0)
      ) {
        return "quantity must be a whole number of 0 or more";
      }
    }
    if (
      listings.get(sku)?.fulfillmentChannelCode !== "DEFAULT" &&
      (p.value as { quantity?: unknown }[]).some((e) => e.quantity !== undefined)
    ) {
      return "Quantity of Amazon-fulfilled offers is managed by Amazon and cannot be set";
    }
    return undefined;
  }

  /** The merchant quantity a valid patch sets, if it sets one. */
  function quantityOf(patch: {
    path: string;
    value: { fulfillment_channel_code: string; quantity?: number }[];
  }): number | undefined {
    if (patch.path !== "/attributes/fulfillment_availability") return undefined;
    return patch.value.find((v) => v.fulfillment_channel_code === "DEFAULT")?.quantity;
  }

  function finishFeed(feed: Feed): void {
    const document = documents.get(feed.documentId);
    const issues: Record<string, unknown>[] = [];
    let processed = 0;
    let accepted = 0;
    let parsed: { header?: { sellerId?: unknown }; messages?: unknown } | undefined;
    try {
      parsed = document === undefined ? undefined : JSON.parse(document);
    } catch {
      parsed = undefined;
    }
    const messages = Array.isArray(parsed?.messages)
      ? (parsed.messages as Record<string, unknown>[])
      : [];
    for (const message of messages) {
      processed++;
      const sku = String(message.sku);
      const messageId = Number(message.messageId);
      const fail = (code: string, text: string) =>
        issues.push({
          messageId,
          sku,
          code,
          severity: "ERROR",
          message: text,
          attributeName: "fulfillment_availability",
        });
      if (!listings.has(sku)) {
        fail("18", `The SKU ${sku} does not exist for this seller.`);
        continue;
      }
      const patches =
        message.operationType === "PATCH"
          ? (message.patches as unknown[])
          : message.operationType === "PARTIAL_UPDATE"
            ? [
                {
                  op: "replace",
                  path: "/attributes/fulfillment_availability",
                  value: (message.attributes as Record<string, unknown> | undefined)
                    ?.fulfillment_availability,
                },
              ]
            : [];
      const problem = patches
        .map((patch) => patchIssue(sku, patch))
        .find((issue) => issue !== undefined);
      if (problem !== undefined || patches.length === 0) {
        fail("90000900", problem ?? "Only PATCH and PARTIAL_UPDATE messages are processed here.");
        continue;
      }
      for (const patch of patches) {
        const quantity = quantityOf(patch as Parameters<typeof quantityOf>[0]);
        const listing = listings.get(sku) as AmazonListing;
        if (quantity !== undefined) listings.set(sku, { ...listing, quantity });
      }
      accepted++;
    }
    const reportId = `amzn1.tortuga.4.na.${token()}`;
    documents.set(
      reportId,
      JSON.stringify({
        header: { sellerId, version: "2.0", feedId: feed.feedId },
        issues,
        summary: {
          errors: issues.length,
          warnings: 0,
          messagesProcessed: processed,
          messagesAccepted: accepted,
          messagesInvalid: processed - accepted,
        },
      }),
    );
    feed.resultDocumentId = reportId;
  }

  function status(feed: Feed, now: number): "IN_QUEUE" | "IN_PROGRESS" | "DONE" {
    if (feed.resultDocumentId !== undefined) return "DONE";
    return now < feed.createdAt + timing.queuedMs ? "IN_QUEUE" : "IN_PROGRESS";
  }

  function notify(order: AmazonOrder): void {
    const body = JSON.stringify({
      NotificationVersion: "1.0",
      NotificationType: "ORDER_CHANGE",
      PayloadVersion: "1.0",
      EventTime: new Date(clock()).toISOString(),
      Payload: {
        OrderChangeNotification: {
          NotificationLevel: "OrderLevel",
          SellerId: sellerId,
          AmazonOrderId: order.AmazonOrderId,
          OrderChangeType: "OrderStatusChange",
          OrderChangeTrigger: {
            TimeOfOrderChange: order.LastUpdateDate,
            ChangeReason: "Order status changed",
          },
          Summary: {
            MarketplaceId: marketplaceId,
            OrderStatus: order.OrderStatus,
            PurchaseDate: order.PurchaseDate,
            DestinationPostalCode: "98101",
            FulfillmentType: order.FulfillmentChannel,
            OrderType: "StandardOrder",
            NumberOfItemsShipped: 0,
            NumberOfItemsUnshipped: order.items.reduce((s, i) => s + i.QuantityOrdered, 0),
            OrderItems: order.items.map((i) => ({
              OrderItemId: i.OrderItemId,
              SellerSKU: i.SellerSKU,
              SupplySourceId: null,
              OrderItemStatus: "Unshipped",
              Quantity: i.QuantityOrdered,
              QuantityShipped: 0,
            })),
          },
        },
      },
      NotificationMetadata: {
        ApplicationId: clientId,
        SubscriptionId: "sandbox-subscription",
        PublishTime: new Date(clock()).toISOString(),
        NotificationId: `${token()}-${token()}`,
      },
    });
    for (const url of subscribers) {
      if (options.deliver === undefined) sent.push(body);
      else
        options.deliver({
          id: JSON.parse(body).NotificationMetadata.NotificationId,
          topic: "ORDER_CHANGE",
          url,
          body,
          headers: { "content-type": "application/json" },
        });
    }
  }

  const control: AmazonControl = {
    addListing({ sku, quantity, fba = false, productType = "PRODUCT" }) {
      const listing: AmazonListing = {
        sku,
        asin: `B0${token().toUpperCase().padEnd(8, "0").slice(0, 8)}`,
        productType,
        fulfillmentChannelCode: fba ? "AMAZON_NA" : "DEFAULT",
        quantity,
      };
      listings.set(sku, listing);
      return listing;
    },
    quantity(sku) {
      applyDue(clock());
      return listings.get(sku)?.quantity ?? 0;
    },
    placeOrder(lines, fulfillment = "MFN") {
      const now = new Date(clock()).toISOString();
      const id = `${String(random.int(100, 999))}-${String(random.int(1_000_000, 9_999_999))}-${String(random.int(1_000_000, 9_999_999))}`;
      const order: AmazonOrder = {
        AmazonOrderId: id,
        FulfillmentChannel: fulfillment,
        OrderStatus: "Unshipped",
        PurchaseDate: now,
        LastUpdateDate: now,
        items: lines.map((l, i) => ({
          OrderItemId: `${id.replace(/-/g, "")}${i}`,
          SellerSKU: l.sku,
          ASIN: listings.get(l.sku)?.asin ?? "B000000000",
          QuantityOrdered: l.quantity,
        })),
      };
      orders.set(id, order);
      for (const l of lines) {
        const listing = listings.get(l.sku);
        if (listing !== undefined)
          listings.set(l.sku, { ...listing, quantity: Math.max(0, listing.quantity - l.quantity) });
      }
      notify(order);
      return order;
    },
    setOrderStatus(orderId, next) {
      const order = orders.get(orderId);
      if (order === undefined) throw new RangeError(`No order ${orderId}`);
      if (next === "Canceled" && order.OrderStatus !== "Canceled") {
        for (const item of order.items) {
          const listing = listings.get(item.SellerSKU);
          if (listing !== undefined)
            listings.set(item.SellerSKU, {
              ...listing,
              quantity: listing.quantity + item.QuantityOrdered,
            });
        }
      }
      const updated = {
        ...order,
        OrderStatus: next,
        LastUpdateDate: new Date(clock()).toISOString(),
      };
      orders.set(orderId, updated);
      notify(updated);
    },
    subscribe(url) {
      subscribers.push(url);
    },
    notificationsSent: () => sent,
    settle: () => applyDue(clock(), true),
  };

  const errors = (
    status: number,
    code: string,
    message: string,
    headers: Record<string, string> = {},
  ) => json(status, { errors: [{ code, message, details: "" }] }, headers);

  function rateLimitedResponse(): Response {
    return errors(429, "QuotaExceeded", "You exceeded your quota for the requested resource.");
  }

  /** Spends one request of an operation's bucket; `false` when it is empty. */
  function admit(operation: string, now: number): boolean {
    const plan = PLANS[operation] ?? { rate: 1, burst: 1 };
    const bucket = buckets.get(operation) ?? { level: plan.burst, at: now };
    bucket.level = Math.min(plan.burst, bucket.level + ((now - bucket.at) / 1000) * plan.rate);
    bucket.at = now;
    buckets.set(operation, bucket);
    if (bucket.level < 1) return false;
    bucket.level -= 1;
    return true;
  }

  const listingPath = "/listings/2021-08-01/items/:sellerId/:sku";
  const routes = new Router()
    .on("POST", "/auth/o2/token", async ({ request }) => {
      const form = new URLSearchParams(await request.text());
      if (form.get("client_id") !== clientId || form.get("client_secret") !== clientSecret) {
        return json(401, {
          error: "invalid_client",
          error_description: "Client authentication failed",
        });
      }
      if (
        form.get("grant_type") !== "refresh_token" ||
        form.get("refresh_token") !== refreshToken
      ) {
        return json(400, {
          error: "invalid_grant",
          error_description: "The request has an invalid grant parameter : refresh_token",
        });
      }
      const access = `Atza|${token()}${token()}`;
      accessTokens.set(access, clock() + 3_600_000);
      return json(200, {
        access_token: access,
        token_type: "bearer",
        expires_in: 3600,
        refresh_token: refreshToken,
      });
    })
    .on("PUT", "/sandbox-uploads/:id", async ({ request, params }) => {
      if (!documents.has(params.id as string)) return new Response("NoSuchKey", { status: 404 });
      documents.set(params.id as string, await request.text());
      return new Response(null, { status: 200 });
    })
    .on("GET", "/sandbox-downloads/:id", ({ params }) => {
      const content = documents.get(params.id as string);
      return content === undefined
        ? new Response("NoSuchKey", { status: 404 })
        : new Response(content, { headers: { "content-type": "application/json" } });
    });

  const api = new Router()
    .on("GET", listingPath, ({ params, url }) => {
      const listing = listings.get(params.sku as string);
      if (listing === undefined || params.sellerId !== sellerId)
        return errors(
          404,
          "NOT_FOUND",
          `SKU '${params.sku}' not found in marketplace ${marketplaceId}`,
        );
      const included = (url.searchParams.get("includedData") ?? "summaries").split(",");
      const now = new Date(clock()).toISOString();
      return json(200, {
        sku: listing.sku,
        ...(included.includes("summaries")
          ? {
              summaries: [
                {
                  marketplaceId,
                  asin: listing.asin,
                  productType: listing.productType,
                  conditionType: "new_new",
                  status: ["BUYABLE", "DISCOVERABLE"],
                  itemName: listing.sku,
                  createdDate: now,
                  lastUpdatedDate: now,
                },
              ],
            }
          : {}),
        ...(included.includes("attributes")
          ? {
              attributes: {
                fulfillment_availability: [
                  {
                    fulfillment_channel_code: listing.fulfillmentChannelCode,
                    ...(listing.fulfillmentChannelCode === "DEFAULT"
                      ? { quantity: listing.quantity }
                      : {}),
                    marketplace_id: marketplaceId,
                  },
                ],
              },
            }
          : {}),
        ...(included.includes("fulfillmentAvailability")
          ? {
              fulfillmentAvailability: [
                {
                  fulfillmentChannelCode: listing.fulfillmentChannelCode,
                  quantity: listing.quantity,
                },
              ],
            }
          : {}),
        ...(included.includes("issues") ? { issues: [] } : {}),
      });
    })
    .on("PATCH", listingPath, async ({ params, request, url }) => {
      if (url.searchParams.get("marketplaceIds") === null)
        return errors(400, "InvalidInput", "Missing required 'marketplaceIds'.");
      const sku = params.sku as string;
      if (!listings.has(sku) || params.sellerId !== sellerId)
        return errors(404, "NOT_FOUND", `SKU '${sku}' not found`);
      const body = (await readJson(request)) as
        | { productType?: unknown; patches?: unknown }
        | undefined;
      if (
        typeof body?.productType !== "string" ||
        !Array.isArray(body.patches) ||
        body.patches.length === 0
      ) {
        return errors(400, "InvalidInput", "productType and at least one patch are required.");
      }
      const submissionId = token();
      const problem = body.patches
        .map((patch) => patchIssue(sku, patch))
        .find((issue) => issue !== undefined);
      if (problem !== undefined) {
        return json(200, {
          sku,
          status: "INVALID",
          submissionId,
          issues: [
            {
              code: "90000900",
              message: problem,
              severity: "ERROR",
              attributeNames: ["fulfillment_availability"],
              categories: ["INVALID_ATTRIBUTE"],
            },
          ],
        });
      }
      for (const patch of body.patches) {
        const quantity = quantityOf(patch as Parameters<typeof quantityOf>[0]);
        if (quantity !== undefined)
          pendingWrites.push({ sku, quantity, visibleAt: clock() + acceptedDelay });
      }
      applyDue(clock());
      return json(200, { sku, status: "ACCEPTED", submissionId, issues: [] });
    })
    .on("POST", "/feeds/2021-06-30/documents", ({ url }) => {
      const id = `amzn1.tortuga.4.na.${token()}`;
      documents.set(id, undefined);
      return json(201, {
        feedDocumentId: id,
        url: `${url.origin}/sandbox-uploads/${encodeURIComponent(id)}`,
      });
    })
    .on("POST", "/feeds/2021-06-30/feeds", async ({ request }) => {
      const body = (await readJson(request)) as
        | { feedType?: unknown; marketplaceIds?: unknown; inputFeedDocumentId?: unknown }
        | undefined;
      if (
        body?.feedType !== "JSON_LISTINGS_FEED" ||
        !Array.isArray(body.marketplaceIds) ||
        typeof body.inputFeedDocumentId !== "string"
      ) {
        return errors(
          400,
          "InvalidInput",
          "feedType JSON_LISTINGS_FEED, marketplaceIds and inputFeedDocumentId are required.",
        );
      }
      if (documents.get(body.inputFeedDocumentId) === undefined)
        return errors(400, "InvalidInput", "The feed document was not uploaded.");
      const feed: Feed = {
        feedId: String(random.int(10_000_000, 99_999_999)),
        createdAt: clock(),
        documentId: body.inputFeedDocumentId,
      };
      feeds.set(feed.feedId, feed);
      return json(202, { feedId: feed.feedId });
    })
    .on("GET", "/feeds/2021-06-30/feeds/:feedId", ({ params }) => {
      const feed = feeds.get(params.feedId as string);
      if (feed === undefined) return errors(404, "NotFound", "The feed was not found.");
      const now = clock();
      const processingStatus = status(feed, now);
      return json(200, {
        feedId: feed.feedId,
        feedType: "JSON_LISTINGS_FEED",
        marketplaceIds: [marketplaceId],
        createdTime: new Date(feed.createdAt).toISOString(),
        processingStatus,
        ...(processingStatus !== "IN_QUEUE"
          ? { processingStartTime: new Date(feed.createdAt + timing.queuedMs).toISOString() }
          : {}),
        ...(processingStatus === "DONE"
          ? {
              processingEndTime: new Date(
                feed.createdAt + timing.queuedMs + timing.processingMs,
              ).toISOString(),
              resultFeedDocumentId: feed.resultDocumentId,
            }
          : {}),
      });
    })
    .on("GET", "/feeds/2021-06-30/documents/:id", ({ params, url }) => {
      const id = params.id as string;
      if (!documents.has(id)) return errors(404, "NotFound", "The feed document was not found.");
      return json(200, {
        feedDocumentId: id,
        url: `${url.origin}/sandbox-downloads/${encodeURIComponent(id)}`,
      });
    })
    .on("GET", "/orders/v0/orders", ({ url }) => {
      if (url.searchParams.get("MarketplaceIds") === null)
        return errors(400, "InvalidInput", "MarketplaceIds is required.");
      const created = url.searchParams.get("CreatedAfter");
      const updated = url.searchParams.get("LastUpdatedAfter");
      if ((created === null) === (updated === null))
        return errors(
          400,
          "InvalidInput",
          "Exactly one of CreatedAfter or LastUpdatedAfter is required.",
        );
      const since = Date.parse((created ?? updated) as string);
      const all = [...orders.values()].filter(
        (o) => Date.parse(created !== null ? o.PurchaseDate : o.LastUpdateDate) >= since,
      );
      const size = Math.min(
        Math.max(Number(url.searchParams.get("MaxResultsPerPage") ?? 100) || 100, 1),
        100,
      );
      const start = Number(url.searchParams.get("NextToken") ?? 0) || 0;
      const page = all.slice(start, start + size);
      return json(200, {
        payload: {
          Orders: page.map(({ items: _items, ...o }) => ({
            ...o,
            MarketplaceId: marketplaceId,
            OrderType: "StandardOrder",
          })),
          ...(start + size < all.length ? { NextToken: String(start + size) } : {}),
          ...(updated !== null
            ? { LastUpdatedBefore: new Date(clock()).toISOString() }
            : { CreatedBefore: new Date(clock()).toISOString() }),
        },
      });
    })
    .on("GET", "/orders/v0/orders/:orderId/orderItems", ({ params }) => {
      const order = orders.get(params.orderId as string);
      if (order === undefined) return errors(404, "NotFound", "The order was not found.");
      return json(200, {
        payload: { AmazonOrderId: order.AmazonOrderId, OrderItems: order.items },
      });
    })
    .on("GET", "/fba/inventory/v1/summaries", ({ url }) => {
      if (
        url.searchParams.get("granularityType") !== "Marketplace" ||
        url.searchParams.get("granularityId") === null
      ) {
        return errors(400, "InvalidInput", "granularityType and granularityId are required.");
      }
      const wanted = url.searchParams.get("sellerSkus")?.split(",");
      const fba = [...listings.values()].filter(
        (l) =>
          l.fulfillmentChannelCode !== "DEFAULT" &&
          (wanted === undefined || wanted.includes(l.sku)),
      );
      return json(200, {
        payload: {
          granularity: {
            granularityType: "Marketplace",
            granularityId: url.searchParams.get("granularityId"),
          },
          inventorySummaries: fba.map((l) => ({
            asin: l.asin,
            fnSku: `X00${l.asin.slice(3)}`,
            sellerSku: l.sku,
            condition: "NewItem",
            productName: l.sku,
            lastUpdatedTime: new Date(clock()).toISOString(),
            totalQuantity: l.quantity,
            inventoryDetails: {
              fulfillableQuantity: l.quantity,
              inboundWorkingQuantity: 0,
              inboundShippedQuantity: 0,
              inboundReceivingQuantity: 0,
            },
          })),
        },
      });
    });

  const operations: readonly [string, RegExp][] = [
    ["GET", /^\/listings\/2021-08-01\/items\/[^/]+\/[^/]+$/],
    ["PATCH", /^\/listings\/2021-08-01\/items\/[^/]+\/[^/]+$/],
    ["POST", /^\/feeds\/2021-06-30\/documents$/],
    ["POST", /^\/feeds\/2021-06-30\/feeds$/],
    ["GET", /^\/feeds\/2021-06-30\/feeds\/[^/]+$/],
    ["GET", /^\/feeds\/2021-06-30\/documents\/[^/]+$/],
    ["GET", /^\/orders\/v0\/orders$/],
    ["GET", /^\/orders\/v0\/orders\/[^/]+\/orderItems$/],
    ["GET", /^\/fba\/inventory\/v1\/summaries$/],
  ];
  const operationNames = [
    "getListingsItem",
    "patchListingsItem",
    "createFeedDocument",
    "createFeed",
    "getFeed",
    "getFeedDocument",
    "getOrders",
    "getOrderItems",
    "getInventorySummaries",
  ];

  return {
    platform: "amazon",
    control,
    credentials: { sellerId, marketplaceId, clientId, clientSecret, refreshToken },
    rateLimitedResponse,
    async fetch(request) {
      const outside = await routes.route(request);
      if (outside !== undefined) return outside;
      const requestId = `${token()}-${token()}`;
      const accessToken = request.headers.get("x-amz-access-token");
      const now = clock();
      if (accessToken === null || (accessTokens.get(accessToken) ?? 0) <= now) {
        return errors(403, "Unauthorized", "Access to requested resource is denied.", {
          "x-amzn-requestid": requestId,
        });
      }
      const path = new URL(request.url).pathname;
      const index = operations.findIndex(
        ([method, pattern]) => method === request.method && pattern.test(path),
      );
      const named = operationNames[index];
      if (named === undefined)
        return errors(404, "NotFound", "Resource not found", { "x-amzn-requestid": requestId });
      const operation =
        named === "createFeed" && (await feedTypeOf(request)) === "JSON_LISTINGS_FEED"
          ? "createFeed:JSON_LISTINGS_FEED"
          : named;
      if (!admit(operation, now)) {
        const refused = rateLimitedResponse();
        refused.headers.set("x-amzn-requestid", requestId);
        return refused;
      }
      applyDue(now);
      const response = (await api.route(request)) ?? errors(404, "NotFound", "Resource not found");
      response.headers.set("x-amzn-requestid", requestId);
      response.headers.set(
        "x-amzn-ratelimit-limit",
        String((PLANS[operation] as { rate: number }).rate),
      );
      return response;
    },
  };
}

/** The `feedType` of a createFeed request, read from a copy so the body stays unread. */
async function feedTypeOf(request: Request): Promise<unknown> {
  try {
    return ((await request.clone().json()) as { feedType?: unknown } | null)?.feedType;
  } catch {
    return undefined;
  }
}
