/** What replaces a secret in messages, details and logs. */
export const REDACTED = "[redacted]";

/** Headers whose values are always credentials. */
const SECRET_HEADERS = new Set([
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

/** Query parameters whose values are always credentials. */
const SECRET_PARAMS =
  /([?&](?:access_token|refresh_token|client_secret|token|code|password|api_key|apikey|signature)=)[^&#\s]*/gi;

/** JSON fields whose values are always credentials. */
const SECRET_FIELDS =
  /("(?:access_token|refresh_token|client_secret|password|api_key|token|secret)"\s*:\s*")[^"]*(")/gi;

/**
 * Removes credentials from text before it reaches an error or a log: every known secret
 * value, token query parameters and JSON token fields.
 *
 * @param secrets - Values to hide wherever they appear (tokens, client secrets, webhook
 *   secrets). Values shorter than 4 characters are ignored: they would hide too much.
 */
export function redact(text: string, secrets: readonly string[] = []): string {
  let out = text;
  for (const secret of secrets) if (secret.length >= 4) out = out.split(secret).join(REDACTED);
  return out.replace(SECRET_PARAMS, `$1${REDACTED}`).replace(SECRET_FIELDS, `$1${REDACTED}$2`);
}

/** A plain copy of headers with credential headers replaced and secrets removed from the rest. */
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
