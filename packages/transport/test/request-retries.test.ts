import { describe, expect, it } from "vitest";
import { createHttpClient } from "../src/index.js";

/** A client on a fetch that answers every request with `status`, counting attempts. */
function failing(status: number, headers: Record<string, string> = {}) {
  const sent = { count: 0 };
  const client = createHttpClient({
    platform: "shopify",
    baseUrl: "https://shop.example",
    retry: { minDelayMs: 1, maxDelayMs: 1 },
    sleep: async () => {},
    fetch: async () => {
      sent.count++;
      return Response.json({ errors: "unavailable" }, { status, headers });
    },
  });
  return { client, sent };
}

describe("a request's own retries", () => {
  it("sends a request with retries 0 once, and the client's retries otherwise", async () => {
    const once = failing(503);
    await expect(once.client.request({ path: "/graphql", retries: 0 })).rejects.toMatchObject({
      code: "SERVER",
      retryable: true,
    });
    expect(once.sent.count).toBe(1);
    const retried = failing(503);
    await expect(retried.client.request({ path: "/graphql" })).rejects.toMatchObject({
      code: "SERVER",
    });
    expect(retried.sent.count).toBe(5);
  });

  it("hands a rate limit back at once with the platform's wait when retries is 0", async () => {
    const { client, sent } = failing(429, { "retry-after": "7" });
    await expect(client.request({ path: "/graphql", retries: 0 })).rejects.toMatchObject({
      code: "RATE_LIMITED",
      retryAfterMs: 7_000,
    });
    expect(sent.count).toBe(1);
  });

  it("refuses retries that are not a whole number of zero or more, naming the field", async () => {
    const { client } = failing(503);
    await expect(client.request({ path: "/graphql", retries: -1 })).rejects.toMatchObject({
      code: "VALIDATION",
      message: expect.stringContaining("retries"),
    });
  });
});
