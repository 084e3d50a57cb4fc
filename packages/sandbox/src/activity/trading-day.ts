import { createRandom, type Random } from "../common/random.js";

/** Units of one SKU. */
export interface ActionLine {
  readonly sku: string;
  readonly quantity: number;
}

/** One thing that happens in a retailer's day, platform-neutral. */
export type StoreAction =
  | {
      readonly kind: "pos-sale";
      readonly at: number;
      readonly outlet: string;
      readonly lines: readonly ActionLine[];
    }
  | {
      readonly kind: "online-order";
      readonly at: number;
      readonly channel: string;
      readonly lines: readonly ActionLine[];
    }
  | {
      readonly kind: "return";
      readonly at: number;
      readonly outlet: string;
      readonly lines: readonly ActionLine[];
      /** Whether the units go back on the shelf (else they are damaged). */
      readonly restock: boolean;
    }
  | {
      /** A shopper sends back the oldest order on a channel not refunded yet, and is refunded. */
      readonly kind: "online-refund";
      readonly at: number;
      readonly channel: string;
      /** Whether the units go back on the shelf (else they stay with the shopper). */
      readonly restock: boolean;
    }
  | {
      readonly kind: "receipt";
      readonly at: number;
      readonly outlet: string;
      readonly lines: readonly ActionLine[];
    }
  | {
      readonly kind: "transfer";
      readonly at: number;
      readonly from: string;
      readonly to: string;
      readonly lines: readonly ActionLine[];
    };

/** Options of {@link planTradingDay}. */
export interface TradingDayOptions {
  /** Same seed, same day. */
  readonly seed: number;
  readonly skus: readonly string[];
  /** Outlet names (or ids) where POS sales, returns and receipts happen. */
  readonly outlets: readonly string[];
  /** Channel names that take online orders. */
  readonly channels: readonly string[];
  /** When the day opens (epoch ms). */
  readonly startAt: number;
  /** @default 8 hours */
  readonly durationMs?: number;
  /** @default 300 */
  readonly posSales?: number;
  /** @default 120 */
  readonly onlineOrders?: number;
  /** @default 20 */
  readonly returns?: number;
  /** Refunds of online orders (most restocked), on `refundChannels`. @default 10 */
  readonly onlineRefunds?: number;
  /** The channels whose orders are refunded. @default `channels` */
  readonly refundChannels?: readonly string[];
  /** @default 10 */
  readonly transfers?: number;
  /**
   * Units of one bulk receipt spread over the catalog at the first outlet (0: none).
   * @default 5000
   */
  readonly bulkReceiptUnits?: number;
  /**
   * A last-unit race: one SKU is sold at the counter and ordered on two channels within
   * the same second. Give the SKU, which the caller stocks with a single unit.
   */
  readonly lastUnitRace?: {
    readonly sku: string;
    readonly outlet: string;
    readonly channels: readonly [string, string];
  };
}

/**
 * Plans a retailer's day as timed, platform-neutral actions, sorted by time: POS sales,
 * online orders on each channel, returns at the counter and refunds of online orders (most
 * restocked), one bulk receipt, transfers
 * between outlets and, if asked, a last-unit race. Deterministic for a seed: the demo,
 * tests and benchmarks replay the same day.
 *
 * @example
 * ```ts
 * const day = planTradingDay({ seed: 7, skus, outlets: ["main", "mall"], channels: ["shopify"], startAt });
 * ```
 */
