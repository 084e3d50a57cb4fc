import type { ListingRef, OmnistockError, SkuQuantity } from "@omnistock/core";
import type { HoldReason } from "./store.js";

/**
 * What the runtime reports as it works: a discriminated union on `type`, handed to the
 * engine's `onEvent`. Every event names its tenant.
 */
export type SyncEvent =
  /** A delivery or poll was applied: its fresh events changed stock and planned updates. */
  | {
      readonly type: "applied";
      readonly tenantId: string;
      readonly source: string;
      /** Events applied for the first time. */
      readonly events: number;
      /** Events dropped as already applied (redeliveries, polling overlap). */
      readonly duplicates: number;
      /** Channel updates written to the outbox. */
      readonly planned: number;
    }
  /** A whole delivery was a redelivery: nothing was applied. */
  | {
      readonly type: "duplicate";
      readonly tenantId: string;
      readonly source: string;
      readonly deliveryId: string;
    }
  /**
   * A channel acknowledged a write: it shows the quantity now, or (Amazon, BigCommerce)
   * accepted it to apply shortly. `latencyMs` runs from the change being seen; this is
   * what the latency histograms record.
   */
  | {
      readonly type: "acknowledged";
      readonly tenantId: string;
      readonly channelId: string;
      readonly ref: ListingRef;
      readonly quantity: number;
      readonly urgent: boolean;
      readonly latencyMs: number;
    }
  /** A channel confirmed it shows a quantity. `latencyMs` runs from the change being seen. */
  | {
      readonly type: "published";
      readonly tenantId: string;
      readonly channelId: string;
      readonly ref: ListingRef;
      readonly quantity: number;
      readonly urgent: boolean;
      readonly latencyMs: number;
    }
  /** A channel refused a compare-and-set: it showed `actual`; the update goes again from it. */
  | {
      readonly type: "stale";
      readonly tenantId: string;
      readonly channelId: string;
      readonly ref: ListingRef;
      readonly actual: number;
    }
  /** An update (or a sales order) was set aside after its last try, or refused for good. */
  | {
      readonly type: "parked";
      readonly tenantId: string;
      readonly queue: string;
      readonly key: string;
      readonly reason: string;
    }
  /** A channel asked to slow down; the dispatcher waits `retryAfterMs`. */
  | {
      readonly type: "throttled";
      readonly tenantId: string;
      readonly queue: string;
      readonly retryAfterMs: number;
    }
  /**
   * A channel announced a level Omnistock expected: one it wrote (or is writing), or its
   * own count less the channel's own orders. Not counted again.
   */
  | {
      readonly type: "echo-suppressed";
      readonly tenantId: string;
      readonly channelId: string;
      readonly ref: ListingRef;
      readonly quantity: number;
    }
  /**
   * A channel announced a level that neither Omnistock's writes nor the channel's own
   * orders explain (an edit on the channel). One above the plan is set back at once; one
   * below it is reported with the channel's next announcement, since the channel's own
   * order may still be on its way.
   */
  | {
      readonly type: "channel-drift";
      readonly tenantId: string;
      readonly channelId: string;
      readonly ref: ListingRef;
      readonly shown: number;
      readonly planned: number | undefined;
    }
  /**
   * A channel order could not be fully placed on available stock: an oversell. Raised
   * whatever the channel's oversold policy; a held order also raises `order-held`.
   */
  | {
      readonly type: "oversell-risk";
      readonly tenantId: string;
      readonly channelId: string;
      readonly orderId: string;
      readonly unfilled: readonly SkuQuantity[];
    }
  /**
   * A channel order was put on hold: its units stay committed but no sale is posted until
   * `resolveHeldOrder` (or the channel's cancellation) settles it. Listed by `heldOrders`.
   */
  | {
      readonly type: "order-held";
      readonly tenantId: string;
      readonly channelId: string;
      readonly orderId: string;
      readonly reason: HoldReason;
      /** The units no location had. */
      readonly unfilled: readonly SkuQuantity[];
    }
  /** A channel order was recorded as a sale in the system of record. */
  | {
      readonly type: "sale-recorded";
      readonly tenantId: string;
      readonly channelId: string;
      readonly orderId: string;
      readonly saleId: string;
      readonly created: boolean;
    }
  /** A refunded channel order's restocked units were recorded as a return in the system of record. */
  | {
      readonly type: "return-recorded";
      readonly tenantId: string;
      readonly channelId: string;
      readonly orderId: string;
      /** The refund it records (the refund's event id). */
      readonly returnId: string;
      readonly saleId: string;
      readonly created: boolean;
    }
  /** Something from outside could not be used (a bad webhook, an unmapped listing, a failed poll). */
  | {
      readonly type: "error";
      readonly tenantId: string;
      readonly source: string;
      readonly error: OmnistockError;
    };

/** The `type` of a {@link SyncEvent}. */
export type SyncEventType = SyncEvent["type"];

/**
 * Where the runtime writes its log lines. Pass `console`-like methods, pino, winston…;
 * every line has a message and structured fields (never credentials).
 */
export interface Logger {
  debug(message: string, fields?: Readonly<Record<string, unknown>>): void;
  info(message: string, fields?: Readonly<Record<string, unknown>>): void;
  warn(message: string, fields?: Readonly<Record<string, unknown>>): void;
  error(message: string, fields?: Readonly<Record<string, unknown>>): void;
}

/** A logger that drops everything: the default. */
export const silentLogger: Logger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
};
