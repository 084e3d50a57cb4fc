import { applyBuffer, type BufferOutcome, bufferedQuantity } from "./buffer.js";
import {
  type Catalog,
  type CompiledChannel,
  type CompiledListing,
  type CompiledPool,
  findListing,
} from "./catalog.js";
import { OmnistockError } from "./errors.js";
import { type Position, reservedAt } from "./position.js";
import { StockLevels } from "./stock-levels.js";

/** Names one published quantity: a listing on a channel, at one of its locations if it has them. */
export interface ListingRef {
  readonly channelId: string;
  readonly listingId: string;
  /** The channel's own location, for `location` and `zones` feeds. */
  readonly channelLocationId?: string;
}

/** One published quantity of an allocation. */
export interface AllocationLine extends ListingRef {
  /** Index of the line in the allocation (valid for the catalog it was computed with). */
  readonly slot: number;
  /** The quantity the channel should show. */
  readonly quantity: number;
}

/** A new quantity for one slot, as {@link reallocate} returns it. */
export interface SlotQuantity {
  readonly slot: number;
  readonly quantity: number;
}

/**
 * For every listing on every channel, the quantity to publish. Deterministic: the same
 * catalog and stock always give the same allocation. The "why" of any number is one call
 * away ({@link explainSlot}).
 */
export class Allocation {
  /** The catalog it was computed for. */
  readonly catalog: Catalog;
  readonly #quantities: Int32Array;

  /** @internal Use {@link allocate}. */
  constructor(catalog: Catalog, quantities: Int32Array) {
    this.catalog = catalog;
    this.#quantities = quantities;
  }

  /** Number of lines. */
  get size(): number {
    return this.#quantities.length;
  }

  /** The quantity of a slot. */
  at(slot: number): number {
    return this.#quantities[slot] ?? 0;
  }

  /**
   * The quantity for a listing on a channel.
   * @throws {@link OmnistockError} `NOT_FOUND` when the listing is not in the catalog (see
   *   {@link slotOf}).
   */
  quantity(ref: ListingRef): number {
    return this.at(slotOf(this.catalog, ref));
  }

  /** One line, by slot. */
  line(slot: number): AllocationLine {
    return { ...refOfSlot(this.catalog, slot), slot, quantity: this.at(slot) };
  }

