import { parseWith } from "@omnistock/core";
import { z } from "zod";

/**
 * Checks an options object against its schema: unknown keys, wrong types and missing
 * required keys are reported together in one `VALIDATION` error naming each field. The
 * caller keeps using its own typed object; the schema only guards the boundary.
 */
export function checkOptions(schema: z.ZodType, input: unknown, what: string): void {
  parseWith(schema, input, what);
}

/** A function-valued option (fetch, clock, listener). */
export const fn = z.custom<(...args: never[]) => unknown>((value) => typeof value === "function", {
  error: "expected a function",
});

/** A positive, finite number. */
export const positive = z.number().positive().finite();

/** A whole number of milliseconds, zero or more. */
export const milliseconds = z.number().int().nonnegative();

/** An AbortSignal, recognised by shape so that one from another realm passes. */
export const abortSignal = z.custom<AbortSignal>(
  (value) =>
    typeof value === "object" &&
    value !== null &&
    typeof (value as AbortSignal).throwIfAborted === "function" &&
    typeof (value as AbortSignal).addEventListener === "function",
  { error: "expected an AbortSignal" },
);

/** The time options every limiter takes. */
export const limiterTime = {
  clock: fn.optional(),
  sleep: fn.optional(),
  settleAfterMs: milliseconds.optional(),
};
