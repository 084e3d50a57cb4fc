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

/**
 * A stricter rule for when stock runs low: below `below` units the channel shows the
 * lesser of what this rule and its default rule allow.
 */
export interface LowStockTier {
  /** The tier applies while the pool is below this many units. */
  readonly below: number;
  /** The rule that also applies while the pool is below `below`. */
  readonly buffer: BufferRule;
}

/** What {@link applyBuffer} did, for the "why" of a number. */
export interface BufferOutcome {
  /** The quantity to show. */
  readonly quantity: number;
  /** Which rule set the quantity. */
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
 * negative, never above the pool, and never lower for a larger pool: the low-stock tier
 * can only hold back more than the default rule, never less.
 */
export function applyBuffer(
  pool: number,
  rule: BufferRule = {},
  lowStock?: LowStockTier,
): BufferOutcome {
  const start = Math.max(pool, 0);
  const quantity = bufferedQuantity(start, rule, lowStock);
  const inTier =
    lowStock !== undefined &&
    start < lowStock.below &&
    ruleQuantity(start, lowStock.buffer) < ruleQuantity(start, rule);
  const { cap, ...uncapped } = inTier ? (lowStock as LowStockTier).buffer : rule;
  return {
    quantity,
    tier: inTier ? "low-stock" : "default",
    withheld: start - quantity,
    floored: uncapped.floor !== undefined && start < uncapped.floor,
    capped: cap !== undefined && ruleQuantity(start, uncapped) > cap,
  };
}

/** {@link applyBuffer}'s quantity alone, with no outcome object: the hot path. */
export function bufferedQuantity(
  pool: number,
  rule: BufferRule,
  lowStock: LowStockTier | undefined,
): number {
  const start = Math.max(pool, 0);
  const quantity = ruleQuantity(start, rule);
  if (lowStock === undefined || start >= lowStock.below) return quantity;
  return Math.min(quantity, ruleQuantity(start, lowStock.buffer));
}

function ruleQuantity(pool: number, rule: BufferRule): number {
  if (rule.floor !== undefined && pool < rule.floor) return 0;
  let quantity = pool;
  if (rule.percent !== undefined && rule.percent > 0)
    quantity = Math.floor((quantity * (100 - rule.percent)) / 100);
  if (rule.units !== undefined) quantity -= rule.units;
  if (quantity < 0) return 0;
  return rule.cap !== undefined && quantity > rule.cap ? rule.cap : quantity;
}
