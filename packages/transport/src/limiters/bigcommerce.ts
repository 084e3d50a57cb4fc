import {
  BaseLimiter,
  type LimiterTimeOptions,
  type RateBudget,
  type RateObservation,
  SlidingWindow,
} from "../limiter.js";
import { parseRetryAfter } from "../retry-after.js";

/** Options of {@link createBigCommerceLimiter}. */
export interface BigCommerceLimiterOptions extends LimiterTimeOptions {
  /**
   * Requests per window (the plan's quota; 150 on the standard plan).
   * @default 150
   */
  readonly quota?: number;
  /**
   * The window, in milliseconds.
   * @default 30000
   */
  readonly windowMs?: number;
}

class BigCommerceLimiter extends BaseLimiter {
  readonly platform = "bigcommerce" as const;
  readonly #window: SlidingWindow;
  /** What the store says is left (shared with its other apps), until `#serverResetAt`. */
  #serverLeft: number | undefined;
  #serverResetAt = 0;

  constructor(options: BigCommerceLimiterOptions) {
    super(options);
    this.#window = new SlidingWindow(options.quota ?? 150, options.windowMs ?? 30_000);
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

  protected rawBudget(now: number): Omit<RateBudget, "blockedUntil"> {
    const local = Math.max(0, this.#window.limit - this.#window.used(now));
    const server =
      this.#serverLeft !== undefined && now < this.#serverResetAt ? this.#serverLeft : local;
    return {
      platform: this.platform,
      limit: this.#window.limit,
      remaining: Math.max(0, Math.min(local, server)),
      nextInMs: this.waitFor(1, now),
    };
  }

  observe({ status, headers }: RateObservation): void {
    const now = this.clock();
    const quota = Number(headers.get("x-rate-limit-requests-quota"));
    if (Number.isInteger(quota) && quota > 0) this.#window.limit = quota;
    const left = headers.get("x-rate-limit-requests-left");
    const resetMs = Number(headers.get("x-rate-limit-time-reset-ms"));
    if (left !== null && Number.isFinite(Number(left)) && Number.isFinite(resetMs)) {
      // The quota is shared with the store's other apps: what the store says is left wins.
      this.#serverLeft = Number(left);
      this.#serverResetAt = now + Math.max(0, resetMs);
    }
    if (status === 429) {
      const wait = Number.isFinite(resetMs)
        ? Math.max(0, resetMs)
        : parseRetryAfter(headers.get("retry-after"), now);
      this.block(now + (wait ?? 1000));
    }
  }
}

/**
 * The BigCommerce limiter: the plan's quota per window (150 per 30 s by default) as a
 * sliding window, and what the store reports in `X-Rate-Limit-Requests-Quota`,
 * `-Requests-Left`, `-Time-Window-Ms` and `-Time-Reset-Ms` — the quota is shared with the
 * store's other apps, so its count of what is left wins over ours.
 */
export function createBigCommerceLimiter(options: BigCommerceLimiterOptions = {}): BaseLimiter {
  return new BigCommerceLimiter(options);
}
