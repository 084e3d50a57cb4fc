import { OmnistockError, parseWith } from "@omnistock/core";
import {
  createHttpClient,
  createLightspeedLimiter,
  type HttpClient,
  type HttpClientOptions,
  type RequestOptions,
} from "@omnistock/transport";
import type { z } from "zod";
import {
  collectionSchema,
  inventorySchema,
  type LightspeedInventoryRecord,
  type LightspeedOutletRecord,
  type LightspeedProductRecord,
  type LightspeedSaleRecord,
  outletSchema,
  productSchema,
  registerSaleAnswerSchema,
  registerSchema,
  saleSchema,
  tokenSchema,
} from "./schemas.js";

/** How the adapter signs in. */
export type LightspeedAuth =
  | { readonly personalToken: string }
  | {
      readonly oauth: {
        readonly clientId: string;
        readonly clientSecret: string;
        /** The newest refresh token: Lightspeed revokes a refresh token once it is used. */
        readonly refreshToken: string;
        /** Called with every new refresh token; store it, the old one no longer works. */
        readonly onRefreshToken?: (refreshToken: string) => void | Promise<void>;
      };
    };

/** Options of {@link createLightspeedClient}. */
export interface LightspeedClientOptions {
  /** The store's API root, e.g. `https://example.retail.lightspeed.app` or a sandbox URL. */
  readonly baseUrl: string;
  readonly auth: LightspeedAuth;
  /**
   * Registers on the store, for the rate limit (300 × registers + 50 per five minutes).
   * @default 1
   */
  readonly registers?: number;
  /** Passed to the HTTP client (`fetch`, `timeoutMs`, `retry`, `onEvent`, `clock`, …). */
  readonly http?: Omit<HttpClientOptions, "platform" | "baseUrl" | "auth" | "limiter" | "secrets">;
}

/** The Lightspeed X-Series endpoints Omnistock needs, typed and validated. */
export interface LightspeedClient {
  /** Every page of a 2.0 collection after `after`, following the version cursor. */
  outlets(): Promise<LightspeedOutletRecord[]>;
  registers(): Promise<{ readonly id: string; readonly outlet_id: string }[]>;
  products(): Promise<LightspeedProductRecord[]>;
  /** Inventory records with a version above `after`, and the highest version seen. */
  inventorySince(
    after: number,
  ): Promise<{ readonly records: LightspeedInventoryRecord[]; readonly version: number }>;
  /** The sales recorded for a channel order (by `source_id`). */
  salesFor(sourceId: string): Promise<LightspeedSaleRecord[]>;
  /** Creates or (with `id`) updates a sale through `POST /api/register_sales`. */
  saveSale(sale: Record<string, unknown>): Promise<LightspeedSaleRecord>;
  /** Applies stock adjustments (deltas), at most 1,000 per request. */
  adjustStock(
    items: readonly {
      readonly productId: string;
      readonly outletId: string;
      readonly delta: number;
      readonly reason: string;
    }[],
  ): Promise<void>;
}

const PAGE_SIZE = 1000;
const ADJUSTMENTS_PER_REQUEST = 1000;

/**
 * Creates the Lightspeed X-Series client: on `@omnistock/transport` with Lightspeed's
 * rate limit, a personal token or OAuth with refresh-token rotation (refreshes are
 * serialised: two concurrent refreshes would revoke each other), and zod validation of
 * every answer.
 *
 * @example
 * ```ts
 * const lightspeed = createLightspeedClient({ baseUrl, auth: { personalToken } });
 * const outlets = await lightspeed.outlets();
 * ```
 */
