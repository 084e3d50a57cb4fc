import { createHmac, timingSafeEqual } from "node:crypto";
import { OmnistockError, type PlatformName, validationError } from "@omnistock/core";
import { z } from "zod";
import { checkOptions } from "./options.js";

/** How an HMAC is written in a header: Shopify uses base64, Lightspeed hex. */
export type HmacEncoding = "base64" | "hex";

/**
 * HMAC-SHA256 of `payload` with `secret`, as base64 or hex: the signing helper for tests
 * and fake servers, and the primitive the verifiers use.
 *
 * @example
 * ```ts
 * const signature = hmacSha256(webhookSecret, rawBody, "base64"); // X-Shopify-Hmac-Sha256
 * ```
 */
export function hmacSha256(
  secret: string | Uint8Array,
  payload: string | Uint8Array,
  encoding: HmacEncoding,
): string {
  return createHmac("sha256", secret).update(payload).digest(encoding);
}

/**
 * Compares two signatures in constant time (for equal lengths), so that timing tells an
 * attacker nothing about how much of a forged signature was right. Different lengths are
 * unequal at once: a signature's length is no secret.
 *
 * @example
 * ```ts
 * safeEqual(expected, received); // true or false, in the same time for any mismatch
 * ```
 */
export function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** A secret, or several while one is being rotated out. */
type OneOrMany<T> = T | readonly T[];

function many<T>(value: OneOrMany<T>): readonly T[] {
  return Array.isArray(value) ? (value as readonly T[]) : [value as T];
}

/** Options of {@link verifyHmac} and {@link assertHmac}. */
export interface VerifyHmacOptions {
  /** The raw body, exactly as received (never a re-serialised object). */
  readonly payload: string | Uint8Array;
  /** The signature from the header (Shopify's `X-Shopify-Hmac-Sha256`; Lightspeed's value). */
  readonly signature: string | null | undefined;
  /** The secret, or several while one is being rotated out. */
  readonly secrets: OneOrMany<string | Uint8Array>;
  /**
   * How the signature is written; several when the platform does not say (Lightspeed).
   * Hex is compared without regard to case.
   */
  readonly encoding: OneOrMany<HmacEncoding>;
  /**
   * The platform, named in the error of {@link assertHmac}.
   * @default undefined
   */
  readonly platform?: PlatformName;
}

const secretValue = z.union([z.string().min(1), z.instanceof(Uint8Array)]);
const encodingValue = z.enum(["base64", "hex"]);
const platformValue = z.string().min(1);

const hmacSchema = z.strictObject({
  payload: z.union([z.string(), z.instanceof(Uint8Array)]),
  signature: z.string().nullable().optional(),
  secrets: z.union([secretValue, z.array(secretValue).min(1)]),
  encoding: z.union([encodingValue, z.array(encodingValue).min(1)]),
  platform: platformValue.optional(),
});

/**
 * Whether an HMAC-SHA256 signature matches the raw body under any of the secrets: Shopify's
 * `X-Shopify-Hmac-Sha256` (base64), Lightspeed's `X-Signature` value (hex or base64).
 * Every secret and encoding is tried, so timing does not tell which one matched.
 *
 * @throws {@link OmnistockError} `VALIDATION` for options that cannot be checked (no
 *   secret, unknown encoding) — a configuration mistake, not a bad webhook.
 * @example
 * ```ts
 * verifyHmac({
 *   payload: rawBody,
 *   signature: request.headers.get("x-shopify-hmac-sha256"),
 *   secrets: [currentSecret, previousSecret],
 *   encoding: "base64",
 * });
 * ```
 */
export function verifyHmac(options: VerifyHmacOptions): boolean {
  checkOptions(hmacSchema, options, "HMAC verification options");
  const received = options.signature?.trim();
  if (received === undefined || received === "") return false;
  let matched = false;
  for (const secret of many(options.secrets)) {
    for (const encoding of many(options.encoding)) {
      const expected = hmacSha256(secret, options.payload, encoding);
      const candidate = encoding === "hex" ? received.toLowerCase() : received;
      if (safeEqual(expected, candidate)) matched = true;
    }
  }
  return matched;
}

/**
 * {@link verifyHmac} that throws: for a handler that must refuse a forged webhook before it
 * reads anything.
 *
 * @throws {@link OmnistockError} `SIGNATURE` when the signature is missing or matches no
 *   secret (nothing about the secrets is in the message); `VALIDATION` for bad options.
 * @example
 * ```ts
 * assertHmac({ payload: rawBody, signature, secrets: clientSecret, encoding: "hex",
 *   platform: "lightspeed" });
 * ```
 */
