import { json, Router, readJson } from "../common/http.js";
import type { Random } from "../common/random.js";
import type { Clock } from "../common/types.js";
import { adjustHandler } from "./adjustments.js";
import { listIn, page, problem, v2NotFound, v2Page } from "./answers.js";
import type { BigCommerceOrder, BigCommerceState, BigCommerceVariant } from "./state.js";
import type { BigCommerceWebhooks } from "./webhooks.js";

/** What {@link createBigCommerceRoutes} needs. */
export interface BigCommerceRoutesOptions {
  readonly storeHash: string;
  readonly clock: Clock;
  readonly random: Random;
  readonly applyDelayMs: number;
}

const STATUS: Readonly<Record<number, string>> = {
  0: "Incomplete",
  1: "Pending",
  2: "Shipped",
  4: "Refunded",
  5: "Cancelled",
  10: "Completed",
  11: "Awaiting Fulfillment",
};

function orderJson(o: BigCommerceOrder) {
  return {
    id: o.id,
    status_id: o.status_id,
    status: STATUS[o.status_id] ?? "Unknown",
    date_created: new Date(o.date_created * 1000).toUTCString(),
    date_modified: new Date(o.date_modified * 1000).toUTCString(),
    items_total: o.lines.reduce((s, l) => s + l.quantity, 0),
    channel_id: 1,
    currency_code: "USD",
  };
}

