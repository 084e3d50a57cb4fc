import {
  OmnistockError,
  type RecordedSale,
  type ReturnToRecord,
  type RoleCallOptions,
  type SalesOrderSink,
  type SaleToRecord,
  type StockEvent,
} from "@omnistock/core";
import { z } from "zod";
import { createLightspeedCatalogue, type LightspeedCatalogue } from "./catalogue.js";
import type { LightspeedClient } from "./client.js";
import { catalogueOption, checkOptions, clientOption, fn } from "./options.js";
import type { LightspeedSaleRecord } from "./schemas.js";
import { saleTime } from "./time.js";

/** Options of {@link createLightspeedSalesSink}. */
export interface LightspeedSalesSinkOptions {
  readonly client: LightspeedClient;
  /**
   * The catalogue to resolve SKUs to product ids with, shared with the other roles (see
   * `createLightspeedCatalogue`): a SKU it does not know makes it read the store again,
   * within its bound.
   * @default one of its own over `client`, on `clock`
   */
  readonly catalogue?: LightspeedCatalogue;
  /** The id (a UUID) of the Lightspeed user the sales are recorded under. */
  readonly userId: string;
  /** The id (a UUID) of the tax of the sale lines (prices are the channel's, tax included). */
  readonly taxId: string;
  /**
   * The outlet of an Omnistock location.
   * @default the location id itself
   */
  readonly outletOf?: (locationId: string) => string;
  /**
   * The time of a recorded sale whose answer carries no `sale_date`; also the clock of
   * the sink's own catalogue.
   * @default Date.now
   */
  readonly clock?: () => number;
}

/** The `source_id` that ties a Lightspeed sale to its channel order. */
export function saleReference(channelId: string, orderId: string): string {
  return `${channelId}:${orderId}`;
}

/** The `source_id` of the Lightspeed return of a refunded channel order's restocked units. */
export function returnReference(channelId: string, orderId: string, returnId: string): string {
  return `${saleReference(channelId, orderId)}:return:${returnId}`;
}

/**
 * Lightspeed as the sink for channel orders: each order becomes a `CLOSED` sale at the
 * routed outlet, so Lightspeed takes the stock, with the channel's order as `source_id`.
 * Idempotent: the sale is looked up by that reference before it is posted, so a retry
 * records nothing twice. A cancelled order's sale is voided, which gives the stock back.
 * A refund's restocked units become a `CLOSED` return sale (negative quantities) at the
 * same outlet, referenced by {@link returnReference}, so Lightspeed puts them back.
 *
 * A SKU the catalogue does not know makes it read the store again (bounded, see
 * `createLightspeedCatalogue`), so a product created after the sink's first sale is found.
 *
 * @throws {@link OmnistockError} `VALIDATION` naming every unknown, missing or invalid
 *   option. `recordSale` throws `MAPPING_MISSING` for a SKU that is no Lightspeed product
 *   (retryable when the catalogue was read too recently to read it again, so a later try
 *   may find it; not retryable when a read just now did not) or an outlet with no
 *   register; `MAPPING_DUPLICATE` for a SKU several products share.
 * @example
 * ```ts
 * const sink = createLightspeedSalesSink({ client, userId, taxId });
 * await sink.recordSale({ orderId: "1001", channelId: "shopify-eu", locationId: outlet,
 *   lines: [{ sku: "MUG-RED", quantity: 1 }] });
 * ```
 */
