import { json } from "../common/http.js";
import { uuidFrom } from "../common/ids.js";
import { createRandom } from "../common/random.js";
import type { Clock, DeliverWebhook, PlatformServer } from "../common/types.js";
import { notFound } from "./answers.js";
import { createLightspeedControl, type LightspeedControl } from "./control.js";
import { createLightspeedLimits } from "./limits.js";
import { createLightspeedRoutes } from "./routes.js";
import { createLightspeedState } from "./state.js";
import { createLightspeedTokens } from "./tokens.js";
import { createLightspeedWebhooks } from "./webhooks.js";

export type { LightspeedControl } from "./control.js";
export type { LightspeedOutlet, LightspeedProduct, LightspeedSale } from "./state.js";
export type { LightspeedWebhookType } from "./webhooks.js";

/** Options of {@link createLightspeedServer}. */
export interface LightspeedServerOptions {
  /**
   * The store's domain prefix, as in `https://{prefix}.retail.lightspeed.app`.
   * @default "demo"
   */
  readonly domainPrefix?: string;
  /**
   * A personal token accepted as `Authorization: Bearer …`.
   * @default "lsxs_pt_sandbox"
   */
  readonly personalToken?: string;
  /** The OAuth app's client id. @default "sandbox-client" */
  readonly clientId?: string;
  /** The OAuth app's client secret; it also signs webhooks. @default "sandbox-client-secret" */
  readonly clientSecret?: string;
  /** Where webhooks go; without it, they are kept in `control.webhooksSent()`. */
  readonly deliver?: DeliverWebhook;
  /** @default Date.now */
  readonly clock?: Clock;
  /** Seed of the ids the server makes. @default 1 */
  readonly seed?: number;
}

/** A running fake Lightspeed store. */
export interface LightspeedServer extends PlatformServer {
  readonly platform: "lightspeed";
  readonly control: LightspeedControl;
  readonly credentials: {
    readonly domainPrefix: string;
    readonly personalToken: string;
    readonly clientId: string;
    readonly clientSecret: string;
  };
  /** Lightspeed's own 429, for fault injection. */
  rateLimitedResponse(): Response;
}

/**
 * A fake Lightspeed Retail X-Series store: outlets, registers, products with the 2.0
 * `version` cursor, inventory reads, dated-API stock adjustments, sales that move stock at
 * their outlet, the token endpoint with refresh-token rotation, signed form-encoded
 * webhooks, and the 300 × registers + 50 per five minutes limit.
 *
 * @example
 * ```ts
 * const lightspeed = createLightspeedServer({});
 * const outlet = lightspeed.control.addOutlet("Main Street");
 * lightspeed.control.addProduct({ sku: "MUG-RED" });
 * lightspeed.control.setInventory("MUG-RED", outlet.id, 20);
 * const served = await serve((request) => lightspeed.fetch(request));
 * ```
 */
export function createLightspeedServer(options: LightspeedServerOptions = {}): LightspeedServer {
  const clock = options.clock ?? Date.now;
  const random = createRandom(options.seed ?? 1);
  const domainPrefix = options.domainPrefix ?? "demo";
  const personalToken = options.personalToken ?? "lsxs_pt_sandbox";
  const clientId = options.clientId ?? "sandbox-client";
  const clientSecret = options.clientSecret ?? "sandbox-client-secret";
  const uuid = () => uuidFrom(random);

  const webhooks = createLightspeedWebhooks({
    uuid,
    domainPrefix,
    clientSecret,
    deliver: options.deliver,
  });
  const state = createLightspeedState(clock, uuid, webhooks.emit);
  const tokens = createLightspeedTokens({
    clock,
    uuid,
    domainPrefix,
    personalToken,
    clientId,
    clientSecret,
  });
  const control = createLightspeedControl(state, webhooks, tokens);
  const router = createLightspeedRoutes(state, webhooks, tokens, clock);
  const limits = createLightspeedLimits(() => state.registers.size);

  return {
    platform: "lightspeed",
    control,
    credentials: { domainPrefix, personalToken, clientId, clientSecret },
    rateLimitedResponse: () => limits.refusal(clock()),
    async fetch(request) {
      const url = new URL(request.url);
      const isToken = url.pathname === "/api/1.0/token";
      if (!isToken) {
        if (!tokens.authorised(request))
          return json(401, { error: "Unauthorized", message: "Invalid or expired token" });
        const now = clock();
        if (!limits.take(now)) return limits.refusal(clock());
      }
      const response = (await router.route(request)) ?? notFound();
      if (!isToken) {
        for (const [name, value] of Object.entries(limits.headers()))
          response.headers.set(name, value);
      }
      return response;
    },
  };
}
