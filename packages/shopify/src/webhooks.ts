import {
  type ChannelLevel,
  type ChannelOrder,
  createWebhookReceiver,
  functionOption,
  OmnistockError,
  parseWith,
  validationError,
  type WebhookDelivery,
  type WebhookReceiver,
} from "@omnistock/core";
import {
  hmacSha256,
  type UnsignedWebhookWarning,
  verifyHmac,
  type WebhookSigning,
} from "@omnistock/transport";
import {
  reportWarning,
  webhookSecretsOption,
  withWebhookSigning,
} from "@omnistock/transport/internal";
import { z } from "zod";
import { parseShopifyJson, shopifyGid } from "./ids.js";
import type { ShopifyMapping } from "./mapping.js";
import { type ShopifyOrderContext, shopifyOrderReport, shopifyRefundReport } from "./orders.js";
import { inventoryLevelWebhookSchema, orderWebhookSchema, refundWebhookSchema } from "./schemas.js";

/** The webhook topics Omnistock reads; subscribe the shop to each. */
export const SHOPIFY_WEBHOOK_TOPICS = [
  "orders/create",
  "orders/cancelled",
  "orders/fulfilled",
  "refunds/create",
  "inventory_levels/update",
] as const;

/** One of {@link SHOPIFY_WEBHOOK_TOPICS}. */
export type ShopifyWebhookTopic = (typeof SHOPIFY_WEBHOOK_TOPICS)[number];

/** Options of {@link createShopifyWebhookReceiver}. */
export interface ShopifyWebhookReceiverOptions {
  /** The catalog channel this shop is. */
  readonly channelId: string;
  /**
   * The app's client secret — Shopify signs webhooks with it — or several while one is
   * rotated out (Shopify may take an hour to switch to a new one). Required unless
   * {@link allowUnsigned} is `true`.
   * @example [process.env.SHOPIFY_CLIENT_SECRET]
   */
  readonly secrets?: string | readonly string[];
  /**
   * Takes deliveries without checking `X-Shopify-Hmac-Sha256`: only where nobody else can
   * reach the receiver (a test, or a proxy of yours that has verified them already). The
   * receiver warns once, through {@link onWarning}, that it verifies nothing. Not allowed
   * together with `secrets`.
   * @default false
   */
  readonly allowUnsigned?: boolean;
  /**
   * Where the receiver's warning goes (it has one: it was built with `allowUnsigned`).
   * @default `process.emitWarning` where there is one
   */
  readonly onWarning?: (warning: ShopifyReceiverWarning) => void;
  /**
   * The shop's domain: deliveries for another shop of the same app (signed with the same
   * secret) are refused.
   * @default any shop
   */
  readonly shop?: string;
  /**
   * Resolves variants and inventory items to listings and locations to channel locations.
   * Without one, an order line's listing is its SKU and `inventory_levels/update` reports
   * no levels (it names an inventory item, not a SKU).
   * @default none
   */
  readonly mapping?: ShopifyMapping;
}

/** What the receiver must be told about signatures (see `WebhookSigning`). */
export type ShopifyReceiverSigning = WebhookSigning;

/** The warning of a receiver that takes unsigned deliveries (see `UnsignedWebhookWarning`). */
export type ShopifyReceiverWarning = UnsignedWebhookWarning;

const optionsSchema = withWebhookSigning(
  z.strictObject({
    channelId: z.string().min(1),
    secrets: webhookSecretsOption.optional(),
    allowUnsigned: z.boolean().optional(),
    onWarning: functionOption.optional(),
    shop: z.string().min(1).optional(),
    mapping: z
      .custom<ShopifyMapping>(
        (value) => typeof value === "object" && value !== null && "listingOfItem" in value,
        { error: "expected a ShopifyMapping" },
      )
      .optional(),
  }),
  "the app's client secret",
);

const TOPIC_HEADER = "x-shopify-topic";
const HMAC_HEADER = "x-shopify-hmac-sha256";
const WEBHOOK_ID_HEADER = "x-shopify-webhook-id";
const EVENT_ID_HEADER = "x-shopify-event-id";
const SHOP_HEADER = "x-shopify-shop-domain";

function headerError(header: string, message: string): OmnistockError {
  return validationError("Shopify webhook", [{ path: ["headers", header], message }], {
    platform: "shopify",
  });
}

