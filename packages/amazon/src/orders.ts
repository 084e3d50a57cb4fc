import {
  type ChannelOrder,
  type ChannelOrderLine,
  functionOption,
  OmnistockError,
  type OrderRead,
  type OrderSource,
  objectWithMethods,
  parseWith,
  type RoleCallOptions,
  type SkuMapping,
} from "@omnistock/core";
import { z } from "zod";
import type { AmazonClient } from "./client.js";
import { type AmazonListingMapping, amazonListings } from "./mapping.js";
import type { AmazonOrderStatus } from "./schemas.js";

/**
 * What an Amazon order status means for stock: placed (units committed), cancelled
 * (committed units released) or fulfilled (shipped).
 */
export function orderStatusOf(status: AmazonOrderStatus): ChannelOrder["status"] {
  switch (status) {
    case "Shipped":
    case "InvoiceUnconfirmed":
      return "fulfilled";
    case "Canceled":
    case "Unfulfillable":
      return "cancelled";
    default:
      return "placed";
  }
}

/** The facts of one order report, from polling or from a notification. */
export interface AmazonOrderFacts {
  readonly orderId: string;
  readonly status: AmazonOrderStatus;
  readonly fulfillment: "MFN" | "AFN";
  /** When the change happened, epoch ms. */
  readonly at: number;
  readonly lines: readonly { readonly sellerSku: string; readonly quantity: number }[];
}

/**
 * Turns an order report into a `ChannelOrder`. The event id is the order and its stock
 * meaning (`amazon:order:<id>:placed`), so the same change read by polling and by
 * notification is one event, and `Pending` then `Unshipped` is one placement.
 *
 * @example
 * ```ts
 * toChannelOrder(
 *   { orderId: "113-1-1", status: "Canceled", fulfillment: "MFN", at: 0, lines: [{ sellerSku: "MUG-RED-01", quantity: 1 }] },
 *   "amazon-us",
 *   undefined,
 * ); // { eventId: "amazon:order:113-1-1:cancelled", status: "cancelled", … }
 * ```
 */
export function toChannelOrder(
  facts: AmazonOrderFacts,
  channelId: string,
  mapping: SkuMapping | undefined,
): ChannelOrder {
  const status = orderStatusOf(facts.status);
  const lines: ChannelOrderLine[] = facts.lines.flatMap((line) => {
    // Seller SKUs the catalog does not list are not Omnistock's to count.
    const listingId = mapping === undefined ? line.sellerSku : mapping.findSku(line.sellerSku);
    return listingId === undefined || line.quantity <= 0
      ? []
      : [{ listingId, quantity: line.quantity }];
  });
  return {
    eventId: `amazon:order:${facts.orderId}:${status}`,
    channelId,
    orderId: facts.orderId,
    at: facts.at,
    status,
    lines,
    ...(facts.fulfillment === "AFN" ? { fulfilledByChannel: true } : {}),
  };
}

/** Options of {@link createAmazonOrderSource}. */
export interface AmazonOrderSourceOptions {
  readonly client: AmazonClient;
  /**
   * The catalog channel these orders belong to.
   * @example "amazon-us"
   */
  readonly channelId: string;
  /**
   * The marketplaces to read orders of (at most 50).
   * @example ["ATVPDKIKX0DER"]
   */
  readonly marketplaceIds: readonly string[];
  /**
   * The listings, to turn seller SKUs into listing ids; lines of seller SKUs not listed
   * are left out.
   * @default none: the seller SKU is the listing id
   */
  readonly listings?: readonly AmazonListingMapping[];
  /**
   * How far back the first poll (no cursor) looks.
   * @default 86400000 (one day)
   */
  readonly lookbackMs?: number;
  /**
   * Orders per `getOrders` page (1–100).
   * @default 100
   */
  readonly pageSize?: number;
  /** @default Date.now */
  readonly clock?: () => number;
}

