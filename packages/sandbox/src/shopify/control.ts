import type { Clock } from "../common/types.js";
import { orderPayload } from "./payloads.js";
import type { OrderState, QuantityName, RefundState, ShopifyState } from "./state.js";
import type { ShopifyTopic, ShopifyWebhooks } from "./webhooks.js";

/** The control handle. */
export interface ShopifyControl {
  addLocation(name: string): { readonly id: string };
  /**
   * Adds a product variant with its inventory item (`sku` may repeat: Shopify allows
   * duplicate SKUs). `itemId` links the variant to an existing inventory item instead.
   */
  addVariant(variant: {
    readonly sku: string;
    readonly title?: string;
    readonly itemId?: string;
  }): { readonly id: string; readonly inventoryItemId: string };
  /** Stocks an item at a location (activates the level) with an available quantity. */
  stock(inventoryItemId: string, locationId: string, available: number): void;
  quantity(inventoryItemId: string, locationId: string, name?: QuantityName | "on_hand"): number;
  /** A buyer orders: available goes down and committed up at the location. */
  placeOrder(
    lines: readonly { readonly variantId: string; readonly quantity: number }[],
    locationId: string,
  ): { readonly id: string; readonly legacyId: number };
  cancelOrder(orderId: string): void;
  fulfillOrder(orderId: string): void;
  /** Refunds units; restocked ones become available again. */
  refund(
    orderId: string,
    lines: readonly {
      readonly variantId: string;
      readonly quantity: number;
      readonly restock: boolean;
    }[],
  ): void;
  subscribe(topic: ShopifyTopic, url: string): void;
  webhooksSent(): readonly { readonly topic: string; readonly body: string }[];
}

/** The test-control API over the store's state. */
export function createShopifyControl(
  state: ShopifyState,
  webhooks: ShopifyWebhooks,
  emitLevel: (itemId: string, locationId: string) => void,
  clock: Clock,
): ShopifyControl {
  const { gid, nextId, locations, items, variants, orders, level, onHand, numeric } = state;
  const moveQuantities = (
    o: OrderState,
    change: (q: Record<QuantityName, number>, quantity: number) => void,
  ) => {
    for (const line of o.lines) {
      const v = variants.get(line.variantId);
      const l = v === undefined ? undefined : level(v.itemId, o.locationId);
      if (v !== undefined && l !== undefined) {
        change(l.quantities, line.quantity);
        emitLevel(v.itemId, o.locationId);
      }
    }
  };

  return {
    addLocation(name) {
      const location = { id: gid("Location"), name, isActive: true };
      locations.set(location.id, location);
      return location;
    },
    addVariant({ sku, title = sku, itemId }) {
      const inventoryItemId = itemId ?? gid("InventoryItem");
      if (!items.has(inventoryItemId))
        items.set(inventoryItemId, { id: inventoryItemId, sku, tracked: true });
      const variant = { id: gid("ProductVariant"), title, sku, itemId: inventoryItemId };
      variants.set(variant.id, variant);
      return { id: variant.id, inventoryItemId };
    },
    stock: (itemId, locationId, available) => state.stock(itemId, locationId, available),
    quantity(itemId, locationId, name = "available") {
      const l = level(itemId, locationId);
      if (l === undefined) return 0;
      return name === "on_hand" ? onHand(l.quantities) : l.quantities[name];
    },
    placeOrder(lines, locationId) {
      const legacyId = nextId();
      const order: OrderState = {
        legacyId,
        name: `#${legacyId}`,
        locationId,
        lines: lines.map((l) => ({ id: nextId(), variantId: l.variantId, quantity: l.quantity })),
        createdAt: clock(),
        updatedAt: clock(),
        cancelledAt: undefined,
        fulfilled: false,
        refunds: [],
      };
      orders.set(gid("Order", legacyId), order);
      moveQuantities(order, (q, n) => {
        q.available -= n;
        q.committed += n;
      });
      webhooks.emit("orders/create", orderPayload(state, order));
      return { id: gid("Order", legacyId), legacyId };
    },
    cancelOrder(orderId) {
      const order = orders.get(orderId);
      if (order === undefined || order.cancelledAt !== undefined) return;
      order.cancelledAt = clock();
      order.updatedAt = clock();
      if (!order.fulfilled) {
        moveQuantities(order, (q, n) => {
          q.available += n;
          q.committed -= n;
        });
      }
      webhooks.emit("orders/cancelled", orderPayload(state, order));
    },
    fulfillOrder(orderId) {
      const order = orders.get(orderId);
      if (order === undefined || order.fulfilled) return;
      order.fulfilled = true;
      order.updatedAt = clock();
      moveQuantities(order, (q, n) => {
        q.committed -= n;
      });
      webhooks.emit("orders/fulfilled", orderPayload(state, order));
    },
    refund(orderId, lines) {
      const order = orders.get(orderId);
      if (order === undefined) return;
      order.updatedAt = clock();
      for (const line of lines) {
        const v = variants.get(line.variantId);
        const l = v === undefined ? undefined : level(v.itemId, order.locationId);
        if (line.restock && v !== undefined && l !== undefined) {
          l.quantities.available += line.quantity;
          emitLevel(v.itemId, order.locationId);
        }
      }
      const refund: RefundState = {
        legacyId: nextId(),
        createdAt: clock(),
        lines: lines.map((l) => ({
          lineId: order.lines.find((ol) => ol.variantId === l.variantId)?.id,
          variantId: l.variantId,
          quantity: l.quantity,
          restock: l.restock,
        })),
      };
      order.refunds.push(refund);
      webhooks.emit("refunds/create", {
        id: refund.legacyId,
        admin_graphql_api_id: gid("Refund", refund.legacyId),
        order_id: order.legacyId,
        created_at: new Date(refund.createdAt).toISOString(),
        refund_line_items: refund.lines.map((l) => {
          return {
            line_item_id: l.lineId ?? null,
            quantity: l.quantity,
            restock_type: l.restock ? "return" : "no_restock",
            location_id: numeric(order.locationId),
            line_item: {
              variant_id: numeric(l.variantId),
              sku: variants.get(l.variantId)?.sku ?? null,
            },
          };
        }),
      });
    },
    subscribe: (topic, url) => webhooks.subscribe(topic, url),
    webhooksSent: () => webhooks.sent,
  };
}
