import {
  type ChannelOrder,
  isOmnistockError,
  OmnistockError,
  type OrderSource,
  type RoleCallOptions,
  type SalesOrderSink,
  type SaleToRecord,
  type WebhookDelivery,
} from "@omnistock/core";
import { createHttpClient } from "@omnistock/transport";
import { createVirtualTime } from "@omnistock/transport/testing";
import { describe, expect, it, vi } from "vitest";
import { createMemoryStore, createSyncEngine, type SyncStore } from "../src/index.js";
import { catalog, fakeChannel, fakeSource, fullSnapshot } from "./engine-fakes.js";

const quick = { minBackoffMs: 1, maxBackoffMs: 5, idleMs: 5 } as const;
const noPolls = { stockEveryMs: 0, ordersEveryMs: 0 } as const;

const placed = (orderId: string): ChannelOrder => ({
  eventId: `web:${orderId}:placed`,
  channelId: "web",
  orderId,
  at: 100,
  status: "placed",
  lines: [{ listingId: "MUG", quantity: 1 }],
});

const delivery = (deliveryId: string, orders: ChannelOrder[]): WebhookDelivery => ({
  platform: "shopify",
  topic: "orders/create",
  deliveryId,
  events: [],
  orders,
  levels: [],
});

/** A store that cannot renew a lease (its database is briefly out of reach, say). */
function unrenewable(inner: SyncStore): SyncStore {
  return {
    ...inner,
    renew: async () => {
      throw new OmnistockError("STORAGE", "the database is out of reach");
    },
  };
}

/** A store that counts its leases, to see whether dispatchers still run. */
function countingStore(): { store: SyncStore; leases: () => number } {
  const inner = createMemoryStore();
  let leases = 0;
  const store: SyncStore = Object.create(inner) as SyncStore;
  store.lease = (request) => {
    leases++;
    return inner.lease(request);
  };
  return { store, leases: () => leases };
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("start and stop", () => {
  it("leaves a failed start stopped, with the started tenants' dispatchers and polls halted, and a second start works", async () => {
    const { store, leases } = countingStore();
    const first = fakeSource(() => ({ events: fullSnapshot(), cursor: "1" }));
    let failures = 1;
    const second = fakeSource(() => {
      if (failures-- > 0) throw new OmnistockError("SERVER", "503", { retryable: true });
      return { events: fullSnapshot(), cursor: "1" };
    });
    const web = fakeChannel("web");
    const engine = createSyncEngine({
      store,
      tenants: [
        { id: "one", catalog, stockSource: first.source, channels: [web.publisher] },
        { id: "two", catalog, stockSource: second.source },
      ],
      dispatch: quick,
      polling: { stockEveryMs: 5, ordersEveryMs: 0 },
    });
    await expect(engine.start()).rejects.toMatchObject({ code: "SERVER" });
    const leased = leases();
    const polled = first.calls.length;
    await pause(40);
    expect(leases()).toBe(leased);
    expect(first.calls.length).toBe(polled);

    await engine.start();
    expect(second.calls.filter((c) => c.what === "snapshot")).toHaveLength(2);
    expect(await store.cursor("two", "stock")).toBe("1");
    await engine.idle();
    expect(web.shows.get("MUG")).toBe(20);
    await engine.stop();
  });

  it("shares one start between concurrent calls: one snapshot, and each resolves once it is done", async () => {
    const { source, calls } = fakeSource(async () => {
      await pause(5);
      return { events: fullSnapshot(), cursor: "1" };
    });
    const store = createMemoryStore();
    const engine = createSyncEngine({
      store,
      tenants: [{ id: "acme", catalog, stockSource: source }],
      polling: noPolls,
    });
    const first = engine.start();
    await engine.start();
    expect(await store.cursor("acme", "stock")).toBe("1");
    await first;
    expect(calls.filter((c) => c.what === "snapshot")).toHaveLength(1);
    await engine.stop();
  });

  it("cuts a start short when stopped meanwhile: the read is aborted, the engine ends stopped and starts again", async () => {
    let hold = true;
    const { source, calls } = fakeSource(
      (call) =>
        new Promise((resolve, reject) => {
          if (!hold) {
            resolve({ events: fullSnapshot(), cursor: "1" });
            return;
          }
          call?.signal?.addEventListener("abort", () => reject(call.signal?.reason), {
            once: true,
          });
        }),
    );
    const { store, leases } = countingStore();
    const engine = createSyncEngine({
      store,
      tenants: [
        { id: "acme", catalog, stockSource: source, channels: [fakeChannel("web").publisher] },
      ],
      dispatch: quick,
      polling: noPolls,
    });
    const starting = engine.start();
    await vi.waitFor(() => expect(calls).toHaveLength(1));
    await engine.stop();
    const error = await starting.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isOmnistockError(error)).toBe(true);
    expect(calls[0]?.call?.signal?.aborted).toBe(true);
    const leased = leases();
    await pause(30);
    expect(leases()).toBe(leased);

    hold = false;
    await engine.start();
    expect(await store.cursor("acme", "stock")).toBe("1");
    await engine.stop();
  });

  it("runs a start called while a stop is under way once the stop is done, and the engine ends running", async () => {
    const web = fakeChannel("web");
    const store = createMemoryStore();
    const engine = createSyncEngine({
      store,
      tenants: [{ id: "acme", catalog, channels: [web.publisher] }],
      dispatch: quick,
      polling: noPolls,
    });
    await engine.start();
    const stopping = engine.stop();
    const restarting = engine.start();
    await Promise.all([stopping, restarting]);
    await engine.applyEvents("acme", fullSnapshot(3));
    await engine.idle({ timeoutMs: 2_000 });
    expect(web.shows.get("MUG")).toBe(6);
    await engine.stop();
  });
});

