import type { Clock } from "../common/types.js";
import type { OrderState, ShopifyState } from "./state.js";

/** The body of `inventory_levels/update` for an item at a location. */
export function levelPayload(
  state: ShopifyState,
  clock: Clock,
  itemId: string,
  locationId: string,
): Record<string, unknown> {
  const { level, numeric } = state;
  const l = level(itemId, locationId);
  return {
    inventory_item_id: numeric(itemId),
    location_id: numeric(locationId),
    available: l?.quantities.available ?? 0,
    updated_at: new Date(clock()).toISOString(),
    admin_graphql_api_id: `gid://shopify/InventoryLevel/${numeric(itemId)}?inventory_item_id=${numeric(itemId)}`,
  };
}

/** An order as the REST webhooks show it (`orders/create`, `orders/cancelled`, …). */
export function orderPayload(state: ShopifyState, o: OrderState) {
  const { gid, numeric, variants } = state;
  return {
    id: o.legacyId,
    admin_graphql_api_id: gid("Order", o.legacyId),
    name: o.name,
    created_at: new Date(o.createdAt).toISOString(),
    updated_at: new Date(o.updatedAt).toISOString(),
    cancelled_at: o.cancelledAt === undefined ? null : new Date(o.cancelledAt).toISOString(),
    fulfillment_status: o.fulfilled ? "fulfilled" : null,
    location_id: numeric(o.locationId),
    line_items: o.lines.map((l) => {
      const v = variants.get(l.variantId);
      return {
        id: l.id,
        variant_id: numeric(l.variantId),
        sku: v?.sku ?? null,
        quantity: l.quantity,
        title: v?.title ?? "",
      };
    }),
  };
}
