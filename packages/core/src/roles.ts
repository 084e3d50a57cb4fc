import { isOmnistockError, type OmnistockError, type PlatformName } from "./errors.js";
import type { StockEvent } from "./events.js";

/**
 * The roles a platform adapter plays, as the sync runtime consumes them. Adapters
 * implement them; the runtime depends on these types only, never on an adapter.
 */

/** Options every role's calls take. */
export interface RoleCallOptions {
  /** Stops the call (and its retries) when it aborts. */
  readonly signal?: AbortSignal;
  /**
   * Who retries a failed request of the call: `"transport"` retries what is safe to send
   * again (with backoff, the platform's wait first) before the call fails; `"none"` sends
   * each request once and fails the call at the first failure, a `RATE_LIMITED` one with
   * the platform's wait in `retryAfterMs`.
   *
   * Why: work with a durable retry of its own should have one retry owner. The sync
   * engine's outbox asks for `"none"` on every dispatched call and comes back later itself
   * (honouring `Retry-After`), so an update takes at most one HTTP attempt per outbox try
   * instead of the transport's five inside each. Interactive calls (reads, a CLI) keep the
   * default. An adapter passes it to its HTTP client on every request of the call.
   *
   * @default "transport"
   */
  readonly retries?: "transport" | "none";
}

/** What a stock source read, with the cursor to continue from. */
export interface StockRead {
  /** `stock.counted` events (absolute levels with their time and version). */
  readonly events: readonly StockEvent[];
  /** Where the next `changesSince` starts; store it with the positions. */
  readonly cursor: string;
}

/**
 * The system of record for stock (Lightspeed). A read that fails or comes back empty
 * where stock was expected is an error, never "everything is zero".
 */
export interface StockSource {
  readonly platform: PlatformName;
  /** Every level now, as counted-level events. */
  snapshot(options?: RoleCallOptions): Promise<StockRead>;
  /** The levels that changed after `cursor` (the polling backstop for lost webhooks). */
  changesSince(cursor: string | undefined, options?: RoleCallOptions): Promise<StockRead>;
}

/** A channel order to record in the system of record as a sale. */
export interface SaleToRecord {
  /** The channel's order id: the reference that makes recording idempotent. */
  readonly orderId: string;
  readonly channelId: string;
  /** Where the order was routed. */
  readonly locationId: string;
  readonly lines: readonly { readonly sku: string; readonly quantity: number }[];
}

/** What recording a sale did. */
export interface RecordedSale {
  /** The system of record's id for the sale. */
  readonly saleId: string;
  /** `false` when the sale already existed (a retry): nothing was recorded twice. */
  readonly created: boolean;
  /**
   * The stock events the sale means for the system of record, with the ids its own
   * webhooks will carry for it: the runtime applies them at once, and recognises the
   * webhook when it comes back as a duplicate (its echo).
   */
  readonly events?: readonly StockEvent[];
}

/** Units of a refunded channel order that went back on the shelf, to record as a return. */
export interface ReturnToRecord {
  /** The channel's order id, as its sale was recorded under. */
  readonly orderId: string;
  readonly channelId: string;
  /**
   * Names this return among the order's refunds (the refund's event id): the reference
   * that makes recording it idempotent.
   */
  readonly returnId: string;
  /** Where the units are restocked: the location the order was routed to. */
  readonly locationId: string;
  readonly lines: readonly { readonly sku: string; readonly quantity: number }[];
}

/** Where channel orders become sales (Lightspeed): idempotent by the order id. */
export interface SalesOrderSink {
  readonly platform: PlatformName;
  recordSale(sale: SaleToRecord, options?: RoleCallOptions): Promise<RecordedSale>;
  /** Voids the sale of a cancelled order, giving its stock back; a no-op when there is none. */
  voidSale(
    order: { readonly channelId: string; readonly orderId: string },
    options?: RoleCallOptions,
  ): Promise<void>;
  /**
   * Records a return of a refunded order's restocked units, so that the system of record
   * puts them back in stock; idempotent by `returnId`. The result's `events` are the
   * return's own stock events, as its webhook will carry them.
   */
  recordReturn(sale: ReturnToRecord, options?: RoleCallOptions): Promise<RecordedSale>;
}

