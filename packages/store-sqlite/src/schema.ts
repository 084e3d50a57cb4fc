import type { DatabaseSync } from "node:sqlite";
import { OmnistockError } from "@omnistock/core";

/** The schema version this package writes, kept in SQLite's `user_version`. */
export const SCHEMA_VERSION = 1;

/**
 * Version 1. Every table is keyed by tenant first. Outbox ids come from AUTOINCREMENT so
 * that an id is never handed out twice, even after the entry holding it is deleted: a
 * late ack naming an old id must find nothing. `lease_until` is NULL when no lease is
 * held. Parked rows keep the order of parking in `seq`.
 */
const SCHEMA_V1 = `
CREATE TABLE deliveries (
  tenant TEXT NOT NULL,
  id TEXT NOT NULL,
  PRIMARY KEY (tenant, id)
) WITHOUT ROWID;
CREATE TABLE events (
  tenant TEXT NOT NULL,
  id TEXT NOT NULL,
  PRIMARY KEY (tenant, id)
) WITHOUT ROWID;
CREATE TABLE positions (
  tenant TEXT NOT NULL,
  key TEXT NOT NULL,
  value TEXT NOT NULL,
  PRIMARY KEY (tenant, key)
) WITHOUT ROWID;
CREATE TABLE listings (
  tenant TEXT NOT NULL,
  key TEXT NOT NULL,
  value TEXT NOT NULL,
  PRIMARY KEY (tenant, key)
) WITHOUT ROWID;
CREATE TABLE orders (
  tenant TEXT NOT NULL,
  key TEXT NOT NULL,
  value TEXT NOT NULL,
  PRIMARY KEY (tenant, key)
) WITHOUT ROWID;
CREATE TABLE cursors (
  tenant TEXT NOT NULL,
  name TEXT NOT NULL,
  value TEXT NOT NULL,
  PRIMARY KEY (tenant, name)
) WITHOUT ROWID;
CREATE TABLE outbox (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  tenant TEXT NOT NULL,
  queue TEXT NOT NULL,
  key TEXT NOT NULL,
  payload TEXT,
  urgent INTEGER NOT NULL,
  generation INTEGER NOT NULL,
  attempts INTEGER NOT NULL,
  next_attempt_at INTEGER NOT NULL,
  seen_at INTEGER NOT NULL,
  lease_owner TEXT,
  lease_until INTEGER,
  last_error TEXT,
  UNIQUE (tenant, queue, key)
);
CREATE INDEX outbox_lease ON outbox (tenant, queue, urgent DESC, seen_at, id);
CREATE TABLE parked (
  seq INTEGER PRIMARY KEY,
  tenant TEXT NOT NULL,
  id TEXT NOT NULL,
  queue TEXT NOT NULL,
  key TEXT NOT NULL,
  payload TEXT,
  urgent INTEGER NOT NULL,
  attempts INTEGER NOT NULL,
  seen_at INTEGER NOT NULL,
  reason TEXT NOT NULL,
  parked_at INTEGER NOT NULL,
  UNIQUE (tenant, id)
);
CREATE INDEX parked_order ON parked (tenant, parked_at, seq);
`;

/**
 * The `application_id` this package writes in the header of every database it makes:
 * `0x4F4D4E49` ("OMNI"). It tells a store of ours from any other SQLite database, so a
 * path given by mistake is refused rather than written into.
 */
export const APPLICATION_ID = 0x4f4d4e49;

/** The tables of version 1, which a database of ours made before the marker has. */
const TABLES_V1 = [
  "cursors",
  "deliveries",
  "events",
  "listings",
  "orders",
  "outbox",
  "parked",
  "positions",
] as const;

/** What the header and the schema of a database say about it. */
interface Found {
  readonly applicationId: number;
  readonly version: number;
  /** Every table, view, index and trigger other than SQLite's own, by name. */
  readonly objects: readonly string[];
  readonly tables: readonly string[];
}

