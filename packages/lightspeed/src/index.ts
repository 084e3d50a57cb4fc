/**
 * @omnistock/lightspeed — the Lightspeed Retail X-Series adapter: the stock source, the
 * sales-order sink, the stock-correction writer, and the webhook receiver and parser, on
 * `@omnistock/transport`.
 *
 * @packageDocumentation
 */
export {
  type CatalogueKey,
  type CatalogueLookup,
  createLightspeedCatalogue,
  type LightspeedCatalogue,
  type LightspeedCatalogueOptions,
} from "./catalogue.js";
export {
  createLightspeedClient,
  type LightspeedAuth,
  type LightspeedClient,
  type LightspeedClientOptions,
  type LightspeedInventoryReading,
} from "./client.js";
export {
  createLightspeedWebhookReceiver,
  type LightspeedWarning,
  type LightspeedWebhookReceiverOptions,
} from "./receiver.js";
export {
  LIGHTSPEED_MAX_QUANTITY,
  type LightspeedInventoryRecord,
  type LightspeedOutletRecord,
  type LightspeedProductRecord,
  type LightspeedSaleRecord,
} from "./schemas.js";
export {
  createLightspeedSalesSink,
  type LightspeedSalesSinkOptions,
  returnReference,
  saleReference,
} from "./sink.js";
export { createLightspeedStockSource, type LightspeedStockSourceOptions } from "./source.js";
export {
  createLightspeedStockWriter,
  type LightspeedAdjustmentReason,
  type LightspeedDecreaseReason,
  type LightspeedIncreaseReason,
  type LightspeedStockWriter,
  type LightspeedStockWriterOptions,
  type StockCorrection,
  type StockCorrectionResult,
} from "./stock-writer.js";
export {
  type LightspeedWebhook,
  type ParseLightspeedWebhookOptions,
  parseLightspeedWebhook,
} from "./webhooks.js";
