import { z } from "zod";

/**
 * The payloads the adapter reads from Lightspeed X-Series, as zod schemas: extra fields
 * are tolerated (Lightspeed adds fields over time); a missing or invalid required field
 * is a `VALIDATION` error that names its path.
 */

const id = z.string().min(1);

/**
 * The largest number of units, either way, that Omnistock takes from Lightspeed for one
 * product at one outlet or one sale line: 1,000,000,000.
 *
 * Why: the 0.9 description types a level as a 32-bit integer; a bound well inside that
 * keeps every sum of levels and sales an exact integer, so a wild value (`1e20`) is refused
 * instead of rounding real units away.
 */
export const LIGHTSPEED_MAX_QUANTITY = 1_000_000_000;

const QUANTITY_MESSAGE = `expected a whole number of units from -${LIGHTSPEED_MAX_QUANTITY} to ${LIGHTSPEED_MAX_QUANTITY}`;

/** A number of units as a JSON number: a safe integer within {@link LIGHTSPEED_MAX_QUANTITY}. */
export const quantitySchema = z
  .number({ error: QUANTITY_MESSAGE })
  .refine((n) => Number.isSafeInteger(n) && Math.abs(n) <= LIGHTSPEED_MAX_QUANTITY, {
    error: QUANTITY_MESSAGE,
  })
  // -0 is 0.
  .transform((n) => (n === 0 ? 0 : n));

/**
 * A number of units in an API 1.0 object (webhook payloads): a JSON number, or the decimal
 * string the 1.0 and 0.9 objects carry (`"5"`, `"11.00000"`), never hex, an exponent,
 * `null`, a boolean or an empty string.
 */
export const legacyQuantitySchema = z
  .union([quantitySchema, z.string().regex(/^-?\d{1,10}(\.0+)?$/)], { error: QUANTITY_MESSAGE })
  .transform((value) => (typeof value === "string" ? Number(value) : value))
  .pipe(quantitySchema);

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
  inventory_level: quantitySchema,
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
  line_items: z.array(z.object({ product_id: id, quantity: quantitySchema })).optional(),
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
  count: legacyQuantitySchema,
  version: z.number().int().optional(),
});

/** `sale.update` webhook payload. */
export const saleWebhookSchema = saleSchema;

/** `product.update` webhook payload. */
export const productWebhookSchema = productSchema;
