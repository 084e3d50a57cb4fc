import {
  isOmnistockError,
  OmnistockError,
  type OmnistockErrorCode,
  type PlatformName,
} from "@omnistock/core";
import ky, { isNetworkError, isTimeoutError } from "ky";
import PQueue from "p-queue";
import pRetry from "p-retry";
import { z } from "zod";
import { numberHeader } from "./headers.js";
import type { RateLimiter, ThrottledEvent } from "./limiter.js";
import { abortSignal, checkOptions, fn, milliseconds } from "./options.js";
import { redact, SECRET_HEADERS } from "./redact.js";
import { parseRetryAfter } from "./retry-after.js";
import { type Clock, deadlineOf, type Sleep, systemClock, systemSleep } from "./time.js";

/**
 * Whether a request may be sent again after a failure that may have reached the platform:
 * `safe` for reads, `idempotent` for absolute writes (set the quantity to 7) and writes
 * that carry an idempotency key, `unsafe` for the rest (add 3 to the quantity). A 429 is
 * retried whatever this says: the platform refused the request before doing anything.
 *
 * Note: the HTTP method says nothing reliable here — BigCommerce's relative adjustment is a
 * `PUT` — so anything but `GET` is `unsafe` unless the caller says otherwise.
 *
 * @example
 * ```ts
 * // An absolute set: sending it twice leaves the same quantity.
 * await bigcommerce.request({
 *   method: "PUT",
 *   path: "/v3/inventory/adjustments/absolute",
 *   json: { items: [{ location_id: 1, variant_id: 7, quantity: 5 }] },
 *   replay: "idempotent",
 * });
 * ```
 */
export type Replay = "safe" | "idempotent" | "unsafe";

/** An HTTP method the client sends. */
export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

/**
 * One request: see {@link HttpClient.request}.
 *
 * @example
 * ```ts
 * const request: RequestOptions = {
 *   method: "PATCH",
 *   path: `/listings/2021-08-01/items/${sellerId}/${sku}`,
 *   query: { marketplaceIds: "ATVPDKIKX0DER" },
 *   json: patch,
 *   operation: "patchListingsItem",
 *   replay: "idempotent",
 * };
 * ```
 */
export interface RequestOptions {
  /** @default "GET" */
  readonly method?: HttpMethod;
  /**
   * The path after the client's base URL, e.g. `/api/2.0/outlets`. Never an absolute URL:
   * credentials must not travel to another host.
   */
  readonly path: string;
  /** Query parameters; arrays repeat the name; `undefined` values are left out. */
  readonly query?: Readonly<
    Record<string, string | number | boolean | readonly string[] | undefined>
  >;
  /** A body sent as JSON (not with `body`). */
  readonly json?: unknown;
  /** A raw body: a form, a feed document (not with `json`). */
  readonly body?: string | URLSearchParams;
  /** Headers of this request, over the client's. */
  readonly headers?: Readonly<Record<string, string>>;
  /**
   * Budget units the request spends: 1 request, or for Shopify the query's requested cost.
   * @default 1
   */
  readonly cost?: number;
  /** The platform's name for the operation, where budgets are per operation (Amazon). */
  readonly operation?: string;
  /** @default "safe" for GET, "unsafe" otherwise */
  readonly replay?: Replay;
  /**
   * Per-attempt timeout in milliseconds, over the client's.
   * @default the client's `timeoutMs`
   */
  readonly timeoutMs?: number;
  /**
   * Retries of this request after its first attempt, over the client's `retry.retries`:
   * `0` sends it once and hands any failure back at once, `RATE_LIMITED` with the
   * platform's wait in `retryAfterMs`. For a caller that owns the retries itself — the
   * sync engine's outbox comes back later, honouring that wait, instead of stacking the
   * transport's tries inside each of its own.
   * @default the client's `retry.retries`
   */
  readonly retries?: number;
  /**
   * Cancels the request, its waits and its retries; it rejects with the signal's reason. A
   * signal marked with {@link withDeadline} also bounds the waits: a retry whose wait would
   * end after the deadline is not waited for (the error is thrown at once, a `RATE_LIMITED`
   * one with the platform's wait in `retryAfterMs`), and nothing is sent once it has passed.
   */
  readonly signal?: AbortSignal;
}

