import { OmnistockError, parseWith, type RoleCallOptions } from "@omnistock/core";
import {
  createHttpClient,
  createShopifyLimiter,
  type HttpClient,
  type HttpClientOptions,
  type RateBudget,
  type RateLimiter,
  readShopifyQueryCost,
  type ShopifyPlan,
  shopifyThrottledBody,
} from "@omnistock/transport";
import { z } from "zod";
import {
  ACTIVATE,
  INVENTORY_ITEM,
  LEVELS_PER_QUERY,
  LOCATION_LEVELS,
  LOCATIONS,
  levelsOperation,
  ORDER_LINE_ITEMS,
  ORDERS,
  REFUND_LINE_ITEMS,
  SET_QUANTITIES,
  type ShopifyOperation,
  VARIANT,
  VARIANT_PAGE,
  VARIANTS,
  variantsCost,
} from "./documents.js";
import {
  activateAnswerSchema,
  envelopeSchema,
  type graphqlErrorSchema,
  inventoryItemAnswerSchema,
  itemLevelSchema,
  locationLevelsAnswerSchema,
  locationsAnswerSchema,
  orderLinesAnswerSchema,
  ordersAnswerSchema,
  refundLinesAnswerSchema,
  type ShopifyLineItemRecord,
  type ShopifyLocationRecord,
  type ShopifyOrderRecord,
  type ShopifyRefundLineRecord,
  type ShopifyUserError,
  type ShopifyVariantRecord,
  setQuantitiesAnswerSchema,
  variantAnswerSchema,
  variantsAnswerSchema,
} from "./schemas.js";

/** The Admin API version the adapter speaks. */
export const SHOPIFY_API_VERSION = "2026-04";

/** Options of {@link createShopifyClient}. */
export interface ShopifyClientOptions {
  /**
   * The shop's permanent domain.
   * @example "example.myshopify.com"
   */
  readonly shop: string;
  /**
   * The Admin API access token (`shpat_…`), sent as `X-Shopify-Access-Token`. Scopes:
   * `read_inventory`, `write_inventory`, `read_locations`, `read_products`, `read_orders`.
   */
  readonly accessToken: string;
  /**
   * Where the shop answers, for a sandbox or a proxy: requests go to
   * `{baseUrl}/admin/api/2026-04/graphql.json`.
   * @default `https://{shop}`
   */
  readonly baseUrl?: string;
  /**
   * The shop's plan, for the cost bucket until the first answer reports it.
   * @default "standard"
   */
  readonly plan?: ShopifyPlan;
  /**
   * The rate limiter, to share one store's bucket between several clients of the same app.
   * @default a Shopify limiter of `plan`, on the client's clock
   */
  readonly limiter?: RateLimiter;
  /** Passed to the HTTP client (`fetch`, `timeoutMs`, `retry`, `concurrency`, `onEvent`, `clock`, …). */
  readonly http?: Omit<
    HttpClientOptions,
    "platform" | "baseUrl" | "auth" | "limiter" | "secrets" | "throttledBody"
  >;
}

/** One absolute quantity in an `inventorySetQuantities` call. */
export interface ShopifyQuantityInput {
  readonly inventoryItemId: string;
  readonly locationId: string;
  readonly quantity: number;
  /** The compare-and-set value; `null` opts out (Shopify requires the field from 2026-04). */
  readonly changeFromQuantity: number | null;
}

/** The input of `inventorySetQuantities`. */
export interface ShopifySetQuantitiesInput {
  readonly name: "available" | "on_hand";
  readonly reason: string;
  readonly referenceDocumentUri?: string;
  readonly quantities: readonly ShopifyQuantityInput[];
}

/** One (inventory item, location) pair. */
export interface ShopifyLevelRef {
  readonly inventoryItemId: string;
  readonly locationId: string;
}

/** A page of orders, with the cursor of the next. */
export interface ShopifyOrdersPage {
  readonly orders: readonly ShopifyOrderRecord[];
  readonly endCursor: string | undefined;
}

