import {
  type ChannelLevel,
  type ChannelListingRef,
  type ChannelPublisher,
  createSkuMapping,
  functionOption,
  isOmnistockError,
  OmnistockError,
  objectWithMethods,
  type PendingPublish,
  type PublishOutcome,
  parseWith,
  type QuantityToPublish,
  type RoleCallOptions,
  type SkuMapping,
} from "@omnistock/core";
import { z } from "zod";
import {
  type AbsoluteAdjustmentItem,
  type BigCommerceClient,
  MAX_ADJUSTMENT_ITEMS,
  MAX_QUANTITY,
} from "./client.js";
import { type BigCommerceLocationOptions, createLocationMap, levelsFrom } from "./locations.js";
import { type BigCommerceInventoryTracking, problemSchema } from "./schemas.js";

/** A BigCommerce variant as Omnistock maps it: the SKU is the listing id. */
export interface BigCommerceListing {
  /** The SKU: Omnistock's listing id on BigCommerce. */
  readonly sku: string;
  /** The variant's id (a simple product's base variant included). */
  readonly variantId: number;
  /** The id of the variant's product. */
  readonly productId: number;
  /** `none`: BigCommerce keeps no count for it, so nothing can be published. */
  readonly tracking: BigCommerceInventoryTracking;
}

/** What {@link BigCommercePublisher.discover} found. */
export interface BigCommerceDiscovery {
  /**
   * SKU ↔ BigCommerce inventory item of every tracked listing: `variant:{id}` for a product
   * tracked by variant, `product:{id}` for one tracked by product.
   */
  readonly mapping: SkuMapping;
  /** The listings whose inventory is tracked, which the publisher writes. */
  readonly listings: readonly BigCommerceListing[];
  /** The variants whose product tracks no inventory: publishing to them is `rejected`. */
  readonly untracked: readonly BigCommerceListing[];
  /** SKUs asked for that no BigCommerce variant has. */
  readonly missing: readonly string[];
}

/** Options of {@link createBigCommercePublisher}. */
export interface BigCommercePublisherOptions extends BigCommerceLocationOptions {
  /** The store's client (see `createBigCommerceClient`). */
  readonly client: BigCommerceClient;
  /** The catalog channel this publisher writes to. */
  readonly channelId: string;
  /**
   * The reason BigCommerce records with each adjustment.
   * @default "Omnistock sync"
   */
  readonly reason?: string;
  /**
   * How long after it was accepted an adjustment may still be waiting to apply: a level
   * that differs before then is still `pending`, after then `stale`.
   * @default 60000
   */
  readonly settleMs?: number;
  /**
   * The least time between two batches (see `ChannelPublisher.minBatchIntervalMs`): each
   * batch costs a write and a confirming read, and the standard plan allows 150 requests
   * in 30 s, so 400 ms keeps a steady flow within it. Lower it for a larger plan (Pro: 450).
   * @default 400
   */
  readonly minBatchIntervalMs?: number;
  /**
   * Listings already known (a stored {@link BigCommerceDiscovery}), so that the first
   * publish need not look them up. SKUs not among them are discovered when first used.
   */
  readonly listings?: readonly BigCommerceListing[];
  /** @default Date.now */
  readonly clock?: () => number;
}

/** The BigCommerce {@link ChannelPublisher}, with discovery of the catalog. */
export interface BigCommercePublisher extends ChannelPublisher {
  /** Always `"bigcommerce"`. */
  readonly platform: "bigcommerce";
  /**
   * Looks the SKUs up (the whole catalog when omitted) through `/v3/catalog/variants` and
   * the products' `inventory_tracking`, and keeps what it found for publishing.
   *
   * @throws {@link OmnistockError} `MAPPING_DUPLICATE` naming every SKU that more than one
   *   variant carries (or more than one SKU of a product tracked by product).
   */
  discover(skus?: readonly string[], options?: RoleCallOptions): Promise<BigCommerceDiscovery>;
}

