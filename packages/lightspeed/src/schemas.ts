import { z } from "zod";

/**
 * The payloads the adapter reads from Lightspeed X-Series, as zod schemas: extra fields
 * are tolerated (Lightspeed adds fields over time); a missing or invalid required field
 * is a `VALIDATION` error that names its path.
 */

const id = z.string().min(1);

/** The `version` range of a 2.0 collection page. */
export const versionRangeSchema = z.object({
  min: z.number().int().nullable(),
  max: z.number().int().nullable(),
});

/** A 2.0 collection page of `item`. */
export const collectionSchema = <T extends z.ZodType>(item: T) =>
  z.object({ data: z.array(item), version: versionRangeSchema.optional() });

export const outletSchema = z.object({
  id,
  name: z.string(),
  version: z.number().int().optional(),
});
export type LightspeedOutletRecord = z.output<typeof outletSchema>;

export const registerSchema = z.object({ id, outlet_id: id });

export const productSchema = z.object({
  id,
  sku: z.string().nullable().optional(),
  name: z.string().optional(),
  has_inventory: z.boolean().optional(),
  is_composite: z.boolean().optional(),
  version: z.number().int().optional(),
});
export type LightspeedProductRecord = z.output<typeof productSchema>;

export const inventorySchema = z.object({
  product_id: id,
  outlet_id: id,
  inventory_level: z.number(),
  version: z.number().int().optional(),
});
export type LightspeedInventoryRecord = z.output<typeof inventorySchema>;

export const saleSchema = z.object({
  id,
  outlet_id: id,
  status: z.string(),
  source_id: z.string().nullable().optional(),
  sale_date: z.string().optional(),
  updated_at: z.string().nullable().optional(),
  line_items: z.array(z.object({ product_id: id, quantity: z.number() })).optional(),
  version: z.number().int().optional(),
});
export type LightspeedSaleRecord = z.output<typeof saleSchema>;

/** The answer of `POST /api/register_sales`. */
export const registerSaleAnswerSchema = z.object({ register_sale: saleSchema });

export const tokenSchema = z.object({
  access_token: z.string().min(1),
  refresh_token: z.string().min(1),
  expires_in: z.number().int().positive(),
});

/** `inventory.update` webhook payload (the API 1.0 inventory object). */
export const inventoryWebhookSchema = z.object({
  product_id: id,
  outlet_id: id,
  count: z.coerce.number(),
  version: z.number().int().optional(),
});

/** `sale.update` webhook payload. */
export const saleWebhookSchema = saleSchema;

/** `product.update` webhook payload. */
export const productWebhookSchema = productSchema;