/** Names what a channel shows: a listing, at one of the channel's own locations if it has them. */
export interface ChannelListingRef {
  /** The channel's listing id, as in the catalog (usually the SKU on that channel). */
  readonly listingId: string;
  /** The channel's own location, for `location` and `zones` feeds. */
  readonly channelLocationId?: string;
}

/** One absolute quantity to set on a channel. */
export interface QuantityToPublish extends ChannelListingRef {
  /** The quantity the channel must show. */
  readonly quantity: number;
  /**
   * What the channel was last told, if anything: the compare-and-set value where the
   * platform has one (Shopify's `changeFromQuantity`).
   */
  readonly previous: number | undefined;
  /** An oversell risk (lowering toward zero): the fastest single-item call is used. */
  readonly urgent: boolean;
}

/**
 * What became of one update. A request that failed as a whole (rate limit, 5xx, timeout)
 * is thrown instead, so that the runtime retries the batch; these are per-item outcomes.
 *
 * - `published`: the channel shows `quantity` now (confirmed).
 * - `pending`: the channel accepted the write but applies it later (Amazon `ACCEPTED`, a
 *   feed, BigCommerce's asynchronous adjustments); hand `receipt` to
 *   {@link ChannelPublisher.confirm} later.
 * - `stale`: compare-and-set refused; the channel shows `actual`, so re-plan from it
 *   rather than overwrite.
 * - `rejected`: this item cannot be written (not stocked at that location, inventory not
 *   tracked, fulfilled by the channel); retrying will not help until someone acts.
 */
export type PublishOutcome =
  | { readonly status: "published"; readonly update: QuantityToPublish }
  | { readonly status: "pending"; readonly update: QuantityToPublish; readonly receipt: string }
  | { readonly status: "stale"; readonly update: QuantityToPublish; readonly actual: number }
  | {
      readonly status: "rejected";
      readonly update: QuantityToPublish;
      /** A stable reason code from the platform or the adapter, e.g. `ITEM_NOT_STOCKED_AT_LOCATION`. */
      readonly reason: string;
      readonly message: string;
    };

/** A write that was `pending`, to confirm. */
export interface PendingPublish {
  readonly update: QuantityToPublish;
  readonly receipt: string;
}

/** What a channel shows for one listing now. */
export interface ChannelLevel extends ChannelListingRef {
  readonly quantity: number;
  /**
   * Who manages this stock: `channel` for stock the channel holds itself (Amazon FBA),
   * which Omnistock reads and never writes.
   * @default "merchant"
   */
  readonly managedBy?: "merchant" | "channel";
}

/**
 * A channel that shows quantities (a Shopify store, an Amazon marketplace, a BigCommerce
 * storefront). Writes are absolute, so that a retry is harmless.
 */
export interface ChannelPublisher {
  readonly platform: PlatformName;
  /** The catalog channel this publisher writes to. */
  readonly channelId: string;
  /** The most updates one {@link publish} call should carry (the platform's batch maximum). */
  readonly maxBatch: number;
  /** Whether {@link publish} honours `previous` as compare-and-set. */
  readonly compareAndSet: boolean;
  /**
   * The least time between two batches that the platform's plan affords, for platforms
   * that limit requests rather than items (BigCommerce): updates arriving meanwhile join
   * the next batch instead of spending a request each.
   * @default 0
   */
  readonly minBatchIntervalMs?: number;
  /**
   * Sets the quantities, using the platform's batch call for bulk updates and its fastest
   * single call for urgent ones. One outcome per update, in the same order.
   * @throws {@link OmnistockError} when the request failed as a whole (`retryable` says
   *   whether to try again).
   */
  publish(
    updates: readonly QuantityToPublish[],
    options?: RoleCallOptions,
  ): Promise<readonly PublishOutcome[]>;
  /** Confirms writes that were `pending`: each comes back published, stale, rejected or still pending. */
  confirm(
    pending: readonly PendingPublish[],
    options?: RoleCallOptions,
  ): Promise<readonly PublishOutcome[]>;
  /**
   * What the channel shows now: for the given listings, or every mapped one when omitted
   * (the channel snapshot reconciliation compares).
   */
  readLevels(
    refs?: readonly ChannelListingRef[],
    options?: RoleCallOptions,
  ): Promise<readonly ChannelLevel[]>;
}

/** One line of a channel order, by the channel's listing. */
export interface ChannelOrderLine {
  readonly listingId: string;
  readonly quantity: number;
  /** For refunds: whether the units go back on the shelf. */
  readonly restock?: boolean;
}