/**
 * Receives one Shopify shop's webhooks: verifies `X-Shopify-Hmac-Sha256` (base64
 * HMAC-SHA256 of the raw body, under each secret, in constant time) before reading
 * anything, then parses the topic's payload. `orders/create`, `orders/cancelled` and
 * `orders/fulfilled` become channel orders (placed, cancelled, fulfilled) and
 * `refunds/create` a refunded one with its restocked lines — under the same event ids as
 * polling; `inventory_levels/update` becomes a level, so the runtime can tell its own
 * echo from an edit made on Shopify. Other topics are acknowledged with nothing in them.
 *
 * The delivery id, the key the runtime de-duplicates on, is `X-Shopify-Event-Id`: the same
 * for every webhook of one event, including one sent through two subscriptions (each has
 * its own `X-Shopify-Webhook-Id`). Where a delivery has no event id, it is
 * `X-Shopify-Webhook-Id`, the same on every retry of that delivery.
 *
 * Ids are kept whole: Shopify sends its 64-bit ids as JSON numbers, and every `id` and
 * `…_id` of a payload is read from its digits, so an order id beyond 2^53
 * (`820982911946154508`) is the order's own, as text.
 *
 * @throws {@link OmnistockError} `VALIDATION` for bad options (`secrets` when neither they
 *   nor `allowUnsigned: true` are given). `receive` throws `SIGNATURE`
 *   for a bad signature and `VALIDATION` naming the header or field for a malformed
 *   delivery; `tryReceive` returns them.
 * @example
 * ```ts
 * const webhooks = createShopifyWebhookReceiver({
 *   channelId: "shopify-eu",
 *   secrets: [process.env.SHOPIFY_CLIENT_SECRET!],
 *   shop: "example.myshopify.com",
 * });
 * const result = await webhooks.tryReceive({ body: rawBody, headers: request.headers });
 * ```
 */
export function createShopifyWebhookReceiver(
  options: ShopifyWebhookReceiverOptions & ShopifyReceiverSigning,
): WebhookReceiver {
  parseWith(optionsSchema, options, "Shopify webhook receiver options", { platform: "shopify" });
  const { channelId, mapping, secrets } = options;
  const context: ShopifyOrderContext = { channelId, ...(mapping === undefined ? {} : { mapping }) };
  if (secrets === undefined) {
    reportWarning(
      options.onWarning,
      {
        code: "UNSIGNED_WEBHOOKS",
        message: `Shopify webhooks for ${channelId} are taken unsigned (allowUnsigned: true): anyone who reaches the receiver can post orders; give it the app's client secret instead`,
      },
      "shopify",
    );
  }

  return createWebhookReceiver("shopify", async ({ body, headers }): Promise<WebhookDelivery> => {
    const valid =
      secrets === undefined ||
      verifyHmac({
        payload: body,
        signature: headers.get(HMAC_HEADER),
        secrets,
        encoding: "base64",
      });
    if (!valid) {
      throw new OmnistockError(
        "SIGNATURE",
        headers.get(HMAC_HEADER)
          ? "Shopify webhook rejected: the X-Shopify-Hmac-Sha256 does not match"
          : "Shopify webhook rejected: no X-Shopify-Hmac-Sha256",
        { platform: "shopify" },
      );
    }
    const topic = headers.get(TOPIC_HEADER);
    if (!topic) throw headerError(TOPIC_HEADER, "missing");
    // One event sent through two subscriptions comes with two webhook ids and one event
    // id: the event id is the key that recognises it, where Shopify sends one.
    const eventId = headers.get(EVENT_ID_HEADER);
    const webhookId = headers.get(WEBHOOK_ID_HEADER);
    if (!eventId && !webhookId) throw headerError(WEBHOOK_ID_HEADER, "missing");
    const deliveryId = eventId || (webhookId as string);
    const shop = headers.get(SHOP_HEADER);
    if (options.shop !== undefined && shop !== options.shop) {
      throw headerError(SHOP_HEADER, `expected "${options.shop}", got "${shop ?? ""}"`);
    }
    let payload: unknown;
    try {
      payload = parseShopifyJson(body);
    } catch {
      throw validationError("Shopify webhook", [{ path: ["body"], message: "not JSON" }], {
        platform: "shopify",
      });
    }
    const what = `Shopify ${topic} webhook`;
    const facts = { platform: "shopify" as const };
    const orders: ChannelOrder[] = [];
    const levels: (ChannelLevel & { readonly channelId: string })[] = [];
    const keep = (order: ChannelOrder | undefined) => {
      if (order !== undefined) orders.push(order);
    };

    if (topic === "orders/create" || topic === "orders/cancelled" || topic === "orders/fulfilled") {
      const order = parseWith(orderWebhookSchema, payload, what, facts);
      if (topic === "orders/cancelled" && (order.cancelled_at ?? null) === null) {
        throw validationError(
          what,
          [{ path: ["cancelled_at"], message: "expected a date-time" }],
          facts,
        );
      }
      const status =
        topic === "orders/create"
          ? "placed"
          : topic === "orders/cancelled"
            ? "cancelled"
            : "fulfilled";
      keep(
        await shopifyOrderReport(
          {
            orderId: String(order.id),
            createdAt: Date.parse(order.created_at),
            updatedAt: Date.parse(order.updated_at),
            cancelledAt:
              order.cancelled_at === undefined || order.cancelled_at === null
                ? undefined
                : Date.parse(order.cancelled_at),
            locationId:
              order.location_id === undefined || order.location_id === null
                ? undefined
                : String(order.location_id),
            lines: order.line_items.map((l) => ({
              variantId:
                l.variant_id === undefined || l.variant_id === null
                  ? undefined
                  : String(l.variant_id),
              sku: l.sku,
              quantity: l.quantity,
            })),
            ...trackingOf(order.fulfillments),
          },
          status,
          context,
        ),
      );
    } else if (topic === "refunds/create") {
      const refund = parseWith(refundWebhookSchema, payload, what, facts);
      keep(
        await shopifyRefundReport(
          {
            refundId: String(refund.id),
            orderId: String(refund.order_id),
            createdAt: Date.parse(refund.created_at),
            lines: refund.refund_line_items.map((l) => ({
              variantId:
                l.line_item.variant_id === undefined || l.line_item.variant_id === null
                  ? undefined
                  : String(l.line_item.variant_id),
              sku: l.line_item.sku,
              quantity: l.quantity,
              restock: l.restock_type !== "no_restock",
              locationId:
                l.location_id === undefined || l.location_id === null
                  ? undefined
                  : String(l.location_id),
            })),
          },
          context,
        ),
      );
    } else if (topic === "inventory_levels/update") {
      const level = parseWith(inventoryLevelWebhookSchema, payload, what, facts);
      const listingId =
        mapping === undefined
          ? undefined
          : await mapping.listingOfItem(shopifyGid("InventoryItem", level.inventory_item_id));
      const channelLocationId = mapping?.channelLocationOf(
        shopifyGid("Location", level.location_id),
      );
      if (listingId !== undefined && channelLocationId !== undefined && level.available !== null) {
        levels.push({ channelId, listingId, channelLocationId, quantity: level.available });
      }
    }
    return { platform: "shopify", topic, deliveryId, events: [], orders, levels };
  });
}

