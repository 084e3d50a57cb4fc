import { parseWith } from "@omnistock/core";
import { z } from "zod";

/** A function-valued option (a lookup, a clock, a listener). */
export const fn = z.custom<(...args: never[]) => unknown>((value) => typeof value === "function", {
  error: "expected a function",
});

/** The client option every role takes, recognised by shape. */
export const clientOption = z.custom<object>(
  (value) =>
    typeof value === "object" &&
    value !== null &&
    typeof (value as { products?: unknown }).products === "function" &&
    typeof (value as { adjustStock?: unknown }).adjustStock === "function",
  { error: "expected a LightspeedClient (from createLightspeedClient)" },
);

/**
 * Checks an options object: unknown keys, wrong types and missing required keys are
 * reported together in one `VALIDATION` error naming each field.
 */
export function checkOptions(schema: z.ZodType, input: unknown, what: string): void {
  parseWith(schema, input, what, { platform: "lightspeed" });
}
