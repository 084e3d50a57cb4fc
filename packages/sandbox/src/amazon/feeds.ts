import { patchIssue, quantityOf } from "./patches.js";
import type { AmazonListing, AmazonState, Feed, FeedTiming } from "./state.js";

/**
 * Processes a feed's uploaded JSON_LISTINGS_FEED: applies each valid PATCH or
 * PARTIAL_UPDATE message and writes the processing report as a new document.
 */
export function finishFeed(
  state: Pick<AmazonState, "listings" | "documents">,
  feed: Feed,
  sellerId: string,
  token: () => string,
): void {
  const { listings, documents } = state;
  const document = documents.get(feed.documentId);
  const issues: Record<string, unknown>[] = [];
  let processed = 0;
  let accepted = 0;
  let parsed: { header?: { sellerId?: unknown }; messages?: unknown } | undefined;
  try {
    parsed = document === undefined ? undefined : JSON.parse(document);
  } catch {
    parsed = undefined;
  }
  const messages = Array.isArray(parsed?.messages)
    ? (parsed.messages as Record<string, unknown>[])
    : [];
  for (const message of messages) {
    processed++;
    const sku = String(message.sku);
    const messageId = Number(message.messageId);
    const fail = (code: string, text: string) =>
      issues.push({
        messageId,
        sku,
        code,
        severity: "ERROR",
        message: text,
        attributeName: "fulfillment_availability",
      });
    if (!listings.has(sku)) {
      fail("18", `The SKU ${sku} does not exist for this seller.`);
      continue;
    }
    const patches =
      message.operationType === "PATCH"
        ? (message.patches as unknown[])
        : message.operationType === "PARTIAL_UPDATE"
          ? [
              {
                op: "replace",
                path: "/attributes/fulfillment_availability",
                value: (message.attributes as Record<string, unknown> | undefined)
                  ?.fulfillment_availability,
              },
            ]
          : [];
    const problem = patches
      .map((patch) => patchIssue(listings, sku, patch))
      .find((issue) => issue !== undefined);
    if (problem !== undefined || patches.length === 0) {
      fail("90000900", problem ?? "Only PATCH and PARTIAL_UPDATE messages are processed here.");
      continue;
    }
    for (const patch of patches) {
      const quantity = quantityOf(patch as Parameters<typeof quantityOf>[0]);
      const listing = listings.get(sku) as AmazonListing;
      if (quantity !== undefined) listings.set(sku, { ...listing, quantity });
    }
    accepted++;
  }
  const reportId = `amzn1.tortuga.4.na.${token()}`;
  documents.set(
    reportId,
    JSON.stringify({
      header: { sellerId, version: "2.0", feedId: feed.feedId },
      issues,
      summary: {
        errors: issues.length,
        warnings: 0,
        messagesProcessed: processed,
        messagesAccepted: accepted,
        messagesInvalid: processed - accepted,
      },
    }),
  );
  feed.resultDocumentId = reportId;
}

/** Where a feed is at `now`, by the feed timing. */
export function feedStatus(
  feed: Feed,
  now: number,
  timing: FeedTiming,
): "IN_QUEUE" | "IN_PROGRESS" | "DONE" {
  if (feed.resultDocumentId !== undefined) return "DONE";
  return now < feed.createdAt + timing.queuedMs ? "IN_QUEUE" : "IN_PROGRESS";
}