/** A platform's successful answer. */
export interface HttpResponse {
  readonly status: number;
  readonly headers: Headers;
  /** The parsed JSON body, the text of any other body, or `undefined` when empty. */
  readonly body: unknown;
  /** The platform's request id, for its support desk. */
  readonly requestId: string | undefined;
  /** How many attempts it took. */
  readonly attempts: number;
  /**
   * When the attempt that was answered was sent (on the client's `clock`), after every
   * wait for the rate limit or a retry: the platform worked the answer out after it.
   */
  readonly sentAt: number;
}

/**
 * What the client tells an observer: typed, never a bare console line. URLs are paths with
 * query, credentials scrubbed.
 *
 * @example
 * ```ts
 * const onEvent = (event: TransportEvent) => {
 *   if (event.type === "retry") logger.warn(`${event.platform} ${event.code}`, event);
 * };
 * ```
 */
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
      readonly requestId: string | undefined;
    }
  | {
      readonly type: "retry";
      readonly platform: PlatformName;
      readonly method: string;
      readonly url: string;
      /** The attempt that failed. */
      readonly attempt: number;
      /** The wait before the next attempt. */
      readonly delayMs: number;
      /** Whether the wait is the platform's (`Retry-After`, reset headers) or our backoff. */
      readonly source: "server" | "backoff";
      readonly code: OmnistockErrorCode;
    }
  | ({ readonly type: "throttled" } & ThrottledEvent);

/** Retry settings of {@link createHttpClient}. */
export interface RetryOptions {
  /**
   * Retries after the first attempt.
   * @default {@link HTTP_CLIENT_DEFAULTS}.retries
   */
  readonly retries?: number;
  /**
   * The first backoff; each retry doubles it, with full jitter (a random wait up to it).
   * @default {@link HTTP_CLIENT_DEFAULTS}.minDelayMs
   */
  readonly minDelayMs?: number;
  /**
   * The longest backoff. A platform's own wait may be longer, and wins.
   * @default {@link HTTP_CLIENT_DEFAULTS}.maxDelayMs
   */
  readonly maxDelayMs?: number;
  /**
   * The longest wait a platform may ask for before the client gives up instead: the
   * `RATE_LIMITED` error then carries `retryAfterMs`, so a durable outbox can come back
   * later rather than hold a connection slot. Five minutes is Lightspeed's whole window.
   * @default {@link HTTP_CLIENT_DEFAULTS}.maxRetryAfterMs
   */
  readonly maxRetryAfterMs?: number;
}

