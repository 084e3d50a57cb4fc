/**
 * @omnistock/sync/testing — the conformance suite every {@link SyncStore} runs.
 *
 * @packageDocumentation
 */
import { describeExamples } from "./contract/examples.js";
import type { StoreContractOptions, StoreFactory } from "./contract/fixture.js";
import { describeProperty } from "./contract/property.js";
import type { SyncStore } from "./store.js";

export type { StoreContractOptions, StoreFactory, StoreFixture } from "./contract/fixture.js";

/**
 * Runs the conformance suite of the {@link SyncStore} contract against a store, as
 * vitest tests: every store — Omnistock's and an integrator's — calls it once from a test
 * file, and passes when it behaves like the others.
 *
 * The suite has two halves. The examples check each method and edge one at a time:
 * de-duplication by delivery and event ids, nothing written when `compute` throws,
 * tenants kept apart, the lease order and lapse, coalescing while leased, stale
 * generations, park and unpark, cursors, published values, values that do not alias the
 * store, and everything committed found again after a restart. The property test drives
 * random sequences of apply, lease, ack, nack, park, unpark, the passing of time and
 * crashes against the store and a serial oracle, and compares positions, listings,
 * cursors, the outbox and the parked updates after every restart and at the end.
 *
 * What the suite holds a store to, beyond the words of {@link SyncStore}:
 *
 * - Leasing order is urgent first, then the earliest `seenAt`, then the entry written
 *   first. A lease is live while `now < leased-at + leaseMs`.
 * - A new entry has generation 1. An entry put back by `unpark` is a new entry: acks,
 *   nacks and parks naming the entry from before it was parked do not touch it.
 * - `parked` lists oldest first by `parkedAt`, in the order of parking among equal times.
 *   When `unpark` names several parked updates of one queue and key, the one parked last
 *   goes back (it carries the newest value) and the others are dropped; every named one
 *   leaves the parked list, whether it went back or not.
 * - `ack` and `nack` write their `published` values whatever the generation, even when
 *   the entry is gone; a park or nack of a stale generation releases the lease.
 * - Calls after `close` reject.
 *
 * Note: the suite imports `vitest` and `fast-check`, the package's optional peer
 * dependencies; install both to run it. The property test runs fast-check's global
 * `numRuns` unless `options.numRuns` says otherwise, and uses one store for all its runs
 * (each run has tenants of its own), so the factory is called once for it.
 *
 * @param name - What the tests are called after, e.g. `"sqlite"`.
 * @param factory - Called before each test for a new, empty store and its `reopen`.
 * @param options - Tuning of the property test.
 *
 * @example
 * ```ts
 * // test/store.test.ts
 * import { createMemoryStore } from "@omnistock/sync";
 * import { runStoreContract } from "@omnistock/sync/testing";
 *
 * runStoreContract("memory", () => {
 *   const store = createMemoryStore();
 *   return { store, reopen: async () => store };
 * });
 * ```
 */
export function runStoreContract(
  name: string,
  factory: StoreFactory,
  options: StoreContractOptions = {},
): void {
  describeExamples(name, factory);
  describeProperty(name, factory, options);
}
