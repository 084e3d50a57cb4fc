import {
  isOmnistockError,
  OmnistockError,
  parseWith,
  type RoleCallOptions,
  validationError,
} from "@omnistock/core";
import {
  createBigCommerceLimiter,
  createHttpClient,
  type HttpClient,
  type HttpClientOptions,
  type RequestOptions,
} from "@omnistock/transport";
import { z } from "zod";
import {
  type BigCommerceInventoryItem,
  type BigCommerceLocationRecord,
  type BigCommerceOrderProductRecord,
  type BigCommerceOrderRecord,
  type BigCommerceProductRecord,
  type BigCommerceShipmentRecord,
  type BigCommerceVariantRecord,
  inventoryItemSchema,
  locationSchema,
  orderProductSchema,
  orderSchema,
  pageSchema,
  productSchema,
  shipmentSchema,
  transactionSchema,
  variantSchema,
} from "./schemas.js";

/** Options of {@link createBigCommerceClient}. */
export interface BigCommerceClientOptions {
  /** The store hash, as in `https://api.bigcommerce.com/stores/{store_hash}/v3`. */
  readonly storeHash: string;
  /** The API account's access token, sent as `X-Auth-Token`. */
  readonly accessToken: string;
  /**
   * The API root before `/stores/{store_hash}`: a sandbox URL in tests.
   * @default "https://api.bigcommerce.com"
   * @example "http://127.0.0.1:53124"
   */
  readonly apiUrl?: string;
  /**
   * Requests per window, until the store reports its own in `X-Rate-Limit-Requests-Quota`
   * (150 on Standard and Plus, 450 on Pro).
   * @default 150
   */
  readonly quota?: number;
  /**
   * The quota's window in milliseconds, until the store reports it.
   * @default 30000
   */
  readonly windowMs?: number;
  /** Passed to the HTTP client (`fetch`, `timeoutMs`, `retry`, `onEvent`, `clock`, `sleep`, …). */
  readonly http?: Omit<HttpClientOptions, "platform" | "baseUrl" | "auth" | "limiter" | "secrets">;
}

/** One absolute level to set: by variant (tracked by variant) or by product (tracked by product). */
export type AbsoluteAdjustmentItem = {
  /** The BigCommerce location id (1 is the default location). */
  readonly locationId: number;
  /** On hand at the location after the adjustment: 0 up to 2,147,483,647. */
  readonly quantity: number;
} & ({ readonly variantId: number } | { readonly productId: number });

/** Options of {@link BigCommerceClient.adjustAbsolute}. */
export interface AdjustAbsoluteOptions extends RoleCallOptions {
  /**
   * Free text BigCommerce keeps for the audit.
   * @default "Omnistock sync"
   */
  readonly reason?: string;
  /**
   * Goes ahead of every bulk adjustment still waiting its turn (an oversell risk).
   * @default false
   */
  readonly urgent?: boolean;
}

