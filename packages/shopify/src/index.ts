/**
 * @omnistock/shopify — the Shopify Admin GraphQL (2026-04) adapter: the channel publisher
 * (compare-and-set, idempotency keys, cost-aware pacing), the order source and webhook
 * parsing, on `@omnistock/transport`.
 *
 * @packageDocumentation
 */
export * from "./client.js";
export * from "./documents.js";
export * from "./ids.js";
export * from "./mapping.js";
export * from "./orders.js";
export * from "./publisher.js";
export * from "./schemas.js";
export * from "./webhooks.js";
