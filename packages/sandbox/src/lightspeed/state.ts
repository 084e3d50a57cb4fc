import type { Clock } from "../common/types.js";
import { saleJson } from "./records.js";
import type { LightspeedWebhookType } from "./webhooks.js";

/** A Lightspeed outlet. */
export interface LightspeedOutlet {
  readonly id: string;
  readonly name: string;
  readonly version: number;
}

/** A Lightspeed product (each variant is its own product). */
export interface LightspeedProduct {
  readonly id: string;
  readonly name: string;
  readonly sku: string;
  readonly has_inventory: boolean;
  readonly is_composite: boolean;
  /** For a composite: its components. */
  readonly components: readonly { readonly productId: string; readonly quantity: number }[];
  readonly version: number;
}

/** A sale as the server keeps it. */
export interface LightspeedSale {
  readonly id: string;
  readonly outlet_id: string;
  readonly register_id: string;
  readonly status: string;
  readonly source_id: string | null;
  readonly note: string;
  readonly sale_date: string;
  /** When the sale last changed (a void, a status change). */
  readonly updated_at: string;
  readonly line_items: readonly {
    readonly id: string;
    readonly product_id: string;
    readonly quantity: number;
    readonly price: number;
  }[];
  readonly version: number;
}

/** A register of an outlet. */
export interface LightspeedRegister {
  readonly id: string;
  readonly name: string;
  readonly outlet_id: string;
  readonly version: number;
}

/** An inventory record: the level of a product at an outlet. */
interface LevelEntry {
  readonly id: string;
  readonly level: number;
  readonly version: number;
}

/** Statuses whose lines have left the shelf. */
const TAKES_STOCK = new Set([
  "CLOSED",
  "ONACCOUNT",
  "ONACCOUNT_CLOSED",
  "LAYBY_CLOSED",
  "AWAITING_DISPATCH",
  "AWAITING_PICKUP",
  "DISPATCHED_CLOSED",
  "PICKED_UP_CLOSED",
]);

/** What a sale is made of, from the counter or from `POST /api/register_sales`. */
export interface SaleInput {
  readonly id?: string;
  readonly outletId: string;
  readonly registerId: string;
  readonly status: string;
  readonly sourceId?: string | null;
  readonly note?: string;
  readonly lines: readonly { product_id: string; quantity: number; price: number }[];
}

/** The store's data and the changes made to it; every write raises the global version. */
export interface LightspeedState {
  readonly outlets: Map<string, LightspeedOutlet>;
  readonly registers: Map<string, LightspeedRegister>;
  readonly products: Map<string, LightspeedProduct>;
  /** Product ids by SKU. */
  readonly bySku: Map<string, string>;
  /** Inventory records by `productId:outletId`. */
  readonly levels: Map<string, LevelEntry>;
  readonly sales: Map<string, LightspeedSale>;
  readonly adjustments: Record<string, unknown>[];
  /** The global version now. */
  version(): number;
  /** Raises the global version and gives it. */
  next(): number;
  /** A new seeded id. */
  uuid(): string;
  levelOf(productId: string, outletId: string): number;
  /** The inventory record of a product at an outlet (a fresh one at 0 when none exists). */
  inventoryRecord(
    productId: string,
    outletId: string,
  ): {
    id: string;
    product_id: string;
    outlet_id: string;
    inventory_level: number;
    reorder_point: null;
    reorder_amount: null;
    version: number;
  };
  /** Moves stock of a product at an outlet; composites move their components. */
  move(productId: string, outletId: string, delta: number): void;
  /** The inventory record, at 0, of a tracked product at an outlet (no webhook). */
  openRecord(product: LightspeedProduct, outletId: string): void;
  /** Sets a level, firing `inventory.update`. */
  setLevel(productId: string, outletId: string, level: number): void;
  /** Records a new sale or a change of one, moving stock by its status. */
  saleOf(input: SaleInput): LightspeedSale;
  addRegister(outletId: string, name?: string): LightspeedRegister;
  /** The first register of an outlet, opened when there is none. */
  registerOf(outletId: string): string;
  /** @throws RangeError when no product has the SKU. */
  productBySku(sku: string): LightspeedProduct;
}

