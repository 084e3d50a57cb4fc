import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { isOmnistockError, type OmnistockError } from "@omnistock/core";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  createBigCommerceLimiter,
  createHttpClient,
  createShopifyLimiter,
  type HttpClientOptions,
  type RateLimiter,
  shopifyThrottledBody,
  type TransportEvent,
} from "../src/index.js";

type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;

/** A scripted platform on 127.0.0.1: each request takes the next handler. */
let script: Handler[] = [];
const seen: { method: string; url: string; headers: IncomingMessage["headers"]; body: string }[] =
  [];
const server = createServer((req, res) => {
  let body = "";
  req.on("data", (chunk) => {
    body += chunk;
  });
  req.on("end", () => {
    seen.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers, body });
    const next = script.shift() ?? ((_q, r) => json(r, 500, { error: "no script" }));
    next(req, res, body);
  });
});
let baseUrl = "";

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});
beforeEach(() => {
  script = [];
  seen.length = 0;
});

function json(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify(body));
}

/** A client whose waits are recorded instead of slept, with jitter fixed at one half. */
function client(extra: Partial<HttpClientOptions> = {}) {
  const waits: number[] = [];
  const events: TransportEvent[] = [];
  const http = createHttpClient({
    platform: "lightspeed",
    baseUrl,
    sleep: async (ms) => {
      waits.push(ms);
    },
    random: () => 0.5,
    onEvent: (event) => events.push(event),
    ...extra,
  });
  return { http, waits, events };
}

async function failure(promise: Promise<unknown>): Promise<OmnistockError> {
  try {
    await promise;
  } catch (error) {
    if (isOmnistockError(error)) return error;
    throw error;
  }
  throw new Error("expected a failure");
}

describe("createHttpClient: requests", () => {
  it("sends JSON with credentials and returns the parsed body and request id", async () => {
    script.push((_req, res) =>
      json(res, 200, { data: [{ id: "outlet-1" }] }, { "x-request-id": "req-42" }),
    );
    const { http } = client({ auth: () => ({ authorization: "Bearer tok_live_123" }) });
    const response = await http.request({
      method: "POST",
      path: "/api/2.0/things",
      json: { a: 1 },
      query: { page_size: 2, ids: ["a", "b"], skipped: undefined },
    });
    expect(response).toMatchObject({
      status: 200,
      body: { data: [{ id: "outlet-1" }] },
      requestId: "req-42",
      attempts: 1,
    });
    expect(seen[0]).toMatchObject({
      method: "POST",
      url: "/api/2.0/things?page_size=2&ids=a&ids=b",
      body: '{"a":1}',
    });
    expect(seen[0]?.headers.authorization).toBe("Bearer tok_live_123");
  });

  it("appends the path to a base URL that has a path of its own", async () => {
    script.push((_req, res) => json(res, 200, {}));
    script.push((_req, res) => json(res, 200, {}));
    const { http } = client({ platform: "bigcommerce", baseUrl: `${baseUrl}/stores/abc123` });
    await http.request({ path: "/v3/inventory/locations" });
    await http.request({ path: "v3/inventory/items" });
    expect(seen.map((s) => s.url)).toEqual([
      "/stores/abc123/v3/inventory/locations",
      "/stores/abc123/v3/inventory/items",
    ]);
  });

  it("sends a raw form body and reads a text answer as text", async () => {
    script.push((_req, res) => {
      res.writeHead(200, { "content-type": "text/plain" });
      res.end("ok");
    });
    const { http } = client();
    const response = await http.request({
      method: "POST",
      path: "/api/1.0/token",
      body: new URLSearchParams({ grant_type: "refresh_token" }),
    });
    expect(response.body).toBe("ok");
    expect(seen[0]?.body).toBe("grant_type=refresh_token");
    expect(seen[0]?.headers["content-type"]).toMatch(/x-www-form-urlencoded/);
  });

  it("keeps at most `concurrency` requests in flight", async () => {
    let now = 0;
    let most = 0;
    for (let i = 0; i < 6; i++) {
      script.push((_req, res) => {
        now++;
        most = Math.max(most, now);
        setTimeout(() => {
          now--;
          json(res, 200, {});
        }, 20);
      });
    }
    const { http } = client({ concurrency: 2 });
    await Promise.all(Array.from({ length: 6 }, () => http.request({ path: "/x" })));
    expect(most).toBe(2);
  });

  it("refuses request options that cannot be sent, before sending anything", async () => {
    const { http } = client();
    const absolute = await failure(http.request({ path: "https://evil.example/steal" }));
    expect(absolute.code).toBe("VALIDATION");
    expect(absolute.issues.map((i) => i.path.join("."))).toEqual(["path"]);
    const both = await failure(http.request({ method: "POST", path: "/x", json: {}, body: "a=1" }));
    expect(both.issues.map((i) => i.path.join("."))).toEqual(["body"]);
    expect(seen).toHaveLength(0);
  });

  it("names every unknown, missing or invalid client option at once", () => {
    let error: unknown;
    try {
      createHttpClient({
        platform: "shopify",
        baseUrl: "not a url",
        retires: 3,
        retry: { retries: -1 },
      } as unknown as HttpClientOptions);
    } catch (caught) {
      error = caught;
    }
    expect(isOmnistockError(error, "VALIDATION")).toBe(true);
    expect((error as OmnistockError).message).toMatch(/retires/);
    expect((error as OmnistockError).issues.map((i) => i.path.join("."))).toEqual(
      expect.arrayContaining(["baseUrl", "retry.retries", ""]),
    );
  });
});