export function assertHmac(options: VerifyHmacOptions): void {
  if (!verifyHmac(options)) {
    throw new OmnistockError(
      "SIGNATURE",
      options.signature ? "Webhook rejected: no signature matches" : "Webhook rejected: unsigned",
      options.platform === undefined ? {} : { platform: options.platform },
    );
  }
}

/**
 * A Standard Webhooks secret: `whsec_` followed by the base64 key (or the base64 key
 * alone), or the key's raw bytes. BigCommerce signs with the app's client secret as raw
 * bytes: pass `new TextEncoder().encode(clientSecret)`.
 */
export type StandardWebhookSecret = string | Uint8Array;

/** Request headers, as a `Headers` or a plain object such as Node's `IncomingHttpHeaders`. */
export type WebhookHeaders =
  | Headers
  | Readonly<Record<string, string | readonly string[] | undefined>>;

/** What a verified Standard Webhooks delivery says about itself. */
export interface StandardWebhookDelivery {
  /** `webhook-id`: the de-duplication key, the same on every retry of a delivery. */
  readonly id: string;
  /** `webhook-timestamp`, in epoch seconds. */
  readonly timestamp: number;
}

/** Options of {@link verifyStandardWebhook}. */
export interface VerifyStandardWebhookOptions {
  /** The request headers (`webhook-id`, `webhook-timestamp`, `webhook-signature`). */
  readonly headers: WebhookHeaders;
  /** The raw body, exactly as received. */
  readonly body: string | Uint8Array;
  /** The secret, or several while one is being rotated out. */
  readonly secrets: OneOrMany<StandardWebhookSecret>;
  /**
   * How far the timestamp may be from now, in seconds, either way: an old delivery
   * replayed by an attacker is refused.
   * @default {@link STANDARD_WEBHOOK_TOLERANCE_SECONDS}
   */
  readonly toleranceSeconds?: number;
  /**
   * The current time in epoch milliseconds.
   * @default Date.now()
   */
  readonly now?: number;
  /**
   * The platform, named in errors.
   * @default "bigcommerce"
   */
  readonly platform?: PlatformName;
}

/**
 * The result form of {@link verifyStandardWebhook}.
 *
 * @example
 * ```ts
 * const result = safeVerifyStandardWebhook({ headers, body, secrets });
 * if (result.ok) seen.add(result.delivery.id);
 * ```
 */
export type StandardWebhookResult =
  | { readonly ok: true; readonly delivery: StandardWebhookDelivery }
  | { readonly ok: false; readonly error: OmnistockError };

const standardSecret = z.union([z.string().min(1), z.instanceof(Uint8Array)]);

const standardSchema = z.strictObject({
  headers: z.union([
    z.instanceof(Headers),
    z.record(z.string(), z.union([z.string(), z.array(z.string()), z.undefined()])),
  ]),
  body: z.union([z.string(), z.instanceof(Uint8Array)]),
  secrets: z.union([standardSecret, z.array(standardSecret).min(1)]),
  toleranceSeconds: z.number().nonnegative().finite().optional(),
  now: z.number().finite().optional(),
  platform: platformValue.optional(),
});

/**
 * How far a Standard Webhooks timestamp may be from now, in seconds, when not told: five
 * minutes, the tolerance of the scheme's reference libraries.
 */
export const STANDARD_WEBHOOK_TOLERANCE_SECONDS = 300;

/**
 * Verifies a webhook signed in the Standard Webhooks scheme (BigCommerce): the signature is
 * HMAC-SHA256 of `id.timestamp.body` under the secret's key, sent as one or more
 * space-separated `v1,<base64>` values (several while the sender rotates its secret); the
 * timestamp must be within the tolerance of now. Returns the delivery's id, the key to
 * drop duplicates by.
 *
 * @throws {@link OmnistockError} `SIGNATURE` naming what failed (a missing header, a
 *   timestamp out of tolerance, no matching signature) with nothing about the secrets;
 *   `VALIDATION` for options that cannot be checked (a secret that is not base64).
 * @example
 * ```ts
 * const { id } = verifyStandardWebhook({
 *   headers: request.headers,
 *   body: rawBody,
 *   secrets: new TextEncoder().encode(clientSecret),
 * });
 * ```
 */