/** Creates an empty store; `emit` sends its webhooks. */
export function createLightspeedState(
  clock: Clock,
  uuid: () => string,
  emit: (type: LightspeedWebhookType, payload: unknown) => void,
): LightspeedState {
  let version = 0;
  const next = () => ++version;
  const outlets = new Map<string, LightspeedOutlet>();
  const registers = new Map<string, LightspeedRegister>();
  const products = new Map<string, LightspeedProduct>();
  const bySku = new Map<string, string>();
  const levels = new Map<string, LevelEntry>();
  const sales = new Map<string, LightspeedSale>();

  const levelKey = (productId: string, outletId: string) => `${productId}:${outletId}`;
  const levelOf = (productId: string, outletId: string) =>
    levels.get(levelKey(productId, outletId))?.level ?? 0;

  function inventoryRecord(productId: string, outletId: string) {
    const entry = levels.get(levelKey(productId, outletId));
    return {
      id: entry?.id ?? uuid(),
      product_id: productId,
      outlet_id: outletId,
      inventory_level: entry?.level ?? 0,
      reorder_point: null,
      reorder_amount: null,
      version: entry?.version ?? 0,
    };
  }

  function move(productId: string, outletId: string, delta: number): void {
    const product = products.get(productId);
    if (product === undefined) return;
    if (product.is_composite) {
      for (const c of product.components) move(c.productId, outletId, delta * c.quantity);
      return;
    }
    if (!product.has_inventory) return;
    setLevel(productId, outletId, levelOf(productId, outletId) + delta);
  }

  function openRecord(product: LightspeedProduct, outletId: string): void {
    const key = levelKey(product.id, outletId);
    if (!product.has_inventory || levels.has(key)) return;
    levels.set(key, { id: uuid(), level: 0, version: next() });
  }

  function setLevel(productId: string, outletId: string, level: number): void {
    const key = levelKey(productId, outletId);
    const entry = levels.get(key) ?? { id: uuid(), level: 0, version: 0 };
    levels.set(key, { id: entry.id, level, version: next() });
    const product = products.get(productId) as LightspeedProduct;
    emit("inventory.update", {
      id: entry.id,
      product_id: productId,
      outlet_id: outletId,
      count: level,
      sku: product.sku,
      version,
    });
  }

  function saleOf(input: SaleInput): LightspeedSale {
    const previous = input.id === undefined ? undefined : sales.get(input.id);
    const tookBefore = previous !== undefined && TAKES_STOCK.has(previous.status);
    const takesNow = TAKES_STOCK.has(input.status);
    const sale: LightspeedSale = {
      id: previous?.id ?? input.id ?? uuid(),
      outlet_id: input.outletId,
      register_id: input.registerId,
      status: input.status,
      source_id: input.sourceId ?? previous?.source_id ?? null,
      note: input.note ?? previous?.note ?? "",
      sale_date: previous?.sale_date ?? new Date(clock()).toISOString(),
      updated_at: new Date(clock()).toISOString(),
      line_items: input.lines.map((l) => ({ id: uuid(), ...l })),
      version: next(),
    };
    sales.set(sale.id, sale);
    // A sale moves stock when it first reaches a status that takes it; a void gives it back.
    if (!tookBefore && takesNow)
      for (const l of sale.line_items) move(l.product_id, sale.outlet_id, -l.quantity);
    if (tookBefore && input.status === "VOIDED" && previous !== undefined) {
      for (const l of previous.line_items) move(l.product_id, previous.outlet_id, l.quantity);
    }
    emit("sale.update", saleJson(sale));
    return sale;
  }

  function addRegister(outletId: string, name = "Main Register"): LightspeedRegister {
    const register = { id: uuid(), name, outlet_id: outletId, version: next() };
    registers.set(register.id, register);
    return register;
  }

  return {
    outlets,
    registers,
    products,
    bySku,
    levels,
    sales,
    adjustments: [],
    version: () => version,
    next,
    uuid,
    levelOf,
    inventoryRecord,
    move,
    openRecord,
    setLevel,
    saleOf,
    addRegister,
    registerOf(outletId) {
      for (const r of registers.values()) if (r.outlet_id === outletId) return r.id;
      return addRegister(outletId).id;
    },
    productBySku(sku) {
      const id = bySku.get(sku);
      if (id === undefined) throw new RangeError(`No product with SKU "${sku}"`);
      return products.get(id) as LightspeedProduct;
    },
  };
}