/** Options of {@link createHttpClient}. */
export interface HttpClientOptions {
  /** The platform, named in errors and events. */
  readonly platform: PlatformName;
  /**
   * The account's API root, e.g. `https://example.retail.lightspeed.app` or
   * `https://api.bigcommerce.com/stores/abc123`, or a sandbox URL. Request paths are
   * appended to it.
   */
  readonly baseUrl: string;
  /**
   * The fetch to use: a test double, an instrumented fetch, undici with a proxy.
   * @default globalThis.fetch
   */
  readonly fetch?: typeof fetch;
  /** Headers on every request. */
  readonly headers?: Readonly<Record<string, string>>;
  /**
   * Credentials for each attempt, e.g. a bearer token that may have been refreshed
   * meanwhile. Their values are scrubbed from every error and event.
   */
  readonly auth?: () =>
    | Readonly<Record<string, string>>
    | Promise<Readonly<Record<string, string>>>;
  /** The platform's rate limiter: requests wait for the budget and teach it from answers. */
  readonly limiter?: RateLimiter;
  /**
   * Per-attempt timeout in milliseconds, for the answer and for reading its body.
   * @default {@link HTTP_CLIENT_DEFAULTS}.timeoutMs
   */
  readonly timeoutMs?: number;
  /** @default see {@link RetryOptions} */
  readonly retry?: RetryOptions;
  /**
   * Requests in flight at once (p-queue).
   * @default {@link HTTP_CLIENT_DEFAULTS}.concurrency
   */
  readonly concurrency?: number;
  /**
   * Values never to show in errors or events: tokens, client secrets, webhook secrets. A
   * function is asked before each attempt, for secrets that change (a
   * token source's `secrets`, see `createTokenSource`).
   */
  readonly secrets?: readonly string[] | (() => readonly string[]);
  /**
   * Tells whether a 2xx body is in fact a throttle, and how long to wait if the platform
   * says. For Shopify, pass {@link shopifyThrottledBody}.
   */
  readonly throttledBody?: (body: unknown) => { readonly retryAfterMs?: number } | undefined;
  /** Typed events: `request`, `response`, `retry`, `throttled`. */
  readonly onEvent?: (event: TransportEvent) => void;
  /**
   * The clock, for durations and for reading `Retry-After` dates.
   * @default Date.now
   */
  readonly clock?: Clock;
  /**
   * How to wait between attempts.
   * @default a real timer
   */
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
   * Sends a request: waits for the rate budget, sends it with fresh credentials, teaches
   * the limiter from the answer, and retries what is safe to retry — the platform's wait
   * first, else exponential backoff with full jitter.
   *
   * @throws {@link OmnistockError} `RATE_LIMITED` (with `retryAfterMs` where the platform
   *   said), `AUTH` (401, 403), `REQUEST` (other 4xx), `SERVER` (5xx), `NETWORK` or
   *   `TIMEOUT`, with the platform, status and request id where known and credentials
   *   scrubbed; `retryable` says whether sending it again is both useful and safe.
   *   `VALIDATION` for request options that cannot be sent. The signal's reason on abort.
   * @example
   * ```ts
   * const { body } = await client.request({ path: "/api/2.0/outlets", query: { after: 0 } });
   * ```
   */
  request(options: RequestOptions): Promise<HttpResponse>;
}

/**
 * What {@link createHttpClient} uses for each option it is not given; every `@default`
 * of {@link HttpClientOptions} and {@link RetryOptions} points here.
 */
export const HTTP_CLIENT_DEFAULTS = {
  timeoutMs: 30_000,
  concurrency: 4,
  retries: 4,
  minDelayMs: 250,
  maxDelayMs: 30_000,
  maxRetryAfterMs: 300_000,
} as const;

/** The most a timer can wait (setTimeout's limit), in milliseconds. */
const MAX_TIMER_MS = 2_147_483_647;

/** How long the server's own wait may be stretched to spread clients apart. */
const SERVER_JITTER = { fraction: 0.1, maxMs: 1_000 } as const;

/** Headers that carry the platform's request id, in the order they are looked for. */
const REQUEST_ID_HEADERS = [
  "x-request-id",
  "x-shopify-request-id",
  "x-amzn-requestid",
  "x-amz-request-id",
  "x-correlation-id",
];

const platformSchema = z.string().min(1);
const headersSchema = z.record(z.string(), z.string());
const timeoutSchema = milliseconds.min(1).max(MAX_TIMER_MS);