const optionsSchema = z.strictObject({
  client: objectWithMethods<BigCommerceClient>("a BigCommerce client", ["adjustAbsolute"]),
  channelId: z.string().min(1),
  locations: z.record(z.string(), z.number().int().positive()).optional(),
  defaultLocationId: z.number().int().positive().optional(),
  reason: z.string().optional(),
  settleMs: z.number().int().nonnegative().optional(),
  minBatchIntervalMs: z.number().int().nonnegative().optional(),
  listings: z
    .array(
      z.object({
        sku: z.string().min(1),
        variantId: z.number().int().nonnegative(),
        productId: z.number().int().nonnegative(),
        tracking: z.enum(["none", "product", "variant"]),
      }),
    )
    .optional(),
  clock: functionOption.optional(),
});

type Resolved =
  | {
      readonly ok: true;
      readonly listing: BigCommerceListing;
      readonly locationId: number;
      readonly key: string;
    }
  | { readonly ok: false; readonly reason: string; readonly message: string };

/** The inventory item a listing is written as. */
const itemKey = (listing: BigCommerceListing) =>
  listing.tracking === "product" ? `product:${listing.productId}` : `variant:${listing.variantId}`;

/**
 * BigCommerce as a channel: absolute adjustments per location
 * (`PUT /v3/inventory/adjustments/absolute`, 2,000 items a request, one request in flight
 * per store, urgent updates first), with no compare-and-set. BigCommerce applies
 * adjustments later, so every accepted update is `pending` with the transaction id as its
 * receipt, and {@link ChannelPublisher.confirm} reads the levels back: the level asked
 * for is `published`; a different one is still `pending` within `settleMs`, `stale` after.
 *
 * The listing id is the SKU; its variant (and whether its product tracks inventory) is
 * discovered through the catalog. An update that cannot be written is `rejected` with a
 * reason, never skipped: `INVENTORY_NOT_TRACKED`, `SKU_NOT_FOUND`, `MAPPING_DUPLICATE`,
 * `LOCATION_NOT_MAPPED`, `INVALID_QUANTITY`, or `REFUSED` for an item BigCommerce refused.
 * Quantities are on hand at the location (`total_inventory_onhand`), which is what
 * absolute adjustments set and what `readLevels` reads.
 *
 * @throws {@link OmnistockError} `VALIDATION` naming every unknown, missing or invalid option.
 * @example
 * ```ts
 * const publisher = createBigCommercePublisher({
 *   client,
 *   channelId: "bigcommerce",
 *   locations: { warehouse: 2 },
 * });
 * const outcomes = await publisher.publish([
 *   { listingId: "MUG-RED", quantity: 7, previous: undefined, urgent: false },
 * ]);
 * // later
 * const confirmed = await publisher.confirm(
 *   outcomes.flatMap((o) => (o.status === "pending" ? [o] : [])),
 * );
 * ```
 */
