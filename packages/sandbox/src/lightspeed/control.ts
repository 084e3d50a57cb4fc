import { productJson } from "./records.js";
import type {
  LightspeedOutlet,
  LightspeedProduct,
  LightspeedSale,
  LightspeedState,
} from "./state.js";
import type { LightspeedTokens } from "./tokens.js";
import type { LightspeedWebhooks, LightspeedWebhookType } from "./webhooks.js";

/** The control handle: what a test or the demo does behind the API's back. */
export interface LightspeedControl {
  addOutlet(name: string): LightspeedOutlet;
  addRegister(outletId: string, name?: string): { readonly id: string; readonly outlet_id: string };
  addProduct(product: {
    readonly sku: string;
    readonly name?: string;
    readonly tracked?: boolean;
    readonly components?: readonly { readonly sku: string; readonly quantity: number }[];
  }): LightspeedProduct;
  /** Sets a level directly (a stocktake), firing `inventory.update`. */
  setInventory(sku: string, outletId: string, level: number): void;
  /** The level of a SKU at an outlet. */
  inventory(sku: string, outletId: string): number;
  /** Rings up a sale at the counter (first register of the outlet). */
  sell(sale: {
    readonly outletId: string;
    readonly lines: readonly { readonly sku: string; readonly quantity: number }[];
    readonly status?: "CLOSED" | "ONACCOUNT" | "LAYBY" | "SAVED";
  }): LightspeedSale;
  /** Takes items back at the counter; restocked units go back on hand. */
  returnItems(
    outletId: string,
    lines: readonly { readonly sku: string; readonly quantity: number }[],
  ): LightspeedSale;
  /** Every sale, in creation order. */
  sales(): readonly LightspeedSale[];
  /** Subscribes a URL to a webhook type, as `POST /api/2.0/webhooks` does. */
  subscribe(type: LightspeedWebhookType, url: string): void;
  /** Webhooks sent when no `deliver` was given. */
  webhooksSent(): readonly { readonly type: string; readonly url: string; readonly body: string }[];
  /** A refresh token for the OAuth flow (as the authorisation step would give). */
  issueRefreshToken(): string;
  /** The global version of the store, raised by every write. */
  version(): number;
}

/** The test-control API over the store's state. */
export function createLightspeedControl(
  state: LightspeedState,
  webhooks: LightspeedWebhooks,
  tokens: LightspeedTokens,
): LightspeedControl {
  const { uuid, next, productBySku, registerOf } = state;
  return {
    addOutlet(name) {
      const outlet = { id: uuid(), name, version: next() };
      state.outlets.set(outlet.id, outlet);
      // Lightspeed keeps an inventory record of every tracked product at every outlet.
      for (const product of state.products.values()) state.openRecord(product, outlet.id);
      return outlet;
    },
    addRegister: (outletId, name) => state.addRegister(outletId, name),
    addProduct({ sku, name = sku, tracked = true, components = [] }) {
      const product: LightspeedProduct = {
        id: uuid(),
        name,
        sku,
        has_inventory: tracked && components.length === 0,
        is_composite: components.length > 0,
        components: components.map((c) => ({
          productId: productBySku(c.sku).id,
          quantity: c.quantity,
        })),
        version: next(),
      };
      state.products.set(product.id, product);
      state.bySku.set(sku, product.id);
      for (const outletId of state.outlets.keys()) state.openRecord(product, outletId);
      webhooks.emit("product.update", productJson(product));
      return product;
    },
    setInventory(sku, outletId, level) {
      state.setLevel(productBySku(sku).id, outletId, level);
    },
    inventory: (sku, outletId) => state.levelOf(productBySku(sku).id, outletId),
    sell({ outletId, lines, status = "CLOSED" }) {
      return state.saleOf({
        outletId,
        registerId: registerOf(outletId),
        status,
        lines: lines.map((l) => ({
          product_id: productBySku(l.sku).id,
          quantity: l.quantity,
          price: 10,
        })),
      });
    },
    returnItems(outletId, lines) {
      return state.saleOf({
        outletId,
        registerId: registerOf(outletId),
        status: "CLOSED",
        note: "return",
        lines: lines.map((l) => ({
          product_id: productBySku(l.sku).id,
          quantity: -l.quantity,
          price: 10,
        })),
      });
    },
    sales: () => [...state.sales.values()],
    subscribe(type, url) {
      webhooks.add({ url, type, active: true });
    },
    webhooksSent: () => webhooks.sent,
    issueRefreshToken: () => tokens.issueRefreshToken(),
    version: () => state.version(),
  };
}
