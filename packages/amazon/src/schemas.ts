import { MAX_EVENT_QUANTITY } from "@omnistock/core";
import { z } from "zod";

/**
 * The payloads the adapter reads from the Selling Partner API, as zod schemas: extra
 * fields are tolerated (Amazon adds fields over time); a missing or invalid required field
 * is a `VALIDATION` error that names its path.
 */

const text = z.string().min(1);
const count = z.number().int().nonnegative();

/**
 * The largest quantity the adapter takes from Amazon: Omnistock's bound on any quantity,
 * core's `MAX_EVENT_QUANTITY` (one billion). Amazon documents quantities as non-negative
 * integers with no upper bound; a billion units is far beyond any listing, so a larger
 * number is a broken payload, not stock.
 */
export const AMAZON_MAX_QUANTITY = MAX_EVENT_QUANTITY;

// A quantity Amazon reports: a whole number from 0 to the bound, never a string (Amazon's
// models give integers); anything else is an issue at its path.
const units = z.number().int().min(0).max(AMAZON_MAX_QUANTITY);
const dateTime = z.string().refine((value) => !Number.isNaN(Date.parse(value)), {
  error: "expected an ISO 8601 date-time",
});

/** The LWA token endpoint's answer to the refresh-token grant. */
export const lwaTokenSchema = z.object({
  access_token: text,
  token_type: z.string().optional(),
  expires_in: z.number().int().positive(),
});

/** One issue of a listings submission or a listing (`Issue` in the Listings Items model). */
export const listingIssueSchema = z.object({
  code: z.string(),
  message: z.string(),
  severity: z.enum(["ERROR", "WARNING", "INFO"]),
  attributeNames: z.array(z.string()).optional(),
});

/** The answer of `patchListingsItem` (`ListingsItemSubmissionResponse`). */
export const listingSubmissionSchema = z.object({
  sku: text,
  status: z.enum(["ACCEPTED", "INVALID", "VALID"]),
  submissionId: text,
  issues: z.array(listingIssueSchema).optional(),
});
/** What Amazon said to one listings patch. */
export type AmazonListingSubmission = z.output<typeof listingSubmissionSchema>;

/** The answer of `getListingsItem` (`Item`), with the parts the adapter asks for. */
export const listingItemSchema = z.object({
  sku: text,
  summaries: z
    .array(z.object({ marketplaceId: text, productType: z.string().optional() }))
    .optional(),
  fulfillmentAvailability: z
    .array(z.object({ fulfillmentChannelCode: text, quantity: units.optional() }))
    .optional(),
  issues: z.array(listingIssueSchema).optional(),
});
/** One listing, as `getListingsItem` reports it. */
export type AmazonListingItem = z.output<typeof listingItemSchema>;

/** The answer of `createFeedDocument`. */
export const feedDocumentCreatedSchema = z.object({ feedDocumentId: text, url: z.url() });

/** The answer of `createFeed`. */
export const feedCreatedSchema = z.object({ feedId: text });

/** The answer of `getFeed`. */
export const feedSchema = z.object({
  feedId: text,
  feedType: z.string(),
  processingStatus: z.enum(["CANCELLED", "DONE", "FATAL", "IN_PROGRESS", "IN_QUEUE"]),
  resultFeedDocumentId: z.string().optional(),
});
/** A feed and where it is. */
export type AmazonFeed = z.output<typeof feedSchema>;

/** The answer of `getFeedDocument`. */
export const feedDocumentSchema = z.object({
  feedDocumentId: text,
  url: z.url(),
  compressionAlgorithm: z.enum(["GZIP"]).optional(),
});

/** The `JSON_LISTINGS_FEED` processing report (listings-feed-processing-report-schema-v2). */
export const processingReportSchema = z.object({
  header: z.object({ sellerId: z.string(), version: z.string(), feedId: z.string() }),
  issues: z
    .array(
      z.object({
        messageId: z.number().int(),
        sku: z.string().optional(),
        code: z.string(),
        severity: z.enum(["ERROR", "WARNING", "INFO"]),
        message: z.string(),
        attributeName: z.string().optional(),
      }),
    )
    .optional(),
  summary: z.object({
    errors: count,
    warnings: count,
    messagesProcessed: count,
    messagesAccepted: count,
    messagesInvalid: count,
  }),
});
/** A parsed processing report. */
export type AmazonProcessingReport = z.output<typeof processingReportSchema>;

/** Orders API v0 `OrderStatus`. */
export const orderStatusSchema = z.enum([
  "PendingAvailability",
  "Pending",
  "Unshipped",
  "PartiallyShipped",
  "Shipped",
  "Canceled",
  "Unfulfillable",
  "InvoiceUnconfirmed",
]);
/** An order's status in the Orders API. */
export type AmazonOrderStatus = z.output<typeof orderStatusSchema>;

