import type { Clock } from "../common/types.js";
import type {
  BigCommerceOrder,
  BigCommerceShipment,
  BigCommerceState,
  BigCommerceVariant,
  InventoryTracking,
} from "./state.js";
import type { BigCommerceWebhooks } from "./webhooks.js";

/** The control handle. */
export interface BigCommerceControl {
  /** Adds a location (location 1, the default, exists from the start). */
  addLocation(code: string, label?: string): { readonly id: number; readonly code: string };
  /** Adds a product with one variant per SKU. */
  addProduct(product: {
    readonly name?: string;
    readonly skus: readonly string[];
    readonly tracking?: InventoryTracking;
  }): {
    readonly id: number;
    readonly variants: readonly BigCommerceVariant[];
  };
  /** Sets on hand directly (as the control panel would), after any pending adjustment. */
  setInventory(sku: string, locationId: number, onHand: number): void;
  /** On hand of a SKU at a location, as reads show it now. */
  inventory(sku: string, locationId: number): number;
  /** Places an order on the storefront: stock leaves location 1, `store/order/created` fires. */
  placeOrder(
    lines: readonly { readonly sku: string; readonly quantity: number }[],
  ): BigCommerceOrder;
  /**
   * Ships a whole order with a tracking number: the order becomes Shipped (2), and
   * `store/shipment/created` and `store/order/statusUpdated` fire.
   */
  shipOrder(
    orderId: number,
    tracking: { readonly trackingNumber: string; readonly carrier?: string },
  ): BigCommerceShipment;
  /** Changes an order's status; cancelling (5) or refunding (4) gives the stock back. */
  setOrderStatus(orderId: number, statusId: number): void;
  /** Applies every accepted adjustment now, whatever the delay. */
  settle(): void;
  /** Adjustments accepted but not yet visible. */
  pending(): number;
  subscribe(scope: string, url: string): void;
  webhooksSent(): readonly {
    readonly scope: string;
    readonly url: string;
    readonly body: string;
  }[];
}

/** The test-control API over the store's state. */
export function createBigCommerceControl(
  state: BigCommerceState,
  webhooks: BigCommerceWebhooks,
  clock: Clock,
): BigCommerceControl {
  const { emit } = webhooks;
  const control: BigCommerceControl = {
    addLocation(code, label = code) {
      const location = { id: state.locations.size + 1, code, label };
      state.locations.set(location.id, location);
      return location;
    },
    addProduct({ name, skus, tracking = "variant" }) {
      const product = { id: state.nextId(), name: name ?? skus[0] ?? "Product", tracking };
      state.products.set(product.id, product);
      const created = skus.map((sku) => {
        const variant: BigCommerceVariant = {
          id: state.nextId(),
          product_id: product.id,
          sku,
          sku_id: skus.length > 1 ? state.nextId() : null,
        };
        state.variants.set(sku, variant);
        state.variantsById.set(variant.id, variant);
        if (!state.firstOfProduct.has(product.id)) state.firstOfProduct.set(product.id, variant);
        return variant;
      });
      return { id: product.id, variants: created };
    },
    setInventory(sku, locationId, value) {
      state.applyDue(clock(), true);
      state.onHand.set(state.key(state.variantOf(sku).id, locationId), value);
    },
    inventory(sku, locationId) {
      state.applyDue(clock());
      return state.level(state.variantOf(sku), locationId);
    },
    placeOrder(lines) {
      const now = Math.floor(clock() / 1000);
      const order: BigCommerceOrder = {
        id: state.nextId(),
        status_id: 11,
        lines: lines.map((l) => ({ variant: state.variantOf(l.sku), quantity: l.quantity })),
        date_created: now,
        date_modified: now,
      };
      state.orders.set(order.id, order);
      // The store setting "order_placed": stock leaves the default location at once.
      for (const line of order.lines) state.move(line.variant, 1, -line.quantity);
      emit("store/order/created", { type: "order", id: order.id });
      return order;
    },
    setOrderStatus(orderId, statusId) {
      const order = state.orderOf(orderId);
      const returns =
        (statusId === 5 || statusId === 4) && order.status_id !== 5 && order.status_id !== 4;
      state.orders.set(orderId, {
        ...order,
        status_id: statusId,
        date_modified: Math.floor(clock() / 1000),
      });
      if (returns) for (const line of order.lines) state.move(line.variant, 1, line.quantity);
      emit("store/order/statusUpdated", {
        type: "order",
        id: orderId,
        status: { previous_status_id: order.status_id, new_status_id: statusId },
      });
    },
    shipOrder(orderId, { trackingNumber, carrier = "" }) {
      const order = state.orderOf(orderId);
      const shipment: BigCommerceShipment = {
        id: state.nextId(),
        tracking_number: trackingNumber,
        tracking_carrier: carrier,
      };
      state.orders.set(orderId, { ...order, shipments: [...(order.shipments ?? []), shipment] });
      emit("store/shipment/created", { type: "shipment", id: shipment.id, orderId });
      control.setOrderStatus(orderId, 2);
      return shipment;
    },
    settle: () => state.applyDue(clock(), true),
    pending: () => state.pending.length,
    subscribe: webhooks.subscribe,
    webhooksSent: () => webhooks.sent,
  };
  return control;
}
