import { z } from "zod";

/**
 * The answers and webhook payloads the adapter reads from Shopify, as zod schemas: extra
 * fields are tolerated (Shopify adds fields every quarter); a missing or invalid required
 * field is a `VALIDATION` error that names its path.
 */

const gid = z.string().min(1);

/**
 * The largest quantity Shopify keeps: its inventory mutations refuse more than a billion
 * units (`INVALID_QUANTITY_TOO_HIGH`) or less than minus a billion (`INVALID_QUANTITY_TOO_LOW`).
 * A quantity beyond it is a broken payload, never stock. It is also Omnistock's own bound
 * on a quantity (core's `MAX_EVENT_QUANTITY`).
 */
export const SHOPIFY_MAX_QUANTITY = 1_000_000_000;

// Quantities are integers in Shopify's schema and payloads, never strings. A level may be
// negative (Shopify sells below zero where a variant allows it); units sold or refunded not.
const level = z.number().int().min(-SHOPIFY_MAX_QUANTITY).max(SHOPIFY_MAX_QUANTITY);
const units = z.number().int().min(0).max(SHOPIFY_MAX_QUANTITY);
const dateTime = z.string().refine((value) => !Number.isNaN(Date.parse(value)), {
  error: "expected an ISO 8601 date-time",
});

/** A GraphQL error as Shopify reports it (`extensions.code`: `THROTTLED`, `ACCESS_DENIED`, …). */
export const graphqlErrorSchema = z.object({
  message: z.string(),
  path: z.array(z.union([z.string(), z.number()])).optional(),
  extensions: z.object({ code: z.string().optional() }).optional(),
});

/** The envelope of every GraphQL answer: `data`, `errors`, `extensions.cost`. */
export const envelopeSchema = z.object({
  data: z.unknown().optional(),
  errors: z.array(graphqlErrorSchema).optional(),
});

/** A connection's `pageInfo`. */
export const pageInfoSchema = z.object({
  hasNextPage: z.boolean(),
  endCursor: z.string().nullable(),
});

/** One page of `item`. */
export const connectionSchema = <T extends z.ZodType>(item: T) =>
  z.object({ nodes: z.array(item), pageInfo: pageInfoSchema });

/** A `userErrors` entry of an inventory mutation. */
export const userErrorSchema = z.object({
  code: z.string().nullable().optional(),
  field: z.array(z.string()).nullable().optional(),
  message: z.string(),
});
/** A `userErrors` entry of an inventory mutation. */
export type ShopifyUserError = z.output<typeof userErrorSchema>;

/** The answer of `inventorySetQuantities`. */
export const setQuantitiesAnswerSchema = z.object({
  inventorySetQuantities: z.object({ userErrors: z.array(userErrorSchema) }),
});

/** The answer of `inventoryActivate`. */
export const activateAnswerSchema = z.object({
  inventoryActivate: z.object({
    inventoryLevel: z.object({ quantities: z.array(z.object({ quantity: level })) }).nullable(),
    userErrors: z.array(userErrorSchema),
  }),
});

/** A product variant with its inventory item. */
export const variantSchema = z.object({
  id: gid,
  sku: z.string().nullable(),
  inventoryItem: z.object({ id: gid, tracked: z.boolean() }),
});
/** A product variant with its inventory item. */
export type ShopifyVariantRecord = z.output<typeof variantSchema>;

/** The answer of a `productVariants` page. */
export const variantsAnswerSchema = z.object({ productVariants: connectionSchema(variantSchema) });

/** The answer of `productVariant(id:)`. */
export const variantAnswerSchema = z.object({ productVariant: variantSchema.nullable() });

/** The answer of `inventoryItem(id:)`. */
export const inventoryItemAnswerSchema = z.object({
  inventoryItem: z.object({ id: gid, sku: z.string().nullable() }).nullable(),
});

/** A location. */
export const locationSchema = z.object({ id: gid, name: z.string(), isActive: z.boolean() });
/** A location. */
export type ShopifyLocationRecord = z.output<typeof locationSchema>;

/** The answer of a `locations` page. */
export const locationsAnswerSchema = z.object({ locations: connectionSchema(locationSchema) });

const availableSchema = z.array(z.object({ quantity: level })).min(1);

/** The answer of a `location.inventoryLevels` page. */
export const locationLevelsAnswerSchema = z.object({
  location: z
    .object({
      inventoryLevels: connectionSchema(
        z.object({
          item: z.object({ id: gid, sku: z.string().nullable() }),
          quantities: availableSchema,
        }),
      ),
    })
    .nullable(),
});