/** One order of `getOrders` (v0 `Order`). */
export const orderSchema = z.object({
  AmazonOrderId: text,
  PurchaseDate: dateTime,
  LastUpdateDate: dateTime,
  OrderStatus: orderStatusSchema,
  FulfillmentChannel: z.enum(["MFN", "AFN"]).optional(),
  MarketplaceId: z.string().optional(),
});
/** An order as `getOrders` lists it. */
export type AmazonOrderRecord = z.output<typeof orderSchema>;

/** The answer of `getOrders`. */
export const ordersPageSchema = z.object({
  payload: z.object({
    Orders: z.array(orderSchema),
    NextToken: z.string().optional(),
    LastUpdatedBefore: dateTime.optional(),
    CreatedBefore: dateTime.optional(),
  }),
});

/** One page of `getOrders`: the orders, the next page's token, the time it reports up to. */
export type AmazonOrdersPage = z.output<typeof ordersPageSchema>["payload"];

/** One line of `getOrderItems` (v0 `OrderItem`). */
export const orderItemSchema = z.object({
  ASIN: text,
  OrderItemId: text,
  SellerSKU: z.string().optional(),
  QuantityOrdered: units,
  QuantityShipped: units.optional(),
});
/** An order line as `getOrderItems` lists it. */
export type AmazonOrderItemRecord = z.output<typeof orderItemSchema>;

/** The answer of `getOrderItems`. */
export const orderItemsPageSchema = z.object({
  payload: z.object({
    AmazonOrderId: text,
    OrderItems: z.array(orderItemSchema),
    NextToken: z.string().optional(),
  }),
});

/** One FBA inventory summary (`InventorySummary`). */
export const inventorySummarySchema = z.object({
  sellerSku: text,
  asin: z.string().optional(),
  fnSku: z.string().optional(),
  totalQuantity: units.optional(),
  inventoryDetails: z.object({ fulfillableQuantity: units.optional() }).optional(),
});
/** What FBA holds of one SKU. */
export type AmazonInventorySummary = z.output<typeof inventorySummarySchema>;

/** The answer of `getInventorySummaries`. */
export const inventorySummariesPageSchema = z.object({
  payload: z.object({ inventorySummaries: z.array(inventorySummarySchema) }),
  pagination: z.object({ nextToken: z.string().optional() }).optional(),
});

const metadataSchema = z.object({
  ApplicationId: z.string(),
  SubscriptionId: z.string(),
  PublishTime: dateTime,
  NotificationId: text,
});

/** The envelope every PascalCase notification shares, before its payload is read. */
export const notificationEnvelopeSchema = z.object({
  NotificationVersion: z.string(),
  NotificationType: text,
  PayloadVersion: z.string(),
  EventTime: dateTime,
  Payload: z.record(z.string(), z.unknown()),
  NotificationMetadata: metadataSchema,
});

/** `ORDER_CHANGE` (OrderChangeNotification.json, payload version 1.0). */
export const orderChangeSchema = z.object({
  OrderChangeNotification: z.object({
    NotificationLevel: z.enum(["OrderItemLevel", "OrderLevel"]),
    SellerId: z.string(),
    AmazonOrderId: text,
    OrderChangeType: z.enum(["BuyerRequestedChange", "DeliveryTipChange", "OrderStatusChange"]),
    OrderChangeTrigger: z.object({
      TimeOfOrderChange: dateTime.nullable(),
      ChangeReason: z.string(),
    }),
    Summary: z.object({
      MarketplaceId: z.string(),
      OrderStatus: orderStatusSchema,
      PurchaseDate: z.string().nullable(),
      DestinationPostalCode: z.string().nullable(),
      FulfillmentType: z.enum(["AFN", "MFN"]),
      OrderType: z.string(),
      OrderItems: z.array(
        z.object({
          OrderItemId: z.string(),
          SellerSKU: z.string(),
          SupplySourceId: z.string().nullable(),
          Quantity: units,
          QuantityShipped: units.optional(),
        }),
      ),
    }),
  }),
});
/** The payload of an `ORDER_CHANGE` notification. */
export type AmazonOrderChange = z.output<typeof orderChangeSchema>["OrderChangeNotification"];

/** `LISTINGS_ITEM_MFN_QUANTITY_CHANGE` (ListingsItemMfnQuantityChange.json). */
export const mfnQuantityChangeSchema = z.object({
  SellerId: z.string(),
  FulfillmentChannelCode: z.string(),
  Sku: text,
  Quantity: units,
});
