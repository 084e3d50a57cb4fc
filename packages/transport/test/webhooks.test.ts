import { isOmnistockError } from "@omnistock/core";
import { describe, expect, it } from "vitest";
import {
  hmacSha256,
  safeVerifyStandardWebhook,
  signStandardWebhook,
  verifyHmac,
  verifyStandardWebhook,
} from "../src/index.js";

describe("HMAC signatures", () => {
  const body = '{"id":820982911946154508,"line_items":[]}';

  it("verifies base64 (Shopify) and hex (Lightspeed) signatures of the raw body", () => {
    const base64 = hmacSha256("shpss_secret", body, "base64");
    const hex = hmacSha256("ls-secret", body, "hex");
    expect(
      verifyHmac({ payload: body, signature: base64, secrets: "shpss_secret", encoding: "base64" }),
    ).toBe(true);
    expect(
      verifyHmac({ payload: body, signature: hex, secrets: ["ls-secret"], encoding: "hex" }),
    ).toBe(true);
  });

  it("rejects a tampered body, a wrong secret and a missing signature", () => {
    const signature = hmacSha256("s3cret", body, "base64");
    expect(
      verifyHmac({ payload: `${body} `, signature, secrets: "s3cret", encoding: "base64" }),
    ).toBe(false);
    expect(verifyHmac({ payload: body, signature, secrets: "other", encoding: "base64" })).toBe(
      false,
    );
    expect(
      verifyHmac({ payload: body, signature: null, secrets: "s3cret", encoding: "base64" }),
    ).toBe(false);
  });

  it("accepts the old secret and the new one while a secret is rotated", () => {
    const signature = hmacSha256("old-secret", body, "hex");
    expect(
      verifyHmac({
        payload: body,
        signature,
        secrets: ["new-secret", "old-secret"],
        encoding: "hex",
      }),
    ).toBe(true);
  });
});

describe("Standard Webhooks", () => {
  // The test vector published with the Standard Webhooks specification.
  const vector = {
    id: "msg_p5jXN8AQM9LWM0D4loKWxJek",
    timestamp: 1614265330,
    body: '{"test": 2432232314}',
    secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
    signature: "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
  };
  const headers = (signature = vector.signature, timestamp = vector.timestamp) => ({
    "webhook-id": vector.id,
    "webhook-timestamp": String(timestamp),
    "webhook-signature": signature,
  });

  it("signs the specification's test vector exactly", () => {
    expect(signStandardWebhook(vector)).toBe(vector.signature);
  });

  it("verifies within the tolerance and returns the delivery id", () => {
    const delivery = verifyStandardWebhook({
      headers: new Headers(headers()),
      body: vector.body,
      secrets: vector.secret,
      now: vector.timestamp * 1000 + 60_000,
    });
    expect(delivery).toEqual({ id: vector.id, timestamp: vector.timestamp });
  });

  it("accepts any of several signatures and secrets (rotation)", () => {
    const result = safeVerifyStandardWebhook({
      headers: headers(`v1,bm90LWl0 ${vector.signature}`),
      body: vector.body,
      secrets: ["whsec_bmV3LXNlY3JldA==", vector.secret],
      now: vector.timestamp * 1000,
    });
    expect(result.ok).toBe(true);
  });

  it("rejects a stale timestamp, a tampered body and missing headers with a SIGNATURE error", () => {
    const stale = safeVerifyStandardWebhook({
      headers: headers(),
      body: vector.body,
      secrets: vector.secret,
      now: (vector.timestamp + 301) * 1000,
    });
    expect(stale.ok).toBe(false);
    if (!stale.ok) expect(stale.error.message).toContain("300 s");
    expect(() =>
      verifyStandardWebhook({
        headers: headers(),
        body: '{"test": 1}',
        secrets: vector.secret,
        now: vector.timestamp * 1000,
      }),
    ).toThrow(/no signature matches/);
    try {
      verifyStandardWebhook({ headers: {}, body: vector.body, secrets: vector.secret });
    } catch (error) {
      expect(isOmnistockError(error, "SIGNATURE")).toBe(true);
      expect((error as Error).message).not.toContain("MfKQ9r8");
    }
  });
});
