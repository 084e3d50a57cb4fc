import { connection } from "./connection.js";
import type { OrderState, QuantityName, RefundState, ShopifyState } from "./state.js";

/** The objects the schema resolves, built on demand from the state. */
export interface ShopifyNodes {
  locationNode(id: string): Record<string, unknown> | null;
  itemNode(id: string): Record<string, unknown> | null;
  levelNode(itemId: string, locationId: string): Record<string, unknown> | null;
  variantNode(id: string): Record<string, unknown> | null;
  refundNode(o: OrderState, r: RefundState): Record<string, unknown>;
  orderNode(id: string, o: OrderState): Record<string, unknown>;
}

/** Creates the node builders over the store's state. */
export function createShopifyNodes(state: ShopifyState): ShopifyNodes {
  const { gid, locations, items, variants, level, onHand, numeric } = state;
  const locationNode = (id: string): Record<string, unknown> | null => {
    const location = locations.get(id);
    if (location === undefined) return null;
    return {
      ...location,
      inventoryLevels: ({ first = 50, after }: { first?: number; after?: string }) =>
        connection(
          [...items.keys()].map((item) => levelNode(item, id)).filter((l) => l !== null),
          first,
          after,
        ),
    };
  };
  function itemNode(id: string): Record<string, unknown> | null {
    const item = items.get(id);
    if (item === undefined) return null;
    const skuCount = [...items.values()].filter((i) => i.sku === item.sku).length;
    return {
      ...item,
      duplicateSkuCount: skuCount - 1,
      inventoryLevel: ({ locationId }: { locationId: string }) => levelNode(id, locationId),
      inventoryLevels: ({ first = 50, after }: { first?: number; after?: string }) =>
        connection(
          [...locations.keys()].map((loc) => levelNode(id, loc)).filter((l) => l !== null),
          first,
          after,
        ),
      variants: ({ first = 50, after }: { first?: number; after?: string }) =>
        connection(
          [...variants.values()].filter((v) => v.itemId === id).map((v) => variantNode(v.id)),
          first,
          after,
        ),
    };
  }
  function levelNode(itemId: string, locationId: string) {
    const l = level(itemId, locationId);
    if (l === undefined || !l.active) return null;
    return {
      id: `gid://shopify/InventoryLevel/${numeric(itemId)}?inventory_item_id=${numeric(itemId)}&location_id=${numeric(locationId)}`,
      location: () => locationNode(locationId),
      item: () => itemNode(itemId),
      quantities: ({ names }: { names: string[] }) =>
        names.map((name) => ({
          name,
          quantity:
            name === "on_hand" ? onHand(l.quantities) : (l.quantities[name as QuantityName] ?? 0),
        })),
    };
  }
  const variantNode = (id: string) => {
    const v = variants.get(id);
    return v === undefined
      ? null
      : { id: v.id, title: v.title, sku: v.sku, inventoryItem: () => itemNode(v.itemId) };
  };
  const lineNode = (l: {
    readonly id: number;
    readonly variantId: string;
    readonly quantity: number;
  }) => ({
    id: gid("LineItem", l.id),
    sku: variants.get(l.variantId)?.sku ?? null,
    quantity: l.quantity,
    variant: () => variantNode(l.variantId),
  });
  const refundNode = (o: OrderState, r: RefundState) => ({
    id: gid("Refund", r.legacyId),
    createdAt: new Date(r.createdAt).toISOString(),
    refundLineItems: ({ first = 50, after }: { first?: number; after?: string }) =>
      connection(
        r.lines.map((l) => {
          const line = o.lines.find((ol) => ol.id === l.lineId);
          return {
            lineItem: lineNode(line ?? { id: l.lineId ?? 0, variantId: l.variantId, quantity: 0 }),
            quantity: l.quantity,
            restockType: l.restock ? "RETURN" : "NO_RESTOCK",
            restocked: l.restock,
            location: () => locationNode(o.locationId),
          };
        }),
        first,
        after,
      ),
  });
  const orderNode = (id: string, o: OrderState) => ({
    id,
    name: o.name,
    createdAt: new Date(o.createdAt).toISOString(),
    updatedAt: new Date(o.updatedAt).toISOString(),
    cancelledAt: o.cancelledAt === undefined ? null : new Date(o.cancelledAt).toISOString(),
    displayFulfillmentStatus: o.fulfilled ? "FULFILLED" : "UNFULFILLED",
    retailLocation: () => locationNode(o.locationId),
    lineItems: ({ first = 50, after }: { first?: number; after?: string }) =>
      connection(o.lines.map(lineNode), first, after),
    refunds: ({ first }: { first?: number }) =>
      o.refunds.slice(0, first ?? o.refunds.length).map((r) => refundNode(o, r)),
  });

  return { locationNode, itemNode, levelNode, variantNode, refundNode, orderNode };
}
