import { isOmnistockError, OmnistockError, parseWith, type RoleCallOptions } from "@omnistock/core";
import {
  AMAZON_RATES,
  type AmazonRate,
  createAmazonLimiter,
  createHttpClient,
  createTokenSource,
  type HttpClient,
  type HttpClientOptions,
  type IssuedToken,
  type RequestOptions,
} from "@omnistock/transport";
import { z } from "zod";
import {
  type AmazonFeed,
  type AmazonInventorySummary,
  type AmazonListingItem,
  type AmazonListingSubmission,
  type AmazonOrderItemRecord,
  type AmazonOrdersPage,
  feedCreatedSchema,
  feedDocumentCreatedSchema,
  feedDocumentSchema,
  feedSchema,
  inventorySummariesPageSchema,
  listingItemSchema,
  listingSubmissionSchema,
  lwaTokenSchema,
  orderItemsPageSchema,
  ordersPageSchema,
} from "./schemas.js";

/** The Login with Amazon credentials of one seller's authorisation of your app. */
export interface AmazonCredentials {
  /** The LWA client id of your app (`amzn1.application-oa2-client.…`). */
  readonly clientId: string;
  /** The LWA client secret of your app. */
  readonly clientSecret: string;
  /** The seller's refresh token (`Atzr|…`), from authorising your app. */
  readonly refreshToken: string;
}

/**
 * The limiter line of `JSON_LISTINGS_FEED` submissions: 5 per 5 minutes per region (since
 * 2025-05-06), as a bucket of 5 that refills one a minute. It is its own line, apart from
 * `createFeed`'s generic plan.
 *
 * @example
 * ```ts
 * JSON_LISTINGS_FEED_RATE; // { rate: 0.01666…, burst: 5 }
 * ```
 */
export const JSON_LISTINGS_FEED_RATE: AmazonRate = { rate: 5 / 300, burst: 5 };

/** The limiter operation name of a `JSON_LISTINGS_FEED` submission. */
export const JSON_LISTINGS_FEED_OPERATION = "createFeed:JSON_LISTINGS_FEED";

/** The LWA token endpoint (the same for every region). */
export const LWA_TOKEN_URL = "https://api.amazon.com/auth/o2/token";

/** Options of {@link createAmazonClient}. */
export interface AmazonClientOptions {
  /**
   * The regional Selling Partner API endpoint, or a sandbox URL.
   * @example "https://sellingpartnerapi-na.amazon.com"
   */
  readonly baseUrl: string;
  readonly credentials: AmazonCredentials;
  /**
   * Where access tokens are issued (the refresh-token grant).
   * @default "https://api.amazon.com/auth/o2/token"
   * @example `${sandbox.amazon.url}/auth/o2/token`
   */
  readonly tokenUrl?: string;
  /**
   * How long before its expiry an access token is replaced (they last an hour).
   * @default 60000
   */
  readonly refreshAheadMs?: number;
  /**
   * Usage plans by operation, over Amazon's defaults (`AMAZON_RATES` of
   * `@omnistock/transport` and {@link JSON_LISTINGS_FEED_RATE}): pass what Amazon granted
   * the seller where it is more.
   * @default the published default plans
   * @example { patchListingsItem: { rate: 10, burst: 10 } }
   */
  readonly rates?: Readonly<Record<string, AmazonRate>>;
  /**
   * Requests of each operation's burst held back, so that the last request of a burst,
   * sent on our clock, does not reach Amazon a moment early and come back 429. The
   * sustained rate is unchanged.
   * @default 1
   */
  readonly burstHeadroom?: number;
  /** Passed to the HTTP clients (`fetch`, `timeoutMs`, `retry`, `onEvent`, `clock`, `sleep`, …). */
  readonly http?: Omit<HttpClientOptions, "platform" | "baseUrl" | "auth" | "limiter" | "secrets">;
}

