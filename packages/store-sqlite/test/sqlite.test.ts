import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { fileURLToPath } from "node:url";
import { emptyPosition, isOmnistockError, type Position, positionKey } from "@omnistock/core";
import type { ApplyUnit, SyncStore } from "@omnistock/sync";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { createSqliteStore, SCHEMA_VERSION } from "../src/index.js";

const dir = mkdtempSync(join(tmpdir(), "omnistock-sqlite-"));
let files = 0;
const open: SyncStore[] = [];
const MUG = positionKey("MUG", "main");

function newPath(): string {
  files += 1;
  return join(dir, `test-${files}.db`);
}

function openStore(path: string, busyTimeoutMs?: number): SyncStore {
  const store = createSqliteStore({
    path,
    ...(busyTimeoutMs === undefined ? {} : { busyTimeoutMs }),
  });
  open.push(store);
  return store;
}

function stock(onHand: number, extra: Partial<ApplyUnit<undefined>> = {}): ApplyUnit<undefined> {
  const position: Position = { ...emptyPosition("MUG", "main"), onHand };
  return {
    eventIds: [`e-${onHand}`],
    positionKeys: [MUG],
    listingKeys: [],
    orderKeys: [],
    compute: () => ({
      positions: [position],
      outbox: [
        { queue: "shopify", key: "MUG", payload: { onHand }, urgent: false, dueAt: 0, seenAt: 0 },
      ],
      cursor: { name: "poll", value: String(onHand) },
      result: undefined,
    }),
    ...extra,
  };
}

