/**
 * @omnistock/core — the pure heart of Omnistock: the stock model, the event ledger,
 * allocation with buffers, pools, location mapping and bundles, order routing and the
 * planner of channel updates. No I/O, no clock, no randomness: time and ids come in as
 * arguments.
 *
 * @packageDocumentation
 */
export * from "./allocation.js";
export * from "./buffer.js";
export * from "./catalog.js";
export * from "./errors.js";
export * from "./events.js";
export * from "./ledger.js";
export * from "./planner.js";
export * from "./position.js";
export * from "./roles.js";
export * from "./routing.js";
export * from "./sku-mapping.js";
export * from "./stock-levels.js";
export * from "./validation.js";
