import { OmnistockError, type RoleCallOptions } from "@omnistock/core";
import { z } from "zod";
import type { LightspeedClient } from "./client.js";
import { checkOptions, clientOption, fn } from "./options.js";
import type { LightspeedProductRecord } from "./schemas.js";

/** Options of {@link createLightspeedCatalogue}. */
export interface LightspeedCatalogueOptions {
  readonly client: LightspeedClient;
  /**
   * The time the refresh interval is measured on.
   * @default Date.now
   */
  readonly clock?: () => number;
  /**
   * The least time between a read and the next one that a miss (a product id or SKU the
   * catalogue does not know) may cause.
   * @default 5000
   */
  readonly minRefreshMs?: number;
  /**
   * The longest wait between the reads that one id or SKU may cause while it stays
   * unknown: its wait starts at `minRefreshMs` and doubles after every read that does not
   * find it.
   * @default 300000
   */
  readonly maxRefreshMs?: number;
}

/** What {@link LightspeedCatalogue.find} found. */
export interface CatalogueLookup {
  /** The keys still unknown. */
  readonly missing: readonly string[];
  /**
   * Whether the catalogue was read during the lookup: when it was, a missing key is
   * missing from the store; when it was not (read too recently), a later try may find it.
   */
  readonly refreshed: boolean;
}

/** What {@link LightspeedCatalogue.find} looks for. */
export type CatalogueKey =
  /** Product ids (any product, tracked or not). */
  | "productId"
  /** SKUs of products whose stock Lightspeed keeps (not untracked ones, not composites). */
  | "stockedSku"
  /** SKUs of any product (what a sale line may name). */
  | "sku";

/**
 * The store's products by id and by SKU, read through the client and kept: one cache that
 * the stock source, the sales sink, the webhook receiver and the stock writer share.
 *
 * Why one: each role used to read and keep the catalogue on its own, so a product created
 * in Lightspeed was found by one and not by another. Shared, one read serves all four, a
 * `product.update` the receiver takes is seen by every role, and concurrent loads share one
 * read. A miss reads again, but boundedly: no sooner than `minRefreshMs` after the last
 * read, and for an id or SKU that stays unknown less and less often (up to
 * `maxRefreshMs`), so unknown ids cannot turn every webhook into a full catalogue read.
 */
export interface LightspeedCatalogue {
  /** Whether the catalogue has been read at least once. */
  readonly loaded: boolean;
  /** Products known (tracked or not). */
  readonly size: number;
  /** Products whose stock Lightspeed keeps. */
  readonly tracked: number;
  /** Reads the catalogue if it was never read; concurrent calls share one read. */
  ready(options?: RoleCallOptions): Promise<void>;
  /**
   * Reads every product again now; a read already under way is shared.
   * @throws {@link OmnistockError} `BAD_RESPONSE` (retryable) when the store answers no
   *   products after it had some: the catalogue keeps what it had.
   */
  refresh(options?: RoleCallOptions): Promise<void>;
  /**
   * Makes sure the keys are known: reads the catalogue if it never was, and again for keys
   * it does not know when the refresh bound allows.
   */
  find(
    kind: CatalogueKey,
    keys: readonly string[],
    options?: RoleCallOptions,
  ): Promise<CatalogueLookup>;
  /** Whether the product id is known (tracked or not). */
  knows(productId: string): boolean;
  /** The SKU of a tracked product id; `undefined` for an untracked or unknown one. */
  skuOf(productId: string): string | undefined;
  /**
   * The product id of a SKU whose stock Lightspeed keeps; `undefined` when no tracked
   * product has it.
   * @throws {@link OmnistockError} `MAPPING_DUPLICATE` when two tracked products share it.
   */
  productIdOf(sku: string): string | undefined;
  /**
   * The product a sale line of `sku` names: any product with that SKU (composites and
   * untracked products too), the tracked one where several share it.
   * @throws {@link OmnistockError} `MAPPING_DUPLICATE` when that still leaves several.
   */
  saleProductIdOf(sku: string): string | undefined;
  /** Whether Lightspeed keeps the stock of the SKU's product itself. */
  isStocked(sku: string): boolean;
  /** Takes one product's new state (from `product.update`). */
  update(product: LightspeedProductRecord): void;
}

/** Whether Lightspeed keeps stock for the product itself. */
function stocked(product: LightspeedProductRecord): product is LightspeedProductRecord & {
  sku: string;
} {
  return (
    product.has_inventory !== false &&
    product.is_composite !== true &&
    typeof product.sku === "string" &&
    product.sku !== ""
  );
}

/** Misses remembered for their backoff, at most. */
const MISSES_KEPT = 10_000;

const optionsSchema = z
  .strictObject({
    client: clientOption,
    clock: fn.optional(),
    minRefreshMs: z.number().int().min(0).optional(),
    maxRefreshMs: z.number().int().min(0).optional(),
  })
  .refine((o) => (o.minRefreshMs ?? 5_000) <= (o.maxRefreshMs ?? 300_000), {
    path: ["maxRefreshMs"],
    error: "expected at least minRefreshMs",
  });

/**
 * Creates the {@link LightspeedCatalogue} to hand to every Lightspeed role (`catalogue`
 * option): each role creates its own when none is given.
 *
 * @throws {@link OmnistockError} `VALIDATION` naming every unknown, missing or invalid
 *   option.
 * @example
 * ```ts
 * const catalogue = createLightspeedCatalogue({ client });
 * const source = createLightspeedStockSource({ client, catalogue });
 * const sink = createLightspeedSalesSink({ client, catalogue, userId, taxId });
 * const receiver = createLightspeedWebhookReceiver({ catalogue, secrets: [clientSecret] });
 * const writer = createLightspeedStockWriter({ client, catalogue });
 * ```
 */
