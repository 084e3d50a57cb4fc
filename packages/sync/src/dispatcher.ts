import PQueue from "p-queue";
import type { LeaseRequest, OutboxEntry, SyncStore } from "./store.js";

/** How a {@link QueueDispatcher} leases and runs work. */
export interface QueueDispatcherOptions {
  readonly store: SyncStore;
  readonly tenantId: string;
  readonly queue: string;
  readonly owner: string;
  readonly clock: () => number;
  /** Entries leased per batch. */
  readonly batchSize: number;
  /** Batches in flight at once. */
  readonly concurrency: number;
  /** The least time between two leases: work arriving meanwhile joins the next batch. */
  readonly minIntervalMs?: number;
  readonly leaseMs: number;
  /** How long to wait for work before looking again (new work wakes it sooner). */
  readonly idleMs: number;
  /** Delivers one leased batch; it must ack, nack or park every entry. */
  readonly deliver: (entries: readonly OutboxEntry[]) => Promise<void>;
  /** Called when leasing or delivering failed unexpectedly. */
  readonly onError: (error: unknown) => void;
}

/**
 * Drains one outbox queue of one tenant: leases due entries (urgent first), hands them to
 * `deliver` in batches, at most `concurrency` at a time, so that an urgent update leased
 * while a bulk batch is in flight goes out beside it rather than behind it.
 */
export class QueueDispatcher {
  readonly #options: QueueDispatcherOptions;
  readonly #batches: PQueue;
  #running = false;
  #loop: Promise<void> | undefined;
  #wake: (() => void) | undefined;
  /** A wake that came while the loop was not waiting: the next wait ends at once. */
  #woken = false;
  /** When the last batch was leased. */
  #leasedAt = Number.NEGATIVE_INFINITY;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(options: QueueDispatcherOptions) {
    this.#options = options;
    this.#batches = new PQueue({ concurrency: options.concurrency });
  }

  /** Starts leasing. */
  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#loop = this.#run();
  }

  /** Tells the dispatcher that new work may be due. */
  wake(): void {
    if (this.#wake === undefined) this.#woken = true;
    else this.#wake();
  }

  /** Whether a batch is being delivered. */
  get busy(): boolean {
    return this.#batches.pending > 0;
  }

  /** Stops leasing and waits for the batches in flight. */
  async stop(): Promise<void> {
    this.#running = false;
    this.wake();
    await this.#loop;
    await this.#batches.onIdle();
  }

  async #run(): Promise<void> {
    const o = this.#options;
    while (this.#running) {
      if (this.#batches.pending >= o.concurrency) {
        // A batch ending wakes the loop.
        await this.#idle();
        continue;
      }
      const pause = this.#leasedAt + (o.minIntervalMs ?? 0) - o.clock();
      if (pause > 0) await new Promise((resolve) => setTimeout(resolve, pause));
      if (!this.#running) break;
      let entries: readonly OutboxEntry[];
      this.#woken = false;
      try {
        const request: LeaseRequest = {
          tenantId: o.tenantId,
          queue: o.queue,
          owner: o.owner,
          now: o.clock(),
          leaseMs: o.leaseMs,
          limit: o.batchSize,
        };
        entries = await o.store.lease(request);
      } catch (error) {
        o.onError(error);
        entries = [];
      }
      if (entries.length === 0) {
        await this.#idle();
        continue;
      }
      this.#leasedAt = o.clock();
      void this.#batches.add(async () => {
        try {
          await o.deliver(entries);
        } catch (error) {
          o.onError(error);
        }
        // A batch ending may free due work (a confirmation, the next bulk batch).
        this.wake();
      });
    }
  }

  #idle(): Promise<void> {
    return new Promise<void>((resolve) => {
      if (this.#woken || !this.#running) {
        this.#woken = false;
        resolve();
        return;
      }
      const done = () => {
        clearTimeout(this.#timer);
        this.#wake = undefined;
        resolve();
      };
      this.#wake = done;
      this.#timer = setTimeout(done, this.#options.idleMs);
    });
  }
}
