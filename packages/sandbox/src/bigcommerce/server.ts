import { createRandom } from "../common/random.js";
import type { Clock, DeliverWebhook, PlatformServer } from "../common/types.js";
import { problem } from "./answers.js";
import { type BigCommerceControl, createBigCommerceControl } from "./control.js";
import { createBigCommerceLimits } from "./limits.js";
import { createBigCommerceRoutes } from "./routes.js";
import { createBigCommerceState } from "./state.js";
import { createBigCommerceWebhooks } from "./webhooks.js";

export type { BigCommerceControl } from "./control.js";
export type {
  BigCommerceOrder,
  BigCommerceShipment,
  BigCommerceVariant,
  InventoryTracking,
} from "./state.js";

/** Options of {@link createBigCommerceServer}. */
export interface BigCommerceServerOptions {
  /** @default "sandbox" */
  readonly storeHash?: string;
  /** Accepted in `X-Auth-Token`. @default "bc_sandbox_token" */
  readonly accessToken?: string;
  /** The app's client secret: webhooks are signed with it (Standard Webhooks). @default "bc-sandbox-client-secret" */
  readonly clientSecret?: string;
  /** Requests per window (150 per 30 s on the standard plan). @default 150 */
  readonly quota?: number;
  /** @default 30000 */
  readonly windowMs?: number;
  /** How long after an accepted adjustment its levels become visible. @default 0 */
  readonly applyDelayMs?: number;
  /** Where webhooks go; without it, they are kept in `control.webhooksSent()`. */
  readonly deliver?: DeliverWebhook;
  /** @default Date.now */
  readonly clock?: Clock;
  /** @default 1 */
  readonly seed?: number;
}

/** A running fake BigCommerce store. */
export interface BigCommerceServer extends PlatformServer {
  readonly platform: "bigcommerce";
  readonly control: BigCommerceControl;
  readonly credentials: {
    readonly storeHash: string;
    readonly accessToken: string;
    readonly clientSecret: string;
    /** The Standard Webhooks secret receivers verify with: `whsec_` + base64 of the client secret. */
    readonly webhookSecret: string;
  };
  /** BigCommerce's own 429, for fault injection. */
  rateLimitedResponse(): Response;
}

/**
 * A fake BigCommerce store: v3 locations, catalog variants by SKU, inventory items per
 * location, absolute and relative adjustments (2,000 items at most; a relative one before
 * any absolute is refused with 422; applied asynchronously after `applyDelayMs`), v2
 * orders, the quota headers with 150 requests per 30 s, and webhooks signed in the
 * Standard Webhooks scheme.
 */
export function createBigCommerceServer(options: BigCommerceServerOptions = {}): BigCommerceServer {
  const clock = options.clock ?? Date.now;
  const random = createRandom(options.seed ?? 1);
  const storeHash = options.storeHash ?? "sandbox";
  const accessToken = options.accessToken ?? "bc_sandbox_token";
  const clientSecret = options.clientSecret ?? "bc-sandbox-client-secret";
  const webhookSecret = `whsec_${Buffer.from(clientSecret).toString("base64")}`;

  const webhooks = createBigCommerceWebhooks({
    clock,
    random,
    storeHash,
    clientSecret,
    deliver: options.deliver,
  });
  const state = createBigCommerceState(webhooks.emit);
  const control = createBigCommerceControl(state, webhooks, clock);
  const router = createBigCommerceRoutes(state, webhooks, {
    storeHash,
    clock,
    random,
    applyDelayMs: options.applyDelayMs ?? 0,
  });
  const limits = createBigCommerceLimits(options.quota ?? 150, options.windowMs ?? 30_000);
  const rateLimitedResponse = () => limits.refusal(clock());

  return {
    platform: "bigcommerce",
    control,
    credentials: { storeHash, accessToken, clientSecret, webhookSecret },
    rateLimitedResponse,
    async fetch(request) {
      if (request.headers.get("x-auth-token") !== accessToken) {
        return problem(401, "The request is missing a valid X-Auth-Token");
      }
      const now = clock();
      if (!limits.take(now)) return rateLimitedResponse();
      const response = (await router.route(request)) ?? problem(404, "Not Found");
      for (const [name, value] of Object.entries(limits.headers(now)))
        response.headers.set(name, value);
      return response;
    },
  };
}
