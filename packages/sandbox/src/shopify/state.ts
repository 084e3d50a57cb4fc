/** The named quantities the sandbox keeps per item and location. */
export type QuantityName =
  | "available"
  | "committed"
  | "reserved"
  | "damaged"
  | "safety_stock"
  | "quality_control"
  | "incoming";

/** Every named quantity, in Shopify's order. */
export const QUANTITY_NAMES: readonly QuantityName[] = [
  "available",
  "committed",
  "reserved",
  "damaged",
  "safety_stock",
  "quality_control",
  "incoming",
];

/** The quantities of an item at a location; an inactive level is not stocked there. */
export interface Level {
  active: boolean;
  readonly quantities: Record<QuantityName, number>;
}

/** An order, as the server keeps it. */
export interface OrderState {
  readonly legacyId: number;
  readonly name: string;
  readonly locationId: string;
  readonly lines: readonly {
    readonly id: number;
    readonly variantId: string;
    readonly quantity: number;
  }[];
  readonly createdAt: number;
  updatedAt: number;
  cancelledAt: number | undefined;
  fulfilled: boolean;
  readonly refunds: RefundState[];
}

/** A refund of an order, as the server keeps it. */
export interface RefundState {
  readonly legacyId: number;
  readonly createdAt: number;
  readonly lines: readonly {
    readonly lineId: number | undefined;
    readonly variantId: string;
    readonly quantity: number;
    readonly restock: boolean;
  }[];
}

/** The store's data: locations, inventory items, variants, levels, orders and idempotency keys. */
export interface ShopifyState {
  readonly locations: Map<string, { id: string; name: string; isActive: boolean }>;
  readonly items: Map<string, { id: string; sku: string; tracked: boolean }>;
  readonly variants: Map<string, { id: string; title: string; sku: string; itemId: string }>;
  readonly levels: Map<string, Level>;
  readonly orders: Map<string, OrderState>;
  /** Mutation results by idempotency key, with the input they were made for. */
  readonly idempotency: Map<string, { input: string; result: unknown }>;
  /** The next numeric id (one sequence for all). */
  nextId(): number;
  /** A global id, `gid://shopify/{type}/{id}`, taking the next id when none is given. */
  gid(type: string, id?: number): string;
  levelKey(itemId: string, locationId: string): string;
  /** On hand: every quantity but `incoming`. */
  onHand(q: Record<QuantityName, number>): number;
  level(itemId: string, locationId: string): Level | undefined;
  /** The number at the end of a global id. */
  numeric(id: string): number;
  /** Stocks an item at a location (activates the level) with an available quantity. */
  stock(itemId: string, locationId: string, available: number): void;
}

/** Creates an empty store. */
export function createShopifyState(): ShopifyState {
  let nextId = 1_000;
  const levels = new Map<string, Level>();
  const levelKey = (itemId: string, locationId: string) => `${itemId}|${locationId}`;
  return {
    locations: new Map(),
    items: new Map(),
    variants: new Map(),
    levels,
    orders: new Map(),
    idempotency: new Map(),
    nextId: () => nextId++,
    gid: (type, id = nextId++) => `gid://shopify/${type}/${id}`,
    levelKey,
    onHand: (q) =>
      q.available + q.committed + q.reserved + q.damaged + q.safety_stock + q.quality_control,
    level: (itemId, locationId) => levels.get(levelKey(itemId, locationId)),
    numeric: (id) => Number(id.slice(id.lastIndexOf("/") + 1)),
    stock(itemId, locationId, available) {
      const quantities = Object.fromEntries(QUANTITY_NAMES.map((n) => [n, 0])) as Record<
        QuantityName,
        number
      >;
      levels.set(levelKey(itemId, locationId), {
        active: true,
        quantities: { ...quantities, available },
      });
    },
  };
}
