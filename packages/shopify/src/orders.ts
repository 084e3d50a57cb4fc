import type {
  ChannelOrder,
  ChannelOrderLine,
  OrderRead,
  OrderSource,
  RoleCallOptions,
} from "@omnistock/core";
import { functionOption, objectWithMethods, parseWith, validationError } from "@omnistock/core";
import { z } from "zod";
import type { ShopifyClient } from "./client.js";
import { legacyId, shopifyGid } from "./ids.js";
import { createShopifyMapping, type ShopifyMapping } from "./mapping.js";
import type { ShopifyOrderRecord } from "./schemas.js";

/** One line of an order or refund, as webhooks and polling both report it. */
export interface ShopifyLineFacts {
  /** The variant (gid or numeric id); `undefined` for a custom line with no inventory. */
  readonly variantId: string | undefined;
  readonly sku: string | null | undefined;
  readonly quantity: number;
  /** For refunds: whether the units go back on the shelf. */
  readonly restock?: boolean;
  /** For refunds: where they go back. */
  readonly locationId?: string | undefined;
}

/** An order, as webhooks and polling both report it. */
export interface ShopifyOrderFacts {
  /** The numeric order id. */
  readonly orderId: string;
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly cancelledAt: number | undefined;
  /** The Shopify location the order was placed at (point of sale), if any. */
  readonly locationId: string | undefined;
  readonly lines: readonly ShopifyLineFacts[];
  /** The shipment's tracking, where a fulfilment carries it. */
  readonly tracking?: { readonly company?: string; readonly number: string };
}

/** A refund, as webhooks and polling both report it. */
export interface ShopifyRefundFacts {
  readonly refundId: string;
  readonly orderId: string;
  readonly createdAt: number;
  readonly lines: readonly ShopifyLineFacts[];
}

/** What turns Shopify's lines into a channel's listings. */
export interface ShopifyOrderContext {
  readonly channelId: string;
  /** Without one, a line's listing is its SKU. */
  readonly mapping?: ShopifyMapping;
  readonly signal?: AbortSignal;
}

async function linesOf(
  lines: readonly ShopifyLineFacts[],
  context: ShopifyOrderContext,
): Promise<ChannelOrderLine[]> {
  const out: ChannelOrderLine[] = [];
  const call = context.signal === undefined ? {} : { signal: context.signal };
  for (const line of lines) {
    // A custom line (no variant) holds no inventory.
    if (line.variantId === undefined || line.quantity <= 0) continue;
    const listingId =
      context.mapping === undefined
        ? (line.sku ?? undefined)
        : await context.mapping.listingOfVariant(line.variantId, line.sku, call);
    if (listingId === undefined || listingId === "") continue;
    out.push({
      listingId,
      quantity: line.quantity,
      ...(line.restock === undefined ? {} : { restock: line.restock }),
    });
  }
  return out;
}

/** The event id of one report of an order: the same by webhook and by polling. */
export function shopifyOrderEventId(
  channelId: string,
  orderId: string,
  change: "placed" | "cancelled" | "fulfilled" | `refund:${string}`,
): string {
  return `${channelId}:order:${legacyId(orderId)}:${change}`;
}

/**
 * The channel order of one change to a Shopify order: `placed`, `cancelled` or
 * `fulfilled`, with its lines resolved to listings. `undefined` when no line holds
 * inventory.
 */
export async function shopifyOrderReport(
  order: ShopifyOrderFacts,
  status: "placed" | "cancelled" | "fulfilled",
  context: ShopifyOrderContext,
): Promise<ChannelOrder | undefined> {
  const lines = await linesOf(order.lines, context);
  if (lines.length === 0) return undefined;
  const channelLocationId =
    order.locationId === undefined ? undefined : locationOf(order.locationId, context);
  const at =
    status === "placed"
      ? order.createdAt
      : status === "cancelled"
        ? (order.cancelledAt ?? order.updatedAt)
        : order.updatedAt;
  return {
    eventId: shopifyOrderEventId(context.channelId, order.orderId, status),
    channelId: context.channelId,
    orderId: legacyId(order.orderId),
    at,
    status,
    lines,
    ...(channelLocationId === undefined ? {} : { channelLocationId }),
    ...(status === "fulfilled" && order.tracking !== undefined ? { tracking: order.tracking } : {}),
  };
}

