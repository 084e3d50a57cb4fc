/**
 * @omnistock/bigcommerce — the BigCommerce adapter: the channel publisher (absolute
 * adjustments per location, confirmed after BigCommerce's asynchronous apply), the order
 * source (v2 orders polling) and Standard Webhooks receiving, on `@omnistock/transport`.
 *
 * @packageDocumentation
 */
export * from "./client.js";
export type { BigCommerceLocationOptions } from "./locations.js";
export * from "./orders.js";
export * from "./publisher.js";
export * from "./schemas.js";
export * from "./webhooks.js";
