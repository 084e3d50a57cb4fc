/**
 * The error codes every Omnistock package throws with. Stable strings: match on them,
 * never on messages.
 */
export const OmnistockErrorCode = {
  /** Input from outside (config, webhook, API response) failed validation. */
  VALIDATION: "VALIDATION",
  /** Two platform ids, or two listings, claim the same SKU where only one may. */
  MAPPING_DUPLICATE: "MAPPING_DUPLICATE",
  /** A SKU, location or channel is referenced but not mapped. */
  MAPPING_MISSING: "MAPPING_MISSING",
  /** A mapping could resolve to more than one target. */
  MAPPING_AMBIGUOUS: "MAPPING_AMBIGUOUS",
  /** The configuration is internally inconsistent (not a schema error). */
  CONFIG: "CONFIG",
  /** The platform refused the request for its rate limit. */
  RATE_LIMITED: "RATE_LIMITED",
  /** Credentials missing, expired or refused. */
  AUTH: "AUTH",
  /** The platform answered with a server error (5xx). */
  SERVER: "SERVER",
  /** The platform refused the request as invalid (4xx other than auth and rate limit). */
  REQUEST: "REQUEST",
  /** The platform's answer did not have the shape its API promises. */
  BAD_RESPONSE: "BAD_RESPONSE",
  /** The connection failed before an answer came. */
  NETWORK: "NETWORK",
  /** No answer within the time allowed. */
  TIMEOUT: "TIMEOUT",
  /** A compare-and-set write found a different value than expected. */
  CONFLICT: "CONFLICT",
  /** A webhook's signature or timestamp did not verify. */
  SIGNATURE: "SIGNATURE",
  /** The requested thing does not exist. */
  NOT_FOUND: "NOT_FOUND",
  /** A storage backend failed. */
  STORAGE: "STORAGE",
} as const;

/** One of the {@link OmnistockErrorCode} strings. */
export type OmnistockErrorCode = (typeof OmnistockErrorCode)[keyof typeof OmnistockErrorCode];

/**
 * What the sync engine's outbox does with a delivery that failed with an error:
 * - `retry`: back to the outbox with backoff, counting a try; parked after the last try.
 * - `wait`: back to the outbox after the platform's own wait (`retryAfterMs`, else the
 *   first backoff), without counting a try: the platform refused before doing anything.
 * - `park`: parked at once, with an event: trying again cannot help.
 */
export type DispatchAction = "retry" | "wait" | "park";

/** The traits of one {@link OmnistockErrorCode}: see {@link OMNISTOCK_ERROR_TRAITS}. */
export interface OmnistockErrorTraits {
  /**
   * Whether a failure of this kind may pass when tried again. It is the `retryable` of
   * {@link toOmnistockError}'s errors; an error's own `retryable` also says whether
   * sending the same request again is safe, which the transport decides per request.
   */
  readonly retryable: boolean;
  /**
   * The status the sync engine's webhook handler answers a delivery that failed with an
   * error of this code (as retryable as `retryable` says): `400` and `401` are the
   * delivery's own fault, `503` asks the platform to deliver again, `500` is the server's
   * problem. See {@link webhookStatusOf} for the rule per error.
   */
  readonly webhookStatus: 400 | 401 | 500 | 503;
  /** What the outbox does with a delivery that failed so. See {@link dispatchActionOf}. */
  readonly dispatch: DispatchAction;
}

/**
 * The one table of what each {@link OmnistockErrorCode} means to callers: whether it may
 * pass when tried again, the webhook answer's status, and what the outbox does with a
 * failed delivery.
 *
 * Why: the sync engine's dispatch and its webhook handler, and integrators' own code,
 * read the rule here instead of each re-deriving it from codes.
 *
 * Note: a server error, a lost connection and a timeout are retried by the outbox even
 * when the transport did not retry them (an `unsafe` request): the outbox's writes are
 * absolute or idempotent. A `REQUEST` refusal is retried until the last try, since a
 * platform's 4xx may pass (a listing still being created); a `CONFLICT` thrown as an
 * error names no channel value to plan from, so it is parked (a compare-and-set refused
 * as the `stale` outcome is re-planned from the channel's value instead).
 *
 * @example
 * ```ts
 * if (OMNISTOCK_ERROR_TRAITS[error.code].dispatch === "park") alert(error);
 * ```
 */
