import { createHmac } from "node:crypto";
import {
  buildSchema,
  type DocumentNode,
  execute,
  type FieldNode,
  type FragmentDefinitionNode,
  GraphQLError,
  type GraphQLObjectType,
  getNamedType,
  isLeafType,
  isObjectType,
  Kind,
  type OperationDefinitionNode,
  parse,
  type SelectionSetNode,
  validate,
  valueFromASTUntyped,
} from "graphql";
import { json } from "../common/http.js";
import { createRandom } from "../common/random.js";
import type { Clock, DeliverWebhook, PlatformServer } from "../common/types.js";
import { SHOPIFY_SDL } from "./schema.js";

/** Shopify plans: bucket size (points) and restore rate (points per second). */
const PLANS = {
  standard: { bucket: 2_000, restore: 100 },
  advanced: { bucket: 4_000, restore: 200 },
  plus: { bucket: 20_000, restore: 1_000 },
  enterprise: { bucket: 40_000, restore: 2_000 },
} as const;

/** Options of {@link createShopifyServer}. */
export interface ShopifyServerOptions {
  /** @default "sandbox-1.myshopify.com" */
  readonly shop?: string;
  /** @default "shpat_sandbox" */
  readonly accessToken?: string;
  /** The app's secret: webhooks are signed with it. @default "shpss_sandbox" */
  readonly webhookSecret?: string;
  /** @default "standard" */
  readonly plan?: keyof typeof PLANS;
  /**
   * The bucket size in points, over the plan's (development stores have far smaller
   * buckets, and Shopify has changed the standard plan's over time).
   * @default the plan's
   */
  readonly bucketSize?: number;
  /**
   * Points restored per second, over the plan's.
   * @default the plan's
   */
  readonly restoreRate?: number;
  readonly deliver?: DeliverWebhook;
  /** @default Date.now */
  readonly clock?: Clock;
  /** @default 1 */
  readonly seed?: number;
}

/** The named quantities the sandbox keeps per item and location. */
export type QuantityName =
  | "available"
  | "committed"
  | "reserved"
  | "damaged"
  | "safety_stock"
  | "quality_control"
  | "incoming";

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

/** The webhook topics the sandbox sends. */
export type ShopifyTopic =
  | "orders/create"
  | "orders/cancelled"
  | "orders/fulfilled"
  | "refunds/create"
  | "inventory_levels/update";

/** A running fake Shopify store. */
export interface ShopifyServer extends PlatformServer {
  readonly platform: "shopify";
  readonly control: ShopifyControl;
  readonly credentials: {
    readonly shop: string;
    readonly accessToken: string;
    readonly webhookSecret: string;
    readonly apiVersion: "2026-04";
  };
  /**
   * Shopify's own throttled answer, for fault injection: `THROTTLED` with the bucket's
   * status, and the cost the refused query asked for where known.
   */
  rateLimitedResponse(requestedQueryCost?: number): Response;
}

const QUANTITY_NAMES: readonly QuantityName[] = [
  "available",
  "committed",
  "reserved",
  "damaged",
  "safety_stock",
  "quality_control",
  "incoming",
];
const MAX_INPUT = 250;
const MAX_QUERY_COST = 1_000;

interface Level {
  active: boolean;
  readonly quantities: Record<QuantityName, number>;
}

interface OrderState {
  readonly legacyId: number;
  readonly name: string;
  readonly locationId: string;
  readonly lines: readonly {
    readonly id: number;
    readonly variantId: string;
    readonly quantity: number;
  }[];
  readonly createdAt: number;
  updatedAt: number;
  cancelledAt: number | undefined;
  fulfilled: boolean;
  readonly refunds: RefundState[];
}

interface RefundState {
  readonly legacyId: number;
  readonly createdAt: number;
  readonly lines: readonly {
    readonly lineId: number | undefined;
    readonly variantId: string;
    readonly quantity: number;
    readonly restock: boolean;
  }[];
}