/** The tracking of the first fulfilment that has a tracking number. */
function trackingOf(fulfillments: z.output<typeof orderWebhookSchema>["fulfillments"]): {
  tracking?: { company?: string; number: string };
} {
  const shipped = fulfillments?.find(
    (f) => typeof f.tracking_number === "string" && f.tracking_number !== "",
  );
  if (shipped?.tracking_number === undefined || shipped.tracking_number === null) return {};
  const company = shipped.tracking_company ?? undefined;
  return {
    tracking: { number: shipped.tracking_number, ...(company === undefined ? {} : { company }) },
  };
}

/** Options of {@link shopifyWebhookHeaders}. */
export interface ShopifyWebhookHeadersOptions {
  readonly topic: string;
  /** The exact body that will be sent. */
  readonly body: string;
  /** The app's client secret. */
  readonly secret: string;
  /** The delivery id (`X-Shopify-Webhook-Id`). */
  readonly webhookId: string;
  /**
   * The event id (`X-Shopify-Event-Id`), shared by every webhook of one event.
   * @default none: the header is not sent
   */
  readonly eventId?: string;
  /** @default "example.myshopify.com" */
  readonly shop?: string;
}

/**
 * Signs a body as Shopify does: the base64 HMAC-SHA256 of the raw body under the app's
 * client secret, the value of `X-Shopify-Hmac-Sha256`. For tests and fake servers.
 *
 * @example
 * ```ts
 * signShopifyWebhook('{"id":1}', "shpss_secret"); // "…="
 * ```
 */
export function signShopifyWebhook(body: string, secret: string): string {
  return hmacSha256(secret, body, "base64");
}

/**
 * The headers of a signed Shopify webhook delivery: what a test sends to a receiver.
 *
 * @example
 * ```ts
 * const headers = new Headers(shopifyWebhookHeaders({ topic: "orders/create", body, secret, webhookId: "w-1" }));
 * await receiver.receive({ body, headers });
 * ```
 */
export function shopifyWebhookHeaders(
  options: ShopifyWebhookHeadersOptions,
): Record<string, string> {
  return {
    "content-type": "application/json",
    [TOPIC_HEADER]: options.topic,
    [HMAC_HEADER]: signShopifyWebhook(options.body, options.secret),
    [WEBHOOK_ID_HEADER]: options.webhookId,
    ...(options.eventId === undefined ? {} : { [EVENT_ID_HEADER]: options.eventId }),
    [SHOP_HEADER]: options.shop ?? "example.myshopify.com",
    "x-shopify-api-version": "2026-04",
  };
}
