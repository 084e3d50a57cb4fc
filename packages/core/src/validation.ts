import type { z } from "zod";
import { type OmnistockErrorOptions, type ValidationIssue, validationError } from "./errors.js";

/**
 * Parses `input` with a zod schema and returns the typed value, or throws a
 * {@link OmnistockErrorCode.VALIDATION} error that names every field at fault.
 *
 * @param what - What the input is, for the message ("catalog", "Shopify order webhook").
 * @throws {@link OmnistockError} with code `VALIDATION` and `issues` set.
 */
export function parseWith<S extends z.ZodType>(
  schema: S,
  input: unknown,
  what: string,
  options: Omit<OmnistockErrorOptions, "issues"> = {},
): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw validationError(what, toIssues(result.error), options);
}

/** Turns a zod error into Omnistock validation issues. */
export function toIssues(error: z.ZodError): ValidationIssue[] {
  return error.issues.map((issue) => ({
    path: issue.path.filter((p): p is string | number => typeof p !== "symbol"),
    message: issue.message,
  }));
}
