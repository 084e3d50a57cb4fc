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
 * Creates the schema in a new database, or checks that an existing one has the version
 * this package writes.
 *
 * @throws {@link OmnistockError} `STORAGE` when the file was written by a newer version.
 */
export function migrate(db: DatabaseSync, path: string): void {
  db.exec("BEGIN IMMEDIATE");
  try {
    const version = Number(
      (db.prepare("PRAGMA user_version").get() as { user_version: number }).user_version,
    );
    if (version === 0) {
      db.exec(SCHEMA_V1);
      db.exec(`PRAGMA user_version = ${SCHEMA_VERSION}`);
    } else if (version !== SCHEMA_VERSION) {
      throw new OmnistockError(
        "STORAGE",
        `The database ${path} has schema version ${version}; this version of @omnistock/store-sqlite reads version ${SCHEMA_VERSION}`,
        { details: { path, version, expected: SCHEMA_VERSION } },
      );
    }
    db.exec("COMMIT");
  } catch (error) {
    if (db.isTransaction) db.exec("ROLLBACK");
    throw error;
  }
}
