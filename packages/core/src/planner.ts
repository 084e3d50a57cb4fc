import { type ListingRef, refOfSlot, type SlotQuantity } from "./allocation.js";
import type { Catalog, CompiledChannel } from "./catalog.js";

/** The default of {@link ChannelConfig.urgentBelow}. */
export const DEFAULT_URGENT_BELOW = 3;

/** One quantity a channel must be told. */
export interface ChannelUpdate extends ListingRef {
  readonly slot: number;
  /** The absolute quantity to set. */
  readonly quantity: number;
  /** What the channel was last told, if anything (the compare-and-set value). */
  readonly previous: number | undefined;
  /**
   * A lowering update to zero or below the channel's `urgentBelow`: an oversell risk,
   * dispatched before everything else.
   */
  readonly urgent: boolean;
}

/** What a channel was last told for a listing; `undefined` when never. */
export type PublishedLookup = (ref: ListingRef) => number | undefined;

/**
 * Turns new quantities into the minimal list of channel updates: only lines whose
 * quantity differs from what was last published (or was never published), the latest
 * value winning when a slot appears twice. Urgent updates come first, then the rest, each
 * group in slot order.
 *
 * @example
 * ```ts
 * const updates = plan(catalog, reallocate(catalog, stock, ["MUG-RED"]), (ref) => published.get(listingKey(ref)));
 * ```
 */
export function plan(
  catalog: Catalog,
  lines: Iterable<SlotQuantity>,
  published: PublishedLookup,
): ChannelUpdate[] {
  const latest = new Map<number, number>();
  for (const { slot, quantity } of lines) latest.set(slot, quantity);
  const urgent: ChannelUpdate[] = [];
  const rest: ChannelUpdate[] = [];
  for (const slot of [...latest.keys()].sort((a, b) => a - b)) {
    const quantity = latest.get(slot) as number;
    const ref = refOfSlot(catalog, slot);
    const previous = published(ref);
    if (previous === quantity) continue;
    const channel = catalog.channels[
      catalog.channelIndex.get(ref.channelId) as number
    ] as CompiledChannel;
    const lowers = previous === undefined || quantity < previous;
    const isUrgent =
      lowers && (quantity === 0 || quantity < (channel.urgentBelow ?? DEFAULT_URGENT_BELOW));
    (isUrgent ? urgent : rest).push({ ...ref, slot, quantity, previous, urgent: isUrgent });
  }
  return [...urgent, ...rest];
}

/**
 * A stable string key for a listing on a channel (and channel location), for maps and
 * stores: the parts joined by NUL.
 */
export function listingKey(ref: ListingRef): string {
  return `${ref.channelId}\u0000${ref.listingId}\u0000${ref.channelLocationId ?? ""}`;
}
