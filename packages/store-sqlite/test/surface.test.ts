/**
 * The public surface of @omnistock/store-sqlite, pinned: each entry point's runtime exports by name, and
 * its type-only exports by a tuple that stops typechecking when one is removed. A change to
 * these lists is a deliberate change of the package's surface, and gets a changeset.
 */
import { describe, expect, expectTypeOf, it } from "vitest";
import type * as Api from "../src/index.js";

/** The type-only exports of @omnistock/store-sqlite. */
type TypeExports = [Api.SqliteStoreOptions];

describe("public surface", () => {
  it("the public surface of @omnistock/store-sqlite is exactly this list", async () => {
    expect(Object.keys(await import("../src/index.js")).sort()).toEqual([
      "APPLICATION_ID",
      "SCHEMA_VERSION",
      "SQLITE_STORE_DEFAULTS",
      "createSqliteStore",
    ]);
    expectTypeOf<TypeExports>().toHaveProperty("length").toEqualTypeOf<1>();
  });
  it("exports no zod schema: zod stays out of the public surface (docs/architecture.md)", async () => {
    const api: Record<string, unknown> = await import("../src/index.js");
    const schemas = Object.keys(api).filter((name) => {
      const value = api[name];
      return (
        (typeof value === "object" || typeof value === "function") &&
        value !== null &&
        "_zod" in value
      );
    });
    expect(schemas).toEqual([]);
  });
});
