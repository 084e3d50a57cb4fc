/**
 * A leaky bucket, as Shopify (query points) and Amazon (requests per operation) limit
 * calls: it holds at most `size` and refills at `ratePerSecond`.
 */
export class TokenBucket {
  #level: number;
  #at: number;

  /** Starts full at `now`. */
  constructor(
    readonly size: number,
    readonly ratePerSecond: number,
    now: number,
  ) {
    this.#level = size;
    this.#at = now;
  }

  /** What the bucket holds, as of the last {@link refill}. */
  get level(): number {
    return this.#level;
  }

  /** Adds what the time since the last refill restored, up to the size. */
  refill(now: number): void {
    this.#level = Math.min(this.size, this.#level + ((now - this.#at) / 1000) * this.ratePerSecond);
    this.#at = now;
  }

  /** Takes `amount` out (the caller checked {@link level}). */
  spend(amount: number): void {
    this.#level -= amount;
  }
}
