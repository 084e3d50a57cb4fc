import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { emptyPosition, isOmnistockError, type OmnistockError, positionKey } from "@omnistock/core";
import type { SyncStore } from "@omnistock/sync";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { APPLICATION_ID, createSqliteStore, SCHEMA_VERSION } from "../src/index.js";
import { SCHEMA_V1_AS_RELEASED } from "./fixtures/schema-v1.js";

const dir = mkdtempSync(join(tmpdir(), "omnistock-sqlite-foreign-"));
let files = 0;
const open: SyncStore[] = [];

function newPath(): string {
  files += 1;
  return join(dir, `db-${files}.db`);
}

/** A database file made by `setup` with SQLite itself, closed. */
function databaseAt(setup: string): string {
  const path = newPath();
  const db = new DatabaseSync(path);
  db.exec(setup);
  db.close();
  return path;
}

const fingerprint = (path: string) => createHash("sha256").update(readFileSync(path)).digest("hex");

/** The error `createSqliteStore` throws for `path`; checks that the file was not changed. */
function refusal(path: string): OmnistockError {
  const before = fingerprint(path);
  let caught: unknown;
  try {
    open.push(createSqliteStore({ path }));
  } catch (error) {
    caught = error;
  }
  expect(isOmnistockError(caught), String(caught)).toBe(true);
  expect(fingerprint(path)).toBe(before);
  expect(existsSync(`${path}-wal`)).toBe(false);
  expect(existsSync(`${path}-journal`)).toBe(false);
  return caught as OmnistockError;
}

afterEach(async () => {
  for (const store of open.splice(0)) await store.close();
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe("createSqliteStore on a database it did not make", () => {
  it("refuses a foreign database with user_version 1 with CONFIG naming the path and what it holds, changing nothing", () => {
    const path = databaseAt(`
      CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT);
      INSERT INTO customers (name) VALUES ('Ada');
      PRAGMA user_version = 1;
    `);
    const error = refusal(path);
    expect(error.code).toBe("CONFIG");
    expect(error.message).toContain(path);
    expect(error.message).toContain("customers");
    expect(error.details).toMatchObject({
      path,
      version: 1,
      applicationId: 0,
      tables: ["customers"],
    });
  });

  it("refuses a foreign non-empty database with user_version 0 instead of adopting it, changing nothing", () => {
    const path = databaseAt(`
      CREATE TABLE events (id TEXT PRIMARY KEY, body TEXT);
      CREATE TABLE positions (x INTEGER);
      INSERT INTO events VALUES ('a', 'b');
    `);
    const error = refusal(path);
    expect(error.code).toBe("CONFIG");
    expect(error.details).toMatchObject({ path, version: 0, tables: ["events", "positions"] });
    const db = new DatabaseSync(path);
    expect(db.prepare("SELECT count(*) AS n FROM events").get()).toEqual({ n: 1 });
    db.close();
  });

  it("refuses a database that another application marked as its own", () => {
    const path = databaseAt("PRAGMA application_id = 1234; CREATE TABLE t (x);");
    const error = refusal(path);
    expect(error.code).toBe("CONFIG");
    expect(error.details).toMatchObject({ path, applicationId: 1234 });
  });

  it("refuses a file that is not a SQLite database with STORAGE, changing nothing", () => {
    const path = newPath();
    writeFileSync(path, "name,quantity\nMUG,3\n".repeat(100));
    expect(refusal(path).code).toBe("STORAGE");
  });

  it("refuses a store of its own at a newer schema version with STORAGE saying so", () => {
    const path = databaseAt(
      `${SCHEMA_V1_AS_RELEASED} PRAGMA application_id = ${APPLICATION_ID}; PRAGMA user_version = ${SCHEMA_VERSION + 1};`,
    );
    const error = refusal(path);
    expect(error.code).toBe("STORAGE");
    expect(error.message).toMatch(/newer version of @omnistock\/store-sqlite/);
    expect(error.details).toMatchObject({ path, version: SCHEMA_VERSION + 1 });
  });

  it("refuses a store of its own whose tables are missing with STORAGE naming them", () => {
    const path = databaseAt(
      `${SCHEMA_V1_AS_RELEASED} PRAGMA application_id = ${APPLICATION_ID}; DROP TABLE parked;`,
    );
    const error = refusal(path);
    expect(error.code).toBe("STORAGE");
    expect(error.details).toMatchObject({ path, missing: ["parked"] });
  });
});

describe("createSqliteStore on a new or an own database", () => {
  it("initialises a file that does not exist yet, and an existing empty database, and marks them", async () => {
    for (const path of [newPath(), databaseAt("PRAGMA user_version = 0;")]) {
      const store = createSqliteStore({ path });
      open.push(store);
      await store.apply("acme", {
        eventIds: ["e-1"],
        positionKeys: [],
        listingKeys: [],
        orderKeys: [],
        compute: () => ({ cursor: { name: "poll", value: "1" }, result: undefined }),
      });
      expect(await store.cursor("acme", "poll")).toBe("1");
      const db = new DatabaseSync(path);
      expect(db.prepare("PRAGMA application_id").get()).toEqual({ application_id: APPLICATION_ID });
      expect(db.prepare("PRAGMA user_version").get()).toEqual({ user_version: SCHEMA_VERSION });
      db.close();
    }
  });

  it("opens a store made by the first release (no application id) with its data, and marks it", async () => {
    const position = { ...emptyPosition("MUG", "main"), onHand: 7 };
    const path = databaseAt(
      `${SCHEMA_V1_AS_RELEASED} INSERT INTO events VALUES ('acme', 'sale-1');`,
    );
    const db1 = new DatabaseSync(path);
    db1
      .prepare("INSERT INTO positions VALUES (?, ?, ?)")
      .run("acme", positionKey("MUG", "main"), JSON.stringify(position));
    db1.close();
    const store = createSqliteStore({ path });
    open.push(store);
    expect(await store.positions("acme")).toEqual([position]);
    const again = await store.apply("acme", {
      eventIds: ["sale-1"],
      positionKeys: [],
      listingKeys: [],
      orderKeys: [],
      compute: (view) => ({ result: view.fresh }),
    });
    expect(again).toEqual({ applied: true, result: [] });
    const db = new DatabaseSync(path);
    expect(db.prepare("PRAGMA application_id").get()).toEqual({ application_id: APPLICATION_ID });
    db.close();
    // And it opens again once marked.
    await store.close();
    open.splice(0);
    const reopened = createSqliteStore({ path });
    open.push(reopened);
    expect(await reopened.positions("acme")).toEqual([position]);
  });
});