describe("createHttpClient: retries", () => {
  it("waits what a 429's Retry-After asks, then retries even a write", async () => {
    script.push((_req, res) =>
      json(res, 429, { error: "Too Many Requests" }, { "retry-after": "7" }),
    );
    script.push((_req, res) => json(res, 201, { ok: true }));
    const { http, waits, events } = client();
    const response = await http.request({ method: "POST", path: "/api/2.0/sales", json: {} });
    expect(response.attempts).toBe(2);
    // The platform's 7 s win over the 250 ms backoff, plus jitter of at most a tenth.
    expect(waits).toEqual([7_350]);
    expect(events.filter((e) => e.type === "retry")).toMatchObject([
      { code: "RATE_LIMITED", delayMs: 7_350, source: "server", attempt: 1 },
    ]);
  });

  it("reads Retry-After as an HTTP date, as Lightspeed sends it", async () => {
    const now = Date.UTC(2026, 10, 22, 12, 0, 0);
    script.push((_req, res) =>
      json(res, 429, {}, { "retry-after": new Date(now + 30_000).toUTCString() }),
    );
    script.push((_req, res) => json(res, 200, {}));
    const { http, waits } = client({ clock: () => now, random: () => 0 });
    await http.request({ path: "/x" });
    expect(waits).toEqual([30_000]);
  });

  it("retries a server error for reads and idempotent writes, never for other writes", async () => {
    script.push(
      (_req, res) => json(res, 503, {}),
      (_req, res) => json(res, 200, { ok: 1 }),
    );
    const read = client();
    expect((await read.http.request({ path: "/x" })).attempts).toBe(2);
    expect(read.waits).toEqual([125]); // full jitter of the 250 ms first backoff
    expect(read.events.find((e) => e.type === "retry")).toMatchObject({ source: "backoff" });

    script.push(
      (_req, res) => json(res, 502, {}),
      (_req, res) => json(res, 200, { ok: 1 }),
    );
    const put = client();
    const absolute = await put.http.request({
      method: "PUT",
      path: "/x",
      json: {},
      replay: "idempotent",
    });
    expect(absolute.attempts).toBe(2);

    script.push((_req, res) => json(res, 500, { message: "boom" }));
    const post = client();
    const error = await failure(post.http.request({ method: "POST", path: "/x", json: {} }));
    // It may have been applied: sending it again is not safe, so it is not retryable.
    expect(error).toMatchObject({
      code: "SERVER",
      status: 500,
      retryable: false,
      platform: "lightspeed",
      details: { replay: "unsafe" },
    });
    expect(seen).toHaveLength(5);
  });

  it("doubles the backoff on each retry, up to maxDelayMs", async () => {
    for (let i = 0; i < 5; i++) script.push((_req, res) => json(res, 503, {}));
    const { http, waits } = client({
      random: () => 0.999,
      retry: { retries: 4, minDelayMs: 100, maxDelayMs: 500 },
    });
    const error = await failure(http.request({ path: "/x" }));
    expect(error.code).toBe("SERVER");
    expect(waits).toEqual([100, 200, 400, 500]);
  });

  it("gives up after the last retry with the platform's wait on the error", async () => {
    for (let i = 0; i < 3; i++)
      script.push((_req, res) => json(res, 429, {}, { "x-rate-limit-time-reset-ms": "1500" }));
    const error = await failure(client({ retry: { retries: 2 } }).http.request({ path: "/x" }));
    expect(error).toMatchObject({ code: "RATE_LIMITED", retryAfterMs: 1_500, retryable: true });
    expect(seen).toHaveLength(3);
  });

  it("gives up at once when the platform asks for a longer wait than maxRetryAfterMs", async () => {
    script.push((_req, res) => json(res, 429, {}, { "retry-after": "600" }));
    const { http, waits } = client();
    const error = await failure(http.request({ path: "/x" }));
    expect(error).toMatchObject({ code: "RATE_LIMITED", retryAfterMs: 600_000 });
    expect(waits).toEqual([]);
    expect(seen).toHaveLength(1);
  });

  it("treats a THROTTLED body as a rate limit and waits for the points it lacks", async () => {
    const throttleStatus = { maximumAvailable: 2_000, currentlyAvailable: 52, restoreRate: 100 };
    script.push((_req, res) =>
      json(res, 200, {
        errors: [{ message: "Throttled", extensions: { code: "THROTTLED" } }],
        extensions: {
          cost: { requestedQueryCost: 752, actualQueryCost: null, throttleStatus },
        },
      }),
    );
    script.push((_req, res) =>
      json(res, 200, {
        data: { ok: true },
        extensions: {
          cost: {
            requestedQueryCost: 752,
            actualQueryCost: 100,
            throttleStatus: { ...throttleStatus, currentlyAvailable: 1_500 },
          },
        },
      }),
    );
    // One simulated clock for the client's waits and the limiter's.
    let now = Date.UTC(2026, 10, 22);
    const waits: number[] = [];
    const clock = () => now;
    const sleep = async (ms: number) => {
      waits.push(ms);
      now += ms;
    };
    const limiter = createShopifyLimiter({ clock, sleep });
    const { http } = client({
      platform: "shopify",
      limiter,
      throttledBody: shopifyThrottledBody,
      random: () => 0,
      clock,
      sleep,
    });
    const response = await http.request({
      method: "POST",
      path: "/admin/api/2026-04/graphql.json",
      json: { query: "{ shop { id } }" },
      cost: 752,
    });
    expect(response.body).toMatchObject({ data: { ok: true } });
    // (752 − 52) points at 100 per second; after that wait the limiter has them too.
    expect(waits).toEqual([7_000]);
    expect(limiter.budget()).toMatchObject({ inFlight: 0, limit: 2_000 });
  });

  it("leaves a request that is not throttled alone", () => {
    expect(shopifyThrottledBody({ data: {}, extensions: { cost: {} } })).toBeUndefined();
    expect(shopifyThrottledBody("THROTTLED")).toBeUndefined();
    expect(shopifyThrottledBody({ errors: [{ extensions: { code: "THROTTLED" } }] })).toEqual({});
  });
});