/** The v3 catalog and inventory endpoints, the hooks endpoint and the v2 orders endpoints. */
export function createBigCommerceRoutes(
  state: BigCommerceState,
  webhooks: BigCommerceWebhooks,
  options: BigCommerceRoutesOptions,
): Router {
  const { clock } = options;
  const { locations, products, variants, orders, level } = state;

  function itemJson(v: BigCommerceVariant, locationIds: readonly number[]) {
    return {
      identity: { sku: v.sku, variant_id: v.id, product_id: v.product_id, sku_id: v.sku_id },
      locations: locationIds.map((id) => {
        const location = locations.get(id) as { id: number; code: string; label: string };
        return {
          location_id: id,
          location_code: location.code,
          location_name: location.label,
          available_to_sell: Math.max(0, level(v, id)),
          total_inventory_onhand: level(v, id),
          location_enabled: true,
          settings: {
            safety_stock: 0,
            is_in_stock: level(v, id) > 0,
            warning_level: 0,
            bin_picking_number: "",
          },
        };
      }),
    };
  }

  const base = `/stores/${options.storeHash}`;
  return new Router()
    .on("GET", `${base}/v3/inventory/locations`, ({ url }) =>
      page(
        url,
        [...locations.values()].map((l) => ({
          id: l.id,
          code: l.code,
          label: l.label,
          description: "",
          managed_by_external_source: false,
          type_id: "PHYSICAL",
          enabled: true,
          storefront_visibility: true,
        })),
      ),
    )
    .on("GET", `${base}/v3/catalog/variants`, ({ url }) => {
      const sku = url.searchParams.get("sku");
      const skus = listIn(url, "sku");
      const productIds = listIn(url, "product_id")?.map(Number);
      const list = [...variants.values()].filter(
        (v) =>
          (sku === null || v.sku === sku) &&
          (skus === undefined || skus.includes(v.sku)) &&
          (productIds === undefined || productIds.includes(v.product_id)),
      );
      return page(
        url,
        list.map((v) => ({
          id: v.id,
          product_id: v.product_id,
          sku: v.sku,
          sku_id: v.sku_id,
          inventory_level: level(v, 1),
          option_values: [],
          purchasing_disabled: false,
        })),
      );
    })
    .on("GET", `${base}/v3/catalog/products`, ({ url }) => {
      const ids = listIn(url, "id")?.map(Number);
      return page(
        url,
        [...products.values()]
          .filter((p) => ids === undefined || ids.includes(p.id))
          .map((p) => ({
            id: p.id,
            name: p.name,
            inventory_tracking: p.tracking,
            type: "physical",
          })),
      );
    })
    .on("GET", `${base}/v3/inventory/items`, ({ url }) => {
      state.applyDue(clock());
      const skus = listIn(url, "sku");
      const variantIds = listIn(url, "variant_id")?.map(Number);
      const productIds = listIn(url, "product_id")?.map(Number);
      const locationIds = (listIn(url, "location_id") ?? [...locations.keys()].map(String)).map(
        Number,
      );
      const list = [...variants.values()].filter(
        (v) =>
          (skus === undefined || skus.includes(v.sku)) &&
          (variantIds === undefined || variantIds.includes(v.id)) &&
          (productIds === undefined || productIds.includes(v.product_id)) &&
          products.get(v.product_id)?.tracking !== "none",
      );
      return page(
        url,
        list.map((v) => itemJson(v, locationIds)),
      );
    })
    .on("GET", `${base}/v3/inventory/locations/:id/items`, ({ url, params }) => {
      state.applyDue(clock());
      const id = Number(params.id);
      if (!locations.has(id)) return problem(404, "Location not found");
      const list = [...variants.values()].filter(
        (v) => products.get(v.product_id)?.tracking !== "none",
      );
      return page(
        url,
        list.map((v) => {
          const item = itemJson(v, [id]);
          const at = item.locations[0] as (typeof item.locations)[number];
          return {
            identity: item.identity,
            available_to_sell: at.available_to_sell,
            total_inventory_onhand: at.total_inventory_onhand,
            settings: at.settings,
          };
        }),
      );
    })
    .on(
      "PUT",
      `${base}/v3/inventory/adjustments/absolute`,
      adjustHandler(state, "absolute", options),
    )
    .on(
      "POST",
      `${base}/v3/inventory/adjustments/relative`,
      adjustHandler(state, "relative", options),
    )
    .on("POST", `${base}/v3/hooks`, async ({ request }) => {
      const body = (await readJson(request)) as
        | { scope?: unknown; destination?: unknown }
        | undefined;
      if (typeof body?.scope !== "string" || typeof body.destination !== "string")
        return problem(422, "scope and destination are required");
      webhooks.subscribe(body.scope, body.destination);
      return json(200, {
        data: {
          id: state.nextId(),
          scope: body.scope,
          destination: body.destination,
          is_active: true,
        },
      });
    })
    .on("GET", `${base}/v2/orders`, ({ url }) => {
      const since = url.searchParams.get("min_date_modified");
      const from = since === null ? 0 : Date.parse(since) / 1000;
      const list = v2Page(
        url,
        [...orders.values()].filter((o) => o.date_modified >= from).sort((a, b) => a.id - b.id),
      ).map(orderJson);
      // v2 answers 204 with no body for an empty list (and past the last page).
      return list.length === 0 ? new Response(null, { status: 204 }) : json(200, list);
    })
    .on("GET", `${base}/v2/orders/:id`, ({ params }) => {
      const order = orders.get(Number(params.id));
      return order === undefined ? v2NotFound() : json(200, orderJson(order));
    })
    .on("GET", `${base}/v2/orders/:id/shipments`, ({ url, params }) => {
      const order = orders.get(Number(params.id));
      if (order === undefined) return v2NotFound();
      const shipments = v2Page(url, order.shipments ?? []);
      // No shipments: 204, as the spec says.
      if (shipments.length === 0) return new Response(null, { status: 204 });
      return json(
        200,
        shipments.map((shipment) => ({
          ...shipment,
          order_id: order.id,
          customer_id: 0,
          order_address_id: order.id,
          date_created: new Date(order.date_modified * 1000).toUTCString(),
          merchant_shipping_cost: "0.0000",
          shipping_method: "",
          shipping_provider: "",
          tracking_link: "",
          comments: "",
          items: order.lines.map((line, i) => ({
            order_product_id: order.id * 100 + i,
            product_id: line.variant.product_id,
            quantity: line.quantity,
          })),
          generated_tracking_link: "",
        })),
      );
    })
    .on("GET", `${base}/v2/orders/:id/products`, ({ url, params }) => {
      const order = orders.get(Number(params.id));
      if (order === undefined) return v2NotFound();
      const lines = v2Page(
        url,
        order.lines.map((line, i) => ({ line, i })),
      );
      if (lines.length === 0) return new Response(null, { status: 204 });
      return json(
        200,
        lines.map(({ line: l, i }) => ({
          id: order.id * 100 + i,
          order_id: order.id,
          product_id: l.variant.product_id,
          variant_id: l.variant.id,
          sku: l.variant.sku,
          quantity: l.quantity,
          quantity_shipped: 0,
          quantity_refunded: 0,
          is_refunded: false,
        })),
      );
    });
}
