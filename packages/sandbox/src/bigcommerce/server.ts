import { createHash, createHmac } from "node:crypto";
import { json, Router, readJson } from "../common/http.js";
import { createRandom } from "../common/random.js";
import type { Clock, DeliverWebhook, PlatformServer } from "../common/types.js";

/** Options of {@link createBigCommerceServer}. */
export interface BigCommerceServerOptions {
  /** @default "sandbox" */
  readonly storeHash?: string;
  /** Accepted in `X-Auth-Token`. @default "bc_sandbox_token" */
  readonly accessToken?: string;
  /** The app's client secret: webhooks are signed with it (Standard Webhooks). @default "bc-sandbox-client-secret" */
  readonly clientSecret?: string;
  /** Requests per window (150 per 30 s on the standard plan). @default 150 */
  readonly quota?: number;
  /** @default 30000 */
  readonly windowMs?: number;
  /** How long after an accepted adjustment its levels become visible. @default 0 */
  readonly applyDelayMs?: number;
  /** Where webhooks go; without it, they are kept in `control.webhooksSent()`. */
  readonly deliver?: DeliverWebhook;
  /** @default Date.now */
  readonly clock?: Clock;
  /** @default 1 */
  readonly seed?: number;
}

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

/** A running fake BigCommerce store. */
export interface BigCommerceServer extends PlatformServer {
  readonly platform: "bigcommerce";
  readonly control: BigCommerceControl;
  readonly credentials: {
    readonly storeHash: string;
    readonly accessToken: string;
    readonly clientSecret: string;
    /** The Standard Webhooks secret receivers verify with: `whsec_` + base64 of the client secret. */
    readonly webhookSecret: string;
  };
  /** BigCommerce's own 429, for fault injection. */
  rateLimitedResponse(): Response;
}

const MAX_ITEMS = 2_000;
const PROBLEM_TYPE = "https://developer.bigcommerce.com/api-docs/getting-started/api-status-codes";

interface Adjustment {
  readonly kind: "absolute" | "relative";
  readonly items: readonly {
    readonly variant: BigCommerceVariant;
    readonly locationId: number;
    readonly quantity: number;
  }[];
  readonly visibleAt: number;
}

/**
 * A fake BigCommerce store: v3 locations, catalog variants by SKU, inventory items per
 * location, absolute and relative adjustments (2,000 items at most; a relative one before
 * any absolute is refused with 422; applied asynchronously after `applyDelayMs`), v2
 * orders, the quota headers with 150 requests per 30 s, and webhooks signed in the
 * Standard Webhooks scheme.
 */
