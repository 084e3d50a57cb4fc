import { createHash, randomUUID } from "node:crypto";
import {
  type ChannelLevel,
  type ChannelListingRef,
  type ChannelPublisher,
  OmnistockError,
  objectWithMethods,
  type PendingPublish,
  type PublishOutcome,
  parseWith,
  type QuantityToPublish,
  type RoleCallOptions,
} from "@omnistock/core";
import { z } from "zod";
import type { ShopifyClient, ShopifyQuantityInput, ShopifySetQuantitiesInput } from "./client.js";
import { createShopifyMapping, type ShopifyMapping } from "./mapping.js";
import type { ShopifyUserError } from "./schemas.js";

/** The most quantities one `inventorySetQuantities` takes (Shopify's input array limit). */
export const SHOPIFY_MAX_BATCH = 250;

/** Options of {@link createShopifyPublisher}. */
export interface ShopifyPublisherOptions {
  readonly client: ShopifyClient;
  /** The catalog channel this shop is (several shops are several channels). */
  readonly channelId: string;
  /**
   * How listings and locations map to the shop's inventory items and locations.
   * @default discovery by SKU, channel locations as Shopify location gids
   */
  readonly mapping?: ShopifyMapping;
  /**
   * What to do with an item not stocked at the location (`ITEM_NOT_STOCKED_AT_LOCATION`):
   * `activate` stocks it there (`inventoryActivate`) and sets the quantity; `reject`
   * returns a `rejected` outcome for someone to decide.
   * @default "reject"
   */
  readonly notStocked?: "activate" | "reject";
  /**
   * The `reason` of the inventory changes, as Shopify's history shows it.
   * @default "correction"
   */
  readonly reason?: string;
  /**
   * The `referenceDocumentUri` of the changes, e.g. `gid://omnistock/Sync/eu`.
   * @default none
   */
  readonly referenceDocumentUri?: string;
}

const optionsSchema = z.strictObject({
  client: objectWithMethods<ShopifyClient>("a ShopifyClient", ["setQuantities"]),
  channelId: z.string().min(1),
  mapping: z
    .custom<ShopifyMapping>(
      (value) => typeof value === "object" && value !== null && "resolveSkus" in value,
      { error: "expected a ShopifyMapping" },
    )
    .optional(),
  notStocked: z.enum(["activate", "reject"]).optional(),
  reason: z.string().min(1).optional(),
  referenceDocumentUri: z.string().min(1).optional(),
});

/** One update on its way to Shopify. */
interface Target {
  readonly index: number;
  readonly update: QuantityToPublish;
  readonly inventoryItemId: string;
  readonly locationId: string;
  changeFromQuantity: number | null;
  activated: boolean;
}

/**
 * The idempotency key of one `inventorySetQuantities` call: a digest of its input and of
 * the write it belongs to (`writeId`, unique to one publish of one batch). Retries of the
 * same request reuse it, so Shopify applies it once. A later publish of the same levels
 * from the same values to the same values — a number that went back and forth — gets a
 * key of its own: under the same key Shopify would answer it from the first without
 * applying it. A publish retried by the runtime after a lost answer is kept from applying
 * twice by its compare-and-set instead: Shopify shows the new value, not `previous`, and
 * the re-read finds it published.
 *
 * @example
 * ```ts
 * setQuantitiesKey({ name: "available", reason: "correction", quantities }, crypto.randomUUID()); // "omnistock-3f…"
 * ```
 */
export function setQuantitiesKey(input: ShopifySetQuantitiesInput, writeId: string): string {
  return `omnistock-${digest(["set", writeId, input.name, input.reason, input.referenceDocumentUri ?? "", input.quantities.map((q) => [q.inventoryItemId, q.locationId, q.quantity, q.changeFromQuantity])])}`;
}

function digest(value: unknown): string {
  return createHash("sha256").update(JSON.stringify(value)).digest("hex").slice(0, 40);
}

