import { randomToken } from "../common/ids.js";
import { createRandom } from "../common/random.js";
import type { Clock, DeliverWebhook, PlatformServer } from "../common/types.js";
import { errors, rateLimitedResponse } from "./answers.js";
import { type AmazonControl, createAmazonControl } from "./control.js";
import { createAmazonLimits, operationOf, rateOf } from "./limits.js";
import { createAmazonNotifications } from "./notifications.js";
import { createAmazonApiRoutes, createAmazonOutsideRoutes } from "./routes.js";
import { createAmazonState } from "./state.js";
import { createAmazonTokens } from "./tokens.js";

export type { AmazonControl } from "./control.js";
export type { AmazonListing, AmazonOrder } from "./state.js";

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
  const timing = options.feedTiming ?? { queuedMs: 1_000, processingMs: 2_000 };
  const token = () => randomToken(random, 48, 36);

  const state = createAmazonState({ sellerId, timing, token });
  const notifications = createAmazonNotifications({
    clock,
    token,
    sellerId,
    marketplaceId,
    clientId,
    deliver: options.deliver,
  });
  const control = createAmazonControl(state, notifications, { clock, random, token });
  const tokens = createAmazonTokens({ clock, token, clientId, clientSecret, refreshToken });
  const limits = createAmazonLimits();
  const outside = createAmazonOutsideRoutes(state, tokens);
  const api = createAmazonApiRoutes(state, {
    clock,
    random,
    token,
    sellerId,
    marketplaceId,
    acceptedDelay: options.acceptedDelayMs ?? 0,
    timing,
  });

  return {
    platform: "amazon",
    control,
    credentials: { sellerId, marketplaceId, clientId, clientSecret, refreshToken },
    rateLimitedResponse,
    async fetch(request) {
      const answered = await outside.route(request);
      if (answered !== undefined) return answered;
      const requestId = `${token()}-${token()}`;
      const now = clock();
      if (!tokens.valid(request.headers.get("x-amz-access-token"), now)) {
        return errors(403, "Unauthorized", "Access to requested resource is denied.", {
          "x-amzn-requestid": requestId,
        });
      }
      const named = operationOf(request);
      if (named === undefined)
        return errors(404, "NotFound", "Resource not found", { "x-amzn-requestid": requestId });
      const operation =
        named === "createFeed" && (await feedTypeOf(request)) === "JSON_LISTINGS_FEED"
          ? "createFeed:JSON_LISTINGS_FEED"
          : named;
      if (!limits.admit(operation, now)) {
        const refused = rateLimitedResponse();
        refused.headers.set("x-amzn-requestid", requestId);
        return refused;
      }
      state.applyDue(now);
      const response = (await api.route(request)) ?? errors(404, "NotFound", "Resource not found");
      response.headers.set("x-amzn-requestid", requestId);
      response.headers.set("x-amzn-ratelimit-limit", String(rateOf(operation)));
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
