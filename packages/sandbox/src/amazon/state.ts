import { finishFeed } from "./feeds.js";

/** A listing: merchant-fulfilled (`DEFAULT`) or Amazon-fulfilled (`AMAZON_NA`, …). */
export interface AmazonListing {
  readonly sku: string;
  readonly asin: string;
  readonly productType: string;
  readonly fulfillmentChannelCode: string;
  /** The quantity buyers see (MFN), or Amazon's fulfillable quantity (FBA). */
  readonly quantity: number;
}

/** An order, as the server keeps it. */
export interface AmazonOrder {
  readonly AmazonOrderId: string;
  readonly FulfillmentChannel: "MFN" | "AFN";
  readonly OrderStatus: string;
  readonly PurchaseDate: string;
  readonly LastUpdateDate: string;
  readonly items: readonly {
    readonly OrderItemId: string;
    readonly SellerSKU: string;
    readonly ASIN: string;
    readonly QuantityOrdered: number;
  }[];
}

/** A submitted feed; `resultDocumentId` is set once processed. */
export interface Feed {
  readonly feedId: string;
  readonly createdAt: number;
  readonly documentId: string;
  resultDocumentId?: string;
}

/** How long a feed waits in queue, then processes. */
export interface FeedTiming {
  readonly queuedMs: number;
  readonly processingMs: number;
}

/** The seller's data: listings, ACCEPTED writes not yet visible, feed documents, feeds, orders. */
export interface AmazonState {
  readonly listings: Map<string, AmazonListing>;
  readonly pendingWrites: { sku: string; quantity: number; visibleAt: number }[];
  /** Feed and report documents by id; `undefined` until uploaded. */
  readonly documents: Map<string, string | undefined>;
  readonly feeds: Map<string, Feed>;
  readonly orders: Map<string, AmazonOrder>;
  /** Applies the writes and finishes the feeds due at `now` (or all of them). */
  applyDue(now: number, all?: boolean): void;
}

/** What {@link createAmazonState} needs. */
export interface AmazonStateOptions {
  readonly sellerId: string;
  readonly timing: FeedTiming;
  readonly token: () => string;
}

/** Creates an empty seller account. */
export function createAmazonState(options: AmazonStateOptions): AmazonState {
  const { sellerId, timing, token } = options;
  const listings = new Map<string, AmazonListing>();
  const pendingWrites: { sku: string; quantity: number; visibleAt: number }[] = [];
  const documents = new Map<string, string | undefined>();
  const feeds = new Map<string, Feed>();
  const state: AmazonState = {
    listings,
    pendingWrites,
    documents,
    feeds,
    orders: new Map(),
    applyDue(now, all = false) {
      for (let i = 0; i < pendingWrites.length; ) {
        const write = pendingWrites[i] as (typeof pendingWrites)[number];
        if (all || write.visibleAt <= now) {
          const listing = listings.get(write.sku);
          if (listing !== undefined)
            listings.set(write.sku, { ...listing, quantity: write.quantity });
          pendingWrites.splice(i, 1);
        } else i++;
      }
      for (const feed of feeds.values()) {
        if (
          feed.resultDocumentId === undefined &&
          (all || now >= feed.createdAt + timing.queuedMs + timing.processingMs)
        ) {
          finishFeed(state, feed, sellerId, token);
        }
      }
    },
  };
  return state;
}