export function createBigCommerceServer(options: BigCommerceServerOptions = {}): BigCommerceServer {
  const clock = options.clock ?? Date.now;
  const random = createRandom(options.seed ?? 1);
  const storeHash = options.storeHash ?? "sandbox";
  const accessToken = options.accessToken ?? "bc_sandbox_token";
  const clientSecret = options.clientSecret ?? "bc-sandbox-client-secret";
  const webhookSecret = `whsec_${Buffer.from(clientSecret).toString("base64")}`;
  const quota = options.quota ?? 150;
  const windowMs = options.windowMs ?? 30_000;
  const applyDelay = options.applyDelayMs ?? 0;

  let nextId = 100;
  const locations = new Map<number, { id: number; code: string; label: string }>([
    [1, { id: 1, code: "DEFAULT", label: "Default location" }],
  ]);
  const products = new Map<number, { id: number; name: string; tracking: InventoryTracking }>();
  const variants = new Map<string, BigCommerceVariant>();
  /** The same variants by id, and the first of each product: adjustments name items either way. */
  const variantsById = new Map<number, BigCommerceVariant>();
  const firstOfProduct = new Map<number, BigCommerceVariant>();
  /** On hand by `variantId:locationId`; absent = never set absolutely. */
  const onHand = new Map<string, number>();
  const pending: Adjustment[] = [];
  const orders = new Map<number, BigCommerceOrder>();
  const hooks: { scope: string; url: string }[] = [];
  const sent: { scope: string; url: string; body: string }[] = [];
  let window = { start: 0, used: 0 };

  const key = (variantId: number, locationId: number) => `${variantId}:${locationId}`;
  const level = (v: BigCommerceVariant, locationId: number) =>
    onHand.get(key(v.id, locationId)) ?? 0;

  const subscribed = (hook: { scope: string }, scope: string) =>
    hook.scope === scope ||
    (hook.scope.endsWith("/*") && scope.startsWith(hook.scope.slice(0, -1)));

  function emit(scope: string, data: unknown): void {
    // Nobody listens: nothing to sign (bulk adjustments emit one per item).
    if (!hooks.some((hook) => subscribed(hook, scope))) return;
    const body = JSON.stringify({
      scope,
      store_id: "1025646",
      data,
      hash: createHash("sha1").update(JSON.stringify(data)).digest("hex"),
      created_at: Math.floor(clock() / 1000),
      producer: `stores/${storeHash}`,
    });
    for (const hook of hooks) {
      if (!subscribed(hook, scope)) continue;
      if (options.deliver === undefined) {
        sent.push({ scope, url: hook.url, body });
        continue;
      }
      const id = `msg_${Math.floor(random.next() * 2 ** 48).toString(36)}`;
      const timestamp = Math.floor(clock() / 1000);
      const signature = createHmac("sha256", Buffer.from(clientSecret))
        .update(`${id}.${timestamp}.${body}`)
        .digest("base64");
      options.deliver({
        id,
        topic: scope,
        url: hook.url,
        body,
        headers: {
          "content-type": "application/json",
          "webhook-id": id,
          "webhook-timestamp": String(timestamp),
          "webhook-signature": `v1,${signature}`,
        },
      });
    }
  }

  function applyDue(now: number, all = false): void {
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
  }

  const variantOf = (sku: string) => {
    const v = variants.get(sku);
    if (v === undefined) throw new RangeError(`No variant with SKU "${sku}"`);
    return v;
  };

  const control: BigCommerceControl = {
    addLocation(code, label = code) {
      const location = { id: locations.size + 1, code, label };
      locations.set(location.id, location);
      return location;
    },
    addProduct({ name, skus, tracking = "variant" }) {
      const product = { id: nextId++, name: name ?? skus[0] ?? "Product", tracking };
      products.set(product.id, product);
      const created = skus.map((sku) => {
        const variant: BigCommerceVariant = {
          id: nextId++,
          product_id: product.id,
          sku,
          sku_id: skus.length > 1 ? nextId++ : null,
        };
        variants.set(sku, variant);
        variantsById.set(variant.id, variant);
        if (!firstOfProduct.has(product.id)) firstOfProduct.set(product.id, variant);
        return variant;
      });
      return { id: product.id, variants: created };
    },
    setInventory(sku, locationId, value) {
      applyDue(clock(), true);
      onHand.set(key(variantOf(sku).id, locationId), value);
    },
    inventory(sku, locationId) {
      applyDue(clock());
      return level(variantOf(sku), locationId);
    },
    placeOrder(lines) {
      const now = Math.floor(clock() / 1000);
      const order: BigCommerceOrder = {
        id: nextId++,
        status_id: 11,
        lines: lines.map((l) => ({ variant: variantOf(l.sku), quantity: l.quantity })),
        date_created: now,
        date_modified: now,
      };
      orders.set(order.id, order);
      // The store setting "order_placed": stock leaves the default location at once.
      for (const line of order.lines)
        onHand.set(key(line.variant.id, 1), level(line.variant, 1) - line.quantity);
      emit("store/order/created", { type: "order", id: order.id });
      return order;
    },
    setOrderStatus(orderId, statusId) {
      const order = orders.get(orderId);
      if (order === undefined) throw new RangeError(`No order ${orderId}`);
      const returns =
        (statusId === 5 || statusId === 4) && order.status_id !== 5 && order.status_id !== 4;
      orders.set(orderId, {
        ...order,
        status_id: statusId,
        date_modified: Math.floor(clock() / 1000),
      });
      if (returns)
        for (const line of order.lines)
          onHand.set(key(line.variant.id, 1), level(line.variant, 1) + line.quantity);
      emit("store/order/statusUpdated", {
        type: "order",
        id: orderId,
        status: { previous_status_id: order.status_id, new_status_id: statusId },
      });
    },
    shipOrder(orderId, { trackingNumber, carrier = "" }) {
      const order = orders.get(orderId);
      if (order === undefined) throw new RangeError(`No order ${orderId}`);
      const shipment: BigCommerceShipment = {
        id: nextId++,
        tracking_number: trackingNumber,
        tracking_carrier: carrier,
      };
      orders.set(orderId, { ...order, shipments: [...(order.shipments ?? []), shipment] });
      emit("store/shipment/created", { type: "shipment", id: shipment.id, orderId });
      control.setOrderStatus(orderId, 2);
      return shipment;
    },
    settle: () => applyDue(clock(), true),
    pending: () => pending.length,
    subscribe(scope, url) {
      hooks.push({ scope, url });
    },
    webhooksSent: () => sent,
  };

  const problem = (status: number, title: string, errors: Record<string, string> = {}) =>
    new Response(JSON.stringify({ status, title, type: PROBLEM_TYPE, errors }), {
      status,
      headers: { "content-type": "application/problem+json" },
    });

  function parseItems(
    body: unknown,
    kind: "absolute" | "relative",
  ): Adjustment["items"] | Response {
    const items = (body as { items?: unknown } | undefined)?.items;
    if (!Array.isArray(items) || items.length === 0)
      return problem(422, "items: at least one item is required");
    if (items.length > MAX_ITEMS)
      return problem(422, `items: at most ${MAX_ITEMS} items per request`);
    const parsed: { variant: BigCommerceVariant; locationId: number; quantity: number }[] = [];
    const errors: Record<string, string> = {};
    items.forEach((raw: Record<string, unknown>, i) => {
      const variant =
        typeof raw.sku === "string"
          ? variants.get(raw.sku)
          : typeof raw.variant_id === "number"
            ? variantsById.get(raw.variant_id)
            : typeof raw.product_id === "number"
              ? firstOfProduct.get(raw.product_id)
              : undefined;
      if (variant === undefined) errors[`items.${i}`] = "unknown item";
      else if (products.get(variant.product_id)?.tracking === "none")
        errors[`items.${i}`] = "inventory tracking is off for this item";
      if (typeof raw.location_id !== "number" || !locations.has(raw.location_id))
        errors[`items.${i}.location_id`] = "unknown location";
      if (!Number.isInteger(raw.quantity) || (kind === "absolute" && (raw.quantity as number) < 0))
        errors[`items.${i}.quantity`] = "invalid quantity";
      if (Object.keys(errors).length === 0 && variant !== undefined) {
        parsed.push({
          variant,
          locationId: raw.location_id as number,
          quantity: raw.quantity as number,
        });
      }
    });
    if (Object.keys(errors).length > 0) return problem(422, "Invalid items", errors);
    if (kind === "relative") {
      const fresh = parsed.filter(
        (item) =>
          !onHand.has(key(item.variant.id, item.locationId)) &&
          !pending.some(
            (p) =>
              p.kind === "absolute" &&
              p.items.some(
                (q) => q.variant.id === item.variant.id && q.locationId === item.locationId,
              ),
          ),
      );
      if (fresh.length > 0) {
        return problem(
          422,
          `Items with identity: [${fresh.map((f) => `variant_id ${f.variant.id}`).join(", ")}] requires absolute adjustment before relative`,
        );
      }
    }
    return parsed;
  }

  const adjust =
    (kind: "absolute" | "relative") =>
    async ({ request }: { request: Request }) => {
      const items = parseItems(await readJson(request), kind);
      if (items instanceof Response) return items;
      pending.push({ kind, items, visibleAt: clock() + applyDelay });
      applyDue(clock());
      return json(200, {
        transaction_id: `txn_${Math.floor(random.next() * 2 ** 48).toString(36)}`,
      });
    };

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

  const listIn = (url: URL, name: string) =>
    url.searchParams
      .get(`${name}:in`)
      ?.split(",")
      .filter((s) => s !== "");
  const page = <T>(url: URL, items: readonly T[]) => {
    const limit = Math.min(Number(url.searchParams.get("limit") ?? 50) || 50, 1000);
    const current = Math.max(1, Number(url.searchParams.get("page") ?? 1) || 1);
    const totalPages = Math.max(1, Math.ceil(items.length / limit));
    const data = items.slice((current - 1) * limit, current * limit);
    return json(200, {
      data,
      meta: {
        pagination: {
          total: items.length,
          count: data.length,
          per_page: limit,
          current_page: current,
          total_pages: totalPages,
          links: { current: `?page=${current}&limit=${limit}` },
        },
      },
    });
  };

  /** A v2 page: `page` (from 1) and `limit` (50 by default, 250 at most), as on BigCommerce. */
  const v2Page = <T>(url: URL, items: readonly T[]): T[] => {
    const limit = Math.min(Number(url.searchParams.get("limit") ?? 50) || 50, 250);
    const current = Math.max(1, Number(url.searchParams.get("page") ?? 1) || 1);
    return items.slice((current - 1) * limit, current * limit);
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

  const base = `/stores/${storeHash}`;
  const router = new Router()
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
      applyDue(clock());
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
      applyDue(clock());
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
    .on("PUT", `${base}/v3/inventory/adjustments/absolute`, adjust("absolute"))
    .on("POST", `${base}/v3/inventory/adjustments/relative`, adjust("relative"))
    .on("POST", `${base}/v3/hooks`, async ({ request }) => {
      const body = (await readJson(request)) as
        | { scope?: unknown; destination?: unknown }
        | undefined;
      if (typeof body?.scope !== "string" || typeof body.destination !== "string")
        return problem(422, "scope and destination are required");
      hooks.push({ scope: body.scope, url: body.destination });
      return json(200, {
        data: { id: nextId++, scope: body.scope, destination: body.destination, is_active: true },
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
      return order === undefined
        ? json(404, [{ status: 404, message: "The requested resource was not found." }])
        : json(200, orderJson(order));
    })
    .on("GET", `${base}/v2/orders/:id/shipments`, ({ url, params }) => {
      const order = orders.get(Number(params.id));
      if (order === undefined)
        return json(404, [{ status: 404, message: "The requested resource was not found." }]);
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
      if (order === undefined)
        return json(404, [{ status: 404, message: "The requested resource was not found." }]);
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

  const quotaHeaders = (now: number) => ({
    "x-rate-limit-time-window-ms": String(windowMs),
    "x-rate-limit-time-reset-ms": String(Math.max(0, window.start + windowMs - now)),
    "x-rate-limit-requests-quota": String(quota),
    "x-rate-limit-requests-left": String(Math.max(0, quota - window.used)),
  });

  function rateLimitedResponse(): Response {
    const now = clock();
    const response = problem(429, "Too Many Requests");
    for (const [name, value] of Object.entries(quotaHeaders(now)))
      response.headers.set(name, value);
    response.headers.set(
      "x-retry-after",
      String(Math.ceil(Math.max(0, window.start + windowMs - now) / 1000)),
    );
    return response;
  }

  return {
    platform: "bigcommerce",
    control,
    credentials: { storeHash, accessToken, clientSecret, webhookSecret },
    rateLimitedResponse,
    async fetch(request) {
      if (request.headers.get("x-auth-token") !== accessToken) {
        return problem(401, "The request is missing a valid X-Auth-Token");
      }
      const now = clock();
      if (now >= window.start + windowMs) window = { start: now, used: 0 };
      if (window.used >= quota) return rateLimitedResponse();
      window.used++;
      const response = (await router.route(request)) ?? problem(404, "Not Found");
      for (const [name, value] of Object.entries(quotaHeaders(now)))
        response.headers.set(name, value);
      return response;
    },
  };
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
