import { OmnistockError, parseWith, type StockEvent, validationError } from "@omnistock/core";
import { verifyHmac } from "@omnistock/transport";
import { z } from "zod";
import { signingChoice } from "./options.js";
import { inventoryWebhookSchema, productWebhookSchema, saleWebhookSchema } from "./schemas.js";
import { saleTime } from "./time.js";

/** Sale statuses whose lines have left the shelf. */
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

/** Options of {@link parseLightspeedWebhook}. */
export interface ParseLightspeedWebhookOptions {
  /** The raw body, exactly as received (form-encoded, with a JSON `payload` field). */
  readonly body: string;
  /** The `X-Signature` header (`signature=…,algorithm=HMAC-SHA256`). */
  readonly signature: string | null | undefined;
  /**
   * The OAuth app's client secret(s), current first: webhooks to OAuth apps are signed
   * with it. Required unless `allowUnsigned` is `true`.
   */
  readonly secrets?: readonly string[];
  /**
   * Takes webhooks without verifying them, for personal-token stores (they send unsigned
   * webhooks). Anyone who can reach the endpoint can then post stock changes: only behind
   * a network boundary of your own. Not together with `secrets`.
   * @default false
   */
  readonly allowUnsigned?: boolean;
  /** The SKU of a Lightspeed product id (`undefined` for one Omnistock does not track). */
  readonly skuOf: (productId: string) => string | undefined;
  /** @default the outlet id itself */
  readonly locationOf?: (outletId: string) => string;
  /** @default Date.now */
  readonly clock?: () => number;
}

/** What a Lightspeed webhook said. */
export interface LightspeedWebhook {
  readonly type: "inventory.update" | "sale.update" | "product.update";
  /**
   * The de-duplication key. Lightspeed sends no delivery id, so it is derived from the
   * object and its version: a redelivery of the same change gets the same key.
   */
  readonly deliveryId: string;
  /** The stock events it carries (none for `product.update`). */
  readonly events: readonly StockEvent[];
  /** For `product.update`: the product, to refresh the catalogue and SKU mapping. */
  readonly product?: z.output<typeof productWebhookSchema>;
  /** For `inventory.update`: which level it is and its version, to recognise a stale one. */
  readonly level?: {
    readonly productId: string;
    readonly outletId: string;
    readonly version?: number;
  };
}

const formSchema = z.object({
  type: z.enum(["inventory.update", "sale.update", "product.update"]),
  payload: z.string().min(1),
});

/**
 * Verifies and parses a Lightspeed X-Series webhook into stock events: `inventory.update`
 * becomes a counted level with its version; `sale.update` of a sale that took stock
 * (closed, on account, …) becomes a POS sale — a return when its quantities are negative —
 * and a voided sale gives its stock back; `product.update` is a catalogue change. A sale
 * recorded for a channel order carries its `source_id` (`channel:order`, see
 * `saleReference`) as the `orderRef` that releases the order's commitment.
 *
 * The signature is checked before anything is parsed. Lightspeed does not say how the
 * `X-Signature` value is encoded, so hex and base64 are both accepted.
 *
 * Every quantity (`count`, line `quantity`) must be a whole number within
 * `LIGHTSPEED_MAX_QUANTITY`; `count`, from an API 1.0 object, may also be its decimal
 * string (`"5"`, `"5.00000"`). Anything else refuses the whole webhook.
 *
 * @throws {@link OmnistockError} `SIGNATURE` for a bad signature, `VALIDATION` naming the
 *   field for a malformed body or quantity, `VALIDATION` naming `secrets` when neither
 *   `secrets` nor `allowUnsigned: true` is given.
 */
