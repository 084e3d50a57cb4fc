import {
  type ChannelOrder,
  type ChannelOrderLine,
  OmnistockError,
  type OrderRead,
  type OrderSource,
  objectWithMethods,
  parseWith,
  type RoleCallOptions,
} from "@omnistock/core";
import { z } from "zod";
import type { BigCommerceClient } from "./client.js";
import type {
  BigCommerceOrderProductRecord,
  BigCommerceOrderRecord,
  BigCommerceShipmentRecord,
} from "./schemas.js";

/**
 * What a BigCommerce order status means for stock, by `status_id`: `undefined` for an order
 * that is not one yet (0 Incomplete) or a status Omnistock does not know.
 */
export const ORDER_STATUSES: Readonly<
  Record<number, ChannelOrder["status"] | "partially-refunded">
> = {
  1: "placed", // Pending
  3: "placed", // Partially Shipped: units are still committed
  7: "placed", // Awaiting Payment
  8: "placed", // Awaiting Pickup
  9: "placed", // Awaiting Shipment
  11: "placed", // Awaiting Fulfillment
  12: "placed", // Manual Verification Required
  13: "placed", // Disputed
  2: "fulfilled", // Shipped
  10: "fulfilled", // Completed
  4: "refunded", // Refunded
  14: "partially-refunded", // Partially Refunded
  5: "cancelled", // Cancelled
  6: "cancelled", // Declined
};

/** How BigCommerce orders become channel orders. */
export interface BigCommerceOrderMapping {
  /** The catalog channel the orders belong to. */
  readonly channelId: string;
  /**
   * Whether refunded units go back on the shelf: BigCommerce's store setting
   * `refund_order_stock_adjustment`.
   * @default true
   */
  readonly restockRefunds?: boolean;
  /**
   * The channel location online orders take stock from. BigCommerce does not say which
   * location an order decrements; leave it out to let the runtime route.
   * @default undefined
   */
  readonly channelLocationId?: string;
}

/**
 * The channel order a BigCommerce order reports now, or `undefined` when it reports nothing
 * for stock (an incomplete order, an unknown status, no line with a SKU).
 *
 * The event id is the order id and what it reports (`placed`, `cancelled`, `fulfilled` —
 * with the tracking number once there is one —, `refunded`, or for a partial refund the
 * units refunded so far), so the same change seen
 * by webhook and by polling, or twice, is one event; an edit that changes nothing for stock
 * keeps the id.
 *
 * @example
 * ```ts
 * const order = channelOrderOf(await client.order(120), await client.orderProducts(120), {
 *   channelId: "bigcommerce",
 * });
 * ```
 */
export function channelOrderOf(
  order: BigCommerceOrderRecord,
  products: readonly BigCommerceOrderProductRecord[],
  mapping: BigCommerceOrderMapping,
  shipments: readonly BigCommerceShipmentRecord[] = [],
): ChannelOrder | undefined {
  const meaning = ORDER_STATUSES[order.status_id];
  if (meaning === undefined) return undefined;
  const withSku = products.filter((p) => p.sku !== "" && p.quantity > 0);
  const restock = mapping.restockRefunds ?? true;
  let lines: ChannelOrderLine[];
  let change: string = meaning;
  if (meaning === "refunded") {
    lines = withSku.map((p) => ({ listingId: p.sku, quantity: p.quantity, restock }));
  } else if (meaning === "partially-refunded") {
    const refunded = withSku.filter((p) => (p.quantity_refunded ?? 0) > 0);
    lines = refunded.map((p) => ({
      listingId: p.sku,
      quantity: p.quantity_refunded ?? 0,
      restock,
    }));
    change = `refunded:${refunded.reduce((sum, p) => sum + (p.quantity_refunded ?? 0), 0)}`;
  } else {
    lines = withSku.map((p) => ({ listingId: p.sku, quantity: p.quantity }));
  }
  if (lines.length === 0) return undefined;
  const shipment = shipments.find((s) => s.tracking_number !== "");
  const company = shipment?.tracking_carrier || shipment?.shipping_provider || undefined;
  const tracking =
    meaning === "fulfilled" && shipment !== undefined
      ? { number: shipment.tracking_number, ...(company === undefined ? {} : { company }) }
      : undefined;
  // Tracking may come after the status: a report with it is a new report.
  if (tracking !== undefined) change = `fulfilled:${tracking.number}`;
  const orderId = String(order.id);
  return {
    eventId: `bigcommerce:${mapping.channelId}:order:${orderId}:${change}`,
    channelId: mapping.channelId,
    orderId,
    at: Date.parse(order.date_modified),
    status: meaning === "partially-refunded" ? "refunded" : meaning,
    lines,
    ...(mapping.channelLocationId === undefined
      ? {}
      : { channelLocationId: mapping.channelLocationId }),
    ...(tracking === undefined ? {} : { tracking }),
  };
}

