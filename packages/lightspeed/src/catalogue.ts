import { OmnistockError } from "@omnistock/core";
import type { LightspeedClient } from "./client.js";
import type { LightspeedProductRecord } from "./schemas.js";

/**
 * The store's products by id and by SKU, read through the client and kept: what the
 * receiver and the stock writer translate with. Only products whose stock Lightspeed
 * tracks count (not untracked products, not composites: their components carry the stock).
 */
export interface Catalogue {
  /** Whether the catalogue has been read at least once. */
  readonly loaded: boolean;
  /** Whether the product id is known (tracked or not). */
  knows(productId: string): boolean;
  /** The SKU of a tracked product id; `undefined` for an untracked or unknown one. */
  skuOf(productId: string): string | undefined;
  /**
   * The product id of a SKU; `undefined` when no tracked product has it.
   * @throws {@link OmnistockError} `MAPPING_DUPLICATE` when two tracked products share it.
   */
  productIdOf(sku: string): string | undefined;
  /** Reads every product again; concurrent calls share one read. */
  load(): Promise<void>;
  /** Takes one product's new state (from `product.update`). */
  update(product: LightspeedProductRecord): void;
}

/** Whether Lightspeed keeps stock for the product itself. */
export function stocked(product: LightspeedProductRecord): product is LightspeedProductRecord & {
  sku: string;
} {
  return (
    product.has_inventory !== false &&
    product.is_composite !== true &&
    typeof product.sku === "string" &&
    product.sku !== ""
  );
}

/** Creates an empty {@link Catalogue} that reads through `client` when told to. */
export function createCatalogue(client: LightspeedClient): Catalogue {
  let byId = new Map<string, string | undefined>();
  let bySku = new Map<string, string[]>();
  let loaded = false;
  let loading: Promise<void> | undefined;

  const index = (products: readonly LightspeedProductRecord[]) => {
    byId = new Map();
    bySku = new Map();
    for (const product of products) put(product);
  };
  const put = (product: LightspeedProductRecord) => {
    const previous = byId.get(product.id);
    if (previous !== undefined) {
      const ids = (bySku.get(previous) ?? []).filter((id) => id !== product.id);
      if (ids.length === 0) bySku.delete(previous);
      else bySku.set(previous, ids);
    }
    const sku = stocked(product) ? product.sku : undefined;
    byId.set(product.id, sku);
    if (sku !== undefined) bySku.set(sku, [...(bySku.get(sku) ?? []), product.id]);
  };

  return {
    get loaded() {
      return loaded;
    },
    knows: (productId) => byId.has(productId),
    skuOf: (productId) => byId.get(productId),
    productIdOf(sku) {
      const ids = bySku.get(sku);
      if (ids !== undefined && ids.length > 1) {
        throw new OmnistockError(
          "MAPPING_DUPLICATE",
          `SKU "${sku}" belongs to ${ids.length} tracked Lightspeed products`,
          { platform: "lightspeed", details: { sku, productIds: ids } },
        );
      }
      return ids?.[0];
    },
    load() {
      loading ??= client
        .products()
        .then((products) => {
          index(products);
          loaded = true;
        })
        .finally(() => {
          loading = undefined;
        });
      return loading;
    },
    update: put,
  };
}