/** Parameters of {@link AmazonClient.getListingsItem}. */
export interface GetListingsItemRequest extends RoleCallOptions {
  readonly sellerId: string;
  readonly sku: string;
  readonly marketplaceIds: readonly string[];
  /** @default ["summaries"] */
  readonly includedData?: readonly (
    | "summaries"
    | "attributes"
    | "issues"
    | "offers"
    | "fulfillmentAvailability"
  )[];
}

/** One JSON Patch operation of a listings patch (`PatchOperation`). */
export interface ListingsPatchOperation {
  readonly op: "add" | "replace" | "merge" | "delete";
  /** A JSON Pointer to a top-level attribute, e.g. `/attributes/fulfillment_availability`. */
  readonly path: string;
  readonly value?: readonly Readonly<Record<string, unknown>>[];
}

/** Parameters of {@link AmazonClient.patchListingsItem}. */
export interface PatchListingsItemRequest extends RoleCallOptions {
  readonly sellerId: string;
  readonly sku: string;
  readonly marketplaceIds: readonly string[];
  /** The body, `ListingsItemPatchRequest`. */
  readonly body: {
    readonly productType: string;
    readonly patches: readonly ListingsPatchOperation[];
  };
}

/** Parameters of {@link AmazonClient.getOrders}. */
export interface GetOrdersRequest extends RoleCallOptions {
  readonly marketplaceIds: readonly string[];
  /** Orders changed at or after this time (ISO 8601). */
  readonly lastUpdatedAfter: string;
  /** The `NextToken` of the previous page. */
  readonly nextToken?: string;
  /** @default 100 */
  readonly maxResultsPerPage?: number;
}

/** The Selling Partner API operations Omnistock needs, typed and validated. */
export interface AmazonClient {
  /** A valid LWA access token: cached, and refreshed once for every concurrent caller. */
  accessToken(): Promise<string>;
  /** `getListingsItem`; `undefined` when the SKU has no listing (404). */
  getListingsItem(request: GetListingsItemRequest): Promise<AmazonListingItem | undefined>;
  /** `patchListingsItem`: ACCEPTED (applied later) or INVALID with its issues. */
  patchListingsItem(request: PatchListingsItemRequest): Promise<AmazonListingSubmission>;
  /**
   * `createFeedDocument`, then the upload of `content` to the pre-signed URL: the id to
   * hand to {@link createFeed}.
   */
  uploadFeedDocument(
    content: string,
    options?: RoleCallOptions & { readonly contentType?: string },
  ): Promise<string>;
  /** `createFeed` of a `JSON_LISTINGS_FEED` (on its own limiter line); the feed id. */
  createFeed(
    request: RoleCallOptions & {
      readonly marketplaceIds: readonly string[];
      readonly inputFeedDocumentId: string;
    },
  ): Promise<string>;
  /** `getFeed`: where the feed is, and its result document once `DONE`. */
  getFeed(feedId: string, options?: RoleCallOptions): Promise<AmazonFeed>;
  /**
   * `getFeedDocument`, then the download (gunzipped when Amazon compressed it): the
   * document as parsed JSON.
   */
  downloadFeedDocument(feedDocumentId: string, options?: RoleCallOptions): Promise<unknown>;
  /** One page of `getOrders` (Orders API v0) by last update. */
  getOrders(request: GetOrdersRequest): Promise<AmazonOrdersPage>;
  /** Every line of an order (`getOrderItems`, following `NextToken`). */
  getOrderItems(orderId: string, options?: RoleCallOptions): Promise<AmazonOrderItemRecord[]>;
  /** Every FBA inventory summary of a marketplace (`getInventorySummaries`, all pages). */
  getInventorySummaries(
    request: RoleCallOptions & { readonly marketplaceId: string },
  ): Promise<AmazonInventorySummary[]>;
}

const rateSchema = z.strictObject({
  rate: z.number().positive().finite(),
  burst: z.number().positive().finite(),
});