/** The quantity index a user error points at (`["input", "quantities", "3", …]`). */
function indexOf(error: ShopifyUserError): number | undefined {
  const field = error.field ?? [];
  const at = field.indexOf("quantities");
  const index = at < 0 ? undefined : Number(field[at + 1]);
  return index !== undefined && Number.isInteger(index) && index >= 0 ? index : undefined;
}

/**
 * Shopify as a channel: publishes `available` with `inventorySetQuantities`, up to 250
 * item-locations a call, each with the update's `previous` as `changeFromQuantity`
 * (compare-and-set; `null`, Shopify's explicit opt-out, when nothing was published
 * before) and an idempotency key per write (see {@link setQuantitiesKey}). Urgent updates go in the first
 * calls. Shopify applies a call wholly or not at all: the items a `userError` names get
 * their outcome and the rest are sent again.
 *
 * - `CHANGE_FROM_QUANTITY_STALE`: those levels are read again and come back `stale` with
 *   what Shopify shows, never overwritten.
 * - `ITEM_NOT_STOCKED_AT_LOCATION`: stocked there with `inventoryActivate` and set, or
 *   `rejected`, as `notStocked` says.
 * - A SKU on no variant, or on two inventory items, is `rejected` with `MAPPING_MISSING` or
 *   `MAPPING_DUPLICATE` naming it; untracked inventory is `rejected` with `NOT_TRACKED`.
 *
 * Writes are synchronous on Shopify, so `confirm` answers `published` for each.
 *
 * @throws {@link OmnistockError} `VALIDATION` for bad options.
 * @example
 * ```ts
 * const publisher = createShopifyPublisher({ client, channelId: "shopify-eu" });
 * const outcomes = await publisher.publish([
 *   { listingId: "MUG-RED", channelLocationId: web, quantity: 7, previous: 9, urgent: true },
 * ]);
 * ```
 */
