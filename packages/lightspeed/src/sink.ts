import {
  OmnistockError,
  type RecordedSale,
  type SalesOrderSink,
  type SaleToRecord,
} from "@omnistock/core";
import type { LightspeedClient } from "./client.js";
import type { LightspeedSaleRecord } from "./schemas.js";

/** Options of {@link createLightspeedSalesSink}. */
export interface LightspeedSalesSinkOptions {
  readonly client: LightspeedClient;
  /** The Lightspeed user the sales are recorded under. */
  readonly userId: string;
  /** The tax id of the sale lines (prices are the channel's, tax included). */
  readonly taxId: string;
  /**
   * The outlet of an Omnistock location.
   * @default the location id itself
   */
  readonly outletOf?: (locationId: string) => string;
}

/** The `source_id` that ties a Lightspeed sale to its channel order. */
export function saleReference(channelId: string, orderId: string): string {
  return `${channelId}:${orderId}`;
}

/**
 * Lightspeed as the sink for channel orders: each order becomes a `CLOSED` sale at the
 * routed outlet, so Lightspeed takes the stock, with the channel's order as `source_id`.
 * Idempotent: the sale is looked up by that reference before it is posted, so a retry
 * records nothing twice. A cancelled order's sale is voided, which gives the stock back.
 */
export function createLightspeedSalesSink(options: LightspeedSalesSinkOptions): SalesOrderSink {
  const { client } = options;
  const outletOf = options.outletOf ?? ((locationId: string) => locationId);
  let products: Map<string, string> | undefined;
  let registers: Map<string, string> | undefined;

  const productIds = async () => {
    products ??= new Map(
      (await client.products()).flatMap((p) => (p.sku ? [[p.sku, p.id] as const] : [])),
    );
    return products;
  };
  const registerOf = async (outletId: string) => {
    registers ??= new Map((await client.registers()).map((r) => [r.outlet_id, r.id]));
    const register = registers.get(outletId);
    if (register === undefined) {
      throw new OmnistockError(
        "MAPPING_MISSING",
        `Lightspeed outlet "${outletId}" has no register to record sales on`,
        {
          platform: "lightspeed",
          details: { outletId },
        },
      );
    }
    return register;
  };
  const live = (sales: readonly LightspeedSaleRecord[]) => sales.find((s) => s.status !== "VOIDED");

  async function lines(sale: SaleToRecord, register: string) {
    const ids = await productIds();
    return sale.lines.map((line) => {
      const productId = ids.get(line.sku);
      if (productId === undefined) {
        throw new OmnistockError(
          "MAPPING_MISSING",
          `SKU "${line.sku}" is not a Lightspeed product`,
          {
            platform: "lightspeed",
            details: { sku: line.sku, orderId: sale.orderId },
          },
        );
      }
      return {
        product_id: productId,
        register_id: register,
        quantity: line.quantity,
        price: 0,
        tax: 0,
        tax_id: options.taxId,
      };
    });
  }

  return {
    platform: "lightspeed",
    async recordSale(sale): Promise<RecordedSale> {
      const reference = saleReference(sale.channelId, sale.orderId);
      const existing = live(await client.salesFor(reference));
      if (existing !== undefined) return { saleId: existing.id, created: false };
      const outlet = outletOf(sale.locationId);
      const register = await registerOf(outlet);
      const created = await client.saveSale({
        register_id: register,
        user_id: options.userId,
        status: "CLOSED",
        source: "OMNISTOCK",
        source_id: reference,
        note: `${sale.channelId} order ${sale.orderId}`,
        register_sale_products: await lines(sale, register),
      });
      return { saleId: created.id, created: true };
    },
    async voidSale({ channelId, orderId }): Promise<void> {
      const existing = live(await client.salesFor(saleReference(channelId, orderId)));
      if (existing === undefined) return;
      await client.saveSale({
        id: existing.id,
        register_id: await registerOf(existing.outlet_id),
        user_id: options.userId,
        status: "VOIDED",
        source_id: saleReference(channelId, orderId),
        register_sale_products: (existing.line_items ?? []).map((line) => ({
          product_id: line.product_id,
          quantity: line.quantity,
          price: 0,
          tax: 0,
          tax_id: options.taxId,
        })),
      });
    },
  };
}