const optionsSchema = z.strictObject({
  baseUrl: z.url(),
  credentials: z.strictObject({
    clientId: z.string().min(1),
    clientSecret: z.string().min(1),
    refreshToken: z.string().min(1),
  }),
  tokenUrl: z.url().optional(),
  refreshAheadMs: z.number().int().nonnegative().optional(),
  rates: z.record(z.string(), rateSchema).optional(),
  burstHeadroom: z.number().int().nonnegative().optional(),
  http: z.record(z.string(), z.unknown()).optional(),
});

const NOTHING = "";

/**
 * Creates the Selling Partner API client: on `@omnistock/transport` with a token bucket
 * per operation at Amazon's usage plans (kept in step with `x-amzn-RateLimit-Limit`), LWA
 * access tokens cached until shortly before expiry and refreshed once for concurrent
 * callers, sent as `x-amz-access-token`, the client secret, refresh token, access tokens
 * and pre-signed URLs scrubbed from errors and events, and zod validation of every answer.
 *
 * Note: feed documents travel to and from pre-signed URLs (S3 at Amazon) without SP-API
 * credentials.
 *
 * @throws {@link OmnistockError} `VALIDATION` naming every unknown, missing or invalid option.
 * @example
 * ```ts
 * const amazon = createAmazonClient({
 *   baseUrl: "https://sellingpartnerapi-na.amazon.com",
 *   credentials: { clientId, clientSecret, refreshToken },
 * });
 * const listing = await amazon.getListingsItem({ sellerId, sku: "MUG-RED", marketplaceIds: ["ATVPDKIKX0DER"] });
 * ```
 */