  /** Every line, in slot order. */
  *lines(): IterableIterator<AllocationLine> {
    for (let slot = 0; slot < this.#quantities.length; slot++) yield this.line(slot);
  }

  /** A copy with some slots changed, e.g. by {@link reallocate}. */
  withUpdates(updates: Iterable<SlotQuantity>): Allocation {
    const next = this.#quantities.slice();
    for (const { slot, quantity } of updates) next[slot] = quantity;
    return new Allocation(this.catalog, next);
  }
}

/**
 * The slot of a listing on a channel (at one of the channel's locations where its feed
 * has them).
 * @throws {@link OmnistockError} `NOT_FOUND` when the listing or channel location is not in
 *   the catalog; `details` name the channel, the listing and the channel location.
 */
export function slotOf(catalog: Catalog, ref: ListingRef): number {
  const li = findListing(catalog, ref.channelId, ref.listingId);
  if (li === undefined)
    throw new OmnistockError(
      "NOT_FOUND",
      `No listing "${ref.listingId}" on channel "${ref.channelId}"`,
      { details: { channelId: ref.channelId, listingId: ref.listingId } },
    );
  const listing = catalog.listings[li] as CompiledListing;
  const slots = (catalog.channels[listing.channelIndex] as CompiledChannel).slots;
  for (let k = 0; k < slots.length; k++) {
    const cs = catalog.channelSlots[slots[k] as number];
    if (cs?.channelLocationId === ref.channelLocationId) return listing.firstSlot + k;
  }
  throw new OmnistockError(
    "NOT_FOUND",
    `Channel "${ref.channelId}" has no location "${ref.channelLocationId ?? "(none)"}" for listing "${ref.listingId}"`,
    {
      details: {
        channelId: ref.channelId,
        listingId: ref.listingId,
        channelLocationId: ref.channelLocationId,
      },
    },
  );
}

/**
 * The listing a slot stands for.
 * @throws {@link OmnistockError} `NOT_FOUND` for a slot the catalog does not have.
 */
export function refOfSlot(catalog: Catalog, slot: number): ListingRef {
  checkSlot(catalog, slot);
  const listing = catalog.listings[catalog.slotListing[slot] as number] as CompiledListing;
  const channel = catalog.channels[listing.channelIndex] as CompiledChannel;
  const cs = catalog.channelSlots[catalog.slotChannelSlot[slot] as number];
  return cs?.channelLocationId === undefined
    ? { channelId: channel.id, listingId: listing.listingId }
    : {
        channelId: channel.id,
        listingId: listing.listingId,
        channelLocationId: cs.channelLocationId,
      };
}

/**
 * Computes the quantity of every listing on every channel from the stock.
 *
 * For each SKU: dedicated shares are set aside first (percent shares rounded down, then
 * unit shares from what is left); split pools divide what remains at each location by
 * weight with largest-remainder rounding; every other channel sees what remains. A slot's
 * pool is the sum of what its channel sees at its sources; a bundle's pool is the least,
 * over its components, of ⌊component pool ÷ quantity per bundle⌋; the channel's buffer
 * then turns the pool into the quantity shown.
 *
 * @example
 * ```ts
 * const allocation = allocate(catalog, stock);
 * allocation.quantity({ channelId: "shopify", listingId: "MUG-RED" }); // 17
 * ```
 */
export function allocate(catalog: Catalog, stock: StockLevels): Allocation {
  const quantities = new Int32Array(catalog.slotCount);
  const pools = calculatorFor(catalog, stock);
  const bundles: number[] = [];
  for (const [sku, listingIndexes] of catalog.listingsBySku) {
    let computed = false;
    for (const li of listingIndexes) {
      const listing = catalog.listings[li] as CompiledListing;
      if (listing.isBundle) continue;
      if (!computed) {
        pools.compute(sku);
        computed = true;
      }
      fillSingle(catalog, listing, pools.slotPools, quantities, listing.firstSlot);
    }
  }
  catalog.listings.forEach((listing, li) => {
    if (listing.isBundle) bundles.push(li);
  });
  for (const li of bundles) {
    const listing = catalog.listings[li] as CompiledListing;
    fillBundle(catalog, listing, pools, quantities, listing.firstSlot);
  }
  return new Allocation(catalog, quantities);
}

/**
 * Recomputes only the listings that use the given SKUs (singly or in a bundle) and
 * returns their new quantities. Applied to the previous allocation with
 * {@link Allocation.withUpdates}, the result equals a full {@link allocate} of the same
 * stock: the allocation of one SKU never depends on another SKU's stock, except through
 * the bundles that hold both, which are recomputed too.
 */
export function reallocate(
  catalog: Catalog,
  stock: StockLevels,
  skus: Iterable<string>,
): SlotQuantity[] {
  const affected = new Set<number>();
  for (const sku of skus) for (const li of catalog.listingsBySku.get(sku) ?? []) affected.add(li);
  const pools = calculatorFor(catalog, stock);
  const out: SlotQuantity[] = [];
  const quantities = new Int32Array(maxSlotsPerChannel(catalog));
  for (const li of [...affected].sort((a, b) => a - b)) {
    const listing = catalog.listings[li] as CompiledListing;
    const slots = (catalog.channels[listing.channelIndex] as CompiledChannel).slots.length;
    if (listing.isBundle) fillBundle(catalog, listing, pools, quantities, 0);
    else {
      pools.compute((listing.components[0] as { sku: string }).sku);
      fillSingle(catalog, listing, pools.slotPools, quantities, 0);
    }
    for (let k = 0; k < slots; k++)
      out.push({ slot: listing.firstSlot + k, quantity: quantities[k] as number });
  }
  return out;
}

/** Where one source location's units came from for a slot. */
export interface SourceExplanation {
  readonly locationId: string;
  /** Available at the location (on hand less committed, reserved, unsellable, safety). */
  readonly available: number;
  /** How much of it this channel may draw on, and why. */
  readonly counted: number;
  /** What the available units are made of, when positions were given. */
  readonly position?: PositionBreakdown;
  readonly share:
    | { readonly kind: "shared"; readonly setAsideForOthers: number }
    | { readonly kind: "dedicated"; readonly percent?: number; readonly units?: number }
    | {
        readonly kind: "split";
        readonly pool: string;
        readonly weight: number;
        readonly ofUnits: number;
      };
}

/** What makes up a source's available units, when positions are given to {@link explainSlot}. */
export interface PositionBreakdown {
  readonly onHand: number;
  /** Sold on a channel, not yet recorded by the POS (in-flight orders). */
  readonly committed: number;
  readonly reserved: number;
  readonly unsellable: number;
  readonly safetyStock: number;
}

/** Options of {@link explainSlot}. */
export interface ExplainOptions {
  /**
   * The ledger's positions, to break each source's available units down into on hand,
   * committed (in-flight orders), reserved, unsellable and safety stock.
   */
  readonly positions?: (sku: string, locationId: string) => Position | undefined;
  /**
   * The time reservations are judged at, as for the stock levels.
   * @default every reservation not ended counts
   */
  readonly asOf?: number;
}

/** One component of a listing, with its own pool. */
export interface ComponentExplanation {
  readonly sku: string;
  /** Units of this SKU in one unit of the listing. */
  readonly quantityPerListing: number;
  /** Units of the SKU the channel may draw on at this slot. */
  readonly pool: number;
  /** How many listings this component alone would allow. */
  readonly allows: number;
  readonly sources: readonly SourceExplanation[];
}

/** The "why" of one allocated quantity. */
export interface Explanation extends AllocationLine {
  readonly feed: CompiledChannel["feed"]["mode"];
  readonly components: readonly ComponentExplanation[];
  /** For a bundle, the component that limits it. */
  readonly binding: string | undefined;
  /** Units the channel may draw on before its buffer. */
  readonly pool: number;
  readonly buffer: BufferOutcome;
  /** A sentence a merchant can read. */
  readonly summary: string;
}

/**
 * Explains one slot's quantity: its sources, shares, binding bundle component and buffer.
 * Computed on demand from the same rules as {@link allocate}, so it always agrees with it.
 *
 * @throws {@link OmnistockError} `NOT_FOUND` for a slot the catalog does not have.
 */
export function explainSlot(
  catalog: Catalog,
  stock: StockLevels,
  slot: number,
  options: ExplainOptions = {},
): Explanation {
  checkSlot(catalog, slot);
  const listing = catalog.listings[catalog.slotListing[slot] as number] as CompiledListing;
  const channel = catalog.channels[listing.channelIndex] as CompiledChannel;
  const cs = catalog.slotChannelSlot[slot] as number;
  const pools = calculatorFor(catalog, stock);
  const components: ComponentExplanation[] = listing.components.map((c) => {
    pools.compute(c.sku);
    const pool = pools.slotPools[cs] as number;
    return {
      sku: c.sku,
      quantityPerListing: c.quantity,
      pool,
      allows: Math.floor(pool / c.quantity),
      sources: pools.explainSources(channel, cs).map((source) => {
        const position = options.positions?.(c.sku, source.locationId);
        return position === undefined
          ? source
          : {
              ...source,
              position: breakdownOf(position, options.asOf ?? Number.NEGATIVE_INFINITY),
            };
      }),
    };
  });
  let binding: ComponentExplanation | undefined;
  for (const c of components) if (binding === undefined || c.allows < binding.allows) binding = c;
  const pool = binding?.allows ?? 0;
  const buffer = applyBuffer(pool, channel.buffer, channel.lowStock);
  const line = { ...refOfSlot(catalog, slot), slot, quantity: buffer.quantity };
  const where =
    components[0]?.sources
      .map((s) => `${nameOf(catalog, s.locationId)} ${s.counted}${heldBack(s.position)}`)
      .join(" + ") ?? "";
  const summary = [
    listing.isBundle
      ? `bundle: ${components.map((c) => `${c.sku} allows ${c.allows}`).join(", ")}; ${binding?.sku} binds at ${pool}`
      : `${where} = ${pool}`,
    buffer.withheld > 0 ? `buffer (${buffer.tier}) holds back ${buffer.withheld}` : "no buffer",
    `shows ${buffer.quantity}`,
  ].join("; ");
  return {
    ...line,
    feed: channel.feed.mode,
    components,
    binding: listing.isBundle ? binding?.sku : undefined,
    pool,
    buffer,
    summary,
  };
}

/** A location's name for sentences a merchant reads, else its id. */
function nameOf(catalog: Catalog, locationId: string): string {
  const index = catalog.locationIndex.get(locationId);
  return (index === undefined ? undefined : catalog.locations[index]?.name) ?? locationId;
}

function breakdownOf(position: Position, asOf: number): PositionBreakdown {
  return {
    onHand: position.onHand,
    committed: position.committed,
    reserved: reservedAt(position, asOf),
    unsellable: position.unsellable,
    safetyStock: position.safetyStock,
  };
}

/** " (20 on hand − 2 committed)" when anything is held back from on hand, else "". */
function heldBack(b: PositionBreakdown | undefined): string {
  if (b === undefined) return "";
  const parts = [
    [b.committed, "committed"],
    [b.reserved, "reserved"],
    [b.unsellable, "unsellable"],
    [b.safetyStock, "safety stock"],
  ].filter(([units]) => (units as number) > 0);
  return parts.length === 0
    ? ""
    : ` (${b.onHand} on hand − ${parts.map(([u, what]) => `${u} ${what}`).join(" − ")})`;
}

/** Writes a single-SKU listing's quantity at each of its slots, from `out[base]` on. */
function fillSingle(
  catalog: Catalog,
  listing: CompiledListing,
  slotPools: Int32Array,
  out: Int32Array,
  base: number,
): void {
  const channel = catalog.channels[listing.channelIndex] as CompiledChannel;
  const { slots, buffer = {}, lowStock } = channel;
  for (let k = 0; k < slots.length; k++) {
    out[base + k] = bufferedQuantity(slotPools[slots[k] as number] as number, buffer, lowStock);
  }
}

/** Writes a bundle's quantity at each of its slots, from `out[base]` on. */
function fillBundle(
  catalog: Catalog,
  listing: CompiledListing,
  pools: PoolCalculator,
  out: Int32Array,
  base: number,
): void {
  const channel = catalog.channels[listing.channelIndex] as CompiledChannel;
  const { slots, buffer = {}, lowStock } = channel;
  const least = new Float64Array(slots.length).fill(Number.POSITIVE_INFINITY);
  for (const component of listing.components) {
    pools.compute(component.sku);
    for (let k = 0; k < slots.length; k++) {
      const allows = Math.floor(
        (pools.slotPools[slots[k] as number] as number) / component.quantity,
      );
      if (allows < (least[k] as number)) least[k] = allows;
    }
  }
  for (let k = 0; k < slots.length; k++) {
    out[base + k] = bufferedQuantity(least[k] as number, buffer, lowStock);
  }
}

/** @throws {@link OmnistockError} `NOT_FOUND` naming a slot the catalog does not have. */
function checkSlot(catalog: Catalog, slot: number): void {
  if (Number.isInteger(slot) && slot >= 0 && slot < catalog.slotCount) return;
  throw new OmnistockError("NOT_FOUND", `The catalog has no slot ${slot}`, { details: { slot } });
}

/**
 * Computes, for one SKU at a time, what every channel may draw on at every location and
 * the resulting pool of every channel slot. Reuses its buffers between SKUs.
 */
class PoolCalculator {
  readonly #catalog: Catalog;
  #stock: StockLevels | undefined;
  readonly #width: number;
  /** What remains at each location after dedicated shares. */
  readonly #remainder: Int32Array;
  /** What channel c sees at location l, at [c * width + l]. */
  readonly #view: Int32Array;
  /** The pool of each channel slot for the last SKU computed. */
  readonly slotPools: Int32Array;
  #sku: string | undefined;
  #row: Readonly<Int32Array> = new Int32Array(0);

