import { DatabaseSync, type SQLInputValue, type StatementSync } from "node:sqlite";
import { isOmnistockError, OmnistockError, type Position, positionKey } from "@omnistock/core";
import {
  type ApplyOutcome,
  type ApplyUnit,
  type HeldOrder,
  type LeaseRenewal,
  type LeaseRequest,
  type ListingState,
  type OrderRecord,
  type OutboxAck,
  type OutboxEntry,
  type OutboxNack,
  type OutboxPark,
  orderKey,
  type ParkedEntry,
  type PublishedValue,
  type SyncStore,
} from "@omnistock/sync";
import { resolveOptions, type SqliteStoreOptions } from "./options.js";
import { migrate } from "./schema.js";

/** A row of the outbox table. */
interface OutboxRow {
  readonly id: number;
  readonly tenant: string;
  readonly queue: string;
  readonly key: string;
  readonly payload: string | null;
  readonly urgent: number;
  readonly generation: number;
  readonly attempts: number;
  readonly next_attempt_at: number;
  readonly seen_at: number;
}

/** A row of the parked table. */
interface ParkedRow {
  readonly tenant: string;
  readonly id: string;
  readonly queue: string;
  readonly key: string;
  readonly payload: string | null;
  readonly urgent: number;
  readonly attempts: number;
  readonly seen_at: number;
  readonly reason: string;
  readonly parked_at: number;
}

/** The tables that keep one JSON value per tenant and key. */
type ValueTable = "positions" | "listings" | "orders";

/** SQLite's result codes for a database held by another connection. */
const SQLITE_BUSY = 5;
const SQLITE_LOCKED = 6;

/**
 * Creates the durable {@link SyncStore} on one SQLite file, with `node:sqlite` (built into
 * Node.js; no native module to install): the default store for one process that must
 * survive restarts.
 *
 * The database runs in WAL mode (readers never wait for the writer) with the
 * `synchronous` level of the options. Each `apply` is one `BEGIN IMMEDIATE … COMMIT`
 * transaction that takes the write lock before it reads, calls `compute` inside it and
 * rolls back when it throws; `lease`, `ack`, `nack`, `park` and `unpark` are one
 * transaction each too. Several processes may open the same file: writes queue behind the
 * lock for up to `busyTimeoutMs`. Positions, listing states, orders and payloads are
 * stored as JSON text, every table keyed by tenant first; a held order is its order row
 * with a `hold`, found by SQLite's JSON functions. Statements are prepared once.
 *
 * Note: `node:sqlite` is synchronous, so every call holds the event loop for as long as
 * SQLite works (a few tens of microseconds for an apply with `"normal"`, one disk sync
 * with `"full"`).
 *
 * @example
 * ```ts
 * const store = createSqliteStore({ path: "./omnistock.db" });
 * const engine = createSyncEngine({ store, ... });
 * // on shutdown
 * await store.close();
 * ```
 *
 * @throws {@link OmnistockError} `VALIDATION` for bad options, naming each field;
 * `CONFIG` when the file is a SQLite database this package did not make (it is left
 * unchanged); `STORAGE` when the file cannot be opened, is not a database, or was written
 * by a newer schema version.
 * Later calls reject with `STORAGE` errors (retryable when the database was busy), and
 * with `STORAGE` naming the table, tenant and key when a stored row is not valid JSON.
 */