/** One aliased `inventoryItem.inventoryLevel` of a levels read (`null`: not stocked there). */
export const itemLevelSchema = z
  .object({ inventoryLevel: z.object({ quantities: availableSchema }).nullable() })
  .nullable();

const lineItemSchema = z.object({
  id: gid,
  sku: z.string().nullable(),
  quantity: units,
  variant: z.object({ id: gid }).nullable(),
});
/** An order's line item. */
export type ShopifyLineItemRecord = z.output<typeof lineItemSchema>;

const refundLineSchema = z.object({
  quantity: units,
  restockType: z.enum(["RETURN", "CANCEL", "LEGACY_RESTOCK", "NO_RESTOCK"]),
  location: z.object({ id: gid }).nullable(),
  lineItem: lineItemSchema,
});
/** A refund's line item. */
export type ShopifyRefundLineRecord = z.output<typeof refundLineSchema>;

/** The page of line items of one order. */
export const lineItemsSchema = connectionSchema(lineItemSchema);
/** The page of line items of one refund. */
export const refundLinesSchema = connectionSchema(refundLineSchema);

/** An order as the adapter polls it. */
export const orderSchema = z.object({
  id: gid,
  createdAt: dateTime,
  updatedAt: dateTime,
  cancelledAt: dateTime.nullable(),
  displayFulfillmentStatus: z.string(),
  retailLocation: z.object({ id: gid }).nullable(),
  lineItems: lineItemsSchema,
  refunds: z.array(
    z.object({ id: gid, createdAt: dateTime.nullable(), refundLineItems: refundLinesSchema }),
  ),
});
/** An order as the adapter polls it. */
export type ShopifyOrderRecord = z.output<typeof orderSchema>;

/** The answer of an `orders` page. */
export const ordersAnswerSchema = z.object({ orders: connectionSchema(orderSchema) });

/** The answer of the rest of an order's line items. */
export const orderLinesAnswerSchema = z.object({
  order: z.object({ lineItems: lineItemsSchema }).nullable(),
});

/** The answer of the rest of a refund's line items. */
export const refundLinesAnswerSchema = z.object({
  refund: z.object({ refundLineItems: refundLinesSchema }).nullable(),
});

/**
 * A REST id of a webhook payload, as text. Shopify's ids are 64-bit: webhook bodies are
 * parsed so that an id keeps its digits as text (`"820982911946154508"`); a safe integer
 * number (a body parsed elsewhere) is taken too. A number beyond 2^53 has lost digits
 * already and is refused.
 */
const legacyId = z
  .union([
    z.string().regex(/^[1-9]\d{0,19}$/, { error: "expected a positive whole number" }),
    z.number().int().positive(),
  ])
  .transform(String);

const webhookLineSchema = z.object({
  id: legacyId,
  variant_id: legacyId.nullable().optional(),
  sku: z.string().nullable().optional(),
  quantity: units,
});

/** The order of `orders/create`, `orders/cancelled` and `orders/fulfilled` (REST-shaped). */
export const orderWebhookSchema = z.object({
  id: legacyId,
  created_at: dateTime,
  updated_at: dateTime,
  cancelled_at: dateTime.nullable().optional(),
  location_id: legacyId.nullable().optional(),
  line_items: z.array(webhookLineSchema),
  fulfillments: z
    .array(
      z.object({
        tracking_company: z.string().nullable().optional(),
        tracking_number: z.string().nullable().optional(),
      }),
    )
    .optional(),
});

/** The refund of `refunds/create` (REST-shaped). */
export const refundWebhookSchema = z.object({
  id: legacyId,
  order_id: legacyId,
  created_at: dateTime,
  refund_line_items: z.array(
    z.object({
      quantity: units,
      restock_type: z.enum(["no_restock", "cancel", "return", "legacy_restock"]),
      location_id: legacyId.nullable().optional(),
      line_item: z.object({
        variant_id: legacyId.nullable().optional(),
        sku: z.string().nullable().optional(),
      }),
    }),
  ),
});

/** The level of `inventory_levels/update` (`available` may be `null`). */
export const inventoryLevelWebhookSchema = z.object({
  inventory_item_id: legacyId,
  location_id: legacyId,
  available: level.nullable(),
  updated_at: dateTime,
});
