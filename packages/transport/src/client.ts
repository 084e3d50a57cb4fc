import {
  isOmnistockError,
  OmnistockError,
  type OmnistockErrorCode,
  type PlatformName,
} from "@omnistock/core";
import ky, { isNetworkError, isTimeoutError } from "ky";
import PQueue from "p-queue";
import pRetry from "p-retry";
import type { RateLimiter, ThrottledEvent } from "./limiter.js";
import { redact } from "./redact.js";
import { parseRetryAfter } from "./retry-after.js";
import { type Clock, type Sleep, systemClock, systemSleep } from "./time.js";

/**
 * Whether a request may be sent again after a failure that may have reached the
 * platform: `safe` for reads, `idempotent` for absolute writes or writes that carry an
 * idempotency key, `unsafe` for the rest. A 429 is retried whatever this says: the
 * platform refused the request before doing anything.
 */
export type Replay = "safe" | "idempotent" | "unsafe";

/** One request. */
export interface RequestOptions {
  /** @default "GET" */
  readonly method?: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  /** Path after the base URL, e.g. `/api/2.0/outlets`. */
  readonly path: string;
  /** Query parameters; arrays repeat the name; `undefined` values are left out. */
  readonly query?: Readonly<
    Record<string, string | number | boolean | readonly string[] | undefined>
  >;
  /** A body sent as JSON. */
  readonly json?: unknown;
  /** A raw body (a form, a feed document). */
  readonly body?: string | URLSearchParams;
  readonly headers?: Readonly<Record<string, string>>;
  /**
   * Budget units the request spends (1; for Shopify, the query's requested cost).
   * @default 1
   */
  readonly cost?: number;
  /** The platform's name for the operation, where budgets are per operation (Amazon). */
  readonly operation?: string;
  /** @default "safe" for GET, "unsafe" otherwise */
  readonly replay?: Replay;
  /** Overrides the client's timeout. */
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
}

/** A platform's answer. */
export interface HttpResponse {
  readonly status: number;
  readonly headers: Headers;
  /** The parsed JSON body, the text of any other body, or `undefined` when empty. */
  readonly body: unknown;
  /** The platform's request id, for its support desk. */
  readonly requestId: string | undefined;
  /** How many attempts it took. */
  readonly attempts: number;
}

/** What the client tells an observer: typed, never a bare console line. */
export type TransportEvent =
  | {
      readonly type: "request";
      readonly platform: PlatformName;
      readonly method: string;
      readonly url: string;
      readonly attempt: number;
    }
  | {
      readonly type: "response";
      readonly platform: PlatformName;
      readonly method: string;
      readonly url: string;
      readonly status: number;
      readonly durationMs: number;
      readonly attempt: number;
    }
  | {
      readonly type: "retry";
      readonly platform: PlatformName;
      readonly method: string;
      readonly url: string;
      readonly attempt: number;
      readonly delayMs: number;
      readonly code: OmnistockErrorCode;
    }
  | ({ readonly type: "throttled" } & ThrottledEvent);

/** Retry settings of {@link createHttpClient}. */
export interface RetryOptions {
  /**
   * Retries after the first attempt.
   * @default 4
   */
  readonly retries?: number;
  /**
   * The first backoff; each retry doubles it, with full jitter.
   * @default 250
   */
  readonly minDelayMs?: number;
  /**
   * The longest backoff (a server's `Retry-After` may ask for longer, and wins).
   * @default 30000
   */
  readonly maxDelayMs?: number;
}

/** Options of {@link createHttpClient}. */
export interface HttpClientOptions {
  /** The platform, named in errors and events. */
  readonly platform: PlatformName;
  /** e.g. `https://example.retail.lightspeed.app` or a sandbox URL. */
  readonly baseUrl: string;
  /**
   * The fetch to use (a test double, an instrumented fetch, undici with a proxy).
   * @default globalThis.fetch
   */
  readonly fetch?: typeof fetch;
  /** Headers on every request. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Credentials for each attempt, e.g. a bearer token that may be refreshed meanwhile. */
  readonly auth?: () =>
    | Readonly<Record<string, string>>
    | Promise<Readonly<Record<string, string>>>;
  /** The platform's rate limiter: requests wait for the budget and teach it from answers. */
  readonly limiter?: RateLimiter;
  /**
   * Per-attempt timeout in milliseconds.
   * @default 30000
   */
  readonly timeoutMs?: number;
  readonly retry?: RetryOptions;
  /**
   * Requests in flight at once.
   * @default 4
   */
  readonly concurrency?: number;
  /** Values never to show in errors or events (tokens, client secrets). */
  readonly secrets?: readonly string[];
  /**
   * Tells whether a 2xx body is in fact a throttle (Shopify's GraphQL `THROTTLED`), and
   * how long to wait if the platform says.
   */
  readonly throttledBody?: (body: unknown) => { readonly retryAfterMs?: number } | undefined;
  readonly onEvent?: (event: TransportEvent) => void;
  readonly clock?: Clock;
  readonly sleep?: Sleep;
  /**
   * Randomness for jitter, in [0, 1).
   * @default Math.random
   */
  readonly random?: () => number;
}

