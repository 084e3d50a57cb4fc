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

/**
 * What the store counted that our own window does not hold: requests of other processes
 * of the same application, or a 429's "nothing left", until the store's window ends.
 */
interface SpentElsewhere {
  readonly units: number;
  /** When the store's count stops holding (epoch ms). */
  readonly until: number;
}

class LightspeedLimiter extends BaseLimiter {
  readonly platform = "lightspeed" as const;
  /** Our own requests. */
  readonly #window: SlidingWindow;
  /** The store's newest count, beyond our own; replaced by every newer one. */
  #elsewhere: SpentElsewhere | undefined;

  constructor(options: LightspeedLimiterOptions) {
    super(options);
    this.#window = new SlidingWindow(300 * (options.registers ?? 1) + 50, LIGHTSPEED_WINDOW_MS);
  }

  /** Units the store counted beyond ours, at `now`. */
  #elsewhereAt(now: number): SpentElsewhere | undefined {
    const elsewhere = this.#elsewhere;
    return elsewhere !== undefined && elsewhere.until > now && elsewhere.units > 0
      ? elsewhere
      : undefined;
  }

  protected waitFor(cost: number, now: number): number {
    const elsewhere = this.#elsewhereAt(now);
    if (elsewhere === undefined) return this.#window.waitFor(cost, now);
    // Either our own requests expire enough to make room beside what was spent elsewhere,
    // or that count stops holding and our own must make room for the cost alone.
    const beside = this.#window.waitFor(cost + elsewhere.units, now);
    const after = Math.max(elsewhere.until - now, this.#window.waitFor(cost, now));
    return Math.min(beside, after);
  }

  protected spend(cost: number, now: number): void {
    this.#window.spend(cost, now);
  }

  protected rawBudget(now: number): Pick<RateBudget, "limit" | "remaining" | "nextInMs"> {
    const limit = this.#window.limit;
    return {
      limit,
      remaining: limit - this.#window.used(now) - (this.#elsewhereAt(now)?.units ?? 0),
      nextInMs: this.waitFor(1, now),
    };
  }

  protected learn({ status, headers }: RateObservation, now: number, inFlight: number): void {
    const limit = numberHeader(headers, "x-ratelimit-limit");
    if (limit !== undefined && Number.isInteger(limit) && limit > 0) this.#window.limit = limit;
    const wait =
      status === 429
        ? (parseRetryAfter(headers.get("retry-after"), now) ??
          parseRetryAfter(headers.get("x-ratelimit-reset"), now) ??
          FALLBACK_BLOCK_MS)
        : undefined;
    const remaining = numberHeader(headers, "x-ratelimit-remaining");
    if (remaining !== undefined) {
      // The store's own count wins over our estimate: other processes of the application
      // spend the same budget. It has not seen the requests still in flight, and what it
      // counted beyond our own window was spent elsewhere. Each answer replaces the count
      // of the one before: once the store's window resets, its "nothing left" no longer
      // holds. A 429's holds until its Retry-After (the store's reset); any other is taken
      // as spent now, the cautious guess, for a whole window.
      const spent = this.#window.limit - Math.max(0, remaining) + inFlight;
      this.#elsewhere = {
        units: Math.max(0, spent - this.#window.used(now)),
        until: now + (wait ?? LIGHTSPEED_WINDOW_MS),
      };
    }
    if (wait !== undefined) this.block(now + wait);
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
