/**
 * @omnistock/core — the pure heart of Omnistock: the stock model, the event ledger,
 * allocation with buffers, pools, location mapping and bundles, order routing and the
 * planner of channel updates. No I/O, no clock, no randomness: time and ids come in as
 * arguments.
 *
 * @packageDocumentation
 */
export {
  Allocation,
  type AllocationLine,
  allocate,
  type ComponentExplanation,
  type ExplainOptions,
  type Explanation,
  explainSlot,
  type ListingRef,
  type PositionBreakdown,
  reallocate,
  refOfSlot,
  type SlotQuantity,
  type SourceExplanation,
  slotOf,
} from "./allocation.js";
export {
  applyBuffer,
  type BufferOutcome,
  type BufferRule,
  type LowStockTier,
} from "./buffer.js";
export {
  type Catalog,
  type CatalogConfig,
  type ChannelConfig,
  type ChannelSlot,
  type CompiledChannel,
  type CompiledListing,
  type CompiledPool,
  compileCatalog,
  findListing,
  type LocationFeed,
} from "./catalog.js";
export {
  type DispatchAction,
  dispatchActionOf,
  isOmnistockError,
  OMNISTOCK_ERROR_TRAITS,
  OmnistockError,
  OmnistockErrorCode,
  type OmnistockErrorOptions,
  type OmnistockErrorTraits,
  type PlatformName,
  type ToOmnistockErrorOptions,
  toOmnistockError,
  type ValidationIssue,
  validationError,
  webhookStatusOf,
} from "./errors.js";
export {
  channelOrderSchema,
  MAX_EVENT_QUANTITY,
  parseChannelOrders,
  parseStockEvent,
  parseStockEvents,
  type StockEvent,
  type StockEventInput,
  type StockEventOf,
  type StockEventType,
  stockEventSchema,
} from "./events.js";
export {
  applyEvent,
  Ledger,
  type LedgerResult,
  type PositionSource,
  replay,
  settlePosition,
} from "./ledger.js";
export {
  type ChannelUpdate,
  DEFAULT_URGENT_BELOW,
  listingKey,
  type PublishedLookup,
  plan,
} from "./planner.js";
export {
  availableAt,
  type CountedLevel,
  emptyPosition,
  type JournalEntry,
  type Position,
  positionKey,
  type Reservation,
  type SeenEvent,
  type SettledTotals,
  splitPositionKey,
} from "./position.js";
export {
  type ChannelLevel,
  type ChannelListingRef,
  type ChannelOrder,
  type ChannelOrderLine,
  type ChannelPublisher,
  createWebhookReceiver,
  type OrderRead,
  type OrderSource,
  type PendingPublish,
  type PublishOutcome,
  type QuantityToPublish,
  type RecordedSale,
  type ReturnToRecord,
  type RoleCallOptions,
  type SalesOrderSink,
  type SaleToRecord,
  type StockRead,
  type StockSource,
  type WebhookDelivery,
  type WebhookReceiver,
  type WebhookRequest,
  type WebhookResult,
} from "./roles.js";
export {
  type Assignment,
  expandBundles,
  expandListingLines,
  type RouteOrderOptions,
  type Routing,
  routeOrder,
  routingCandidates,
  type SkuQuantity,
} from "./routing.js";
export { createSkuMapping, type SkuMapping, type SkuMappingEntry } from "./sku-mapping.js";
export { StockLevels } from "./stock-levels.js";
export { functionOption, objectWithMethods, parseWith } from "./validation.js";
