import { OmnistockError, parseWith, type RoleCallOptions } from "@omnistock/core";
import {
  createHttpClient,
  createLightspeedLimiter,
  createTokenSource,
  type HttpClient,
  type HttpClientOptions,
  type IssuedToken,
  LIGHTSPEED_WINDOW_MS,
  type RequestOptions,
  systemSleep,
  type TokenSource,
} from "@omnistock/transport";
import { z } from "zod";
import { countUntilAnswered } from "./answer-window.js";
import { checkOptions, fn } from "./options.js";
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

/** An inventory record as read, with the time its page was asked for. */
export type LightspeedInventoryReading = LightspeedInventoryRecord & {
  /** When the request for the page holding the record was sent (epoch ms, on the client's clock). */
  readonly requestedAt: number;
};

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
  /**
   * Passed to the HTTP client (`fetch`, `timeoutMs`, `retry`, `onEvent`, `clock`, …).
   * @default the transport's, except `retry.maxRetryAfterMs`: 301000 (a whole window and
   *   the rounding of its HTTP date)
   */
  readonly http?: Omit<HttpClientOptions, "platform" | "baseUrl" | "auth" | "limiter" | "secrets">;
}

/** The Lightspeed X-Series endpoints Omnistock needs, typed and validated. */
export interface LightspeedClient {
  /** Every outlet (every page of the 2.0 collection, by version cursor). */
  outlets(options?: RoleCallOptions): Promise<LightspeedOutletRecord[]>;
  registers(
    options?: RoleCallOptions,
  ): Promise<{ readonly id: string; readonly outlet_id: string }[]>;
  products(options?: RoleCallOptions): Promise<LightspeedProductRecord[]>;
  /**
   * Inventory records with a version above `after`, and the highest version seen. Each
   * record carries `requestedAt`: when the request for its page was sent, on the client's
   * clock (`http.clock`), after any wait for the rate limit. Lightspeed's records carry a
   * version and no time, and the store works a page out after it is sent, so a level is
   * never dated later than the moment it held, and only by a request's flight earlier.
   */
  inventorySince(
    after: number,
    options?: RoleCallOptions,
  ): Promise<{ readonly records: LightspeedInventoryReading[]; readonly version: number }>;
  /**
   * The sales recorded for a channel order (by `source_id`).
   *
   * Note: the 2.0 spec lists no `source_id` filter for `/api/2.0/search`; the answer is
   * filtered here too, so a store that ignores the filter cannot make one order's sale
   * pass for another's.
   */
  salesFor(sourceId: string, options?: RoleCallOptions): Promise<LightspeedSaleRecord[]>;
  /** Creates or (with `id`) updates a sale through `POST /api/register_sales`. */
  saveSale(sale: Record<string, unknown>, options?: RoleCallOptions): Promise<LightspeedSaleRecord>;
  /** Applies stock adjustments (deltas), at most 1,000 per request. */
  adjustStock(
    items: readonly {
      readonly productId: string;
      readonly outletId: string;
      readonly delta: number;
      readonly reason: string;
    }[],
    options?: RoleCallOptions,
  ): Promise<void>;
}

/** One store's OAuth tokens, shared by every client of that store and app in the process. */
interface OAuthSession {
  /** The refresh token the session started from, as the caller stored it. */
  readonly seed: string;
  readonly tokens: TokenSource;
}

/**
 * Lightspeed revokes a refresh token once it is used, so two clients of one store that
 * refreshed on their own would revoke each other's token: they share one session, and one
 * refresh at a time, per store and app.
 */
const sessions = new Map<string, OAuthSession>();

const PAGE_SIZE = 1000;