/** A sales sink in memory that records each call with its options. */
function recordingSink(record?: (sale: SaleToRecord, call?: RoleCallOptions) => Promise<void>) {
  const calls: { what: string; call: RoleCallOptions | undefined }[] = [];
  const recorded = new Set<string>();
  const sink: SalesOrderSink = {
    platform: "lightspeed",
    async recordSale(sale, call) {
      calls.push({ what: "recordSale", call });
      await record?.(sale, call);
      const reference = `${sale.channelId}:${sale.orderId}`;
      const created = !recorded.has(reference);
      recorded.add(reference);
      return { saleId: reference, created };
    },
    async voidSale(_order, call) {
      calls.push({ what: "voidSale", call });
    },
    async recordReturn(ret, call) {
      calls.push({ what: "recordReturn", call });
      return { saleId: ret.returnId, created: true };
    },
  };
  return { sink, calls, recorded };
}

describe("signals into role calls", () => {
  it("passes an abort signal into every role call of dispatch and polls, and stop aborts them", async () => {
    const { source, calls: sourceCalls } = fakeSource(() => ({
      events: fullSnapshot(),
      cursor: "1",
    }));
    const web = fakeChannel("web");
    const sales = recordingSink();
    const orderCalls: (RoleCallOptions | undefined)[] = [];
    const orders: OrderSource = {
      platform: "shopify",
      channelId: "web",
      async ordersSince(cursor, call) {
        orderCalls.push(call);
        return { orders: [], cursor: cursor ?? "0" };
      },
    };
    const engine = createSyncEngine({
      tenants: [
        {
          id: "acme",
          catalog,
          stockSource: source,
          channels: [web.publisher],
          salesSink: sales.sink,
          orderSources: [orders],
        },
      ],
      dispatch: quick,
      polling: noPolls,
    });
    await engine.start();
    await engine.ingest("acme", "webhook:web", delivery("o1", [placed("1001")]));
    await engine.ingest(
      "acme",
      "webhook:web",
      delivery("o2", [{ ...placed("1001"), eventId: "web:1001:cancelled", status: "cancelled" }]),
    );
    await engine.idle();
    await engine.pollNow();
    const every = [
      ...sourceCalls.map((c) => c.call),
      ...web.calls.map((c) => c.call),
      ...sales.calls.map((c) => c.call),
      ...orderCalls,
    ];
    expect(sourceCalls.map((c) => c.what)).toEqual(["snapshot", "changesSince"]);
    expect(sales.calls.map((c) => c.what)).toEqual(["recordSale", "voidSale"]);
    expect(web.calls.length).toBeGreaterThan(0);
    expect(orderCalls).toHaveLength(1);
    for (const call of every) expect(call?.signal).toBeInstanceOf(AbortSignal);
    const polls = [sourceCalls.at(-1)?.call?.signal, orderCalls.at(-1)?.signal];
    expect(polls.map((s) => s?.aborted)).toEqual([false, false]);
    await engine.stop();
    expect(polls.map((s) => s?.aborted)).toEqual([true, true]);
  });

  it("aborts a sale's call still in flight before its lease lapses when the lease cannot be renewed, so no second call starts while it may still post", async () => {
    const log: string[] = [];
    let calls = 0;
    const sales = recordingSink(async (_sale, call) => {
      const n = ++calls;
      log.push(`start ${n}`);
      if (n > 1) return;
      // A client sitting on a long wait: only the signal ends it.
      await new Promise<void>((_resolve, reject) => {
        call?.signal?.addEventListener(
          "abort",
          () => {
            log.push(`aborted ${n}`);
            reject(call.signal?.reason);
          },
          { once: true },
        );
      });
    });
    const store = unrenewable(createMemoryStore());
    const engine = createSyncEngine({
      store,
      tenants: [{ id: "acme", catalog, salesSink: sales.sink }],
      dispatch: { ...quick, leaseMs: 300 },
      polling: noPolls,
    });
    await engine.applyEvents("acme", fullSnapshot());
    await engine.start();
    await engine.ingest("acme", "webhook:web", delivery("o1", [placed("1001")]));
    await vi.waitFor(() => expect(log).toContain("start 2"), { timeout: 3_000 });
    await engine.idle();
    expect(log).toEqual(["start 1", "aborted 1", "start 2"]);
    expect(sales.recorded).toEqual(new Set(["web:1001"]));
    await engine.stop();
  });
});

