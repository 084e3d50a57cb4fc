import type { AmazonListing } from "./state.js";

/** Checks one quantity patch of a listing; returns the issue that makes it invalid, if any. */
export function patchIssue(
  listings: ReadonlyMap<string, AmazonListing>,
  sku: string,
  patch: unknown,
): string | undefined {
  const p = patch as { op?: unknown; path?: unknown; value?: unknown };
  if (!["add", "replace", "merge", "delete"].includes(p?.op as string))
    return "op must be add, replace, merge or delete";
  if (p.path !== "/attributes/fulfillment_availability") return undefined;
  if (!Array.isArray(p.value)) return "value must be an array";
  for (const entry of p.value as { fulfillment_channel_code?: unknown; quantity?: unknown }[]) {
    if (typeof entry.fulfillment_channel_code !== "string")
      return "fulfillment_channel_code is required";
    if (entry.fulfillment_channel_code !== "DEFAULT" && entry.quantity !== undefined) {
      return "Quantity of Amazon-fulfilled offers is managed by Amazon and cannot be set";
    }
    if (
      entry.quantity !== undefined &&
      (!Number.isInteger(entry.quantity) || (entry.quantity as number) < 0)
    ) {
      return "quantity must be a whole number of 0 or more";
    }
  }
  if (
    listings.get(sku)?.fulfillmentChannelCode !== "DEFAULT" &&
    (p.value as { quantity?: unknown }[]).some((e) => e.quantity !== undefined)
  ) {
    return "Quantity of Amazon-fulfilled offers is managed by Amazon and cannot be set";
  }
  return undefined;
}

/** The merchant quantity a valid patch sets, if it sets one. */
export function quantityOf(patch: {
  path: string;
  value: { fulfillment_channel_code: string; quantity?: number }[];
}): number | undefined {
  if (patch.path !== "/attributes/fulfillment_availability") return undefined;
  return patch.value.find((v) => v.fulfillment_channel_code === "DEFAULT")?.quantity;
}
