import { createHmac, timingSafeEqual } from "node:crypto";
import { OmnistockError, type PlatformName } from "@omnistock/core";

/** How an HMAC is written in a header. */
export type HmacEncoding = "base64" | "hex";

/** HMAC-SHA256 of `payload` with `secret`, as base64 or hex. */
export function hmacSha256(
  secret: string | Uint8Array,
  payload: string | Uint8Array,
  encoding: HmacEncoding,
): string {
  return createHmac("sha256", secret).update(payload).digest(encoding);
}

/**
 * Compares two signatures in constant time (for equal lengths), so that timing tells an
 * attacker nothing about how much of a forged signature was right.
 */
export function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** Options of {@link verifyHmac}. */
export interface VerifyHmacOptions {
  /** The raw body, exactly as received (never a re-serialised object). */
  readonly payload: string | Uint8Array;
  /** The signature from the header. */
  readonly signature: string | null | undefined;
  /** The secret, or several while one is being rotated out. */
  readonly secrets: string | readonly string[];
  readonly encoding: HmacEncoding;
}

/**
 * Whether an HMAC-SHA256 signature (Shopify's `X-Shopify-Hmac-Sha256` in base64,
 * Lightspeed's `X-Signature`) matches the raw body under any of the secrets.
 *
 * @example
 * ```ts
 * verifyHmac({ payload: rawBody, signature: headers.get("x-shopify-hmac-sha256"),
 *   secrets: [process.env.SHOPIFY_SECRET!], encoding: "base64" });
 * ```
 */
export function verifyHmac(options: VerifyHmacOptions): boolean {
  const { signature } = options;
  if (typeof signature !== "string" || signature === "") return false;
  const secrets = typeof options.secrets === "string" ? [options.secrets] : options.secrets;
  let matched = false;
  // Every secret is tried, so that timing does not tell which one matched.
  for (const secret of secrets) {
    if (safeEqual(hmacSha256(secret, options.payload, options.encoding), signature.trim()))
      matched = true;
  }
  return matched;
}

/** What a verified Standard Webhooks delivery says about itself. */
export interface StandardWebhookDelivery {
  /** `webhook-id`: the de-duplication key. */
  readonly id: string;
  /** `webhook-timestamp`, in epoch seconds. */
  readonly timestamp: number;
}

/** Options of {@link verifyStandardWebhook}. */
export interface VerifyStandardWebhookOptions {
  /** The request headers (`webhook-id`, `webhook-timestamp`, `webhook-signature`). */
  readonly headers: Headers | Readonly<Record<string, string | undefined>>;
  /** The raw body, exactly as received. */
  readonly body: string;
  /** `whsec_…` secrets; several while one is being rotated out. */
  readonly secrets: string | readonly string[];
  /**
   * How far the timestamp may be from now, in seconds, against replays.
   * @default 300
   */
  readonly toleranceSeconds?: number;
  /**
   * The current time in epoch milliseconds.
   * @default Date.now()
   */
  readonly now?: number;
  /** The platform, named in errors. @default "bigcommerce" */
  readonly platform?: PlatformName;
}

/** The result form of {@link verifyStandardWebhook}. */
export type StandardWebhookResult =
  | { readonly ok: true; readonly delivery: StandardWebhookDelivery }
  | { readonly ok: false; readonly error: OmnistockError };

/**
 * Verifies a webhook signed in the Standard Webhooks scheme (BigCommerce): the signature
 * is HMAC-SHA256 of `id.timestamp.body` with the base64 secret after `whsec_`, sent as one
 * or more space-separated `v1,<base64>` values; the timestamp must be within the tolerance.
 *
 * @throws {@link OmnistockError} `SIGNATURE` naming what failed (missing header, stale
 *   timestamp, no matching signature). Nothing about the secret is in the message.
 */
export function verifyStandardWebhook(
  options: VerifyStandardWebhookOptions,
): StandardWebhookDelivery {
  const result = safeVerifyStandardWebhook(options);
  if (!result.ok) throw result.error;
  return result.delivery;
}

/** {@link verifyStandardWebhook}, returning a result instead of throwing. */
export function safeVerifyStandardWebhook(
  options: VerifyStandardWebhookOptions,
): StandardWebhookResult {
  const platform = options.platform ?? "bigcommerce";
  const fail = (message: string): StandardWebhookResult => ({
    ok: false,
    error: new OmnistockError("SIGNATURE", `Webhook rejected: ${message}`, { platform }),
  });
  const header = (name: string) =>
    options.headers instanceof Headers
      ? options.headers.get(name)
      : (options.headers[name] ?? null);
  const id = header("webhook-id");
  const timestampText = header("webhook-timestamp");
  const signatures = header("webhook-signature");
  if (!id) return fail("the webhook-id header is missing");
  if (!timestampText || !/^\d+$/.test(timestampText))
    return fail("the webhook-timestamp header is missing or not a number");
  if (!signatures) return fail("the webhook-signature header is missing");
  const timestamp = Number(timestampText);
  const now = (options.now ?? Date.now()) / 1000;
  const tolerance = options.toleranceSeconds ?? 300;
  if (Math.abs(now - timestamp) > tolerance)
    return fail(`the timestamp is more than ${tolerance} s from now`);
  const secrets = typeof options.secrets === "string" ? [options.secrets] : options.secrets;
  const expected = secrets.map((secret) =>
    signStandardWebhook({ id, timestamp, body: options.body, secret }),
  );
  let matched = false;
  for (const candidate of signatures.split(" ")) {
    for (const wanted of expected) if (safeEqual(candidate, wanted)) matched = true;
  }
  return matched ? { ok: true, delivery: { id, timestamp } } : fail("no signature matches");
}

/** Options of {@link signStandardWebhook}. */
export interface SignStandardWebhookOptions {
  readonly id: string;
  /** Epoch seconds. */
  readonly timestamp: number;
  readonly body: string;
  /** A `whsec_…` secret (or its base64 part). */
  readonly secret: string;
}

/**
 * Signs a body in the Standard Webhooks scheme, returning the `v1,<base64>` value of the
 * `webhook-signature` header. For tests and the sandbox.
 */
export function signStandardWebhook({
  id,
  timestamp,
  body,
  secret,
}: SignStandardWebhookOptions): string {
  const key = Buffer.from(secret.startsWith("whsec_") ? secret.slice(6) : secret, "base64");
  return `v1,${hmacSha256(key, `${id}.${timestamp}.${body}`, "base64")}`;
}
