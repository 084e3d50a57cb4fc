import { createMemoryStore } from "@omnistock/sync";
import { runStoreContract } from "@omnistock/sync/testing";

// A crash loses a memory store whole, so there is no restart to simulate: reopening
// hands back the same store, leases and all.
runStoreContract("memory", () => {
  const store = createMemoryStore();
  return { store, reopen: async () => store };
});