/** The BigCommerce endpoints Omnistock needs, typed and validated. */
export interface BigCommerceClient {
  /** The store this client talks to. */
  readonly storeHash: string;
  /** Every inventory location (`GET /v3/inventory/locations`, every page). */
  locations(options?: RoleCallOptions): Promise<BigCommerceLocationRecord[]>;
  /**
   * Catalog variants (`GET /v3/catalog/variants`, every page): those with the given SKUs
   * (`sku:in`), or the whole catalog when `skus` is omitted.
   */
  variants(
    options?: RoleCallOptions & { readonly skus?: readonly string[] },
  ): Promise<BigCommerceVariantRecord[]>;
  /** Products by id with their `inventory_tracking` (`GET /v3/catalog/products?id:in=`). */
  products(ids: readonly number[], options?: RoleCallOptions): Promise<BigCommerceProductRecord[]>;
  /**
   * Inventory items with their levels (`GET /v3/inventory/items`, every page), filtered by
   * SKU, variant, product and location where given. Items whose inventory is not tracked
   * are not listed.
   */
  inventoryItems(
    options?: RoleCallOptions & {
      readonly skus?: readonly string[];
      readonly variantIds?: readonly number[];
      readonly productIds?: readonly number[];
      readonly locationIds?: readonly number[];
    },
  ): Promise<BigCommerceInventoryItem[]>;
  /**
   * Sets absolute levels (`PUT /v3/inventory/adjustments/absolute`), at most
   * {@link MAX_ADJUSTMENT_ITEMS} items. BigCommerce asks for one bulk adjustment in flight
   * per store, so calls on one client run one after another, urgent ones first. BigCommerce
   * applies the adjustment later: the answer is only its transaction id.
   *
   * @throws {@link OmnistockError} `VALIDATION` for more than 2,000 items or none; the
   *   transport's errors for a failed request (`REQUEST` with status 422 for items
   *   BigCommerce refuses).
   */
  adjustAbsolute(
    items: readonly AbsoluteAdjustmentItem[],
    options?: AdjustAbsoluteOptions,
  ): Promise<{ readonly transactionId: string }>;
  /**
   * Orders modified at or after `since` (`GET /v2/orders?min_date_modified=`, every page,
   * by id); every order when `since` is omitted. An empty answer (204) is no orders.
   */
  ordersModifiedSince(
    since: Date | undefined,
    options?: RoleCallOptions,
  ): Promise<BigCommerceOrderRecord[]>;
  /** One order (`GET /v2/orders/{id}`), or `undefined` when BigCommerce has none by that id. */
  order(id: number, options?: RoleCallOptions): Promise<BigCommerceOrderRecord | undefined>;
  /** The lines of an order (`GET /v2/orders/{id}/products`, every page). */
  orderProducts(id: number, options?: RoleCallOptions): Promise<BigCommerceOrderProductRecord[]>;
  /** The shipments of an order (`GET /v2/orders/{id}/shipments`, every page; 204 is none). */
  orderShipments(id: number, options?: RoleCallOptions): Promise<BigCommerceShipmentRecord[]>;
}

/** The most items BigCommerce takes in one inventory adjustment. */
export const MAX_ADJUSTMENT_ITEMS = 2_000;
/** The most a level may be at one location. */
export const MAX_QUANTITY = 2_147_483_647;

const CATALOG_PAGE = 250;
const INVENTORY_PAGE = 1_000;
const V2_PAGE = 250;
/** How long a comma-separated `:in` filter may grow: URLs stay well under common limits. */
const FILTER_CHARS = 1_500;

const optionsSchema = z.strictObject({
  storeHash: z.string().regex(/^[a-z0-9]+$/i, { error: "expected the store hash" }),
  accessToken: z.string().min(1),
  apiUrl: z
    .string()
    .refine((url) => /^https?:\/\//i.test(url) && URL.canParse(url), {
      error: "expected an absolute http(s) URL",
    })
    .optional(),
  quota: z.number().int().min(1).optional(),
  windowMs: z.number().int().min(1).optional(),
  http: z.record(z.string(), z.unknown()).optional(),
});

/**
 * Creates the BigCommerce client: on `@omnistock/transport` with BigCommerce's quota
 * (read back from the `X-Rate-Limit-*` headers, shared with the store's other apps),
 * `X-Auth-Token` auth, the store hash in the base URL, one inventory adjustment in flight
 * at a time, and zod validation of every answer.
 *
 * @throws {@link OmnistockError} `VALIDATION` naming every unknown, missing or invalid option.
 * @example
 * ```ts
 * const bigcommerce = createBigCommerceClient({ storeHash: "abc123", accessToken });
 * const locations = await bigcommerce.locations();
 * ```
 */
