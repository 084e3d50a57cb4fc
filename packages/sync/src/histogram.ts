/**
 * A latency histogram with fixed log-linear buckets: 1 ms wide up to 1 s, then 1 % wide
 * up to about 10 minutes. Recording is O(1) and memory is constant, so it can run for the
 * life of a process; percentiles are exact to the bucket (at most 1 % off above 1 s).
 */
export class LatencyHistogram {
  static readonly #linear = 1000;
  static readonly #growth = Math.log(1.01);
  readonly #counts = new Float64Array(LatencyHistogram.#linear + 700);
  #count = 0;
  #sum = 0;
  #max = 0;

  /** Records one latency in milliseconds (negative values count as 0). */
  record(ms: number): void {
    const value = Math.max(0, ms);
    const index =
      value < LatencyHistogram.#linear
        ? Math.floor(value)
        : Math.min(
            this.#counts.length - 1,
            LatencyHistogram.#linear +
              Math.floor(Math.log(value / LatencyHistogram.#linear) / LatencyHistogram.#growth),
          );
    this.#counts[index] = (this.#counts[index] as number) + 1;
    this.#count++;
    this.#sum += value;
    if (value > this.#max) this.#max = value;
  }

  /** How many latencies were recorded. */
  get count(): number {
    return this.#count;
  }

  /** The mean in milliseconds (0 when empty). */
  get mean(): number {
    return this.#count === 0 ? 0 : this.#sum / this.#count;
  }

  /** The largest latency recorded. */
  get max(): number {
    return this.#max;
  }

  /**
   * The latency below which a share `q` (0–1) of the recordings fall: the upper edge of
   * the bucket that holds it, capped at the maximum seen. 0 when empty.
   */
  percentile(q: number): number {
    if (this.#count === 0) return 0;
    const rank = Math.max(1, Math.ceil(Math.min(1, Math.max(0, q)) * this.#count));
    let seen = 0;
    for (let i = 0; i < this.#counts.length; i++) {
      seen += this.#counts[i] as number;
      if (seen >= rank) return Math.min(this.#max, LatencyHistogram.#upperEdge(i));
    }
    return this.#max;
  }

  /** Adds another histogram's recordings to this one. */
  merge(other: LatencyHistogram): void {
    for (let i = 0; i < this.#counts.length; i++)
      this.#counts[i] = (this.#counts[i] as number) + (other.#counts[i] as number);
    this.#count += other.#count;
    this.#sum += other.#sum;
    this.#max = Math.max(this.#max, other.#max);
  }

  static #upperEdge(index: number): number {
    if (index < LatencyHistogram.#linear) return index + 1;
    return (
      LatencyHistogram.#linear *
      Math.exp((index - LatencyHistogram.#linear + 1) * LatencyHistogram.#growth)
    );
  }
}
