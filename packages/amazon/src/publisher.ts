import {
  type ChannelLevel,
  type ChannelListingRef,
  type ChannelPublisher,
  functionOption,
  isOmnistockError,
  OmnistockError,
  objectWithMethods,
  type PendingPublish,
  type PublishOutcome,
  parseWith,
  type QuantityToPublish,
  type RoleCallOptions,
} from "@omnistock/core";
import { z } from "zod";
import type { AmazonClient, ListingsPatchOperation } from "./client.js";
import { type AmazonListingMapping, amazonListings } from "./mapping.js";
import { type AmazonProcessingReport, processingReportSchema } from "./schemas.js";

/** The most messages one `JSON_LISTINGS_FEED` may carry. */
export const FEED_MAX_MESSAGES = 25_000;

/** The largest feed document Amazon advises (10 MiB). */
export const FEED_MAX_BYTES = 10 * 1024 * 1024;

/** The fulfillment channel code of merchant-fulfilled (MFN) quantity. */
const MERCHANT = "DEFAULT";

/** Options of {@link createAmazonPublisher}. */
export interface AmazonPublisherOptions {
  /** The client of the seller's authorisation. */
  readonly client: AmazonClient;
  /**
   * The catalog channel this publisher writes to.
   * @example "amazon-us"
   */
  readonly channelId: string;
  /**
   * The seller (merchant token) the listings belong to.
   * @example "A2SANDBOXSELLER"
   */
  readonly sellerId: string;
  /**
   * The marketplaces written to; FBA stock is read in the first.
   * @example ["ATVPDKIKX0DER"]
   */
  readonly marketplaceIds: readonly string[];
  /** Every listing of the channel, with its seller SKU (validated, see {@link AmazonListingMapping}). */
  readonly listings: readonly AmazonListingMapping[];
  /**
   * The product type named in patches of listings that give none.
   * @default "PRODUCT"
   */
  readonly productType?: string;
  /**
   * The most updates one publish call should carry: at most 25,000, a feed's maximum.
   * @default 25000
   */
  readonly maxBatch?: number;
  /**
   * How long an ACCEPTED patch may take to show before `confirm` reports the listing's
   * quantity as `stale` instead of `pending`.
   * @default 1800000 (30 minutes)
   */
  readonly confirmWithinMs?: number;
  /**
   * How long the set of Amazon-fulfilled SKUs (from the FBA inventory summaries) is kept
   * before it is read again.
   * @default 900000 (15 minutes)
   */
  readonly fbaRefreshMs?: number;
  /**
   * Non-urgent batches smaller than this go by `patchListingsItem` too: a feed takes
   * minutes to apply and Amazon allows five in five minutes, so feeds are kept for bulk
   * work and a trickle of changes does not use them up.
   * @default 25
   */
  readonly feedFrom?: number;
  /** @default Date.now */
  readonly clock?: () => number;
}

const optionsSchema = z.strictObject({
  client: objectWithMethods<AmazonClient>("an AmazonClient", ["patchListingsItem"]),
  channelId: z.string().min(1),
  sellerId: z.string().min(1),
  marketplaceIds: z.array(z.string().min(1)).min(1),
  listings: z.array(z.unknown()),
  productType: z.string().min(1).optional(),
  maxBatch: z.number().int().min(1).max(FEED_MAX_MESSAGES).optional(),
  confirmWithinMs: z.number().int().nonnegative().optional(),
  fbaRefreshMs: z.number().int().nonnegative().optional(),
  feedFrom: z.number().int().min(1).optional(),
  clock: functionOption.optional(),
});

const quantitySchema = z.array(
  z.object({ listingId: z.string().min(1), quantity: z.number().int().nonnegative() }),
);

/** A receipt, as `publish` writes it and `confirm` reads it. */
type Receipt =
  | { readonly kind: "patch"; readonly submittedAt: number; readonly submissionId: string }
  | { readonly kind: "feed"; readonly feedId: string; readonly messageId: number };

function receiptOf(text: string): Receipt {
  const patch = /^patch:(\d+):(.+)$/.exec(text);
  if (patch !== null)
    return { kind: "patch", submittedAt: Number(patch[1]), submissionId: patch[2] as string };
  const feed = /^feed:([^:]+):(\d+)$/.exec(text);
  if (feed !== null) return { kind: "feed", feedId: feed[1] as string, messageId: Number(feed[2]) };
  throw new OmnistockError("VALIDATION", `Not an Amazon publish receipt: "${text}"`, {
    platform: "amazon",
    issues: [{ path: ["receipt"], message: "expected patch:… or feed:…" }],
  });
}