const optionsSchema = z.strictObject({
  platform: platformSchema,
  baseUrl: z.string().refine((url) => /^https?:\/\//i.test(url) && URL.canParse(url), {
    error: "expected an absolute http(s) URL",
  }),
  fetch: fn.optional(),
  headers: headersSchema.optional(),
  auth: fn.optional(),
  limiter: z
    .custom<RateLimiter>(
      (value) =>
        typeof value === "object" &&
        value !== null &&
        typeof (value as RateLimiter).acquire === "function" &&
        typeof (value as RateLimiter).observe === "function" &&
        typeof (value as RateLimiter).onThrottled === "function",
      { error: "expected a RateLimiter" },
    )
    .optional(),
  timeoutMs: timeoutSchema.optional(),
  retry: z
    .strictObject({
      retries: z.number().int().nonnegative().optional(),
      minDelayMs: milliseconds.optional(),
      maxDelayMs: milliseconds.optional(),
      maxRetryAfterMs: milliseconds.optional(),
    })
    .optional(),
  concurrency: z.number().int().min(1).optional(),
  secrets: z.union([z.array(z.string()), fn]).optional(),
  throttledBody: fn.optional(),
  onEvent: fn.optional(),
  clock: fn.optional(),
  sleep: fn.optional(),
  random: fn.optional(),
});

const requestSchema = z
  .strictObject({
    method: z.enum(["GET", "POST", "PUT", "PATCH", "DELETE"]).optional(),
    path: z
      .string()
      .min(1)
      .refine((path) => !/^[a-z][a-z0-9+.-]*:|^\/\//i.test(path), {
        error: "expected a path, not an absolute URL",
      }),
    query: z
      .record(
        z.string(),
        z.union([z.string(), z.number(), z.boolean(), z.array(z.string()), z.undefined()]),
      )
      .optional(),
    json: z.unknown().optional(),
    body: z.union([z.string(), z.instanceof(URLSearchParams)]).optional(),
    headers: headersSchema.optional(),
    cost: z.number().finite().nonnegative().optional(),
    operation: z.string().min(1).optional(),
    replay: z.enum(["safe", "idempotent", "unsafe"]).optional(),
    timeoutMs: timeoutSchema.optional(),
    retries: z.number().int().nonnegative().optional(),
    signal: abortSignal.optional(),
  })
  .refine((request) => request.json === undefined || request.body === undefined, {
    error: "give either json or body, not both",
    path: ["body"],
  });

/**
 * Creates the HTTP client of one platform account, on ky with an injectable `fetch`.
 *
 * Why: every adapter needs the same care — wait for the platform's budget, retry only
 * what is safe, let the platform's own wait win over local backoff, never leak a token
 * into a log — and gets it here once.
 *
 * @throws {@link OmnistockError} `VALIDATION` naming every unknown, missing or invalid option.
 * @example
 * ```ts
 * const client = createHttpClient({
 *   platform: "lightspeed",
 *   baseUrl: "https://example.retail.lightspeed.app",
 *   auth: () => ({ authorization: `Bearer ${token}` }),
 *   limiter: createLightspeedLimiter({ registers: 3 }),
 *   secrets: [clientSecret],
 * });
 * const { body } = await client.request({ path: "/api/2.0/outlets" });
 * ```
 */
