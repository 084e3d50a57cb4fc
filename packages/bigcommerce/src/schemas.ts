import { MAX_EVENT_QUANTITY } from "@omnistock/core";
import { z } from "zod";

/**
 * The payloads the adapter reads from BigCommerce, as zod schemas: extra fields are
 * tolerated (BigCommerce adds fields over time); a missing or invalid required field is a
 * `VALIDATION` error that names its path.
 */

const id = z.number().int().nonnegative();

/**
 * The largest quantity the adapter takes from BigCommerce: Omnistock's bound on any
 * quantity, core's `MAX_EVENT_QUANTITY` (one billion). BigCommerce documents levels up to
 * 2,147,483,647 (`MAX_QUANTITY`, what a publish may set), but a count beyond a billion
 * units of one SKU is a broken answer, not stock, and Omnistock could not record it.
 */
export const BIGCOMMERCE_MAX_QUANTITY = MAX_EVENT_QUANTITY;

// Quantities are integers in BigCommerce's API, never strings. Units ordered, shipped and
// refunded are not negative; a level may be (orders take units from on hand without a
// floor, and available to sell is on hand less safety stock).
const units = z.number().int().min(0).max(BIGCOMMERCE_MAX_QUANTITY);
const signedUnits = z.number().int().min(-BIGCOMMERCE_MAX_QUANTITY).max(BIGCOMMERCE_MAX_QUANTITY);

/** `meta.pagination` of a v3 collection. */
export const paginationSchema = z.object({
  total: z.number().int().nonnegative(),
  current_page: z.number().int().positive(),
  total_pages: z.number().int().nonnegative(),
});

/** A v3 collection page of `item`. */
export const pageSchema = <T extends z.ZodType>(item: T) =>
  z.object({ data: z.array(item), meta: z.object({ pagination: paginationSchema }) });

/** An inventory location (`GET /v3/inventory/locations`). */
export const locationSchema = z.object({
  id,
  code: z.string(),
  label: z.string(),
  enabled: z.boolean().optional(),
});
/** A BigCommerce inventory location. */
export type BigCommerceLocationRecord = z.output<typeof locationSchema>;

/** A catalog variant (`GET /v3/catalog/variants`), the base variant of a simple product included. */
export const variantSchema = z.object({
  id,
  product_id: id,
  sku: z.string(),
  sku_id: id.nullable().optional(),
});
/** A BigCommerce catalog variant. */
export type BigCommerceVariantRecord = z.output<typeof variantSchema>;

/** How a BigCommerce product tracks stock: by product, by variant, or not at all. */
export const inventoryTrackingSchema = z.enum(["none", "product", "variant"]);
/** How a BigCommerce product tracks stock. */
export type BigCommerceInventoryTracking = z.output<typeof inventoryTrackingSchema>;

/** A catalog product, only the fields the adapter reads (`GET /v3/catalog/products`). */
export const productSchema = z.object({ id, inventory_tracking: inventoryTrackingSchema });
/** A BigCommerce catalog product. */
export type BigCommerceProductRecord = z.output<typeof productSchema>;

/** One location of an inventory item (`GET /v3/inventory/items`). */
export const itemLocationSchema = z.object({
  location_id: id,
  total_inventory_onhand: signedUnits,
  available_to_sell: signedUnits.optional(),
});

/** An inventory item with its levels per location (`GET /v3/inventory/items`). */
export const inventoryItemSchema = z.object({
  identity: z.object({
    sku: z.string().nullable().optional(),
    variant_id: id.nullable().optional(),
    product_id: id.nullable().optional(),
  }),
  locations: z.array(itemLocationSchema),
});
/** A BigCommerce inventory item. */
export type BigCommerceInventoryItem = z.output<typeof inventoryItemSchema>;

/** The answer of an inventory adjustment: BigCommerce applies it later. */
export const transactionSchema = z.object({ transaction_id: z.string().min(1) });

/** A BigCommerce problem+json error body; `errors` names the fields at fault. */
export const problemSchema = z.object({
  status: z.number().int().optional(),
  title: z.string().optional(),
  errors: z.record(z.string(), z.unknown()).optional(),
});

const date = z.string().refine((value) => !Number.isNaN(Date.parse(value)), {
  error: "expected an RFC 2822 or ISO 8601 date",
});

/** A v2 order (`GET /v2/orders`, `/v2/orders/{id}`). */
export const orderSchema = z.object({
  id,
  status_id: z.number().int().nonnegative(),
  date_modified: date,
  date_created: date.optional(),
  channel_id: id.optional(),
  is_deleted: z.boolean().optional(),
});
/** A BigCommerce v2 order. */
export type BigCommerceOrderRecord = z.output<typeof orderSchema>;

/** A v2 order line (`GET /v2/orders/{id}/products`). */
export const orderProductSchema = z.object({
  id,
  order_id: id,
  product_id: id,
  variant_id: id.nullable().optional(),
  sku: z.string(),
  quantity: units,
  quantity_shipped: units.optional(),
  quantity_refunded: units.optional(),
});
/** A BigCommerce v2 order line. */
export type BigCommerceOrderProductRecord = z.output<typeof orderProductSchema>;

/** A shipment of an order (`GET /v2/orders/{id}/shipments`), only the tracking the adapter reads. */
export const shipmentSchema = z.object({
  id,
  tracking_number: z.string(),
  tracking_carrier: z.string().optional(),
  shipping_provider: z.string().optional(),
});
/** A BigCommerce order shipment. */
export type BigCommerceShipmentRecord = z.output<typeof shipmentSchema>;

/** The light body of every BigCommerce webhook: the resource is fetched afterwards. */
export const webhookBodySchema = z.object({
  scope: z.string().min(1),
  store_id: z.union([z.string(), z.number()]),
  data: z.record(z.string(), z.unknown()),
  hash: z.string().optional(),
  created_at: z.number().int().nonnegative(),
  producer: z.string(),
});

/** The `data` of a `store/order/*` webhook. */
export const orderWebhookDataSchema = z.object({ type: z.literal("order"), id });

/** The `data` of a `store/sku/inventory/*` webhook: a variant's stock changed somewhere. */
export const skuInventoryWebhookDataSchema = z.object({
  type: z.literal("sku"),
  inventory: z.object({ product_id: id, variant_id: id }),
});

/** The `data` of a `store/product/inventory/*` webhook: a product's stock changed somewhere. */
export const productInventoryWebhookDataSchema = z.object({
  type: z.literal("product"),
  inventory: z.object({ product_id: id }),
});

/** The `data` of a `store/shipment/*` webhook. */
export const shipmentWebhookDataSchema = z.object({ type: z.literal("shipment"), id, orderId: id });