/** The patch that sets the merchant-fulfilled quantity and nothing else. */
function quantityPatch(quantity: number): ListingsPatchOperation {
  return {
    // `merge` on the channel code changes only `quantity`; `replace` would clear the
    // handling time and restock date set next to it.
    op: "merge",
    path: "/attributes/fulfillment_availability",
    value: [{ fulfillment_channel_code: MERCHANT, quantity }],
  };
}

/**
 * Creates Amazon as a channel: merchant-fulfilled quantities (`fulfillment_channel_code`
 * `DEFAULT`) set absolutely — urgent updates one by one through `patchListingsItem` (a
 * merge patch, 5 a second), the others through one `JSON_LISTINGS_FEED` of up to 25,000
 * messages. Amazon applies both later: every write comes back `pending` with a receipt, and
 * `confirm` reads the listing or the feed's processing report to tell published, rejected
 * (with Amazon's issue code) or still pending.
 *
 * Amazon-fulfilled (FBA) stock is Amazon's: `readLevels` reports it from the FBA inventory
 * summaries as `managedBy: "channel"`, and `publish` rejects it with
 * `FULFILLED_BY_CHANNEL` without writing. There is no compare-and-set.
 *
 * @throws {@link OmnistockError} `VALIDATION` naming every invalid option or listing,
 *   `MAPPING_DUPLICATE`/`MAPPING_AMBIGUOUS` for a listing mapped twice.
 * @example
 * ```ts
 * const publisher = createAmazonPublisher({
 *   client, channelId: "amazon-us", sellerId, marketplaceIds: ["ATVPDKIKX0DER"],
 *   listings: [{ listingId: "MUG-RED", sellerSku: "MUG-RED-01", productType: "MUG" }],
 * });
 * const [outcome] = await publisher.publish([{ listingId: "MUG-RED", quantity: 3, previous: 4, urgent: true }]);
 * // { status: "pending", receipt: "patch:…" } — later: await publisher.confirm([outcome])
 * ```
 */