const optionsSchema = z.strictObject({
  client: objectWithMethods<AmazonClient>("an AmazonClient", ["getOrders"]),
  channelId: z.string().min(1),
  marketplaceIds: z.array(z.string().min(1)).min(1).max(50),
  listings: z.array(z.unknown()).optional(),
  lookbackMs: z.number().int().nonnegative().optional(),
  pageSize: z.number().int().min(1).max(100).optional(),
  clock: functionOption.optional(),
});

/**
 * Creates Amazon as an order source: polls `getOrders` by `LastUpdatedAfter` (following
 * `NextToken`), reads each order's lines with `getOrderItems`, and reports merchant-fulfilled
 * orders as placed, cancelled or fulfilled (`Shipped`); Amazon-fulfilled (AFN) orders come
 * with `fulfilledByChannel: true`, since they take Amazon's stock, not the retailer's. The
 * cursor is the time up to which Amazon reported changes.
 *
 * Note: `getOrders` allows one request a minute (burst 20): poll as the backstop of the
 * `ORDER_CHANGE` notifications, not instead of them.
 *
 * @throws {@link OmnistockError} `VALIDATION` naming every invalid option.
 * @example
 * ```ts
 * const orders = createAmazonOrderSource({ client, channelId: "amazon-us", marketplaceIds: ["ATVPDKIKX0DER"] });
 * const { orders: changed, cursor } = await orders.ordersSince(lastCursor);
 * ```
 */
export function createAmazonOrderSource(options: AmazonOrderSourceOptions): OrderSource {
  parseWith(optionsSchema, options, "Amazon order source options", { platform: "amazon" });
  const { client, channelId, marketplaceIds } = options;
  const mapping =
    options.listings === undefined ? undefined : amazonListings(options.listings).mapping;
  const clock = options.clock ?? Date.now;
  const lookback = options.lookbackMs ?? 86_400_000;

  return {
    platform: "amazon",
    channelId,
    async ordersSince(cursor: string | undefined, callOptions: RoleCallOptions = {}) {
      const { signal } = callOptions;
      if (cursor !== undefined && Number.isNaN(Date.parse(cursor))) {
        throw new OmnistockError("VALIDATION", `Invalid Amazon order cursor "${cursor}"`, {
          platform: "amazon",
          issues: [{ path: ["cursor"], message: "expected an ISO 8601 date-time" }],
        });
      }
      const after = cursor ?? new Date(clock() - lookback).toISOString();
      const found = [];
      let reportedUntil: string | undefined;
      let nextToken: string | undefined;
      do {
        const page = await client.getOrders({
          marketplaceIds,
          lastUpdatedAfter: after,
          maxResultsPerPage: options.pageSize ?? 100,
          ...(nextToken === undefined ? {} : { nextToken }),
          ...(signal === undefined ? {} : { signal }),
        });
        reportedUntil ??= page.LastUpdatedBefore;
        found.push(...page.Orders);
        nextToken = page.NextToken === "" ? undefined : page.NextToken;
      } while (nextToken !== undefined);

      const orders = await Promise.all(
        found.map(async (order) => {
          const items = await client.getOrderItems(
            order.AmazonOrderId,
            signal === undefined ? {} : { signal },
          );
          return toChannelOrder(
            {
              orderId: order.AmazonOrderId,
              status: order.OrderStatus,
              // Stated on every order Amazon has assigned; merchant is the side that reserves.
              fulfillment: order.FulfillmentChannel ?? "MFN",
              at: Date.parse(order.LastUpdateDate),
              lines: items.flatMap((item) =>
                item.SellerSKU === undefined
                  ? []
                  : [{ sellerSku: item.SellerSKU, quantity: item.QuantityOrdered }],
              ),
            },
            channelId,
            mapping,
          );
        }),
      );
      const latest = found.reduce(
        (max, order) => Math.max(max, Date.parse(order.LastUpdateDate)),
        Date.parse(after),
      );
      return {
        orders: orders.sort((a, b) => a.at - b.at),
        cursor: reportedUntil ?? new Date(latest).toISOString(),
      } satisfies OrderRead;
    },
  };
}
