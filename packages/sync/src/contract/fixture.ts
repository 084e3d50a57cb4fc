import type { SyncStore } from "../store.js";

/**
 * What the factory given to `runStoreContract` returns for each test: a new, empty store,
 * and a way to simulate a crash and a restart.
 */
export interface StoreFixture {
  /** A new store with nothing in it. */
  readonly store: SyncStore;
  /**
   * Simulates a crash and a restart, and returns the store to use from then on. A durable
   * store closes its connection and opens the same file or database again: everything
   * committed must be there, leases included (a lease outlives its worker and lapses on
   * its own). A store that keeps nothing across a restart (the memory store) returns the
   * same instance, since a crash loses it whole and there is no restart to check.
   */
  reopen(): Promise<SyncStore>;
}

/** Makes a {@link StoreFixture}; called once before each test of the suite. */
export type StoreFactory = () => StoreFixture | Promise<StoreFixture>;

/** Options of `runStoreContract`. */
export interface StoreContractOptions {
  /**
   * How many random command sequences the property test runs.
   * @default fast-check's global `numRuns` (100 unless configured)
   */
  readonly numRuns?: number;
}

/** Keeps track of the store in use across reopens, and closes it after the test. */
export class FixtureHolder {
  readonly #factory: StoreFactory;
  #fixture: StoreFixture | undefined;
  #store: SyncStore | undefined;

  constructor(factory: StoreFactory) {
    this.#factory = factory;
  }

  async open(): Promise<SyncStore> {
    this.#fixture = await this.#factory();
    this.#store = this.#fixture.store;
    return this.#store;
  }

  /** The store in use. */
  get store(): SyncStore {
    if (this.#store === undefined) throw new Error("The store contract fixture is not open");
    return this.#store;
  }

  async reopen(): Promise<SyncStore> {
    if (this.#fixture === undefined) throw new Error("The store contract fixture is not open");
    this.#store = await this.#fixture.reopen();
    return this.#store;
  }

  async close(): Promise<void> {
    const store = this.#store;
    this.#store = undefined;
    this.#fixture = undefined;
    await store?.close();
  }
}