/** The Shopify Admin GraphQL operations Omnistock needs, typed and validated. */
export interface ShopifyClient {
  /** The shop's domain. */
  readonly shop: string;
  /** The shop's cost budget as the client sees it. */
  budget(): RateBudget;
  /**
   * Sends one operation and returns its `data`, validated by `schema`.
   * @throws {@link OmnistockError} `VALIDATION` naming the path of a missing or invalid
   *   field; `AUTH`, `REQUEST`, `SERVER` for GraphQL `errors`; the transport's errors.
   */
  execute<S extends z.ZodType>(
    operation: ShopifyOperation,
    variables: Readonly<Record<string, unknown>>,
    schema: S,
    options?: RoleCallOptions,
  ): Promise<z.output<S>>;
  /** `inventorySetQuantities` under an idempotency key; returns its `userErrors` (none: applied). */
  setQuantities(
    input: ShopifySetQuantitiesInput,
    idempotencyKey: string,
    options?: RoleCallOptions,
  ): Promise<readonly ShopifyUserError[]>;
  /** `inventoryActivate`: the level's `available` after it, or the `userErrors`. */
  activate(
    level: ShopifyLevelRef,
    idempotencyKey: string,
    options?: RoleCallOptions,
  ): Promise<
    | { readonly ok: true; readonly available: number }
    | { readonly ok: false; readonly userErrors: readonly ShopifyUserError[] }
  >;
  /** Every variant whose SKU is one of `skus` (exactly, case-sensitive). */
  variants(skus: readonly string[], options?: RoleCallOptions): Promise<ShopifyVariantRecord[]>;
  /** One variant, or `undefined` when it no longer exists. */
  variant(id: string, options?: RoleCallOptions): Promise<ShopifyVariantRecord | undefined>;
  /** One inventory item's SKU (`null` when it has none), or `undefined` when it does not exist. */
  inventoryItemSku(id: string, options?: RoleCallOptions): Promise<string | null | undefined>;
  locations(options?: RoleCallOptions): Promise<ShopifyLocationRecord[]>;
  /**
   * `available` of each pair, in order; `undefined` where the item is not stocked at the
   * location (or either does not exist).
   */
  levels(
    refs: readonly ShopifyLevelRef[],
    options?: RoleCallOptions,
  ): Promise<(number | undefined)[]>;
  /** Every stocked item's `available` at one location, with the item's SKU. */
  locationLevels(
    locationId: string,
    options?: RoleCallOptions,
  ): Promise<
    { readonly inventoryItemId: string; readonly sku: string | null; readonly available: number }[]
  >;
  /** One page of orders matching a search, oldest update first. */
  orders(
    query: string,
    after: string | undefined,
    options?: RoleCallOptions,
  ): Promise<ShopifyOrdersPage>;
  /** The line items of an order after `after`. */
  orderLines(
    orderId: string,
    after: string,
    options?: RoleCallOptions,
  ): Promise<ShopifyLineItemRecord[]>;
  /** The line items of a refund after `after`. */
  refundLines(
    refundId: string,
    after: string,
    options?: RoleCallOptions,
  ): Promise<ShopifyRefundLineRecord[]>;
}

const optionsSchema = z.strictObject({
  shop: z.string().regex(/^[a-z0-9][a-z0-9-]*(\.[a-z0-9-]+)+$/i, {
    error: "expected the shop's domain, e.g. example.myshopify.com",
  }),
  accessToken: z.string().min(1),
  baseUrl: z.url({ protocol: /^https?$/ }).optional(),
  plan: z.enum(["standard", "advanced", "plus", "enterprise"]).optional(),
  limiter: z
    .custom<RateLimiter>(
      (value) => typeof value === "object" && value !== null && "acquire" in value,
      { error: "expected a RateLimiter" },
    )
    .optional(),
  http: z.looseObject({}).optional(),
});

/** The most SKUs in one `sku:` search (the query string stays short). */
const SKUS_PER_SEARCH = 25;

/** A SKU as a search term: quoted, with quotes and backslashes escaped. */
function skuTerm(sku: string): string {
  return `sku:"${sku.replace(/["\\]/g, (c) => `\\${c}`)}"`;
}

/**
 * Creates the Shopify Admin GraphQL client (2026-04) of one shop: on `@omnistock/transport`
 * with Shopify's cost limiter, fed from every answer's `extensions.cost`, and body-level
 * `THROTTLED` answers retried after the wait they imply. Each operation reserves the cost
 * the last answer of that operation reported (its estimate before any), so pacing follows
 * what Shopify really charges. Every answer is validated with zod.
 *
 * @throws {@link OmnistockError} `VALIDATION` naming every unknown, missing or invalid option.
 * @example
 * ```ts
 * const shopify = createShopifyClient({
 *   shop: "example.myshopify.com",
 *   accessToken: process.env.SHOPIFY_TOKEN!,
 * });
 * const locations = await shopify.locations();
 * ```
 */
