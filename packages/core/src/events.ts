import { z } from "zod";
import type { ChannelOrder } from "./roles.js";
import { parseWith } from "./validation.js";

/**
 * The bound of every quantity an event or a channel order carries: one billion units.
 *
 * Why: quantities come from outside (webhooks, polls, adapters), and a value no shop
 * holds (1e20, a fraction, NaN) would otherwise be summed into positions. The bounds:
 * - units moved by a line, a hold or an order line: a whole number from 1 to 1e9;
 * - a delta (`stock.adjusted`) and a counted level (`stock.counted`): a whole number from
 *   −1e9 to 1e9 (a point of sale that oversold counts below zero);
 * - safety stock: a whole number from 0 to 1e9.
 *
 * `-0` is read as `0`.
 */
export const MAX_EVENT_QUANTITY = 1_000_000_000;

const id = z.string().min(1);
const sku = z.string().min(1);
const plusZero = (value: number) => value + 0;
/** Units moved: 1 to {@link MAX_EVENT_QUANTITY}. */
const quantity = z.number().int().min(1).max(MAX_EVENT_QUANTITY);
/** A delta or a counted level: −{@link MAX_EVENT_QUANTITY} to {@link MAX_EVENT_QUANTITY}. */
const signedQuantity = z
  .number()
  .int()
  .min(-MAX_EVENT_QUANTITY)
  .max(MAX_EVENT_QUANTITY)
  .overwrite(plusZero);
/** A level that cannot be negative: 0 to {@link MAX_EVENT_QUANTITY}. */
const level = z.number().int().min(0).max(MAX_EVENT_QUANTITY).overwrite(plusZero);
const at = z.number().int().nonnegative();

const base = {
  /** Stable id from the event's source (a webhook delivery id, a sale id plus line...). */
  id,
  /** When it happened at the source, in epoch milliseconds. */
  at,
};

const stockLine = z.strictObject({ sku, quantity });
const locatedLine = z.strictObject({ sku, locationId: id, quantity });

/** A sale rung up at the POS. `orderRef` names the channel order it records, if any. */
const posSale = z.strictObject({
  ...base,
  type: z.literal("pos.sale"),
  locationId: id,
  lines: z.array(stockLine).min(1),
  orderRef: id.optional(),
});

/** A return at the POS; restocked units are sellable again, the rest unsellable. */
const posReturn = z.strictObject({
  ...base,
  type: z.literal("pos.return"),
  locationId: id,
  lines: z.array(z.strictObject({ sku, quantity, restock: z.boolean() })).min(1),
});

/** A manual change of one bucket by a signed delta (at most {@link MAX_EVENT_QUANTITY} either way). */
const adjusted = z.strictObject({
  ...base,
  type: z.literal("stock.adjusted"),
  locationId: id,
  sku,
  delta: signedQuantity,
  bucket: z.enum(["onHand", "unsellable", "incoming"]),
  reason: z.string().optional(),
});

/**
 * An absolute observation of on hand at a time (and version, where the source has one),
 * from −{@link MAX_EVENT_QUANTITY} to {@link MAX_EVENT_QUANTITY}.
 */
const counted = z.strictObject({
  ...base,
  type: z.literal("stock.counted"),
  locationId: id,
  sku,
  onHand: signedQuantity,
  version: z.number().int().nonnegative().optional(),
});

/** Goods received into a location, e.g. from a supplier. */
const received = z.strictObject({
  ...base,
  type: z.literal("stock.received"),
  locationId: id,
  lines: z.array(stockLine).min(1),
  /** Whether the units had been announced as incoming (the incoming count goes down). */
  wasIncoming: z.boolean().default(false),
});

const transfer = {
  ...base,
  transferId: id,
  fromLocationId: id,
  toLocationId: id,
  lines: z.array(stockLine).min(1),
};

/** Units left one location for another: on hand down there, incoming up here. */
const transferSent = z.strictObject({ ...transfer, type: z.literal("transfer.sent") });
/** Units of a transfer arrived: incoming down, on hand up at the destination. */
const transferReceived = z.strictObject({ ...transfer, type: z.literal("transfer.received") });

const order = {
  ...base,
  channelId: id,
  orderId: id,
  lines: z.array(locatedLine).min(1),
};

/** A channel accepted an order: its units are committed at the routed locations. */
const orderPlaced = z.strictObject({ ...order, type: z.literal("order.placed") });
/** A channel order was cancelled before the POS recorded it: the commitment is released. */
const orderCancelled = z.strictObject({ ...order, type: z.literal("order.cancelled") });
/** A channel order shipped: carries tracking; counts do not move (the POS sale did that). */
const orderFulfilled = z.strictObject({
  ...order,
  type: z.literal("order.fulfilled"),
  tracking: z.strictObject({ company: z.string().optional(), number: z.string() }).optional(),
});
/** A channel order was refunded: any commitment still open for those units is released. */
const orderRefunded = z.strictObject({
  ...order,
  type: z.literal("order.refunded"),
  lines: z.array(z.strictObject({ sku, locationId: id, quantity, restock: z.boolean() })).min(1),
});

