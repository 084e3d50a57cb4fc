import { GraphQLError } from "graphql";
import type { Clock } from "../common/types.js";
import { type Level, QUANTITY_NAMES, type QuantityName, type ShopifyState } from "./state.js";

/** The inventory mutations: set and adjust quantities, each run once per idempotency key. */
export interface ShopifyMutations {
  setQuantities(input: SetQuantitiesInput): unknown;
  adjustQuantities(input: AdjustQuantitiesInput): unknown;
  /** Runs a mutation once per idempotency key: a repeat returns the first result. */
  once<T>(
    key: string | undefined,
    input: unknown,
    run: () => T,
  ): T | { inventoryAdjustmentGroup: null; userErrors: unknown[] };
}

/** One item of `inventorySetQuantities`. */
export type QuantityInput = {
  inventoryItemId: string;
  locationId: string;
  quantity: number;
  changeFromQuantity?: number | null;
};

/** The input of `inventorySetQuantities`. */
export type SetQuantitiesInput = { reason: string; name: string; quantities: QuantityInput[] };

/** One change of `inventoryAdjustQuantities`. */
export type ChangeInput = {
  inventoryItemId: string;
  locationId: string;
  delta: number;
  changeFromQuantity?: number | null;
};

/** The input of `inventoryAdjustQuantities`. */
export type AdjustQuantitiesInput = { reason: string; name: string; changes: ChangeInput[] };

