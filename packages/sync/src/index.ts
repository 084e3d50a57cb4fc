/**
 * @omnistock/sync — the Omnistock runtime: webhook ingest, de-duplication, the ledger,
 * incremental allocation and planning in one store transaction, and per-channel dispatch
 * through a durable outbox.
 *
 * The conformance suite every store runs is in `@omnistock/sync/testing`.
 *
 * @packageDocumentation
 */
export {
  createSyncEngine,
  type DispatchOptions,
  type HeldOrderResolution,
  type IngestResult,
  type PollingOptions,
  type SyncEngine,
  type SyncEngineOptions,
  type SyncMetrics,
  type SyncTenantOptions,
  type WebhookOptions,
} from "./engine.js";
export { type Logger, type SyncEvent, type SyncEventType, silentLogger } from "./events.js";
export { LatencyHistogram } from "./histogram.js";
export { createMemoryStore } from "./memory-store.js";
export { type NodeHandlerOptions, toNodeHandler } from "./node.js";
export {
  type ApplyChanges,
  type ApplyOutcome,
  type ApplyUnit,
  type ApplyView,
  type HeldOrder,
  type HoldReason,
  type LeaseRenewal,
  type LeaseRequest,
  type ListingInFlight,
  type ListingState,
  type OrderHold,
  type OrderRecord,
  type OutboxAck,
  type OutboxEntry,
  type OutboxNack,
  type OutboxPark,
  type OutboxWrite,
  type OversoldPolicy,
  orderKey,
  type ParkedEntry,
  type PublishedValue,
  type SyncStore,
} from "./store.js";
export { orderReference } from "./units.js";
