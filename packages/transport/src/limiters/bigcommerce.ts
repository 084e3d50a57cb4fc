import { z } from "zod";
import { numberHeader } from "../headers.js";
import {
  BaseLimiter,
  type LimiterTimeOptions,
  type RateBudget,
  type RateLimiter,
  type RateObservation,
  SlidingWindow,
} from "../limiter.js";
import { checkOptions, limiterTime, milliseconds } from "../options.js";
import { parseRetryAfter } from "../retry-after.js";

/**
 * BigCommerce's quota on the Standard and Plus plans, which {@link createBigCommerceLimiter}
 * assumes until the store reports its own: 150 requests per 30 seconds.
 */
export const BIGCOMMERCE_QUOTA = { quota: 150, windowMs: 30_000 } as const;

/** Options of {@link createBigCommerceLimiter}. */
export interface BigCommerceLimiterOptions extends LimiterTimeOptions {
  /**
   * Requests per window: the plan's quota (150 on Standard and Plus, 450 on Pro) until the
   * store reports it in `X-Rate-Limit-Requests-Quota`.
   * @default {@link BIGCOMMERCE_QUOTA}.quota
   */
  readonly quota?: number;
  /**
   * The window, in milliseconds, until the store reports it in `X-Rate-Limit-Time-Window-Ms`.
   * @default {@link BIGCOMMERCE_QUOTA}.windowMs
   */
  readonly windowMs?: number;
}

/**
 * What a 429 with no reset hint waits, in milliseconds: BigCommerce answers so when it
 * sheds load for the store, and asks only to retry later.
 */
const FALLBACK_BLOCK_MS = 1_000;

const schema = z.strictObject({
  ...limiterTime,
  quota: z.number().int().min(1).optional(),
  windowMs: milliseconds.min(1).optional(),
});

class BigCommerceLimiter extends BaseLimiter {
  readonly platform = "bigcommerce" as const;
  readonly #window: SlidingWindow;
  /** What the store says is left (shared with its other apps), until `#serverResetAt`. */
  #serverLeft: number | undefined;
  #serverResetAt = 0;

  constructor(options: BigCommerceLimiterOptions) {
    super(options);
    this.#window = new SlidingWindow(
      options.quota ?? BIGCOMMERCE_QUOTA.quota,
      options.windowMs ?? BIGCOMMERCE_QUOTA.windowMs,
    );
  }

  #serverWait(cost: number, now: number): number {
    if (this.#serverLeft === undefined || now >= this.#serverResetAt) return 0;
    return this.#serverLeft >= cost ? 0 : this.#serverResetAt - now;
  }

  protected waitFor(cost: number, now: number): number {
    return Math.max(this.#window.waitFor(cost, now), this.#serverWait(cost, now));
  }

  protected spend(cost: number, now: number): void {
    this.#window.spend(cost, now);
    if (this.#serverLeft !== undefined && now < this.#serverResetAt) this.#serverLeft -= cost;
  }

  protected rawBudget(now: number): Pick<RateBudget, "limit" | "remaining" | "nextInMs"> {
    const local = this.#window.limit - this.#window.used(now);
    const server =
      this.#serverLeft !== undefined && now < this.#serverResetAt ? this.#serverLeft : local;
    return {
      limit: this.#window.limit,
      remaining: Math.min(local, server),
      nextInMs: this.waitFor(1, now),
    };
  }

  protected learn({ status, headers }: RateObservation, now: number, inFlight: number): void {
    const quota = numberHeader(headers, "x-rate-limit-requests-quota");
    if (quota !== undefined && Number.isInteger(quota) && quota > 0) this.#window.limit = quota;
    const windowMs = numberHeader(headers, "x-rate-limit-time-window-ms");
    if (windowMs !== undefined && windowMs > 0) this.#window.windowMs = windowMs;
    const left = numberHeader(headers, "x-rate-limit-requests-left");
    const resetMs = numberHeader(headers, "x-rate-limit-time-reset-ms");
    if (left !== undefined && resetMs !== undefined) {
      // The quota is shared with the store's other apps: what the store says is left wins.
      // Within a window we count our own requests down from the first report, so a later
      // one (perhaps older than answers already read) only lowers what is left; the first
      // report of a window does not know of the requests still on their way.
      if (this.#serverLeft !== undefined && now < this.#serverResetAt) {
        this.#serverLeft = Math.min(this.#serverLeft, left);
      } else {
        this.#serverLeft = Math.max(0, left - inFlight);
        this.#serverResetAt = now + Math.max(0, resetMs);
      }
    }
    if (status === 429) {
      const wait =
        (resetMs === undefined ? undefined : Math.max(0, resetMs)) ??
        parseRetryAfter(headers.get("x-retry-after"), now) ??
        parseRetryAfter(headers.get("retry-after"), now) ??
        FALLBACK_BLOCK_MS;
      this.block(now + wait);
    }
  }
}

/**
 * Creates the BigCommerce limiter: the plan's quota per window (150 per 30 s by default)
 * as a sliding window, kept in step with `X-Rate-Limit-Requests-Quota`,
 * `-Requests-Left`, `-Time-Window-Ms` and `-Time-Reset-Ms`. The quota belongs to the
 * store and is shared with its other apps, so the store's count of what is left wins over
 * ours until its window resets; a 429 stops everything until then.
 *
 * @throws {@link OmnistockError} `VALIDATION` naming every unknown or invalid option.
 * @example
 * ```ts
 * const limiter = createBigCommerceLimiter({ quota: 450 }); // Pro plan
 * await limiter.acquire();
 * ```
 */
export function createBigCommerceLimiter(options: BigCommerceLimiterOptions = {}): RateLimiter {
  checkOptions(schema, options, "BigCommerce limiter options");
  return new BigCommerceLimiter(options);
}