/**
 * A channel order as the channel reports it, before routing: the runtime routes it to
 * locations and turns it into `order.*` stock events.
 */
export interface ChannelOrder {
  /**
   * Stable id of this report of the order (order id plus the change it reports): the
   * de-duplication key when the same change arrives by webhook and by polling.
   */
  readonly eventId: string;
  readonly channelId: string;
  readonly orderId: string;
  /** When the change happened at the channel, in epoch milliseconds. */
  readonly at: number;
  readonly status: "placed" | "cancelled" | "fulfilled" | "refunded";
  readonly lines: readonly ChannelOrderLine[];
  /** The channel location that sold it, where the channel has locations. */
  readonly channelLocationId?: string;
  /**
   * Fulfilled by the channel from its own stock (Amazon AFN): it does not touch the
   * retailer's stock.
   */
  readonly fulfilledByChannel?: boolean;
  readonly tracking?: { readonly company?: string; readonly number: string };
}

/** Orders read by polling, with the cursor to continue from. */
export interface OrderRead {
  readonly orders: readonly ChannelOrder[];
  readonly cursor: string;
}

/** A channel whose orders Omnistock takes in (by webhook, with polling as the backstop). */
export interface OrderSource {
  readonly platform: PlatformName;
  readonly channelId: string;
  /** Orders created or changed after `cursor` (the polling backstop for lost webhooks). */
  ordersSince(cursor: string | undefined, options?: RoleCallOptions): Promise<OrderRead>;
}

/** A webhook delivery as received: the raw body and the headers. */
export interface WebhookRequest {
  /** The body exactly as received: signatures are over these bytes. */
  readonly body: string;
  /** The request headers (names case-insensitive). */
  readonly headers: Headers;
}

/** What one verified webhook delivery said. */
export interface WebhookDelivery {
  readonly platform: PlatformName;
  /** The platform's topic or type, e.g. `orders/create`, `inventory.update`. */
  readonly topic: string;
  /** The de-duplication key: a redelivery of the same change has the same key. */
  readonly deliveryId: string;
  /** Stock events from the system of record. */
  readonly events: readonly StockEvent[];
  /** Channel orders. */
  readonly orders: readonly ChannelOrder[];
  /**
   * Levels a channel announced (e.g. Shopify `inventory_levels/update`): compared with
   * what Omnistock published, to recognise its own echo and spot edits made on the channel.
   */
  readonly levels: readonly (ChannelLevel & { readonly channelId: string })[];
}

/** The result-returning form of {@link WebhookReceiver.receive}. */
export type WebhookResult =
  | { readonly ok: true; readonly delivery: WebhookDelivery }
  | { readonly ok: false; readonly error: OmnistockError };

/**
 * Verifies and parses one platform's webhooks. The signature is checked before anything
 * is parsed, and nothing is applied by receiving.
 */
export interface WebhookReceiver {
  readonly platform: PlatformName;
  /**
   * The largest body, in bytes, the runtime reads for this receiver: a larger one is
   * answered `413` before it is verified or parsed, and never held in memory whole. Set it
   * to what the platform can send (a BigCommerce body carries ids only; a Shopify order
   * may reach a megabyte).
   * @default the runtime's limit (`webhooks.maxBodyBytes` of the sync engine: 4 MiB)
   */
  readonly maxBodyBytes?: number;
  /**
   * @throws {@link OmnistockError} `SIGNATURE` for a bad signature, `VALIDATION` naming
   *   the field for a malformed body.
   */
  receive(request: WebhookRequest): Promise<WebhookDelivery>;
  /** The same, never throwing for a bad delivery. */
  tryReceive(request: WebhookRequest): Promise<WebhookResult>;
}

/**
 * Builds a {@link WebhookReceiver} from a throwing `receive`: `tryReceive` returns the
 * `OmnistockError`s it throws as `{ ok: false }` (anything else is a bug and is rethrown).
 */
export function createWebhookReceiver(
  platform: PlatformName,
  receive: (request: WebhookRequest) => WebhookDelivery | Promise<WebhookDelivery>,
): WebhookReceiver {
  return {
    platform,
    receive: async (request) => receive(request),
    async tryReceive(request) {
      try {
        return { ok: true, delivery: await receive(request) };
      } catch (error) {
        if (isOmnistockError(error)) return { ok: false, error };
        throw error;
      }
    },
  };
}
