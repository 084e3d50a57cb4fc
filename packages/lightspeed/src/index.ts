/**
 * @omnistock/lightspeed — the Lightspeed Retail X-Series adapter: the stock source, the
 * sales-order sink and webhook parsing, on `@omnistock/transport`.
 *
 * @packageDocumentation
 */
export * from "./client.js";
export * from "./schemas.js";
export * from "./sink.js";
export * from "./source.js";
export * from "./webhooks.js";