export function createSqliteStore(options: SqliteStoreOptions): SyncStore {
  const { path, busyTimeoutMs, synchronous } = resolveOptions(options);
  let db: DatabaseSync | undefined;
  try {
    db = new DatabaseSync(path);
    db.exec(`PRAGMA busy_timeout = ${busyTimeoutMs}`);
    // Checked before anything is written: a database that is not ours is left as it is.
    migrate(db, path);
    db.exec("PRAGMA journal_mode = WAL");
    db.exec(`PRAGMA synchronous = ${synchronous === "full" ? "FULL" : "NORMAL"}`);
  } catch (error) {
    if (db?.isOpen) db.close();
    throw storageError(error, `Could not open the SQLite store at ${path}`);
  }
  const database = db;
  const sql = prepare(database);
  let closed = false;

  /**
   * Runs `work` in one write transaction. Errors of `compute` pass through untouched;
   * SQLite's own become `STORAGE` errors.
   */
  function transaction<T>(what: string, work: () => T): T {
    if (closed) throw new OmnistockError("STORAGE", `The SQLite store at ${path} is closed`);
    try {
      sql.begin.run();
      const out = work();
      sql.commit.run();
      return out;
    } catch (error) {
      if (database.isOpen && database.isTransaction) sql.rollback.run();
      throw error instanceof ComputeFailure ? error.error : storageError(error, what);
    }
  }

  /** Runs a read outside a transaction (WAL gives it a consistent snapshot). */
  function read<T>(what: string, work: () => T): T {
    if (closed) throw new OmnistockError("STORAGE", `The SQLite store at ${path} is closed`);
    try {
      return work();
    } catch (error) {
      throw storageError(error, what);
    }
  }

  function loadValue<V>(table: ValueTable, tenantId: string, key: string): V | undefined {
    const row = sql.get[table].get(tenantId, key) as { value: string } | undefined;
    return row === undefined ? undefined : parseJson<V>(row.value, table, tenantId, key);
  }

  function loadValues<V>(table: ValueTable, tenantId: string, keys: readonly string[]) {
    const loaded = new Map<string, V>();
    // Sorted, the order a store with row locks takes them in.
    for (const key of [...new Set(keys)].sort()) {
      const value = loadValue<V>(table, tenantId, key);
      if (value !== undefined) loaded.set(key, value);
    }
    return loaded;
  }

  /** Sets the published value of listings, keeping the rest of their state. */
  function writePublished(tenantId: string, published: readonly PublishedValue[] = []): void {
    for (const { key, quantity } of published) {
      const before = loadValue<ListingState>("listings", tenantId, key);
      const state = { ...before, published: quantity, planned: before?.planned };
      sql.put.listings.run(tenantId, key, JSON.stringify(state));
    }
  }

  function findEntry(tenantId: string, id: string): OutboxRow | undefined {
    if (!/^\d+$/.test(id)) return undefined;
    return sql.entry.get(tenantId, Number(id)) as OutboxRow | undefined;
  }

  return {
    async apply<R>(tenantId: string, unit: ApplyUnit<R>): Promise<ApplyOutcome<R>> {
      return transaction(`Could not apply a unit for tenant ${tenantId}`, () => {
        if (unit.deliveryId !== undefined) {
          if (sql.deliverySeen.get(tenantId, unit.deliveryId) !== undefined) {
            return { applied: false } as const;
          }
        }
        const fresh: string[] = [];
        const inUnit = new Set<string>();
        for (const id of unit.eventIds) {
          if (inUnit.has(id)) continue;
          inUnit.add(id);
          if (sql.eventSeen.get(tenantId, id) === undefined) fresh.push(id);
        }
        const view = {
          fresh,
          positions: loadValues<Position>("positions", tenantId, unit.positionKeys),
          listings: loadValues<ListingState>("listings", tenantId, unit.listingKeys),
          orders: loadValues<OrderRecord>("orders", tenantId, unit.orderKeys),
        };
        let changes: ReturnType<ApplyUnit<R>["compute"]>;
        try {
          changes = unit.compute(view);
        } catch (error) {
          throw new ComputeFailure(error);
        }
        if (unit.deliveryId !== undefined) sql.deliveryInsert.run(tenantId, unit.deliveryId);
        for (const id of fresh) sql.eventInsert.run(tenantId, id);
        for (const p of changes.positions ?? []) {
          sql.put.positions.run(tenantId, positionKey(p.sku, p.locationId), JSON.stringify(p));
        }
        for (const l of changes.listings ?? []) {
          sql.put.listings.run(tenantId, l.key, JSON.stringify(l.state));
        }
        for (const o of changes.orders ?? []) {
          sql.put.orders.run(tenantId, orderKey(o.channelId, o.orderId), JSON.stringify(o));
        }
        for (const w of changes.outbox ?? []) {
          sql.outboxWrite.run(
            tenantId,
            w.queue,
            w.key,
            jsonOrNull(w.payload),
            w.urgent ? 1 : 0,
            w.dueAt,
            w.seenAt,
          );
        }
        if (changes.cursor !== undefined) {
          sql.cursorPut.run(tenantId, changes.cursor.name, changes.cursor.value);
        }
        return { applied: true, result: changes.result } as const;
      });
    },

    async lease(request: LeaseRequest): Promise<readonly OutboxEntry[]> {
      const { tenantId, queue, owner, now, leaseMs, limit } = request;
      if (limit <= 0) return read("Could not lease", () => []);
      return transaction(`Could not lease from queue ${queue} of tenant ${tenantId}`, () => {
        const rows = sql.due.all(tenantId, queue, now, now, limit) as unknown as OutboxRow[];
        const entries = rows.map((row) => toEntry(row));
        for (const row of rows) sql.takeLease.run(owner, now + leaseMs, row.id);
        return entries;
      });
    },

    async renew(renewal: LeaseRenewal): Promise<readonly string[]> {
      const { tenantId, owner, ids, now, leaseMs } = renewal;
      return transaction(`Could not renew leases of tenant ${tenantId}`, () =>
        ids.filter(
          (id) => Number(sql.renewLease.run(now + leaseMs, tenantId, id, owner, now).changes) > 0,
        ),
      );
    },

    async ack(acks: readonly OutboxAck[]): Promise<void> {
      transaction("Could not ack outbox entries", () => {
        for (const { entry, published } of acks) {
          const row = findEntry(entry.tenantId, entry.id);
          if (row !== undefined) {
            if (row.generation === entry.generation) sql.deleteEntry.run(row.id);
            else sql.release.run(row.id);
          }
          writePublished(entry.tenantId, published);
        }
      });
    },

    async nack(nack: OutboxNack): Promise<void> {
      const { entry } = nack;
      transaction(`Could not nack outbox entry ${entry.id} of tenant ${entry.tenantId}`, () => {
        writePublished(entry.tenantId, nack.published);
        const row = findEntry(entry.tenantId, entry.id);
        if (row === undefined) return;
        if (row.generation !== entry.generation) {
          sql.release.run(row.id);
          return;
        }
        sql.retry.run(
          nack.nextAttemptAt,
          (nack.countAttempt ?? true) ? 1 : 0,
          nack.payload === undefined ? row.payload : jsonOrNull(nack.payload),
          nack.error ?? null,
          row.id,
        );
      });
    },

    async park(park: OutboxPark): Promise<void> {
      const { entry } = park;
      transaction(`Could not park outbox entry ${entry.id} of tenant ${entry.tenantId}`, () => {
        const row = findEntry(entry.tenantId, entry.id);
        if (row === undefined) return;
        if (row.generation !== entry.generation) {
          sql.release.run(row.id);
          return;
        }
        sql.deleteEntry.run(row.id);
        sql.parkInsert.run(
          row.tenant,
          String(row.id),
          row.queue,
          row.key,
          row.payload,
          row.urgent,
          row.attempts,
          row.seen_at,
          park.reason,
          park.at,
        );
      });
    },

    async parked(tenantId: string): Promise<readonly ParkedEntry[]> {
      return read(`Could not list the parked updates of tenant ${tenantId}`, () =>
        (sql.parkedAll.all(tenantId) as unknown as ParkedRow[]).map((row) => toParked(row)),
      );
    },

    async unpark(tenantId: string, ids: readonly string[], now: number): Promise<number> {
      return transaction(`Could not unpark updates of tenant ${tenantId}`, () => {
        const wanted = new Set(ids);
        const chosen = (sql.parkedAll.all(tenantId) as unknown as ParkedRow[]).filter((row) =>
          wanted.has(row.id),
        );
        // Of several chosen for one queue and key, the one parked last is the newest value.
        const newest = new Map(chosen.map((row) => [`${row.queue}\u0000${row.key}`, row]));
        let back = 0;
        for (const row of chosen) {
          sql.parkedDelete.run(tenantId, row.id);
          if (newest.get(`${row.queue}\u0000${row.key}`) !== row) continue;
          if (sql.entryByKey.get(tenantId, row.queue, row.key) !== undefined) continue;
          sql.outboxWrite.run(
            tenantId,
            row.queue,
            row.key,
            row.payload,
            row.urgent,
            now,
            row.seen_at,
          );
          back += 1;
        }
        return back;
      });
    },

    async cursor(tenantId: string, name: string): Promise<string | undefined> {
      return read(`Could not read cursor ${name} of tenant ${tenantId}`, () => {
        const row = sql.cursorGet.get(tenantId, name) as { value: string } | undefined;
        return row?.value;
      });
    },

    async positions(tenantId: string): Promise<readonly Position[]> {
      return read(`Could not read the positions of tenant ${tenantId}`, () => [
        ...allValues<Position>(sql.all.positions, "positions", tenantId).values(),
      ]);
    },

    async listings(tenantId: string): Promise<ReadonlyMap<string, ListingState>> {
      return read(`Could not read the listings of tenant ${tenantId}`, () =>
        allValues<ListingState>(sql.all.listings, "listings", tenantId),
      );
    },

    async heldOrders(tenantId: string): Promise<readonly HeldOrder[]> {
      return read(`Could not list the held orders of tenant ${tenantId}`, () => [
        ...allValues<HeldOrder>(sql.heldOrders, "orders", tenantId).values(),
      ]);
    },

    async outboxSize(tenantId: string): Promise<ReadonlyMap<string, number>> {
      return read(`Could not count the outbox of tenant ${tenantId}`, () => {
        const rows = sql.outboxSize.all(tenantId) as unknown as { queue: string; n: number }[];
        return new Map(rows.map((row) => [row.queue, Number(row.n)]));
      });
    },

    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      database.close();
    },
  };
}