export const OMNISTOCK_ERROR_TRAITS = {
  VALIDATION: { retryable: false, webhookStatus: 400, dispatch: "park" },
  MAPPING_DUPLICATE: { retryable: false, webhookStatus: 500, dispatch: "park" },
  MAPPING_MISSING: { retryable: false, webhookStatus: 500, dispatch: "park" },
  MAPPING_AMBIGUOUS: { retryable: false, webhookStatus: 500, dispatch: "park" },
  CONFIG: { retryable: false, webhookStatus: 500, dispatch: "park" },
  RATE_LIMITED: { retryable: true, webhookStatus: 503, dispatch: "wait" },
  AUTH: { retryable: false, webhookStatus: 500, dispatch: "park" },
  SERVER: { retryable: true, webhookStatus: 503, dispatch: "retry" },
  REQUEST: { retryable: false, webhookStatus: 500, dispatch: "retry" },
  BAD_RESPONSE: { retryable: false, webhookStatus: 500, dispatch: "park" },
  NETWORK: { retryable: true, webhookStatus: 503, dispatch: "retry" },
  TIMEOUT: { retryable: true, webhookStatus: 503, dispatch: "retry" },
  CONFLICT: { retryable: false, webhookStatus: 500, dispatch: "park" },
  SIGNATURE: { retryable: false, webhookStatus: 401, dispatch: "park" },
  NOT_FOUND: { retryable: false, webhookStatus: 500, dispatch: "park" },
  STORAGE: { retryable: false, webhookStatus: 500, dispatch: "park" },
} as const satisfies Readonly<Record<OmnistockErrorCode, OmnistockErrorTraits>>;

/**
 * A platform Omnistock talks to, named where an error came from it and on every role an
 * adapter plays. The four of Omnistock's own adapters are named, so editors suggest them;
 * any other non-empty name is a platform too, so an adapter of your own needs no change
 * here.
 *
 * Note: `string & {}` rather than `string` keeps the four names suggested while any other
 * is accepted.
 *
 * @example
 * ```ts
 * new OmnistockError("REQUEST", "Etsy refused the listing", { platform: "etsy", status: 400 });
 * ```
 */
export type PlatformName = "lightspeed" | "shopify" | "amazon" | "bigcommerce" | (string & {});

/** One problem found while validating input, with the path of the field at fault. */
export interface ValidationIssue {
  /** Path of the field, e.g. `["channels", 0, "buffer", "percent"]`. */
  readonly path: readonly (string | number)[];
  /** What is wrong with it. */
  readonly message: string;
}

/** Options of {@link OmnistockError}. */
export interface OmnistockErrorOptions {
  /** The underlying error, kept as the standard `cause`. */
  readonly cause?: unknown;
  /**
   * Whether trying the same thing again may succeed.
   * @default false
   */
  readonly retryable?: boolean;
  /** The platform the error came from, where there is one. */
  readonly platform?: PlatformName;
  /** The platform's request id, for its support desk. */
  readonly requestId?: string;
  /** HTTP status, when the error is an HTTP answer. */
  readonly status?: number;
  /** For {@link OmnistockErrorCode.RATE_LIMITED}: milliseconds the platform asked to wait. */
  readonly retryAfterMs?: number;
  /** For validation errors: every field at fault. */
  readonly issues?: readonly ValidationIssue[];
  /** Extra structured facts (SKU, location, ...). Never credentials. */
  readonly details?: Readonly<Record<string, unknown>>;
}

const brand = Symbol.for("omnistock.error");

/**
 * The one error root of Omnistock. Every package throws this class (or a subclass) with a
 * string `code`, so callers can branch on `error.code` and on `retryable`.
 *
 * Note: messages and details never carry credentials; the transport scrubs them before
 * an error is built.
 *
 * @example
 * ```ts
 * try { compileCatalog(config) }
 * catch (error) {
 *   if (isOmnistockError(error, "MAPPING_DUPLICATE")) console.error(error.details)
 * }
 * ```
 */
export class OmnistockError extends Error {
  override readonly name: string = "OmnistockError";
  /** What kind of failure this is. */
  readonly code: OmnistockErrorCode;
  /** Whether trying again may succeed. */
  readonly retryable: boolean;
  /** The platform the error came from, where there is one. */
  readonly platform: PlatformName | undefined;
  /** The platform's request id, where known. */
  readonly requestId: string | undefined;
  /** HTTP status, where the error is an HTTP answer. */
  readonly status: number | undefined;
  /** Milliseconds the platform asked to wait, for rate limits. */
  readonly retryAfterMs: number | undefined;
  /** The fields at fault, for validation errors. */
  readonly issues: readonly ValidationIssue[];
  /** Extra structured facts. */
  readonly details: Readonly<Record<string, unknown>>;

  constructor(code: OmnistockErrorCode, message: string, options: OmnistockErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.retryable = options.retryable ?? false;
    this.platform = options.platform;
    this.requestId = options.requestId;
    this.status = options.status;
    this.retryAfterMs = options.retryAfterMs;
    this.issues = options.issues ?? [];
    this.details = options.details ?? {};
    Object.defineProperty(this, brand, { value: true });
  }
}

