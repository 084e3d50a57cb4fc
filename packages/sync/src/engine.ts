import {
  type Catalog,
  type CatalogConfig,
  type ChannelPublisher,
  compileCatalog,
  dispatchActionOf,
  type Explanation,
  explainSlot,
  isOmnistockError,
  type ListingRef,
  OmnistockError,
  type OrderSource,
  type PublishOutcome,
  parseWith,
  positionKey,
  type QuantityToPublish,
  type RecordedSale,
  type RoleCallOptions,
  type SalesOrderSink,
  type StockEvent,
  StockLevels,
  type StockSource,
  slotOf,
  toOmnistockError,
  type WebhookDelivery,
  type WebhookReceiver,
} from "@omnistock/core";
import {
  admitDelivery,
  admitEvents,
  admitOrders,
  admitRead,
  checkFullRead,
  checkListingRef,
  checkRolesAgainstCatalog,
} from "./boundary.js";
import { type BatchCall, cutShortError, cutShortOf, QueueDispatcher } from "./dispatcher.js";
import { type Logger, type SyncEvent, silentLogger } from "./events.js";
import { LatencyHistogram } from "./histogram.js";
import { createWebhookHandler, DEFAULT_WEBHOOK_MAX_BODY_BYTES } from "./ingest.js";
import { createMemoryStore } from "./memory-store.js";
import { syncEngineOptionsSchema } from "./options.js";
import type { HeldOrder, OutboxAck, OutboxEntry, OversoldPolicy, SyncStore } from "./store.js";
import {
  type AnnouncedLevel,
  buildUnit,
  fullPlanUnit,
  type InputResult,
  type QuantityPayload,
  SALES_QUEUE,
  type SalePayload,
  type UnitContext,
  type UnitInput,
  type UnitResult,
} from "./units.js";

/** One merchant's accounts and policies. */
export interface SyncTenantOptions {
  /** The tenant's id: every row in the store is scoped by it. */
  readonly id: string;
  /** The locations, channels with their policies, listings, pools and bundles. */
  readonly catalog: CatalogConfig | Catalog;
  /** The system of record for stock (Lightspeed). */
  readonly stockSource?: StockSource;
  /** Where channel orders become sales (Lightspeed). */
  readonly salesSink?: SalesOrderSink;
  /** The channels to publish to, one per catalog channel. */
  readonly channels?: readonly ChannelPublisher[];
  /** Channels whose orders are polled as the backstop for lost webhooks. */
  readonly orderSources?: readonly OrderSource[];
  /**
   * The webhook receivers by route name: a delivery to `…/{tenantId}/{name}` goes to
   * `receivers[name]` (e.g. `lightspeed`, `shopify-eu`, `amazon`).
   */
  readonly receivers?: Readonly<Record<string, WebhookReceiver>>;
  /**
   * What to do, per channel id, with an order that no location has every unit of: `hold`
   * it for a person (committed, no sale posted; see {@link SyncEngine.heldOrders}) or
   * `record` it as a backorder (the system of record goes below zero).
   * @default "hold" for every channel
   * @example { "shopify-eu": "hold", amazon: "record" }
   */
  readonly oversold?: Readonly<Record<string, OversoldPolicy>>;
}

/** How the outbox is delivered. */
export interface DispatchOptions {
  /**
   * Failed tries of an update before it is parked.
   * @default 8
   */
  readonly maxAttempts?: number;
  /** @default 250 */
  readonly minBackoffMs?: number;
  /** @default 60000 */
  readonly maxBackoffMs?: number;
  /**
   * How long a leased batch is held before another worker may take it.
   * @default 60000
   */
  readonly leaseMs?: number;
  /**
   * How often an idle queue looks for due work (new work wakes it at once).
   * @default 200
   */
  readonly idleMs?: number;
  /**
   * Batches in flight per channel: above 1, an urgent update goes out beside a bulk batch.
   * @default 2
   */
  readonly concurrency?: number;
  /**
   * How long to wait before confirming a write the channel applies later.
   * @default 2000
   */
  readonly confirmDelayMs?: number;
  /**
   * Confirmations tried before a write still not applied is parked.
   * @default 30
   */
  readonly maxConfirmations?: number;
}

/** How often the backstop polls run. */
export interface PollingOptions {
  /**
   * Milliseconds between polls of the stock source (`0` turns polling off).
   * @default 60000
   */
  readonly stockEveryMs?: number;
  /**
   * Milliseconds between polls of each order source (`0` turns polling off), or one value
   * per channel id: a platform's own allowance may be far lower than another's (Amazon
   * allows `getOrders` once a minute).
   * @default 60000
   * @example { amazon: 60_000, "shopify-eu": 10_000 }
   */
  readonly ordersEveryMs?: number | Readonly<Record<string, number>>;
}

/** How webhook deliveries are read. */
export interface WebhookOptions {
  /**
   * The largest body read, in bytes, for a receiver that sets no `maxBodyBytes` of its
   * own: a larger one is answered `413` as soon as its `Content-Length`, or the bytes
   * streamed so far, pass it, and is never held in memory whole.
   * @default 4194304 (4 MiB)
   */
  readonly maxBodyBytes?: number;
}

/** Options of {@link createSyncEngine}. */
export interface SyncEngineOptions {
  readonly tenants: readonly SyncTenantOptions[];
  /**
   * Where everything is kept.
   * @default createMemoryStore()
   */
  readonly store?: SyncStore;
  /** @default Date.now */
  readonly clock?: () => number;
  /** Typed events as the engine works. */
  readonly onEvent?: (event: SyncEvent) => void;
  /** @default a logger that drops everything */
  readonly logger?: Logger;
  /**
   * This worker's name on the outbox leases.
   * @default `worker-${process.pid}`
   */
  readonly workerId?: string;
  readonly dispatch?: DispatchOptions;
  readonly polling?: PollingOptions;
  readonly webhooks?: WebhookOptions;
  /**
   * Randomness for backoff jitter, in [0, 1).
   * @default Math.random
   */
  readonly random?: () => number;
}

