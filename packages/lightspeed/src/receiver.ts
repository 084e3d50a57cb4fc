import {
  createWebhookReceiver,
  isOmnistockError,
  OmnistockError,
  type StockEvent,
  type WebhookDelivery,
  type WebhookReceiver,
} from "@omnistock/core";
import type { UnsignedWebhookWarning } from "@omnistock/transport";
import { reportWarning } from "@omnistock/transport/internal";
import { z } from "zod";
import { createLightspeedCatalogue, type LightspeedCatalogue } from "./catalogue.js";
import type { LightspeedClient } from "./client.js";
import { catalogueOption, checkOptions, clientOption, fn, signingProblem } from "./options.js";
import { type LightspeedWebhook, parseLightspeedWebhook } from "./webhooks.js";

/** A warning the receiver gives once, for a setting that weakens it (see `UnsignedWebhookWarning`). */
export type LightspeedWarning = UnsignedWebhookWarning;

/** Options of {@link createLightspeedWebhookReceiver}. */
export interface LightspeedWebhookReceiverOptions {
  /**
   * The OAuth app's client secret(s), current first, then any being rotated out: webhooks
   * to OAuth apps are signed with it. Required, unless `allowUnsigned` is `true`.
   * @example
   * ```ts
   * secrets: [process.env.LIGHTSPEED_CLIENT_SECRET!]
   * ```
   */
  readonly secrets?: readonly string[];
  /**
   * Takes webhooks without verifying them, for personal-token stores, which send
   * unsigned webhooks. Anyone who can reach the endpoint can then post stock changes: use
   * it only behind a boundary of your own. Not together with `secrets`; the receiver warns
   * once (`onWarning`) when it is built this way.
   * @default false
   */
  readonly allowUnsigned?: boolean;
  /**
   * Where the receiver's warnings go (see {@link LightspeedWarning}).
   * @default `process.emitWarning` where there is one
   */
  readonly onWarning?: (warning: LightspeedWarning) => void;
  /**
   * The catalogue to resolve product ids to SKUs with, shared with the other roles (see
   * `createLightspeedCatalogue`). Give `catalogue`, `client` or `skuOf`.
   * @default one of its own over `client`
   */
  readonly catalogue?: LightspeedCatalogue;
  /**
   * Resolves product ids to SKUs through the store, with a catalogue of the receiver's
   * own. Give `catalogue`, `client` or `skuOf`.
   * @example
   * ```ts
   * client: createLightspeedClient({ baseUrl, auth })
   * ```
   */
  readonly client?: LightspeedClient;
  /**
   * The SKU of a Lightspeed product id (`undefined` for one Omnistock does not track), for
   * callers that keep the mapping themselves. Give `catalogue`, `client` or `skuOf`.
   * @example
   * ```ts
   * skuOf: (productId) => mapping.get(productId)
   * ```
   */
  readonly skuOf?: (productId: string) => string | undefined;
  /**
   * The Omnistock location of an outlet.
   * @default the outlet id itself
   */
  readonly locationOf?: (outletId: string) => string;
  /**
   * The time of a level read from a webhook (`inventory.update` carries a version, not a
   * time) and of a sale without a `sale_date`; also the clock of the receiver's own
   * catalogue.
   * @default Date.now
   */
  readonly clock?: () => number;
}

const optionsSchema = z
  .strictObject({
    secrets: z.array(z.string()).optional(),
    allowUnsigned: z.boolean().optional(),
    onWarning: fn.optional(),
    catalogue: catalogueOption.optional(),
    client: clientOption.optional(),
    skuOf: fn.optional(),
    locationOf: fn.optional(),
    clock: fn.optional(),
  })
  .superRefine((options, context) => {
    const store = options.client !== undefined || options.catalogue !== undefined;
    if (store === (options.skuOf !== undefined)) {
      context.addIssue({
        code: "custom",
        path: ["client"],
        message: "give catalogue or client (resolve SKUs through the store), or skuOf, not both",
      });
    }
    const problem = signingProblem(options);
    if (problem !== undefined)
      context.addIssue({ code: "custom", path: ["secrets"], message: problem });
  });

/**
 * Creates the receiver of Lightspeed X-Series webhooks for the sync runtime: it takes the
 * raw body and the headers, checks `X-Signature` before anything else, and turns
 * `inventory.update`, `sale.update` and `product.update` into a `WebhookDelivery` with
 * stock events (see {@link parseLightspeedWebhook}).
 *
 * Why a receiver and not only the parser: the runtime knows SKUs, not Lightspeed product
 * ids. With `catalogue` (shared with the other roles) or `client`, the receiver resolves
 * them through the store's catalogue: a product created a minute ago is found (a
 * catalogue read, bounded and shared, see `createLightspeedCatalogue`) and a SKU changed in
 * Lightspeed is followed (`product.update`). A webhook naming a product the catalogue
 * still does not have is not answered as applied: its result is a retryable
 * `MAPPING_MISSING` (the runtime answers 503), and Lightspeed sends it again.
 *
 * Note: Lightspeed does not order its webhooks. The receiver remembers the newest
 * inventory version of each product at each outlet, and an older `inventory.update`
 * arriving after a newer one carries no event: a stale level must not overwrite a fresh
 * one. A process that restarts forgets this; the `version` on each counted level and the
 * polling backstop (`changesSince`) settle it.
 *
 * @throws {@link OmnistockError} `VALIDATION` naming every unknown, missing or invalid
 *   option: `secrets` is required unless `allowUnsigned` is `true`.
 * @example
 * ```ts
 * const receiver = createLightspeedWebhookReceiver({ catalogue, secrets: [clientSecret] });
 * const result = await receiver.tryReceive({ body: rawBody, headers: request.headers });
 * if (!result.ok) return new Response(null, { status: 401 });
 * ```
 */
