import { functionOption, objectWithMethods, parseWith, validationError } from "@omnistock/core";
import type { z } from "zod";

/** A function-valued option (a lookup, a clock, a listener). */
export const fn = functionOption;

/** The client option every role takes, recognised by shape. */
export const clientOption = objectWithMethods("a LightspeedClient (from createLightspeedClient)", [
  "products",
  "adjustStock",
]);

/** The catalogue option of every role, recognised by shape. */
export const catalogueOption = objectWithMethods(
  "a LightspeedCatalogue (from createLightspeedCatalogue)",
  ["find", "skuOf", "productIdOf", "update"],
);

/**
 * Checks an options object: unknown keys, wrong types and missing required keys are
 * reported together in one `VALIDATION` error naming each field.
 */
export function checkOptions(schema: z.ZodType, input: unknown, what: string): void {
  parseWith(schema, input, what, { platform: "lightspeed" });
}

/**
 * What is wrong with a choice of `secrets` and `allowUnsigned`, or `undefined` when it is
 * one of the two allowed: non-empty `secrets`, or `allowUnsigned: true` alone.
 */
export function signingProblem(options: {
  readonly secrets?: unknown;
  readonly allowUnsigned?: unknown;
}): string | undefined {
  const { secrets } = options;
  const unsigned = options.allowUnsigned === true;
  if (secrets === undefined)
    return unsigned
      ? undefined
      : "required: the app's client secret(s), or allowUnsigned: true for a personal-token store's unsigned webhooks";
  if (unsigned) return "give secrets or allowUnsigned: true, not both";
  const valid =
    Array.isArray(secrets) &&
    secrets.length > 0 &&
    secrets.every((s) => typeof s === "string" && s !== "");
  return valid ? undefined : "expected one or more non-empty client secrets";
}

/**
 * Whether webhooks are to be verified: `true` with non-empty `secrets`, `false` with
 * `allowUnsigned: true`.
 * @throws {@link OmnistockError} `VALIDATION` naming `secrets` for anything else.
 */
export function signingChoice(
  options: { readonly secrets?: readonly string[]; readonly allowUnsigned?: boolean },
  what: string,
): boolean {
  const problem = signingProblem(options);
  if (problem !== undefined)
    throw validationError(what, [{ path: ["secrets"], message: problem }], {
      platform: "lightspeed",
    });
  return options.secrets !== undefined;
}