/** Carries an error thrown by `compute` through the transaction, to rethrow it as it is. */
class ComputeFailure {
  readonly error: unknown;
  constructor(error: unknown) {
    this.error = error;
  }
}

/** Every statement of the store, prepared once. */
function prepare(db: DatabaseSync) {
  const valueStatements = (table: ValueTable) => ({
    get: db.prepare(`SELECT value FROM ${table} WHERE tenant = ? AND key = ?`),
    put: db.prepare(
      `INSERT INTO ${table} (tenant, key, value) VALUES (?, ?, ?)
       ON CONFLICT (tenant, key) DO UPDATE SET value = excluded.value`,
    ),
    all: db.prepare(`SELECT key, value FROM ${table} WHERE tenant = ? ORDER BY key`),
  });
  const positions = valueStatements("positions");
  const listings = valueStatements("listings");
  const orders = valueStatements("orders");
  return {
    begin: db.prepare("BEGIN IMMEDIATE"),
    commit: db.prepare("COMMIT"),
    rollback: db.prepare("ROLLBACK"),
    deliverySeen: db.prepare("SELECT 1 FROM deliveries WHERE tenant = ? AND id = ?"),
    deliveryInsert: db.prepare("INSERT INTO deliveries (tenant, id) VALUES (?, ?)"),
    eventSeen: db.prepare("SELECT 1 FROM events WHERE tenant = ? AND id = ?"),
    eventInsert: db.prepare("INSERT OR IGNORE INTO events (tenant, id) VALUES (?, ?)"),
    get: { positions: positions.get, listings: listings.get, orders: orders.get },
    put: { positions: positions.put, listings: listings.put, orders: orders.put },
    all: { positions: positions.all, listings: listings.all, orders: orders.all },
    // Held orders live in their order record's JSON: no table or index of their own.
    heldOrders: db.prepare(
      `SELECT key, value FROM orders
       WHERE tenant = ? AND json_type(value, '$.hold') = 'object'
       ORDER BY json_extract(value, '$.hold.heldAt'), key`,
    ),
    cursorGet: db.prepare("SELECT value FROM cursors WHERE tenant = ? AND name = ?"),
    cursorPut: db.prepare(
      `INSERT INTO cursors (tenant, name, value) VALUES (?, ?, ?)
       ON CONFLICT (tenant, name) DO UPDATE SET value = excluded.value`,
    ),
    // A write to an existing queue and key replaces it; the lease stays.
    outboxWrite: db.prepare(
      `INSERT INTO outbox (tenant, queue, key, payload, urgent, generation, attempts,
         next_attempt_at, seen_at)
       VALUES (?, ?, ?, ?, ?, 1, 0, ?, ?)
       ON CONFLICT (tenant, queue, key) DO UPDATE SET
         payload = excluded.payload,
         urgent = excluded.urgent,
         next_attempt_at = excluded.next_attempt_at,
         seen_at = min(outbox.seen_at, excluded.seen_at),
         generation = outbox.generation + 1,
         attempts = 0`,
    ),
    due: db.prepare(
      `SELECT * FROM outbox
       WHERE tenant = ? AND queue = ? AND next_attempt_at <= ?
         AND (lease_until IS NULL OR lease_until <= ?)
       ORDER BY urgent DESC, seen_at, id
       LIMIT ?`,
    ),
    takeLease: db.prepare("UPDATE outbox SET lease_owner = ?, lease_until = ? WHERE id = ?"),
    renewLease: db.prepare(
      `UPDATE outbox SET lease_until = ?
       WHERE tenant = ? AND id = ? AND lease_owner = ? AND lease_until > ?`,
    ),
    entry: db.prepare("SELECT * FROM outbox WHERE tenant = ? AND id = ?"),
    entryByKey: db.prepare("SELECT 1 FROM outbox WHERE tenant = ? AND queue = ? AND key = ?"),
    deleteEntry: db.prepare("DELETE FROM outbox WHERE id = ?"),
    release: db.prepare("UPDATE outbox SET lease_owner = NULL, lease_until = NULL WHERE id = ?"),
    retry: db.prepare(
      `UPDATE outbox SET lease_owner = NULL, lease_until = NULL, next_attempt_at = ?,
         attempts = attempts + ?, payload = ?, last_error = ?
       WHERE id = ?`,
    ),
    parkInsert: db.prepare(
      `INSERT INTO parked (tenant, id, queue, key, payload, urgent, attempts, seen_at, reason,
         parked_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    parkedAll: db.prepare("SELECT * FROM parked WHERE tenant = ? ORDER BY parked_at, seq"),
    parkedDelete: db.prepare("DELETE FROM parked WHERE tenant = ? AND id = ?"),
    outboxSize: db.prepare(
      "SELECT queue, count(*) AS n FROM outbox WHERE tenant = ? GROUP BY queue ORDER BY queue",
    ),
  };
}

function allValues<V>(statement: StatementSync, table: ValueTable, tenantId: string) {
  const values = new Map<string, V>();
  for (const row of statement.all(tenantId) as unknown as { key: string; value: string }[]) {
    values.set(row.key, parseJson<V>(row.value, table, tenantId, row.key));
  }
  return values;
}

function toEntry(row: OutboxRow): OutboxEntry {
  return {
    tenantId: row.tenant,
    id: String(row.id),
    queue: row.queue,
    key: row.key,
    payload: parseNullable(row.payload, "outbox", row.tenant, String(row.id)),
    urgent: row.urgent === 1,
    generation: row.generation,
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at,
    seenAt: row.seen_at,
  };
}

function toParked(row: ParkedRow): ParkedEntry {
  return {
    tenantId: row.tenant,
    id: row.id,
    queue: row.queue,
    key: row.key,
    payload: parseNullable(row.payload, "parked", row.tenant, row.id),
    urgent: row.urgent === 1,
    attempts: row.attempts,
    seenAt: row.seen_at,
    reason: row.reason,
    parkedAt: row.parked_at,
  };
}

function jsonOrNull(value: unknown): SQLInputValue {
  return value === undefined ? null : JSON.stringify(value);
}

function parseNullable(text: string | null, table: string, tenantId: string, key: string) {
  return text === null ? undefined : parseJson<unknown>(text, table, tenantId, key);
}

/**
 * Parses a stored JSON value.
 *
 * @throws {@link OmnistockError} `STORAGE` naming the table, tenant and key of the row.
 */
function parseJson<V>(text: string, table: string, tenantId: string, key: string): V {
  try {
    return JSON.parse(text) as V;
  } catch (error) {
    throw new OmnistockError(
      "STORAGE",
      `The ${table} row ${JSON.stringify(key)} of tenant ${JSON.stringify(tenantId)} is not valid JSON`,
      { cause: error, details: { table, tenantId, key } },
    );
  }
}

/** Wraps an error of SQLite as a `STORAGE` error; Omnistock errors pass through. */
function storageError(error: unknown, what: string): OmnistockError {
  if (isOmnistockError(error)) return error;
  const errcode = (error as { errcode?: unknown } | null)?.errcode;
  // The low byte is the primary result code (SQLITE_BUSY_SNAPSHOT is a kind of BUSY).
  const primary = typeof errcode === "number" ? errcode & 0xff : undefined;
  const busy = primary === SQLITE_BUSY || primary === SQLITE_LOCKED;
  const reason = error instanceof Error ? error.message : String(error);
  return new OmnistockError("STORAGE", `${what}: ${reason}`, {
    cause: error,
    retryable: busy,
    ...(typeof errcode === "number" ? { details: { sqliteCode: errcode } } : {}),
  });
}
