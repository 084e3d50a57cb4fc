import {
  BaseLimiter,
  type LimiterTimeOptions,
  type RateBudget,
  type RateObservation,
  SlidingWindow,
} from "../limiter.js";
import { parseRetryAfter } from "../retry-after.js";

/** Options of {@link createLightspeedLimiter}. */
export interface LightspeedLimiterOptions extends LimiterTimeOptions {
  /**
   * Registers on the store: Lightspeed X-Series allows 300 × registers + 50 requests per
   * five minutes.
   * @default 1
   */
  readonly registers?: number;
}

/** Lightspeed's window, in milliseconds (five minutes). */
export const LIGHTSPEED_WINDOW_MS = 300_000;

class LightspeedLimiter extends BaseLimiter {
  readonly platform = "lightspeed" as const;
  readonly #window: SlidingWindow;

  constructor(options: LightspeedLimiterOptions) {
    super(options);
    this.#window = new SlidingWindow(300 * (options.registers ?? 1) + 50, LIGHTSPEED_WINDOW_MS);
  }

  protected waitFor(cost: number, now: number): number {
    return this.#window.waitFor(cost, now);
  }

  protected spend(cost: number, now: number): void {
    this.#window.spend(cost, now);
  }

  protected rawBudget(now: number): Omit<RateBudget, "blockedUntil"> {
    const limit = this.#window.limit;
    return {
      platform: this.platform,
      limit,
      remaining: Math.max(0, limit - this.#window.used(now)),
      nextInMs: this.#window.waitFor(1, now),
    };
  }

  observe({ status, headers }: RateObservation): void {
    const now = this.clock();
    // The store's own limit, where the platform reports it, wins over our estimate.
    const limit = Number(headers.get("x-ratelimit-limit"));
    if (Number.isInteger(limit) && limit > 0) this.#window.limit = limit;
    if (status === 429) {
      const wait =
        parseRetryAfter(headers.get("retry-after"), now) ??
        parseRetryAfter(headers.get("x-ratelimit-reset"), now);
      this.block(now + (wait ?? 1000));
    }
  }
}

/**
 * The Lightspeed X-Series limiter: a sliding window of 300 × registers + 50 requests per
 * five minutes, kept in step with `X-RateLimit-Limit`, stopping entirely for the
 * `Retry-After` (an HTTP date) of a 429.
 *
 * @example
 * ```ts
 * const limiter = createLightspeedLimiter({ registers: 3 }); // 950 per 5 minutes
 * await limiter.acquire();
 * ```
 */
export function createLightspeedLimiter(options: LightspeedLimiterOptions = {}): BaseLimiter {
  return new LightspeedLimiter(options);
}
