/**
 * @omnistock/shopify — the Shopify Admin GraphQL (2026-04) adapter: the channel publisher
 * (compare-and-set, idempotency keys, cost-aware pacing), the order source and webhook
 * parsing, on `@omnistock/transport`.
 *
 * @packageDocumentation
 */
export {
  createShopifyClient,
  SHOPIFY_API_VERSION,
  type ShopifyClient,
  type ShopifyClientOptions,
  type ShopifyLevelRef,
  type ShopifyOrdersPage,
  type ShopifyQuantityInput,
  type ShopifySetQuantitiesInput,
} from "./client.js";
export type { ShopifyOperation } from "./documents.js";
export { legacyId, type ShopifyIdType, shopifyGid } from "./ids.js";
export {
  createShopifyMapping,
  type ShopifyItemResolution,
  type ShopifyLocationEntry,
  type ShopifyMapping,
  type ShopifyMappingOptions,
} from "./mapping.js";
export {
  createShopifyOrderSource,
  type ShopifyLineFacts,
  type ShopifyOrderContext,
  type ShopifyOrderFacts,
  type ShopifyOrderSourceOptions,
  type ShopifyRefundFacts,
  shopifyOrderEventId,
  shopifyOrderReport,
  shopifyRefundReport,
} from "./orders.js";
export {
  createShopifyPublisher,
  SHOPIFY_MAX_BATCH,
  type ShopifyPublisherOptions,
  setQuantitiesKey,
} from "./publisher.js";
export {
  SHOPIFY_MAX_QUANTITY,
  type ShopifyLineItemRecord,
  type ShopifyLocationRecord,
  type ShopifyOrderRecord,
  type ShopifyRefundLineRecord,
  type ShopifyUserError,
  type ShopifyVariantRecord,
} from "./schemas.js";
export {
  createShopifyWebhookReceiver,
  SHOPIFY_WEBHOOK_TOPICS,
  type ShopifyReceiverSigning,
  type ShopifyReceiverWarning,
  type ShopifyWebhookHeadersOptions,
  type ShopifyWebhookReceiverOptions,
  type ShopifyWebhookTopic,
  shopifyWebhookHeaders,
  signShopifyWebhook,
} from "./webhooks.js";