/** The HTTP client of one platform account. */
export interface HttpClient {
  readonly platform: PlatformName;
  /**
   * Sends a request, waiting for the rate budget, retrying what is safe to retry.
   *
   * @throws {@link OmnistockError} with code `RATE_LIMITED`, `AUTH`, `REQUEST`, `SERVER`,
   *   `NETWORK` or `TIMEOUT`, the status and request id where known; credentials scrubbed.
   */
  request(options: RequestOptions): Promise<HttpResponse>;
}

const KNOWN_OPTIONS = new Set([
  "platform",
  "baseUrl",
  "fetch",
  "headers",
  "auth",
  "limiter",
  "timeoutMs",
  "retry",
  "concurrency",
  "secrets",
  "throttledBody",
  "onEvent",
  "clock",
  "sleep",
  "random",
]);

const REQUEST_ID_HEADERS = [
  "x-request-id",
  "x-shopify-request-id",
  "x-amzn-requestid",
  "x-correlation-id",
];

/**
 * Creates the HTTP client of one platform account, on ky with an injectable `fetch`.
 *
 * Retries honour the server first: a `Retry-After` (seconds, HTTP date or epoch) or a
 * platform's reset header sets the wait; otherwise exponential backoff with full jitter.
 * A write is retried only when it is absolute or carries an idempotency key (`replay`).
 *
 * @throws {@link OmnistockError} `CONFIG` for unknown or missing options, all named at once.
 * @example
 * ```ts
 * const client = createHttpClient({
 *   platform: "lightspeed",
 *   baseUrl: "https://example.retail.lightspeed.app",
 *   auth: () => ({ authorization: `Bearer ${token}` }),
 *   limiter: createLightspeedLimiter({ registers: 3 }),
 *   secrets: [token],
 * });
 * const { body } = await client.request({ path: "/api/2.0/outlets" });
 * ```
 */
export function createHttpClient(options: HttpClientOptions): HttpClient {
  const problems: string[] = [];
  for (const key of Object.keys(options))
    if (!KNOWN_OPTIONS.has(key)) problems.push(`unknown option "${key}"`);
  if (!options.platform) problems.push('"platform" is required');
  if (!options.baseUrl) problems.push('"baseUrl" is required');
  if (problems.length > 0)
    throw new OmnistockError("CONFIG", `Invalid HTTP client options: ${problems.join("; ")}`);

  const platform = options.platform;
  const secrets = options.secrets ?? [];
  const clock = options.clock ?? systemClock;
  const sleep = options.sleep ?? systemSleep;
  const random = options.random ?? Math.random;
  const retries = options.retry?.retries ?? 4;
  const minDelay = options.retry?.minDelayMs ?? 250;
  const maxDelay = options.retry?.maxDelayMs ?? 30_000;
  const emit = options.onEvent ?? (() => undefined);
  const queue = new PQueue({ concurrency: options.concurrency ?? 4 });
  const http = ky.create({
    baseUrl: options.baseUrl,
    retry: 0,
    throwHttpErrors: false,
    timeout: options.timeoutMs ?? 30_000,
    ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
    ...(options.headers === undefined ? {} : { headers: options.headers }),
  });
  options.limiter?.onThrottled((event) => emit({ type: "throttled", ...event }));

  async function attempt(request: RequestOptions, attemptNumber: number): Promise<HttpResponse> {
    const method = request.method ?? "GET";
    const url = describe(request.path, request.query, secrets);
    await options.limiter?.acquire(request.cost ?? 1, {
      ...(request.operation === undefined ? {} : { operation: request.operation }),
      ...(request.signal === undefined ? {} : { signal: request.signal }),
    });
    const auth = options.auth === undefined ? {} : await options.auth();
    emit({ type: "request", platform, method, url, attempt: attemptNumber });
    const started = clock();
    let response: Response;
    try {
      response = await http(request.path.replace(/^\//, ""), {
        method,
        headers: { ...auth, ...request.headers },
        ...(request.query === undefined ? {} : { searchParams: toSearchParams(request.query) }),
        ...(request.json === undefined ? {} : { json: request.json }),
        ...(request.body === undefined ? {} : { body: request.body }),
        ...(request.timeoutMs === undefined ? {} : { timeout: request.timeoutMs }),
        ...(request.signal === undefined ? {} : { signal: request.signal }),
      });
    } catch (error) {
      if (request.signal?.aborted) throw error;
      const timedOut = isTimeoutError(error);
      throw new OmnistockError(
        timedOut ? "TIMEOUT" : "NETWORK",
        `${platform} ${method} ${url}: ${timedOut ? "no answer in time" : "the connection failed"}`,
        {
          platform,
          retryable: true,
          cause: isNetworkError(error) || timedOut ? undefined : scrubbed(error, secrets),
        },
      );
    }
    const body = await readBody(response);
    const requestId =
      REQUEST_ID_HEADERS.map((h) => response.headers.get(h)).find((v) => v !== null) ?? undefined;
    emit({
      type: "response",
      platform,
      method,
      url,
      status: response.status,
      durationMs: clock() - started,
      attempt: attemptNumber,
    });
    options.limiter?.observe({
      status: response.status,
      headers: response.headers,
      body,
      ...(request.operation === undefined ? {} : { operation: request.operation }),
    });
    const throttled = response.ok ? options.throttledBody?.(body) : undefined;
    if (response.ok && throttled === undefined) {
      return {
        status: response.status,
        headers: response.headers,
        body,
        requestId,
        attempts: attemptNumber,
      };
    }
    throw httpError({
      platform,
      method,
      url,
      status: response.ok ? 429 : response.status,
      headers: response.headers,
      body,
      requestId,
      secrets,
      now: clock(),
      ...(throttled?.retryAfterMs === undefined ? {} : { retryAfterMs: throttled.retryAfterMs }),
    });
  }

  return {
    platform,
    request(request) {
      const replay = request.replay ?? ((request.method ?? "GET") === "GET" ? "safe" : "unsafe");
      return queue.add(
        () =>
          pRetry((n) => attempt(request, n), {
            retries,
            // The wait is ours (server hint first, else backoff with jitter): p-retry adds none.
            minTimeout: 0,
            maxTimeout: 0,
            factor: 1,
            randomize: false,
            ...(request.signal === undefined ? {} : { signal: request.signal }),
            shouldRetry: ({ error }) => mayRetry(error, replay),
            onFailedAttempt: async ({ error, attemptNumber, retriesLeft }) => {
              if (retriesLeft === 0 || !mayRetry(error, replay)) return;
              const hint = isOmnistockError(error) ? error.retryAfterMs : undefined;
              const backoff = Math.min(maxDelay, minDelay * 2 ** (attemptNumber - 1));
              // The server's hint wins over our backoff; a little jitter spreads the herd.
              const delayMs = Math.round(
                hint !== undefined
                  ? hint + random() * Math.min(1000, hint * 0.1)
                  : random() * backoff,
              );
              emit({
                type: "retry",
                platform,
                method: request.method ?? "GET",
                url: describe(request.path, request.query, secrets),
                attempt: attemptNumber,
                delayMs,
                code: isOmnistockError(error) ? error.code : "NETWORK",
              });
              await sleep(delayMs, request.signal);
            },
          }),
        request.signal === undefined ? {} : { signal: request.signal },
      ) as Promise<HttpResponse>;
    },
  };
}