export function createShopifyClient(options: ShopifyClientOptions): ShopifyClient {
  parseWith(optionsSchema, options, "Shopify client options", { platform: "shopify" });
  const http = options.http ?? {};
  const limiter =
    options.limiter ??
    createShopifyLimiter({
      ...(options.plan === undefined ? {} : { plan: options.plan }),
      // The limiter waits on the same time as the client, real or simulated.
      ...(http.clock === undefined ? {} : { clock: http.clock }),
      ...(http.sleep === undefined ? {} : { sleep: http.sleep }),
    });
  const client: HttpClient = createHttpClient({
    ...http,
    platform: "shopify",
    baseUrl: options.baseUrl ?? `https://${options.shop}`,
    limiter,
    secrets: [options.accessToken],
    throttledBody: shopifyThrottledBody,
    headers: { ...http.headers, "content-type": "application/json" },
    auth: () => ({ "x-shopify-access-token": options.accessToken }),
  });
  const path = `/admin/api/${SHOPIFY_API_VERSION}/graphql.json`;
  // The last requested cost Shopify reported per operation: what the next one reserves.
  const costs = new Map<string, number>();

  async function execute<S extends z.ZodType>(
    operation: ShopifyOperation,
    variables: Readonly<Record<string, unknown>>,
    schema: S,
    call: RoleCallOptions = {},
  ): Promise<z.output<S>> {
    const size = operation.sizedBy === undefined ? undefined : variables[operation.sizedBy];
    const costKey = `${operation.source}\u0000${String(size ?? "")}`;
    const estimate =
      operation === VARIANTS && typeof size === "number"
        ? variantsCost(size)
        : operation.estimatedCost;
    const response = await client.request({
      method: "POST",
      path,
      json: { query: operation.source, variables, operationName: operation.name },
      cost: costs.get(costKey) ?? estimate,
      // Reads change nothing, and every mutation carries an idempotency key.
      replay: "idempotent",
      ...(call.signal === undefined ? {} : { signal: call.signal }),
      ...(call.retries === "none" ? { retries: 0 } : {}),
    });
    const requested = readShopifyQueryCost(response.body)?.requestedQueryCost;
    if (requested !== undefined && requested > 0) costs.set(costKey, requested);
    const what = `Shopify ${operation.name} answer`;
    const facts = {
      platform: "shopify" as const,
      ...(response.requestId === undefined ? {} : { requestId: response.requestId }),
    };
    const envelope = parseWith(envelopeSchema, response.body, what, facts);
    if (envelope.errors !== undefined && envelope.errors.length > 0) {
      throw graphqlError(operation.name, envelope.errors, facts);
    }
    // Paths are named from `data`, e.g. `productVariants.nodes[0].inventoryItem.id`.
    return parseWith(schema, envelope.data, what, facts);
  }

  async function pages<T>(
    read: (after: string | undefined) => Promise<{
      readonly nodes: readonly T[];
      readonly pageInfo: { readonly hasNextPage: boolean; readonly endCursor: string | null };
    }>,
  ): Promise<T[]> {
    const all: T[] = [];
    let after: string | undefined;
    for (;;) {
      const page = await read(after);
      all.push(...page.nodes);
      if (!page.pageInfo.hasNextPage) return all;
      if (page.pageInfo.endCursor === null || page.pageInfo.endCursor === after) {
        throw new OmnistockError("BAD_RESPONSE", "Shopify answered a next page without a cursor", {
          platform: "shopify",
        });
      }
      after = page.pageInfo.endCursor;
    }
  }

  return {
    shop: options.shop,
    budget: () => limiter.budget(),
    execute,
    async setQuantities(input, idempotencyKey, call) {
      const data = await execute(
        SET_QUANTITIES,
        { input, key: idempotencyKey },
        setQuantitiesAnswerSchema,
        call,
      );
      return data.inventorySetQuantities.userErrors;
    },
    async activate(level, idempotencyKey, call) {
      const data = await execute(
        ACTIVATE,
        { item: level.inventoryItemId, location: level.locationId, key: idempotencyKey },
        activateAnswerSchema,
        call,
      );
      const { inventoryLevel, userErrors } = data.inventoryActivate;
      const available = inventoryLevel?.quantities[0]?.quantity;
      if (userErrors.length > 0 || available === undefined) {
        return {
          ok: false,
          userErrors:
            userErrors.length > 0
              ? userErrors
              : [{ message: "Shopify activated no inventory level", code: null, field: null }],
        };
      }
      return { ok: true, available };
    },
    async variants(skus, call) {
      const wanted = new Set(skus);
      const found: ShopifyVariantRecord[] = [];
      for (let i = 0; i < skus.length; i += SKUS_PER_SEARCH) {
        const chunk = skus.slice(i, i + SKUS_PER_SEARCH);
        const query = chunk.map(skuTerm).join(" OR ");
        // A few variants per SKU: duplicates are rare, and more are paged.
        const first = Math.min(VARIANT_PAGE, 4 * chunk.length);
        const nodes = await pages(
          async (after) =>
            (await execute(VARIANTS, { query, first, after }, variantsAnswerSchema, call))
              .productVariants,
        );
        // Shopify's search matches more loosely than SKU equality: keep exact matches only.
        found.push(...nodes.filter((v) => v.sku !== null && wanted.has(v.sku)));
      }
      return found;
    },
    async variant(id, call) {
      const data = await execute(VARIANT, { id }, variantAnswerSchema, call);
      return data.productVariant ?? undefined;
    },
    async inventoryItemSku(id, call) {
      const data = await execute(INVENTORY_ITEM, { id }, inventoryItemAnswerSchema, call);
      return data.inventoryItem === null ? undefined : data.inventoryItem.sku;
    },
    locations: (call) =>
      pages(
        async (after) =>
          (await execute(LOCATIONS, { after }, locationsAnswerSchema, call)).locations,
      ),
    async levels(refs, call) {
      const out: (number | undefined)[] = [];
      for (let i = 0; i < refs.length; i += LEVELS_PER_QUERY) {
        const chunk = refs.slice(i, i + LEVELS_PER_QUERY);
        const variables: Record<string, string> = {};
        const shape: Record<string, typeof itemLevelSchema> = {};
        chunk.forEach((ref, j) => {
          variables[`i${j}`] = ref.inventoryItemId;
          variables[`l${j}`] = ref.locationId;
          shape[`l${j}`] = itemLevelSchema;
        });
        const data = await execute(levelsOperation(chunk.length), variables, z.object(shape), call);
        chunk.forEach((_, j) => {
          out.push(data[`l${j}`]?.inventoryLevel?.quantities[0]?.quantity);
        });
      }
      return out;
    },
    async locationLevels(locationId, call) {
      const nodes = await pages(async (after) => {
        const data = await execute(
          LOCATION_LEVELS,
          { id: locationId, after },
          locationLevelsAnswerSchema,
          call,
        );
        if (data.location === null) {
          throw new OmnistockError("NOT_FOUND", `Shopify location "${locationId}" does not exist`, {
            platform: "shopify",
            details: { locationId },
          });
        }
        return data.location.inventoryLevels;
      });
      return nodes.flatMap((node) => {
        const available = node.quantities[0]?.quantity;
        return available === undefined
          ? []
          : [{ inventoryItemId: node.item.id, sku: node.item.sku, available }];
      });
    },
    async orders(query, after, call) {
      const data = await execute(ORDERS, { query, after }, ordersAnswerSchema, call);
      return {
        orders: data.orders.nodes,
        endCursor: data.orders.pageInfo.hasNextPage
          ? (data.orders.pageInfo.endCursor ?? undefined)
          : undefined,
      };
    },
    orderLines: (orderId, after, call) =>
      pages(async (cursor) => {
        const data = await execute(
          ORDER_LINE_ITEMS,
          { id: orderId, after: cursor ?? after },
          orderLinesAnswerSchema,
          call,
        );
        if (data.order === null)
          return { nodes: [], pageInfo: { hasNextPage: false, endCursor: null } };
        return data.order.lineItems;
      }),
    refundLines: (refundId, after, call) =>
      pages(async (cursor) => {
        const data = await execute(
          REFUND_LINE_ITEMS,
          { id: refundId, after: cursor ?? after },
          refundLinesAnswerSchema,
          call,
        );
        if (data.refund === null)
          return { nodes: [], pageInfo: { hasNextPage: false, endCursor: null } };
        return data.refund.refundLineItems;
      }),
  };
}

/** The error of an answer with GraphQL `errors` (a throttle never gets here: the transport retries it). */
function graphqlError(
  operation: string,
  errors: readonly z.output<typeof graphqlErrorSchema>[],
  facts: { readonly platform: "shopify"; readonly requestId?: string },
): OmnistockError {
  const codes = errors.map((error) => error.extensions?.code ?? "GRAPHQL_ERROR");
  const message = `Shopify ${operation}: ${errors.map((error) => error.message).join("; ")}`;
  const details = { operation, codes };
  if (codes.includes("ACCESS_DENIED") || codes.includes("UNAUTHORIZED")) {
    return new OmnistockError("AUTH", message, { ...facts, details });
  }
  if (codes.includes("INTERNAL_SERVER_ERROR") || codes.includes("SERVICE_UNAVAILABLE")) {
    return new OmnistockError("SERVER", message, { ...facts, retryable: true, details });
  }
  if (codes.includes("THROTTLED")) {
    return new OmnistockError("RATE_LIMITED", message, { ...facts, retryable: true, details });
  }
  return new OmnistockError("REQUEST", message, { ...facts, details });
}