export function verifyStandardWebhook(
  options: VerifyStandardWebhookOptions,
): StandardWebhookDelivery {
  const result = safeVerifyStandardWebhook(options);
  if (!result.ok) throw result.error;
  return result.delivery;
}

/**
 * {@link verifyStandardWebhook}, returning a result instead of throwing for a bad webhook.
 *
 * @throws {@link OmnistockError} `VALIDATION` for options that cannot be checked: a
 *   configuration mistake is not a bad webhook.
 * @example
 * ```ts
 * const result = safeVerifyStandardWebhook({ headers, body, secrets });
 * if (!result.ok) return new Response(null, { status: 401 });
 * ```
 */
export function safeVerifyStandardWebhook(
  options: VerifyStandardWebhookOptions,
): StandardWebhookResult {
  checkOptions(standardSchema, options, "Standard Webhooks verification options");
  const keys = many(options.secrets).map((secret, i) =>
    keyOf(secret, Array.isArray(options.secrets) ? ["secrets", i] : ["secrets"]),
  );
  const platform = options.platform ?? "bigcommerce";
  const fail = (message: string): StandardWebhookResult => ({
    ok: false,
    error: new OmnistockError("SIGNATURE", `Webhook rejected: ${message}`, { platform }),
  });
  const id = header(options.headers, "webhook-id");
  const timestampText = header(options.headers, "webhook-timestamp");
  const signatures = header(options.headers, "webhook-signature");
  if (!id) return fail("the webhook-id header is missing");
  if (!timestampText || !/^\d+$/.test(timestampText))
    return fail("the webhook-timestamp header is missing or not a number");
  if (!signatures) return fail("the webhook-signature header is missing");
  const timestamp = Number(timestampText);
  const now = (options.now ?? Date.now()) / 1000;
  const tolerance = options.toleranceSeconds ?? STANDARD_WEBHOOK_TOLERANCE_SECONDS;
  if (Math.abs(now - timestamp) > tolerance)
    return fail(`the timestamp is more than ${tolerance} s from now`);
  const expected = keys.map((key) => sign(key, id, timestamp, options.body));
  let matched = false;
  for (const candidate of signatures.split(" ")) {
    const [version, signature] = candidate.split(",", 2);
    if (version !== "v1" || signature === undefined) continue;
    for (const wanted of expected) if (safeEqual(signature, wanted)) matched = true;
  }
  return matched ? { ok: true, delivery: { id, timestamp } } : fail("no signature matches");
}

/** Options of {@link signStandardWebhook} and {@link standardWebhookHeaders}. */
export interface SignStandardWebhookOptions {
  /** The delivery id (`msg_…`). */
  readonly id: string;
  /** Epoch seconds. */
  readonly timestamp: number;
  /** The exact body that will be sent. */
  readonly body: string | Uint8Array;
  /** The secret to sign with. */
  readonly secret: StandardWebhookSecret;
}

/**
 * Signs a body in the Standard Webhooks scheme, returning the `v1,<base64>` value of the
 * `webhook-signature` header. For tests and fake servers.
 *
 * @throws {@link OmnistockError} `VALIDATION` when the secret is not base64.
 * @example
 * ```ts
 * signStandardWebhook({ id: "msg_1", timestamp: 1614265330, body: "{}", secret: "whsec_…" });
 * // "v1,…"
 * ```
 */
export function signStandardWebhook({
  id,
  timestamp,
  body,
  secret,
}: SignStandardWebhookOptions): string {
  return `v1,${sign(keyOf(secret, ["secret"]), id, timestamp, body)}`;
}

/**
 * The three headers of a Standard Webhooks delivery (`webhook-id`, `webhook-timestamp`,
 * `webhook-signature`), signed: what a test sends to a webhook handler.
 *
 * @throws {@link OmnistockError} `VALIDATION` when the secret is not base64.
 * @example
 * ```ts
 * await fetch(url, { method: "POST", body, headers: standardWebhookHeaders({ id, timestamp, body, secret }) });
 * ```
 */
export function standardWebhookHeaders(options: SignStandardWebhookOptions): {
  readonly "webhook-id": string;
  readonly "webhook-timestamp": string;
  readonly "webhook-signature": string;
} {
  return {
    "webhook-id": options.id,
    "webhook-timestamp": String(options.timestamp),
    "webhook-signature": signStandardWebhook(options),
  };
}