function mayRetry(error: unknown, replay: Replay): boolean {
  if (!isOmnistockError(error) || !error.retryable) return false;
  return error.code === "RATE_LIMITED" || replay !== "unsafe";
}

interface HttpErrorFacts {
  readonly platform: PlatformName;
  readonly method: string;
  readonly url: string;
  readonly status: number;
  readonly headers: Headers;
  readonly body: unknown;
  readonly requestId: string | undefined;
  readonly secrets: readonly string[];
  readonly now: number;
  readonly retryAfterMs?: number;
}

function httpError(facts: HttpErrorFacts): OmnistockError {
  const { status, headers, platform } = facts;
  const code: OmnistockErrorCode =
    status === 429
      ? "RATE_LIMITED"
      : status === 401 || status === 403
        ? "AUTH"
        : status >= 500
          ? "SERVER"
          : "REQUEST";
  const retryAfterMs =
    facts.retryAfterMs ??
    (code === "RATE_LIMITED" || code === "SERVER"
      ? (parseRetryAfter(headers.get("retry-after"), facts.now) ??
        parseRetryAfter(headers.get("x-retry-after"), facts.now) ??
        resetMs(headers.get("x-rate-limit-time-reset-ms")))
      : undefined);
  const text = typeof facts.body === "string" ? facts.body : JSON.stringify(facts.body ?? "");
  const snippet = redact(text.length > 500 ? `${text.slice(0, 500)}…` : text, facts.secrets);
  return new OmnistockError(
    code,
    `${platform} ${facts.method} ${facts.url} → ${status}: ${snippet}`,
    {
      platform,
      status,
      retryable: code === "RATE_LIMITED" || code === "SERVER",
      ...(facts.requestId === undefined ? {} : { requestId: facts.requestId }),
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
      details: { method: facts.method, url: facts.url, body: snippet },
    },
  );
}

function resetMs(value: string | null): number | undefined {
  const ms = Number(value);
  return value !== null && Number.isFinite(ms) && ms >= 0 ? ms : undefined;
}

async function readBody(response: Response): Promise<unknown> {
  const text = await response.text();
  if (text === "") return undefined;
  if ((response.headers.get("content-type") ?? "").includes("json")) {
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }
  return text;
}

function toSearchParams(query: NonNullable<RequestOptions["query"]>): URLSearchParams {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const v of value) params.append(name, String(v));
    else params.append(name, String(value));
  }
  return params;
}

function describe(
  path: string,
  query: RequestOptions["query"],
  secrets: readonly string[],
): string {
  const search = query === undefined ? "" : toSearchParams(query).toString();
  return redact(search === "" ? path : `${path}?${search}`, secrets);
}

function scrubbed(error: unknown, secrets: readonly string[]): Error {
  return new Error(redact(error instanceof Error ? error.message : String(error), secrets));
}
