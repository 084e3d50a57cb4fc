import {
  type ChannelLevel,
  type ChannelOrder,
  createWebhookReceiver,
  OmnistockError,
  parseWith,
  validationError,
  type WebhookReceiver,
  type WebhookRequest,
} from "@omnistock/core";
import { hmacSha256, verifyHmac } from "@omnistock/transport";
import { z } from "zod";
import type { AmazonClient } from "./client.js";
import { type AmazonListingMapping, amazonListings } from "./mapping.js";
import { toChannelOrder } from "./orders.js";
import {
  mfnQuantityChangeSchema,
  notificationEnvelopeSchema,
  orderChangeSchema,
} from "./schemas.js";

/** The header an HTTP forwarder signs notifications in, by default. */
export const AMAZON_SIGNATURE_HEADER = "x-omnistock-signature";

/** Options of {@link createAmazonNotificationReceiver}. */
export interface AmazonNotificationReceiverOptions {
  /**
   * The catalog channel the notifications are about.
   * @example "amazon-us"
   */
  readonly channelId: string;
  /**
   * Reads an order's lines where an `ORDER_CHANGE` carries none.
   * @default none: such a notification is a `CONFIG` error
   */
  readonly client?: AmazonClient;
  /**
   * The listings, to turn seller SKUs into listing ids; seller SKUs not listed are left out.
   * @default none: the seller SKU is the listing id
   */
  readonly listings?: readonly AmazonListingMapping[];
  /**
   * Only notifications of this seller are taken; another seller's are a `VALIDATION` error.
   * @default any seller
   */
  readonly sellerId?: string;
  /**
   * Shared secrets of an HTTP forwarder that signs each body with HMAC-SHA256 (hex or
   * base64) in {@link signatureHeader}; several while one is rotated out. Amazon itself
   * signs nothing (notifications arrive in your SQS queue or EventBridge bus).
   * @default none: nothing is verified
   */
  readonly secrets?: readonly string[];
  /** @default "x-omnistock-signature" */
  readonly signatureHeader?: string;
}

const optionsSchema = z.strictObject({
  channelId: z.string().min(1),
  client: z
    .custom<AmazonClient>(
      (value) =>
        typeof value === "object" &&
        value !== null &&
        typeof (value as AmazonClient).getOrderItems === "function",
      { error: "expected an AmazonClient" },
    )
    .optional(),
  listings: z.array(z.unknown()).optional(),
  sellerId: z.string().min(1).optional(),
  secrets: z.array(z.string().min(1)).optional(),
  signatureHeader: z.string().min(1).optional(),
});

const eventBridgeSchema = z.object({ "detail-type": z.string(), detail: z.unknown() });

/**
 * Signs a notification body as {@link createAmazonNotificationReceiver} verifies it: the
 * helper for a forwarder of yours and for tests.
 *
 * @example
 * ```ts
 * await fetch(url, { method: "POST", body, headers: { "x-omnistock-signature": signAmazonNotification(secret, body) } });
 * ```
 */
export function signAmazonNotification(secret: string, body: string): string {
  return hmacSha256(secret, body, "hex");
}

/**
 * Creates the receiver of Selling Partner API notifications, as SQS message bodies or
 * EventBridge events that an integrator routes to Omnistock: `ORDER_CHANGE` becomes a
 * `ChannelOrder` (the lines from the notification's `OrderItems`, or read with
 * `getOrderItems` where it has none; AFN orders `fulfilledByChannel`), and
 * `LISTINGS_ITEM_MFN_QUANTITY_CHANGE` a level the channel announced. The de-duplication
 * key is the `NotificationId`. Other types are acknowledged with nothing in them.
 *
 * Note: Amazon does not sign notifications; with `secrets`, a forwarder's HMAC-SHA256 of
 * the raw body is checked before anything is parsed.
 *
 * @throws {@link OmnistockError} `VALIDATION` naming every invalid option.
 * @example
 * ```ts
 * const receiver = createAmazonNotificationReceiver({ channelId: "amazon-us", client });
 * const { deliveryId, orders } = await receiver.receive({ body: message.Body, headers: new Headers() });
 * ```
 */