const clientOptionsSchema = z.strictObject({
  baseUrl: z.string().refine((url) => /^https?:\/\//i.test(url) && URL.canParse(url), {
    error: "expected an absolute http(s) URL",
  }),
  auth: z.union([
    z.strictObject({ personalToken: z.string().min(1) }),
    z.strictObject({
      oauth: z.strictObject({
        clientId: z.string().min(1),
        clientSecret: z.string().min(1),
        refreshToken: z.string().min(1),
        onRefreshToken: fn.optional(),
      }),
    }),
  ]),
  registers: z.number().int().min(1).optional(),
  // The HTTP client checks its own options.
  http: z.record(z.string(), z.unknown()).optional(),
});
const ADJUSTMENTS_PER_REQUEST = 1000;

/**
 * Creates the Lightspeed X-Series client: on `@omnistock/transport` with Lightspeed's
 * rate limit, a personal token or OAuth with refresh-token rotation (refreshes are
 * serialised: two concurrent refreshes would revoke each other), and zod validation of
 * every answer.
 *
 * @throws {@link OmnistockError} `VALIDATION` naming every unknown, missing or invalid
 *   option.
 * @example
 * ```ts
 * const lightspeed = createLightspeedClient({ baseUrl, auth: { personalToken } });
 * const outlets = await lightspeed.outlets();
 * ```
 */