describe("a lease that lapses while a client waits", () => {
  it("posts a sale once when the platform asks for a wait longer than the lease (virtual time, two workers)", async () => {
    const time = createVirtualTime();
    /** The point of sale: its sales by reference; every POST that created one. */
    const pos = { sales: new Map<string, string>(), posts: 0, requests: 0 };
    const fetch: typeof globalThis.fetch = async (input, init) => {
      pos.requests++;
      if (pos.requests === 1)
        return Response.json(
          { error: "rate limited" },
          { status: 429, headers: { "retry-after": "300" } },
        );
      const request = input instanceof Request ? input : new Request(input, init);
      const { reference } = (await request.json()) as { reference: string };
      pos.posts++;
      const id = `sale-${pos.posts}`;
      pos.sales.set(reference, id);
      return Response.json({ id });
    };
    const http = createHttpClient({
      platform: "lightspeed",
      baseUrl: "https://pos.example",
      fetch,
      clock: time.clock,
      sleep: time.sleep,
      random: () => 0,
      retry: { maxRetryAfterMs: 301_000 },
    });
    // Checks, then posts: idempotent as long as no two workers post at once.
    const sink: SalesOrderSink = {
      platform: "lightspeed",
      async recordSale(sale, call) {
        const reference = `${sale.channelId}:${sale.orderId}`;
        const known = pos.sales.get(reference);
        if (known !== undefined) return { saleId: known, created: false };
        const { body } = await http.request({
          method: "POST",
          path: "/sales",
          json: { reference },
          replay: "unsafe",
          ...(call?.signal === undefined ? {} : { signal: call.signal }),
        });
        return { saleId: (body as { id: string }).id, created: true };
      },
      voidSale: async () => undefined,
      recordReturn: async (ret) => ({ saleId: ret.returnId, created: true }),
    };
    const store = createMemoryStore();
    const worker = (workerId: string) =>
      createSyncEngine({
        store,
        tenants: [{ id: "acme", catalog, salesSink: sink }],
        clock: time.clock,
        workerId,
        dispatch: { ...quick, leaseMs: 60_000 },
        polling: noPolls,
      });
    const a = worker("a");
    const b = worker("b");
    await a.applyEvents("acme", fullSnapshot());
    await a.start();
    await a.ingest("acme", "webhook:web", delivery("o1", [placed("1001")]));
    await vi.waitFor(() => expect(pos.requests).toBe(1));
    // The lease lapses; a second worker comes.
    await time.advance(61_000);
    await b.start();
    await pause(30);
    // Past the platform's wait.
    await time.advance(300_000);
    await vi.waitFor(() => expect(pos.posts).toBeGreaterThanOrEqual(1), { timeout: 3_000 });
    await Promise.all([a.idle(), b.idle()]);
    await time.advance(1_000);
    await pause(30);
    expect(pos.posts).toBe(1);
    expect([...pos.sales.keys()]).toEqual(["web:1001"]);
    await Promise.all([a.stop(), b.stop()]);
  });
});

