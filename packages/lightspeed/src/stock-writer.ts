import {
  isOmnistockError,
  OmnistockError,
  type RoleCallOptions,
  type ValidationIssue,
  validationError,
} from "@omnistock/core";
import { z } from "zod";
import { createLightspeedCatalogue, type LightspeedCatalogue } from "./catalogue.js";
import type { LightspeedClient } from "./client.js";
import { catalogueOption, checkOptions, clientOption, fn } from "./options.js";

/** The reasons Lightspeed accepts for a stock adjustment that takes units away. */
export type LightspeedDecreaseReason = "DAMAGE" | "EXPIRY" | "INTERNAL_USE" | "THEFT" | "DONATION";
/** The reasons Lightspeed accepts for a stock adjustment that adds units. */
export type LightspeedIncreaseReason = "STOCK_FOUND" | "SAMPLE_FOR_SALE";
/** A stock adjustment reason; its sign must match the correction's. */
export type LightspeedAdjustmentReason = LightspeedDecreaseReason | LightspeedIncreaseReason;

const DECREASE = new Set<string>(["DAMAGE", "EXPIRY", "INTERNAL_USE", "THEFT", "DONATION"]);
const INCREASE = new Set<string>(["STOCK_FOUND", "SAMPLE_FOR_SALE"]);

/** One correction: a signed change of on hand for a SKU at a location. */
export interface StockCorrection {
  readonly sku: string;
  /** The Omnistock location; `outletOf` gives its outlet. */
  readonly locationId: string;
  /** Units to add (positive) or take away (negative); a zero is left out. */
  readonly delta: number;
  /**
   * Why, in Lightspeed's words.
   * @default the writer's `reasons` for the correction's sign
   */
  readonly reason?: LightspeedAdjustmentReason;
}

/** What {@link LightspeedStockWriter.write} did. */
export interface StockCorrectionResult {
  /** Corrections sent and accepted (zeros are not counted). */
  readonly applied: number;
  /** Requests it took (at most 1,000 adjustments each). */
  readonly requests: number;
}

/** Writes stock corrections to Lightspeed as stock adjustments. */
export interface LightspeedStockWriter {
  /**
   * Sends the corrections as stock adjustments (deltas), 1,000 per request.
   *
   * Note: deltas are not absolute, so a request that failed after it may have reached
   * Lightspeed (a timeout, a 5xx) is not sent again, and no new request starts after a
   * failure. The error says in `details.applied` how many corrections were accepted and in
   * `details.unapplied` which ranges of `corrections` (`{ from, to }`, `to` excluded) were
   * not, or may not have been (the failed request's): check those against the store before
   * sending them again.
   *
   * @throws {@link OmnistockError} `VALIDATION` naming each correction at fault (a delta
   *   that is not a whole number, a reason that does not fit its sign) before anything is
   *   sent; `MAPPING_MISSING` for a SKU that is no tracked Lightspeed product or a
   *   location whose outlet does not exist; `MAPPING_DUPLICATE` for a SKU two products
   *   share; the transport's errors, with `details.applied`, when a request fails.
   */
  write(
    corrections: readonly StockCorrection[],
    options?: RoleCallOptions,
  ): Promise<StockCorrectionResult>;
}

/** Options of {@link createLightspeedStockWriter}. */
export interface LightspeedStockWriterOptions {
  readonly client: LightspeedClient;
  /**
   * The catalogue to resolve SKUs to product ids with, shared with the other roles (see
   * `createLightspeedCatalogue`).
   * @default one of its own over `client`
   */
  readonly catalogue?: LightspeedCatalogue;
  /**
   * The outlet of an Omnistock location.
   * @default the location id itself
   * @example
   * ```ts
   * outletOf: (locationId) => ({ "main-street": "0a6f6e36-8b6e-11e8-f62e-1b5f8e8f0f0a" })[locationId]!
   * ```
   */
  readonly outletOf?: (locationId: string) => string;
  /**
   * Requests in flight at once. Deltas commute, so their order does not matter; with
   * Lightspeed's answer taking a second or so for 1,000 adjustments, one at a time could
   * not spend the budget the rate limit allows. The client's own `concurrency` still caps it.
   * @default 4
   */
  readonly concurrency?: number;
  /**
   * The reason of a correction that gives none, by its sign.
   * @default { increase: "STOCK_FOUND", decrease: "DAMAGE" }
   */
  readonly reasons?: {
    readonly increase?: LightspeedIncreaseReason;
    readonly decrease?: LightspeedDecreaseReason;
  };
}