/**
 * Whether `value` is an {@link OmnistockError}, optionally of one code. Works across
 * realms and duplicated installs, where `instanceof` does not.
 */
export function isOmnistockError<C extends OmnistockErrorCode>(
  value: unknown,
  code?: C,
): value is OmnistockError & { readonly code: C } {
  if (typeof value !== "object" || value === null) return false;
  if ((value as Record<symbol, unknown>)[brand] !== true) return false;
  return code === undefined || (value as OmnistockError).code === code;
}

/** Renders a field path as `channels[0].buffer.percent`. */
export function formatPath(path: readonly (string | number)[]): string {
  let out = "";
  for (const part of path) {
    out += typeof part === "number" ? `[${part}]` : out === "" ? part : `.${part}`;
  }
  return out === "" ? "(root)" : out;
}

/**
 * Builds a {@link OmnistockErrorCode.VALIDATION} error whose message names every field at
 * fault, e.g. `Invalid webhook: lines[0].quantity: expected a number`.
 */
export function validationError(
  what: string,
  issues: readonly ValidationIssue[],
  options: Omit<OmnistockErrorOptions, "issues"> = {},
): OmnistockError {
  const listed = issues.map((issue) => `${formatPath(issue.path)}: ${issue.message}`).join("; ");
  return new OmnistockError("VALIDATION", `Invalid ${what}: ${listed}`, { ...options, issues });
}

/**
 * What the outbox does with a delivery that failed with `error`: its code's
 * {@link OmnistockErrorTraits.dispatch}, except that an error marked `retryable` is
 * retried where its code alone would be parked (a busy database, a store that may answer
 * in full later).
 *
 * @example
 * ```ts
 * dispatchActionOf(new OmnistockError("STORAGE", "SQLITE_BUSY", { retryable: true })); // "retry"
 * ```
 */
export function dispatchActionOf(error: OmnistockError): DispatchAction {
  const { dispatch } = OMNISTOCK_ERROR_TRAITS[error.code];
  return dispatch === "park" && error.retryable ? "retry" : dispatch;
}

/**
 * The status a webhook answer gives a delivery that failed with `error`: `400` or `401`
 * where its code says the delivery itself is at fault and the error is not a platform's
 * answer (it has no HTTP `status`: a validation error of an API answer read meanwhile is
 * the server's problem); otherwise `503` when the error is `retryable` (the platform
 * delivers again), else `500`.
 *
 * @example
 * ```ts
 * webhookStatusOf(validationError("Shopify webhook", issues)); // 400
 * ```
 */
export function webhookStatusOf(error: OmnistockError): 400 | 401 | 500 | 503 {
  const { webhookStatus } = OMNISTOCK_ERROR_TRAITS[error.code];
  if (webhookStatus < 500 && error.status === undefined) return webhookStatus;
  return error.retryable ? 503 : 500;
}

/** Options of {@link toOmnistockError}. */
export interface ToOmnistockErrorOptions {
  /**
   * The code of the error that wraps a foreign value.
   * @default "SERVER"
   */
  readonly code?: OmnistockErrorCode;
  /**
   * The wrapping error's message.
   * @default "Unexpected <name of the thrown error>"
   */
  readonly message?: string;
  /** The platform the failure came from, where there is one. */
  readonly platform?: PlatformName;
}

/**
 * Wraps anything thrown into an {@link OmnistockError}: an `OmnistockError` (of any realm)
 * is returned as it is; anything else becomes the `cause` of a new error of `code`, as
 * `retryable` as the code's traits say.
 *
 * Why: code that catches `unknown` (a dispatcher, a webhook handler) needs a code and a
 * `retryable` to act on, and must not repeat a foreign error's text: it may quote a
 * token, a connection string or a platform's body. The message names only the thrown
 * value's kind; the value itself stays in `cause` for whoever inspects it deliberately.
 *
 * @example
 * ```ts
 * try { await sink.recordSale(sale) }
 * catch (thrown) {
 *   const error = toOmnistockError(thrown);
 *   if (error.retryable) schedule();
 * }
 * ```
 */
export function toOmnistockError(
  value: unknown,
  options: ToOmnistockErrorOptions = {},
): OmnistockError {
  if (isOmnistockError(value)) return value;
  const code = options.code ?? "SERVER";
  const kind = value instanceof Error ? value.name : typeof value;
  return new OmnistockError(code, options.message ?? `Unexpected ${kind}`, {
    cause: value,
    retryable: OMNISTOCK_ERROR_TRAITS[code].retryable,
    ...(options.platform === undefined ? {} : { platform: options.platform }),
    details: { thrown: kind },
  });
}