export function planTradingDay(options: TradingDayOptions): StoreAction[] {
  const random = createRandom(options.seed);
  const duration = options.durationMs ?? 8 * 3_600_000;
  const at = () => options.startAt + random.int(0, duration - 1);
  const lines = (max: number) => basket(random, options.skus, max);
  const actions: StoreAction[] = [];

  for (let i = 0; i < (options.posSales ?? 300); i++) {
    actions.push({
      kind: "pos-sale",
      at: at(),
      outlet: random.pick(options.outlets),
      lines: lines(3),
    });
  }
  for (let i = 0; i < (options.onlineOrders ?? 120); i++) {
    if (options.channels.length === 0) break;
    actions.push({
      kind: "online-order",
      at: at(),
      channel: random.pick(options.channels),
      lines: lines(2),
    });
  }
  for (let i = 0; i < (options.returns ?? 20); i++) {
    actions.push({
      kind: "return",
      at: at(),
      outlet: random.pick(options.outlets),
      lines: lines(1),
      restock: random.chance(0.8),
    });
  }
  const refundChannels = options.refundChannels ?? options.channels;
  for (let i = 0; i < (options.onlineRefunds ?? 10); i++) {
    if (refundChannels.length === 0) break;
    actions.push({
      kind: "online-refund",
      at: at(),
      channel: random.pick(refundChannels),
      restock: random.chance(0.8),
    });
  }
  for (let i = 0; i < (options.transfers ?? 10); i++) {
    if (options.outlets.length < 2) break;
    const from = random.pick(options.outlets);
    const to = random.pick(options.outlets.filter((o) => o !== from));
    actions.push({ kind: "transfer", at: at(), from, to, lines: lines(2) });
  }
  const bulk = options.bulkReceiptUnits ?? 5_000;
  if (bulk > 0 && options.skus.length > 0) {
    const per = new Map<string, number>();
    for (let unit = 0; unit < bulk; unit++) {
      const sku = random.pick(options.skus);
      per.set(sku, (per.get(sku) ?? 0) + 1);
    }
    actions.push({
      kind: "receipt",
      at: options.startAt + Math.floor(duration / 3),
      outlet: options.outlets[0] as string,
      lines: [...per].map(([sku, quantity]) => ({ sku, quantity })),
    });
  }
  const race = options.lastUnitRace;
  if (race !== undefined) {
    const when = options.startAt + Math.floor(duration / 2);
    const one = [{ sku: race.sku, quantity: 1 }];
    actions.push({ kind: "pos-sale", at: when, outlet: race.outlet, lines: one });
    actions.push({ kind: "online-order", at: when + 300, channel: race.channels[0], lines: one });
    actions.push({ kind: "online-order", at: when + 600, channel: race.channels[1], lines: one });
  }
  // A stable sort: actions at the same millisecond keep the order they were planned in.
  return actions
    .map((action, i) => ({ action, i }))
    .sort((a, b) => a.action.at - b.action.at || a.i - b.i)
    .map((x) => x.action);
}

/** Handlers that carry out each kind of action against real (or fake) systems. */
export interface StoreActionHandlers {
  readonly "pos-sale": (action: Extract<StoreAction, { kind: "pos-sale" }>) => void | Promise<void>;
  readonly "online-order": (
    action: Extract<StoreAction, { kind: "online-order" }>,
  ) => void | Promise<void>;
  readonly return: (action: Extract<StoreAction, { kind: "return" }>) => void | Promise<void>;
  readonly "online-refund": (
    action: Extract<StoreAction, { kind: "online-refund" }>,
  ) => void | Promise<void>;
  readonly receipt: (action: Extract<StoreAction, { kind: "receipt" }>) => void | Promise<void>;
  readonly transfer: (action: Extract<StoreAction, { kind: "transfer" }>) => void | Promise<void>;
}

/** Options of {@link playTradingDay}. */
export interface PlayOptions {
  /** Called after each action, e.g. to move a simulated clock or show progress. */
  readonly onAction?: (action: StoreAction, index: number) => void | Promise<void>;
}

/** Carries out planned actions in order through the handlers. */
export async function playTradingDay(
  actions: readonly StoreAction[],
  handlers: StoreActionHandlers,
  options: PlayOptions = {},
): Promise<void> {
  for (let i = 0; i < actions.length; i++) {
    const action = actions[i] as StoreAction;
    await (handlers[action.kind] as (a: StoreAction) => void | Promise<void>)(action);
    await options.onAction?.(action, i);
  }
}

function basket(random: Random, skus: readonly string[], maxLines: number): ActionLine[] {
  const count = random.int(1, Math.min(maxLines, skus.length));
  const chosen = new Map<string, number>();
  while (chosen.size < count) chosen.set(random.pick(skus), random.int(1, 2));
  return [...chosen].map(([sku, quantity]) => ({ sku, quantity }));
}