export function createBigCommerceClient(options: BigCommerceClientOptions): BigCommerceClient {
  parseWith(optionsSchema, options, "BigCommerce client options", { platform: "bigcommerce" });
  const { storeHash, accessToken } = options;
  const apiUrl = (options.apiUrl ?? "https://api.bigcommerce.com").replace(/\/+$/, "");
  const time = {
    // The limiter waits on the same time as the client, real or simulated.
    ...(options.http?.clock === undefined ? {} : { clock: options.http.clock }),
    ...(options.http?.sleep === undefined ? {} : { sleep: options.http.sleep }),
  };
  const http: HttpClient = createHttpClient({
    ...options.http,
    platform: "bigcommerce",
    baseUrl: `${apiUrl}/stores/${storeHash}`,
    headers: { accept: "application/json", ...options.http?.headers },
    limiter: createBigCommerceLimiter({
      ...(options.quota === undefined ? {} : { quota: options.quota }),
      ...(options.windowMs === undefined ? {} : { windowMs: options.windowMs }),
      ...time,
    }),
    secrets: [accessToken],
    auth: () => ({ "x-auth-token": accessToken }),
  });
  const adjustments = createTurns();

  async function get<S extends z.ZodType>(
    schema: S,
    what: string,
    request: RequestOptions,
  ): Promise<{ readonly status: number; readonly value: z.output<S> | undefined }> {
    const { status, body } = await http.request(request);
    if (status === 204) return { status, value: undefined };
    return { status, value: parseWith(schema, body, what, { platform: "bigcommerce" }) };
  }

  async function v3All<T extends z.ZodType>(
    item: T,
    path: string,
    what: string,
    query: NonNullable<RequestOptions["query"]>,
    limit: number,
    call: RoleCallOptions,
  ): Promise<z.output<T>[]> {
    const records: z.output<T>[] = [];
    for (let page = 1; ; page++) {
      const { value } = await get(pageSchema(item), what, {
        path,
        query: { ...query, page, limit },
        ...callOf(call),
      });
      if (value === undefined) return records;
      records.push(...value.data);
      const { current_page, total_pages } = value.meta.pagination;
      if (current_page >= total_pages || value.data.length === 0) return records;
    }
  }

  async function v2All<T extends z.ZodType>(
    item: T,
    path: string,
    what: string,
    query: NonNullable<RequestOptions["query"]>,
    call: RoleCallOptions,
  ): Promise<z.output<T>[]> {
    const records: z.output<T>[] = [];
    // v2 pages carry no totals: a short page (or a 204) is the last one.
    for (let page = 1; ; page++) {
      const { value } = await get(z.array(item), what, {
        path,
        query: { ...query, page, limit: V2_PAGE },
        ...callOf(call),
      });
      if (value === undefined) return records;
      records.push(...value);
      if (value.length < V2_PAGE) return records;
    }
  }

  /** Runs `read` for each slice of `values` that fits in one `:in` filter. */
  async function inSlices<V extends string | number, R>(
    values: readonly V[],
    read: (slice: string) => Promise<R[]>,
  ): Promise<R[]> {
    const out: R[] = [];
    for (const slice of filterSlices(values)) out.push(...(await read(slice)));
    return out;
  }

  return {
    storeHash,
    locations: (call = {}) =>
      v3All(
        locationSchema,
        "/v3/inventory/locations",
        "BigCommerce locations",
        {},
        CATALOG_PAGE,
        call,
      ),
    variants: ({ skus, ...call } = {}) => {
      const read = (query: NonNullable<RequestOptions["query"]>) =>
        v3All(
          variantSchema,
          "/v3/catalog/variants",
          "BigCommerce variants",
          { ...query, include_fields: "sku,product_id,sku_id" },
          CATALOG_PAGE,
          call,
        );
      if (skus === undefined) return read({});
      return inSlices(unique(skus), (slice) => read({ "sku:in": slice }));
    },
    products: (ids, call = {}) =>
      inSlices(unique(ids), (slice) =>
        v3All(
          productSchema,
          "/v3/catalog/products",
          "BigCommerce products",
          { "id:in": slice, include_fields: "inventory_tracking" },
          CATALOG_PAGE,
          call,
        ),
      ),
    inventoryItems: ({ skus, variantIds, productIds, locationIds, ...call } = {}) => {
      const filters = {
        ...(locationIds === undefined ? {} : { "location_id:in": unique(locationIds).join(",") }),
        ...(variantIds === undefined ? {} : { "variant_id:in": unique(variantIds).join(",") }),
        ...(productIds === undefined ? {} : { "product_id:in": unique(productIds).join(",") }),
      };
      const read = (query: NonNullable<RequestOptions["query"]>) =>
        v3All(
          inventoryItemSchema,
          "/v3/inventory/items",
          "BigCommerce inventory items",
          { ...filters, ...query },
          INVENTORY_PAGE,
          call,
        );
      if (skus === undefined) return read({});
      return inSlices(unique(skus), (slice) => read({ "sku:in": slice }));
    },
    async adjustAbsolute(items, call = {}) {
      if (items.length === 0 || items.length > MAX_ADJUSTMENT_ITEMS) {
        throw validationError(
          "BigCommerce absolute adjustment",
          [{ path: ["items"], message: `expected 1 to ${MAX_ADJUSTMENT_ITEMS} items` }],
          { platform: "bigcommerce" },
        );
      }
      const json = {
        reason: call.reason ?? "Omnistock sync",
        items: items.map((item) => ({
          location_id: item.locationId,
          ...("variantId" in item
            ? { variant_id: item.variantId }
            : { product_id: item.productId }),
          quantity: item.quantity,
        })),
      };
      return adjustments.run(call.urgent === true, async () => {
        const { value } = await get(transactionSchema, "BigCommerce adjustment answer", {
          method: "PUT",
          path: "/v3/inventory/adjustments/absolute",
          headers: { "content-type": "application/json" },
          json,
          // Absolute: sending it twice leaves the same level.
          replay: "idempotent",
          ...callOf(call),
        });
        if (value === undefined) {
          throw new OmnistockError(
            "BAD_RESPONSE",
            "BigCommerce answered an adjustment with no transaction id",
            { platform: "bigcommerce" },
          );
        }
        return { transactionId: value.transaction_id };
      });
    },
    ordersModifiedSince: (since, call = {}) =>
      v2All(
        orderSchema,
        "/v2/orders",
        "BigCommerce orders",
        {
          sort: "id:asc",
          ...(since === undefined ? {} : { min_date_modified: since.toISOString() }),
        },
        call,
      ),
    async order(id, call = {}) {
      try {
        const { value } = await get(orderSchema, "BigCommerce order", {
          path: `/v2/orders/${id}`,
          ...callOf(call),
        });
        return value;
      } catch (error) {
        if (isOmnistockError(error) && error.status === 404) return undefined;
        throw error;
      }
    },
    orderProducts: (id, call = {}) =>
      v2All(
        orderProductSchema,
        `/v2/orders/${id}/products`,
        "BigCommerce order products",
        {},
        call,
      ),
    orderShipments: (id, call = {}) =>
      v2All(shipmentSchema, `/v2/orders/${id}/shipments`, "BigCommerce order shipments", {}, call),
  };
}

