import type {
  CatalogConfig,
  ChannelPublisher,
  PublishOutcome,
  QuantityToPublish,
  RoleCallOptions,
  StockEvent,
  StockRead,
  StockSource,
} from "@omnistock/core";

/** Two outlets; a web store fed by both, a marketplace by the main one; a POS gift set. */
export const catalog: CatalogConfig = {
  locations: [{ id: "main" }, { id: "mall" }],
  channels: [
    { id: "web", feed: { mode: "sum", locationIds: ["main", "mall"] } },
    { id: "market", feed: { mode: "single", locationId: "main" } },
  ],
  listings: [
    { channelId: "web", listingId: "MUG", sku: "MUG" },
    { channelId: "web", listingId: "TEA", sku: "TEA" },
    { channelId: "market", listingId: "MUG", sku: "MUG" },
  ],
  bundles: [
    {
      sku: "SET",
      components: [
        { sku: "MUG", quantity: 1 },
        { sku: "TEA", quantity: 2 },
      ],
    },
  ],
};

export const counted = (
  sku: string,
  locationId: string,
  onHand: number,
  version = 1,
): StockEvent => ({
  type: "stock.counted",
  id: `count:${sku}:${locationId}:${version}`,
  at: version,
  locationId,
  sku,
  onHand,
  version,
});

/** Every SKU of the catalog counted at both outlets. */
export const fullSnapshot = (onHand = 10): StockEvent[] =>
  ["main", "mall"].flatMap((l) => ["MUG", "TEA"].map((s) => counted(s, l, onHand)));

/** A channel in memory that records what it was asked and with which call options. */
export function fakeChannel(channelId: string) {
  const shows = new Map<string, number>();
  const calls: { updates: QuantityToPublish[]; call: RoleCallOptions | undefined }[] = [];
  const publisher: ChannelPublisher = {
    platform: "shopify",
    channelId,
    maxBatch: 250,
    compareAndSet: false,
    async publish(updates, call) {
      calls.push({ updates: [...updates], call });
      for (const u of updates) shows.set(u.listingId, u.quantity);
      return updates.map((update): PublishOutcome => ({ status: "published", update }));
    },
    async confirm(pending) {
      return pending.map(({ update }): PublishOutcome => ({ status: "published", update }));
    },
    async readLevels() {
      return [];
    },
  };
  return { publisher, shows, calls };
}

/** A stock source whose reads are scripted; it records the call options it was given. */
export function fakeSource(
  snapshot: (call: RoleCallOptions | undefined) => Promise<StockRead> | StockRead,
) {
  const calls: { what: "snapshot" | "changesSince"; call: RoleCallOptions | undefined }[] = [];
  let changes: (cursor: string | undefined) => StockRead = (cursor) => ({
    events: [],
    cursor: cursor ?? "0",
  });
  const source: StockSource = {
    platform: "lightspeed",
    async snapshot(call) {
      calls.push({ what: "snapshot", call });
      return snapshot(call);
    },
    async changesSince(cursor, call) {
      calls.push({ what: "changesSince", call });
      return changes(cursor);
    },
  };
  return {
    source,
    calls,
    onChanges: (read: (cursor: string | undefined) => StockRead) => {
      changes = read;
    },
  };
}
