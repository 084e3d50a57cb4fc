import { functionOption, objectWithMethods, parseWith } from "@omnistock/core";
import type { z } from "zod";

/** A function-valued option (a lookup, a clock, a listener). */
export const fn = functionOption;

/** The client option every role takes, recognised by shape. */
export const clientOption = objectWithMethods("a LightspeedClient (from createLightspeedClient)", [
  "products",
  "adjustStock",
]);

/**
 * Checks an options object: unknown keys, wrong types and missing required keys are
 * reported together in one `VALIDATION` error naming each field.
 */
export function checkOptions(schema: z.ZodType, input: unknown, what: string): void {
  parseWith(schema, input, what, { platform: "lightspeed" });
}
