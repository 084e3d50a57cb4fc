import { type ValidationIssue, validationError } from "@omnistock/core";

/** What {@link createSqliteStore} uses for each option it is not given. */
export const SQLITE_STORE_DEFAULTS = { busyTimeoutMs: 5_000, synchronous: "full" } as const;

/** Options of {@link createSqliteStore}. */
export interface SqliteStoreOptions {
  /**
   * The database file, created with its schema when missing; `":memory:"` for a database
   * that lives as long as the store (tests).
   * @example "./omnistock.db"
   */
  readonly path: string;
  /**
   * How long a write waits for another connection's transaction to end before it fails
   * with a retryable `STORAGE` error.
   * @default {@link SQLITE_STORE_DEFAULTS}.busyTimeoutMs
   */
  readonly busyTimeoutMs?: number;
  /**
   * When SQLite waits for the disk. `"full"` syncs the write-ahead log on every commit:
   * a committed apply survives a crash of the process and a loss of power. `"normal"`
   * syncs only at checkpoints: a committed apply survives a crash of the process (the
   * operating system still writes it), but a power loss may undo the last commits —
   * never corrupt the file. Choose `"normal"` only when the events can be read again
   * after such a loss (polling cursors, webhooks retried by the platform).
   * @default {@link SQLITE_STORE_DEFAULTS}.synchronous
   */
  readonly synchronous?: "full" | "normal";
}

/** The options with their defaults filled in. */
export interface ResolvedSqliteStoreOptions {
  readonly path: string;
  readonly busyTimeoutMs: number;
  readonly synchronous: "full" | "normal";
}

const KNOWN = new Set(["path", "busyTimeoutMs", "synchronous"]);

/**
 * Checks the options and fills in the defaults. Unknown keys, wrong types and missing
 * required keys are reported together in one `VALIDATION` error naming each field.
 */
export function resolveOptions(input: unknown): ResolvedSqliteStoreOptions {
  const issues: ValidationIssue[] = [];
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    throw validationError("SQLite store options", [{ path: [], message: "expected an object" }]);
  }
  const options = input as Record<string, unknown>;
  for (const key of Object.keys(options)) {
    if (!KNOWN.has(key)) issues.push({ path: [key], message: "unknown option" });
  }
  const {
    path,
    busyTimeoutMs = SQLITE_STORE_DEFAULTS.busyTimeoutMs,
    synchronous = SQLITE_STORE_DEFAULTS.synchronous,
  } = options;
  if (typeof path !== "string" || path === "") {
    issues.push({ path: ["path"], message: "expected a file path (a non-empty string)" });
  }
  if (typeof busyTimeoutMs !== "number" || !Number.isInteger(busyTimeoutMs) || busyTimeoutMs < 0) {
    issues.push({
      path: ["busyTimeoutMs"],
      message: "expected a whole number of milliseconds, 0 or more",
    });
  }
  if (synchronous !== "full" && synchronous !== "normal") {
    issues.push({ path: ["synchronous"], message: 'expected "full" or "normal"' });
  }
  if (issues.length > 0) throw validationError("SQLite store options", issues);
  return {
    path: path as string,
    busyTimeoutMs: busyTimeoutMs as number,
    synchronous: synchronous as "full" | "normal",
  };
}