export function createBigCommercePublisher(
  options: BigCommercePublisherOptions,
): BigCommercePublisher {
  parseWith(optionsSchema, options, "BigCommerce publisher options", { platform: "bigcommerce" });
  const { client, channelId } = options;
  const locations = createLocationMap(options);
  const reason = options.reason ?? "Omnistock sync";
  const settleMs = options.settleMs ?? 60_000;
  const clock = options.clock ?? Date.now;
  /** Variants by SKU: more than one is a duplicate SKU. */
  const known = new Map<string, BigCommerceListing[]>();
  for (const listing of options.listings ?? []) remember(listing);
  /** When each transaction was accepted, to tell a slow apply from a level changed since. */
  const accepted = new Map<string, number>();

  function remember(listing: BigCommerceListing): void {
    const same = (known.get(listing.sku) ?? []).filter((l) => l.variantId !== listing.variantId);
    known.set(listing.sku, [...same, listing]);
  }

  async function lookUp(skus: readonly string[] | undefined, call: RoleCallOptions) {
    const variants = await client.variants({
      ...(skus === undefined ? {} : { skus }),
      ...(call.signal === undefined ? {} : { signal: call.signal }),
    });
    const wanted = skus === undefined ? undefined : new Set(skus);
    const found = variants.filter(
      (v) => v.sku !== "" && (wanted === undefined || wanted.has(v.sku)),
    );
    const tracking = new Map(
      (await client.products([...new Set(found.map((v) => v.product_id))], call)).map((p) => [
        p.id,
        p.inventory_tracking,
      ]),
    );
    if (skus === undefined) known.clear();
    else for (const sku of skus) known.delete(sku);
    for (const v of found) {
      const mode = tracking.get(v.product_id);
      // A product gone between the two reads: the SKU is not on BigCommerce any more.
      if (mode === undefined) continue;
      remember({ sku: v.sku, variantId: v.id, productId: v.product_id, tracking: mode });
    }
  }

  /** Looks up the SKUs not known yet. */
  async function ensure(skus: readonly string[], call: RoleCallOptions): Promise<void> {
    const unknown = [...new Set(skus)].filter((sku) => !known.has(sku));
    if (unknown.length > 0) await lookUp(unknown, call);
  }

  function sharesProduct(listing: BigCommerceListing): boolean {
    if (listing.tracking !== "product") return false;
    for (const [sku, group] of known) {
      if (sku !== listing.sku && group.some((l) => l.productId === listing.productId)) return true;
    }
    return false;
  }

  const locationOf = (ref: ChannelListingRef) => locations.toBigCommerce(ref.channelLocationId);

  function resolve(ref: ChannelListingRef): Resolved {
    const locationId = locationOf(ref);
    if (locationId === undefined) {
      return {
        ok: false,
        reason: "LOCATION_NOT_MAPPED",
        message: `Channel location "${ref.channelLocationId}" has no BigCommerce location`,
      };
    }
    const group = known.get(ref.listingId) ?? [];
    const listing = group[0];
    if (listing === undefined) {
      return {
        ok: false,
        reason: "SKU_NOT_FOUND",
        message: `No BigCommerce variant has SKU "${ref.listingId}"`,
      };
    }
    if (group.length > 1 || sharesProduct(listing)) {
      return {
        ok: false,
        reason: "MAPPING_DUPLICATE",
        message:
          group.length > 1
            ? `SKU "${ref.listingId}" is on ${group.length} BigCommerce variants (${group.map((l) => l.variantId).join(", ")})`
            : `SKU "${ref.listingId}" shares product ${listing.productId}, tracked by product, with other SKUs`,
      };
    }
    if (listing.tracking === "none") {
      return {
        ok: false,
        reason: "INVENTORY_NOT_TRACKED",
        message: `BigCommerce product ${listing.productId} (SKU "${listing.sku}") does not track inventory`,
      };
    }
    return { ok: true, listing, locationId, key: `${itemKey(listing)}@${locationId}` };
  }

  function rejected(update: QuantityToPublish, why: { reason: string; message: string }) {
    return { status: "rejected", update, reason: why.reason, message: why.message } as const;
  }

  /** Sends one request's items; items BigCommerce refuses by path are taken out and the rest sent again. */
  async function send(
    groups: readonly { readonly item: AbsoluteAdjustmentItem; readonly indexes: number[] }[],
    urgent: boolean,
    updates: readonly QuantityToPublish[],
    outcomes: PublishOutcome[],
    call: RoleCallOptions,
    again = true,
  ): Promise<void> {
    try {
      const { transactionId } = await client.adjustAbsolute(
        groups.map((g) => g.item),
        { ...call, reason, urgent },
      );
      accepted.set(transactionId, clock());
      for (const group of groups) {
        for (const i of group.indexes) {
          outcomes[i] = {
            status: "pending",
            update: updates[i] as QuantityToPublish,
            receipt: transactionId,
          };
        }
      }
    } catch (error) {
      const refused = again ? refusedItems(error, groups.length) : undefined;
      if (refused === undefined) throw error;
      for (const [index, message] of refused) {
        for (const i of (groups[index] as (typeof groups)[number]).indexes) {
          outcomes[i] = rejected(updates[i] as QuantityToPublish, { reason: "REFUSED", message });
        }
      }
      const rest = groups.filter((_, index) => !refused.has(index));
      if (rest.length > 0) await send(rest, urgent, updates, outcomes, call, false);
    }
  }

  function prune(now: number): void {
    for (const [transaction, at] of accepted) {
      if (now - at < settleMs) break;
      accepted.delete(transaction);
    }
  }

  async function levelsOf(
    resolved: readonly { readonly sku: string; readonly locationId: number }[],
    call: RoleCallOptions,
  ): Promise<Map<string, number>> {
    const levels = new Map<string, number>();
    if (resolved.length === 0) return levels;
    const items = await client.inventoryItems({
      skus: [...new Set(resolved.map((r) => r.sku))],
      locationIds: [...new Set(resolved.map((r) => r.locationId))],
      ...(call.signal === undefined ? {} : { signal: call.signal }),
    });
    for (const item of items) {
      const sku = item.identity.sku;
      if (!sku) continue;
      for (const at of item.locations) {
        levels.set(`${sku}@${at.location_id}`, at.total_inventory_onhand);
      }
    }
    return levels;
  }

  return {
    platform: "bigcommerce",
    channelId,
    maxBatch: MAX_ADJUSTMENT_ITEMS,
    compareAndSet: false,
    minBatchIntervalMs: options.minBatchIntervalMs ?? 400,

    async discover(skus, call = {}) {
      await lookUp(skus, call);
      const asked = skus === undefined ? [...known.keys()] : [...new Set(skus)];
      const groups = asked.flatMap((sku) => {
        const group = known.get(sku);
        return group === undefined ? [] : [group];
      });
      const duplicates = groups.filter((g) => g.length > 1);
      if (duplicates.length > 0) {
        const issues = duplicates.map((g) => ({
          path: [(g[0] as BigCommerceListing).sku],
          message: `SKU "${(g[0] as BigCommerceListing).sku}" is on BigCommerce variants ${g.map((l) => l.variantId).join(" and ")}`,
        }));
        throw new OmnistockError(
          "MAPPING_DUPLICATE",
          `Duplicate BigCommerce SKUs: ${issues.map((i) => i.message).join("; ")}`,
          { platform: "bigcommerce", issues, details: { skus: issues.map((i) => i.path[0]) } },
        );
      }
      const all = groups.map((g) => g[0] as BigCommerceListing);
      const listings = all.filter((l) => l.tracking !== "none");
      let mapping: SkuMapping;
      try {
        mapping = createSkuMapping(
          "bigcommerce",
          listings.map((l) => ({ sku: l.sku, platformId: itemKey(l) })),
        );
      } catch (error) {
        if (isOmnistockError(error)) {
          throw new OmnistockError(error.code, error.message, {
            platform: "bigcommerce",
            issues: error.issues,
            cause: error,
          });
        }
        throw error;
      }
      const found = new Set(all.map((l) => l.sku));
      return {
        mapping,
        listings,
        untracked: all.filter((l) => l.tracking === "none"),
        missing: skus === undefined ? [] : [...new Set(skus)].filter((sku) => !found.has(sku)),
      };
    },

    async publish(updates, call = {}) {
      await ensure(
        updates.map((u) => u.listingId),
        call,
      );
      const outcomes: PublishOutcome[] = new Array(updates.length);
      /** The last update of each item at each location wins: absolute writes coalesce. */
      const writes = new Map<
        string,
        { item: AbsoluteAdjustmentItem; indexes: number[]; urgent: boolean }
      >();
      updates.forEach((update, i) => {
        if (
          !Number.isInteger(update.quantity) ||
          update.quantity < 0 ||
          update.quantity > MAX_QUANTITY
        ) {
          outcomes[i] = rejected(update, {
            reason: "INVALID_QUANTITY",
            message: `BigCommerce takes whole levels from 0 to ${MAX_QUANTITY}, not ${update.quantity}`,
          });
          return;
        }
        const resolved = resolve(update);
        if (!resolved.ok) {
          outcomes[i] = rejected(update, resolved);
          return;
        }
        const { listing, locationId, key } = resolved;
        const item: AbsoluteAdjustmentItem =
          listing.tracking === "product"
            ? { locationId, productId: listing.productId, quantity: update.quantity }
            : { locationId, variantId: listing.variantId, quantity: update.quantity };
        const previous = writes.get(key);
        writes.set(key, {
          item,
          indexes: [...(previous?.indexes ?? []), i],
          urgent: update.urgent || previous?.urgent === true,
        });
      });
      // BigCommerce asks for items grouped by location; urgent ones go in requests of their own, first.
      const all = [...writes.values()].sort((a, b) => a.item.locationId - b.item.locationId);
      for (const urgent of [true, false]) {
        const lane = all.filter((w) => w.urgent === urgent);
        for (let start = 0; start < lane.length; start += MAX_ADJUSTMENT_ITEMS) {
          await send(
            lane.slice(start, start + MAX_ADJUSTMENT_ITEMS),
            urgent,
            updates,
            outcomes,
            call,
          );
        }
      }
      prune(clock());
      return outcomes;
    },

    async confirm(pending, call = {}) {
      await ensure(
        pending.map((p) => p.update.listingId),
        call,
      );
      const resolved = pending.map((p) => resolve(p.update));
      const levels = await levelsOf(
        resolved.flatMap((r, i) =>
          r.ok
            ? [{ sku: (pending[i] as PendingPublish).update.listingId, locationId: r.locationId }]
            : [],
        ),
        call,
      );
      const now = clock();
      return pending.map(({ update, receipt }, i): PublishOutcome => {
        const r = resolved[i] as Resolved;
        if (!r.ok) return rejected(update, r);
        const level = levels.get(`${update.listingId}@${r.locationId}`);
        if (level === update.quantity) return { status: "published", update };
        const at = accepted.get(receipt);
        if (at !== undefined && now - at < settleMs) return { status: "pending", update, receipt };
        if (level === undefined) {
          return rejected(update, {
            reason: "SKU_NOT_FOUND",
            message: `BigCommerce reports no inventory for SKU "${update.listingId}" at location ${r.locationId}`,
          });
        }
        return { status: "stale", update, actual: level };
      });
    },

    async readLevels(refs, call = {}) {
      if (refs !== undefined) {
        await ensure(
          refs.map((r) => r.listingId),
          call,
        );
        const wanted = refs.flatMap((ref) => {
          const locationId = locationOf(ref);
          return locationId === undefined ? [] : [{ ref, sku: ref.listingId, locationId }];
        });
        const levels = await levelsOf(wanted, call);
        return wanted.flatMap(({ ref, sku, locationId }): ChannelLevel[] => {
          const quantity = levels.get(`${sku}@${locationId}`);
          return quantity === undefined ? [] : [{ ...ref, quantity }];
        });
      }
      const items = await client.inventoryItems({
        locationIds: locations.ids,
        ...(call.signal === undefined ? {} : { signal: call.signal }),
      });
      return levelsFrom(items, locations);
    },
  };
}

/**
 * The items of one request that BigCommerce refused (422), by their index in the request,
 * with BigCommerce's message; `undefined` when the failure is not about single items.
 */
function refusedItems(error: unknown, count: number): Map<number, string> | undefined {
  if (!isOmnistockError(error, "REQUEST") || error.status !== 422) return undefined;
  const text = error.details.body;
  let problem: z.output<typeof problemSchema> | undefined;
  try {
    const parsed = problemSchema.safeParse(typeof text === "string" ? JSON.parse(text) : text);
    problem = parsed.success ? parsed.data : undefined;
  } catch {
    problem = undefined;
  }
  const refused = new Map<number, string>();
  for (const [path, message] of Object.entries(problem?.errors ?? {})) {
    const index = /^items\.(\d+)(?:\.|$)/.exec(path)?.[1];
    if (index !== undefined && Number(index) < count) {
      const said = `${path}: ${String(message)}`;
      const before = refused.get(Number(index));
      refused.set(Number(index), before === undefined ? said : `${before}; ${said}`);
    }
  }
  // A lone item refused with only a title (e.g. "tracked by product") is that item's fault.
  if (refused.size === 0 && count === 1) refused.set(0, problem?.title ?? error.message);
  return refused.size === 0 ? undefined : refused;
}
