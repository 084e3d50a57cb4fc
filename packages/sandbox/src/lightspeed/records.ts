/** The JSON of the 2.0 API's records, as `GET` answers and webhooks carry them. */

import type { LightspeedOutlet, LightspeedProduct, LightspeedSale } from "./state.js";

/** An outlet, as the 2.0 API shows it. */
export function outletJson(outlet: LightspeedOutlet) {
  return {
    ...outlet,
    time_zone: "Pacific/Auckland",
    currency: "NZD",
    currency_symbol: "$",
    display_prices: "inclusive",
  };
}

/** A product, as the 2.0 API shows it. */
export function productJson(p: LightspeedProduct) {
  return {
    id: p.id,
    name: p.name,
    variant_name: p.name,
    handle: p.sku.toLowerCase(),
    sku: p.sku,
    active: true,
    has_inventory: p.has_inventory,
    is_composite: p.is_composite,
    has_variants: false,
    version: p.version,
  };
}

/** A sale, as the 2.0 API shows it. */
export function saleJson(s: LightspeedSale) {
  return {
    id: s.id,
    outlet_id: s.outlet_id,
    register_id: s.register_id,
    user_id: "sandbox-user",
    status: s.status,
    note: s.note,
    sale_date: s.sale_date,
    updated_at: s.updated_at,
    ...(s.source_id === null ? {} : { source_id: s.source_id }),
    line_items: s.line_items.map((l) => ({
      id: l.id,
      product_id: l.product_id,
      quantity: l.quantity,
      price: l.price,
      is_return: l.quantity < 0,
      status: s.status === "VOIDED" ? "VOIDED" : "CONFIRMED",
    })),
    version: s.version,
  };
}