describe("createHttpClient: failures", () => {
  it("maps answers to typed errors and never retries a refused credential", async () => {
    script.push((_req, res) => json(res, 401, { error: "invalid_token" }));
    const auth = await failure(client().http.request({ path: "/x" }));
    expect(auth).toMatchObject({ code: "AUTH", status: 401, retryable: false });
    script.push((_req, res) =>
      json(res, 422, { title: "Invalid", errors: { "items.0.quantity": "required" } }),
    );
    const invalid = await failure(client().http.request({ path: "/x" }));
    expect(invalid.code).toBe("REQUEST");
    expect(invalid.message).toContain("items.0.quantity");
    expect(seen).toHaveLength(2);
  });

  it("carries the platform's request id: Amazon's x-amzn-RequestId", async () => {
    script.push((_req, res) =>
      json(
        res,
        400,
        { errors: [{ code: "InvalidInput", message: "bad sku" }] },
        { "x-amzn-RequestId": "amzn-7" },
      ),
    );
    const error = await failure(client({ platform: "amazon" }).http.request({ path: "/x" }));
    expect(error).toMatchObject({ code: "REQUEST", platform: "amazon", requestId: "amzn-7" });
  });

  it("times out a slow answer, and reports a refused connection as a network error", async () => {
    script.push(() => undefined); // never answers
    const slow = await failure(
      client({ timeoutMs: 100, retry: { retries: 0 } }).http.request({ path: "/slow" }),
    );
    expect(slow).toMatchObject({ code: "TIMEOUT", retryable: true });
    const refused = await failure(
      createHttpClient({
        platform: "amazon",
        baseUrl: "http://127.0.0.1:9",
        retry: { retries: 0 },
      }).request({ path: "/x" }),
    );
    expect(refused).toMatchObject({ code: "NETWORK", platform: "amazon", retryable: true });
  });

  it("times out an answer whose body stops halfway", async () => {
    script.push((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.write('{"data": [');
    });
    const error = await failure(
      client({ timeoutMs: 150, retry: { retries: 0 } }).http.request({ path: "/stalls" }),
    );
    expect(error.code).toBe("TIMEOUT");
  });

  it("retries a timed-out read, but not a timed-out write that may have been applied", async () => {
    script.push(() => undefined);
    script.push((_req, res) => json(res, 200, {}));
    // Long enough for the second answer even on a busy machine.
    const read = await client({ timeoutMs: 500 }).http.request({ path: "/x" });
    expect(read.attempts).toBe(2);
    script.push(() => undefined);
    const write = await failure(
      client({ timeoutMs: 100 }).http.request({ method: "POST", path: "/x", json: {} }),
    );
    expect(write).toMatchObject({ code: "TIMEOUT", retryable: false });
    expect(seen).toHaveLength(3);
  });

  it("stops waiting and retrying when the signal aborts, with the signal's reason", async () => {
    script.push(() => undefined);
    const controller = new AbortController();
    const reason = new Error("shutting down");
    setTimeout(() => controller.abort(reason), 50);
    const http = createHttpClient({ platform: "shopify", baseUrl, timeoutMs: 5_000 });
    await expect(http.request({ path: "/x", signal: controller.signal })).rejects.toBe(reason);
    expect(seen).toHaveLength(1);
  });

  it("hands the limiter every answer, and a failed request back, so nothing stays in flight", async () => {
    const limiter = createBigCommerceLimiter();
    script.push((_req, res) =>
      json(
        res,
        200,
        {},
        {
          "x-rate-limit-requests-quota": "150",
          "x-rate-limit-requests-left": "9",
          "x-rate-limit-time-reset-ms": "20000",
        },
      ),
    );
    const { http } = client({ platform: "bigcommerce", limiter });
    await http.request({ path: "/stores/abc/v3/inventory/items" });
    expect(limiter.budget()).toMatchObject({ remaining: 9, limit: 150, inFlight: 0 });
    script.push(() => undefined);
    await failure(
      client({
        platform: "bigcommerce",
        limiter,
        timeoutMs: 50,
        retry: { retries: 0 },
      }).http.request({ path: "/x" }),
    );
    expect(limiter.budget().inFlight).toBe(0);
  });

  it("reports credentials that cannot be obtained as an AUTH error, without sending", async () => {
    const error = await failure(
      client({
        auth: () => {
          throw new Error("refresh failed for rt_secret_9");
        },
        secrets: ["rt_secret_9"],
      }).http.request({ path: "/x" }),
    );
    expect(error).toMatchObject({ code: "AUTH", retryable: false });
    expect(String((error.cause as Error).message)).not.toContain("rt_secret_9");
    expect(seen).toHaveLength(0);
  });
});

