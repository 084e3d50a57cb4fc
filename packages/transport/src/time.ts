/**
 * The time source, in epoch milliseconds. Injectable so that tests and simulations control
 * time (see {@link createVirtualTime}).
 *
 * @example
 * ```ts
 * const clock: Clock = () => Date.now();
 * ```
 */
export type Clock = () => number;

/**
 * Waits `ms` milliseconds, or rejects with the signal's reason when it aborts first.
 * Injectable with the {@link Clock}, and must follow it: after `sleep(ms)` the clock has
 * moved on by at least `ms`.
 *
 * @example
 * ```ts
 * await systemSleep(250, AbortSignal.timeout(1_000));
 * ```
 */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

/**
 * The real clock.
 *
 * @example
 * ```ts
 * createShopifyLimiter({ clock: systemClock }); // the default
 * ```
 */
export const systemClock: Clock = () => Date.now();

/** The longest a timer can wait, in milliseconds (about 24.8 days). */
const MAX_TIMER_MS = 2_147_483_647;

/**
 * A real timer that an AbortSignal can cut short. Waits longer than a timer can hold
 * resolve early, at its limit.
 *
 * @example
 * ```ts
 * await systemSleep(1_000, signal); // rejects with signal.reason if it aborts first
 * ```
 */
export const systemSleep: Sleep = (ms, signal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(
      () => {
        signal?.removeEventListener("abort", onAbort);
        resolve();
      },
      // A longer wait would overflow the timer and fire at once; the caller looks again.
      Math.min(MAX_TIMER_MS, Math.max(0, ms)),
    );
    signal?.addEventListener("abort", onAbort, { once: true });
  });
