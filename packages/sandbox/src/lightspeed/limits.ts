import { json } from "../common/http.js";
import { RateWindow } from "../common/rate-window.js";

/** Lightspeed's window: 300 × registers + 50 requests per five minutes. */
const WINDOW_MS = 300_000;

/** Lightspeed's request limit: a fixed window whose size grows with the registers. */
export interface LightspeedLimits {
  /** Counts one request at `now`; `false` when the window's limit is spent. */
  take(now: number): boolean;
  /** The `x-ratelimit-*` headers of an admitted request. */
  headers(): Record<string, string>;
  /** Lightspeed's own 429, as of `now`. */
  refusal(now: number): Response;
}

/** Creates the limit of 300 × `registers()` (at least one) + 50 per five minutes. */
export function createLightspeedLimits(registers: () => number): LightspeedLimits {
  const window = new RateWindow(WINDOW_MS);
  const limit = () => 300 * Math.max(1, registers()) + 50;
  return {
    take: (now) => window.take(now, limit()),
    headers: () => ({
      "x-ratelimit-limit": String(limit()),
      "x-ratelimit-remaining": String(window.left(limit())),
    }),
    refusal(now) {
      // A window that ran out with no request since starts now: a refusal always names a
      // reset still to come, never one already past.
      window.roll(now);
      // An HTTP date has whole seconds: rounded up, so that a client that waits until the
      // date is never refused again for the same window.
      const reset = new Date(Math.ceil(window.endsAt / 1000) * 1000).toUTCString();
      return json(
        429,
        { error: "Too Many Requests", message: "Rate limiting enforced" },
        {
          "retry-after": reset,
          "x-ratelimit-limit": String(limit()),
          "x-ratelimit-remaining": "0",
        },
      );
    },
  };
}