const ADJUSTMENTS_PER_REQUEST = 1000;

const optionsSchema = z.strictObject({
  client: clientOption,
  catalogue: catalogueOption.optional(),
  outletOf: fn.optional(),
  concurrency: z.number().int().min(1).max(32).optional(),
  reasons: z
    .strictObject({
      increase: z.enum(["STOCK_FOUND", "SAMPLE_FOR_SALE"]).optional(),
      decrease: z.enum(["DAMAGE", "EXPIRY", "INTERNAL_USE", "THEFT", "DONATION"]).optional(),
    })
    .optional(),
});

/**
 * Creates the writer of stock corrections (reconciliation's heal plan, a recount) to
 * Lightspeed X-Series: by SKU and location, translated to product id and outlet, sent as
 * dated-API stock adjustments of up to 1,000 items a request — at the standard limit of
 * 350 requests per five minutes that is about 1,167 corrections a second for one register.
 *
 * Why deltas: Lightspeed's absolute write (`PUT /api/2.1/products/{id}`) races with sales
 * at the counter and blurs the product history; an adjustment moves only what it says.
 * Lightspeed announces each change as `inventory.update`, which comes back to the runtime
 * as a counted level.
 *
 * The catalogue is read once and kept; a SKU it does not know makes it read again once.
 *
 * @throws {@link OmnistockError} `VALIDATION` naming every unknown, missing or invalid
 *   option.
 * @example
 * ```ts
 * const writer = createLightspeedStockWriter({ client });
 * await writer.write([
 *   { sku: "MUG-RED", locationId: "main-street", delta: -2, reason: "DAMAGE" },
 *   { sku: "TEA-EARL", locationId: "main-street", delta: 5 },
 * ]);
 * ```
 */
