// The README's example, kept runnable: if this fails, the README says something untrue.
import { expect, it } from "vitest";
import { createBigCommerceLimiter, createHttpClient, type TransportEvent } from "../src/index.js";

it("runs the README example with the numbers it shows", async () => {
  const token = "demo-token";
  const seen: Request[] = [];
  const fetch: typeof globalThis.fetch = async (input, init) => {
    seen.push(new Request(input, init));
    return Response.json(
      { data: [{ id: 1, label: "Main Street" }] },
      {
        headers: {
          "x-rate-limit-requests-quota": "150",
          "x-rate-limit-requests-left": "120",
          "x-rate-limit-time-reset-ms": "12000",
          "x-rate-limit-time-window-ms": "30000",
        },
      },
    );
  };
  const events: TransportEvent[] = [];
  const limiter = createBigCommerceLimiter();
  const bigcommerce = createHttpClient({
    platform: "bigcommerce",
    baseUrl: "https://api.bigcommerce.com/stores/abc123",
    fetch,
    auth: () => ({ "x-auth-token": token }),
    limiter,
    onEvent: (event) => events.push(event),
  });

  const { body } = await bigcommerce.request({ path: "/v3/inventory/locations" });
  expect(body).toEqual({ data: [{ id: 1, label: "Main Street" }] });
  expect(limiter.budget()).toMatchObject({ platform: "bigcommerce", limit: 150, remaining: 120 });
  expect(seen[0]?.url).toBe("https://api.bigcommerce.com/stores/abc123/v3/inventory/locations");
  expect(seen[0]?.headers.get("x-auth-token")).toBe(token);
  expect(events.map((e) => e.type)).toEqual(["request", "response"]);
});
