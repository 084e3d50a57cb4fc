import { z } from "zod";
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

/** The zod schema of an option that must be a function (a clock, a lookup, a listener). */
export const functionOption = z.custom<(...args: never[]) => unknown>(
  (value) => typeof value === "function",
  { error: "expected a function" },
);

/**
 * The zod schema of an object option recognised by the methods Omnistock calls on it (a
 * client, a store, an adapter's role): its own factory validated the rest.
 *
 * @param what - What is expected, for the message: `"an AmazonClient"`.
 */
export function objectWithMethods<T extends object>(what: string, methods: readonly string[]) {
  return z.custom<T>(
    (value) =>
      typeof value === "object" &&
      value !== null &&
      methods.every((m) => typeof (value as Record<string, unknown>)[m] === "function"),
    { error: `expected ${what}` },
  );
}
