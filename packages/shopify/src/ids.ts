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
