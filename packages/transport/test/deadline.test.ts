import { isOmnistockError, type OmnistockError } from "@omnistock/core";
import { describe, expect, it } from "vitest";
import { createHttpClient, deadlineOf, withDeadline } from "../src/index.js";
import { createVirtualTime } from "../src/testing.js";

/** A platform that answers each request with the next scripted response. */
function scripted(answers: (() => Response)[]) {
  const calls: string[] = [];
  const fetch: typeof globalThis.fetch = async (input) => {
    calls.push(input instanceof Request ? input.url : String(input));
    const next = answers.shift();
    return next === undefined ? Response.json({ ok: true }) : next();
  };
  return { fetch, calls };
}

const tooMany = (retryAfterSeconds: number) => () =>
  Response.json(
    { error: "rate limited" },
    { status: 429, headers: { "retry-after": String(retryAfterSeconds) } },
  );

describe("a caller's deadline", () => {
  it("rides on an AbortSignal and is read back, undefined on a plain signal", () => {
    const signal = withDeadline(new AbortController().signal, 1_234);
    expect(deadlineOf(signal)).toBe(1_234);
    expect(deadlineOf(new AbortController().signal)).toBeUndefined();
    expect(deadlineOf(undefined)).toBeUndefined();
  });

  it("never sleeps on a Retry-After that ends past the signal's deadline: RATE_LIMITED with the wait, at once", async () => {
    const time = createVirtualTime();
    const platform = scripted([tooMany(300)]);
    const http = createHttpClient({
      platform: "lightspeed",
      baseUrl: "https://example.retail.lightspeed.app",
      fetch: platform.fetch,
      clock: time.clock,
      sleep: time.sleep,
      random: () => 0,
    });
    const started = time.clock();
    const signal = withDeadline(new AbortController().signal, started + 55_000);
    const error = await time
      .run(http.request({ method: "POST", path: "/api/register_sales", json: {}, signal }))
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(isOmnistockError(error)).toBe(true);
    expect((error as OmnistockError).code).toBe("RATE_LIMITED");
    expect((error as OmnistockError).retryAfterMs).toBe(300_000);
    expect(platform.calls).toHaveLength(1);
    expect(time.clock()).toBe(started);
  });

  it("still waits a Retry-After that ends before the deadline, and retries", async () => {
    const time = createVirtualTime();
    const platform = scripted([tooMany(2)]);
    const http = createHttpClient({
      platform: "lightspeed",
      baseUrl: "https://example.retail.lightspeed.app",
      fetch: platform.fetch,
      clock: time.clock,
      sleep: time.sleep,
      random: () => 0,
    });
    const signal = withDeadline(new AbortController().signal, time.clock() + 55_000);
    const answer = await time.run(http.request({ path: "/api/2.0/outlets", signal }));
    expect(answer.attempts).toBe(2);
    expect(platform.calls).toHaveLength(2);
  });

  it("gives up a backoff that would end past the deadline, with the last error", async () => {
    const time = createVirtualTime();
    const platform = scripted([() => new Response("down", { status: 503 })]);
    const http = createHttpClient({
      platform: "shopify",
      baseUrl: "https://shop.example",
      fetch: platform.fetch,
      clock: time.clock,
      sleep: time.sleep,
      random: () => 0.99,
      retry: { minDelayMs: 10_000 },
    });
    const started = time.clock();
    const signal = withDeadline(new AbortController().signal, started + 5_000);
    const error = await time.run(http.request({ path: "/x", signal })).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect((error as OmnistockError).code).toBe("SERVER");
    expect(platform.calls).toHaveLength(1);
    expect(time.clock()).toBe(started);
  });

  it("sends nothing once the deadline has passed", async () => {
    const time = createVirtualTime();
    const platform = scripted([]);
    const http = createHttpClient({
      platform: "shopify",
      baseUrl: "https://shop.example",
      fetch: platform.fetch,
      clock: time.clock,
      sleep: time.sleep,
    });
    const signal = withDeadline(new AbortController().signal, time.clock() - 1);
    const error = await http.request({ path: "/x", signal }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect((error as OmnistockError).code).toBe("TIMEOUT");
    expect(platform.calls).toHaveLength(0);
  });
});