/** What {@link SyncEngine.ingest} did. */
export interface IngestResult {
  /** `false` when the delivery had been applied before. */
  readonly applied: boolean;
  readonly events: number;
  readonly duplicates: number;
  readonly planned: number;
}

/** Counters and latency of one engine. */
export interface SyncMetrics {
  /**
   * Latency per channel, by `tenantId/channelId`: from the change being seen to the channel
   * acknowledging the write (for a write it applies later, its acceptance).
   */
  readonly latency: ReadonlyMap<string, LatencyHistogram>;
  readonly applied: number;
  readonly duplicates: number;
  readonly published: number;
  readonly parked: number;
  readonly echoes: number;
  readonly oversells: number;
  readonly salesRecorded: number;
  /** Returns of refunded channel orders' restocked units recorded in the system of record. */
  readonly returnsRecorded: number;
  /** Channel orders put on hold (see {@link SyncEngine.heldOrders}). */
  readonly held: number;
}

/** The sync runtime. */
export interface SyncEngine {
  readonly store: SyncStore;
  /**
   * Reads the stock source's snapshot on first start, plans every listing, and starts the
   * dispatchers and the backstop polls. A restart goes on from the stored cursors and
   * polls every source at once, for what happened while the process was down.
   *
   * A snapshot must have a level at every location that feeds a channel with listings (a
   * count of zero is one): an empty or partial one applies and publishes nothing. A start
   * that fails leaves the engine stopped, the tenants started so far halted, and a later
   * `start()` starts again; calls made while a start runs share it.
   *
   * @throws {@link OmnistockError} `BAD_RESPONSE` naming `details.missingLocations` for an
   *   empty or partial snapshot; `VALIDATION` or `MAPPING_MISSING` for a snapshot refused
   *   at the boundary; the source's or the store's own errors; a retryable `TIMEOUT` when
   *   `stop()` cut it short.
   */
  start(): Promise<void>;
  /**
   * Stops polling and dispatching: the role calls in flight are aborted (their work goes
   * back to the outbox, no attempt counted) and waited for, a start in flight is cut short;
   * closes a store it made.
   */
  stop(): Promise<void>;
  /**
   * The webhook handler on the standard Fetch API: verifies, parses, de-duplicates and
   * applies, then answers — `200` once applied (or a duplicate), `401` for a bad
   * signature, `400` for a malformed body, `404` for an unknown route, `413` for a body
   * over the limit (`webhooks.maxBodyBytes`), `503` or `500` when a platform's API or the
   * store failed while handling it (the platform retries). It never throws, and an answer
   * never carries the text of a platform's or the store's error. The route is the URL's
   * last two segments: `…/{tenantId}/{receiver}`.
   */
  handleWebhook(request: Request): Promise<Response>;
  /**
   * Applies a delivery a receiver already verified (for custom ingest paths), checked at
   * the boundary as {@link SyncEngine.applyEvents} is.
   *
   * @throws {@link OmnistockError} `NOT_FOUND` for an unknown tenant; `VALIDATION` naming
   *   each field at fault (events, orders, levels); `MAPPING_MISSING` naming a location
   *   the catalog does not have. Nothing of a refused delivery is applied.
   */
  ingest(tenantId: string, source: string, delivery: WebhookDelivery): Promise<IngestResult>;
  /**
   * Applies stock events from anywhere (an import, a custom source). A sale, return,
   * receipt or transfer of a POS bundle's SKU is applied to its components.
   *
   * @throws {@link OmnistockError} `NOT_FOUND` for an unknown tenant; `VALIDATION` naming
   *   each field at fault by core's event schema, or a count, adjustment, reservation or
   *   safety stock of a POS bundle's SKU; `MAPPING_MISSING` naming a location the catalog
   *   does not have. The refusal is also an `error` event, and nothing of the input is
   *   applied.
   */
  applyEvents(
    tenantId: string,
    events: readonly StockEvent[],
    options?: { readonly source?: string; readonly deliveryId?: string },
  ): Promise<IngestResult>;
  /** Runs every backstop poll once, now. */
  pollNow(): Promise<void>;
  /**
   * Resolves when every outbox is empty and nothing is in flight, or rejects after
   * `timeoutMs`.
   */
  idle(options?: { readonly timeoutMs?: number }): Promise<void>;
  /**
   * Why a channel shows what it shows: sources, buffer, binding component, in-flight orders.
   *
   * @throws {@link OmnistockError} `NOT_FOUND` for an unknown tenant, listing or channel
   *   location; `VALIDATION` for a ref of the wrong shape.
   */
  explain(tenantId: string, ref: ListingRef): Promise<Explanation>;
  metrics(): SyncMetrics;
  /**
   * The channel orders on hold: committed (every other channel shows less) with no sale
   * posted, each with its reason and the units no location had; oldest first.
   */
  heldOrders(tenantId: string): Promise<readonly HeldOrder[]>;
  /**
   * Settles a held order: `record` posts its sale now (routed again on the stock there is
   * then, e.g. once stock came in; units still missing are a backorder the merchant
   * accepts), `release` drops it and its commitment with nothing posted (once it was
   * cancelled on the channel; the channel's own cancellation releases it too).
   *
   * @throws {@link OmnistockError} `VALIDATION` naming the field at fault; `NOT_FOUND` for
   *   an unknown tenant or an order that is not on hold.
   * @example
   * ```ts
   * for (const order of await engine.heldOrders("acme"))
   *   await engine.resolveHeldOrder("acme", { ...order, action: "record" });
   * ```
   */
  resolveHeldOrder(tenantId: string, resolution: HeldOrderResolution): Promise<HeldOrderResolution>;
}

/** A person's decision on a held order, for {@link SyncEngine.resolveHeldOrder}. */
export interface HeldOrderResolution {
  readonly channelId: string;
  readonly orderId: string;
  /** `record`: post the sale; `release`: drop the order, posting nothing. */
  readonly action: "record" | "release";
}