/** Creates the mutations over the store's state; `emitLevel` announces each changed level. */
export function createShopifyMutations(
  state: ShopifyState,
  emitLevel: (itemId: string, locationId: string) => void,
  clock: Clock,
): ShopifyMutations {
  const { gid, locations, items, level, levelKey, onHand, idempotency } = state;
  const adjustmentGroup = (
    reason: string,
    changes: { name: string; delta: number; quantityAfterChange: number }[],
  ) => ({
    id: gid("InventoryAdjustmentGroup"),
    createdAt: new Date(clock()).toISOString(),
    reason,
    changes: () => changes,
  });

  function setQuantities(input: SetQuantitiesInput) {
    const errors: { code: string; field: string[]; message: string }[] = [];
    if (input.name !== "available" && input.name !== "on_hand") {
      errors.push({
        code: "INVALID_NAME",
        field: ["input", "name"],
        message: "The quantity name must be either 'available' or 'on_hand'.",
      });
    }
    const seen = new Set<string>();
    input.quantities.forEach((q, i) => {
      const field = ["input", "quantities", String(i)];
      const l = level(q.inventoryItemId, q.locationId);
      if (!items.has(q.inventoryItemId))
        errors.push({
          code: "INVALID_INVENTORY_ITEM",
          field: [...field, "inventoryItemId"],
          message: "The specified inventory item could not be found.",
        });
      else if (!locations.has(q.locationId))
        errors.push({
          code: "INVALID_LOCATION",
          field: [...field, "locationId"],
          message: "The specified location could not be found.",
        });
      else if (l === undefined || !l.active)
        errors.push({
          code: "ITEM_NOT_STOCKED_AT_LOCATION",
          field: [...field, "locationId"],
          message: "The specified inventory item is not stocked at the location.",
        });
      if (q.quantity < 0)
        errors.push({
          code: "INVALID_QUANTITY_NEGATIVE",
          field: [...field, "quantity"],
          message: "The quantity can't be negative.",
        });
      if (seen.has(levelKey(q.inventoryItemId, q.locationId))) {
        errors.push({
          code: "NO_DUPLICATE_INVENTORY_ITEM_ID_GROUP_ID_PAIR",
          field: [...field],
          message: "The combination of inventoryItemId and locationId must be unique.",
        });
      }
      seen.add(levelKey(q.inventoryItemId, q.locationId));
      if (!("changeFromQuantity" in q)) {
        errors.push({
          code: "CHANGE_FROM_QUANTITY_STALE",
          field: [...field, "changeFromQuantity"],
          message: "changeFromQuantity must be specified; pass null to opt out of the check.",
        });
      } else if (
        l !== undefined &&
        q.changeFromQuantity !== null &&
        q.changeFromQuantity !== undefined
      ) {
        const current = input.name === "on_hand" ? onHand(l.quantities) : l.quantities.available;
        if (current !== q.changeFromQuantity) {
          errors.push({
            code: "CHANGE_FROM_QUANTITY_STALE",
            field: [...field, "changeFromQuantity"],
            message: `The quantity couldn't be set: it is ${current}, not ${q.changeFromQuantity}.`,
          });
        }
      }
    });
    if (errors.length > 0) return { inventoryAdjustmentGroup: null, userErrors: errors };
    const changes = input.quantities.map((q) => {
      const l = level(q.inventoryItemId, q.locationId) as Level;
      const before = input.name === "on_hand" ? onHand(l.quantities) : l.quantities.available;
      l.quantities.available += q.quantity - before;
      emitLevel(q.inventoryItemId, q.locationId);
      return { name: input.name, delta: q.quantity - before, quantityAfterChange: q.quantity };
    });
    return { inventoryAdjustmentGroup: adjustmentGroup(input.reason, changes), userErrors: [] };
  }

  function adjustQuantities(input: AdjustQuantitiesInput) {
    const errors: { code: string; field: string[]; message: string }[] = [];
    const name = input.name as QuantityName;
    if (!QUANTITY_NAMES.includes(name) || name === "committed") {
      errors.push({
        code: "INVALID_QUANTITY_NAME",
        field: ["input", "name"],
        message: "The quantity name is not adjustable.",
      });
    }
    input.changes.forEach((c, i) => {
      const field = ["input", "changes", String(i)];
      const l = level(c.inventoryItemId, c.locationId);
      if (!items.has(c.inventoryItemId))
        errors.push({
          code: "INVALID_INVENTORY_ITEM",
          field: [...field, "inventoryItemId"],
          message: "The specified inventory item could not be found.",
        });
      else if (l === undefined || !l.active)
        errors.push({
          code: "ITEM_NOT_STOCKED_AT_LOCATION",
          field: [...field, "locationId"],
          message: "The specified inventory item is not stocked at the location.",
        });
      else if (
        c.changeFromQuantity !== null &&
        c.changeFromQuantity !== undefined &&
        l.quantities[name] !== c.changeFromQuantity
      ) {
        errors.push({
          code: "CHANGE_FROM_QUANTITY_STALE",
          field: [...field, "changeFromQuantity"],
          message: "The quantity has changed since it was read.",
        });
      }
    });
    if (errors.length > 0) return { inventoryAdjustmentGroup: null, userErrors: errors };
    const changes = input.changes.map((c) => {
      const l = level(c.inventoryItemId, c.locationId) as Level;
      l.quantities[name] += c.delta;
      emitLevel(c.inventoryItemId, c.locationId);
      return { name, delta: c.delta, quantityAfterChange: l.quantities[name] };
    });
    return { inventoryAdjustmentGroup: adjustmentGroup(input.reason, changes), userErrors: [] };
  }

  function once<T>(
    key: string | undefined,
    input: unknown,
    run: () => T,
  ): T | { inventoryAdjustmentGroup: null; userErrors: unknown[] } {
    if (key === undefined)
      throw new GraphQLError("The @idempotent directive is required for this mutation.", {
        extensions: { code: "BAD_REQUEST" },
      });
    const serialized = JSON.stringify(input);
    const previous = idempotency.get(key);
    if (previous !== undefined) {
      if (previous.input !== serialized) {
        return {
          inventoryAdjustmentGroup: null,
          userErrors: [
            {
              code: "IDEMPOTENCY_KEY_PARAMETER_MISMATCH",
              field: ["input"],
              message: "The same idempotency key was used with different parameters.",
            },
          ],
        };
      }
      return previous.result as T;
    }
    const result = run();
    idempotency.set(key, { input: serialized, result });
    return result;
  }

  return { setQuantities, adjustQuantities, once };
}
