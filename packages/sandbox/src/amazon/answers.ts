import { json } from "../common/http.js";

/** An SP-API error answer: `errors` with one `code` and `message`. */
export function errors(
  status: number,
  code: string,
  message: string,
  headers: Record<string, string> = {},
): Response {
  return json(status, { errors: [{ code, message, details: "" }] }, headers);
}

/** Amazon's own 429. */
export function rateLimitedResponse(): Response {
  return errors(429, "QuotaExceeded", "You exceeded your quota for the requested resource.");
}
