/**
 * @omnistock/amazon — the Amazon Selling Partner API adapter: merchant-fulfilled
 * quantities by `patchListingsItem` and `JSON_LISTINGS_FEED` with confirmation, FBA stock
 * read-only, orders by polling `getOrders` and by `ORDER_CHANGE` notifications, on
 * `@omnistock/transport`.
 *
 * @packageDocumentation
 */
export {
  type AmazonClient,
  type AmazonClientOptions,
  type AmazonCredentials,
  createAmazonClient,
  type GetListingsItemRequest,
  type GetOrdersRequest,
  JSON_LISTINGS_FEED_OPERATION,
  JSON_LISTINGS_FEED_RATE,
  type ListingsPatchOperation,
  LWA_TOKEN_URL,
  type PatchListingsItemRequest,
} from "./client.js";
export { type AmazonListingMapping, type AmazonListings, amazonListings } from "./mapping.js";
export {
  AMAZON_SIGNATURE_HEADER,
  type AmazonNotificationReceiverOptions,
  type AmazonReceiverSigning,
  type AmazonReceiverWarning,
  createAmazonNotificationReceiver,
  signAmazonNotification,
} from "./notifications.js";
export {
  type AmazonOrderFacts,
  type AmazonOrderSourceOptions,
  createAmazonOrderSource,
  orderStatusOf,
  toChannelOrder,
} from "./orders.js";
export {
  type AmazonPublisherOptions,
  createAmazonPublisher,
  FEED_MAX_BYTES,
  FEED_MAX_MESSAGES,
} from "./publisher.js";
export {
  AMAZON_MAX_QUANTITY,
  type AmazonFeed,
  type AmazonInventorySummary,
  type AmazonListingItem,
  type AmazonListingSubmission,
  type AmazonOrderChange,
  type AmazonOrderItemRecord,
  type AmazonOrderRecord,
  type AmazonOrderStatus,
  type AmazonOrdersPage,
  type AmazonProcessingReport,
} from "./schemas.js";
