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

/**
 * The key under which an `AbortSignal` carries its caller's deadline: `Symbol.for`, so that
 * a caller that does not depend on this package (the sync engine) can set it too.
 */
const DEADLINE = Symbol.for("omnistock.deadline");

/**
 * Marks a signal with the time (epoch ms, on the clock the client is given) by which the
 * caller needs the call done, and returns it.
 *
 * Why: a caller that holds a lease (the sync engine's outbox) must not have a client sit
 * on a platform's `Retry-After` past the lease, or another worker may take the same work
 * meanwhile. With a deadline on its signal, the client never starts a wait that would end
 * after it: it gives up at once with the error (a `RATE_LIMITED` one carries the wait in
 * `retryAfterMs`), so the caller can come back later. The caller still aborts the signal at
 * the deadline; the mark only spares it waits that could never finish in time.
 *
 * @example
 * ```ts
 * const controller = new AbortController();
 * const signal = withDeadline(controller.signal, Date.now() + 55_000);
 * await client.request({ path: "/api/2.0/outlets", signal });
 * ```
 */
export function withDeadline(signal: AbortSignal, deadline: number): AbortSignal {
  Object.defineProperty(signal, DEADLINE, { value: deadline, configurable: true });
  return signal;
}

/**
 * The deadline a signal carries (see {@link withDeadline}), or `undefined`.
 *
 * @example
 * ```ts
 * deadlineOf(withDeadline(new AbortController().signal, 1_000)); // 1000
 * ```
 */
export function deadlineOf(signal: AbortSignal | undefined): number | undefined {
  const value: unknown = (signal as { [DEADLINE]?: unknown } | undefined)?.[DEADLINE];
  return typeof value === "number" && Number.isFinite(value) ? value : undefined;
}
