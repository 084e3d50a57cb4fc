/**
 * @omnistock/sandbox — local, spec-faithful fake platforms on 127.0.0.1 for trying
 * Omnistock with no accounts, and for its tests, examples, benchmarks and demo.
 *
 * @packageDocumentation
 */

export * from "./activity/index.js";
export * from "./amazon/index.js";
export * from "./bigcommerce/index.js";
export * from "./common/faults.js";
export * from "./common/random.js";
export * from "./common/serve.js";
export * from "./common/types.js";
export * from "./lightspeed/index.js";
export * from "./shopify/index.js";
export * from "./start-sandbox.js";
