import {
  type ChannelLevel,
  type ChannelOrder,
  createWebhookReceiver,
  functionOption,
  isOmnistockError,
  OmnistockError,
  objectWithMethods,
  parseWith,
  validationError,
  type WebhookReceiver,
  type WebhookRequest,
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
import type { AmazonClient } from "./client.js";
import { type AmazonListingMapping, amazonListings } from "./mapping.js";
import { toChannelOrder } from "./orders.js";
import {
  type AmazonOrderItemRecord,
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
   * Shared secrets of the HTTP forwarder that signs each body with HMAC-SHA256 (hex or
   * base64) in {@link signatureHeader}; several while one is rotated out. Amazon itself
   * signs nothing (notifications arrive in your SQS queue or EventBridge bus), so whatever
   * carries them to Omnistock signs them. Required unless {@link allowUnsigned} is `true`.
   * @example [process.env.AMAZON_FORWARDER_SECRET]
   */
  readonly secrets?: string | readonly string[];
  /**
   * Takes notifications with no signature at all: only where nobody else can reach the
   * receiver (your SQS consumer calls it in-process, say). The receiver warns once, through
   * {@link onWarning}, that it verifies nothing. Not allowed together with `secrets`.
   * @default false
   */
  readonly allowUnsigned?: boolean;
  /**
   * Where the receiver's warning goes (it has one: it was built with `allowUnsigned`).
   * @default `process.emitWarning` where there is one
   */
  readonly onWarning?: (warning: AmazonReceiverWarning) => void;
  /** @default "x-omnistock-signature" */
  readonly signatureHeader?: string;
}

/** What the receiver must be told about signatures (see `WebhookSigning`). */
export type AmazonReceiverSigning = WebhookSigning;

/** The warning of a receiver that takes unsigned deliveries (see `UnsignedWebhookWarning`). */
export type AmazonReceiverWarning = UnsignedWebhookWarning;

const optionsSchema = withWebhookSigning(
  z.strictObject({
    channelId: z.string().min(1),
    client: objectWithMethods<AmazonClient>("an AmazonClient", ["getOrderItems"]).optional(),
    listings: z.array(z.unknown()).optional(),
    sellerId: z.string().min(1).optional(),
    secrets: webhookSecretsOption.optional(),
    allowUnsigned: z.boolean().optional(),
    onWarning: functionOption.optional(),
    signatureHeader: z.string().min(1).optional(),
  }),
  "the forwarder's signing secrets",
);

const eventBridgeSchema = z.object({ "detail-type": z.string(), detail: z.unknown() });
const orderChangeMessageSchema = z.object({ Payload: orderChangeSchema });
const mfnQuantityMessageSchema = z.object({ Payload: mfnQuantityChangeSchema });

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
 * Note: Amazon does not sign notifications; the forwarder's HMAC-SHA256 of the raw body is
 * checked under `secrets` before anything is parsed. A `getOrderItems` that fails is an
 * error whose message keeps Amazon's words out (they are in its `cause`): `NOT_FOUND` and
 * retryable for a 404, as Amazon may announce an order before its Orders API shows it.
 *
 * @throws {@link OmnistockError} `VALIDATION` naming every invalid option: `secrets` when
 *   neither they nor `allowUnsigned: true` are given.
 * @example
 * ```ts
 * const receiver = createAmazonNotificationReceiver({ channelId: "amazon-us", client, secrets: [forwarderSecret] });
 * const { deliveryId, orders } = await receiver.receive({ body, headers: request.headers });
 * ```
 */
export function createAmazonNotificationReceiver(
  options: AmazonNotificationReceiverOptions & AmazonReceiverSigning,
): WebhookReceiver {
  parseWith(optionsSchema, options, "Amazon notification receiver options", {
    platform: "amazon",
  });
  const { channelId, client } = options;
  const mapping =
    options.listings === undefined ? undefined : amazonListings(options.listings).mapping;
  const header = options.signatureHeader ?? AMAZON_SIGNATURE_HEADER;
  const secrets = options.secrets;
  const platform = { platform: "amazon" } as const;
  if (secrets === undefined) {
    reportWarning(
      options.onWarning,
      {
        code: "UNSIGNED_WEBHOOKS",
        message: `Amazon notifications for ${channelId} are taken unsigned (allowUnsigned: true): anyone who reaches the receiver can post orders; give it the forwarder's secrets instead`,
      },
      "amazon",
    );
  }

  async function receive(request: WebhookRequest) {
    if (secrets !== undefined) {
      const valid = verifyHmac({
        payload: request.body,
        signature: request.headers.get(header),
        secrets,
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
    const facts = { ...platform, details: { notificationId: deliveryId } };
    const orders: ChannelOrder[] = [];
    const levels: (ChannelLevel & { readonly channelId: string })[] = [];

    if (topic === "ORDER_CHANGE") {
      const change = parseWith(orderChangeMessageSchema, message, "Amazon ORDER_CHANGE", facts)
        .Payload.OrderChangeNotification;
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
            facts,
          );
        }
        lines = (await orderItems(client, change.AmazonOrderId, deliveryId)).flatMap((item) =>
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
        mfnQuantityMessageSchema,
        message,
        "Amazon LISTINGS_ITEM_MFN_QUANTITY_CHANGE",
        facts,
      ).Payload;
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

/** Failures after which the same read may succeed. */
const TRANSIENT = new Set(["RATE_LIMITED", "SERVER", "NETWORK", "TIMEOUT", "NOT_FOUND"]);

/**
 * The lines of an announced order. A failed read is an error for the notification's caller:
 * its message says what failed, never what Amazon answered (that stays in `cause`), and a
 * 404 is `NOT_FOUND` and retryable, since Amazon announces orders before its Orders API
 * shows them. A `VALIDATION` of Amazon's answer names the field at fault and is passed on.
 */
async function orderItems(
  client: AmazonClient,
  orderId: string,
  notificationId: string,
): Promise<AmazonOrderItemRecord[]> {
  try {
    return await client.getOrderItems(orderId);
  } catch (error) {
    if (isOmnistockError(error, "VALIDATION")) throw error;
    const known = isOmnistockError(error) ? error : undefined;
    const status = known?.status;
    const code = status === 404 ? "NOT_FOUND" : (known?.code ?? "NETWORK");
    const retryable = TRANSIENT.has(code) || known?.retryable === true;
    const answer = status === undefined ? code : `${status} ${code}`;
    throw new OmnistockError(
      code,
      `Amazon ORDER_CHANGE for ${orderId}: its items could not be read (getOrderItems: ${answer})${retryable ? "; try again later" : ""}`,
      {
        platform: "amazon",
        cause: error,
        retryable,
        ...(status === undefined ? {} : { status }),
        ...(known?.requestId === undefined ? {} : { requestId: known.requestId }),
        ...(known?.retryAfterMs === undefined ? {} : { retryAfterMs: known.retryAfterMs }),
        details: {
          notificationId,
          orderId,
          operation: "getOrderItems",
          ...(status === undefined ? {} : { status }),
        },
      },
    );
  }
}