export function createAmazonPublisher(options: AmazonPublisherOptions): ChannelPublisher {
  parseWith(optionsSchema, options, "Amazon publisher options", { platform: "amazon" });
  const { client, sellerId, marketplaceIds } = options;
  const { mapping, productTypeOf } = amazonListings(options.listings);
  const defaultProductType = options.productType ?? "PRODUCT";
  const confirmWithin = options.confirmWithinMs ?? 1_800_000;
  const fbaRefresh = options.fbaRefreshMs ?? 900_000;
  const feedFrom = options.feedFrom ?? 25;
  const clock = options.clock ?? Date.now;
  const productType = (sellerSku: string) => productTypeOf(sellerSku) ?? defaultProductType;

  let fba: { readonly at: number; readonly quantities: Map<string, number> } | undefined;
  const reports = new Map<string, AmazonProcessingReport>();

  async function fbaQuantities(fresh: boolean, signal?: AbortSignal): Promise<Map<string, number>> {
    if (!fresh && fba !== undefined && clock() - fba.at < fbaRefresh) return fba.quantities;
    const summaries = await client.getInventorySummaries({
      marketplaceId: marketplaceIds[0] as string,
      ...(signal === undefined ? {} : { signal }),
    });
    const quantities = new Map(
      summaries.map((s) => [
        s.sellerSku,
        s.inventoryDetails?.fulfillableQuantity ?? s.totalQuantity ?? 0,
      ]),
    );
    fba = { at: clock(), quantities };
    return quantities;
  }

  async function patchOne(
    update: QuantityToPublish,
    sellerSku: string,
    call: RoleCallOptions,
  ): Promise<PublishOutcome> {
    const submittedAt = clock();
    try {
      const answer = await client.patchListingsItem({
        sellerId,
        sku: sellerSku,
        marketplaceIds,
        body: { productType: productType(sellerSku), patches: [quantityPatch(update.quantity)] },
        ...call,
      });
      if (answer.status === "INVALID") {
        const errors = (answer.issues ?? []).filter((i) => i.severity === "ERROR");
        return {
          status: "rejected",
          update,
          reason: errors[0]?.code ?? "INVALID",
          message: errors.map((i) => i.message).join("; ") || "Amazon refused the patch",
        };
      }
      return { status: "pending", update, receipt: `patch:${submittedAt}:${answer.submissionId}` };
    } catch (error) {
      if (isOmnistockError(error) && error.status === 404) {
        return {
          status: "rejected",
          update,
          reason: "NOT_FOUND",
          message: `Amazon has no listing for seller SKU "${sellerSku}"`,
        };
      }
      throw error;
    }
  }

  /** Splits messages into feeds of at most 25,000 messages and 10 MiB. */
  function feedDocuments(
    items: readonly {
      readonly index: number;
      readonly sellerSku: string;
      readonly quantity: number;
    }[],
  ): { readonly document: string; readonly indexes: readonly number[] }[] {
    const header = JSON.stringify({ sellerId, version: "2.0", issueLocale: "en_US" });
    const documents: { document: string; indexes: number[] }[] = [];
    let messages: string[] = [];
    let indexes: number[] = [];
    let bytes = header.length + 32;
    const flush = () => {
      if (messages.length === 0) return;
      documents.push({
        document: `{"header":${header},"messages":[${messages.join(",")}]}`,
        indexes,
      });
      messages = [];
      indexes = [];
      bytes = header.length + 32;
    };
    const render = (item: (typeof items)[number], messageId: number) =>
      JSON.stringify({
        messageId,
        sku: item.sellerSku,
        operationType: "PATCH",
        productType: productType(item.sellerSku),
        patches: [quantityPatch(item.quantity)],
      });
    for (const item of items) {
      let message = render(item, messages.length + 1);
      if (
        messages.length === FEED_MAX_MESSAGES ||
        bytes + Buffer.byteLength(message) + 1 > FEED_MAX_BYTES
      ) {
        flush();
        message = render(item, 1);
      }
      messages.push(message);
      bytes += Buffer.byteLength(message) + 1;
      indexes.push(item.index);
    }
    flush();
    return documents;
  }

  async function report(feedId: string, documentId: string, signal?: AbortSignal) {
    let parsed = reports.get(feedId);
    if (parsed === undefined) {
      const document = await client.downloadFeedDocument(
        documentId,
        signal === undefined ? {} : { signal },
      );
      parsed = parseWith(processingReportSchema, document, "Amazon feed processing report", {
        platform: "amazon",
        details: { feedId },
      });
      // Keep the last few reports: confirming 25,000 receipts reads the report once.
      if (reports.size >= 16) reports.delete(reports.keys().next().value as string);
      reports.set(feedId, parsed);
    }
    return parsed;
  }

  return {
    platform: "amazon",
    channelId: options.channelId,
    maxBatch: options.maxBatch ?? FEED_MAX_MESSAGES,
    compareAndSet: false,

    async publish(updates, callOptions: RoleCallOptions = {}) {
      parseWith(quantitySchema, updates, "Amazon quantities to publish", { platform: "amazon" });
      const { signal } = callOptions;
      // Every listing must be mapped before anything is written.
      const skus = updates.map((u) => mapping.toPlatformId(u.listingId));
      const outcomes: (PublishOutcome | undefined)[] = new Array(updates.length);
      const fbaSkus = await fbaQuantities(false, signal);
      const byPatch: number[] = [];
      const bulk: { index: number; sellerSku: string; quantity: number }[] = [];
      updates.forEach((update, index) => {
        const sellerSku = skus[index] as string;
        if (fbaSkus.has(sellerSku)) {
          outcomes[index] = {
            status: "rejected",
            update,
            reason: "FULFILLED_BY_CHANNEL",
            message: `Seller SKU "${sellerSku}" is fulfilled by Amazon: its stock is Amazon's to set`,
          };
        } else if (update.urgent) byPatch.push(index);
        else bulk.push({ index, sellerSku, quantity: update.quantity });
      });
      if (bulk.length < feedFrom) byPatch.push(...bulk.splice(0).map((b) => b.index));

      const settled = await Promise.allSettled([
        ...byPatch.map(async (index) => {
          outcomes[index] = await patchOne(
            updates[index] as QuantityToPublish,
            skus[index] as string,
            callOptions,
          );
        }),
        ...feedDocuments(bulk).map(async ({ document, indexes }) => {
          const inputFeedDocumentId = await client.uploadFeedDocument(document, callOptions);
          const feedId = await client.createFeed({
            marketplaceIds,
            inputFeedDocumentId,
            ...callOptions,
          });
          indexes.forEach((index, i) => {
            outcomes[index] = {
              status: "pending",
              update: updates[index] as QuantityToPublish,
              receipt: `feed:${feedId}:${i + 1}`,
            };
          });
        }),
      ]);
      const failed = settled.find((s) => s.status === "rejected");
      if (failed !== undefined) throw failed.reason;
      return outcomes as PublishOutcome[];
    },

    async confirm(pending: readonly PendingPublish[], callOptions: RoleCallOptions = {}) {
      const { signal } = callOptions;
      const receipts = pending.map((p) => receiptOf(p.receipt));
      const outcomes: PublishOutcome[] = new Array(pending.length);

      const patched = new Map<string, number[]>();
      const fed = new Map<string, number[]>();
      receipts.forEach((receipt, index) => {
        const sellerSku = mapping.toPlatformId((pending[index] as PendingPublish).update.listingId);
        const groups = receipt.kind === "patch" ? patched : fed;
        const key = receipt.kind === "patch" ? sellerSku : receipt.feedId;
        const group = groups.get(key);
        if (group === undefined) groups.set(key, [index]);
        else group.push(index);
      });

      await Promise.all([
        ...[...patched].map(async ([sellerSku, indexes]) => {
          const listing = await client.getListingsItem({
            sellerId,
            sku: sellerSku,
            marketplaceIds,
            includedData: ["fulfillmentAvailability"],
            ...(signal === undefined ? {} : { signal }),
          });
          const shown = listing?.fulfillmentAvailability?.find(
            (f) => f.fulfillmentChannelCode === MERCHANT,
          )?.quantity;
          for (const index of indexes) {
            const { update, receipt } = pending[index] as PendingPublish;
            const { submittedAt } = receipts[index] as Receipt & { kind: "patch" };
            if (listing === undefined) {
              outcomes[index] = {
                status: "rejected",
                update,
                reason: "NOT_FOUND",
                message: `Amazon has no listing for seller SKU "${sellerSku}"`,
              };
            } else if (shown === update.quantity) {
              outcomes[index] = { status: "published", update };
            } else if (clock() - submittedAt < confirmWithin) {
              outcomes[index] = { status: "pending", update, receipt };
            } else {
              outcomes[index] = { status: "stale", update, actual: shown ?? 0 };
            }
          }
        }),
        ...[...fed].map(async ([feedId, indexes]) => {
          const feed = await client.getFeed(feedId, signal === undefined ? {} : { signal });
          const still =
            feed.processingStatus === "IN_QUEUE" || feed.processingStatus === "IN_PROGRESS";
          let issues: Map<number, { code: string; message: string }[]> | undefined;
          if (feed.processingStatus === "DONE") {
            if (feed.resultFeedDocumentId === undefined) {
              throw new OmnistockError(
                "BAD_RESPONSE",
                `Amazon feed ${feedId} is DONE without a report`,
                {
                  platform: "amazon",
                  details: { feedId },
                },
              );
            }
            const parsed = await report(feedId, feed.resultFeedDocumentId, signal);
            issues = new Map();
            for (const issue of parsed.issues ?? []) {
              if (issue.severity !== "ERROR") continue;
              const listed = issues.get(issue.messageId);
              if (listed === undefined) issues.set(issue.messageId, [issue]);
              else listed.push(issue);
            }
          }
          for (const index of indexes) {
            const { update, receipt } = pending[index] as PendingPublish;
            const { messageId } = receipts[index] as Receipt & { kind: "feed" };
            if (still) {
              outcomes[index] = { status: "pending", update, receipt };
            } else if (issues === undefined) {
              outcomes[index] = {
                status: "rejected",
                update,
                reason: `FEED_${feed.processingStatus}`,
                message: `Amazon feed ${feedId} ended ${feed.processingStatus}: nothing of it was applied`,
              };
            } else {
              const errors = issues.get(messageId);
              outcomes[index] =
                errors === undefined
                  ? { status: "published", update }
                  : {
                      status: "rejected",
                      update,
                      reason: (errors[0] as { code: string }).code,
                      message: errors.map((e) => e.message).join("; "),
                    };
            }
          }
        }),
      ]);
      return outcomes;
    },

    async readLevels(refs?: readonly ChannelListingRef[], callOptions: RoleCallOptions = {}) {
      const { signal } = callOptions;
      const wanted = refs ?? mapping.entries().map((e) => ({ listingId: e.sku }));
      const skus = wanted.map((ref) => mapping.toPlatformId(ref.listingId));
      const fbaSkus = await fbaQuantities(true, signal);
      const levels = await Promise.all(
        wanted.map(async (ref, index): Promise<ChannelLevel | undefined> => {
          const sellerSku = skus[index] as string;
          const held = fbaSkus.get(sellerSku);
          if (held !== undefined)
            return { listingId: ref.listingId, quantity: held, managedBy: "channel" };
          const listing = await client.getListingsItem({
            sellerId,
            sku: sellerSku,
            marketplaceIds,
            includedData: ["fulfillmentAvailability"],
            ...(signal === undefined ? {} : { signal }),
          });
          if (listing === undefined) return undefined;
          const quantity =
            listing.fulfillmentAvailability?.find((f) => f.fulfillmentChannelCode === MERCHANT)
              ?.quantity ?? 0;
          return { listingId: ref.listingId, quantity, managedBy: "merchant" };
        }),
      );
      return levels.filter((level): level is ChannelLevel => level !== undefined);
    },
  };
}
