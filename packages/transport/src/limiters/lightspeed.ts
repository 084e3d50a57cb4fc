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
import { checkOptions, limiterTime } from "../options.js";
import { parseRetryAfter } from "../retry-after.js";

/** Options of {@link createLightspeedLimiter}. */
export interface LightspeedLimiterOptions extends LimiterTimeOptions {
  /**
   * Registers on the store: Lightspeed X-Series allows 300 × registers + 50 requests per
   * five minutes, per retailer and application.
   * @default 1
   */
  readonly registers?: number;
}

/** Lightspeed X-Series' rate-limit window, in milliseconds (five minutes). */
export const LIGHTSPEED_WINDOW_MS = 300_000;

/**
 * What a 429 with no readable `Retry-After` waits before the next try, in milliseconds.
 * Lightspeed always sends one; this only guards against a proxy that drops it.
 */
const FALLBACK_BLOCK_MS = 1_000;

const schema = z.strictObject({
  ...limiterTime,
  registers: z.number().int().min(1).optional(),
});

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

  protected rawBudget(now: number): Pick<RateBudget, "limit" | "remaining" | "nextInMs"> {
    const limit = this.#window.limit;
    return {
      limit,
      remaining: limit - this.#window.used(now),
      nextInMs: this.#window.waitFor(1, now),
    };
  }

  protected learn({ status, headers }: RateObservation, now: number): void {
    // The store's own limit and count, where it reports them, win over our estimate: other
    // processes of the same application spend the same budget. Our window already holds
    // every request we sent, so the store's count only adds what was spent elsewhere.
    const limit = numberHeader(headers, "x-ratelimit-limit");
    if (limit !== undefined && Number.isInteger(limit) && limit > 0) this.#window.limit = limit;
    const remaining = numberHeader(headers, "x-ratelimit-remaining");
    if (remaining !== undefined) {
      this.#window.reserve(this.#window.limit - Math.max(0, remaining), now);
    }
    if (status === 429) {
      const wait =
        parseRetryAfter(headers.get("retry-after"), now) ??
        parseRetryAfter(headers.get("x-ratelimit-reset"), now) ??
        FALLBACK_BLOCK_MS;
      this.block(now + wait);
    }
  }
}

/**
 * Creates the Lightspeed X-Series limiter: a sliding window of 300 × registers + 50
 * requests in any five minutes, kept in step with `X-RateLimit-Limit` and
 * `X-RateLimit-Remaining`, stopping entirely for the `Retry-After` (an HTTP date) of a 429 —
 * Lightspeed lets nothing through until its window resets.
 *
 * @throws {@link OmnistockError} `VALIDATION` naming every unknown or invalid option.
 * @example
 * ```ts
 * const limiter = createLightspeedLimiter({ registers: 3 }); // 950 requests per 5 minutes
 * await limiter.acquire();
 * ```
 */
export function createLightspeedLimiter(options: LightspeedLimiterOptions = {}): RateLimiter {
  checkOptions(schema, options, "Lightspeed limiter options");
  return new LightspeedLimiter(options);
}