function inspect(db: DatabaseSync): Found {
  const pragma = (name: string) =>
    Number((db.prepare(`PRAGMA ${name}`).get() as Record<string, number>)[name]);
  const rows = db
    .prepare("SELECT type, name FROM sqlite_schema WHERE substr(name, 1, 7) <> 'sqlite_'")
    .all() as { type: string; name: string }[];
  return {
    applicationId: pragma("application_id"),
    version: pragma("user_version"),
    objects: rows.map((r) => r.name).sort(),
    tables: rows
      .filter((r) => r.type === "table")
      .map((r) => r.name)
      .sort(),
  };
}

/**
 * Creates the schema in a new database, or checks that an existing one is a store of ours
 * at the version this package writes, migrating one made before the application id.
 * Nothing is written to a database that is refused.
 *
 * - empty (no tables, `user_version` 0): the schema is created and marked;
 * - marked with {@link APPLICATION_ID}: its version must be {@link SCHEMA_VERSION}, and its
 *   tables all there;
 * - unmarked at `user_version` 1 with every table of version 1: a store made by the first
 *   release; it is marked, nothing else changes;
 * - anything else is a foreign database.
 *
 * @throws {@link OmnistockError} `CONFIG` for a foreign database, naming the path, its
 *   application id, `user_version` and tables; `STORAGE` for a store of ours written by a
 *   newer version, or missing tables, and for an unmarked database at a `user_version`
 *   this version does not know.
 */
export function migrate(db: DatabaseSync, path: string): void {
  db.exec("BEGIN IMMEDIATE");
  try {
    const found = inspect(db);
    const { applicationId, version, tables } = found;
    const details = { path, applicationId, version, tables };
    if (applicationId === APPLICATION_ID) {
      if (version > SCHEMA_VERSION) {
        throw new OmnistockError(
          "STORAGE",
          `The database ${path} was written by a newer version of @omnistock/store-sqlite (schema version ${version}); this version reads version ${SCHEMA_VERSION}: upgrade @omnistock/store-sqlite`,
          { details: { ...details, expected: SCHEMA_VERSION } },
        );
      }
      const missing = TABLES_V1.filter((t) => !tables.includes(t));
      if (version !== SCHEMA_VERSION || missing.length > 0) {
        throw new OmnistockError(
          "STORAGE",
          `The Omnistock store ${path} is damaged: schema version ${version}${missing.length > 0 ? `, missing the tables ${missing.join(", ")}` : ""}`,
          { details: { ...details, expected: SCHEMA_VERSION, missing } },
        );
      }
    } else if (applicationId === 0 && version === 0 && found.objects.length === 0) {
      db.exec(SCHEMA_V1);
      db.exec(`PRAGMA application_id = ${APPLICATION_ID}`);
      db.exec(`PRAGMA user_version = ${SCHEMA_VERSION}`);
    } else if (applicationId === 0 && version === 1 && TABLES_V1.every((t) => tables.includes(t))) {
      db.exec(`PRAGMA application_id = ${APPLICATION_ID}`);
    } else if (applicationId === 0 && version > SCHEMA_VERSION) {
      throw new OmnistockError(
        "STORAGE",
        `The database ${path} has schema version ${version}, which this version of @omnistock/store-sqlite does not know (it reads version ${SCHEMA_VERSION}): it was written by a newer version, or is not an Omnistock store`,
        { details: { ...details, expected: SCHEMA_VERSION } },
      );
    } else {
      const holds =
        found.objects.length === 0 ? "no tables" : `the tables ${tables.join(", ") || "(none)"}`;
      throw new OmnistockError(
        "CONFIG",
        `The database ${path} is not an Omnistock store (application_id ${applicationId}, user_version ${version}, ${holds}); it was left as it is. Give createSqliteStore a new file, or one it made`,
        { details },
      );
    }
    db.exec("COMMIT");
  } catch (error) {
    if (db.isTransaction) db.exec("ROLLBACK");
    throw error;
  }
}