export function createAmazonClient(options: AmazonClientOptions): AmazonClient {
  parseWith(optionsSchema, options, "Amazon client options", { platform: "amazon" });
  const { credentials } = options;
  const clock = options.http?.clock ?? Date.now;
  const refreshAhead = options.refreshAheadMs ?? 60_000;
  const headroom = options.burstHeadroom ?? 1;
  const tokens = createTokenSource({
    refresh: () => refresh(),
    clock,
    earlyMs: refreshAhead,
  });
  // The access tokens of now and of the refresh before: older ones have expired.
  const secrets = () => [credentials.clientSecret, credentials.refreshToken, ...tokens.secrets()];
  const time = {
    ...(options.http?.clock === undefined ? {} : { clock: options.http.clock }),
    ...(options.http?.sleep === undefined ? {} : { sleep: options.http.sleep }),
  };
  const http: HttpClient = createHttpClient({
    ...options.http,
    platform: "amazon",
    baseUrl: options.baseUrl,
    limiter: createAmazonLimiter({
      rates: Object.fromEntries(
        Object.entries({
          ...AMAZON_RATES,
          [JSON_LISTINGS_FEED_OPERATION]: JSON_LISTINGS_FEED_RATE,
          ...options.rates,
        }).map(([operation, { rate, burst }]) => [
          operation,
          { rate, burst: Math.max(1, burst - headroom) },
        ]),
      ),
      // The limiter waits on the same time as the client, real or simulated.
      ...time,
    }),
    secrets,
    auth: async () => ({ "x-amz-access-token": await accessToken() }),
  });
  const tokenUrl = new URL(options.tokenUrl ?? LWA_TOKEN_URL);
  // The token endpoint has limits of its own and takes no access token.
  const tokenHttp = createHttpClient({
    ...options.http,
    platform: "amazon",
    baseUrl: tokenUrl.origin,
    secrets,
  });

  /** The access token of the last request sent, to drop only that one when it is refused. */
  let token: string | undefined;

  async function accessToken(): Promise<string> {
    token = await tokens.token();
    return token;
  }

  async function refresh(): Promise<IssuedToken> {
    const { body } = await tokenHttp.request({
      method: "POST",
      path: tokenUrl.pathname,
      body: new URLSearchParams({
        grant_type: "refresh_token",
        refresh_token: credentials.refreshToken,
        client_id: credentials.clientId,
        client_secret: credentials.clientSecret,
      }),
      headers: { "content-type": "application/x-www-form-urlencoded;charset=UTF-8" },
      // Asking again for a token changes nothing at Amazon.
      replay: "idempotent",
    });
    const issued = parseWith(lwaTokenSchema, body, "LWA token answer", { platform: "amazon" });
    return { accessToken: issued.access_token, expiresInMs: issued.expires_in * 1000 };
  }

  /** Sends an SP-API request; a refused token is dropped and the request sent once more. */
  async function send(request: RequestOptions): Promise<unknown> {
    const used = token;
    try {
      return (await http.request(request)).body;
    } catch (error) {
      if (!isOmnistockError(error, "AUTH") || error.status !== 403 || token !== used) throw error;
      tokens.invalidate(used);
      return (await http.request(request)).body;
    }
  }

  async function read<S extends z.ZodType>(
    schema: S,
    what: string,
    request: RequestOptions,
  ): Promise<z.output<S>> {
    return parseWith(schema, await send(request), what, { platform: "amazon" });
  }

  /** A client for one pre-signed URL's host: no SP-API credentials, the URL scrubbed. */
  function documentHttp(url: URL, gzip: boolean): HttpClient {
    const inner = options.http?.fetch ?? fetch;
    const gunzip: typeof fetch = async (input, init) => {
      const response = await inner(input, init);
      if (!response.ok || response.body === null) return response;
      return new Response(response.body.pipeThrough(new DecompressionStream("gzip")), {
        status: response.status,
        headers: { "content-type": response.headers.get("content-type") ?? "text/plain" },
      });
    };
    return createHttpClient({
      ...options.http,
      platform: "amazon",
      baseUrl: url.origin,
      fetch: gzip ? gunzip : inner,
      secrets: () => [...secrets(), url.href, url.search.slice(1)].filter((s) => s !== NOTHING),
    });
  }

  /** The request options a role call asks for: its signal, and whether the transport retries. */
  const callOf = (call: RoleCallOptions) => ({
    ...(call.signal === undefined ? {} : { signal: call.signal }),
    ...(call.retries === "none" ? { retries: 0 } : {}),
  });

  return {
    accessToken,

    async getListingsItem(request) {
      try {
        return await read(listingItemSchema, "Amazon getListingsItem answer", {
          path: `/listings/2021-08-01/items/${encodeURIComponent(request.sellerId)}/${encodeURIComponent(request.sku)}`,
          query: {
            marketplaceIds: request.marketplaceIds.join(","),
            includedData: (request.includedData ?? ["summaries"]).join(","),
          },
          operation: "getListingsItem",
          ...callOf(request),
        });
      } catch (error) {
        if (isOmnistockError(error) && error.status === 404) return undefined;
        throw error;
      }
    },

    patchListingsItem: (request) =>
      read(listingSubmissionSchema, "Amazon patchListingsItem answer", {
        method: "PATCH",
        path: `/listings/2021-08-01/items/${encodeURIComponent(request.sellerId)}/${encodeURIComponent(request.sku)}`,
        query: { marketplaceIds: request.marketplaceIds.join(",") },
        json: request.body,
        operation: "patchListingsItem",
        // The patch sets an absolute quantity: sending it twice leaves the same.
        replay: "idempotent",
        ...callOf(request),
      }),

    async uploadFeedDocument(content, uploadOptions = {}) {
      const contentType = uploadOptions.contentType ?? "application/json; charset=UTF-8";
      const created = await read(feedDocumentCreatedSchema, "Amazon createFeedDocument answer", {
        method: "POST",
        path: "/feeds/2021-06-30/documents",
        json: { contentType },
        operation: "createFeedDocument",
        // An unused document costs nothing.
        replay: "idempotent",
        ...callOf(uploadOptions),
      });
      const url = new URL(created.url);
      await documentHttp(url, false).request({
        method: "PUT",
        path: `${url.pathname}${url.search}`,
        body: content,
        headers: { "content-type": contentType },
        replay: "idempotent",
        ...callOf(uploadOptions),
      });
      return created.feedDocumentId;
    },

    async createFeed(request) {
      const created = await read(feedCreatedSchema, "Amazon createFeed answer", {
        method: "POST",
        path: "/feeds/2021-06-30/feeds",
        json: {
          feedType: "JSON_LISTINGS_FEED",
          marketplaceIds: request.marketplaceIds,
          inputFeedDocumentId: request.inputFeedDocumentId,
        },
        operation: JSON_LISTINGS_FEED_OPERATION,
        // The feed sets absolute quantities: a second copy of it changes nothing.
        replay: "idempotent",
        ...callOf(request),
      });
      return created.feedId;
    },

    getFeed: (feedId, feedOptions = {}) =>
      read(feedSchema, "Amazon getFeed answer", {
        path: `/feeds/2021-06-30/feeds/${encodeURIComponent(feedId)}`,
        operation: "getFeed",
        ...callOf(feedOptions),
      }),

    async downloadFeedDocument(feedDocumentId, downloadOptions = {}) {
      const document = await read(feedDocumentSchema, "Amazon getFeedDocument answer", {
        path: `/feeds/2021-06-30/documents/${encodeURIComponent(feedDocumentId)}`,
        operation: "getFeedDocument",
        ...callOf(downloadOptions),
      });
      const url = new URL(document.url);
      const { body } = await documentHttp(url, document.compressionAlgorithm === "GZIP").request({
        path: `${url.pathname}${url.search}`,
        ...callOf(downloadOptions),
      });
      if (typeof body !== "string") return body;
      try {
        return JSON.parse(body) as unknown;
      } catch (error) {
        throw new OmnistockError("BAD_RESPONSE", "Amazon feed document is not JSON", {
          platform: "amazon",
          cause: error,
          details: { feedDocumentId },
        });
      }
    },

    async getOrders(request) {
      const page = await read(ordersPageSchema, "Amazon getOrders answer", {
        path: "/orders/v0/orders",
        query: {
          MarketplaceIds: request.marketplaceIds.join(","),
          LastUpdatedAfter: request.lastUpdatedAfter,
          MaxResultsPerPage: request.maxResultsPerPage ?? 100,
          NextToken: request.nextToken,
        },
        operation: "getOrders",
        ...callOf(request),
      });
      return page.payload;
    },

    async getOrderItems(orderId, itemOptions = {}) {
      const items: AmazonOrderItemRecord[] = [];
      let nextToken: string | undefined;
      do {
        const page = await read(orderItemsPageSchema, "Amazon getOrderItems answer", {
          path: `/orders/v0/orders/${encodeURIComponent(orderId)}/orderItems`,
          query: { NextToken: nextToken },
          operation: "getOrderItems",
          ...callOf(itemOptions),
        });
        items.push(...page.payload.OrderItems);
        nextToken = page.payload.NextToken;
      } while (nextToken !== undefined && nextToken !== NOTHING);
      return items;
    },

    async getInventorySummaries(request) {
      const summaries: AmazonInventorySummary[] = [];
      let nextToken: string | undefined;
      do {
        const page = await read(
          inventorySummariesPageSchema,
          "Amazon getInventorySummaries answer",
          {
            path: "/fba/inventory/v1/summaries",
            query: {
              details: true,
              granularityType: "Marketplace",
              granularityId: request.marketplaceId,
              marketplaceIds: request.marketplaceId,
              nextToken,
            },
            operation: "getInventorySummaries",
            ...callOf(request),
          },
        );
        summaries.push(...page.payload.inventorySummaries);
        nextToken = page.pagination?.nextToken;
      } while (nextToken !== undefined && nextToken !== NOTHING);
      return summaries;
    },
  };
}