/**
 * Fetches what an order needs to become a channel order (its lines, and for a shipped one
 * its shipments) and maps it with {@link channelOrderOf}.
 */
export async function fetchChannelOrder(
  client: BigCommerceClient,
  order: BigCommerceOrderRecord,
  mapping: BigCommerceOrderMapping,
  call: RoleCallOptions = {},
): Promise<ChannelOrder | undefined> {
  const meaning = ORDER_STATUSES[order.status_id];
  if (meaning === undefined) return undefined;
  const [products, shipments] = await Promise.all([
    client.orderProducts(order.id, call),
    meaning === "fulfilled" ? client.orderShipments(order.id, call) : [],
  ]);
  return channelOrderOf(order, products, mapping, shipments);
}

/** Options of {@link createBigCommerceOrderSource}. */
export interface BigCommerceOrderSourceOptions extends BigCommerceOrderMapping {
  /** The store's client (see `createBigCommerceClient`). */
  readonly client: BigCommerceClient;
  /**
   * Where polling starts when there is no cursor yet (epoch ms).
   * @default every order of the store
   */
  readonly since?: number;
}

const optionsSchema = z.strictObject({
  client: objectWithMethods<BigCommerceClient>("a BigCommerce client", ["ordersModifiedSince"]),
  channelId: z.string().min(1),
  restockRefunds: z.boolean().optional(),
  channelLocationId: z.string().min(1).optional(),
  since: z.number().int().nonnegative().optional(),
});

/**
 * BigCommerce as an order source: the orders modified since the cursor
 * (`GET /v2/orders?min_date_modified=`, every page; 204 is none), each with its lines
 * (`/v2/orders/{id}/products`), as channel orders. Placed and awaiting orders are
 * `placed`; cancelled and declined ones `cancelled`; shipped and completed ones
 * `fulfilled`; refunded ones `refunded`, restocked as the store does.
 *
 * The cursor is the last `date_modified` seen (ISO 8601). BigCommerce dates have one-second
 * resolution, so the next poll starts at that second again, inclusive: orders changed in
 * it come back, with the same event ids, rather than being missed.
 *
 * @throws {@link OmnistockError} `VALIDATION` naming every unknown, missing or invalid option.
 * @example
 * ```ts
 * const orders = createBigCommerceOrderSource({ client, channelId: "bigcommerce" });
 * const { orders: changed, cursor } = await orders.ordersSince(storedCursor);
 * ```
 */
export function createBigCommerceOrderSource(options: BigCommerceOrderSourceOptions): OrderSource {
  parseWith(optionsSchema, options, "BigCommerce order source options", {
    platform: "bigcommerce",
  });
  const { client } = options;
  return {
    platform: "bigcommerce",
    channelId: options.channelId,
    async ordersSince(cursor: string | undefined, call: RoleCallOptions = {}): Promise<OrderRead> {
      const from = cursor === undefined ? options.since : Date.parse(cursor);
      if (from !== undefined && Number.isNaN(from)) {
        throw new OmnistockError("VALIDATION", `Invalid BigCommerce order cursor "${cursor}"`, {
          platform: "bigcommerce",
          issues: [{ path: ["cursor"], message: "expected an ISO 8601 date" }],
        });
      }
      const changed = await client.ordersModifiedSince(
        from === undefined ? undefined : new Date(from),
        call,
      );
      let last = from;
      for (const order of changed) {
        const modified = Date.parse(order.date_modified);
        if (last === undefined || modified > last) last = modified;
      }
      // The lines are fetched side by side, as many at once as the client sends.
      const mapped = await Promise.all(
        changed.map((order) => fetchChannelOrder(client, order, options, call)),
      );
      const orders = mapped.filter((order): order is ChannelOrder => order !== undefined);
      // No order yet and no start: the epoch, which means every order, as no cursor does.
      return { orders, cursor: new Date(last ?? 0).toISOString() };
    },
  };
}
