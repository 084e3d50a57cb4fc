/** The Shopify object types whose ids the adapter handles. */
export type ShopifyIdType = "InventoryItem" | "Location" | "ProductVariant" | "Order" | "Refund";

/**
 * A Shopify global id (`gid://shopify/Location/123`) from a gid or a numeric (REST,
 * `legacyResourceId`) id: webhooks carry numbers, GraphQL gids.
 *
 * @example
 * ```ts
 * shopifyGid("Location", 123); // "gid://shopify/Location/123"
 * shopifyGid("Location", "gid://shopify/Location/123"); // unchanged
 * ```
 */
export function shopifyGid(type: ShopifyIdType, id: string | number): string {
  const text = String(id);
  return /^\d+$/.test(text) ? `gid://shopify/${type}/${text}` : text;
}

/**
 * The numeric id at the end of a gid (`gid://shopify/Order/42` → `"42"`), the part webhooks
 * and polling share.
 *
 * @example
 * ```ts
 * legacyId("gid://shopify/Order/42"); // "42"
 * ```
 */
export function legacyId(gid: string): string {
  return /\/(\d+)(?:\?.*)?$/.exec(gid)?.[1] ?? gid;
}

/** What `JSON.parse` hands a reviver for a primitive (Node 22 and later): its source text. */
interface ReviverContext {
  readonly source?: string;
}

/**
 * Parses a webhook body (REST-shaped JSON) without losing an id's digits: every `id` and
 * `…_id` that Shopify sends as an integer number is kept as its decimal text.
 *
 * Why: Shopify's ids are 64-bit, sent as JSON numbers; its own sample order
 * (`820982911946154508`) is beyond 2^53, where `JSON.parse` would round it to another
 * order's id. Any other value is parsed as `JSON.parse` does, and an id written with a
 * fraction or an exponent stays a number, for the schema to refuse.
 *
 * @throws `SyntaxError` for a body that is not JSON.
 * @example
 * ```ts
 * parseShopifyJson('{"id":820982911946154508}'); // { id: "820982911946154508" }
 * ```
 */
export function parseShopifyJson(body: string): unknown {
  const reviver = (key: string, value: unknown, context?: ReviverContext): unknown =>
    typeof value === "number" &&
    (key === "id" || key.endsWith("_id")) &&
    context?.source !== undefined &&
    /^-?\d+$/.test(context.source)
      ? context.source
      : value;
  // The lib typing of a reviver predates its third argument.
  return JSON.parse(body, reviver as (key: string, value: unknown) => unknown);
}
