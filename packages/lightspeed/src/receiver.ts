import {
  createWebhookReceiver,
  type StockEvent,
  type WebhookDelivery,
  type WebhookReceiver,
} from "@omnistock/core";
import { z } from "zod";
import { createCatalogue } from "./catalogue.js";
import type { LightspeedClient } from "./client.js";
import { checkOptions, clientOption, fn } from "./options.js";
import { type LightspeedWebhook, parseLightspeedWebhook } from "./webhooks.js";

/** Options of {@link createLightspeedWebhookReceiver}. */
export interface LightspeedWebhookReceiverOptions {
  /**
   * The OAuth app's client secret(s), current first, then any being rotated out: webhooks
   * to OAuth apps are signed with it. Without secrets nothing is verified, which only
   * suits personal-token stores (they send unsigned webhooks).
   * @default []
   * @example
   * ```ts
   * secrets: [process.env.LIGHTSPEED_CLIENT_SECRET!]
   * ```
   */
  readonly secrets?: readonly string[];
  /**
   * Resolves product ids to SKUs through the store: the catalogue is read once, kept,
   * updated by every `product.update`, and read again once when a webhook names a product
   * it does not know. Give either `client` or `skuOf`.
   * @example
   * ```ts
   * client: createLightspeedClient({ baseUrl, auth })
   * ```
   */
  readonly client?: LightspeedClient;
  /**
   * The SKU of a Lightspeed product id (`undefined` for one Omnistock does not track), for
   * callers that keep the mapping themselves. Give either `client` or `skuOf`.
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
   * time) and of a sale without a `sale_date`.
   * @default Date.now
   */
  readonly clock?: () => number;
}

const optionsSchema = z
  .strictObject({
    secrets: z.array(z.string().min(1)).optional(),
    client: clientOption.optional(),
    skuOf: fn.optional(),
    locationOf: fn.optional(),
    clock: fn.optional(),
  })
  .superRefine((options, context) => {
    if ((options.client === undefined) === (options.skuOf === undefined)) {
      context.addIssue({
        code: "custom",
        path: ["client"],
        message: "give either client (resolve SKUs through the store) or skuOf, not both",
      });
    }
  });

/**
 * Creates the receiver of Lightspeed X-Series webhooks for the sync runtime: it takes the
 * raw body and the headers, checks `X-Signature` before anything else, and turns
 * `inventory.update`, `sale.update` and `product.update` into a `WebhookDelivery` with
 * stock events (see {@link parseLightspeedWebhook}).
 *
 * Why a receiver and not only the parser: the runtime knows SKUs, not Lightspeed product
 * ids. With `client` the receiver keeps the store's catalogue itself, so a product created
 * a minute ago is found (one catalogue read) and a SKU changed in Lightspeed is followed
 * (`product.update`).
 *
 * Note: Lightspeed does not order its webhooks. The receiver remembers the newest
 * inventory version of each product at each outlet, and an older `inventory.update`
 * arriving after a newer one carries no event: a stale level must not overwrite a fresh
 * one. A process that restarts forgets this; the `version` on each counted level and the
 * polling backstop (`changesSince`) settle it.
 *
 * @throws {@link OmnistockError} `VALIDATION` naming every unknown, missing or invalid
 *   option.
 * @example
 * ```ts
 * const receiver = createLightspeedWebhookReceiver({ client, secrets: [clientSecret] });
 * const result = await receiver.tryReceive({ body: rawBody, headers: request.headers });
 * if (!result.ok) return new Response(null, { status: 401 });
 * ```
 */
export function createLightspeedWebhookReceiver(
  options: LightspeedWebhookReceiverOptions,
): WebhookReceiver {
  checkOptions(optionsSchema, options, "Lightspeed webhook receiver options");
  const catalogue = options.client === undefined ? undefined : createCatalogue(options.client);
  /** Product ids still unknown after a catalogue read: they do not trigger another. */
  const unknownAfterRead = new Set<string>();
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
      ...(options.secrets === undefined ? {} : { secrets: options.secrets }),
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
    let parsed = parse(body, signature, lookup);
    if (parsed.product !== undefined) {
      if (!catalogue.loaded) await catalogue.load();
      catalogue.update(parsed.product);
      unknownAfterRead.delete(parsed.product.id);
      return parsed;
    }
    const worthReading = [...missing].filter((id) => !unknownAfterRead.has(id));
    if (!catalogue.loaded || worthReading.length > 0) {
      await catalogue.load();
      for (const id of missing) if (!catalogue.knows(id)) unknownAfterRead.add(id);
      parsed = parse(body, signature, (id) => catalogue.skuOf(id));
    }
    return parsed;
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