export function parseLightspeedWebhook(options: ParseLightspeedWebhookOptions): LightspeedWebhook {
  const verify = signingChoice(options, "Lightspeed webhook options");
  if (verify) {
    const header = signatureHeader(options.signature);
    // The header names its algorithm; only HMAC-SHA256 is one Lightspeed uses.
    if (header.algorithm !== undefined && header.algorithm.toUpperCase() !== "HMAC-SHA256") {
      throw new OmnistockError(
        "SIGNATURE",
        `Lightspeed webhook rejected: unknown X-Signature algorithm "${header.algorithm}"`,
        { platform: "lightspeed" },
      );
    }
    const valid = verifyHmac({
      payload: options.body,
      signature: header.signature,
      secrets: options.secrets as readonly string[],
      encoding: ["hex", "base64"],
    });
    if (!valid)
      throw new OmnistockError(
        "SIGNATURE",
        "Lightspeed webhook rejected: the X-Signature does not match",
        { platform: "lightspeed" },
      );
  }
  const form = parseWith(
    formSchema,
    Object.fromEntries(new URLSearchParams(options.body)),
    "Lightspeed webhook",
    { platform: "lightspeed" },
  );
  let payload: unknown;
  try {
    payload = JSON.parse(form.payload);
  } catch {
    throw validationError("Lightspeed webhook", [{ path: ["payload"], message: "not JSON" }], {
      platform: "lightspeed",
    });
  }
  const locationOf = options.locationOf ?? ((id: string) => id);
  const at = (options.clock ?? Date.now)();
  const what = `Lightspeed ${form.type} webhook payload`;

  if (form.type === "inventory.update") {
    const level = parseWith(inventoryWebhookSchema, payload, what, { platform: "lightspeed" });
    const sku = options.skuOf(level.product_id);
    const deliveryId = `lightspeed:inventory:${level.product_id}:${level.outlet_id}:${level.version ?? level.count}`;
    const events: StockEvent[] =
      sku === undefined
        ? []
        : [
            {
              type: "stock.counted",
              // Not the id a poll gives the same version: a later look at one version tells
              // that the level still held then, which dates the count better.
              id: `lightspeed:inventory.update:${level.product_id}:${level.outlet_id}:${level.version ?? level.count}`,
              at,
              locationId: locationOf(level.outlet_id),
              sku,
              onHand: level.count,
              ...(level.version === undefined ? {} : { version: level.version }),
            },
          ];
    return {
      type: form.type,
      deliveryId,
      events,
      level: {
        productId: level.product_id,
        outletId: level.outlet_id,
        ...(level.version === undefined ? {} : { version: level.version }),
      },
    };
  }
  if (form.type === "product.update") {
    const product = parseWith(productWebhookSchema, payload, what, { platform: "lightspeed" });
    return {
      type: form.type,
      deliveryId: `lightspeed:product:${product.id}:${product.version ?? at}`,
      events: [],
      product,
    };
  }
  const sale = parseWith(saleWebhookSchema, payload, what, { platform: "lightspeed" });
  // The sale's own time, so that a level counted after it already holds it, whichever
  // webhook arrives first.
  const saleAt = saleTime(sale.sale_date) ?? at;
  const deliveryId = `lightspeed:sale:${sale.id}:${sale.status}:${sale.version ?? ""}`;
  const locationId = locationOf(sale.outlet_id);
  const lines = (sale.line_items ?? []).flatMap((line) => {
    const sku = options.skuOf(line.product_id);
    return sku === undefined || line.quantity === 0 ? [] : [{ sku, quantity: line.quantity }];
  });
  const sold = lines.filter((l) => l.quantity > 0);
  const returned = lines
    .filter((l) => l.quantity < 0)
    .map((l) => ({ sku: l.sku, quantity: -l.quantity, restock: true }));
  const events: StockEvent[] = [];
  // A sale that takes stock is one event id whatever its later status: a void reverses it.
  const saleEvent = `lightspeed:sale:${sale.id}`;
  if (TAKES_STOCK.has(sale.status)) {
    if (sold.length > 0) {
      events.push({
        type: "pos.sale",
        id: saleEvent,
        at: saleAt,
        locationId,
        lines: sold,
        ...(sale.source_id ? { orderRef: sale.source_id } : {}),
      });
    }
    if (returned.length > 0)
      events.push({
        type: "pos.return",
        id: `${saleEvent}:return`,
        at: saleAt,
        locationId,
        lines: returned,
      });
  } else if (sale.status === "VOIDED" && sold.length > 0) {
    events.push({
      type: "pos.return",
      id: `${saleEvent}:void`,
      // When it was voided, where the payload says: a level counted after the void holds it.
      at: saleTime(sale.updated_at) ?? at,
      locationId,
      lines: sold.map((l) => ({ ...l, restock: true })),
    });
  }
  return { type: "sale.update", deliveryId, events };
}

/** The parts of `X-Signature: signature=…,algorithm=HMAC-SHA256`. */
function signatureHeader(value: string | null | undefined): {
  signature?: string;
  algorithm?: string;
} {
  const parts: { signature?: string; algorithm?: string } = {};
  for (const part of (value ?? "").split(",")) {
    const at = part.indexOf("=");
    if (at < 0) continue;
    const name = part.slice(0, at).trim().toLowerCase();
    // A base64 signature may end in "=": everything after the first "=" is the value.
    const text = part.slice(at + 1).trim();
    if (name === "signature") parts.signature = text;
    else if (name === "algorithm") parts.algorithm = text;
  }
  return parts;
}
