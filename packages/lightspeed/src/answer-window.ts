import type { RateLimiter, Sleep } from "@omnistock/transport";

/** Options of {@link countUntilAnswered}. */
interface AnswerWindowOptions {
  /** Requests allowed in any window. */
  readonly limit: number;
  readonly windowMs: number;
  readonly clock: () => number;
  readonly sleep: Sleep;
}

/**
 * Wraps a limiter so that a request also counts from the moment it is sent until one
 * window after its answer.
 *
 * Why: the transport's window counts a request from the moment it is granted, but
 * Lightspeed counts it when it arrives, in a fixed window that starts with the first
 * request after the last one ended. A request that took longer to arrive than the one that
 * frees its slot would land in the store's old window and be refused. Its answer comes
 * after it arrived, so counting from the answer is never early.
 */
export function countUntilAnswered(inner: RateLimiter, options: AnswerWindowOptions): RateLimiter {
  const { limit, windowMs, clock, sleep } = options;
  /** When each answered request was answered, oldest first. */
  const answered: number[] = [];
  let inFlight = 0;

  const forget = (now: number) => {
    let drop = 0;
    while (drop < answered.length && (answered[drop] as number) <= now - windowMs) drop++;
    if (drop > 0) answered.splice(0, drop);
  };
  /** Milliseconds until `cost` more may be sent (0: now). */
  const waitFor = (cost: number, now: number) => {
    forget(now);
    const over = answered.length + inFlight + Math.ceil(cost) - limit;
    if (over <= 0) return 0;
    const freeing = answered[over - 1];
    // Everything is in flight: one answer is due first; look again a little later.
    return freeing === undefined ? 50 : freeing + windowMs - now;
  };

  return {
    platform: inner.platform,
    async acquire(cost = 1, acquireOptions = {}) {
      await inner.acquire(cost, acquireOptions);
      for (;;) {
        const wait = waitFor(cost, clock());
        if (wait <= 0) break;
        await sleep(wait, acquireOptions.signal);
      }
      inFlight += Math.ceil(cost);
    },
    tryAcquire(cost = 1, tryOptions = {}) {
      if (waitFor(cost, clock()) > 0 || !inner.tryAcquire(cost, tryOptions)) return false;
      inFlight += Math.ceil(cost);
      return true;
    },
    observe(observation) {
      inner.observe(observation);
      const units = Math.ceil(observation.cost ?? 1);
      inFlight = Math.max(0, inFlight - units);
      const now = clock();
      for (let i = 0; i < units; i++) answered.push(now);
    },
    budget: (operation) => inner.budget(operation),
    onThrottled: (listener) => inner.onThrottled(listener),
  };
}