/**
 * A fake Shopify store's Admin GraphQL API (2026-04), executed with the `graphql`
 * library against {@link SHOPIFY_SDL}: locations, variants and inventory items by SKU,
 * inventory levels with named quantities, `inventorySetQuantities` (250 items, the
 * required `changeFromQuantity` compare-and-set, the required `@idempotent` key,
 * `userErrors`), `inventoryAdjustQuantities`, `inventoryActivate` and orders; query cost
 * by Shopify's rules, a leaky bucket per shop with `extensions.cost` and `THROTTLED`; and
 * signed webhooks.
 */
export function createShopifyServer(options: ShopifyServerOptions = {}): ShopifyServer {
  const clock = options.clock ?? Date.now;
  const random = createRandom(options.seed ?? 1);
  const shop = options.shop ?? "sandbox-1.myshopify.com";
  const accessToken = options.accessToken ?? "shpat_sandbox";
  const webhookSecret = options.webhookSecret ?? "shpss_sandbox";
  const planned = PLANS[options.plan ?? "standard"];
  const plan: { readonly bucket: number; readonly restore: number } = {
    bucket: options.bucketSize ?? planned.bucket,
    restore: options.restoreRate ?? planned.restore,
  };
  const schema = buildSchema(SHOPIFY_SDL);

  let nextId = 1_000;
  const gid = (type: string, id = nextId++) => `gid://shopify/${type}/${id}`;
  const locations = new Map<string, { id: string; name: string; isActive: boolean }>();
  const items = new Map<string, { id: string; sku: string; tracked: boolean }>();
  const variants = new Map<string, { id: string; title: string; sku: string; itemId: string }>();
  const levels = new Map<string, Level>();
  const orders = new Map<string, OrderState>();
  const idempotency = new Map<string, { input: string; result: unknown }>();
  const hooks: { topic: ShopifyTopic; url: string }[] = [];
  const sent: { topic: string; body: string }[] = [];
  let bucket: { level: number; at: number } = { level: plan.bucket, at: clock() };

  const levelKey = (itemId: string, locationId: string) => `${itemId}|${locationId}`;
  const onHand = (q: Record<QuantityName, number>) =>
    q.available + q.committed + q.reserved + q.damaged + q.safety_stock + q.quality_control;
  const level = (itemId: string, locationId: string) => levels.get(levelKey(itemId, locationId));
  const numeric = (id: string) => Number(id.slice(id.lastIndexOf("/") + 1));

  function emit(topic: ShopifyTopic, payload: unknown): void {
    const body = JSON.stringify(payload);
    for (const hook of hooks) {
      if (hook.topic !== topic) continue;
      if (options.deliver === undefined) {
        sent.push({ topic, body });
        continue;
      }
      const id = `${Math.floor(random.next() * 2 ** 32).toString(16)}-${Math.floor(random.next() * 2 ** 32).toString(16)}`;
      options.deliver({
        id,
        topic,
        url: hook.url,
        body,
        headers: {
          "content-type": "application/json",
          "x-shopify-topic": topic,
          "x-shopify-hmac-sha256": createHmac("sha256", webhookSecret)
            .update(body)
            .digest("base64"),
          "x-shopify-shop-domain": shop,
          "x-shopify-webhook-id": id,
          "x-shopify-api-version": "2026-04",
          "x-shopify-triggered-at": new Date(clock()).toISOString(),
        },
      });
    }
  }

  function emitLevel(itemId: string, locationId: string): void {
    const l = level(itemId, locationId);
    emit("inventory_levels/update", {
      inventory_item_id: numeric(itemId),
      location_id: numeric(locationId),
      available: l?.quantities.available ?? 0,
      updated_at: new Date(clock()).toISOString(),
      admin_graphql_api_id: `gid://shopify/InventoryLevel/${numeric(itemId)}?inventory_item_id=${numeric(itemId)}`,
    });
  }

  function orderJson(o: OrderState) {
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

  const control: ShopifyControl = {
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
    stock(itemId, locationId, available) {
      const quantities = Object.fromEntries(QUANTITY_NAMES.map((n) => [n, 0])) as Record<
        QuantityName,
        number
      >;
      levels.set(levelKey(itemId, locationId), {
        active: true,
        quantities: { ...quantities, available },
      });
    },
    quantity(itemId, locationId, name = "available") {
      const l = level(itemId, locationId);
      if (l === undefined) return 0;
      return name === "on_hand" ? onHand(l.quantities) : l.quantities[name];
    },
    placeOrder(lines, locationId) {
      const legacyId = nextId++;
      const order: OrderState = {
        legacyId,
        name: `#${legacyId}`,
        locationId,
        lines: lines.map((l) => ({ id: nextId++, variantId: l.variantId, quantity: l.quantity })),
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
      emit("orders/create", orderJson(order));
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
      emit("orders/cancelled", orderJson(order));
    },
    fulfillOrder(orderId) {
      const order = orders.get(orderId);
      if (order === undefined || order.fulfilled) return;
      order.fulfilled = true;
      order.updatedAt = clock();
      moveQuantities(order, (q, n) => {
        q.committed -= n;
      });
      emit("orders/fulfilled", orderJson(order));
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
        legacyId: nextId++,
        createdAt: clock(),
        lines: lines.map((l) => ({
          lineId: order.lines.find((ol) => ol.variantId === l.variantId)?.id,
          variantId: l.variantId,
          quantity: l.quantity,
          restock: l.restock,
        })),
      };
      order.refunds.push(refund);
      emit("refunds/create", {
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
    subscribe(topic, url) {
      hooks.push({ topic, url });
    },
    webhooksSent: () => sent,
  };

  // The objects the schema resolves, built on demand from the state.
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

  const adjustmentGroup = (
    reason: string,
    changes: { name: string; delta: number; quantityAfterChange: number }[],
  ) => ({
    id: gid("InventoryAdjustmentGroup"),
    createdAt: new Date(clock()).toISOString(),
    reason,
    changes: () => changes,
  });

  type QuantityInput = {
    inventoryItemId: string;
    locationId: string;
    quantity: number;
    changeFromQuantity?: number | null;
  };

  function setQuantities(input: { reason: string; name: string; quantities: QuantityInput[] }) {
    const errors: { code: string; field: string[]; message: string }[] = [];
    if (input.name !== "available" && input.name !== "on_hand") {
      errors.push({
        code: "INVALID_NAME",
        field: ["input", "name"],
        message: "The quantity name must be either 'available' or 'on_hand'.",
      });
    }
    const seen = new Set<string>();
    input.quantities.forEach((q, i) => {
      const field = ["input", "quantities", String(i)];
      const l = level(q.inventoryItemId, q.locationId);
      if (!items.has(q.inventoryItemId))
        errors.push({
          code: "INVALID_INVENTORY_ITEM",
          field: [...field, "inventoryItemId"],
          message: "The specified inventory item could not be found.",
        });
      else if (!locations.has(q.locationId))
        errors.push({
          code: "INVALID_LOCATION",
          field: [...field, "locationId"],
          message: "The specified location could not be found.",
        });
      else if (l === undefined || !l.active)
        errors.push({
          code: "ITEM_NOT_STOCKED_AT_LOCATION",
          field: [...field, "locationId"],
          message: "The specified inventory item is not stocked at the location.",
        });
      if (q.quantity < 0)
        errors.push({
          code: "INVALID_QUANTITY_NEGATIVE",
          field: [...field, "quantity"],
          message: "The quantity can't be negative.",
        });
      if (seen.has(levelKey(q.inventoryItemId, q.locationId))) {
        errors.push({
          code: "NO_DUPLICATE_INVENTORY_ITEM_ID_GROUP_ID_PAIR",
          field: [...field],
          message: "The combination of inventoryItemId and locationId must be unique.",
        });
      }
      seen.add(levelKey(q.inventoryItemId, q.locationId));
      if (!("changeFromQuantity" in q)) {
        errors.push({
          code: "CHANGE_FROM_QUANTITY_STALE",
          field: [...field, "changeFromQuantity"],
          message: "changeFromQuantity must be specified; pass null to opt out of the check.",
        });
      } else if (
        l !== undefined &&
        q.changeFromQuantity !== null &&
        q.changeFromQuantity !== undefined
      ) {
        const current = input.name === "on_hand" ? onHand(l.quantities) : l.quantities.available;
        if (current !== q.changeFromQuantity) {
          errors.push({
            code: "CHANGE_FROM_QUANTITY_STALE",
            field: [...field, "changeFromQuantity"],
            message: `The quantity couldn't be set: it is ${current}, not ${q.changeFromQuantity}.`,
          });
        }
      }
    });
    if (errors.length > 0) return { inventoryAdjustmentGroup: null, userErrors: errors };
    const changes = input.quantities.map((q) => {
      const l = level(q.inventoryItemId, q.locationId) as Level;
      const before = input.name === "on_hand" ? onHand(l.quantities) : l.quantities.available;
      l.quantities.available += q.quantity - before;
      emitLevel(q.inventoryItemId, q.locationId);
      return { name: input.name, delta: q.quantity - before, quantityAfterChange: q.quantity };
    });
    return { inventoryAdjustmentGroup: adjustmentGroup(input.reason, changes), userErrors: [] };
  }

  type ChangeInput = {
    inventoryItemId: string;
    locationId: string;
    delta: number;
    changeFromQuantity?: number | null;
  };

  function adjustQuantities(input: { reason: string; name: string; changes: ChangeInput[] }) {
    const errors: { code: string; field: string[]; message: string }[] = [];
    const name = input.name as QuantityName;
    if (!QUANTITY_NAMES.includes(name) || name === "committed") {
      errors.push({
        code: "INVALID_QUANTITY_NAME",
        field: ["input", "name"],
        message: "The quantity name is not adjustable.",
      });
    }
    input.changes.forEach((c, i) => {
      const field = ["input", "changes", String(i)];
      const l = level(c.inventoryItemId, c.locationId);
      if (!items.has(c.inventoryItemId))
        errors.push({
          code: "INVALID_INVENTORY_ITEM",
          field: [...field, "inventoryItemId"],
          message: "The specified inventory item could not be found.",
        });
      else if (l === undefined || !l.active)
        errors.push({
          code: "ITEM_NOT_STOCKED_AT_LOCATION",
          field: [...field, "locationId"],
          message: "The specified inventory item is not stocked at the location.",
        });
      else if (
        c.changeFromQuantity !== null &&
        c.changeFromQuantity !== undefined &&
        l.quantities[name] !== c.changeFromQuantity
      ) {
        errors.push({
          code: "CHANGE_FROM_QUANTITY_STALE",
          field: [...field, "changeFromQuantity"],
          message: "The quantity has changed since it was read.",
        });
      }
    });
    if (errors.length > 0) return { inventoryAdjustmentGroup: null, userErrors: errors };
    const changes = input.changes.map((c) => {
      const l = level(c.inventoryItemId, c.locationId) as Level;
      l.quantities[name] += c.delta;
      emitLevel(c.inventoryItemId, c.locationId);
      return { name, delta: c.delta, quantityAfterChange: l.quantities[name] };
    });
    return { inventoryAdjustmentGroup: adjustmentGroup(input.reason, changes), userErrors: [] };
  }

  /** Runs a mutation once per idempotency key: a repeat returns the first result. */
  function once<T>(
    key: string | undefined,
    input: unknown,
    run: () => T,
  ): T | { inventoryAdjustmentGroup: null; userErrors: unknown[] } {
    if (key === undefined)
      throw new GraphQLError("The @idempotent directive is required for this mutation.", {
        extensions: { code: "BAD_REQUEST" },
      });
    const serialized = JSON.stringify(input);
    const previous = idempotency.get(key);
    if (previous !== undefined) {
      if (previous.input !== serialized) {
        return {
          inventoryAdjustmentGroup: null,
          userErrors: [
            {
              code: "IDEMPOTENCY_KEY_PARAMETER_MISMATCH",
              field: ["input"],
              message: "The same idempotency key was used with different parameters.",
            },
          ],
        };
      }
      return previous.result as T;
    }
    const result = run();
    idempotency.set(key, { input: serialized, result });
    return result;
  }

  const search = (query: string | undefined, key: string) =>
    new RegExp(`(?:^|\\s)${key}:(\\S+)`).exec(query ?? "")?.[1];
  /** Every value of a search term: `sku:A OR sku:"B C" OR sku:'D'`. */
  const terms = (query: string | undefined, key: string) =>
    [
      ...(query ?? "").matchAll(
        new RegExp(`(?:^|[\\s(])${key}:(?:"((?:[^"\\\\]|\\\\.)*)"|'([^']*)'|([^\\s()]+))`, "g"),
      ),
    ].map((m) => (m[1] === undefined ? (m[2] ?? m[3] ?? "") : m[1].replace(/\\(.)/g, "$1")));

  type ListArgs = { first?: number; after?: string; query?: string };
  /** The ids of a map's entries whose SKU matches the search's `sku:` term, if any. */
  const bySku = (map: ReadonlyMap<string, { readonly sku: string }>, query: string | undefined) => {
    const skus = new Set(terms(query, "sku"));
    return [...map].filter(([, v]) => skus.size === 0 || skus.has(v.sku)).map(([id]) => id);
  };

  function rootValue(keys: ReadonlyMap<string, string>) {
    return {
      location: ({ id }: { id?: string }) =>
        id === undefined ? ([...locations.values()][0] ?? null) : locationNode(id),
      locations: ({ first = 50, after }: { first?: number; after?: string }) =>
        connection([...locations.values()], first, after),
      productVariants: ({ first = 50, after, query }: ListArgs) =>
        connection(bySku(variants, query).map(variantNode), first, after),
      inventoryItem: ({ id }: { id: string }) => itemNode(id),
      inventoryItems: ({ first = 50, after, query }: ListArgs) =>
        connection(bySku(items, query).map(itemNode), first, after),
      productVariant: ({ id }: { id: string }) => variantNode(id),
      order: ({ id }: { id: string }) => {
        const o = orders.get(id);
        return o === undefined ? null : orderNode(id, o);
      },
      refund: ({ id }: { id: string }) => {
        for (const o of orders.values()) {
          const r = o.refunds.find((candidate) => gid("Refund", candidate.legacyId) === id);
          if (r !== undefined) return refundNode(o, r);
        }
        return null;
      },
      orders: ({
        first = 50,
        after,
        query,
        sortKey = "ID",
        reverse = false,
      }: {
        first?: number;
        after?: string;
        query?: string;
        sortKey?: "CREATED_AT" | "ID" | "UPDATED_AT";
        reverse?: boolean;
      }) => {
        const term = search(query, "updated_at");
        const inclusive = term?.startsWith(">=") ?? false;
        const since = term?.replace(/^>=?/, "").replace(/^['"]|['"]$/g, "");
        const from = since === undefined ? Number.NEGATIVE_INFINITY : Date.parse(since);
        const key = (o: OrderState) =>
          sortKey === "UPDATED_AT" ? o.updatedAt : sortKey === "CREATED_AT" ? o.createdAt : 0;
        const sorted = [...orders]
          .filter(([, o]) => (inclusive ? o.updatedAt >= from : o.updatedAt > from))
          .sort(([, a], [, b]) => key(a) - key(b) || a.legacyId - b.legacyId);
        if (reverse) sorted.reverse();
        return connection(
          sorted.map(([id, o]) => orderNode(id, o)),
          first,
          after,
        );
      },
      inventorySetQuantities: (
        { input }: { input: Parameters<typeof setQuantities>[0] },
        _context: unknown,
        info: { path: { key: string | number } },
      ) => once(keys.get(String(info.path.key)), input, () => setQuantities(input)),
      inventoryAdjustQuantities: (
        { input }: { input: Parameters<typeof adjustQuantities>[0] },
        _context: unknown,
        info: { path: { key: string | number } },
      ) => once(keys.get(String(info.path.key)), input, () => adjustQuantities(input)),
      inventoryActivate: ({
        inventoryItemId,
        locationId,
        available,
      }: {
        inventoryItemId: string;
        locationId: string;
        available?: number;
      }) => {
        if (!items.has(inventoryItemId) || !locations.has(locationId)) {
          return {
            inventoryLevel: null,
            userErrors: [
              { field: ["inventoryItemId"], message: "Inventory item or location not found." },
            ],
          };
        }
        const existing = level(inventoryItemId, locationId);
        if (existing === undefined) control.stock(inventoryItemId, locationId, available ?? 0);
        else existing.active = true;
        return { inventoryLevel: levelNode(inventoryItemId, locationId), userErrors: [] };
      },
    };
  }

  /** Restores the bucket for the time passed. */
  function refill(now: number): void {
    bucket = {
      level: Math.min(plan.bucket, bucket.level + ((now - bucket.at) / 1000) * plan.restore),
      at: now,
    };
  }

  function throttleStatus(now: number) {
    refill(now);
    return {
      maximumAvailable: plan.bucket,
      currentlyAvailable: Math.floor(bucket.level),
      restoreRate: plan.restore,
    };
  }

  function rateLimitedResponse(requestedQueryCost = 0): Response {
    return json(200, {
      errors: [
        {
          message: "Throttled",
          extensions: {
            code: "THROTTLED",
            documentation: "https://shopify.dev/api/usage/rate-limits",
          },
        },
      ],
      extensions: {
        cost: {
          requestedQueryCost,
          actualQueryCost: null,
          throttleStatus: throttleStatus(clock()),
        },
      },
    });
  }

  return {
    platform: "shopify",
    control,
    credentials: { shop, accessToken, webhookSecret, apiVersion: "2026-04" },
    rateLimitedResponse,
    async fetch(request) {
      const url = new URL(request.url);
      if (request.method !== "POST" || url.pathname !== "/admin/api/2026-04/graphql.json")
        return json(404, { errors: "Not Found" });
      if (request.headers.get("x-shopify-access-token") !== accessToken) {
        return json(401, {
          errors: "[API] Invalid API key or access token (unrecognized login or wrong password)",
        });
      }
      let body: { query?: unknown; variables?: unknown; operationName?: unknown };
      try {
        body = (await request.json()) as typeof body;
      } catch {
        return json(400, { errors: { query: "Required parameter missing or invalid" } });
      }
      if (typeof body.query !== "string")
        return json(400, { errors: { query: "Required parameter missing or invalid" } });
      let document: DocumentNode;
      try {
        document = parse(body.query);
      } catch (error) {
        return json(200, {
          errors: [{ message: (error as Error).message, extensions: { code: "PARSE_ERROR" } }],
        });
      }
      const invalid = validate(schema, document);
      if (invalid.length > 0) return json(200, { errors: invalid.map((e) => e.toJSON()) });
      const variables = (
        typeof body.variables === "object" && body.variables !== null ? body.variables : {}
      ) as Record<string, unknown>;
      const operation = document.definitions.find(
        (d): d is OperationDefinitionNode =>
          d.kind === Kind.OPERATION_DEFINITION &&
          (body.operationName === undefined || d.name?.value === body.operationName),
      );
      if (operation === undefined)
        return json(200, { errors: [{ message: "No operation to run" }] });
      const fragments = new Map(
        document.definitions
          .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
          .map((f) => [f.name.value, f]),
      );
      const root = (
        operation.operation === "mutation" ? schema.getMutationType() : schema.getQueryType()
      ) as GraphQLObjectType;
      const requested = costOf(
        operation.selectionSet,
        root,
        fragments,
        variables,
        operation.operation === "mutation",
      );
      refill(clock());
      if (requested > MAX_QUERY_COST) {
        return json(200, {
          errors: [
            {
              message: `Query cost is ${requested}, which exceeds the single query max cost limit (${MAX_QUERY_COST}).`,
              extensions: { code: "MAX_COST_EXCEEDED", cost: requested, maxCost: MAX_QUERY_COST },
            },
          ],
        });
      }
      if (requested > bucket.level) return rateLimitedResponse(requested);
      for (const selection of operation.selectionSet.selections) {
        if (selection.kind !== Kind.FIELD) continue;
        const input = selection.arguments?.find((a) => a.name.value === "input");
        const list =
          input === undefined
            ? undefined
            : (valueFromASTUntyped(input.value, variables) as
                | Record<string, unknown[]>
                | undefined);
        const items = list?.quantities ?? list?.changes;
        if (Array.isArray(items) && items.length > MAX_INPUT) {
          return json(200, {
            errors: [
              {
                message: `The input array size of ${items.length} is greater than the maximum allowed of ${MAX_INPUT}.`,
                locations: [
                  selection.loc?.startToken
                    ? {
                        line: selection.loc.startToken.line,
                        column: selection.loc.startToken.column,
                      }
                    : { line: 1, column: 1 },
                ],
                extensions: { code: "MAX_INPUT_SIZE_EXCEEDED" },
              },
            ],
          });
        }
      }
      bucket.level -= requested;
      const keys = new Map<string, string>();
      for (const selection of operation.selectionSet.selections) {
        if (selection.kind !== Kind.FIELD) continue;
        const directive = selection.directives?.find((d) => d.name.value === "idempotent");
        const key = directive?.arguments?.find((a) => a.name.value === "key");
        if (key !== undefined)
          keys.set(
            (selection.alias ?? selection.name).value,
            String(valueFromASTUntyped(key.value, variables)),
          );
      }
      const result = await execute({
        schema,
        document,
        rootValue: rootValue(keys),
        variableValues: variables,
        ...(typeof body.operationName === "string" ? { operationName: body.operationName } : {}),
      });
      return json(200, {
        ...(result.errors === undefined ? {} : { errors: result.errors.map((e) => e.toJSON()) }),
        data: result.data ?? null,
        extensions: {
          cost: {
            requestedQueryCost: requested,
            actualQueryCost: requested,
            throttleStatus: throttleStatus(clock()),
          },
        },
      });
    },
  };
}

/** A connection over a list: `first` items after the cursor `after` (an index). */
function connection<T>(all: readonly T[], first: number, after: string | undefined) {
  const start = after === undefined ? 0 : Number(Buffer.from(after, "base64").toString()) + 1;
  const nodes = all.slice(start, start + Math.max(0, first));
  const end = start + nodes.length - 1;
  return {
    nodes,
    pageInfo: {
      hasNextPage: start + nodes.length < all.length,
      endCursor: nodes.length === 0 ? null : Buffer.from(String(end)).toString("base64"),
    },
  };
}

/**
 * Shopify's documented query cost: scalars and enums 0, objects 1, connections 2 plus
 * `first` (or `last`) times the cost of one node, mutations 10.
 */
function costOf(
  selectionSet: SelectionSetNode,
  parent: GraphQLObjectType,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  variables: Record<string, unknown>,
  isMutationRoot = false,
): number {
  let cost = 0;
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FRAGMENT_SPREAD) {
      const fragment = fragments.get(selection.name.value);
      if (fragment !== undefined)
        cost += costOf(fragment.selectionSet, parent, fragments, variables);
      continue;
    }
    if (selection.kind === Kind.INLINE_FRAGMENT) {
      cost += costOf(selection.selectionSet, parent, fragments, variables);
      continue;
    }
    cost += fieldCost(selection, parent, fragments, variables, isMutationRoot);
  }
  return cost;
}

function fieldCost(
  field: FieldNode,
  parent: GraphQLObjectType,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  variables: Record<string, unknown>,
  isMutationRoot: boolean,
): number {
  const definition = parent.getFields()[field.name.value];
  if (definition === undefined) return 0;
  const type = getNamedType(definition.type);
  // A mutation costs 10, plus the objects its payload selects (userErrors: 1).
  if (isMutationRoot) {
    return (
      10 +
      (isObjectType(type) && field.selectionSet !== undefined
        ? costOf(field.selectionSet, type, fragments, variables)
        : 0)
    );
  }
  if (isLeafType(type) || !isObjectType(type) || field.selectionSet === undefined) return 0;
  if (type.name.endsWith("Connection")) {
    const size = field.arguments?.find((a) => a.name.value === "first" || a.name.value === "last");
    const count =
      size === undefined ? 50 : Number(valueFromASTUntyped(size.value, variables) ?? 50);
    let perNode = 0;
    for (const selection of field.selectionSet.selections) {
      if (
        selection.kind !== Kind.FIELD ||
        selection.name.value !== "nodes" ||
        selection.selectionSet === undefined
      )
        continue;
      const nodes = type.getFields().nodes;
      if (nodes === undefined) continue;
      const nodeType = getNamedType(nodes.type) as GraphQLObjectType;
      perNode += 1 + costOf(selection.selectionSet, nodeType, fragments, variables);
    }
    return 2 + count * perNode;
  }
  return 1 + costOf(field.selectionSet, type, fragments, variables);
}
