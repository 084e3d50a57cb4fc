import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { isOmnistockError, type OmnistockError } from "@omnistock/core";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  createBigCommerceLimiter,
  createHttpClient,
  type HttpClientOptions,
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

/** A client whose waits are recorded instead of slept. */
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

describe("createHttpClient", () => {
  it("sends JSON with credentials and returns the parsed body and request id", async () => {
    script.push((_req, res) =>
      json(res, 200, { data: [{ id: "outlet-1" }] }, { "x-request-id": "req-42" }),
    );
    const { http } = client({ auth: () => ({ authorization: "Bearer tok_live_123" }) });
    const response = await http.request({
      method: "POST",
      path: "/api/2.0/things",
      json: { a: 1 },
      query: { page_size: 2 },
    });
    expect(response).toMatchObject({
      status: 200,
      body: { data: [{ id: "outlet-1" }] },
      requestId: "req-42",
      attempts: 1,
    });
    expect(seen[0]).toMatchObject({
      method: "POST",
      url: "/api/2.0/things?page_size=2",
      body: '{"a":1}',
    });
    expect(seen[0]?.headers.authorization).toBe("Bearer tok_live_123");
  });

  it("waits what a 429's Retry-After asks, then retries even a write", async () => {
    script.push((_req, res) =>
      json(res, 429, { error: "Too Many Requests" }, { "retry-after": "7" }),
    );
    script.push((_req, res) => json(res, 201, { ok: true }));
    const { http, waits, events } = client();
    const response = await http.request({ method: "POST", path: "/api/2.0/sales", json: {} });
    expect(response.attempts).toBe(2);
    expect(waits).toEqual([7_350]); // the server's 7 s, plus jitter of at most a tenth
    expect(events.filter((e) => e.type === "retry")).toMatchObject([
      { code: "RATE_LIMITED", delayMs: 7_350 },
    ]);
  });

  it("retries a server error for reads and idempotent writes, never for other writes", async () => {
    script.push(
      (_req, res) => json(res, 503, {}),
      (_req, res) => json(res, 200, { ok: 1 }),
    );
    const read = client();
    expect((await read.http.request({ path: "/x" })).attempts).toBe(2);
    expect(read.waits).toEqual([125]); // full jitter of the 250 ms first backoff

    script.push(
      (_req, res) => json(res, 502, {}),
      (_req, res) => json(res, 200, { ok: 1 }),
    );
    const put = client();
    expect(
      (await put.http.request({ method: "PUT", path: "/x", json: {}, replay: "idempotent" }))
        .attempts,
    ).toBe(2);

    script.push((_req, res) => json(res, 500, { message: "boom" }));
    const post = client();
    const error = await failure(post.http.request({ method: "POST", path: "/x", json: {} }));
    expect(error).toMatchObject({
      code: "SERVER",
      status: 500,
      retryable: true,
      platform: "lightspeed",
    });
    expect(seen).toHaveLength(5);
  });

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

  it("gives up after the last retry with the platform's wait on the error", async () => {
    for (let i = 0; i < 3; i++)
      script.push((_req, res) => json(res, 429, {}, { "x-rate-limit-time-reset-ms": "1500" }));
    const error = await failure(client({ retry: { retries: 2 } }).http.request({ path: "/x" }));
    expect(error).toMatchObject({ code: "RATE_LIMITED", retryAfterMs: 1_500 });
    expect(seen).toHaveLength(3);
  });

  it("times out a slow answer, and reports a refused connection as a network error", async () => {
    script.push(() => undefined); // never answers
    const slow = await failure(
      client({ timeoutMs: 100, retry: { retries: 0 } }).http.request({ path: "/slow" }),
    );
    expect(slow.code).toBe("TIMEOUT");
    const refused = await failure(
      createHttpClient({
        platform: "amazon",
        baseUrl: "http://127.0.0.1:9",
        retry: { retries: 0 },
      }).request({ path: "/x" }),
    );
    expect(refused).toMatchObject({ code: "NETWORK", platform: "amazon", retryable: true });
  });

  it("stops waiting when the caller's signal aborts", async () => {
    script.push(() => undefined); // never answers
    const controller = new AbortController();
    const pending = client({ retry: { retries: 0 } }).http.request({
      path: "/slow",
      signal: controller.signal,
    });
    setTimeout(() => controller.abort(new Error("shutting down")), 50);
    await expect(pending).rejects.toThrow("shutting down");
  });

  it("keeps tokens and secrets out of error messages", async () => {
    script.push((_req, res) =>
      json(res, 400, {
        error: "bad request",
        echo: "tok_live_123",
        access_token: "shpat_abcdef",
        refresh: "rt_999",
      }),
    );
    const error = await failure(
      client({ secrets: ["tok_live_123", "rt_999"] }).http.request({
        path: "/x",
        query: { access_token: "shpat_abcdef" },
      }),
    );
    expect(error.message).not.toMatch(/tok_live_123|shpat_abcdef|rt_999/);
    expect(JSON.stringify(error.details)).not.toMatch(/tok_live_123|shpat_abcdef|rt_999/);
  });

  it("waits for the limiter's budget and teaches it from the answer's headers", async () => {
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
    const limiter = createBigCommerceLimiter();
    const { http } = client({ platform: "bigcommerce", limiter });
    await http.request({ path: "/stores/abc/v3/inventory/items" });
    expect(limiter.budget()).toMatchObject({ remaining: 9, limit: 150 });
  });

  it("treats a throttled body as a rate limit (Shopify answers THROTTLED with 200)", async () => {
    script.push((_req, res) => json(res, 200, { errors: [{ extensions: { code: "THROTTLED" } }] }));
    script.push((_req, res) => json(res, 200, { data: { ok: true } }));
    const { http, waits } = client({
      platform: "shopify",
      throttledBody: (body) =>
        JSON.stringify(body).includes('"THROTTLED"') ? { retryAfterMs: 1_000 } : undefined,
    });
    const response = await http.request({
      method: "POST",
      path: "/admin/api/2026-04/graphql.json",
      json: {},
    });
    expect(response.body).toEqual({ data: { ok: true } });
    expect(waits).toEqual([1_050]);
  });

  it("names every unknown or missing option at once", () => {
    expect(() =>
      createHttpClient({
        platform: "shopify",
        baseUrl: "",
        retires: 3,
      } as unknown as HttpClientOptions),
    ).toThrow(/unknown option "retires".*"baseUrl" is required/);
  });
});
