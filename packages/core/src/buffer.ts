/**
 * How much of a pool a channel holds back, so that two channels selling the same last
 * unit at once do not oversell. Every field is optional; rules combine in the order
 * floor → percent → units → cap.
 *
 * @example
 * ```ts
 * // 20 units with a 15 % buffer show 17.
 * applyBuffer(20, { percent: 15 }).quantity // 17
 * ```
 */
export interface BufferRule {
  /**
   * Percent of the pool held back. The shown quantity is rounded down, so the buffer is
   * never smaller than the percent asks.
   * @default 0
   */
  readonly percent?: number;
  /**
   * Units held back after the percent.
   * @default 0
   */
  readonly units?: number;
  /**
   * A pool below this shows zero: the last units are kept for the store.
   * @default 0
   */
  readonly floor?: number;
  /** The most the channel ever shows. */
  readonly cap?: number;
}

/** A different rule for when stock runs low. */
export interface LowStockTier {
  /** The tier applies while the pool is below this many units. */
  readonly below: number;
  /** The rule used instead of the channel's default while it applies. */
  readonly buffer: BufferRule;
}

/** What {@link applyBuffer} did, for the "why" of a number. */
export interface BufferOutcome {
  /** The quantity to show. */
  readonly quantity: number;
  /** Which rule applied. */
  readonly tier: "default" | "low-stock";
  /** Units held back in all. */
  readonly withheld: number;
  /** Whether the floor turned the pool into zero. */
  readonly floored: boolean;
  /** Whether the cap lowered the quantity. */
  readonly capped: boolean;
}

/**
 * Turns a pool (units the channel may draw on) into the quantity it shows. Never
 * negative, never above the pool.
 */
export function applyBuffer(
  pool: number,
  rule: BufferRule = {},
  lowStock?: LowStockTier,
): BufferOutcome {
  const start = Math.max(pool, 0);
  const tier = lowStock !== undefined && start < lowStock.below ? "low-stock" : "default";
  const { cap, ...uncappedRule } = tier === "low-stock" ? (lowStock as LowStockTier).buffer : rule;
  const uncapped = bufferedQuantity(start, uncappedRule, undefined);
  const capped = cap !== undefined && uncapped > cap;
  const quantity = capped ? cap : uncapped;
  const floored = uncappedRule.floor !== undefined && start < uncappedRule.floor;
  return { quantity, tier, withheld: start - quantity, floored, capped };
}

/** {@link applyBuffer}'s quantity alone, with no outcome object: the hot path. */
export function bufferedQuantity(
  pool: number,
  rule: BufferRule,
  lowStock: LowStockTier | undefined,
): number {
  const start = Math.max(pool, 0);
  const active = lowStock !== undefined && start < lowStock.below ? lowStock.buffer : rule;
  if (active.floor !== undefined && start < active.floor) return 0;
  let quantity = start;
  if (active.percent !== undefined && active.percent > 0) {
    quantity = Math.floor((quantity * (100 - active.percent)) / 100);
  }
  if (active.units !== undefined) quantity -= active.units;
  if (quantity < 0) return 0;
  return active.cap !== undefined && quantity > active.cap ? active.cap : quantity;
}