describe("createHttpClient: secrets", () => {
  it("keeps configured secrets, credentials and token fields out of errors and events", async () => {
    script.push((_req, res) =>
      json(res, 400, {
        error: "bad request",
        echo: "tok_live_123 and cs_456 and Bearer abc.def",
        access_token: "shpat_abcdef",
        refresh: "rt_999",
      }),
    );
    const { http, events } = client({
      secrets: ["rt_999"],
      headers: { "x-auth-token": "cs_456" },
      auth: () => ({ authorization: "Bearer tok_live_123" }),
    });
    const error = await failure(
      http.request({ path: "/x", query: { access_token: "shpat_abcdef" } }),
    );
    const leaks = /tok_live_123|shpat_abcdef|rt_999|cs_456|abc\.def/;
    expect(error.message).not.toMatch(leaks);
    expect(JSON.stringify(error.details)).not.toMatch(leaks);
    expect(JSON.stringify(events)).not.toMatch(leaks);
    expect(error.message).toContain("bad request");
  });
});

describe("when a request was sent", () => {
  it("dates the answer by the attempt that was answered, after the rate limit's wait and the retries", async () => {
    let now = 1_000;
    const limiter: RateLimiter = {
      platform: "lightspeed",
      async acquire() {
        now += 5_000; // the budget frees up five seconds later
      },
      tryAcquire: () => true,
      observe() {},
      budget: () => ({ platform: "lightspeed", remaining: 1, limit: 1, nextInMs: 0, inFlight: 0 }),
      onThrottled: () => () => {},
    };
    script = [(_q, r) => json(r, 503, { error: "busy" }), (_q, r) => json(r, 200, { data: [] })];
    const { http } = client({
      clock: () => now,
      limiter,
      sleep: async (ms) => {
        now += ms;
      },
    });
    const response = await http.request({ path: "/api/2.0/inventory" });
    expect(response.attempts).toBe(2);
    expect(response.sentAt).toBe(now);
  });
});
