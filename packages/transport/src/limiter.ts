import type { PlatformName } from "@omnistock/core";
import { type Clock, type Sleep, systemClock, systemSleep } from "./time.js";

/** A platform's remaining budget, as typed data. */
export interface RateBudget {
  readonly platform: PlatformName;
  /** The operation it is for, where budgets are per operation (Amazon). */
  readonly operation?: string;
  /** Units that may be spent now (requests, or query-cost points for Shopify). */
  readonly remaining: number;
  /** The most the budget ever holds. */
  readonly limit: number;
  /** Milliseconds until one more unit is free (0 when some are free now). */
  readonly nextInMs: number;
  /** Until when the platform asked us to stop entirely (epoch ms), if it did. */
  readonly blockedUntil?: number;
}

/** Raised whenever a request has to wait for the budget. */
export interface ThrottledEvent {
  readonly platform: PlatformName;
  readonly operation?: string;
  /** What the request costs. */
  readonly cost: number;
  /** How long it waits before it goes. */
  readonly waitMs: number;
  readonly budget: RateBudget;
}

/** What a limiter can learn from a platform's answer. */
export interface RateObservation {
  readonly status: number;
  readonly headers: Headers;
  /** The operation the request was, where budgets are per operation. */
  readonly operation?: string;
  /** The parsed body, where the budget is reported there (Shopify's `extensions.cost`). */
  readonly body?: unknown;
}

/** Options of {@link RateLimiter.acquire}. */
export interface AcquireOptions {
  /** The operation, where budgets are per operation. */
  readonly operation?: string;
  /** Gives up waiting when it aborts. */
  readonly signal?: AbortSignal;
}

/**
 * One platform's rate limit, kept on our side so that requests wait instead of being
 * refused, and kept in step with what the platform reports.
 */
export interface RateLimiter {
  readonly platform: PlatformName;
  /** Waits until `cost` units may be spent, then spends them. */
  acquire(cost?: number, options?: AcquireOptions): Promise<void>;
  /** Spends `cost` units now if the budget allows; `false` (and nothing spent) otherwise. */
  tryAcquire(cost?: number, operation?: string): boolean;
  /** Learns from an answer: headers, body facts, a 429. */
  observe(observation: RateObservation): void;
  /** The budget now. */
  budget(operation?: string): RateBudget;
  /** Listens to throttling; returns the function that stops listening. */
  onThrottled(listener: (event: ThrottledEvent) => void): () => void;
}

/** Time options every limiter takes. */
export interface LimiterTimeOptions {
  /**
   * The clock.
   * @default Date.now
   */
  readonly clock?: Clock;
  /**
   * How to wait.
   * @default a real timer
   */
  readonly sleep?: Sleep;
}

/**
 * The part every limiter shares: waiting until the budget allows, honouring a block the
 * platform asked for, and telling listeners. Subclasses say how much is free and when.
 */
export abstract class BaseLimiter implements RateLimiter {
  abstract readonly platform: PlatformName;
  protected readonly clock: Clock;
  readonly #sleep: Sleep;
  readonly #listeners = new Set<(event: ThrottledEvent) => void>();
  /** Until when the platform told us to stop (a 429 with its wait), epoch ms. */
  protected blockedUntil = 0;
  /** Requests wait in turn, so a large request is not starved by small ones. */
  #queue: Promise<void> = Promise.resolve();

  constructor(options: LimiterTimeOptions) {
    this.clock = options.clock ?? systemClock;
    this.#sleep = options.sleep ?? systemSleep;
  }

  /** Milliseconds until `cost` units are free (0: now), ignoring any block. */
  protected abstract waitFor(cost: number, now: number, operation?: string): number;
  /** Spends `cost` units at `now`. */
  protected abstract spend(cost: number, now: number, operation?: string): void;
  /** The budget, without the block. */
  protected abstract rawBudget(now: number, operation?: string): Omit<RateBudget, "blockedUntil">;
  abstract observe(observation: RateObservation): void;

  acquire(cost = 1, options: AcquireOptions = {}): Promise<void> {
    const turn = this.#queue.then(() => this.#take(cost, options));
    this.#queue = turn.catch(() => undefined);
    return turn;
  }

  tryAcquire(cost = 1, operation?: string): boolean {
    const now = this.clock();
    if (now < this.blockedUntil || this.waitFor(cost, now, operation) > 0) return false;
    this.spend(cost, now, operation);
    return true;
  }

