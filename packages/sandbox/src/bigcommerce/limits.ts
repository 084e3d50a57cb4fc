import { RateWindow } from "../common/rate-window.js";
import { problem } from "./answers.js";

/** BigCommerce's request quota: a fixed window with the `x-rate-limit-*` headers. */
export interface BigCommerceLimits {
  /** Counts one request at `now`; `false` when the window's quota is spent. */
  take(now: number): boolean;
  /** The quota headers as of `now`. */
  headers(now: number): Record<string, string>;
  /** BigCommerce's own 429, as of `now`. */
  refusal(now: number): Response;
}

/** Creates the quota of `quota` requests per `windowMs`. */
export function createBigCommerceLimits(quota: number, windowMs: number): BigCommerceLimits {
  const window = new RateWindow(windowMs);
  const headers = (now: number) => ({
    "x-rate-limit-time-window-ms": String(windowMs),
    "x-rate-limit-time-reset-ms": String(window.resetIn(now)),
    "x-rate-limit-requests-quota": String(quota),
    "x-rate-limit-requests-left": String(window.left(quota)),
  });
  return {
    take: (now) => window.take(now, quota),
    headers,
    refusal(now) {
      const response = problem(429, "Too Many Requests");
      for (const [name, value] of Object.entries(headers(now))) response.headers.set(name, value);
      response.headers.set("x-retry-after", String(Math.ceil(window.resetIn(now) / 1000)));
      return response;
    },
  };
}
