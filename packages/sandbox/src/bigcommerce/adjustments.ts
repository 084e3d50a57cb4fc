import { json, readJson } from "../common/http.js";
import { randomToken } from "../common/ids.js";
import type { Random } from "../common/random.js";
import type { Clock } from "../common/types.js";
import { problem } from "./answers.js";
import type { AdjustmentItem, BigCommerceState } from "./state.js";

const MAX_ITEMS = 2_000;

/**
 * The items of an absolute or relative adjustment, or the 422 that refuses them: 2,000
 * items at most, known items and locations, and no relative change of a level never set.
 */
export function parseItems(
  state: BigCommerceState,
  body: unknown,
  kind: "absolute" | "relative",
): readonly AdjustmentItem[] | Response {
  const items = (body as { items?: unknown } | undefined)?.items;
  if (!Array.isArray(items) || items.length === 0)
    return problem(422, "items: at least one item is required");
  if (items.length > MAX_ITEMS)
    return problem(422, `items: at most ${MAX_ITEMS} items per request`);
  const parsed: AdjustmentItem[] = [];
  const errors: Record<string, string> = {};
  items.forEach((raw: Record<string, unknown>, i) => {
    const variant =
      typeof raw.sku === "string"
        ? state.variants.get(raw.sku)
        : typeof raw.variant_id === "number"
          ? state.variantsById.get(raw.variant_id)
          : typeof raw.product_id === "number"
            ? state.firstOfProduct.get(raw.product_id)
            : undefined;
    if (variant === undefined) errors[`items.${i}`] = "unknown item";
    else if (state.products.get(variant.product_id)?.tracking === "none")
      errors[`items.${i}`] = "inventory tracking is off for this item";
    if (typeof raw.location_id !== "number" || !state.locations.has(raw.location_id))
      errors[`items.${i}.location_id`] = "unknown location";
    if (!Number.isInteger(raw.quantity) || (kind === "absolute" && (raw.quantity as number) < 0))
      errors[`items.${i}.quantity`] = "invalid quantity";
    if (Object.keys(errors).length === 0 && variant !== undefined) {
      parsed.push({
        variant,
        locationId: raw.location_id as number,
        quantity: raw.quantity as number,
      });
    }
  });
  if (Object.keys(errors).length > 0) return problem(422, "Invalid items", errors);
  if (kind === "relative") {
    const fresh = parsed.filter((item) => !state.hasAbsolute(item.variant, item.locationId));
    if (fresh.length > 0) {
      return problem(
        422,
        `Items with identity: [${fresh.map((f) => `variant_id ${f.variant.id}`).join(", ")}] requires absolute adjustment before relative`,
      );
    }
  }
  return parsed;
}

/** The handler of an adjustment endpoint: accepted now, visible after `applyDelayMs`. */
export function adjustHandler(
  state: BigCommerceState,
  kind: "absolute" | "relative",
  { clock, random, applyDelayMs }: { clock: Clock; random: Random; applyDelayMs: number },
) {
  return async ({ request }: { request: Request }) => {
    const items = parseItems(state, await readJson(request), kind);
    if (items instanceof Response) return items;
    state.pending.push({ kind, items, visibleAt: clock() + applyDelayMs });
    state.applyDue(clock());
    return json(200, { transaction_id: `txn_${randomToken(random, 48, 36)}` });
  };
}
