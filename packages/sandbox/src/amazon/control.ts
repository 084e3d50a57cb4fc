import type { Random } from "../common/random.js";
import type { Clock } from "../common/types.js";
import type { AmazonNotifications } from "./notifications.js";
import type { AmazonListing, AmazonOrder, AmazonState } from "./state.js";

/** The control handle. */
export interface AmazonControl {
  addListing(listing: {
    readonly sku: string;
    readonly quantity: number;
    readonly fba?: boolean;
    readonly productType?: string;
  }): AmazonListing;
  /** The quantity buyers see now (pending writes not yet applied). */
  quantity(sku: string): number;
  /** A buyer orders: MFN orders take the merchant quantity; AFN orders Amazon's. */
  placeOrder(
    lines: readonly { readonly sku: string; readonly quantity: number }[],
    fulfillment?: "MFN" | "AFN",
  ): AmazonOrder;
  /** Changes an order's status (`Canceled` gives MFN units back). */
  setOrderStatus(orderId: string, status: "Unshipped" | "Shipped" | "Canceled"): void;
  /** Sends ORDER_CHANGE notifications to a URL. */
  subscribe(url: string): void;
  notificationsSent(): readonly string[];
  /** Applies pending ACCEPTED writes and finishes feeds now. */
  settle(): void;
}

/** The test-control API over the seller's state. */
export function createAmazonControl(
  state: AmazonState,
  notifications: AmazonNotifications,
  { clock, random, token }: { clock: Clock; random: Random; token: () => string },
): AmazonControl {
  const { listings, orders } = state;
  return {
    addListing({ sku, quantity, fba = false, productType = "PRODUCT" }) {
      const listing: AmazonListing = {
        sku,
        asin: `B0${token().toUpperCase().padEnd(8, "0").slice(0, 8)}`,
        productType,
        fulfillmentChannelCode: fba ? "AMAZON_NA" : "DEFAULT",
        quantity,
      };
      listings.set(sku, listing);
      return listing;
    },
    quantity(sku) {
      state.applyDue(clock());
      return listings.get(sku)?.quantity ?? 0;
    },
    placeOrder(lines, fulfillment = "MFN") {
      const now = new Date(clock()).toISOString();
      const id = `${String(random.int(100, 999))}-${String(random.int(1_000_000, 9_999_999))}-${String(random.int(1_000_000, 9_999_999))}`;
      const order: AmazonOrder = {
        AmazonOrderId: id,
        FulfillmentChannel: fulfillment,
        OrderStatus: "Unshipped",
        PurchaseDate: now,
        LastUpdateDate: now,
        items: lines.map((l, i) => ({
          OrderItemId: `${id.replace(/-/g, "")}${i}`,
          SellerSKU: l.sku,
          ASIN: listings.get(l.sku)?.asin ?? "B000000000",
          QuantityOrdered: l.quantity,
        })),
      };
      orders.set(id, order);
      for (const l of lines) {
        const listing = listings.get(l.sku);
        if (listing !== undefined)
          listings.set(l.sku, { ...listing, quantity: Math.max(0, listing.quantity - l.quantity) });
      }
      notifications.notify(order);
      return order;
    },
    setOrderStatus(orderId, next) {
      const order = orders.get(orderId);
      if (order === undefined) throw new RangeError(`No order ${orderId}`);
      if (next === "Canceled" && order.OrderStatus !== "Canceled") {
        for (const item of order.items) {
          const listing = listings.get(item.SellerSKU);
          if (listing !== undefined)
            listings.set(item.SellerSKU, {
              ...listing,
              quantity: listing.quantity + item.QuantityOrdered,
            });
        }
      }
      const updated = {
        ...order,
        OrderStatus: next,
        LastUpdateDate: new Date(clock()).toISOString(),
      };
      orders.set(orderId, updated);
      notifications.notify(updated);
    },
    subscribe: (url) => notifications.subscribe(url),
    notificationsSent: () => notifications.sent,
    settle: () => state.applyDue(clock(), true),
  };
}