/**
 * Checks a resolution from the API.
 *
 * @throws {@link OmnistockError} `VALIDATION` naming the field at fault.
 */
function parseHeldOrderResolution(resolution: HeldOrderResolution): HeldOrderResolution {
  for (const field of ["channelId", "orderId"] as const) {
    const value: unknown = resolution?.[field];
    if (typeof value !== "string" || value.length === 0)
      throw new OmnistockError("VALIDATION", `A held order's ${field} must be a non-empty string`, {
        details: { field },
      });
  }
  if (resolution.action !== "record" && resolution.action !== "release")
    throw new OmnistockError(
      "VALIDATION",
      `A held order is resolved by "record" or "release", not ${JSON.stringify(resolution.action)}`,
      { details: { field: "action" } },
    );
  return {
    channelId: resolution.channelId,
    orderId: resolution.orderId,
    action: resolution.action,
  };
}

interface Tenant {
  readonly options: SyncTenantOptions;
  readonly catalog: Catalog;
  readonly context: UnitContext;
  readonly publishers: ReadonlyMap<string, ChannelPublisher>;
  readonly published: Map<string, number>;
  readonly dispatchers: Map<string, QueueDispatcher>;
  /** Inputs waiting to share the next transaction. */
  readonly waiting: Waiting[];
  draining: boolean;
}

const STOCK_CURSOR = "stock";
const ordersCursor = (channelId: string) => `orders:${channelId}`;
const EVENTS_PER_UNIT = 500;
/** Deliveries that may share one transaction. */
const INPUTS_PER_UNIT = 64;

