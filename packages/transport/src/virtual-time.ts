import type { Clock, Sleep } from "./time.js";

/** A clock and a sleep that only move when told to: see {@link createVirtualTime}. */
export interface VirtualTime {
  /** The virtual now, in epoch milliseconds. */
  readonly clock: Clock;
  /** Waits in virtual time: resolves when the clock passes the deadline, rejects on abort. */
  readonly sleep: Sleep;
  /** Moves the clock forward by `ms`, waking every sleeper whose deadline has come. */
  advance(ms: number): Promise<void>;
  /**
   * Runs the clock forward, one deadline at a time, until `promise` settles; returns its
   * result. Hours of waiting take microseconds.
   *
   * @throws `Error` when nothing is left to wait for and `promise` still has not settled.
   */
  run<T>(promise: Promise<T>): Promise<T>;
  /** Sleepers still waiting. */
  readonly sleepers: number;
}

interface Sleeper {
  readonly at: number;
  readonly wake: () => void;
}

/** Lets every promise callback that is ready run before time moves on. */
function settleCallbacks(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * Creates virtual time for limiters and clients: inject its `clock` and `sleep`, then
 * `run` the work. Rate limits of five minutes are simulated instantly and exactly, which is
 * how the property tests check that no limiter lets more through than its budget.
 *
 * @param start - The initial clock, epoch ms.
 * @example
 * ```ts
 * const time = createVirtualTime();
 * const limiter = createLightspeedLimiter({ clock: time.clock, sleep: time.sleep });
 * await time.run(Promise.all(Array.from({ length: 400 }, () => limiter.acquire())));
 * time.clock(); // 5 minutes later than it started
 * ```
 */
export function createVirtualTime(start = Date.UTC(2026, 0, 1)): VirtualTime {
  let now = start;
  let sleepers: Sleeper[] = [];

  const wakeDue = () => {
    const due = sleepers.filter((sleeper) => sleeper.at <= now);
    if (due.length === 0) return;
    sleepers = sleepers.filter((sleeper) => sleeper.at > now);
    for (const sleeper of due) sleeper.wake();
  };

  const sleep: Sleep = (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      const onAbort = () => {
        sleepers = sleepers.filter((sleeper) => sleeper !== entry);
        reject(signal?.reason);
      };
      const entry: Sleeper = {
        at: now + Math.max(0, ms),
        wake: () => {
          signal?.removeEventListener("abort", onAbort);
          resolve();
        },
      };
      sleepers.push(entry);
      signal?.addEventListener("abort", onAbort, { once: true });
    });

  return {
    clock: () => now,
    sleep,
    async advance(ms) {
      const until = now + ms;
      for (;;) {
        await settleCallbacks();
        const next = sleepers.reduce((soonest, s) => Math.min(soonest, s.at), Infinity);
        if (next > until) break;
        now = Math.max(now, next);
        wakeDue();
      }
      now = until;
      await settleCallbacks();
    },
    async run(promise) {
      let settled = false;
      const watched = promise.finally(() => {
        settled = true;
      });
      watched.catch(() => undefined);
      for (;;) {
        await settleCallbacks();
        if (settled) return watched;
        if (sleepers.length === 0) {
          throw new Error("Virtual time: nothing left to wait for, and the work has not finished");
        }
        now = Math.max(now, Math.min(...sleepers.map((sleeper) => sleeper.at)));
        wakeDue();
      }
    },
    get sleepers() {
      return sleepers.length;
    },
  };
}
