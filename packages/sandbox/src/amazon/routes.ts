import { json, Router, readJson } from "../common/http.js";
import type { Random } from "../common/random.js";
import type { Clock } from "../common/types.js";
import { errors } from "./answers.js";
import { feedStatus } from "./feeds.js";
import { patchIssue, quantityOf } from "./patches.js";
import type { AmazonState, Feed, FeedTiming } from "./state.js";
import type { AmazonTokens } from "./tokens.js";

/** What the routes need besides the state. */
export interface AmazonRoutesOptions {
  readonly clock: Clock;
  readonly random: Random;
  readonly token: () => string;
  readonly sellerId: string;
  readonly marketplaceId: string;
  readonly acceptedDelay: number;
  readonly timing: FeedTiming;
}

/**
 * The endpoints outside the SP-API, answered without an access token or a usage plan:
 * LWA's token endpoint and the feed documents' upload and download URLs.
 */
export function createAmazonOutsideRoutes(state: AmazonState, tokens: AmazonTokens): Router {
  const { documents } = state;
  return new Router()
    .on("POST", "/auth/o2/token", ({ request }) => tokens.grant(request))
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
}

const listingPath = "/listings/2021-08-01/items/:sellerId/:sku";

/** The SP-API operations: listings, feeds, orders and FBA inventory. */
export function createAmazonApiRoutes(state: AmazonState, options: AmazonRoutesOptions): Router {
  const { clock, random, token, sellerId, marketplaceId, acceptedDelay, timing } = options;
  const { listings, documents, feeds, orders, pendingWrites } = state;
  return new Router()
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
        .map((patch) => patchIssue(listings, sku, patch))
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
      state.applyDue(clock());
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
      const processingStatus = feedStatus(feed, now, timing);
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
}