describe("a call cut short by its lease", () => {
  it("goes back to the outbox without counting a try, so a channel is never parked for a lease its store could not renew", async () => {
    const web = fakeChannel("web");
    const publish = web.publisher.publish.bind(web.publisher);
    let calls = 0;
    const slow = {
      ...web.publisher,
      async publish(updates: Parameters<typeof publish>[0], call?: RoleCallOptions) {
        // The first calls wait for the rate limit's budget past the lease.
        if (++calls <= 4)
          return new Promise<never>((_resolve, reject) => {
            call?.signal?.addEventListener("abort", () => reject(call.signal?.reason), {
              once: true,
            });
          });
        return publish(updates, call);
      },
    };
    const parked: string[] = [];
    const engine = createSyncEngine({
      store: unrenewable(createMemoryStore()),
      tenants: [{ id: "acme", catalog, channels: [slow] }],
      dispatch: { ...quick, leaseMs: 100, maxAttempts: 2 },
      polling: noPolls,
      onEvent: (event) => {
        if (event.type === "parked") parked.push(event.key);
      },
    });
    await engine.applyEvents("acme", fullSnapshot());
    await engine.start();
    await engine.idle({ timeoutMs: 5_000 });
    await engine.stop();
    expect(calls).toBeGreaterThan(4);
    expect(parked).toEqual([]);
    expect(web.shows.get("MUG")).toBe(20);
  });
});

describe("a call slower than its lease", () => {
  it("keeps its lease, renewed while it runs: the call is neither cut short nor made twice", async () => {
    const web = fakeChannel("web");
    const publish = web.publisher.publish.bind(web.publisher);
    let calls = 0;
    let aborted = false;
    const slow = {
      ...web.publisher,
      async publish(updates: Parameters<typeof publish>[0], call?: RoleCallOptions) {
        calls++;
        call?.signal?.addEventListener("abort", () => {
          aborted = true;
        });
        // Three leases long: the rate limit's budget, say.
        await new Promise((resolve) => setTimeout(resolve, 300));
        return publish(updates, call);
      },
    };
    const engine = createSyncEngine({
      tenants: [{ id: "acme", catalog, channels: [slow] }],
      dispatch: { ...quick, leaseMs: 100, concurrency: 1 },
      polling: noPolls,
      workerId: "w1",
    });
    await engine.applyEvents("acme", fullSnapshot());
    await engine.start();
    await engine.idle({ timeoutMs: 5_000 });
    await engine.stop();
    expect({ calls, aborted }).toEqual({ calls: 1, aborted: false });
    expect(web.shows.get("MUG")).toBe(20);
  });
});

describe("a poll that stop() cuts short", () => {
  it("raises no error event: it did not fail, and the next start polls again", async () => {
    const { source, onChanges } = fakeSource(() => ({ events: fullSnapshot(), cursor: "1" }));
    let polling!: () => void;
    const polled = new Promise<void>((resolve) => {
      polling = resolve;
    });
    const slow: typeof source = {
      ...source,
      changesSince: (_cursor, call) =>
        new Promise((_resolve, reject) => {
          polling();
          call?.signal?.addEventListener("abort", () => reject(call.signal?.reason), {
            once: true,
          });
        }),
    };
    onChanges((cursor) => ({ events: [], cursor: cursor ?? "1" }));
    const errors: string[] = [];
    const engine = createSyncEngine({
      tenants: [{ id: "acme", catalog, stockSource: slow }],
      dispatch: quick,
      polling: { stockEveryMs: 5, ordersEveryMs: 0 },
      onEvent: (event) => {
        if (event.type === "error") errors.push(event.source);
      },
    });
    await engine.start();
    await polled;
    await engine.stop();
    expect(errors).toEqual([]);
  });
});
