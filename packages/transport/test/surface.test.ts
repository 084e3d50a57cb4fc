/**
 * The public surface of @omnistock/transport, pinned: each entry point's runtime exports by name, and
 * its type-only exports by a tuple that stops typechecking when one is removed. A change to
 * these lists is a deliberate change of the package's surface, and gets a changeset.
 */
import { describe, expect, expectTypeOf, it } from "vitest";
import type * as Api from "../src/index.js";
import type * as Testing from "../src/testing.js";

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
  Api.WebhookHeaders,
  Api.WebhookSigning,
];

/** The type-only exports of @omnistock/transport/testing. */
type TestingTypeExports = [Testing.RateLimiterConformanceOptions, Testing.VirtualTime];

describe("public surface", () => {
  it("the public surface of @omnistock/transport is exactly this list", async () => {
    expect(Object.keys(await import("../src/index.js")).sort()).toEqual([
      "AMAZON_RATES",
      "BIGCOMMERCE_QUOTA",
      "HTTP_CLIENT_DEFAULTS",
      "LIGHTSPEED_WINDOW_MS",
      "MAX_BLOCK_MS",
      "REDACTED",
      "SECRET_HEADERS",
      "SHOPIFY_PLANS",
      "STANDARD_WEBHOOK_TOLERANCE_SECONDS",
      "TOKEN_EARLY_MS",
      "assertHmac",
      "createAmazonLimiter",
      "createBigCommerceLimiter",
      "createHttpClient",
      "createLightspeedLimiter",
      "createShopifyLimiter",
      "createTokenSource",
      "deadlineOf",
      "hmacSha256",
      "parseRetryAfter",
      "readShopifyQueryCost",
      "redact",
      "redactHeaders",
      "safeEqual",
      "safeVerifyStandardWebhook",
      "shopifyThrottledBody",
      "signStandardWebhook",
      "standardWebhookHeaders",
      "systemClock",
      "systemSleep",
      "verifyHmac",
      "verifyStandardWebhook",
      "withDeadline",
    ]);
    expectTypeOf<TypeExports>().toHaveProperty("length").toEqualTypeOf<36>();
  });
  it("the public surface of @omnistock/transport/testing is exactly this list", async () => {
    expect(Object.keys(await import("../src/testing.js")).sort()).toEqual([
      "arbitraryBody",
      "checkRateLimiter",
      "createVirtualTime",
    ]);
    expectTypeOf<TestingTypeExports>().toHaveProperty("length").toEqualTypeOf<2>();
  });
  it("the public surface of @omnistock/transport/internal is exactly this list", async () => {
    expect(Object.keys(await import("../src/internal.js")).sort()).toEqual([
      "reportWarning",
      "webhookSecretsOption",
      "withWebhookSigning",
    ]);
  });
  it("exports no zod schema: zod stays out of the public surface (docs/architecture.md)", async () => {
    const api: Record<string, unknown> = await import("../src/index.js");
    const schemas = Object.keys(api).filter((name) => {
      const value = api[name];
      return (
        (typeof value === "object" || typeof value === "function") &&
        value !== null &&
        "_zod" in value
      );
    });
    expect(schemas).toEqual([]);
  });
});
