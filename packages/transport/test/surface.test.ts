/**
 * The public surface of @omnistock/transport, pinned: each entry point's runtime exports by name, and
 * its type-only exports by a tuple that stops typechecking when one is removed. A change to
 * these lists is a deliberate change of the package's surface, and gets a changeset.
 */
import { describe, expect, expectTypeOf, it } from "vitest";
import type * as Api from "../src/index.js";

/** The type-only exports of @omnistock/transport. */
type TypeExports = [
  Api.AcquireOptions,
  Api.AmazonLimiterOptions,
  Api.AmazonRate,
  Api.BigCommerceLimiterOptions,
  Api.Clock,
  Api.HmacEncoding,
  Api.HttpClient,
  Api.HttpClientOptions,
  Api.HttpMethod,
  Api.HttpResponse,
  Api.IssuedToken,
  Api.LightspeedLimiterOptions,
  Api.LimiterTimeOptions,
  Api.RateBudget,
  Api.RateLimiter,
  Api.RateLimiterConformanceOptions,
  Api.RateObservation,
  Api.Replay,
  Api.RequestOptions,
  Api.RetryOptions,
  Api.ShopifyLimiterOptions,
  Api.ShopifyPlan,
  Api.ShopifyQueryCost,
  Api.SignStandardWebhookOptions,
  Api.Sleep,
  Api.StandardWebhookDelivery,
  Api.StandardWebhookResult,
  Api.StandardWebhookSecret,
  Api.ThrottledEvent,
  Api.TokenSource,
  Api.TokenSourceOptions,
  Api.TransportEvent,
  Api.UnsignedWebhookWarning,
  Api.VerifyHmacOptions,
  Api.VerifyStandardWebhookOptions,
  Api.VirtualTime,
  Api.WebhookHeaders,
  Api.WebhookSigning,
];

describe("public surface", () => {
  it("the public surface of @omnistock/transport is exactly this list", async () => {
    expect(Object.keys(await import("../src/index.js")).sort()).toEqual([
      "AMAZON_RATES",
      "BaseLimiter",
      "LIGHTSPEED_WINDOW_MS",
      "MAX_BLOCK_MS",
      "REDACTED",
      "SECRET_HEADERS",
      "SHOPIFY_PLANS",
      "SlidingWindow",
      "TokenBucket",
      "assertHmac",
      "checkRateLimiter",
      "createAmazonLimiter",
      "createBigCommerceLimiter",
      "createHttpClient",
      "createLightspeedLimiter",
      "createShopifyLimiter",
      "createTokenSource",
      "createVirtualTime",
      "deadlineOf",
      "hmacSha256",
      "parseRetryAfter",
      "readShopifyQueryCost",
      "redact",
      "redactHeaders",
      "reportWarning",
      "safeEqual",
      "safeVerifyStandardWebhook",
      "shopifyThrottledBody",
      "signStandardWebhook",
      "standardWebhookHeaders",
      "systemClock",
      "systemSleep",
      "verifyHmac",
      "verifyStandardWebhook",
      "webhookSecretsOption",
      "withDeadline",
      "withWebhookSigning",
    ]);
    expectTypeOf<TypeExports>().toHaveProperty("length").toEqualTypeOf<38>();
  });
});