afterEach(async () => {
  for (const store of open.splice(0)) await store.close();
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe("createSqliteStore", () => {
  it("keeps the data across a close and an open of the same file", async () => {
    const path = newPath();
    const first = createSqliteStore({ path });
    await first.apply("acme", stock(7, { deliveryId: "d-1" }));
    await first.close();
    const second = openStore(path);
    expect(await second.positions("acme")).toEqual([
      { ...emptyPosition("MUG", "main"), onHand: 7 },
    ]);
    expect(await second.cursor("acme", "poll")).toBe("7");
    expect(await second.apply("acme", stock(8, { deliveryId: "d-1" }))).toEqual({ applied: false });
  });

  it("puts the database in WAL mode with the schema version", async () => {
    const path = newPath();
    openStore(path);
    const db = new DatabaseSync(path);
    expect(db.prepare("PRAGMA journal_mode").get()).toEqual({ journal_mode: "wal" });
    expect(db.prepare("PRAGMA user_version").get()).toEqual({ user_version: SCHEMA_VERSION });
    db.close();
  });

  it("shows a second connection what the first committed", async () => {
    const path = newPath();
    const writer = openStore(path);
    const reader = openStore(path);
    await writer.apply("acme", stock(3));
    expect(await reader.positions("acme")).toMatchObject([{ sku: "MUG", onHand: 3 }]);
    const [entry] = await reader.lease({
      tenantId: "acme",
      queue: "shopify",
      owner: "w2",
      now: 0,
      leaseMs: 100,
      limit: 10,
    });
    expect(entry?.payload).toEqual({ onHand: 3 });
    expect(
      await writer.lease({
        tenantId: "acme",
        queue: "shopify",
        owner: "w1",
        now: 50,
        leaseMs: 100,
        limit: 10,
      }),
    ).toEqual([]);
  });

  it("fails a write with a retryable STORAGE error when another connection holds the lock past the busy timeout", async () => {
    const path = newPath();
    const store = openStore(path, 0);
    const other = new DatabaseSync(path);
    other.exec("BEGIN IMMEDIATE");
    const error = await store.apply("acme", stock(1)).catch((e: unknown) => e);
    other.exec("ROLLBACK");
    other.close();
    expect(isOmnistockError(error, "STORAGE")).toBe(true);
    expect((error as { retryable: boolean }).retryable).toBe(true);
    await store.apply("acme", stock(2));
    expect(await store.positions("acme")).toMatchObject([{ onHand: 2 }]);
  });

  it("reports a stored row that is not JSON as a STORAGE error naming the row", async () => {
    const path = newPath();
    const store = openStore(path);
    await store.apply("acme", stock(3));
    const db = new DatabaseSync(path);
    db.prepare("UPDATE positions SET value = ? WHERE tenant = ? AND key = ?").run(
      "{broken",
      "acme",
      MUG,
    );
    db.prepare("UPDATE outbox SET payload = ? WHERE tenant = ?").run("[1,", "acme");
    const { id } = db.prepare("SELECT id FROM outbox WHERE tenant = ?").get("acme") as {
      id: number;
    };
    db.close();

    const read = await store.positions("acme").catch((e: unknown) => e);
    expect(isOmnistockError(read, "STORAGE")).toBe(true);
    expect(read).toMatchObject({
      message: expect.stringContaining(JSON.stringify(MUG)),
      details: { table: "positions", tenantId: "acme", key: MUG },
    });
    const applied = await store.apply("acme", stock(4)).catch((e: unknown) => e);
    expect(applied).toMatchObject({ code: "STORAGE", details: { table: "positions", key: MUG } });
    const leased = await store
      .lease({ tenantId: "acme", queue: "shopify", owner: "w", now: 0, leaseMs: 1, limit: 1 })
      .catch((e: unknown) => e);
    expect(leased).toMatchObject({
      code: "STORAGE",
      details: { table: "outbox", key: String(id) },
    });
    expect(await store.cursor("acme", "poll")).toBe("3");
  });

  it("refuses a database written with a newer schema version", () => {
    const path = newPath();
    const db = new DatabaseSync(path);
    db.exec(`PRAGMA user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
    expect(() => createSqliteStore({ path })).toThrow(
      expect.objectContaining({
        code: "STORAGE",
        details: expect.objectContaining({ version: SCHEMA_VERSION + 1 }),
      }),
    );
  });

  it("reports every bad option in one VALIDATION error", () => {
    const bad = { path: "", busyTimeoutMs: -1, synchronous: "off", journal: "delete" };
    expect(() => createSqliteStore(bad as never)).toThrow(
      expect.objectContaining({
        code: "VALIDATION",
        issues: [
          { path: ["journal"], message: "unknown option" },
          { path: ["path"], message: expect.any(String) },
          { path: ["busyTimeoutMs"], message: expect.any(String) },
          { path: ["synchronous"], message: expect.any(String) },
        ],
      }),
    );
  });

  it("rejects calls after close with a STORAGE error", async () => {
    const store = createSqliteStore({ path: ":memory:" });
    await store.close();
    await store.close();
    await expect(store.positions("acme")).rejects.toMatchObject({ code: "STORAGE" });
  });
});

describe("a crash", () => {
  it("killed with SIGKILL in the middle of a stream of applies leaves exactly a committed prefix", async () => {
    const path = newPath();
    const root = fileURLToPath(new URL("../../..", import.meta.url));
    const script = fileURLToPath(new URL("./fixtures/apply-stream.ts", import.meta.url));
    const child = spawn(process.execPath, ["--import", "tsx", script, path, "100000", "60000"], {
      cwd: root,
      stdio: ["ignore", "pipe", "inherit"],
    });
    let reported = 0;
    const exited = new Promise<NodeJS.Signals | null>((resolve) => {
      child.on("exit", (_code, signal) => resolve(signal));
    });
    child.stdout.setEncoding("utf8");
    let buffered = "";
    child.stdout.on("data", (chunk: string) => {
      buffered += chunk;
      const lines = buffered.split("\n");
      buffered = lines.pop() ?? "";
      for (const line of lines) reported = Math.max(reported, Number(line));
      if (reported >= 40) child.kill("SIGKILL");
    });
    expect(await exited).toBe("SIGKILL");
    expect(reported).toBeGreaterThanOrEqual(40);

    const store = openStore(path);
    const n = Number(await store.cursor("crash-tenant", "poll"));
    // Every unit reported committed is there, and nothing of a unit past the cursor.
    expect(n).toBeGreaterThanOrEqual(reported);
    expect(await store.positions("crash-tenant")).toMatchObject([{ sku: "MUG", onHand: n }]);
    expect((await store.listings("crash-tenant")).get("shopify/MUG")).toEqual({ planned: n });
    const entries = await store.lease({
      tenantId: "crash-tenant",
      queue: "shopify",
      owner: "check",
      now: Number.MAX_SAFE_INTEGER / 2,
      leaseMs: 1,
      limit: 100,
    });
    const expected = Array.from({ length: 7 }, (_, j) => {
      const writes = Array.from({ length: n }, (_, i) => i + 1).filter((i) => i % 7 === j);
      return writes.length === 0
        ? undefined
        : { key: `k-${j}`, payload: writes.at(-1), generation: writes.length, seenAt: writes[0] };
    }).filter((e) => e !== undefined);
    expect(
      entries.map((e) => ({
        key: e.key,
        payload: e.payload,
        generation: e.generation,
        seenAt: e.seenAt,
      })),
    ).toEqual(expected.sort((a, b) => (a.seenAt ?? 0) - (b.seenAt ?? 0)));
    const redelivered = await store.apply("crash-tenant", {
      deliveryId: `d-${n}`,
      eventIds: [],
      positionKeys: [],
      listingKeys: [],
      orderKeys: [],
      compute: () => ({ result: "applied twice" }),
    });
    expect(redelivered).toEqual({ applied: false });
    const next = await store.apply("crash-tenant", {
      deliveryId: `d-${n + 1}`,
      eventIds: [`e-${n}`, `e-${n + 1}`],
      positionKeys: [],
      listingKeys: [],
      orderKeys: [],
      compute: (view) => ({ result: view.fresh }),
    });
    expect(next).toEqual({ applied: true, result: [`e-${n + 1}`] });
  });
});
