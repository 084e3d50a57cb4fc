/**
 * @omnistock/bigcommerce — the BigCommerce adapter: the channel publisher (absolute
 * adjustments per location, confirmed after BigCommerce's asynchronous apply), the order
 * source (v2 orders polling) and Standard Webhooks receiving, on `@omnistock/transport`.
 *
 * @packageDocumentation
 */
export {
  type AbsoluteAdjustmentItem,
  type AdjustAbsoluteOptions,
  type BigCommerceClient,
  type BigCommerceClientOptions,
  createBigCommerceClient,
  MAX_ADJUSTMENT_ITEMS,
  MAX_QUANTITY,
} from "./client.js";
export type { BigCommerceLocationOptions } from "./locations.js";
export {
  type BigCommerceOrderMapping,
  type BigCommerceOrderSourceOptions,
  channelOrderOf,
  createBigCommerceOrderSource,
  fetchChannelOrder,
  ORDER_STATUSES,
} from "./orders.js";
export {
  type BigCommerceDiscovery,
  type BigCommerceListing,
  type BigCommercePublisher,
  type BigCommercePublisherOptions,
  createBigCommercePublisher,
} from "./publisher.js";
export {
  BIGCOMMERCE_MAX_QUANTITY,
  type BigCommerceInventoryItem,
  type BigCommerceInventoryTracking,
  type BigCommerceLocationRecord,
  type BigCommerceOrderProductRecord,
  type BigCommerceOrderRecord,
  type BigCommerceProductRecord,
  type BigCommerceShipmentRecord,
  type BigCommerceVariantRecord,
} from "./schemas.js";
export {
  type BigCommerceReceiverSigning,
  type BigCommerceReceiverWarning,
  type BigCommerceWebhookReceiverOptions,
  createBigCommerceWebhookReceiver,
  INVENTORY_WEBHOOK_SCOPES,
  ORDER_WEBHOOK_SCOPES,
  SHIPMENT_WEBHOOK_SCOPES,
} from "./webhooks.js";