function sign(key: Uint8Array, id: string, timestamp: number, body: string | Uint8Array): string {
  const content =
    typeof body === "string"
      ? `${id}.${timestamp}.${body}`
      : Buffer.concat([Buffer.from(`${id}.${timestamp}.`), body]);
  return hmacSha256(key, content, "base64");
}

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** The HMAC key of a secret: raw bytes as given, or the base64 after `whsec_`. */
function keyOf(secret: StandardWebhookSecret, path: readonly (string | number)[]): Uint8Array {
  if (typeof secret !== "string") return secret;
  const encoded = secret.startsWith("whsec_") ? secret.slice("whsec_".length) : secret;
  if (!BASE64.test(encoded) || encoded.length % 4 === 1) {
    throw validationError("Standard Webhooks secret", [
      { path, message: 'expected "whsec_" and base64, or the key as bytes' },
    ]);
  }
  return Buffer.from(encoded, "base64");
}

/** A header by name, whatever its case; a repeated header's values joined by spaces. */
function header(headers: WebhookHeaders, name: string): string | null {
  if (headers instanceof Headers) return headers.get(name);
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== name || value === undefined) continue;
    return typeof value === "string" ? value : value.join(" ");
  }
  return null;
}

/**
 * What a webhook receiver must be told about signatures: its `secrets`, or
 * `allowUnsigned: true` said out loud. A receiver never verifies nothing by default.
 *
 * @example
 * ```ts
 * createShopifyWebhookReceiver({ channelId, secrets: process.env.SHOPIFY_CLIENT_SECRET! });
 * createAmazonNotificationReceiver({ channelId, allowUnsigned: true }); // behind your own boundary
 * ```
 */
export type WebhookSigning<Secrets = string | readonly string[]> =
  | { readonly secrets: Secrets }
  | { readonly allowUnsigned: true };

/** The warning a receiver built with `allowUnsigned: true` gives once, when it is built. */
export interface UnsignedWebhookWarning {
  /** `UNSIGNED_WEBHOOKS`: the receiver takes deliveries without verifying them. */
  readonly code: "UNSIGNED_WEBHOOKS";
  /** What is unsafe and how to make it safe. */
  readonly message: string;
}

/** Secrets as a receiver's options take them: one, or several for rotation. */
export const webhookSecretsOption = z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]);

const objectInput = (payload: { readonly value: unknown }) =>
  typeof payload.value === "object" && payload.value !== null;

/**
 * Adds the signing rules to a receiver's options schema (which has `secrets` and
 * `allowUnsigned`): one of them is required, and not both. The rules run even when other
 * fields are at fault, so that every problem is named in one error.
 *
 * @param secretsAre what the secrets are, for the message (e.g. "the app's client secret")
 * @example
 * ```ts
 * const optionsSchema = withWebhookSigning(
 *   z.strictObject({ secrets: webhookSecretsOption.optional(), allowUnsigned: z.boolean().optional() }),
 *   "the app's client secret",
 * );
 * ```
 */
export function withWebhookSigning<
  T extends z.ZodType<{ secrets?: unknown; allowUnsigned?: boolean | undefined }>,
>(schema: T, secretsAre: string) {
  return schema
    .refine((o) => o.secrets !== undefined || o.allowUnsigned === true, {
      path: ["secrets"],
      message: `required: ${secretsAre}, or allowUnsigned: true to take unsigned deliveries`,
      when: objectInput,
    })
    .refine((o) => o.secrets === undefined || o.allowUnsigned !== true, {
      path: ["allowUnsigned"],
      message: "cannot be true with secrets: a receiver with secrets verifies every delivery",
      when: objectInput,
    });
}

/**
 * Gives a receiver's warning to its `onWarning` hook, or else to the runtime's warnings
 * (`process.emitWarning`, code `OMNISTOCK_{PLATFORM}_{code}`) where there is one.
 *
 * @example
 * ```ts
 * reportWarning(options.onWarning, { code: "UNSIGNED_WEBHOOKS", message }, "shopify");
 * ```
 */
export function reportWarning<W extends { readonly code: string; readonly message: string }>(
  onWarning: ((warning: W) => void) | undefined,
  warning: W,
  platform: PlatformName,
): void {
  if (onWarning !== undefined) {
    onWarning(warning);
    return;
  }
  const runtime = (globalThis as { process?: { emitWarning?: (m: string, o: object) => void } })
    .process;
  runtime?.emitWarning?.(warning.message, {
    code: `OMNISTOCK_${platform.toUpperCase()}_${warning.code}`,
  });
}
