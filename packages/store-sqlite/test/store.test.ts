import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runStoreContract } from "@omnistock/sync/testing";
import { afterAll } from "vitest";
import { createSqliteStore } from "../src/index.js";

const dir = mkdtempSync(join(tmpdir(), "omnistock-sqlite-contract-"));
let files = 0;

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

// Reopening closes the connection and opens the same file again, as a restart would. The
// suite checks what the store does, not what the disk keeps through a power loss, so it
// runs with synchronous NORMAL (no disk sync per commit); the crash test in
// sqlite.test.ts kills a process writing with the default, FULL.
runStoreContract("sqlite", () => {
  files += 1;
  const path = join(dir, `store-${files}.db`);
  const fixture = {
    store: createSqliteStore({ path, synchronous: "normal" }),
    async reopen() {
      await fixture.store.close();
      fixture.store = createSqliteStore({ path, synchronous: "normal" });
      return fixture.store;
    },
  };
  return fixture;
});
