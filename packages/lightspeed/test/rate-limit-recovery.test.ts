// After a 429, the store's newer rate-limit headers decide when the client sends again.
import { describe, expect, it } from "vitest";
import { createLightspeedClient } from "../src/index.js";

const START = Date.UTC(2026, 10, 23, 9, 0, 0);
const EMPTY_PAGE = JSON.stringify({ data: [], version: { min: null, max: null } });

/**
 * A store that refuses the first request with a 429 naming a reset seven seconds ahead,
 * then answers every request with the budget of a window that has just begun.
 */
function storeAfterReset() {
  let now = START;
  let served = 0;
  const sentAt: number[] = [];
  const fetch: typeof globalThis.fetch = async () => {
    sentAt.push(now);
    if (sentAt.length === 1) {
      return new Response(
        JSON.stringify({ error: "Too Many Requests", message: "Rate limiting enforced" }),
        {
          status: 429,
          headers: {
            "content-type": "application/json",
            "retry-after": new Date(START + 7_000).toUTCString(),
            "x-ratelimit-limit": "350",
            "x-ratelimit-remaining": "0",
          },
        },
      );
    }
    served++;
    return new Response(EMPTY_PAGE, {
      status: 200,
      headers: {
        "content-type": "application/json",
        "x-ratelimit-limit": "350",
        "x-ratelimit-remaining": String(350 - served),
      },
    });
  };
  const client = createLightspeedClient({
    baseUrl: "https://example.retail.lightspeed.app",
    auth: { personalToken: "token" },
    http: {
      fetch,
      clock: () => now,
      sleep: async (ms) => {
        now += ms;
      },
      retry: { retries: 3 },
    },
  });
  return { client, sentAt };
}

describe("Lightspeed client after a 429", () => {
  it("sends again as soon as the store's newer X-RateLimit-Remaining says the window has room, not one window after the 429", async () => {
    const { client, sentAt } = storeAfterReset();
    await client.registers();
    const [refused, retried] = sentAt as [number, number];
    // The retry waits for the Retry-After date (and a little jitter), no longer.
    expect(retried - refused).toBeGreaterThanOrEqual(7_000);
    expect(retried - refused).toBeLessThan(8_000);

    // The retry's answer reported 349 of 350 left: the next requests go at once.
    await client.registers();
    await client.outlets();
    expect(sentAt).toHaveLength(4);
    expect((sentAt[3] as number) - retried).toBeLessThan(1_000);
  });
});