export function createHttpClient(options: HttpClientOptions): HttpClient {
  checkOptions(optionsSchema, options, "HTTP client options");
  const settings = {
    ...HTTP_CLIENT_DEFAULTS,
    ...definedOnly({
      timeoutMs: options.timeoutMs,
      concurrency: options.concurrency,
      retries: options.retry?.retries,
      minDelayMs: options.retry?.minDelayMs,
      maxDelayMs: options.retry?.maxDelayMs,
      maxRetryAfterMs: options.retry?.maxRetryAfterMs,
    }),
  };
  const { platform, limiter } = options;
  const base = options.baseUrl.replace(/\/+$/, "");
  const clock = options.clock ?? systemClock;
  const sleep = options.sleep ?? systemSleep;
  const random = options.random ?? Math.random;
  const headerSecrets = credentialValues(options.headers ?? {}, false);
  const given = options.secrets ?? [];
  const staticSecrets = (): string[] => [
    ...(typeof given === "function" ? given() : given),
    ...headerSecrets,
  ];
  const emit = (event: TransportEvent) => {
    try {
      options.onEvent?.(event);
    } catch {
      // A failing observer must not fail the request it observes.
    }
  };
  const queue = new PQueue({ concurrency: settings.concurrency });
  const http = ky.create({
    retry: 0,
    throwHttpErrors: false,
    timeout: settings.timeoutMs,
    ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
    ...(options.headers === undefined ? {} : { headers: options.headers }),
  });
  limiter?.onThrottled((event) => emit({ type: "throttled", ...event }));

  async function attempt(
    request: RequestOptions,
    replay: Replay,
    attemptNumber: number,
  ): Promise<HttpResponse> {
    const method = request.method ?? "GET";
    const cost = request.cost ?? 1;
    const { operation, signal } = request;
    let secrets = [...staticSecrets(), ...credentialValues(request.headers ?? {}, false)];
    const url = describe(request, secrets);
    const facts = { platform, method, url, replay };
    const deadline = deadlineOf(signal);
    if (deadline !== undefined && clock() >= deadline) {
      // The caller can no longer use an answer: sending would only risk a write it will retry.
      throw new OmnistockError(
        "TIMEOUT",
        `${platform} ${method} ${url}: the caller's deadline passed`,
        {
          platform,
          retryable: true,
          details: { method, url, replay, deadline },
        },
      );
    }
    await limiter?.acquire(cost, {
      ...(operation === undefined ? {} : { operation }),
      ...(signal === undefined ? {} : { signal }),
    });
    let observed = false;
    const observe = (status: number, headers: Headers, body?: unknown) => {
      if (observed) return;
      observed = true;
      limiter?.observe({
        status,
        headers,
        cost,
        ...(operation === undefined ? {} : { operation }),
        ...(body === undefined ? {} : { body }),
      });
    };
    try {
      const auth = await credentials(options.auth, platform, secrets);
      secrets = [...secrets, ...credentialValues(auth, true)];
      emit({ type: "request", platform, method, url, attempt: attemptNumber });
      const started = clock();
      let response: Response;
      let text: string;
      try {
        const pending = http(`${base}/${request.path.replace(/^\/+/, "")}`, {
          method,
          headers: { ...auth, ...request.headers },
          ...(request.query === undefined ? {} : { searchParams: toSearchParams(request.query) }),
          ...(request.json === undefined ? {} : { json: request.json }),
          ...(request.body === undefined ? {} : { body: request.body }),
          ...(request.timeoutMs === undefined ? {} : { timeout: request.timeoutMs }),
          ...(signal === undefined ? {} : { signal }),
        });
        response = await pending;
        // ky bounds the body read by the same timeout as the answer.
        text = await pending.text();
      } catch (error) {
        if (signal?.aborted) throw signal.reason;
        throw connectionError(error, { ...facts, secrets });
      }
      const body = parseBody(text, response.headers);
      const requestId = requestIdOf(response.headers);
      emit({
        type: "response",
        platform,
        method,
        url,
        status: response.status,
        durationMs: clock() - started,
        attempt: attemptNumber,
        requestId,
      });
      observe(response.status, response.headers, body);
      const throttled = response.ok ? options.throttledBody?.(body) : undefined;
      if (response.ok && throttled === undefined) {
        return {
          status: response.status,
          headers: response.headers,
          body,
          requestId,
          attempts: attemptNumber,
          sentAt: started,
        };
      }
      throw httpError({
        ...facts,
        secrets,
        status: response.ok ? 429 : response.status,
        headers: response.headers,
        body,
        requestId,
        now: clock(),
        ...(throttled?.retryAfterMs === undefined ? {} : { retryAfterMs: throttled.retryAfterMs }),
      });
    } finally {
      observe(0, new Headers());
    }
  }

  /** The wait before the next attempt, or `undefined` when there must be none. */
  function nextWait(
    error: unknown,
    attemptNumber: number,
    deadline: number | undefined,
  ): { readonly delayMs: number; readonly source: "server" | "backoff" } | undefined {
    if (!isOmnistockError(error) || !error.retryable) return undefined;
    const hint = error.retryAfterMs;
    let wait: { readonly delayMs: number; readonly source: "server" | "backoff" };
    if (hint !== undefined) {
      if (hint > settings.maxRetryAfterMs) return undefined;
      // The platform's wait wins over our backoff; a little jitter spreads the herd.
      const spread = Math.min(SERVER_JITTER.maxMs, hint * SERVER_JITTER.fraction);
      wait = { delayMs: Math.round(hint + random() * spread), source: "server" };
    } else {
      const backoff = Math.min(settings.maxDelayMs, settings.minDelayMs * 2 ** (attemptNumber - 1));
      wait = { delayMs: Math.round(random() * backoff), source: "backoff" };
    }
    // A wait that outlasts the caller's deadline is handed back with the error.
    if (deadline !== undefined && clock() + wait.delayMs >= deadline) return undefined;
    return wait;
  }

  return {
    platform,
    request(request) {
      try {
        checkOptions(requestSchema, request, `${platform} request`);
      } catch (error) {
        return Promise.reject(error);
      }
      const replay = request.replay ?? ((request.method ?? "GET") === "GET" ? "safe" : "unsafe");
      const { signal } = request;
      const deadline = deadlineOf(signal);
      /** The wait decided for the last failed attempt: decided once, then slept and retried. */
      let planned: ReturnType<typeof nextWait>;
      return queue.add(
        () =>
          pRetry((n) => attempt(request, replay, n), {
            retries: request.retries ?? settings.retries,
            // The wait is ours (the platform's first, else backoff with jitter): p-retry adds none.
            minTimeout: 0,
            ...(signal === undefined ? {} : { signal }),
            shouldRetry: () => planned !== undefined,
            onFailedAttempt: async ({ error, attemptNumber, retriesLeft }) => {
              planned = retriesLeft === 0 ? undefined : nextWait(error, attemptNumber, deadline);
              if (planned === undefined || !isOmnistockError(error)) return;
              emit({
                type: "retry",
                platform,
                method: request.method ?? "GET",
                url: describe(request, staticSecrets()),
                attempt: attemptNumber,
                delayMs: planned.delayMs,
                source: planned.source,
                code: error.code,
              });
              await sleep(planned.delayMs, signal);
            },
          }),
        signal === undefined ? {} : { signal },
      ) as Promise<HttpResponse>;
    },
  };
}

