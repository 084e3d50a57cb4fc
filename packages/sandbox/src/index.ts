/**
 * @omnistock/sandbox — local, spec-faithful fake platforms on 127.0.0.1 for trying
 * Omnistock with no accounts, and for its tests, examples, benchmarks and demo.
 *
 * @packageDocumentation
 */

export {
  type ActionLine,
  type PlayOptions,
  planTradingDay,
  playTradingDay,
  type StoreAction,
  type StoreActionHandlers,
  type TradingDayOptions,
} from "./activity/index.js";
export {
  type AmazonControl,
  type AmazonListing,
  type AmazonOrder,
  type AmazonServer,
  type AmazonServerOptions,
  createAmazonServer,
} from "./amazon/index.js";
export {
  type BigCommerceControl,
  type BigCommerceOrder,
  type BigCommerceServer,
  type BigCommerceServerOptions,
  type BigCommerceShipment,
  type BigCommerceVariant,
  createBigCommerceServer,
  type InventoryTracking,
} from "./bigcommerce/index.js";
export {
  type ApiFaults,
  createWebhookDispatcher,
  type Faults,
  type RateLimitedAnswer,
  type WebhookDispatcher,
  type WebhookDispatcherOptions,
  type WebhookFaults,
  withApiFaults,
} from "./common/faults.js";
export { createRandom, type Random } from "./common/random.js";
export { type FetchHandler, type ServedHandler, type ServeOptions, serve } from "./common/serve.js";
export type {
  DeliverWebhook,
  PlatformServer,
  WebhookDelivery as OutgoingWebhook,
} from "./common/types.js";
export {
  createLightspeedServer,
  type LightspeedControl,
  type LightspeedOutlet,
  type LightspeedProduct,
  type LightspeedSale,
  type LightspeedServer,
  type LightspeedServerOptions,
  type LightspeedWebhookType,
} from "./lightspeed/index.js";
export {
  createShopifyServer,
  type QuantityName,
  SHOPIFY_SDL,
  type ShopifyControl,
  type ShopifyServer,
  type ShopifyServerOptions,
  type ShopifyTopic,
} from "./shopify/index.js";
export {
  type Sandbox,
  type SandboxOptions,
  type SandboxPlatform,
  startSandbox,
} from "./start-sandbox.js";