/** The request options a role call asks for: its signal, and whether the transport retries. */
function callOf(call: RoleCallOptions): { signal?: AbortSignal; retries?: number } {
  return {
    ...(call.signal === undefined ? {} : { signal: call.signal }),
    ...(call.retries === "none" ? { retries: 0 } : {}),
  };
}

/** Values once each, in the order first seen. */
function unique<V>(values: readonly V[]): V[] {
  return [...new Set(values)];
}

/** Comma-joined slices of values, each short enough for one query string. */
function filterSlices(values: readonly (string | number)[]): string[] {
  const slices: string[] = [];
  let current: string[] = [];
  let length = 0;
  for (const value of values) {
    const text = String(value);
    if (current.length > 0 && (length + text.length + 1 > FILTER_CHARS || current.length >= 250)) {
      slices.push(current.join(","));
      current = [];
      length = 0;
    }
    current.push(text);
    length += text.length + 1;
  }
  if (current.length > 0) slices.push(current.join(","));
  return slices;
}

/**
 * Runs tasks one at a time, urgent ones before the others still waiting: BigCommerce asks
 * for one bulk inventory adjustment in flight per store.
 */
function createTurns() {
  const waiting: { urgent: boolean; start: () => void }[] = [];
  let busy = false;
  const next = () => {
    const index = waiting.findIndex((w) => w.urgent);
    const task = waiting.splice(index === -1 ? 0 : index, 1)[0];
    if (task === undefined) {
      busy = false;
      return;
    }
    task.start();
  };
  return {
    run<T>(urgent: boolean, task: () => Promise<T>): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        const start = () => {
          busy = true;
          task().then(resolve, reject).finally(next);
        };
        if (busy) waiting.push({ urgent, start });
        else start();
      });
    },
  };
}
