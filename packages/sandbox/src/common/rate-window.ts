/**
 * A fixed request window, as Lightspeed and BigCommerce count requests: a quota of
 * requests that starts over once the window has run out.
 */
export class RateWindow {
  #start = 0;
  #used = 0;

  /** @param windowMs How long one window lasts, in milliseconds. */
  constructor(readonly windowMs: number) {}

  /** Requests counted in the current window. */
  get used(): number {
    return this.#used;
  }

  /** When the current window ends, in epoch milliseconds. */
  get endsAt(): number {
    return this.#start + this.windowMs;
  }

  /** Milliseconds until the current window ends, never below 0. */
  resetIn(now: number): number {
    return Math.max(0, this.endsAt - now);
  }

  /** Requests still allowed in the current window, never below 0. */
  left(quota: number): number {
    return Math.max(0, quota - this.#used);
  }

  /** Starts a new window at `now` when the current one has run out. */
  roll(now: number): void {
    if (now >= this.endsAt) {
      this.#start = now;
      this.#used = 0;
    }
  }

  /** Counts one request at `now`; `false` (nothing counted) when the quota is spent. */
  take(now: number, quota: number): boolean {
    this.roll(now);
    if (this.#used >= quota) return false;
    this.#used++;
    return true;
  }
}
