import { connection } from "./connection.js";
import type { AdjustQuantitiesInput, SetQuantitiesInput, ShopifyMutations } from "./mutations.js";
import type { ShopifyNodes } from "./nodes.js";
import type { OrderState, ShopifyState } from "./state.js";

/**
 * The root value of one request: its queries and mutations. `keys` holds the
 * `@idempotent` key of each root field, by its response name.
 */
export type ShopifyRootValue = (keys: ReadonlyMap<string, string>) => Record<string, unknown>;

/** Creates the root resolvers over the store's state. */
export function createShopifyResolvers(
  state: ShopifyState,
  nodes: ShopifyNodes,
  mutations: ShopifyMutations,
): ShopifyRootValue {
  const { gid, locations, items, variants, orders, level } = state;
  const { locationNode, itemNode, levelNode, variantNode, refundNode, orderNode } = nodes;
  const { setQuantities, adjustQuantities, once } = mutations;
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

  return (keys) => {
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
        { input }: { input: SetQuantitiesInput },
        _context: unknown,
        info: { path: { key: string | number } },
      ) => once(keys.get(String(info.path.key)), input, () => setQuantities(input)),
      inventoryAdjustQuantities: (
        { input }: { input: AdjustQuantitiesInput },
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
        if (existing === undefined) state.stock(inventoryItemId, locationId, available ?? 0);
        else existing.active = true;
        return { inventoryLevel: levelNode(inventoryItemId, locationId), userErrors: [] };
      },
    };
  };
}
