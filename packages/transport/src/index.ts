/**
 * @omnistock/transport — the HTTP layer every Omnistock platform adapter shares: a ky
 * client with an injectable fetch, one rate limiter per platform scheme, retries that
 * honour the platform's wait, typed errors with secrets scrubbed, and webhook signatures.
 *
 * Test kits (virtual time, the rate-limiter conformance check, arbitrary webhook bodies)
 * are in `@omnistock/transport/testing`.
 *
 * @packageDocumentation
 */
export {
  createHttpClient,
  HTTP_CLIENT_DEFAULTS,
  type HttpClient,
  type HttpClientOptions,
  type HttpMethod,
  type HttpResponse,
  type Replay,
  type RequestOptions,
  type RetryOptions,
  type TransportEvent,
} from "./client.js";
export {
  type AcquireOptions,
  type LimiterTimeOptions,
  MAX_BLOCK_MS,
  type RateBudget,
  type RateLimiter,
  type RateObservation,
  type ThrottledEvent,
} from "./limiter.js";
export {
  AMAZON_RATES,
  type AmazonLimiterOptions,
  type AmazonRate,
  createAmazonLimiter,
} from "./limiters/amazon.js";
export {
  BIGCOMMERCE_QUOTA,
  type BigCommerceLimiterOptions,
  createBigCommerceLimiter,
} from "./limiters/bigcommerce.js";
export {
  createLightspeedLimiter,
  LIGHTSPEED_WINDOW_MS,
  type LightspeedLimiterOptions,
} from "./limiters/lightspeed.js";
export {
  createShopifyLimiter,
  readShopifyQueryCost,
  SHOPIFY_PLANS,
  type ShopifyLimiterOptions,
  type ShopifyPlan,
  type ShopifyQueryCost,
  shopifyThrottledBody,
} from "./limiters/shopify.js";
export { REDACTED, redact, redactHeaders, SECRET_HEADERS } from "./redact.js";
export { parseRetryAfter } from "./retry-after.js";
export {
  type Clock,
  deadlineOf,
  type Sleep,
  systemClock,
  systemSleep,
  withDeadline,
} from "./time.js";
export {
  createTokenSource,
  type IssuedToken,
  TOKEN_EARLY_MS,
  type TokenSource,
  type TokenSourceOptions,
} from "./token-source.js";
export {
  assertHmac,
  type HmacEncoding,
  hmacSha256,
  type SignStandardWebhookOptions,
  STANDARD_WEBHOOK_TOLERANCE_SECONDS,
  type StandardWebhookDelivery,
  type StandardWebhookResult,
  type StandardWebhookSecret,
  safeEqual,
  safeVerifyStandardWebhook,
  signStandardWebhook,
  standardWebhookHeaders,
  type UnsignedWebhookWarning,
  type VerifyHmacOptions,
  type VerifyStandardWebhookOptions,
  verifyHmac,
  verifyStandardWebhook,
  type WebhookHeaders,
  type WebhookSigning,
} from "./webhooks.js";
