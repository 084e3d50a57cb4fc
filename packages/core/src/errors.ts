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

/** A platform Omnistock talks to, named where an error came from it. */
export type PlatformName = "lightspeed" | "shopify" | "amazon" | "bigcommerce";

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