export function createAmazonNotificationReceiver(
  options: AmazonNotificationReceiverOptions,
): WebhookReceiver {
  parseWith(optionsSchema, options, "Amazon notification receiver options", {
    platform: "amazon",
  });
  const { channelId, client } = options;
  const mapping =
    options.listings === undefined ? undefined : amazonListings(options.listings).mapping;
  const header = options.signatureHeader ?? AMAZON_SIGNATURE_HEADER;
  const platform = { platform: "amazon" } as const;

  async function receive(request: WebhookRequest) {
    if (options.secrets !== undefined && options.secrets.length > 0) {
      const valid = verifyHmac({
        payload: request.body,
        signature: request.headers.get(header),
        secrets: options.secrets,
        encoding: ["hex", "base64"],
      });
      if (!valid) {
        throw new OmnistockError(
          "SIGNATURE",
          `Amazon notification rejected: the ${header} HMAC does not match`,
          platform,
        );
      }
    }
    let raw: unknown;
    try {
      raw = JSON.parse(request.body);
    } catch {
      throw validationError("Amazon notification", [{ path: [], message: "not JSON" }], platform);
    }
    const bridged = eventBridgeSchema.safeParse(raw);
    const message = bridged.success ? bridged.data.detail : raw;
    const envelope = parseWith(
      notificationEnvelopeSchema,
      message,
      "Amazon notification",
      platform,
    );
    const deliveryId = envelope.NotificationMetadata.NotificationId;
    const topic = envelope.NotificationType;
    const orders: ChannelOrder[] = [];
    const levels: (ChannelLevel & { readonly channelId: string })[] = [];

    if (topic === "ORDER_CHANGE") {
      const change = parseWith(orderChangeSchema, envelope.Payload, "Amazon ORDER_CHANGE Payload", {
        ...platform,
        details: { notificationId: deliveryId },
      }).OrderChangeNotification;
      checkSeller(change.SellerId, ["Payload", "OrderChangeNotification", "SellerId"]);
      let lines = change.Summary.OrderItems.map((item) => ({
        sellerSku: item.SellerSKU,
        quantity: item.Quantity,
      }));
      if (lines.length === 0) {
        if (client === undefined) {
          throw new OmnistockError(
            "CONFIG",
            `Amazon ORDER_CHANGE for ${change.AmazonOrderId} has no items: give the receiver a client to read them`,
            { ...platform, details: { notificationId: deliveryId } },
          );
        }
        lines = (await client.getOrderItems(change.AmazonOrderId)).flatMap((item) =>
          item.SellerSKU === undefined
            ? []
            : [{ sellerSku: item.SellerSKU, quantity: item.QuantityOrdered }],
        );
      }
      orders.push(
        toChannelOrder(
          {
            orderId: change.AmazonOrderId,
            status: change.Summary.OrderStatus,
            fulfillment: change.Summary.FulfillmentType,
            at: Date.parse(change.OrderChangeTrigger.TimeOfOrderChange ?? envelope.EventTime),
            lines,
          },
          channelId,
          mapping,
        ),
      );
    } else if (topic === "LISTINGS_ITEM_MFN_QUANTITY_CHANGE") {
      const change = parseWith(
        mfnQuantityChangeSchema,
        envelope.Payload,
        "Amazon LISTINGS_ITEM_MFN_QUANTITY_CHANGE Payload",
        { ...platform, details: { notificationId: deliveryId } },
      );
      checkSeller(change.SellerId, ["Payload", "SellerId"]);
      const listingId = mapping === undefined ? change.Sku : mapping.findSku(change.Sku);
      if (listingId !== undefined && change.FulfillmentChannelCode === "DEFAULT") {
        levels.push({ channelId, listingId, quantity: change.Quantity, managedBy: "merchant" });
      }
    }
    return { platform: "amazon" as const, topic, deliveryId, events: [], orders, levels };
  }

  function checkSeller(sellerId: string, path: readonly string[]): void {
    if (options.sellerId !== undefined && sellerId !== options.sellerId) {
      throw validationError(
        "Amazon notification",
        [{ path, message: `expected seller ${options.sellerId}, got ${sellerId}` }],
        platform,
      );
    }
  }

  return createWebhookReceiver("amazon", receive);
}
