import type { Arbitrary, default as FastCheck } from "fast-check";

/** Raw JSON number tokens that JSON.parse turns into edge cases (Infinity, -0, 0, lost digits). */
const RAW_NUMBERS = ["1e400", "-1e400", "-0", "1e-400", "123456789012345678901234567890", "0.0"];

/** Every path of an object's values (arrays by index), the root excluded. */
function pathsOf(value: unknown, prefix: readonly (string | number)[] = []): (string | number)[][] {
  if (typeof value !== "object" || value === null) return [];
  const entries: [string | number, unknown][] = Array.isArray(value)
    ? value.map((v, i) => [i, v])
    : Object.entries(value);
  return entries.flatMap(([key, v]) => [[...prefix, key], ...pathsOf(v, [...prefix, key])]);
}

/** `base` as JSON with the value at `path` replaced by the raw JSON text `raw`. */
function replaced(base: unknown, path: readonly (string | number)[], raw: string): string {
  const copy = structuredClone(base) as Record<string | number, unknown>;
  let at: Record<string | number, unknown> = copy;
  for (const key of path.slice(0, -1)) at = at[key] as Record<string | number, unknown>;
  const last = path.at(-1);
  if (last !== undefined) at[last] = "\u0000@RAW\u0000";
  return JSON.stringify(copy).replace('"\\u0000@RAW\\u0000"', raw);
}

/**
 * Arbitrary webhook bodies: any text (unicode included), any JSON value (`null`, arrays,
 * numbers), deep nesting, and valid payloads with one field anywhere in them replaced by
 * any JSON value or a number token at the edge of what JSON.parse gives.
 *
 * A receiver fed these must answer each with a typed result (accepted, or rejected naming
 * the field) and never throw: the body comes from outside.
 *
 * @param fc - Your `fast-check` (`import fc from "fast-check"`): the kit builds on it and
 *   so does not make this package depend on it.
 * @param valid - Real payloads of the receiver's topics; mutations start from them. At
 *   least one, with at least one field.
 * @example
 * ```ts
 * await fc.assert(
 *   fc.asyncProperty(arbitraryBody(fc, [orderPayload]), async (body) => {
 *     const result = await receiver.tryReceive(signed(body));
 *     if (!result.ok) expect(result.error.code).toBe("VALIDATION");
 *   }),
 * );
 * ```
 */
export function arbitraryBody(fc: typeof FastCheck, valid: readonly unknown[]): Arbitrary<string> {
  const mutated = fc.constantFrom(...valid).chain((base) =>
    fc
      .tuple(
        fc.constantFrom(...pathsOf(base)),
        fc.oneof(
          fc.jsonValue().map((v) => JSON.stringify(v) ?? "null"),
          fc.constantFrom(...RAW_NUMBERS),
          fc.string({ unit: "binary" }).map((s) => JSON.stringify(s)),
        ),
      )
      .map(([path, raw]) => replaced(base, path, raw)),
  );
  const nested = fc
    .tuple(fc.integer({ min: 1, max: 5_000 }), fc.constantFrom(["[", "]"], ['{"a":', "}"]))
    .map(([depth, [open, close]]) => `${open.repeat(depth)}1${close.repeat(depth)}`);
  return fc.oneof(
    { arbitrary: mutated, weight: 6 },
    { arbitrary: fc.string({ unit: "binary" }), weight: 1 },
    { arbitrary: fc.jsonValue().map((v) => JSON.stringify(v) ?? "null"), weight: 1 },
    { arbitrary: nested, weight: 1 },
    { arbitrary: fc.constantFrom("null", "[]", "{}", '""', "0", ...RAW_NUMBERS), weight: 1 },
  );
}
