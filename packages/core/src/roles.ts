import type { PlatformName } from "./errors.js";
import type { StockEvent } from "./events.js";

/**
 * The roles a platform adapter plays, as the sync runtime consumes them. Adapters
 * implement them; the runtime depends on these types only, never on an adapter.
 */

/** Options every role's calls take. */
export interface RoleCallOptions {
  /** Stops the call (and its retries) when it aborts. */
  readonly signal?: AbortSignal;
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
}