export function createLightspeedClient(options: LightspeedClientOptions): LightspeedClient {
  checkOptions(clientOptionsSchema, options, "Lightspeed client options");
  const auth = options.auth;
  const configured =
    "personalToken" in auth
      ? [auth.personalToken]
      : [auth.oauth.clientSecret, auth.oauth.refreshToken];
  const clock = options.http?.clock ?? Date.now;
  const sleep = options.http?.sleep ?? systemSleep;
  const registers = options.registers ?? 1;
  const session =
    "oauth" in auth
      ? sessionOf(options.baseUrl, auth.oauth, (oauth) =>
          createTokenSource({
            refreshToken: oauth.refreshToken,
            refresh: (refreshToken) => refresh(oauth, refreshToken ?? oauth.refreshToken),
            ...(oauth.onRefreshToken === undefined ? {} : { onRefreshToken: oauth.onRefreshToken }),
            clock,
          }),
        )
      : undefined;
  // The tokens of now and of the refresh before: older ones no longer work.
  const secrets = () => [...configured, ...(session?.tokens.secrets() ?? [])];

  const http: HttpClient = createHttpClient({
    ...options.http,
    // A 429 names the end of the five-minute window as an HTTP date, in whole seconds: a
    // wait of up to five minutes and one second is Lightspeed's normal, not a reason to stop.
    retry: { maxRetryAfterMs: LIGHTSPEED_WINDOW_MS + 1_000, ...options.http?.retry },
    platform: "lightspeed",
    baseUrl: options.baseUrl,
    limiter: countUntilAnswered(
      createLightspeedLimiter({
        registers,
        // The limiter waits on the same time as the client, real or simulated.
        ...(options.http?.clock === undefined ? {} : { clock: options.http.clock }),
        ...(options.http?.sleep === undefined ? {} : { sleep: options.http.sleep }),
      }),
      { limit: 300 * registers + 50, windowMs: LIGHTSPEED_WINDOW_MS, clock, sleep },
    ),
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
    if (session !== undefined) return session.tokens.token();
    if ("personalToken" in auth) return auth.personalToken;
    throw new OmnistockError("AUTH", "No Lightspeed credentials", { platform: "lightspeed" });
  }

  async function refresh(
    oauth: Extract<LightspeedAuth, { oauth: unknown }>["oauth"],
    refreshToken: string,
  ): Promise<IssuedToken> {
    const { body } = await tokenHttp.request({
      method: "POST",
      path: "/api/1.0/token",
      body: new URLSearchParams({
        grant_type: "refresh_token",
        refresh_token: refreshToken,
        client_id: oauth.clientId,
        client_secret: oauth.clientSecret,
      }),
      headers: { "content-type": "application/x-www-form-urlencoded" },
      replay: "unsafe",
    });
    const issued = parseWith(tokenSchema, body, "Lightspeed token answer", {
      platform: "lightspeed",
    });
    return {
      accessToken: issued.access_token,
      expiresInMs: issued.expires_in * 1000,
      refreshToken: issued.refresh_token,
    };
  }

  async function get<S extends z.ZodType>(
    schema: S,
    what: string,
    request: RequestOptions,
  ): Promise<z.output<S>> {
    return (await getSent(schema, what, request)).body;
  }

  /** The parsed answer, and when the request it answers was sent. */
  async function getSent<S extends z.ZodType>(
    schema: S,
    what: string,
    request: RequestOptions,
  ): Promise<{ readonly body: z.output<S>; readonly sentAt: number }> {
    const { body, sentAt } = await http.request(request);
    return { body: parseWith(schema, body, what, { platform: "lightspeed" }), sentAt };
  }

  async function all<T extends z.ZodType, R = z.output<T>>(
    item: T,
    path: string,
    what: string,
    after: number,
    call: RoleCallOptions | undefined,
    stamp: (record: z.output<T>, requestedAt: number) => R = (record) => record as R,
  ) {
    const records: R[] = [];
    let cursor = after;
    for (;;) {
      const { body: page, sentAt: requestedAt } = await getSent(collectionSchema(item), what, {
        path,
        query: { after: cursor, page_size: PAGE_SIZE },
        ...callOf(call),
      });
      if (page.data.length === 0) return { records, version: cursor };
      for (const record of page.data) records.push(stamp(record, requestedAt));
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
    outlets: async (call) =>
      (await all(outletSchema, "/api/2.0/outlets", "Lightspeed outlets", 0, call)).records,
    registers: async (call) =>
      (await all(registerSchema, "/api/2.0/registers", "Lightspeed registers", 0, call)).records,
    products: async (call) =>
      (await all(productSchema, "/api/2.0/products", "Lightspeed products", 0, call)).records,
    inventorySince: async (after, call) =>
      all(
        inventorySchema,
        "/api/2.0/inventory",
        "Lightspeed inventory",
        after,
        call,
        (record, requestedAt): LightspeedInventoryReading => ({ ...record, requestedAt }),
      ),
    salesFor: async (sourceId, call) =>
      (
        await get(collectionSchema(saleSchema), "Lightspeed sales search", {
          path: "/api/2.0/search",
          query: { type: "sales", source_id: sourceId },
          ...callOf(call),
        })
      ).data.filter((sale) => sale.source_id === sourceId),
    saveSale: async (sale, call) => {
      const { body } = await http.request({
        method: "POST",
        path: "/api/register_sales",
        json: sale,
        replay: "unsafe",
        ...callOf(call),
      });
      return parseWith(registerSaleAnswerSchema, body, "Lightspeed register sale answer", {
        platform: "lightspeed",
      }).register_sale;
    },
    adjustStock: async (items, call) => {
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
          ...callOf(call),
        });
      }
    },
  };
}

/** The request options a role call asks for: its signal, and whether the transport retries. */
function callOf(call: RoleCallOptions | undefined): { signal?: AbortSignal; retries?: number } {
  return {
    ...(call?.signal === undefined ? {} : { signal: call.signal }),
    ...(call?.retries === "none" ? { retries: 0 } : {}),
  };
}

/**
 * The shared session of a store and app. A client given another refresh token than the one
 * the session started from holds a newer authorisation: the session starts again from it.
 */
function sessionOf(
  baseUrl: string,
  oauth: Extract<LightspeedAuth, { oauth: unknown }>["oauth"],
  start: (oauth: Extract<LightspeedAuth, { oauth: unknown }>["oauth"]) => TokenSource,
): OAuthSession {
  const key = `${new URL(baseUrl).origin}\u0000${oauth.clientId}`;
  const existing = sessions.get(key);
  if (existing !== undefined && existing.seed === oauth.refreshToken) return existing;
  const session: OAuthSession = { seed: oauth.refreshToken, tokens: start(oauth) };
  sessions.set(key, session);
  return session;
}