  constructor(catalog: Catalog) {
    this.#catalog = catalog;
    this.#width = catalog.locations.length;
    this.#remainder = new Int32Array(this.#width);
    this.#view = new Int32Array(catalog.channels.length * this.#width);
    this.slotPools = new Int32Array(catalog.channelSlots.length);
  }

  /** Reads from `stock` from now on. */
  use(stock: StockLevels): void {
    this.#stock = stock;
    this.#sku = undefined;
  }

  compute(sku: string): void {
    if (this.#sku === sku) return;
    this.#sku = sku;
    const catalog = this.#catalog;
    const width = this.#width;
    const row = (this.#stock as StockLevels).row(sku);
    this.#row = row;
    const remainder = this.#remainder;
    for (let l = 0; l < width; l++) remainder[l] = row[l] ?? 0;
    const view = this.#view;
    const { dedicated, split } = planOf(catalog);

    for (const carve of dedicated) {
      const l = carve.locationIndex;
      const taken =
        carve.percent !== undefined
          ? Math.floor(((row[l] ?? 0) * carve.percent) / 100)
          : Math.min(carve.units as number, remainder[l] as number);
      view[carve.channelIndex * width + l] = taken;
      remainder[l] = (remainder[l] as number) - taken;
    }
    for (const c of catalog.channels) {
      if (c.splitPool !== undefined || c.dedicated.size > 0) continue;
      view.set(remainder, c.index * width);
    }
    for (const part of split) divide(part, sku, remainder, view, width);

    const slots = catalog.channelSlots;
    for (let s = 0; s < slots.length; s++) {
      const slot = slots[s] as (typeof slots)[number];
      const base = slot.channelIndex * width;
      let pool = 0;
      for (const l of slot.sources) pool += view[base + l] as number;
      // Held at the ceiling: a sum of full locations must not wrap below zero.
      this.slotPools[s] = Math.min(pool, StockLevels.MAX_AVAILABLE);
    }
  }

  explainSources(channel: CompiledChannel, channelSlot: number): SourceExplanation[] {
    const catalog = this.#catalog;
    const sources = (catalog.channelSlots[channelSlot] as { sources: readonly number[] }).sources;
    return sources.map((l) => {
      const available = this.#row[l] ?? 0;
      const counted = this.#view[channel.index * this.#width + l] as number;
      const locationId = (catalog.locations[l] as { id: string }).id;
      const dedicated = channel.dedicated.get(l);
      if (dedicated !== undefined) {
        return { locationId, available, counted, share: { kind: "dedicated", ...dedicated } };
      }
      if (channel.splitPool !== undefined) {
        const pool = catalog.pools[channel.splitPool] as CompiledPool;
        const member = pool.channels.indexOf(channel.index);
        const weights = pool.skuWeights.get(this.#sku as string) ?? pool.weights;
        return {
          locationId,
          available,
          counted,
          share: {
            kind: "split",
            pool: pool.id,
            weight: weights[member] as number,
            ofUnits: this.#remainder[l] as number,
          },
        };
      }
      return {
        locationId,
        available,
        counted,
        share: { kind: "shared", setAsideForOthers: available - counted },
      };
    });
  }
}

const calculators = new WeakMap<Catalog, PoolCalculator>();

/**
 * The catalog's pool calculator, reused between calls (its buffers are sized by the
 * catalog): everything here is synchronous, so no two calls share it at once.
 */
function calculatorFor(catalog: Catalog, stock: StockLevels): PoolCalculator {
  let calculator = calculators.get(catalog);
  if (calculator === undefined) {
    calculator = new PoolCalculator(catalog);
    calculators.set(catalog, calculator);
  }
  calculator.use(stock);
  return calculator;
}

function maxSlotsPerChannel(catalog: Catalog): number {
  let most = 0;
  for (const c of catalog.channels) most = Math.max(most, c.slots.length);
  return most;
}

interface Carve {
  readonly channelIndex: number;
  readonly locationIndex: number;
  readonly percent?: number;
  readonly units?: number;
}

/** One split pool at one location: the members that draw from it. */
interface SplitPart {
  readonly pool: CompiledPool;
  readonly locationIndex: number;
  /** Positions in `pool.channels` of the members that draw from this location. */
  readonly members: readonly number[];
}

const plans = new WeakMap<Catalog, { dedicated: readonly Carve[]; split: readonly SplitPart[] }>();

/** The catalog's dedicated carves (percent first) and split parts, computed once. */
function planOf(catalog: Catalog): { dedicated: readonly Carve[]; split: readonly SplitPart[] } {
  let plan = plans.get(catalog);
  if (plan !== undefined) return plan;
  const percent: Carve[] = [];
  const units: Carve[] = [];
  for (const c of catalog.channels) {
    for (const [locationIndex, share] of c.dedicated) {
      (share.percent !== undefined ? percent : units).push({
        channelIndex: c.index,
        locationIndex,
        ...share,
      });
    }
  }
  const split: SplitPart[] = [];
  for (const pool of catalog.pools) {
    for (let l = 0; l < catalog.locations.length; l++) {
      const members = pool.channels.flatMap((ci, m) => {
        const channel = catalog.channels[ci] as CompiledChannel;
        const draws = channel.slots.some((s) => catalog.channelSlots[s]?.sources.includes(l));
        return draws ? [m] : [];
      });
      if (members.length > 0) split.push({ pool, locationIndex: l, members });
    }
  }
  // Unit shares take from what is left, so their order matters: by channel id, never by
  // the order of the configuration.
  const idOf = (c: Carve) => (catalog.channels[c.channelIndex] as CompiledChannel).id;
  units.sort((a, b) => compareText(idOf(a), idOf(b)));
  plan = { dedicated: [...percent, ...units], split };
  plans.set(catalog, plan);
  return plan;
}

/**
 * Divides the units remaining at one location among a split pool's members by weight,
 * rounding down and handing the leftover units to the largest fractional parts (ties to
 * the lower channel id, so the order of the configuration never matters). The shares always add up to exactly the units divided.
 */
function divide(
  part: SplitPart,
  sku: string,
  remainder: Int32Array,
  view: Int32Array,
  width: number,
): void {
  const units = remainder[part.locationIndex] as number;
  const weights = part.pool.skuWeights.get(sku) ?? part.pool.weights;
  let total = 0;
  for (const m of part.members) total += weights[m] as number;
  const n = part.members.length;
  const shares = new Array<number>(n);
  const fractions = new Array<number>(n);
  let given = 0;
  for (let i = 0; i < n; i++) {
    const w = total > 0 ? (weights[part.members[i] as number] as number) : 1;
    const exact = (units * w) / (total > 0 ? total : n);
    const whole = Math.floor(exact);
    shares[i] = whole;
    fractions[i] = exact - whole;
    given += whole;
  }
  const ids = part.members.map((m) => part.pool.channelIds[m] as string);
  const order = [...shares.keys()].sort(
    (a, b) =>
      (fractions[b] as number) - (fractions[a] as number) ||
      compareText(ids[a] as string, ids[b] as string),
  );
  for (let k = 0; given < units && k < n; k++, given++) {
    const i = order[k] as number;
    shares[i] = (shares[i] as number) + 1;
  }
  for (let i = 0; i < n; i++) {
    const channelIndex = part.pool.channels[part.members[i] as number] as number;
    view[channelIndex * width + part.locationIndex] = shares[i] as number;
  }
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
