/**
 * @omnistock/amazon — the Amazon Selling Partner API adapter: merchant-fulfilled
 * quantities by `patchListingsItem` and `JSON_LISTINGS_FEED` with confirmation, FBA stock
 * read-only, orders by polling `getOrders` and by `ORDER_CHANGE` notifications, on
 * `@omnistock/transport`.
 *
 * @packageDocumentation
 */
export * from "./client.js";
export * from "./mapping.js";
export * from "./notifications.js";
export * from "./orders.js";
export * from "./publisher.js";
export * from "./schemas.js";