export function createLightspeedCatalogue(
  options: LightspeedCatalogueOptions,
): LightspeedCatalogue {
  checkOptions(optionsSchema, options, "Lightspeed catalogue options");
  const { client } = options;
  const clock = options.clock ?? Date.now;
  const minRefreshMs = options.minRefreshMs ?? 5_000;
  const maxRefreshMs = options.maxRefreshMs ?? 300_000;

  let byId = new Map<string, LightspeedProductRecord>();
  let stockedBySku = new Map<string, string[]>();
  let anyBySku = new Map<string, string[]>();
  let loaded = false;
  let reading: Promise<void> | undefined;
  let lastReadAt: number | undefined;
  /** Keys that stayed unknown after a read: when each may cause the next, and its wait. */
  const misses = new Map<string, { readonly nextAt: number; readonly delay: number }>();

  const remove = (index: Map<string, string[]>, sku: string, id: string) => {
    const ids = (index.get(sku) ?? []).filter((other) => other !== id);
    if (ids.length === 0) index.delete(sku);
    else index.set(sku, ids);
  };
  const add = (index: Map<string, string[]>, sku: string, id: string) => {
    index.set(sku, [...(index.get(sku) ?? []), id]);
  };
  const put = (product: LightspeedProductRecord) => {
    const previous = byId.get(product.id);
    if (previous?.sku) {
      remove(anyBySku, previous.sku, product.id);
      remove(stockedBySku, previous.sku, product.id);
    }
    byId.set(product.id, product);
    if (product.sku) add(anyBySku, product.sku, product.id);
    if (stocked(product)) add(stockedBySku, product.sku, product.id);
  };
  const duplicate = (sku: string, ids: readonly string[]) =>
    new OmnistockError(
      "MAPPING_DUPLICATE",
      `SKU "${sku}" belongs to ${ids.length} Lightspeed products`,
      { platform: "lightspeed", details: { sku, productIds: ids } },
    );

  function refresh(call?: RoleCallOptions): Promise<void> {
    reading ??= (async () => {
      lastReadAt = clock();
      const products = await client.products(call);
      if (products.length === 0 && byId.size > 0) {
        throw new OmnistockError(
          "BAD_RESPONSE",
          `Lightspeed answered no products for a store that had ${byId.size}: the catalogue keeps them`,
          // Most likely a passing fault of the store's: a later read may answer in full.
          { platform: "lightspeed", retryable: true, details: { known: byId.size } },
        );
      }
      byId = new Map();
      stockedBySku = new Map();
      anyBySku = new Map();
      for (const product of products) put(product);
      loaded = true;
    })().finally(() => {
      reading = undefined;
    });
    return reading;
  }

  const known: Record<CatalogueKey, (key: string) => boolean> = {
    productId: (id) => byId.has(id),
    stockedSku: (sku) => stockedBySku.has(sku),
    sku: (sku) => anyBySku.has(sku),
  };

  /** A key still unknown after a read waits twice as long as before for the next one. */
  function backOff(key: string, now: number): void {
    const previous = misses.get(key);
    const delay =
      previous === undefined ? minRefreshMs : Math.min(maxRefreshMs, previous.delay * 2);
    misses.delete(key);
    misses.set(key, { nextAt: now + delay, delay });
    if (misses.size > MISSES_KEPT) misses.delete(misses.keys().next().value as string);
  }

  return {
    get loaded() {
      return loaded;
    },
    get size() {
      return byId.size;
    },
    get tracked() {
      let count = 0;
      for (const ids of stockedBySku.values()) count += ids.length;
      return count;
    },
    async ready(call) {
      if (!loaded) await refresh(call);
    },
    refresh,
    async find(kind, keys, call) {
      const isKnown = known[kind];
      let refreshed = false;
      if (!loaded) {
        await refresh(call);
        refreshed = true;
      }
      let missing = keys.filter((key) => !isKnown(key));
      if (missing.length === 0) return { missing, refreshed };
      if (reading !== undefined) {
        await reading;
        refreshed = true;
        missing = missing.filter((key) => !isKnown(key));
      }
      const now = clock();
      const due =
        missing.length > 0 &&
        (lastReadAt === undefined || now - lastReadAt >= minRefreshMs) &&
        missing.some((key) => (misses.get(`${kind}:${key}`)?.nextAt ?? now) <= now);
      if (due) {
        await refresh(call);
        refreshed = true;
        missing = missing.filter((key) => !isKnown(key));
      }
      if (refreshed) {
        for (const key of keys) if (isKnown(key)) misses.delete(`${kind}:${key}`);
        for (const key of missing) backOff(`${kind}:${key}`, now);
      }
      return { missing, refreshed };
    },
    knows: (productId) => byId.has(productId),
    skuOf(productId) {
      const product = byId.get(productId);
      return product !== undefined && stocked(product) ? product.sku : undefined;
    },
    productIdOf(sku) {
      const ids = stockedBySku.get(sku);
      if (ids !== undefined && ids.length > 1) throw duplicate(sku, ids);
      return ids?.[0];
    },
    saleProductIdOf(sku) {
      const ids = anyBySku.get(sku);
      if (ids === undefined || ids.length < 2) return ids?.[0];
      const tracked = stockedBySku.get(sku);
      if (tracked?.length === 1) return tracked[0];
      throw duplicate(sku, ids);
    },
    isStocked: (sku) => stockedBySku.has(sku),
    update: put,
  };
}