export function createLightspeedWebhookReceiver(
  options: LightspeedWebhookReceiverOptions,
): WebhookReceiver {
  checkOptions(optionsSchema, options, "Lightspeed webhook receiver options");
  if (options.allowUnsigned === true) {
    reportWarning(
      options.onWarning,
      {
        code: "UNSIGNED_WEBHOOKS",
        message:
          "Lightspeed webhook receiver built with allowUnsigned: true takes webhooks without verifying them",
      },
      "lightspeed",
    );
  }
  const catalogue =
    options.catalogue ??
    (options.client === undefined
      ? undefined
      : createLightspeedCatalogue({
          client: options.client,
          ...(options.clock === undefined ? {} : { clock: options.clock }),
        }));
  /** The newest inventory version seen per product and outlet. */
  const newest = new Map<string, number>();

  const parse = (
    body: string,
    signature: string | null,
    skuOf: (id: string) => string | undefined,
  ) =>
    parseLightspeedWebhook({
      body,
      signature,
      skuOf,
      ...(options.secrets === undefined ? { allowUnsigned: true } : { secrets: options.secrets }),
      ...(options.locationOf === undefined ? {} : { locationOf: options.locationOf }),
      ...(options.clock === undefined ? {} : { clock: options.clock }),
    });

  async function resolve(body: string, signature: string | null): Promise<LightspeedWebhook> {
    if (catalogue === undefined)
      return parse(body, signature, options.skuOf as (id: string) => string | undefined);
    const missing = new Set<string>();
    const lookup = (id: string) => {
      if (!catalogue.knows(id)) missing.add(id);
      return catalogue.skuOf(id);
    };
    // Parsed first with what is known: the signature is checked before the store is asked.
    const parsed = parse(body, signature, lookup);
    if (parsed.product !== undefined) {
      await fromStore(() => catalogue.ready());
      catalogue.update(parsed.product);
      return parsed;
    }
    if (catalogue.loaded && missing.size === 0) return parsed;
    const found = await fromStore(() => catalogue.find("productId", [...missing]));
    if (found.missing.length > 0) {
      // Answered as applied, the webhook would be lost: Lightspeed retries it for 48 hours.
      throw new OmnistockError(
        "MAPPING_MISSING",
        `Lightspeed ${parsed.type} names product(s) ${found.missing.join(", ")} that the catalogue does not have yet: try again later`,
        {
          platform: "lightspeed",
          retryable: true,
          details: { productIds: found.missing, topic: parsed.type },
        },
      );
    }
    return parse(body, signature, (id) => catalogue.skuOf(id));
  }

  function fresh(events: readonly StockEvent[], parsed: LightspeedWebhook): StockEvent[] {
    if (parsed.type !== "inventory.update" || parsed.level === undefined) return [...events];
    const { productId, outletId, version } = parsed.level;
    if (version === undefined) return [...events];
    const key = `${productId}:${outletId}`;
    const seen = newest.get(key);
    if (seen !== undefined && seen > version) return [];
    newest.set(key, version);
    return [...events];
  }

  return createWebhookReceiver(
    "lightspeed",
    async ({ body, headers }): Promise<WebhookDelivery> => {
      const parsed = await resolve(body, headers.get("x-signature"));
      return {
        platform: "lightspeed",
        topic: parsed.type,
        deliveryId: parsed.deliveryId,
        events: fresh(parsed.events, parsed),
        orders: [],
        levels: [],
      };
    },
  );
}

/**
 * Runs a read of the store for a webhook. A failed read is no fault of the webhook: its
 * error is made retryable, so that the webhook is answered with a 503 and sent again, and
 * a malformed answer is a `BAD_RESPONSE` (a `VALIDATION` error would read as a malformed
 * delivery).
 */
async function fromStore<T>(read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    if (!isOmnistockError(error) || (error.retryable && error.code !== "VALIDATION")) throw error;
    throw new OmnistockError(
      error.code === "VALIDATION" ? "BAD_RESPONSE" : error.code,
      error.message,
      {
        cause: error,
        retryable: true,
        platform: "lightspeed",
        ...(error.status === undefined ? {} : { status: error.status }),
        issues: error.issues,
        details: error.details,
      },
    );
  }
}