export function createLightspeedSalesSink(options: LightspeedSalesSinkOptions): SalesOrderSink {
  checkOptions(
    z.strictObject({
      client: clientOption,
      catalogue: catalogueOption.optional(),
      userId: z.string().min(1),
      taxId: z.string().min(1),
      outletOf: fn.optional(),
      clock: fn.optional(),
    }),
    options,
    "Lightspeed sales sink options",
  );
  const { client } = options;
  const outletOf = options.outletOf ?? ((locationId: string) => locationId);
  const clock = options.clock ?? Date.now;
  const catalogue =
    options.catalogue ??
    createLightspeedCatalogue({
      client,
      ...(options.clock === undefined ? {} : { clock: options.clock }),
    });
  let registers: Map<string, string> | undefined;

  /** The product id of every SKU, reading the catalogue again for one it does not know. */
  const productIds = async (skus: readonly string[], orderId: string, call?: RoleCallOptions) => {
    const { missing, refreshed } = await catalogue.find("sku", [...new Set(skus)], call);
    const [sku] = missing;
    if (sku !== undefined) {
      throw new OmnistockError("MAPPING_MISSING", `SKU "${sku}" is not a Lightspeed product`, {
        platform: "lightspeed",
        retryable: !refreshed,
        details: { sku, orderId },
      });
    }
    return new Map(skus.map((sku) => [sku, catalogue.saleProductIdOf(sku) as string]));
  };
  const registerOf = async (outletId: string, call?: RoleCallOptions) => {
    registers ??= new Map((await client.registers(call)).map((r) => [r.outlet_id, r.id]));
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
  // The event the sale's own `sale.update` webhook will carry, under the same id, so that
  // the runtime applies it now and takes the webhook for its echo.
  const meant = (sale: SaleToRecord, recorded: LightspeedSaleRecord): StockEvent[] => {
    const lines = sale.lines.filter((line) => line.quantity > 0 && catalogue.isStocked(line.sku));
    if (lines.length === 0) return [];
    return [
      {
        type: "pos.sale",
        id: `lightspeed:sale:${recorded.id}`,
        at: saleTime(recorded.sale_date) ?? clock(),
        locationId: sale.locationId,
        lines: lines.map((line) => ({ sku: line.sku, quantity: line.quantity })),
        orderRef: saleReference(sale.channelId, sale.orderId),
      },
    ];
  };
  // The return's own `sale.update` webhook carries it as a `pos.return` under this id.
  const returned = (ret: ReturnToRecord, recorded: LightspeedSaleRecord): StockEvent[] => {
    const lines = ret.lines.filter((line) => line.quantity > 0 && catalogue.isStocked(line.sku));
    if (lines.length === 0) return [];
    return [
      {
        type: "pos.return",
        id: `lightspeed:sale:${recorded.id}:return`,
        at: saleTime(recorded.sale_date) ?? clock(),
        locationId: ret.locationId,
        lines: lines.map((line) => ({ sku: line.sku, quantity: line.quantity, restock: true })),
      },
    ];
  };
  const live = (sales: readonly LightspeedSaleRecord[]) => sales.find((s) => s.status !== "VOIDED");

  async function lines(
    sale: Pick<SaleToRecord, "orderId" | "lines">,
    register: string,
    call?: RoleCallOptions,
    sign = 1,
  ) {
    const ids = await productIds(
      sale.lines.map((line) => line.sku),
      sale.orderId,
      call,
    );
    return sale.lines.map((line) => ({
      product_id: ids.get(line.sku) as string,
      register_id: register,
      quantity: sign * line.quantity,
      price: 0,
      tax: 0,
      tax_id: options.taxId,
    }));
  }

  /**
   * Posts a `CLOSED` sale (returns: negative quantities) under `reference`, unless one is
   * live under it already (a retry): recording is idempotent by the reference.
   */
  async function closeOnce(
    reference: string,
    what: Pick<SaleToRecord, "orderId" | "locationId" | "lines">,
    note: string,
    sign: 1 | -1,
    eventsOf: (recorded: LightspeedSaleRecord) => StockEvent[],
    call?: RoleCallOptions,
  ): Promise<RecordedSale> {
    const existing = live(await client.salesFor(reference, call));
    if (existing !== undefined) {
      await catalogue.ready(call);
      return { saleId: existing.id, created: false, events: eventsOf(existing) };
    }
    const register = await registerOf(outletOf(what.locationId), call);
    const created = await client.saveSale(
      {
        register_id: register,
        user_id: options.userId,
        status: "CLOSED",
        source: "OMNISTOCK",
        source_id: reference,
        note,
        register_sale_products: await lines(what, register, call, sign),
      },
      call,
    );
    return { saleId: created.id, created: true, events: eventsOf(created) };
  }

  return {
    platform: "lightspeed",
    recordSale: (sale, call) =>
      closeOnce(
        saleReference(sale.channelId, sale.orderId),
        sale,
        `${sale.channelId} order ${sale.orderId}`,
        1,
        (recorded) => meant(sale, recorded),
        call,
      ),
    recordReturn: (ret, call) =>
      closeOnce(
        returnReference(ret.channelId, ret.orderId, ret.returnId),
        ret,
        `${ret.channelId} order ${ret.orderId}: refund ${ret.returnId}, restocked`,
        -1,
        (recorded) => returned(ret, recorded),
        call,
      ),
    async voidSale({ channelId, orderId }, call): Promise<void> {
      const existing = live(await client.salesFor(saleReference(channelId, orderId), call));
      if (existing === undefined) return;
      await client.saveSale(
        {
          id: existing.id,
          register_id: await registerOf(existing.outlet_id, call),
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
        },
        call,
      );
    },
  };
}
