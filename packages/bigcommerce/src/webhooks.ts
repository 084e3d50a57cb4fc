import {
  type ChannelLevel,
  type ChannelOrder,
  createWebhookReceiver,
  functionOption,
  objectWithMethods,
  parseWith,
  validationError,
  type WebhookDelivery,
  type WebhookReceiver,
  type WebhookRequest,
} from "@omnistock/core";
import {
  type StandardWebhookSecret,
  type UnsignedWebhookWarning,
  verifyStandardWebhook,
  type WebhookSigning,
} from "@omnistock/transport";
import {
  reportWarning,
  webhookSecretsOption,
  withWebhookSigning,
} from "@omnistock/transport/internal";
import { z } from "zod";
import type { BigCommerceClient } from "./client.js";
import { type BigCommerceLocationOptions, createLocationMap, levelsFrom } from "./locations.js";
import { type BigCommerceOrderMapping, fetchChannelOrder } from "./orders.js";
import {
  orderWebhookDataSchema,
  productInventoryWebhookDataSchema,
  shipmentWebhookDataSchema,
  skuInventoryWebhookDataSchema,
  webhookBodySchema,
} from "./schemas.js";

/** Order scopes whose order is fetched: they may change what the order means for stock. */
export const ORDER_WEBHOOK_SCOPES: ReadonlySet<string> = new Set([
  "store/order/created",
  "store/order/updated",
  "store/order/statusUpdated",
  "store/order/archived",
  "store/order/refund/created",
]);

/** Shipment scopes: their order is fetched too, to report it fulfilled with its tracking. */
export const SHIPMENT_WEBHOOK_SCOPES: ReadonlySet<string> = new Set([
  "store/shipment/created",
  "store/shipment/updated",
]);

/**
 * Inventory scopes whose item's levels are read back: BigCommerce says a count changed, not
 * to what at which location (its `value` is ambiguous for absolute changes).
 */
export const INVENTORY_WEBHOOK_SCOPES: ReadonlySet<string> = new Set([
  "store/sku/inventory/updated",
  "store/sku/inventory/order/updated",
  "store/product/inventory/updated",
  "store/product/inventory/order/updated",
]);

/** Options of {@link createBigCommerceWebhookReceiver}. */
export interface BigCommerceWebhookReceiverOptions
  extends BigCommerceOrderMapping,
    BigCommerceLocationOptions {
  /** Fetches the order and its lines: BigCommerce webhooks carry only the order id. */
  readonly client: BigCommerceClient;
  /**
   * The app's client secret, which BigCommerce signs with (Standard Webhooks, keyed with
   * the secret's bytes); several while one is rotated out. A `whsec_…` value is taken as a
   * Standard Webhooks secret as is. Required unless {@link allowUnsigned} is `true`.
   * @example [process.env.BIGCOMMERCE_CLIENT_SECRET]
   */
  readonly secrets?: string | readonly string[];
  /**
   * Takes deliveries without checking `webhook-signature` or `webhook-timestamp` (the
   * delivery id is still `webhook-id`): only where nobody else can reach the receiver (a
   * test, or a proxy of yours that has verified them already). The receiver warns once,
   * through {@link onWarning}, that it verifies nothing. Not allowed together with `secrets`.
   * @default false
   */
  readonly allowUnsigned?: boolean;
  /**
   * Where the receiver's warning goes (it has one: it was built with `allowUnsigned`).
   * @default `process.emitWarning` where there is one
   */
  readonly onWarning?: (warning: BigCommerceReceiverWarning) => void;
  /**
   * How far `webhook-timestamp` may be from now, in seconds: an older delivery replayed by
   * an attacker is refused.
   * @default 300
   */
  readonly toleranceSeconds?: number;
  /** @default Date.now */
  readonly clock?: () => number;
}

/** What the receiver must be told about signatures (see `WebhookSigning`). */
export type BigCommerceReceiverSigning = WebhookSigning;

/** The warning of a receiver that takes unsigned deliveries (see `UnsignedWebhookWarning`). */
export type BigCommerceReceiverWarning = UnsignedWebhookWarning;

const optionsSchema = withWebhookSigning(
  z.strictObject({
    client: objectWithMethods<BigCommerceClient>("a BigCommerce client", ["order"]),
    channelId: z.string().min(1),
    secrets: webhookSecretsOption.optional(),
    allowUnsigned: z.boolean().optional(),
    onWarning: functionOption.optional(),
    toleranceSeconds: z.number().nonnegative().finite().optional(),
    clock: functionOption.optional(),
    restockRefunds: z.boolean().optional(),
    channelLocationId: z.string().min(1).optional(),
    locations: z.record(z.string(), z.number().int().positive()).optional(),
    defaultLocationId: z.number().int().positive().optional(),
  }),
  "the app's client secret (the option clientSecret is now secrets)",
);

const orderBodySchema = z.object({ data: orderWebhookDataSchema });
const shipmentBodySchema = z.object({ data: shipmentWebhookDataSchema });
const skuBodySchema = z.object({ data: skuInventoryWebhookDataSchema });
const productBodySchema = z.object({ data: productInventoryWebhookDataSchema });

