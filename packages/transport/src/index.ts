/**
 * @omnistock/transport — the HTTP layer every Omnistock platform adapter shares: a ky
 * client with an injectable fetch, one rate limiter per platform scheme, retries that
 * honour the platform's wait, typed errors with secrets scrubbed, and webhook signatures.
 *
 * @packageDocumentation
 */
export * from "./client.js";
export * from "./conformance.js";
export * from "./limiter.js";
export * from "./limiters/amazon.js";
export * from "./limiters/bigcommerce.js";
export * from "./limiters/lightspeed.js";
export * from "./limiters/shopify.js";
export * from "./redact.js";
export * from "./retry-after.js";
export * from "./time.js";
export * from "./token-source.js";
export * from "./virtual-time.js";
export * from "./webhooks.js";