  budget(operation?: string): RateBudget {
    const now = this.clock();
    const raw = this.rawBudget(now, operation);
    return now < this.blockedUntil ? { ...raw, blockedUntil: this.blockedUntil } : raw;
  }

  onThrottled(listener: (event: ThrottledEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Stops every request until `until` (epoch ms), as a 429 asks. */
  protected block(until: number): void {
    this.blockedUntil = Math.max(this.blockedUntil, until);
  }

  async #take(cost: number, { operation, signal }: AcquireOptions): Promise<void> {
    for (;;) {
      signal?.throwIfAborted();
      const now = this.clock();
      const wait = Math.max(this.blockedUntil - now, this.waitFor(cost, now, operation));
      if (wait === Number.POSITIVE_INFINITY) {
        throw new RangeError(
          `A request costing ${cost} can never fit the ${this.platform} budget of ${this.rawBudget(now, operation).limit}`,
        );
      }
      if (wait <= 0) {
        this.spend(cost, now, operation);
        return;
      }
      const event: ThrottledEvent = {
        platform: this.platform,
        cost,
        waitMs: wait,
        budget: this.budget(operation),
        ...(operation === undefined ? {} : { operation }),
      };
      for (const listener of this.#listeners) listener(event);
      await this.#sleep(wait, signal);
    }
  }
}

/**
 * At most `limit` units in any window of `windowMs` (a sliding log, so no burst at a
 * window's edge lets through more than the limit).
 */
export class SlidingWindow {
  #limit: number;
  readonly #windowMs: number;
  /** Times (epoch ms) of the units spent in the last window, oldest first. */
  readonly #spent: number[] = [];

  constructor(limit: number, windowMs: number) {
    this.#limit = limit;
    this.#windowMs = windowMs;
  }

  get limit(): number {
    return this.#limit;
  }

  set limit(limit: number) {
    this.#limit = limit;
  }

  get windowMs(): number {
    return this.#windowMs;
  }

  used(now: number): number {
    this.#forget(now);
    return this.#spent.length;
  }

  waitFor(cost: number, now: number): number {
    this.#forget(now);
    const over = this.#spent.length + cost - this.#limit;
    if (over <= 0) return 0;
    // The unit whose expiry frees enough room.
    const oldest = this.#spent[over - 1];
    return oldest === undefined ? Number.POSITIVE_INFINITY : oldest + this.#windowMs - now;
  }

  spend(cost: number, now: number): void {
    for (let i = 0; i < cost; i++) this.#spent.push(now);
  }

  #forget(now: number): void {
    let drop = 0;
    while (drop < this.#spent.length && (this.#spent[drop] as number) <= now - this.#windowMs)
      drop++;
    if (drop > 0) this.#spent.splice(0, drop);
  }
}

/**
 * A bucket of `capacity` units that refills at `perSecond`: Shopify's query-cost bucket,
 * and Amazon's rate and burst.
 */
export class TokenBucket {
  capacity: number;
  perSecond: number;
  #level: number;
  #at: number;

  constructor(capacity: number, perSecond: number, now: number) {
    this.capacity = capacity;
    this.perSecond = perSecond;
    this.#level = capacity;
    this.#at = now;
  }

  level(now: number): number {
    this.#refill(now);
    return this.#level;
  }

  waitFor(cost: number, now: number): number {
    this.#refill(now);
    if (cost > this.capacity) return Number.POSITIVE_INFINITY;
    const missing = cost - this.#level;
    return missing <= 0 ? 0 : Math.ceil((missing / this.perSecond) * 1000);
  }

  spend(cost: number, now: number): void {
    this.#refill(now);
    this.#level -= cost;
  }

  /** Sets the level from what the platform reports (never above capacity). */
  set(level: number, now: number): void {
    this.#at = now;
    this.#level = Math.min(this.capacity, level);
  }

  /** Gives back units charged but not used (Shopify refunds unused query cost). */
  refund(units: number, now: number): void {
    this.#refill(now);
    this.#level = Math.min(this.capacity, this.#level + units);
  }

  #refill(now: number): void {
    if (now > this.#at) {
      this.#level = Math.min(
        this.capacity,
        this.#level + ((now - this.#at) / 1000) * this.perSecond,
      );
      this.#at = now;
    }
  }
}