/** Units held for a customer until a time (click and collect, a cart hold). */
const reserved = z.strictObject({
  ...base,
  type: z.literal("stock.reserved"),
  reservationId: id,
  locationId: id,
  sku,
  quantity,
  expiresAt: at,
});

/** A hold ended before or at its expiry. */
const reservationEnded = z.strictObject({
  ...base,
  type: z.enum(["reservation.released", "reservation.expired"]),
  reservationId: id,
  locationId: id,
  sku,
});

/** The safety stock kept back at a location for one SKU, set absolutely. */
const safetyStockSet = z.strictObject({
  ...base,
  type: z.literal("safety-stock.set"),
  locationId: id,
  sku,
  quantity: level,
});

/**
 * Zod schema of every {@link StockEvent}. Quantities are bounded as
 * {@link MAX_EVENT_QUANTITY} says; unknown keys are refused.
 */
export const stockEventSchema = z.discriminatedUnion("type", [
  posSale,
  posReturn,
  adjusted,
  counted,
  received,
  transferSent,
  transferReceived,
  orderPlaced,
  orderCancelled,
  orderFulfilled,
  orderRefunded,
  reserved,
  reservationEnded,
  safetyStockSet,
]);

/**
 * Something that happened to stock, from the POS or a channel. Every event carries a
 * stable `id` from its source and the time `at` it happened (epoch ms); the ledger uses
 * the id to apply each event once and the time to order counts against deltas.
 */
export type StockEvent = z.output<typeof stockEventSchema>;
/** The `type` of a {@link StockEvent}. */
export type StockEventType = StockEvent["type"];
/** The event of one `type`. */
export type StockEventOf<T extends StockEventType> = Extract<StockEvent, { type: T }>;
/** What callers may pass to {@link parseStockEvent} (defaults not yet filled). */
export type StockEventInput = z.input<typeof stockEventSchema>;

/**
 * Validates an event from outside and returns it typed.
 *
 * @throws {@link OmnistockError} `VALIDATION`, naming each field at fault.
 * @example
 * ```ts
 * const sale = parseStockEvent({ type: "pos.sale", id: "sale-1", at: Date.now(),
 *   locationId: "main-street", lines: [{ sku: "MUG-RED", quantity: 1 }] });
 * ```
 */
export function parseStockEvent(input: unknown): StockEvent {
  return parseWith(stockEventSchema, input, "stock event");
}

const stockEventsSchema = z.array(stockEventSchema);

/**
 * Validates a list of events from one source (a webhook's, a poll's, a snapshot's) and
 * returns them typed: what the sync runtime checks every adapter's output with before it
 * applies anything. Valid events come back as they were (defaults filled, `-0` read as 0).
 *
 * @param source - Where the events came from, for the message and `details.source`
 *   (`"Lightspeed webhook"`, `"lightspeed poll"`).
 * @throws {@link OmnistockError} `VALIDATION`, whose `issues` name each field at fault
 *   with its index in the list (`[3, "lines", 0, "quantity"]`).
 * @example
 * ```ts
 * const events = parseStockEvents(read.events, "lightspeed poll");
 * ```
 */
export function parseStockEvents(input: unknown, source: string): StockEvent[] {
  return parseWith(stockEventsSchema, input, `stock events from ${source}`, {
    details: { source },
  });
}

/** Zod schema of one line of a {@link ChannelOrder}. */
const channelOrderLine = z.looseObject({
  listingId: id,
  quantity,
  restock: z.boolean().exactOptional(),
});

/**
 * Zod schema of a {@link ChannelOrder} as an order source or a webhook receiver reports
 * it: ids not empty, a known status, line quantities from 1 to
 * {@link MAX_EVENT_QUANTITY}. Fields it does not know are kept as they are, so an
 * adapter newer than this schema loses nothing.
 */
export const channelOrderSchema = z.looseObject({
  eventId: id,
  channelId: id,
  orderId: id,
  at,
  status: z.enum(["placed", "cancelled", "fulfilled", "refunded"]),
  lines: z.array(channelOrderLine),
  channelLocationId: id.exactOptional(),
  fulfilledByChannel: z.boolean().exactOptional(),
  tracking: z
    .looseObject({ company: z.string().exactOptional(), number: z.string() })
    .exactOptional(),
}) satisfies z.ZodType<ChannelOrder>;

const channelOrdersSchema = z.array(channelOrderSchema);

/**
 * Validates a list of channel orders from one source and returns them typed: the
 * counterpart of {@link parseStockEvents} for order sources and webhook receivers.
 *
 * @param source - Where the orders came from, for the message and `details.source`.
 * @throws {@link OmnistockError} `VALIDATION`, whose `issues` name each field at fault
 *   with its index in the list (`[0, "lines", 1, "quantity"]`).
 * @example
 * ```ts
 * const orders = parseChannelOrders(read.orders, "shopify-eu orders");
 * ```
 */
export function parseChannelOrders(input: unknown, source: string): ChannelOrder[] {
  return parseWith(channelOrdersSchema, input, `channel orders from ${source}`, {
    details: { source },
  });
}
