/**
 * @omnistock/store-sqlite — the embedded durable store of the Omnistock sync runtime, on
 * `node:sqlite`: WAL, one transaction per apply, leases for the outbox.
 *
 * @packageDocumentation
 */
export { SQLITE_STORE_DEFAULTS, type SqliteStoreOptions } from "./options.js";
export { APPLICATION_ID, SCHEMA_VERSION } from "./schema.js";
export { createSqliteStore } from "./sqlite-store.js";