interface FailureFacts {
  readonly platform: PlatformName;
  readonly method: string;
  readonly url: string;
  readonly replay: Replay;
  readonly secrets: readonly string[];
}

interface HttpErrorFacts extends FailureFacts {
  readonly status: number;
  readonly headers: Headers;
  readonly body: unknown;
  readonly requestId: string | undefined;
  readonly now: number;
  readonly retryAfterMs?: number;
}

/** The error code of an HTTP status. */
function codeOf(status: number): OmnistockErrorCode {
  if (status === 429) return "RATE_LIMITED";
  if (status === 401 || status === 403) return "AUTH";
  if (status >= 500) return "SERVER";
  return "REQUEST";
}

/** The longest part of an answer's body quoted in an error. */
const BODY_SNIPPET_CHARS = 500;

function httpError(facts: HttpErrorFacts): OmnistockError {
  const { status, headers, platform, replay } = facts;
  const code = codeOf(status);
  const retryAfterMs =
    facts.retryAfterMs ??
    (code === "RATE_LIMITED" || code === "SERVER"
      ? (parseRetryAfter(headers.get("retry-after"), facts.now) ??
        parseRetryAfter(headers.get("x-retry-after"), facts.now) ??
        resetMs(headers) ??
        (code === "RATE_LIMITED"
          ? parseRetryAfter(headers.get("x-ratelimit-reset"), facts.now)
          : undefined))
      : undefined);
  const text = typeof facts.body === "string" ? facts.body : JSON.stringify(facts.body ?? "");
  const snippet = redact(
    text.length > BODY_SNIPPET_CHARS ? `${text.slice(0, BODY_SNIPPET_CHARS)}…` : text,
    facts.secrets,
  );
  // A 429 was refused before anything happened; a 5xx may have been applied.
  const retryable = code === "RATE_LIMITED" || (code === "SERVER" && replay !== "unsafe");
  return new OmnistockError(
    code,
    `${platform} ${facts.method} ${facts.url} → ${status}: ${snippet}`,
    {
      platform,
      status,
      retryable,
      ...(facts.requestId === undefined ? {} : { requestId: facts.requestId }),
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
      details: { method: facts.method, url: facts.url, replay, body: snippet },
    },
  );
}