/** An input waiting for its transaction. */
interface Waiting {
  readonly source: string;
  readonly input: UnitInput;
  readonly resolve: (result: IngestResult) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Creates the sync runtime: it ingests webhooks and polls, applies each change in one
 * store transaction (ledger, incremental allocation, plan, outbox), and delivers the
 * outbox per channel with batching, coalescing, urgency, compare-and-set and retries.
 *
 * @throws {@link OmnistockError} `VALIDATION` naming every option at fault (unknown keys
 *   included); `CONFIG` for tenants that do not fit their catalog (a
 *   publisher for an unknown channel, two tenants with one id), `VALIDATION` or a
 *   mapping code for a catalog that does not compile.
 * @example
 * ```ts
 * const engine = createSyncEngine({
 *   store: createSqliteStore({ path: "omnistock.db" }),
 *   tenants: [{ id: "acme", catalog, stockSource, salesSink, channels: [shopify, amazon],
 *     receivers: { lightspeed: lightspeedReceiver, "shopify-eu": shopifyReceiver } }],
 * });
 * await engine.start();
 * http.createServer(toNodeHandler(engine.handleWebhook)).listen(8080);
 * ```
 */
export function createSyncEngine(options: SyncEngineOptions): SyncEngine {
  parseWith(syncEngineOptionsSchema, options, "sync engine options");
  const ownsStore = options.store === undefined;
  const store = options.store ?? createMemoryStore();
  const clock = options.clock ?? Date.now;
  const logger = options.logger ?? silentLogger;
  const random = options.random ?? Math.random;
  const owner = options.workerId ?? `worker-${process.pid}`;
  const dispatch = {
    maxAttempts: options.dispatch?.maxAttempts ?? 8,
    minBackoffMs: options.dispatch?.minBackoffMs ?? 250,
    maxBackoffMs: options.dispatch?.maxBackoffMs ?? 60_000,
    leaseMs: options.dispatch?.leaseMs ?? 60_000,
    idleMs: options.dispatch?.idleMs ?? 200,
    concurrency: options.dispatch?.concurrency ?? 2,
    confirmDelayMs: options.dispatch?.confirmDelayMs ?? 2_000,
    maxConfirmations: options.dispatch?.maxConfirmations ?? 30,
  };
  const polling = {
    stockEveryMs: options.polling?.stockEveryMs ?? 60_000,
  };
  const ordersEvery = (channelId: string): number => {
    const every = options.polling?.ordersEveryMs ?? 60_000;
    return typeof every === "number" ? every : (every[channelId] ?? 60_000);
  };

  const tenants = new Map<string, Tenant>();
  for (const t of options.tenants) {
    if (tenants.has(t.id))
      throw new OmnistockError("CONFIG", `Two tenants have the id "${t.id}"`, {
        details: { tenantId: t.id },
      });
    const catalog = "channelIndex" in t.catalog ? t.catalog : compileCatalog(t.catalog);
    const publishers = new Map<string, ChannelPublisher>();
    for (const publisher of t.channels ?? []) {
      if (!catalog.channelIndex.has(publisher.channelId))
        throw new OmnistockError(
          "CONFIG",
          `Tenant "${t.id}" has a ${publisher.platform} publisher for channel "${publisher.channelId}", which its catalog does not have`,
          { details: { tenantId: t.id, channelId: publisher.channelId } },
        );
      publishers.set(publisher.channelId, publisher);
    }
    for (const channelId of Object.keys(t.oversold ?? {}))
      if (!catalog.channelIndex.has(channelId))
        throw new OmnistockError(
          "CONFIG",
          `Tenant "${t.id}" has an oversold policy for channel "${channelId}", which its catalog does not have`,
          { details: { tenantId: t.id, channelId, field: "oversold" } },
        );
    checkRolesAgainstCatalog(t, catalog);
    const context: UnitContext = {
      catalog,
      publishing: new Set(publishers.keys()),
      recordsSales: t.salesSink !== undefined,
      ...(t.oversold === undefined ? {} : { oversold: t.oversold }),
    };
    tenants.set(t.id, {
      options: t,
      catalog,
      context,
      publishers,
      published: new Map(),
      dispatchers: new Map(),
      waiting: [],
      draining: false,
    });
  }

  const latency = new Map<string, LatencyHistogram>();
  const counters = {
    applied: 0,
    duplicates: 0,
    published: 0,
    parked: 0,
    echoes: 0,
    oversells: 0,
    salesRecorded: 0,
    returnsRecorded: 0,
    held: 0,
  };
  const emit = (event: SyncEvent) => {
    try {
      options.onEvent?.(event);
    } catch (error) {
      logger.error("onEvent threw", { error: String(error) });
    }
  };
  const timers = new Set<ReturnType<typeof setTimeout>>();
  let running = false;
  /** The start in flight, which a second `start()` shares. */
  let starting: Promise<void> | undefined;
  /** The stop in flight: a `start()` meanwhile waits for it, a second `stop()` shares it. */
  let stopping: Promise<void> | undefined;
  /** Aborted by `stop()`: every poll's and every start's role calls take its signal. */
  let life = new AbortController();
  const polls = new Set<Promise<void>>();

  function tenantOf(tenantId: string): Tenant {
    const tenant = tenants.get(tenantId);
    if (tenant === undefined)
      throw new OmnistockError("NOT_FOUND", `Unknown tenant "${tenantId}"`, {
        details: { tenantId },
      });
    return tenant;
  }

  /**
   * Applies one input. Inputs without a cursor (webhooks, API calls) wait a tick and share
   * a transaction with the others arriving meanwhile: a durable store syncs to disk once
   * for all of them. A poll's input, which advances a cursor, goes alone.
   */
  function applyInput(tenant: Tenant, source: string, input: UnitInput): Promise<IngestResult> {
    if (input.cursor !== undefined)
      return applyBatch(tenant, [{ source, input }]).then((results) => results[0] as IngestResult);
    return new Promise((resolve, reject) => {
      tenant.waiting.push({ source, input, resolve, reject });
      if (!tenant.draining) void drain(tenant);
    });
  }

  async function drain(tenant: Tenant): Promise<void> {
    tenant.draining = true;
    try {
      // Let the deliveries already arriving join this transaction.
      await new Promise((resolve) => setImmediate(resolve));
      while (tenant.waiting.length > 0) {
        let events = 0;
        let take = 0;
        while (take < tenant.waiting.length && take < INPUTS_PER_UNIT && events < EVENTS_PER_UNIT) {
          const { input } = tenant.waiting[take] as Waiting;
          events += input.events.length + input.orders.length;
          take++;
        }
        const batch = tenant.waiting.splice(0, take);
        try {
          const results = await applyBatch(tenant, batch);
          batch.forEach((waiting, i) => {
            waiting.resolve(results[i] as IngestResult);
          });
        } catch (error) {
          for (const waiting of batch) waiting.reject(error);
        }
      }
    } finally {
      tenant.draining = false;
    }
  }

  /** Applies inputs in one transaction and reports what each did. */
  async function applyBatch(
    tenant: Tenant,
    batch: readonly { readonly source: string; readonly input: UnitInput }[],
  ): Promise<IngestResult[]> {
    const tenantId = tenant.options.id;
    const { unit, problems } = buildUnit(
      tenant.context,
      batch.map((b) => b.input),
    );
    for (const { input, error } of problems) {
      const source = (batch[input] as { source: string }).source;
      emit({ type: "error", tenantId, source, error });
      logger.warn("unusable order", { tenantId, source, error: error.message });
    }
    const outcome = await store.apply(tenantId, unit);
    if (!outcome.applied)
      return batch.map(() => ({ applied: false, events: 0, duplicates: 0, planned: 0 }));
    const { result } = outcome;
    report(tenant, result);
    return batch.map(({ source, input }, i) => {
      const own = result.inputs[i] as InputResult;
      if (!own.applied) {
        emit({ type: "duplicate", tenantId, source, deliveryId: input.deliveryId ?? "" });
        return { applied: false, events: 0, duplicates: 0, planned: 0 };
      }
      emit({
        type: "applied",
        tenantId,
        source,
        events: own.events,
        duplicates: own.duplicates,
        planned: result.planned,
      });
      return {
        applied: true,
        events: own.events,
        duplicates: own.duplicates,
        planned: result.planned,
      };
    });
  }

  function report(tenant: Tenant, result: UnitResult) {
    const tenantId = tenant.options.id;
    counters.applied += result.applied;
    counters.duplicates += result.duplicates;
    for (const o of result.oversells) {
      counters.oversells++;
      emit({ type: "oversell-risk", tenantId, ...o });
    }
    for (const h of result.held) {
      counters.held++;
      emit({ type: "order-held", tenantId, ...h });
    }
    for (const e of result.echoes) {
      counters.echoes++;
      emit({ type: "echo-suppressed", tenantId, channelId: e.ref.channelId, ...e });
    }
    for (const d of result.drifts)
      emit({ type: "channel-drift", tenantId, channelId: d.ref.channelId, ...d });
    for (const queue of result.queues) tenant.dispatchers.get(queue)?.wake();
  }

  async function ingestDelivery(
    tenant: Tenant,
    source: string,
    delivery: WebhookDelivery,
  ): Promise<IngestResult> {
    const admitted = refused(tenant, source, () =>
      admitDelivery(tenant.catalog, delivery, `${source} delivery`),
    );
    const now = clock();
    const levels: AnnouncedLevel[] = [...admitted.levels];
    return applyInput(tenant, source, {
      deliveryId: `${delivery.platform}:${delivery.deliveryId}`,
      events: admitted.events,
      orders: admitted.orders,
      levels,
      seenAt: now,
      now,
    });
  }

  /**
   * Runs a boundary check; a refusal is reported as an `error` event (and logged) before
   * it is thrown to the caller.
   */
  function refused<T>(tenant: Tenant, source: string, check: () => T): T {
    try {
      return check();
    } catch (error) {
      if (isOmnistockError(error)) {
        emit({ type: "error", tenantId: tenant.options.id, source, error });
        logger.warn("input refused", {
          tenantId: tenant.options.id,
          source,
          code: error.code,
          error: error.message,
        });
      }
      throw error;
    }
  }

  /**
   * Applies stock events, in units of at most {@link EVENTS_PER_UNIT}; the cursor goes
   * with the last. The events must have passed {@link admitEvents}.
   */
  async function applyEventsInChunks(
    tenant: Tenant,
    source: string,
    events: readonly StockEvent[],
    cursor?: { readonly name: string; readonly value: string },
    deliveryId?: string,
  ): Promise<IngestResult> {
    let total = { applied: true, events: 0, duplicates: 0, planned: 0 };
    const chunks = Math.max(1, Math.ceil(events.length / EVENTS_PER_UNIT));
    for (let c = 0; c < chunks; c++) {
      const now = clock();
      const last = c === chunks - 1;
      const result = await applyInput(tenant, source, {
        ...(deliveryId === undefined
          ? {}
          : { deliveryId: chunks === 1 ? deliveryId : `${deliveryId}#${c}` }),
        events: events.slice(c * EVENTS_PER_UNIT, (c + 1) * EVENTS_PER_UNIT),
        orders: [],
        levels: [],
        ...(last && cursor !== undefined ? { cursor } : {}),
        seenAt: now,
        now,
      });
      total = {
        applied: total.applied && result.applied,
        events: total.events + result.events,
        duplicates: total.duplicates + result.duplicates,
        planned: total.planned + result.planned,
      };
    }
    return total;
  }

  // ---- dispatch ---------------------------------------------------------------------

  const backoff = (attempts: number) => {
    const base = Math.min(dispatch.maxBackoffMs, dispatch.minBackoffMs * 2 ** attempts);
    return Math.round(base / 2 + (random() * base) / 2);
  };

  async function failBatch(
    tenant: Tenant,
    queue: string,
    entries: readonly OutboxEntry[],
    error: unknown,
  ) {
    const tenantId = tenant.options.id;
    const now = clock();
    const typed = toOmnistockError(error);
    const cutShort = cutShortOf(typed);
    if (cutShort !== undefined) {
      // Not the platform's refusal: the engine stopped (the next start takes the work up
      // at once), or the call outlived its lease, mostly waiting for the rate limit's
      // budget; it goes back to the outbox and is tried again, without counting a try.
      if (cutShort === "lease")
        logger.warn("delivery cut short by its lease", {
          tenantId,
          queue,
          entries: entries.length,
        });
      for (const entry of entries)
        await store.nack({
          entry,
          nextAttemptAt: cutShort === "stopped" ? now : now + backoff(0),
          countAttempt: false,
          error: typed.message,
        });
      return;
    }
    const action = dispatchActionOf(typed);
    if (action === "wait") {
      const wait = typed.retryAfterMs ?? backoff(0);
      emit({ type: "throttled", tenantId, queue, retryAfterMs: wait });
      for (const entry of entries)
        await store.nack({
          entry,
          nextAttemptAt: now + wait,
          countAttempt: false,
          error: typed.message,
        });
      return;
    }
    for (const entry of entries) {
      if (action === "park" || entry.attempts + 1 >= dispatch.maxAttempts) {
        await park(tenant, entry, `${typed.code}: ${typed.message}`);
      } else {
        await store.nack({
          entry,
          nextAttemptAt: now + backoff(entry.attempts),
          error: typed.message,
        });
      }
    }
    logger.warn("delivery failed", { tenantId, queue, code: typed.code, error: typed.message });
  }

  async function park(tenant: Tenant, entry: OutboxEntry, reason: string) {
    await store.park({ entry, reason, at: clock() });
    counters.parked++;
    emit({
      type: "parked",
      tenantId: tenant.options.id,
      queue: entry.queue,
      key: entry.key,
      reason,
    });
  }

  async function deliverQuantities(
    tenant: Tenant,
    publisher: ChannelPublisher,
    entries: readonly OutboxEntry[],
    call: BatchCall,
  ): Promise<void> {
    const toUpdate = (entry: OutboxEntry): QuantityToPublish => {
      const { ref, quantity } = entry.payload as QuantityPayload;
      return {
        listingId: ref.listingId,
        ...(ref.channelLocationId === undefined
          ? {}
          : { channelLocationId: ref.channelLocationId }),
        quantity,
        previous: tenant.published.get(entry.key),
        urgent: entry.urgent,
      };
    };
    if (call.signal.aborted) {
      await failBatch(tenant, publisher.channelId, entries, call.signal.reason);
      return;
    }
    // The outbox owns the retries of dispatched work: one HTTP attempt per try.
    const dispatched: RoleCallOptions = { signal: call.signal, retries: "none" };
    const fresh = entries.filter((e) => (e.payload as QuantityPayload).receipt === undefined);
    const confirming = entries.filter((e) => (e.payload as QuantityPayload).receipt !== undefined);
    const outcomes: { entry: OutboxEntry; outcome: PublishOutcome }[] = [];
    try {
      if (fresh.length > 0) {
        const results = await publisher.publish(fresh.map(toUpdate), dispatched);
        results.forEach((outcome, i) => {
          outcomes.push({ entry: fresh[i] as OutboxEntry, outcome });
        });
      }
      if (confirming.length > 0) {
        const results = await publisher.confirm(
          confirming.map((entry) => ({
            update: toUpdate(entry),
            receipt: (entry.payload as QuantityPayload).receipt as string,
          })),
          dispatched,
        );
        results.forEach((outcome, i) => {
          outcomes.push({ entry: confirming[i] as OutboxEntry, outcome });
        });
      }
    } catch (error) {
      const done = new Set(outcomes.map((o) => o.entry.id));
      await failBatch(
        tenant,
        publisher.channelId,
        entries.filter((e) => !done.has(e.id)),
        error,
      );
      if (outcomes.length === 0) return;
    }
    const tenantId = tenant.options.id;
    const now = clock();
    const acks: OutboxAck[] = [];
    /** The channel shows the entry's quantity: ack it, and record the latency. */
    /** The channel acknowledged the write: its latency, measured once per write. */
    const acknowledged = (entry: OutboxEntry, payload: QuantityPayload) => {
      if (payload.receipt !== undefined) return;
      const ms = now - entry.seenAt;
      const name = `${tenantId}/${publisher.channelId}`;
      let histogram = latency.get(name);
      if (histogram === undefined) {
        histogram = new LatencyHistogram();
        latency.set(name, histogram);
      }
      histogram.record(ms);
      emit({
        type: "acknowledged",
        tenantId,
        channelId: publisher.channelId,
        ref: payload.ref,
        quantity: payload.quantity,
        urgent: entry.urgent,
        latencyMs: ms,
      });
    };
    /** The channel shows the entry's quantity: ack it. */
    const confirmed = (entry: OutboxEntry, payload: QuantityPayload) => {
      acknowledged(entry, payload);
      acks.push({ entry, published: [{ key: entry.key, quantity: payload.quantity }] });
      tenant.published.set(entry.key, payload.quantity);
      counters.published++;
      emit({
        type: "published",
        tenantId,
        channelId: publisher.channelId,
        ref: payload.ref,
        quantity: payload.quantity,
        urgent: entry.urgent,
        latencyMs: now - entry.seenAt,
      });
    };
    for (const { entry, outcome } of outcomes) {
      const payload = entry.payload as QuantityPayload;
      switch (outcome.status) {
        case "published":
          confirmed(entry, payload);
          break;
        case "pending": {
          acknowledged(entry, payload);
          const confirmations = payload.receipt === undefined ? 0 : entry.attempts + 1;
          if (confirmations >= dispatch.maxConfirmations) {
            await park(tenant, entry, `not applied after ${confirmations} confirmations`);
            break;
          }
          await store.nack({
            entry,
            nextAttemptAt: now + dispatch.confirmDelayMs,
            countAttempt: payload.receipt !== undefined,
            payload: { ref: payload.ref, quantity: payload.quantity, receipt: outcome.receipt },
          });
          break;
        }
        case "stale": {
          tenant.published.set(entry.key, outcome.actual);
          emit({
            type: "stale",
            tenantId,
            channelId: publisher.channelId,
            ref: payload.ref,
            actual: outcome.actual,
          });
          if (outcome.actual === payload.quantity) confirmed(entry, payload);
          else if (entry.attempts + 1 >= dispatch.maxAttempts) {
            await park(tenant, entry, `compare-and-set refused ${entry.attempts + 1} times`);
          } else {
            await store.nack({
              entry,
              nextAttemptAt: now,
              payload: { ref: payload.ref, quantity: payload.quantity },
              published: [{ key: entry.key, quantity: outcome.actual }],
              error: "stale",
            });
          }
          break;
        }
        case "rejected":
          await park(tenant, entry, `${outcome.reason}: ${outcome.message}`);
          break;
      }
    }
    if (acks.length > 0) await store.ack(acks);
  }

  async function deliverSales(
    tenant: Tenant,
    entries: readonly OutboxEntry[],
    call: BatchCall,
  ): Promise<void> {
    const sink = tenant.options.salesSink;
    const tenantId = tenant.options.id;
    const { signal } = call;
    // The outbox owns the retries of dispatched work: one HTTP attempt per try.
    const dispatched: RoleCallOptions = { signal, retries: "none" };
    for (const entry of entries) {
      const payload = entry.payload as SalePayload;
      if (signal.aborted) {
        // The lease is about to lapse (or the engine stops): another worker may take it.
        await failBatch(tenant, SALES_QUEUE, [entry], signal.reason);
        continue;
      }
      if (sink === undefined) {
        await park(tenant, entry, "no sales-order sink is configured");
        continue;
      }
      // A sale's or a return's own stock events are applied before the ack: a crash in
      // between records nothing twice (the sink is idempotent), and its webhook is a duplicate.
      const applyThenAck = async ({ events }: RecordedSale) => {
        if (events !== undefined && events.length > 0)
          await applyEventsInChunks(
            tenant,
            SALES_QUEUE,
            admitEvents(tenant.catalog, events, `${sink?.platform ?? "sales"} sink's events`),
          );
        await store.ack([{ entry }]);
      };
      try {
        if (payload.action === "record") {
          const recorded = await sink.recordSale(payload.sale, dispatched);
          await applyThenAck(recorded);
          counters.salesRecorded++;
          emit({
            type: "sale-recorded",
            tenantId,
            channelId: payload.sale.channelId,
            orderId: payload.sale.orderId,
            saleId: recorded.saleId,
            created: recorded.created,
          });
        } else if (payload.action === "return") {
          const ret = payload.return;
          const recorded = await sink.recordReturn(ret, dispatched);
          await applyThenAck(recorded);
          counters.returnsRecorded++;
          emit({
            type: "return-recorded",
            tenantId,
            channelId: ret.channelId,
            orderId: ret.orderId,
            returnId: ret.returnId,
            saleId: recorded.saleId,
            created: recorded.created,
          });
        } else {
          await sink.voidSale(
            { channelId: payload.channelId, orderId: payload.orderId },
            dispatched,
          );
          await store.ack([{ entry }]);
        }
      } catch (error) {
        await failBatch(tenant, SALES_QUEUE, [entry], error);
      }
    }
  }

  function startDispatchers(tenant: Tenant) {
    const onError = (error: unknown) =>
      logger.error("dispatcher failed", { tenantId: tenant.options.id, error: String(error) });
    const common = {
      store,
      tenantId: tenant.options.id,
      owner,
      clock,
      leaseMs: dispatch.leaseMs,
      idleMs: dispatch.idleMs,
      onError,
    };
    for (const publisher of tenant.publishers.values()) {
      const dispatcher = new QueueDispatcher({
        ...common,
        queue: publisher.channelId,
        batchSize: publisher.maxBatch,
        concurrency: dispatch.concurrency,
        ...(publisher.minBatchIntervalMs === undefined
          ? {}
          : { minIntervalMs: publisher.minBatchIntervalMs }),
        deliver: (entries, call) => deliverQuantities(tenant, publisher, entries, call),
      });
      tenant.dispatchers.set(publisher.channelId, dispatcher);
    }
    if (tenant.options.salesSink !== undefined) {
      tenant.dispatchers.set(
        SALES_QUEUE,
        new QueueDispatcher({
          ...common,
          queue: SALES_QUEUE,
          // Orders are independent, and an order's tasks share its key, which is never
          // leased twice: several small batches in flight keep a burst of orders from
          // queueing behind one another's round trips.
          batchSize: 5,
          concurrency: 4,
          deliver: (entries, call) => deliverSales(tenant, entries, call),
        }),
      );
    }
    for (const dispatcher of tenant.dispatchers.values()) dispatcher.start();
  }

  // ---- polling ----------------------------------------------------------------------

  async function pollStock(tenant: Tenant) {
    const source = tenant.options.stockSource;
    if (source === undefined) return;
    const tenantId = tenant.options.id;
    const started = clock();
    try {
      const cursor = await store.cursor(tenantId, STOCK_CURSOR);
      const what = `${source.platform} stock read`;
      const read = admitRead(
        tenant.catalog,
        await source.changesSince(cursor, { signal: life.signal }),
        what,
      );
      // Without a cursor the source reads everything: a full read, held to the snapshot's rule.
      if (cursor === undefined) checkFullRead(tenant.catalog, read.events, source.platform, what);
      await applyEventsInChunks(tenant, `poll:${source.platform}`, read.events, {
        name: STOCK_CURSOR,
        value: read.cursor,
      });
      logger.debug("polled", {
        tenantId,
        source: source.platform,
        events: read.events.length,
        ms: clock() - started,
      });
    } catch (error) {
      reportPollError(tenant, `poll:${source.platform}`, error);
    }
  }

  async function pollOrders(tenant: Tenant, source: OrderSource) {
    const tenantId = tenant.options.id;
    const started = clock();
    try {
      const name = ordersCursor(source.channelId);
      const read = await source.ordersSince(await store.cursor(tenantId, name), {
        signal: life.signal,
      });
      const orders = admitOrders(read.orders, `${source.channelId} order read`);
      if (typeof read.cursor !== "string")
        throw new OmnistockError(
          "BAD_RESPONSE",
          `The ${source.channelId} order read has no cursor to continue from`,
          { platform: source.platform, details: { channelId: source.channelId } },
        );
      const now = clock();
      await applyInput(tenant, `poll:${source.channelId}`, {
        events: [],
        orders,
        levels: [],
        cursor: { name, value: read.cursor },
        seenAt: now,
        now,
      });
      logger.debug("polled", {
        tenantId,
        source: source.channelId,
        orders: read.orders.length,
        ms: now - started,
      });
    } catch (error) {
      reportPollError(tenant, `poll:${source.channelId}`, error);
    }
  }

  function reportPollError(tenant: Tenant, source: string, error: unknown) {
    // A poll that `stop()` cut short did not fail: the next start polls again.
    if (cutShortOf(error) === "stopped") return;
    const typed = isOmnistockError(error)
      ? error
      : new OmnistockError("SERVER", String(error), { cause: error });
    emit({ type: "error", tenantId: tenant.options.id, source, error: typed });
    logger.warn("poll failed", { tenantId: tenant.options.id, source, error: typed.message });
  }

  function every(ms: number, task: () => Promise<void>) {
    if (ms <= 0) return;
    const tick = () => {
      if (!running) return;
      const run = task().finally(() => {
        polls.delete(run);
        if (running) schedule();
      });
      polls.add(run);
    };
    const schedule = () => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        tick();
      }, ms);
      timers.add(timer);
    };
    schedule();
  }

  // ---- the engine ---------------------------------------------------------------------

  /**
   * Stops what runs: aborts the calls of polls in flight, clears the poll timers, waits for
   * the polls and stops the dispatchers (their calls in flight are aborted and their work
   * goes back to the outbox). The store stays open, so that a start may follow.
   */
  async function halt() {
    running = false;
    life.abort(cutShortError("stopped"));
    for (const timer of timers) clearTimeout(timer);
    timers.clear();
    await Promise.all([...polls]);
    await Promise.all(
      [...tenants.values()].flatMap((t) => [...t.dispatchers.values()].map((d) => d.stop())),
    );
    for (const tenant of tenants.values()) tenant.dispatchers.clear();
  }

  async function startTenant(tenant: Tenant) {
    const tenantId = tenant.options.id;
    const source = tenant.options.stockSource;
    const restart = (await store.cursor(tenantId, STOCK_CURSOR)) !== undefined;
    if (source !== undefined && !restart) {
      const what = `${source.platform} snapshot`;
      const snapshot = admitRead(
        tenant.catalog,
        await source.snapshot({ signal: life.signal }),
        what,
      );
      checkFullRead(tenant.catalog, snapshot.events, source.platform, what);
      await applyEventsInChunks(tenant, `snapshot:${source.platform}`, snapshot.events, {
        name: STOCK_CURSOR,
        value: snapshot.cursor,
      });
    }
    const [positions, listings] = await Promise.all([
      store.positions(tenantId),
      store.listings(tenantId),
    ]);
    for (const [key, state] of listings)
      if (state.published !== undefined) tenant.published.set(key, state.published);
    const outcome = await store.apply(
      tenantId,
      fullPlanUnit(tenant.context, positions, listings, clock()),
    );
    if (outcome.applied) report(tenant, outcome.result);
    startDispatchers(tenant);
    if (restart) {
      // Webhooks sent while the process was down are lost to it: catch up at once, beside
      // the webhooks that arrive meanwhile (a source's rate limit may make it slow).
      const catchUp = (async () => {
        await pollStock(tenant);
        for (const orderSource of tenant.options.orderSources ?? [])
          await pollOrders(tenant, orderSource);
      })().finally(() => polls.delete(catchUp));
      polls.add(catchUp);
    }
    every(polling.stockEveryMs, () => pollStock(tenant));
    for (const orderSource of tenant.options.orderSources ?? [])
      every(ordersEvery(orderSource.channelId), () => pollOrders(tenant, orderSource));
  }

  const handleWebhook = createWebhookHandler({
    route: (tenantId, name) => {
      const receivers = tenants.get(tenantId)?.options.receivers;
      // An own key only: `constructor` or `__proto__` is no route.
      return receivers !== undefined && Object.hasOwn(receivers, name)
        ? receivers[name]
        : undefined;
    },
    ingest: (tenantId, source, delivery) => ingestDelivery(tenantOf(tenantId), source, delivery),
    emit,
    logger,
    maxBodyBytes: options.webhooks?.maxBodyBytes ?? DEFAULT_WEBHOOK_MAX_BODY_BYTES,
  });

  const engine: SyncEngine = {
    store,
    start() {
      if (starting !== undefined) return starting;
      if (stopping !== undefined) return stopping.then(() => engine.start());
      if (running) return Promise.resolve();
      running = true;
      life = new AbortController();
      const signal = life.signal;
      starting = (async () => {
        try {
          for (const tenant of tenants.values()) {
            signal.throwIfAborted();
            await startTenant(tenant);
          }
          // Stopped meanwhile, by a source that did not listen to the signal.
          signal.throwIfAborted();
        } catch (error) {
          // Nothing may go on half started: the tenants started so far stop too.
          await halt();
          throw error;
        } finally {
          starting = undefined;
        }
      })();
      return starting;
    },
    stop() {
      if (stopping !== undefined) return stopping;
      life.abort(cutShortError("stopped"));
      stopping = (async () => {
        try {
          await starting?.catch(() => undefined);
          await halt();
          if (ownsStore) await store.close();
        } finally {
          stopping = undefined;
        }
      })();
      return stopping;
    },
    handleWebhook,
    ingest: (tenantId, source, delivery) => ingestDelivery(tenantOf(tenantId), source, delivery),
    async applyEvents(tenantId, events, opts) {
      const tenant = tenantOf(tenantId);
      const source = opts?.source ?? "api";
      const admitted = refused(tenant, source, () =>
        admitEvents(tenant.catalog, events, `${source} stock events`),
      );
      return applyEventsInChunks(tenant, source, admitted, undefined, opts?.deliveryId);
    },
    async pollNow() {
      await Promise.all(
        [...tenants.values()].flatMap((tenant) => [
          pollStock(tenant),
          ...(tenant.options.orderSources ?? []).map((source) => pollOrders(tenant, source)),
        ]),
      );
    },
    async idle(opts) {
      const timeoutMs = opts?.timeoutMs ?? 30_000;
      if (typeof timeoutMs !== "number" || !(timeoutMs >= 0))
        throw new OmnistockError(
          "VALIDATION",
          "idle's timeoutMs must be a number of milliseconds, 0 or more",
          {
            issues: [{ path: ["timeoutMs"], message: "expected a number, 0 or more" }],
          },
        );
      const deadline = clock() + timeoutMs;
      for (;;) {
        const waiting: Record<string, number> = {};
        let work = 0;
        for (const tenant of tenants.values()) {
          for (const [queue, size] of await store.outboxSize(tenant.options.id)) {
            if (size === 0) continue;
            waiting[`${tenant.options.id}/${queue}`] = size;
            work += size;
          }
          for (const d of tenant.dispatchers.values()) if (d.busy) work++;
        }
        if (work === 0) return;
        if (clock() > deadline) {
          const where = Object.entries(waiting).map(([queue, size]) => `${queue}: ${size}`);
          throw new OmnistockError(
            "TIMEOUT",
            `The outbox still holds ${work} entries${where.length > 0 ? ` (${where.join(", ")})` : ""}`,
            { details: { waiting } },
          );
        }
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    async explain(tenantId, ref) {
      const tenant = tenantOf(tenantId);
      checkListingRef(tenant.catalog, ref);
      const positions = await store.positions(tenantId);
      const now = clock();
      const stock = StockLevels.fromPositions(
        tenant.catalog.locations.map((l) => l.id),
        positions,
        now,
      );
      const byKey = new Map(positions.map((p) => [positionKey(p.sku, p.locationId), p]));
      return explainSlot(tenant.catalog, stock, slotOf(tenant.catalog, ref), {
        positions: (sku, locationId) => byKey.get(positionKey(sku, locationId)),
        asOf: now,
      });
    },
    metrics: () => ({ latency, ...counters }),
    async heldOrders(tenantId) {
      return store.heldOrders(tenantOf(tenantId).options.id);
    },
    async resolveHeldOrder(tenantId, resolution) {
      const tenant = tenantOf(tenantId);
      const { channelId, orderId, action } = parseHeldOrderResolution(resolution);
      const held = (await store.heldOrders(tenantId)).find(
        (o) => o.channelId === channelId && o.orderId === orderId,
      );
      const now = clock();
      const { unit } = buildUnit(tenant.context, [
        {
          events: [],
          orders: [],
          levels: [],
          resolutions: [
            { channelId, orderId, action, skus: (held?.lines ?? []).map((line) => line.sku) },
          ],
          seenAt: now,
          now,
        },
      ]);
      const outcome = held === undefined ? undefined : await store.apply(tenantId, unit);
      if (outcome?.applied === true) report(tenant, outcome.result);
      if (outcome?.applied !== true || outcome.result.resolved[0]?.done !== true)
        throw new OmnistockError(
          "NOT_FOUND",
          `Channel "${channelId}" of tenant "${tenantId}" has no held order "${orderId}"`,
          { details: { tenantId, channelId, orderId } },
        );
      return { channelId, orderId, action };
    },
  };
  return engine;
}