export function createLightspeedClient(options: LightspeedClientOptions): LightspeedClient {
  const secrets: string[] = [];
  let accessToken: string | undefined;
  let expiresAt = 0;
  let refreshing: Promise<string> | undefined;
  const auth = options.auth;
  if ("personalToken" in auth) secrets.push(auth.personalToken);
  else secrets.push(auth.oauth.clientSecret, auth.oauth.refreshToken);
  let refreshToken = "oauth" in auth ? auth.oauth.refreshToken : "";
  const clock = options.http?.clock ?? Date.now;

  const http: HttpClient = createHttpClient({
    ...options.http,
    platform: "lightspeed",
    baseUrl: options.baseUrl,
    limiter: createLightspeedLimiter({
      registers: options.registers ?? 1,
      // The limiter waits on the same time as the client, real or simulated.
      ...(options.http?.clock === undefined ? {} : { clock: options.http.clock }),
      ...(options.http?.sleep === undefined ? {} : { sleep: options.http.sleep }),
    }),
    secrets,
    auth: async () => ({ authorization: `Bearer ${await token()}` }),
  });
  // The token endpoint has its own limit and takes no bearer token.
  const tokenHttp = createHttpClient({
    ...options.http,
    platform: "lightspeed",
    baseUrl: options.baseUrl,
    secrets,
  });

  async function token(): Promise<string> {
    if ("personalToken" in auth) return auth.personalToken;
    if (accessToken !== undefined && clock() < expiresAt - 60_000) return accessToken;
    refreshing ??= refresh().finally(() => {
      refreshing = undefined;
    });
    return refreshing;
  }

  async function refresh(): Promise<string> {
    if (!("oauth" in auth))
      throw new OmnistockError("AUTH", "No OAuth credentials", { platform: "lightspeed" });
    const { body } = await tokenHttp.request({
      method: "POST",
      path: "/api/1.0/token",
      body: new URLSearchParams({
        grant_type: "refresh_token",
        refresh_token: refreshToken,
        client_id: auth.oauth.clientId,
        client_secret: auth.oauth.clientSecret,
      }),
      headers: { "content-type": "application/x-www-form-urlencoded" },
      replay: "unsafe",
    });
    const issued = parseWith(tokenSchema, body, "Lightspeed token answer", {
      platform: "lightspeed",
    });
    accessToken = issued.access_token;
    expiresAt = clock() + issued.expires_in * 1000;
    refreshToken = issued.refresh_token;
    secrets.push(issued.access_token, issued.refresh_token);
    await auth.oauth.onRefreshToken?.(issued.refresh_token);
    return issued.access_token;
  }

  async function get<S extends z.ZodType>(
    schema: S,
    what: string,
    request: RequestOptions,
  ): Promise<z.output<S>> {
    const { body } = await http.request(request);
    return parseWith(schema, body, what, { platform: "lightspeed" });
  }

  async function all<T extends z.ZodType>(item: T, path: string, what: string, after = 0) {
    const records: z.output<T>[] = [];
    let cursor = after;
    for (;;) {
      const page = await get(collectionSchema(item), what, {
        path,
        query: { after: cursor, page_size: PAGE_SIZE },
      });
      if (page.data.length === 0) return { records, version: cursor };
      records.push(...page.data);
      const max = page.version?.max;
      if (max === undefined || max === null || max <= cursor) {
        throw new OmnistockError(
          "BAD_RESPONSE",
          `Lightspeed ${path} answered a page without a newer version`,
          { platform: "lightspeed" },
        );
      }
      cursor = max;
    }
  }

  return {
    outlets: async () =>
      (await all(outletSchema, "/api/2.0/outlets", "Lightspeed outlets")).records,
    registers: async () =>
      (await all(registerSchema, "/api/2.0/registers", "Lightspeed registers")).records,
    products: async () =>
      (await all(productSchema, "/api/2.0/products", "Lightspeed products")).records,
    inventorySince: async (after) => {
      const { records, version } = await all(
        inventorySchema,
        "/api/2.0/inventory",
        "Lightspeed inventory",
        after,
      );
      return { records, version };
    },
    salesFor: async (sourceId) =>
      (
        await get(collectionSchema(saleSchema), "Lightspeed sales search", {
          path: "/api/2.0/search",
          query: { type: "sales", source_id: sourceId },
        })
      ).data,
    saveSale: async (sale) => {
      const { body } = await http.request({
        method: "POST",
        path: "/api/register_sales",
        json: sale,
        replay: "unsafe",
      });
      return parseWith(registerSaleAnswerSchema, body, "Lightspeed register sale answer", {
        platform: "lightspeed",
      }).register_sale;
    },
    adjustStock: async (items) => {
      for (let i = 0; i < items.length; i += ADJUSTMENTS_PER_REQUEST) {
        const chunk = items.slice(i, i + ADJUSTMENTS_PER_REQUEST);
        await http.request({
          method: "POST",
          path: "/api/2026-01/stock_adjustments",
          json: {
            stock_adjustments: chunk.map((item) => ({
              product_id: item.productId,
              outlet_id: item.outletId,
              quantity: String(item.delta),
              reason: item.reason,
            })),
          },
          // Deltas are not absolute: a retry after a lost answer could apply twice.
          replay: "unsafe",
        });
      }
    },
  };
}
