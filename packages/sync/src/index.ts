/**
 * @omnistock/sync — the Omnistock runtime: webhook ingest, de-duplication, the ledger,
 * incremental allocation and planning in one store transaction, and per-channel dispatch
 * through a durable outbox.
 *
 * @packageDocumentation
 */
export * from "./engine.js";
export * from "./events.js";
export * from "./histogram.js";
export * from "./memory-store.js";
export * from "./node.js";
export * from "./store.js";
export { orderReference, type QuantityPayload, SALES_QUEUE, type SalePayload } from "./units.js";