/**
 * The channel order of one refund, `refunded`, each line saying whether it was restocked;
 * the location is the one the first restocked line went back to. `undefined` when no line
 * holds inventory.
 */
export async function shopifyRefundReport(
  refund: ShopifyRefundFacts,
  context: ShopifyOrderContext,
): Promise<ChannelOrder | undefined> {
  const lines = await linesOf(refund.lines, context);
  if (lines.length === 0) return undefined;
  const back = refund.lines.find((l) => l.restock === true && l.locationId !== undefined);
  const channelLocationId =
    back?.locationId === undefined ? undefined : locationOf(back.locationId, context);
  return {
    eventId: shopifyOrderEventId(
      context.channelId,
      refund.orderId,
      `refund:${legacyId(refund.refundId)}`,
    ),
    channelId: context.channelId,
    orderId: legacyId(refund.orderId),
    at: refund.createdAt,
    status: "refunded",
    lines,
    ...(channelLocationId === undefined ? {} : { channelLocationId }),
  };
}

function locationOf(locationId: string, context: ShopifyOrderContext): string | undefined {
  const gid = shopifyGid("Location", locationId);
  return context.mapping === undefined ? gid : context.mapping.channelLocationOf(gid);
}

/** Options of {@link createShopifyOrderSource}. */
export interface ShopifyOrderSourceOptions {
  readonly client: ShopifyClient;
  /** The catalog channel this shop is. */
  readonly channelId: string;
  /**
   * Resolves order lines (variants) to listings and locations to channel locations.
   * @default discovery through `client`
   */
  readonly mapping?: ShopifyMapping;
  /**
   * Where the first poll (no cursor) starts, in epoch milliseconds.
   * @default a day before now
   */
  readonly startAt?: number;
  /**
   * The most orders one `ordersSince` reads; the cursor it returns continues from there.
   * @default 200
   */
  readonly maxOrders?: number;
  /** @default Date.now */
  readonly clock?: () => number;
}

const optionsSchema = z.strictObject({
  client: objectWithMethods<ShopifyClient>("a ShopifyClient", ["orders"]),
  channelId: z.string().min(1),
  mapping: z
    .custom<ShopifyMapping>(
      (value) => typeof value === "object" && value !== null && "listingOfVariant" in value,
      { error: "expected a ShopifyMapping" },
    )
    .optional(),
  startAt: z.number().finite().optional(),
  maxOrders: z.number().int().positive().optional(),
  clock: functionOption.optional(),
});

const DAY_MS = 86_400_000;

/** Where polling stands: the last update time read, and the orders read at that very time. */
interface Cursor {
  readonly at: number;
  readonly ids: readonly string[];
}

function formatCursor(cursor: Cursor): string {
  return `${new Date(cursor.at).toISOString()}~${cursor.ids.join(",")}`;
}

function parseCursor(text: string): Cursor {
  const [time = "", ids = ""] = text.split("~");
  const at = Date.parse(time);
  if (Number.isNaN(at) || !/^(\d+(,\d+)*)?$/.test(ids)) {
    throw validationError(
      "Shopify order cursor",
      [{ path: ["cursor"], message: `"${text}" is not a cursor this source returned` }],
      { platform: "shopify" },
    );
  }
  return { at, ids: ids === "" ? [] : ids.split(",") };
}

/**
 * Shopify as a source of orders, by polling — the backstop for lost webhooks: orders
 * updated since the cursor (`orders(query: "updated_at:>=…", sortKey: UPDATED_AT)`, paged),
 * each reported as the changes it shows — placed, cancelled, fulfilled, and one `refunded`
 * per refund with its restocked lines — under the same event ids as the webhooks, so the
 * runtime takes each change once. The cursor is the last update time read with the ids
 * of the orders read at that time, so that orders updated in the same second are neither
 * lost nor read twice.
 *
 * @throws {@link OmnistockError} `VALIDATION` for bad options, or for a cursor this source
 *   did not return.
 * @example
 * ```ts
 * const orders = createShopifyOrderSource({ client, channelId: "shopify-eu" });
 * const { orders: changes, cursor } = await orders.ordersSince(undefined);
 * ```
 */
