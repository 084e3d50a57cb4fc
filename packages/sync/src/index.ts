/**
 * @omnistock/sync — the Omnistock runtime: webhook ingest, de-duplication, the ledger,
 * incremental allocation and planning in one store transaction, and per-channel dispatch
 * through a durable outbox.
 *
 * @packageDocumentation
 */
export * from "./memory-store.js";
export * from "./store.js";
