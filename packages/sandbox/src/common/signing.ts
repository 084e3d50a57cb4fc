import { createHmac } from "node:crypto";

/** HMAC-SHA256 of `data` with `secret`, as the platforms sign webhooks. */
export function hmacSha256(
  secret: string | Buffer,
  data: string,
  encoding: "hex" | "base64",
): string {
  return createHmac("sha256", secret).update(data).digest(encoding);
}
