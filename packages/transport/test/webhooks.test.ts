import { isOmnistockError } from "@omnistock/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  assertHmac,
  hmacSha256,
  safeEqual,
  safeVerifyStandardWebhook,
  signStandardWebhook,
  standardWebhookHeaders,
  verifyHmac,
  verifyStandardWebhook,
} from "../src/index.js";

function thrown(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  return undefined;
}

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
    expect(
      verifyHmac({
        payload: Buffer.from(body),
        signature: hex.toUpperCase(),
        secrets: "ls-secret",
        encoding: ["base64", "hex"],
      }),
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
    expect(
      verifyHmac({
        payload: body,
        signature: signature.toLowerCase(),
        secrets: "s3cret",
        encoding: "base64",
      }),
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

  it("throws SIGNATURE from assertHmac, and VALIDATION for options it cannot check", () => {
    const error = thrown(() =>
      assertHmac({
        payload: body,
        signature: "forged",
        secrets: "s3cret",
        encoding: "hex",
        platform: "lightspeed",
      }),
    );
    expect(isOmnistockError(error, "SIGNATURE")).toBe(true);
    expect(error).toMatchObject({ platform: "lightspeed" });
    expect((error as Error).message).not.toContain("s3cret");
    const bad = thrown(() =>
      verifyHmac({ payload: body, signature: "x", secrets: [], encoding: "hex" }),
    );
    expect(isOmnistockError(bad, "VALIDATION")).toBe(true);
  });

  it("compares equal strings as equal and any change as unequal", () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (a, b) => {
        expect(safeEqual(a, a)).toBe(true);
        expect(safeEqual(a, b)).toBe(a === b);
      }),
    );
  });
});

describe("Standard Webhooks", () => {
  // The test vector published with the Standard Webhooks specification (and used by its
  // reference libraries' tests).
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
  const at = (seconds: number) => seconds * 1000;

  it("signs the specification's test vector exactly, with or without the whsec_ prefix", () => {
    expect(signStandardWebhook(vector)).toBe(vector.signature);
    expect(signStandardWebhook({ ...vector, secret: vector.secret.slice(6) })).toBe(
      vector.signature,
    );
    expect(signStandardWebhook({ ...vector, body: Buffer.from(vector.body) })).toBe(
      vector.signature,
    );
  });

  it("verifies within the tolerance and returns the delivery id", () => {
    const delivery = verifyStandardWebhook({
      headers: new Headers(headers()),
      body: vector.body,
      secrets: vector.secret,
      now: at(vector.timestamp + 60),
    });
    expect(delivery).toEqual({ id: vector.id, timestamp: vector.timestamp });
  });

  it("reads headers in any case, as Node's IncomingHttpHeaders or a Headers", () => {
    const result = safeVerifyStandardWebhook({
      headers: {
        "Webhook-Id": vector.id,
        "WEBHOOK-TIMESTAMP": String(vector.timestamp),
        "webhook-signature": [vector.signature],
      },
      body: Buffer.from(vector.body),
      secrets: vector.secret,
      now: at(vector.timestamp),
    });
    expect(result.ok).toBe(true);
  });

  it("accepts any of several signatures and secrets (rotation), and skips other versions", () => {
    const result = safeVerifyStandardWebhook({
      headers: headers(
        `v2,bm90LWl0 v1,bm90LWl0 ${vector.signature.replace("v1,", "v1a,")} ${vector.signature}`,
      ),
      body: vector.body,
      secrets: ["whsec_bmV3LXNlY3JldA==", vector.secret],
      now: at(vector.timestamp),
    });
    expect(result.ok).toBe(true);
    const onlyOtherVersions = safeVerifyStandardWebhook({
      headers: headers(vector.signature.replace("v1,", "v2,")),
      body: vector.body,
      secrets: vector.secret,
      now: at(vector.timestamp),
    });
    expect(onlyOtherVersions.ok).toBe(false);
  });

  it("verifies BigCommerce's signature, keyed with the raw client secret", () => {
    const clientSecret = "bc-sandbox-client-secret";
    const key = new TextEncoder().encode(clientSecret);
    const body = '{"scope":"store/order/created","data":{"type":"order","id":250}}';
    const signed = standardWebhookHeaders({
      id: "wh-1",
      timestamp: 1_800_000_000,
      body,
      secret: key,
    });
    expect(
      verifyStandardWebhook({
        headers: signed,
        body,
        secrets: `whsec_${Buffer.from(clientSecret).toString("base64")}`,
        now: at(1_800_000_000),
      }),
    ).toEqual({ id: "wh-1", timestamp: 1_800_000_000 });
  });

  it("rejects a timestamp out of tolerance either way, a tampered body and missing headers", () => {
    for (const offset of [-301, 301]) {
      const result = safeVerifyStandardWebhook({
        headers: headers(),
        body: vector.body,
        secrets: vector.secret,
        now: at(vector.timestamp + offset),
      });
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.error.message).toContain("300 s");
    }
    expect(() =>
      verifyStandardWebhook({
        headers: headers(),
        body: '{"test": 1}',
        secrets: vector.secret,
        now: at(vector.timestamp),
      }),
    ).toThrow(/no signature matches/);
    const missing = thrown(() =>
      verifyStandardWebhook({ headers: {}, body: vector.body, secrets: vector.secret }),
    );
    expect(isOmnistockError(missing, "SIGNATURE")).toBe(true);
    expect((missing as Error).message).toMatch(/webhook-id/);
    expect((missing as Error).message).not.toContain("MfKQ9r8");
  });

  it("refuses a secret that is not base64 as a configuration error, not a bad webhook", () => {
    const error = thrown(() =>
      verifyStandardWebhook({
        headers: headers(),
        body: vector.body,
        secrets: ["whsec_not base64!"],
      }),
    );
    expect(isOmnistockError(error, "VALIDATION")).toBe(true);
    expect((error as { issues: { path: unknown[] }[] }).issues[0]?.path).toEqual(["secrets", 0]);
  });

  it("verifies what it signs, for any delivery, and nothing else", () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1 }),
        fc.integer({ min: 0, max: 4_102_444_800 }),
        fc.string(),
        fc.uint8Array({ minLength: 1, maxLength: 64 }),
        fc.string({ minLength: 1 }),
        (id, timestamp, body, key, other) => {
          const signed = standardWebhookHeaders({ id, timestamp, body, secret: key });
          const check = (candidate: string) =>
            safeVerifyStandardWebhook({
              headers: signed,
              body: candidate,
              secrets: key,
              now: at(timestamp),
            }).ok;
          expect(check(body)).toBe(true);
          if (other !== body) expect(check(other)).toBe(false);
        },
      ),
    );
  });
});