export function createShopifyPublisher(options: ShopifyPublisherOptions): ChannelPublisher {
  parseWith(optionsSchema, options, "Shopify publisher options", { platform: "shopify" });
  const { client, channelId } = options;
  const mapping = options.mapping ?? createShopifyMapping({ client });
  const reason = options.reason ?? "correction";
  const activate = (options.notStocked ?? "reject") === "activate";

  const rejected = (update: QuantityToPublish, code: string, message: string): PublishOutcome => ({
    status: "rejected",
    update,
    reason: code,
    message,
  });

  /** Sends one call's worth of targets until every one has its outcome. */
  async function write(
    batch: readonly Target[],
    outcomes: PublishOutcome[],
    call: RoleCallOptions | undefined,
  ): Promise<void> {
    let remaining = batch;
    const attempt = randomUUID();
    while (remaining.length > 0) {
      const quantities: ShopifyQuantityInput[] = remaining.map((t) => ({
        inventoryItemId: t.inventoryItemId,
        locationId: t.locationId,
        quantity: t.update.quantity,
        changeFromQuantity: t.changeFromQuantity,
      }));
      const input: ShopifySetQuantitiesInput = {
        name: "available",
        reason,
        ...(options.referenceDocumentUri === undefined
          ? {}
          : { referenceDocumentUri: options.referenceDocumentUri }),
        quantities,
      };
      const key = setQuantitiesKey(input, attempt);
      const userErrors = await client.setQuantities(input, key, call);
      if (userErrors.length === 0) {
        for (const t of remaining) outcomes[t.index] = { status: "published", update: t.update };
        return;
      }
      const byIndex = new Map<number, ShopifyUserError[]>();
      const general: ShopifyUserError[] = [];
      for (const error of userErrors) {
        const index = indexOf(error);
        if (index === undefined || index >= remaining.length) general.push(error);
        else byIndex.set(index, [...(byIndex.get(index) ?? []), error]);
      }
      if (general.length > 0) throw callError(general, key);
      const stale: Target[] = [];
      const unstocked: Target[] = [];
      const again: Target[] = [];
      remaining.forEach((t, i) => {
        const errors = byIndex.get(i);
        const codes = new Set(errors?.map((e) => e.code));
        if (errors === undefined) again.push(t);
        else if (codes.has("CHANGE_FROM_QUANTITY_STALE")) stale.push(t);
        else if (codes.has("ITEM_NOT_STOCKED_AT_LOCATION") && activate && !t.activated)
          unstocked.push(t);
        else {
          const first = errors[0] as ShopifyUserError;
          outcomes[t.index] = rejected(t.update, first.code ?? "USER_ERROR", first.message);
        }
      });
      if (stale.length > 0) {
        const actual = await client.levels(stale, call);
        stale.forEach((t, i) => {
          const shown = actual[i];
          // Shopify already shows the quantity (an earlier try of this write got through):
          // that is published, not a conflict.
          outcomes[t.index] =
            shown === undefined
              ? rejected(
                  t.update,
                  "ITEM_NOT_STOCKED_AT_LOCATION",
                  "The item is no longer stocked at the location",
                )
              : shown === t.update.quantity
                ? { status: "published", update: t.update }
                : { status: "stale", update: t.update, actual: shown };
        });
      }
      for (const t of unstocked) {
        const result = await client.activate(
          t,
          `omnistock-${digest(["activate", t.inventoryItemId, t.locationId, key])}`,
          call,
        );
        if (result.ok) {
          t.activated = true;
          // A level that did not exist holds nothing to overwrite: set it from what it is now.
          t.changeFromQuantity = result.available;
          again.push(t);
        } else {
          const first = result.userErrors[0];
          outcomes[t.index] = rejected(
            t.update,
            first?.code ?? "ITEM_NOT_STOCKED_AT_LOCATION",
            first?.message ?? "Shopify could not stock the item at the location",
          );
        }
      }
      remaining = again;
    }
  }

  async function targetsOf(
    updates: readonly QuantityToPublish[],
    outcomes: PublishOutcome[],
    call: RoleCallOptions | undefined,
  ): Promise<Target[]> {
    const items = await mapping.resolveSkus(
      updates.map((u) => u.listingId),
      call,
    );
    const targets: Target[] = [];
    for (const [index, update] of updates.entries()) {
      const item = items.get(update.listingId);
      if (item === undefined || !item.ok) {
        const error = item?.ok === false ? item.error : undefined;
        outcomes[index] = rejected(
          update,
          error?.code ?? "MAPPING_MISSING",
          error?.message ?? `SKU "${update.listingId}" is not mapped`,
        );
        continue;
      }
      if (!item.tracked) {
        outcomes[index] = rejected(
          update,
          "NOT_TRACKED",
          `Shopify does not track inventory for SKU "${update.listingId}"`,
        );
        continue;
      }
      let locationId: string;
      try {
        locationId = await mapping.resolveLocation(update.channelLocationId, call);
      } catch (error) {
        if (!(error instanceof OmnistockError) || error.code !== "MAPPING_MISSING") throw error;
        outcomes[index] = rejected(update, error.code, error.message);
        continue;
      }
      targets.push({
        index,
        update,
        inventoryItemId: item.inventoryItemId,
        locationId,
        changeFromQuantity: update.previous ?? null,
        activated: false,
      });
    }
    return targets;
  }

  /** Calls of at most 250, urgent first, each (item, location) once per call. */
  function batches(targets: readonly Target[]): Target[][] {
    const ordered = [
      ...targets.filter((t) => t.update.urgent),
      ...targets.filter((t) => !t.update.urgent),
    ];
    const out: { readonly targets: Target[]; readonly pairs: Set<string> }[] = [];
    for (const target of ordered) {
      const pair = `${target.inventoryItemId}|${target.locationId}`;
      let batch = out.find((b) => b.targets.length < SHOPIFY_MAX_BATCH && !b.pairs.has(pair));
      if (batch === undefined) {
        batch = { targets: [], pairs: new Set() };
        out.push(batch);
      }
      batch.targets.push(target);
      batch.pairs.add(pair);
    }
    return out.map((b) => b.targets);
  }

  return {
    platform: "shopify",
    channelId,
    maxBatch: SHOPIFY_MAX_BATCH,
    compareAndSet: true,
    async publish(updates, call) {
      const outcomes: PublishOutcome[] = [];
      const targets = await targetsOf(updates, outcomes, call);
      // The client's queue and limiter pace the calls; they run side by side, and all end
      // before a failure is thrown, so that no call is still running when the runtime retries.
      const settled = await Promise.allSettled(
        batches(targets).map((batch) => write(batch, outcomes, call)),
      );
      const failed = settled.find((s): s is PromiseRejectedResult => s.status === "rejected");
      if (failed !== undefined) throw failed.reason;
      return updates.map(
        (update, i) =>
          outcomes[i] ?? rejected(update, "NOT_SENT", "The update was not sent to Shopify"),
      );
    },
    async confirm(pending: readonly PendingPublish[]) {
      return pending.map((p) => ({ status: "published" as const, update: p.update }));
    },
    async readLevels(refs?: readonly ChannelListingRef[], call?: RoleCallOptions) {
      if (refs === undefined) return snapshot(call);
      const items = await mapping.resolveSkus(
        refs.map((r) => r.listingId),
        call,
      );
      const duplicates = [...items.values()].flatMap((r) =>
        !r.ok && r.error.code === "MAPPING_DUPLICATE" ? [r.error] : [],
      );
      const first = duplicates[0];
      if (first !== undefined) throw first;
      const wanted: { ref: ChannelListingRef; inventoryItemId: string; locationId: string }[] = [];
      for (const ref of refs) {
        const item = items.get(ref.listingId);
        // A listing that is not on Shopify shows nothing: reconciliation reports it missing.
        if (item === undefined || !item.ok) continue;
        wanted.push({
          ref,
          inventoryItemId: item.inventoryItemId,
          locationId: await mapping.resolveLocation(ref.channelLocationId, call),
        });
      }
      const shown = await client.levels(wanted, call);
      return wanted.flatMap(({ ref, locationId }, i): ChannelLevel[] => {
        const quantity = shown[i];
        if (quantity === undefined) return [];
        const channelLocationId = ref.channelLocationId ?? mapping.channelLocationOf(locationId);
        return [
          {
            listingId: ref.listingId,
            ...(channelLocationId === undefined ? {} : { channelLocationId }),
            quantity,
          },
        ];
      });
    },
  };

  /** Every mapped listing's `available` at every channel location, a page at a time. */
  async function snapshot(call: RoleCallOptions | undefined): Promise<ChannelLevel[]> {
    const read: {
      channelLocationId: string;
      inventoryItemId: string;
      sku: string | null;
      available: number;
    }[] = [];
    for (const { channelLocationId, locationId } of await mapping.locations(call)) {
      for (const level of await client.locationLevels(locationId, call))
        read.push({ channelLocationId, ...level });
    }
    // Each level names its item's SKU: no catalog scan is needed to map them.
    const listings = await mapping.listingsOf(read);
    return read.flatMap(({ channelLocationId, inventoryItemId, available }): ChannelLevel[] => {
      const listingId = listings.get(inventoryItemId);
      return listingId === undefined ? [] : [{ listingId, channelLocationId, quantity: available }];
    });
  }
}

/** The error of user errors that concern the whole call, not one quantity. */
function callError(errors: readonly ShopifyUserError[], key: string): OmnistockError {
  const codes = errors.map((e) => e.code ?? "USER_ERROR");
  return new OmnistockError(
    "REQUEST",
    `Shopify refused inventorySetQuantities: ${errors.map((e) => `${e.code ?? ""} ${e.message}`.trim()).join("; ")}`,
    {
      platform: "shopify",
      // The same call under the same key is answered once the first has finished.
      retryable: codes.includes("IDEMPOTENCY_CONCURRENT_REQUEST"),
      details: { codes, idempotencyKey: key },
    },
  );
}
