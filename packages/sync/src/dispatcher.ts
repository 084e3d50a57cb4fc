import { OmnistockError } from "@omnistock/core";
import PQueue from "p-queue";
import type { LeaseRequest, OutboxEntry, SyncStore } from "./store.js";

/**
 * The key under which a call's signal carries its deadline (epoch ms on the engine's
 * clock): the one `@omnistock/transport`'s `withDeadline` sets and its client reads, so
 * that no client starts a wait (a `Retry-After`, a backoff) that would outlast the lease.
 */
const DEADLINE = Symbol.for("omnistock.deadline");

/** What a batch's role calls are given: a signal that aborts before the lease lapses. */
export interface BatchCall {
  /**
   * Aborts when the batch's lease is about to lapse (see {@link leaseMarginMs}) or the
   * dispatcher stops; it carries the lease's deadline for the clients that read it. The
   * leases are renewed while the batch is in flight, and the deadline moves with them: a
   * call is cut short only when a renewal failed, or when a client would wait past it.
   */
  readonly signal: AbortSignal;
}

/**
 * How long before a lease lapses the calls of its batch are cut short: a tenth of the
 * lease, at most five seconds, so that no other worker can take the work while a call
 * that may still post is in flight.
 */
export function leaseMarginMs(leaseMs: number): number {
  return Math.min(5_000, Math.floor(leaseMs / 10));
}

/** Why a call was cut short: the lease ran out, or the engine stopped. */
export type CutShort = "lease" | "stopped";

/**
 * The reason a call's signal aborts with: a retryable `TIMEOUT` saying why, and the outbox
 * queue of the call where it has one.
 */
export function cutShortError(why: CutShort, queue?: string): OmnistockError {
  const what = queue === undefined ? "A call" : `A call of the "${queue}" queue`;
  return new OmnistockError(
    "TIMEOUT",
    why === "lease"
      ? `${what} was cut short before its lease lapsed; the work goes back to the outbox`
      : `${what} was cut short as the engine stopped`,
    { retryable: true, details: { ...(queue === undefined ? {} : { queue }), cutShort: why } },
  );
}

/** Whether an error is the reason a call was cut short, and why. */
export function cutShortOf(error: unknown): CutShort | undefined {
  const why =
    error instanceof OmnistockError && error.code === "TIMEOUT"
      ? error.details.cutShort
      : undefined;
  return why === "lease" || why === "stopped" ? why : undefined;
}

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
  /**
   * Delivers one leased batch; it must ack, nack or park every entry. Every role call it
   * makes takes `call.signal`.
   */
  readonly deliver: (entries: readonly OutboxEntry[], call: BatchCall) => Promise<void>;
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
  /** The batches in flight, to cut short when the dispatcher stops. */
  readonly #inFlight = new Set<AbortController>();

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

  /** Stops leasing, aborts the calls of the batches in flight and waits for them. */
  async stop(): Promise<void> {
    this.#running = false;
    this.wake();
    for (const controller of this.#inFlight)
      controller.abort(cutShortError("stopped", this.#options.queue));
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
      const request: LeaseRequest = {
        tenantId: o.tenantId,
        queue: o.queue,
        owner: o.owner,
        now: o.clock(),
        leaseMs: o.leaseMs,
        limit: o.batchSize,
      };
      try {
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
      const margin = leaseMarginMs(o.leaseMs);
      let deadline = request.now + o.leaseMs - margin;
      const controller = new AbortController();
      // A getter: each renewal moves the deadline that clients read.
      Object.defineProperty(controller.signal, DEADLINE, {
        get: () => deadline,
        configurable: true,
      });
      // Leased while stopping: the batch goes back at once.
      if (!this.#running) controller.abort(cutShortError("stopped", o.queue));
      this.#inFlight.add(controller);
      const ids = entries.map((e) => e.id);
      void this.#batches.add(async () => {
        let cut: ReturnType<typeof setTimeout> | undefined;
        let beat: ReturnType<typeof setTimeout> | undefined;
        let done = false;
        const cutAtDeadline = () => {
          clearTimeout(cut);
          cut = setTimeout(
            () => controller.abort(cutShortError("lease", o.queue)),
            Math.max(0, deadline - o.clock()),
          );
        };
        // While the batch is in flight its leases are renewed, a third of a lease apart; a
        // renewal that fails leaves the deadline where it was, and the call is cut short
        // before the lease lapses, so no second worker can take work that may still post.
        const heartbeat = () => {
          beat = setTimeout(
            async () => {
              if (done || controller.signal.aborted) return;
              const now = o.clock();
              try {
                await o.store.renew({
                  tenantId: o.tenantId,
                  owner: o.owner,
                  ids,
                  now,
                  leaseMs: o.leaseMs,
                });
                if (done) return;
                deadline = Math.max(deadline, now + o.leaseMs - margin);
                cutAtDeadline();
              } catch (error) {
                o.onError(error);
              }
              if (!done && !controller.signal.aborted) heartbeat();
            },
            Math.max(1, Math.floor(o.leaseMs / 3)),
          );
        };
        cutAtDeadline();
        heartbeat();
        try {
          await o.deliver(entries, { signal: controller.signal });
        } catch (error) {
          o.onError(error);
        } finally {
          done = true;
          clearTimeout(cut);
          clearTimeout(beat);
          this.#inFlight.delete(controller);
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
