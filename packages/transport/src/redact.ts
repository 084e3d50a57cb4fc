/** What replaces a secret in messages, details and events. */
export const REDACTED = "[redacted]";

/** Headers whose values are always credentials (lower case). */
export const SECRET_HEADERS: ReadonlySet<string> = new Set([
  "authorization",
  "proxy-authorization",
  "cookie",
  "set-cookie",
  "x-shopify-access-token",
  "x-auth-token",
  "x-auth-client",
  "x-amz-access-token",
  "x-amz-security-token",
  "x-signature",
  "x-shopify-hmac-sha256",
  "webhook-signature",
]);

const SECRET_NAMES =
  "access_token|refresh_token|client_secret|id_token|token|password|api_key|apikey|secret|signature";

/** `name=value` pairs of credentials in URLs and form bodies (with OAuth's one-time `code`). */
const SECRET_PARAMS = new RegExp(`((?:^|[?&;\\s])(?:${SECRET_NAMES}|code)=)[^&#\\s]*`, "gi");

/** `"name": "value"` fields of credentials in JSON, whatever the case or the separator. */
const SECRET_FIELDS = new RegExp(
  `("(?:${SECRET_NAMES}|authorization|x-auth-token|x-shopify-access-token|x-amz-access-token|accessToken|refreshToken|clientSecret)"\\s*:\\s*")(?:[^"\\\\]|\\\\.)*(")`,
  "gi",
);

/** Bearer credentials anywhere in text. */
const BEARER = /(\bBearer\s+)[A-Za-z0-9._~+/=-]+/gi;

/**
 * Credentials recognisable by their shape: Shopify tokens and secrets (`shpat_`, `shpca_`,
 * `shppa_`, `shpss_`), Standard Webhooks secrets (`whsec_`) and Amazon LWA tokens
 * (`Atza|`, `Atzr|`).
 */
const SHAPED = /\b(?:shp(?:at|ca|pa|ss)_[A-Za-z0-9]+|whsec_[A-Za-z0-9+/=]+|Atz[ar]\|[^\s"'&,;]+)/g;

/** Secrets this short would hide ordinary words; they are left to the patterns. */
const MIN_SECRET_LENGTH = 4;

/**
 * Removes credentials from text before it reaches an error, an event or a log: every
 * configured secret value (also URL-encoded), bearer credentials, token query and form
 * parameters, JSON token fields, and tokens recognisable by their shape.
 *
 * Note: patterns are a second line of defence; pass every secret you hold in `secrets`.
 *
 * @param secrets - Values to hide wherever they appear (tokens, client secrets, webhook
 *   secrets). Values shorter than 4 characters are ignored: they would hide too much.
 * @example
 * ```ts
 * redact("GET /x?access_token=abc failed for tok_123", ["tok_123"]);
 * // "GET /x?access_token=[redacted] failed for [redacted]"
 * ```
 */
export function redact(text: string, secrets: readonly string[] = []): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length < MIN_SECRET_LENGTH) continue;
    out = out.split(secret).join(REDACTED);
    const encoded = encodeURIComponent(secret);
    if (encoded !== secret) out = out.split(encoded).join(REDACTED);
  }
  return out
    .replace(BEARER, `$1${REDACTED}`)
    .replace(SECRET_PARAMS, `$1${REDACTED}`)
    .replace(SECRET_FIELDS, `$1${REDACTED}$2`)
    .replace(SHAPED, REDACTED);
}

/**
 * A plain copy of headers, with credential headers replaced whole and secrets removed from
 * the rest: safe to attach to an error or a log line.
 *
 * @example
 * ```ts
 * redactHeaders(new Headers({ authorization: "Bearer abc", "x-request-id": "r1" }));
 * // { authorization: "[redacted]", "x-request-id": "r1" }
 * ```
 */
export function redactHeaders(
  headers: Headers,
  secrets: readonly string[] = [],
): Record<string, string> {
  const out: Record<string, string> = {};
  headers.forEach((value, name) => {
    out[name] = SECRET_HEADERS.has(name.toLowerCase()) ? REDACTED : redact(value, secrets);
  });
  return out;
}
