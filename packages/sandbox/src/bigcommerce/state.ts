/** How a BigCommerce product tracks stock. */
export type InventoryTracking = "none" | "product" | "variant";

/** A variant (the base variant of a simple product included). */
export interface BigCommerceVariant {
  readonly id: number;
  readonly product_id: number;
  readonly sku: string;
  readonly sku_id: number | null;
}

/** A placed order, as the server keeps it. */
export interface BigCommerceOrder {
  readonly id: number;
  readonly status_id: number;
  readonly lines: readonly { readonly variant: BigCommerceVariant; readonly quantity: number }[];
  readonly date_created: number;
  readonly date_modified: number;
  /** Shipments made with `shipOrder`, with their tracking. */
  readonly shipments?: readonly BigCommerceShipment[];
}

/** A shipment of a whole order, as the server keeps it. */
export interface BigCommerceShipment {
  readonly id: number;
  readonly tracking_number: string;
  /** An AfterShip carrier slug, e.g. `ups`, or `""`. */
  readonly tracking_carrier: string;
}

/** One item of an inventory adjustment. */
export interface AdjustmentItem {
  readonly variant: BigCommerceVariant;
  readonly locationId: number;
  readonly quantity: number;
}

/** An accepted inventory adjustment, visible from `visibleAt`. */
export interface Adjustment {
  readonly kind: "absolute" | "relative";
  readonly items: readonly AdjustmentItem[];
  readonly visibleAt: number;
}

/** A location of the store. */
export interface BigCommerceLocation {
  readonly id: number;
  readonly code: string;
  readonly label: string;
}

/** A product of the store. */
export interface BigCommerceProduct {
  readonly id: number;
  readonly name: string;
  readonly tracking: InventoryTracking;
}

/** The store's data and the changes made to it. */
export interface BigCommerceState {
  readonly locations: Map<number, BigCommerceLocation>;
  readonly products: Map<number, BigCommerceProduct>;
  /** Variants by SKU. */
  readonly variants: Map<string, BigCommerceVariant>;
  /** The same variants by id, and the first of each product: adjustments name items either way. */
  readonly variantsById: Map<number, BigCommerceVariant>;
  readonly firstOfProduct: Map<number, BigCommerceVariant>;
  /** On hand by `variantId:locationId`; absent = never set absolutely. */
  readonly onHand: Map<string, number>;
  /** Accepted adjustments not yet visible, oldest first. */
  readonly pending: Adjustment[];
  readonly orders: Map<number, BigCommerceOrder>;
  /** The next id of any kind (one sequence for all). */
  nextId(): number;
  /** The key of {@link onHand}. */
  key(variantId: number, locationId: number): string;
  /** On hand of a variant at a location (0 when never set). */
  level(variant: BigCommerceVariant, locationId: number): number;
  /** Whether a variant has a level at a location, set or pending absolutely. */
  hasAbsolute(variant: BigCommerceVariant, locationId: number): boolean;
  /** Moves the on hand of a variant at a location by `delta`. */
  move(variant: BigCommerceVariant, locationId: number, delta: number): void;
  /** Makes visible every adjustment due at `now` (or all of them). */
  applyDue(now: number, all?: boolean): void;
  /** The variant with a SKU. @throws RangeError when there is none. */
  variantOf(sku: string): BigCommerceVariant;
  /** An order by id. @throws RangeError when there is none. */
  orderOf(orderId: number): BigCommerceOrder;
}

/**
 * Creates the store's data. `emit` announces each applied adjustment item as
 * `store/sku/inventory/updated`.
 */
export function createBigCommerceState(
  emit: (scope: string, data: unknown) => void,
): BigCommerceState {
  let next = 100;
  const onHand = new Map<string, number>();
  const pending: Adjustment[] = [];
  const variants = new Map<string, BigCommerceVariant>();
  const orders = new Map<number, BigCommerceOrder>();
  const key = (variantId: number, locationId: number) => `${variantId}:${locationId}`;
  const level = (v: BigCommerceVariant, locationId: number) =>
    onHand.get(key(v.id, locationId)) ?? 0;

  return {
    locations: new Map([[1, { id: 1, code: "DEFAULT", label: "Default location" }]]),
    products: new Map(),
    variants,
    variantsById: new Map(),
    firstOfProduct: new Map(),
    onHand,
    pending,
    orders,
    nextId: () => next++,
    key,
    level,
    hasAbsolute: (variant, locationId) =>
      onHand.has(key(variant.id, locationId)) ||
      pending.some(
        (p) =>
          p.kind === "absolute" &&
          p.items.some((q) => q.variant.id === variant.id && q.locationId === locationId),
      ),
    move(variant, locationId, delta) {
      onHand.set(key(variant.id, locationId), level(variant, locationId) + delta);
    },
    applyDue(now, all = false) {
      while (pending.length > 0 && (all || (pending[0] as Adjustment).visibleAt <= now)) {
        const adjustment = pending.shift() as Adjustment;
        for (const item of adjustment.items) {
          const k = key(item.variant.id, item.locationId);
          const value =
            adjustment.kind === "absolute" ? item.quantity : (onHand.get(k) ?? 0) + item.quantity;
          onHand.set(k, value);
          emit("store/sku/inventory/updated", {
            type: "sku",
            id: item.variant.sku_id ?? item.variant.id,
            inventory: {
              product_id: item.variant.product_id,
              variant_id: item.variant.id,
              method: adjustment.kind,
              value: item.quantity,
            },
          });
        }
      }
    },
    variantOf(sku) {
      const v = variants.get(sku);
      if (v === undefined) throw new RangeError(`No variant with SKU "${sku}"`);
      return v;
    },
    orderOf(orderId) {
      const order = orders.get(orderId);
      if (order === undefined) throw new RangeError(`No order ${orderId}`);
      return order;
    },
  };
}