export function createShopifyOrderSource(options: ShopifyOrderSourceOptions): OrderSource {
  parseWith(optionsSchema, options, "Shopify order source options", { platform: "shopify" });
  const { client, channelId } = options;
  const mapping = options.mapping ?? createShopifyMapping({ client });
  const clock = options.clock ?? Date.now;
  const maxOrders = options.maxOrders ?? 200;

  async function reports(
    order: ShopifyOrderRecord,
    call: RoleCallOptions | undefined,
  ): Promise<ChannelOrder[]> {
    const context = {
      channelId,
      mapping,
      ...(call?.signal === undefined ? {} : { signal: call.signal }),
    };
    const lineItems = [...order.lineItems.nodes];
    if (order.lineItems.pageInfo.hasNextPage && order.lineItems.pageInfo.endCursor !== null) {
      lineItems.push(
        ...(await client.orderLines(order.id, order.lineItems.pageInfo.endCursor, call)),
      );
    }
    const facts: ShopifyOrderFacts = {
      orderId: order.id,
      createdAt: Date.parse(order.createdAt),
      updatedAt: Date.parse(order.updatedAt),
      cancelledAt: order.cancelledAt === null ? undefined : Date.parse(order.cancelledAt),
      locationId: order.retailLocation?.id,
      lines: lineItems.map((l) => ({ variantId: l.variant?.id, sku: l.sku, quantity: l.quantity })),
    };
    const out: (ChannelOrder | undefined)[] = [await shopifyOrderReport(facts, "placed", context)];
    if (facts.cancelledAt !== undefined)
      out.push(await shopifyOrderReport(facts, "cancelled", context));
    if (order.displayFulfillmentStatus === "FULFILLED")
      out.push(await shopifyOrderReport(facts, "fulfilled", context));
    for (const refund of order.refunds) {
      const refundLines = [...refund.refundLineItems.nodes];
      const more = refund.refundLineItems.pageInfo;
      if (more.hasNextPage && more.endCursor !== null)
        refundLines.push(...(await client.refundLines(refund.id, more.endCursor, call)));
      out.push(
        await shopifyRefundReport(
          {
            refundId: refund.id,
            orderId: order.id,
            createdAt: refund.createdAt === null ? facts.updatedAt : Date.parse(refund.createdAt),
            lines: refundLines.map((l) => ({
              variantId: l.lineItem.variant?.id,
              sku: l.lineItem.sku,
              quantity: l.quantity,
              restock: l.restockType !== "NO_RESTOCK",
              locationId: l.location?.id,
            })),
          },
          context,
        ),
      );
    }
    return out.filter((o): o is ChannelOrder => o !== undefined);
  }

  return {
    platform: "shopify",
    channelId,
    async ordersSince(cursor, call): Promise<OrderRead> {
      const from: Cursor =
        cursor === undefined
          ? { at: options.startAt ?? clock() - DAY_MS, ids: [] }
          : parseCursor(cursor);
      const query = `updated_at:>='${new Date(from.at).toISOString()}'`;
      const orders: ChannelOrder[] = [];
      let last = from;
      let read = 0;
      let after: string | undefined;
      do {
        const page = await client.orders(query, after, call);
        for (const order of page.orders) {
          const updatedAt = Date.parse(order.updatedAt);
          const id = legacyId(order.id);
          if (updatedAt < from.at || (updatedAt === from.at && from.ids.includes(id))) continue;
          orders.push(...(await reports(order, call)));
          last =
            updatedAt === last.at
              ? { at: updatedAt, ids: [...last.ids, id] }
              : { at: updatedAt, ids: [id] };
          read++;
        }
        after = page.endCursor;
      } while (after !== undefined && read < maxOrders);
      return { orders, cursor: formatCursor(last) };
    },
  };
}