/** A failure before any answer: the request may or may not have reached the platform. */
function connectionError(error: unknown, facts: FailureFacts): OmnistockError {
  const timedOut = isTimeoutError(error);
  const { platform, method, url, replay } = facts;
  return new OmnistockError(
    timedOut ? "TIMEOUT" : "NETWORK",
    `${platform} ${method} ${url}: ${timedOut ? "no answer in time" : "the connection failed"}`,
    {
      platform,
      retryable: replay !== "unsafe",
      cause: scrubbed(isNetworkError(error) ? (error.cause ?? error) : error, facts.secrets),
      details: { method, url, replay },
    },
  );
}

/** BigCommerce's `X-Rate-Limit-Time-Reset-Ms`: milliseconds until its window resets. */
function resetMs(headers: Headers): number | undefined {
  const ms = numberHeader(headers, "x-rate-limit-time-reset-ms");
  return ms !== undefined && ms >= 0 ? ms : undefined;
}

async function credentials(
  auth: HttpClientOptions["auth"],
  platform: PlatformName,
  secrets: readonly string[],
): Promise<Readonly<Record<string, string>>> {
  if (auth === undefined) return {};
  try {
    return await auth();
  } catch (error) {
    if (isOmnistockError(error)) throw error;
    throw new OmnistockError("AUTH", `${platform}: the credentials could not be obtained`, {
      platform,
      cause: scrubbed(error, secrets),
    });
  }
}

/**
 * The values to scrub from a set of headers: all of them for credentials from `auth`, the
 * credential headers otherwise; a bearer token also bare.
 */
function credentialValues(headers: Readonly<Record<string, string>>, all: boolean): string[] {
  const values: string[] = [];
  for (const [name, value] of Object.entries(headers)) {
    if (!all && !SECRET_HEADERS.has(name.toLowerCase())) continue;
    values.push(value);
    const bearer = /^\s*Bearer\s+(.+)$/i.exec(value)?.[1];
    if (bearer !== undefined) values.push(bearer.trim());
  }
  return values;
}

function requestIdOf(headers: Headers): string | undefined {
  for (const name of REQUEST_ID_HEADERS) {
    const value = headers.get(name);
    if (value !== null && value !== "") return value;
  }
  return undefined;
}

function parseBody(text: string, headers: Headers): unknown {
  if (text === "") return undefined;
  if ((headers.get("content-type") ?? "").toLowerCase().includes("json")) {
    try {
      return JSON.parse(text) as unknown;
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

/** The request as errors and events show it: path and query, credentials scrubbed. */
function describe(request: RequestOptions, secrets: readonly string[]): string {
  const search = request.query === undefined ? "" : toSearchParams(request.query).toString();
  const path = `/${request.path.replace(/^\/+/, "")}`;
  return redact(search === "" ? path : `${path}?${search}`, secrets);
}

function scrubbed(error: unknown, secrets: readonly string[]): Error {
  const message = error instanceof Error ? error.message : String(error);
  const copy = new Error(redact(message, secrets));
  if (error instanceof Error) copy.name = error.name;
  return copy;
}

/** The entries of `values` that are set, for merging over defaults. */
function definedOnly<T extends Record<string, unknown>>(
  values: T,
): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined)) as {
    [K in keyof T]?: Exclude<T[K], undefined>;
  };
}