export function createLightspeedStockWriter(
  options: LightspeedStockWriterOptions,
): LightspeedStockWriter {
  checkOptions(optionsSchema, options, "Lightspeed stock writer options");
  const { client } = options;
  const outletOf = options.outletOf ?? ((locationId: string) => locationId);
  const reasons = {
    increase: options.reasons?.increase ?? "STOCK_FOUND",
    decrease: options.reasons?.decrease ?? "DAMAGE",
  };
  const concurrency = options.concurrency ?? 4;
  const catalogue = options.catalogue ?? createLightspeedCatalogue({ client });
  let outlets: Set<string> | undefined;

  function check(corrections: readonly StockCorrection[]): void {
    const issues: ValidationIssue[] = [];
    corrections.forEach((correction, i) => {
      if (typeof correction.sku !== "string" || correction.sku === "")
        issues.push({ path: ["corrections", i, "sku"], message: "expected a SKU" });
      if (typeof correction.locationId !== "string" || correction.locationId === "")
        issues.push({ path: ["corrections", i, "locationId"], message: "expected a location id" });
      if (!Number.isSafeInteger(correction.delta)) {
        issues.push({
          path: ["corrections", i, "delta"],
          message: "expected a whole number of units",
        });
        return;
      }
      const reason = correction.reason;
      if (reason === undefined || correction.delta === 0) return;
      const fits = correction.delta > 0 ? INCREASE.has(reason) : DECREASE.has(reason);
      if (!fits) {
        issues.push({
          path: ["corrections", i, "reason"],
          message: `"${reason}" does not fit a ${correction.delta > 0 ? "positive" : "negative"} delta`,
        });
      }
    });
    if (issues.length > 0)
      throw validationError("Lightspeed stock corrections", issues, { platform: "lightspeed" });
  }

  async function productIds(skus: readonly string[]): Promise<Map<string, string>> {
    const { missing, refreshed } = await catalogue.find("stockedSku", skus);
    const [sku] = missing;
    if (sku !== undefined) {
      throw new OmnistockError(
        "MAPPING_MISSING",
        `SKU "${sku}" is no Lightspeed product whose stock is tracked`,
        { platform: "lightspeed", retryable: !refreshed, details: { sku } },
      );
    }
    return new Map(skus.map((sku) => [sku, catalogue.productIdOf(sku) as string]));
  }

  async function checkOutlets(ids: readonly string[]): Promise<void> {
    if (outlets === undefined || ids.some((id) => !outlets?.has(id)))
      outlets = new Set((await client.outlets()).map((outlet) => outlet.id));
    const known = outlets;
    const missing = ids.find((id) => !known.has(id));
    if (missing !== undefined) {
      throw new OmnistockError("MAPPING_MISSING", `Lightspeed has no outlet "${missing}"`, {
        platform: "lightspeed",
        details: { outletId: missing },
      });
    }
  }

  return {
    async write(corrections, callOptions = {}) {
      check(corrections);
      const moving = corrections.filter((correction) => correction.delta !== 0);
      if (moving.length === 0) return { applied: 0, requests: 0 };
      const ids = await productIds([...new Set(moving.map((c) => c.sku))]);
      const outletOfLocation = new Map(
        [...new Set(moving.map((c) => c.locationId))].map((id) => [id, outletOf(id)]),
      );
      await checkOutlets([...new Set(outletOfLocation.values())]);
      const items = moving.map((correction) => ({
        productId: ids.get(correction.sku) as string,
        outletId: outletOfLocation.get(correction.locationId) as string,
        delta: correction.delta,
        reason: correction.reason ?? (correction.delta > 0 ? reasons.increase : reasons.decrease),
      }));
      const at = corrections.flatMap((correction, i) => (correction.delta === 0 ? [] : [i]));
      const chunks: { items: typeof items; from: number; to: number }[] = [];
      for (let i = 0; i < items.length; i += ADJUSTMENTS_PER_REQUEST) {
        const chunk = items.slice(i, i + ADJUSTMENTS_PER_REQUEST);
        chunks.push({
          items: chunk,
          from: at[i] as number,
          to: (at[i + chunk.length - 1] as number) + 1,
        });
      }
      let applied = 0;
      let requests = 0;
      let next = 0;
      let failure: unknown;
      const unapplied: { from: number; to: number }[] = [];
      // Deltas commute, so chunks may travel side by side; after a failure no new one starts.
      const lane = async () => {
        while (failure === undefined && next < chunks.length) {
          const chunk = chunks[next++] as (typeof chunks)[number];
          try {
            await client.adjustStock(chunk.items, callOptions);
            applied += chunk.items.length;
            requests++;
          } catch (error) {
            failure ??= error;
            unapplied.push({ from: chunk.from, to: chunk.to });
          }
        }
      };
      await Promise.all(Array.from({ length: Math.min(concurrency, chunks.length) }, lane));
      if (failure !== undefined) {
        if (!isOmnistockError(failure)) throw failure;
        for (const chunk of chunks.slice(next)) unapplied.push({ from: chunk.from, to: chunk.to });
        unapplied.sort((a, b) => a.from - b.from);
        throw new OmnistockError(
          failure.code,
          `${failure.message} (${applied} of ${items.length} corrections were applied)`,
          {
            cause: failure,
            retryable: failure.retryable,
            platform: "lightspeed",
            ...(failure.status === undefined ? {} : { status: failure.status }),
            ...(failure.requestId === undefined ? {} : { requestId: failure.requestId }),
            ...(failure.retryAfterMs === undefined ? {} : { retryAfterMs: failure.retryAfterMs }),
            details: { ...failure.details, applied, total: items.length, unapplied },
          },
        );
      }
      return { applied, requests };
    },
  };
}
