/**
 * @omnistock/lightspeed — the Lightspeed Retail X-Series adapter: the stock source, the
 * sales-order sink, the stock-correction writer, and the webhook receiver and parser, on
 * `@omnistock/transport`.
 *
 * @packageDocumentation
 */
export * from "./catalogue.js";
export * from "./client.js";
export * from "./receiver.js";
export * from "./schemas.js";
export * from "./sink.js";
export * from "./source.js";
export * from "./stock-writer.js";
export * from "./webhooks.js";