/**
 * Receives BigCommerce webhooks: the Standard Webhooks signature (`webhook-id`,
 * `webhook-timestamp`, `webhook-signature`, within the tolerance, under any of the client
 * secrets) is checked before anything is parsed; then the light body is validated and,
 * for `store/order/created`, `updated`, `statusUpdated`, `archived` and `refund/created`,
 * the order and its lines are fetched through the client and reported as the channel
 * order they are now (the same as polling reports, with the same event id), and for
 * `store/shipment/created` and `updated` the shipped order with its tracking; for
 * `store/sku/inventory/*` and `store/product/inventory/*`, the item's levels at the
 * channel's locations are read back and reported as `levels` (to recognise Omnistock's own
 * echo and spot edits made on BigCommerce). Other scopes are accepted and carry nothing. The delivery id is `webhook-id`, the same on every retry.
 *
 * @throws {@link OmnistockError} `VALIDATION` naming every unknown, missing or invalid option
 *   (`secrets` when neither they nor `allowUnsigned: true` are given).
 * @example
 * ```ts
 * const receiver = createBigCommerceWebhookReceiver({
 *   client,
 *   channelId: "bigcommerce",
 *   secrets: process.env.BIGCOMMERCE_CLIENT_SECRET!,
 * });
 * const result = await receiver.tryReceive({ body: rawBody, headers: request.headers });
 * if (!result.ok) return new Response(null, { status: 401 });
 * ```
 */
export function createBigCommerceWebhookReceiver(
  options: BigCommerceWebhookReceiverOptions & BigCommerceReceiverSigning,
): WebhookReceiver {
  parseWith(optionsSchema, options, "BigCommerce webhook receiver options", {
    platform: "bigcommerce",
  });
  const { client } = options;
  const clock = options.clock ?? Date.now;
  const locations = createLocationMap(options);
  const secrets: StandardWebhookSecret[] | undefined = (
    typeof options.secrets === "string" ? [options.secrets] : options.secrets
  )?.map((secret) => (secret.startsWith("whsec_") ? secret : new TextEncoder().encode(secret)));
  const platform = { platform: "bigcommerce" } as const;
  if (secrets === undefined) {
    reportWarning(
      options.onWarning,
      {
        code: "UNSIGNED_WEBHOOKS",
        message: `BigCommerce webhooks for ${options.channelId} are taken unsigned (allowUnsigned: true): anyone who reaches the receiver can post them; give it the app's client secret instead`,
      },
      "bigcommerce",
    );
  }

  /** The delivery id: `webhook-id`, once its signature verified where there are secrets. */
  function deliveryIdOf(request: WebhookRequest): string {
    if (secrets === undefined) {
      const id = request.headers.get("webhook-id");
      if (!id) {
        throw validationError(
          "BigCommerce webhook",
          [{ path: ["headers", "webhook-id"], message: "missing" }],
          platform,
        );
      }
      return id;
    }
    return verifyStandardWebhook({
      headers: request.headers,
      body: request.body,
      secrets,
      now: clock(),
      platform: "bigcommerce",
      ...(options.toleranceSeconds === undefined
        ? {}
        : { toleranceSeconds: options.toleranceSeconds }),
    }).id;
  }

  return createWebhookReceiver("bigcommerce", async (request): Promise<WebhookDelivery> => {
    const id = deliveryIdOf(request);
    let json: unknown;
    try {
      json = JSON.parse(request.body);
    } catch {
      throw validationError("BigCommerce webhook", [{ path: [], message: "not JSON" }], {
        platform: "bigcommerce",
      });
    }
    const body = parseWith(webhookBodySchema, json, "BigCommerce webhook", platform);
    const what = `BigCommerce webhook ${body.scope}`;
    const orders: ChannelOrder[] = [];
    const orderId = ORDER_WEBHOOK_SCOPES.has(body.scope)
      ? parseWith(orderBodySchema, json, what, platform).data.id
      : SHIPMENT_WEBHOOK_SCOPES.has(body.scope)
        ? parseWith(shipmentBodySchema, json, what, platform).data.orderId
        : undefined;
    if (orderId !== undefined) {
      const order = await client.order(orderId);
      const mapped =
        order === undefined ? undefined : await fetchChannelOrder(client, order, options);
      if (mapped !== undefined) orders.push(mapped);
    }
    const levels: (ChannelLevel & { readonly channelId: string })[] = [];
    if (INVENTORY_WEBHOOK_SCOPES.has(body.scope)) {
      const item = body.scope.startsWith("store/sku/")
        ? { variantIds: [parseWith(skuBodySchema, json, what, platform).data.inventory.variant_id] }
        : {
            productIds: [
              parseWith(productBodySchema, json, what, platform).data.inventory.product_id,
            ],
          };
      const items = await client.inventoryItems({ ...item, locationIds: locations.ids });
      for (const level of levelsFrom(items, locations)) {
        levels.push({ ...level, channelId: options.channelId });
      }
    }
    return {
      platform: "bigcommerce",
      topic: body.scope,
      deliveryId: id,
      events: [],
      orders,
      levels,
    };
  });
}
