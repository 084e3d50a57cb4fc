import { emptyPosition, type Position, positionKey } from "@omnistock/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  type ApplyChanges,
  type ApplyUnit,
  type ApplyView,
  type OrderRecord,
  type OutboxEntry,
  type OutboxWrite,
  orderKey,
  type SyncStore,
} from "../store.js";
import { FixtureHolder, type StoreFactory } from "./fixture.js";

const T = "tenant-a";
const OTHER = "tenant-b";
const MUG = positionKey("MUG", "main");

function position(sku: string, onHand: number): Position {
  return { ...emptyPosition(sku, "main"), onHand };
}

function write(key: string, overrides: Partial<OutboxWrite> = {}): OutboxWrite {
  return {
    queue: "shopify",
    key,
    payload: { key, quantity: 1 },
    urgent: false,
    dueAt: 0,
    seenAt: 0,
    ...overrides,
  };
}

function unit<R = undefined>(
  changes: (view: ApplyView) => ApplyChanges<R>,
  names: Partial<Omit<ApplyUnit<R>, "compute">> = {},
): ApplyUnit<R> {
  return {
    eventIds: [],
    positionKeys: [],
    listingKeys: [],
    orderKeys: [],
    ...names,
    compute: changes,
  };
}

async function put(store: SyncStore, tenantId: string, ...writes: OutboxWrite[]): Promise<void> {
  await store.apply(
    tenantId,
    unit(() => ({ outbox: writes, result: undefined })),
  );
}

async function leaseAll(
  store: SyncStore,
  now: number,
  overrides: { tenantId?: string; queue?: string; owner?: string; leaseMs?: number } = {},
): Promise<readonly OutboxEntry[]> {
  return store.lease({
    tenantId: T,
    queue: "shopify",
    owner: "worker-1",
    now,
    leaseMs: 1_000,
    limit: 100,
    ...overrides,
  });
}

function keys(entries: readonly OutboxEntry[]): string[] {
  return entries.map((e) => e.key);
}

/** The example-based half of the store contract. */
export function describeExamples(name: string, factory: StoreFactory): void {
  describe(`${name} store: examples`, () => {
    const holder = new FixtureHolder(factory);
    let store: SyncStore;

    beforeEach(async () => {
      store = await holder.open();
    });
    afterEach(async () => {
      await holder.close();
    });

    async function reopen(): Promise<SyncStore> {
      store = await holder.reopen();
      return store;
    }

    describe("apply", () => {
      it("computes once from the named rows and writes every kind of change with the event ids", async () => {
        const order: OrderRecord = {
          channelId: "shopify-eu",
          orderId: "1001",
          lines: [{ sku: "MUG", locationId: "main", quantity: 2 }],
          status: "placed",
        };
        await store.apply(
          T,
          unit(() => ({
            positions: [position("MUG", 5), position("CUP", 7)],
            listings: [{ key: "shopify/MUG", state: { published: 4, planned: 5 } }],
            orders: [order],
            result: undefined,
          })),
        );
        const views: ApplyView[] = [];
        const outcome = await store.apply(
          T,
          unit(
            (view) => {
              views.push(view);
              return {
                positions: [position("MUG", 4)],
                listings: [{ key: "shopify/MUG", state: { published: 4, planned: 3 } }],
                orders: [{ ...order, status: "fulfilled" }],
                outbox: [write("MUG")],
                cursor: { name: "lightspeed", value: "v42" },
                result: { seen: view.fresh.length },
              };
            },
            {
              deliveryId: "d-1",
              eventIds: ["sale-1", "sale-2"],
              positionKeys: [MUG, positionKey("NONE", "main")],
              listingKeys: ["shopify/MUG", "shopify/NONE"],
              orderKeys: [orderKey("shopify-eu", "1001"), orderKey("shopify-eu", "404")],
            },
          ),
        );
        expect(outcome).toEqual({ applied: true, result: { seen: 2 } });
        expect(views).toHaveLength(1);
        const [view] = views;
        expect(view?.fresh).toEqual(["sale-1", "sale-2"]);
        expect([...(view?.positions.keys() ?? [])]).toEqual([MUG]);
        expect(view?.positions.get(MUG)).toEqual(position("MUG", 5));
        expect([...(view?.listings ?? [])]).toEqual([
          ["shopify/MUG", { published: 4, planned: 5 }],
        ]);
        expect([...(view?.orders ?? [])]).toEqual([[orderKey("shopify-eu", "1001"), order]]);

        expect(sortPositions(await store.positions(T))).toEqual([
          position("CUP", 7),
          position("MUG", 4),
        ]);
        expect((await store.listings(T)).get("shopify/MUG")).toEqual({ published: 4, planned: 3 });
        expect(await store.cursor(T, "lightspeed")).toBe("v42");
        expect(await store.outboxSize(T)).toEqual(new Map([["shopify", 1]]));
        const [entry] = await leaseAll(store, 0);
        expect(entry).toMatchObject({
          tenantId: T,
          queue: "shopify",
          key: "MUG",
          payload: { key: "MUG", quantity: 1 },
          urgent: false,
          generation: 1,
          attempts: 0,
          nextAttemptAt: 0,
          seenAt: 0,
        });
        expect(typeof entry?.id).toBe("string");
        const order2 = await store.apply(
          T,
          unit((v) => ({ result: v.orders.get(orderKey("shopify-eu", "1001"))?.status }), {
            orderKeys: [orderKey("shopify-eu", "1001")],
          }),
        );
        expect(order2).toEqual({ applied: true, result: "fulfilled" });
      });

      it("drops a unit whose delivery id was applied, without computing it", async () => {
        let calls = 0;
        const counted = () =>
          unit(
            () => {
              calls += 1;
              return { positions: [position("MUG", calls)], result: calls };
            },
            { deliveryId: "webhook-1", eventIds: [`e-${calls}`] },
          );
        expect(await store.apply(T, counted())).toEqual({ applied: true, result: 1 });
        expect(await store.apply(T, counted())).toEqual({ applied: false });
        expect(calls).toBe(1);
        expect(await store.positions(T)).toEqual([position("MUG", 1)]);
      });

      it("shows only the event ids not applied before, each once, in the unit's order", async () => {
        const fresh: string[][] = [];
        const record = (eventIds: string[]) =>
          unit(
            (view) => {
              fresh.push([...view.fresh]);
              return { result: undefined };
            },
            { eventIds },
          );
        await store.apply(T, record(["a", "b"]));
        await store.apply(T, record(["c", "b", "d", "a", "c"]));
        await store.apply(T, record(["a", "b", "c", "d"]));
        expect(fresh).toEqual([["a", "b"], ["c", "d"], []]);
      });

      it("writes nothing and rethrows when compute throws, and the unit can then be applied", async () => {
        await store.apply(
          T,
          unit(() => ({
            positions: [position("MUG", 5)],
            listings: [{ key: "shopify/MUG", state: { published: 5, planned: 5 } }],
            outbox: [write("MUG")],
            cursor: { name: "poll", value: "1" },
            result: undefined,
          })),
        );
        const failure = new Error("compute failed");
        const failing = unit(
          () => {
            throw failure;
          },
          { deliveryId: "d-9", eventIds: ["e-9"], positionKeys: [MUG] },
        );
        await expect(store.apply(T, failing)).rejects.toBe(failure);
        // A throw after building changes leaves nothing either.
        const late = unit(
          (view): ApplyChanges<never> => {
            const changes = {
              positions: [position("MUG", 0), position("CUP", 1)],
              listings: [{ key: "shopify/MUG", state: { published: 0, planned: 0 } }],
              outbox: [write("MUG", { urgent: true }), write("CUP")],
              cursor: { name: "poll", value: "2" },
            };
            if (view.fresh.length > 0) throw failure;
            return { ...changes, result: undefined as never };
          },
          { deliveryId: "d-10", eventIds: ["e-10"], positionKeys: [MUG] },
        );
        await expect(store.apply(T, late)).rejects.toBe(failure);

        expect(await store.positions(T)).toEqual([position("MUG", 5)]);
        expect((await store.listings(T)).get("shopify/MUG")).toEqual({ published: 5, planned: 5 });
        expect(await store.cursor(T, "poll")).toBe("1");
        expect(await store.outboxSize(T)).toEqual(new Map([["shopify", 1]]));
        expect(await leaseAll(store, 0)).toMatchObject([
          { key: "MUG", generation: 1, urgent: false },
        ]);

        const retried = await store.apply(
          T,
          unit((view) => ({ result: view.fresh }), { deliveryId: "d-9", eventIds: ["e-9"] }),
        );
        expect(retried).toEqual({ applied: true, result: ["e-9"] });
      });

      it("keeps tenants apart: rows, cursors, outbox and de-duplication", async () => {
        const stock = (onHand: number) =>
          unit(
            (view) => ({
              positions: [position("MUG", onHand)],
              listings: [{ key: "shopify/MUG", state: { published: undefined, planned: onHand } }],
              outbox: [write("MUG", { payload: onHand })],
              cursor: { name: "poll", value: String(onHand) },
              result: { fresh: view.fresh, seen: [...view.positions.keys()] },
            }),
            { deliveryId: "same-delivery", eventIds: ["same-event"], positionKeys: [MUG] },
          );
        await store.apply(T, stock(1));
        const other = await store.apply(OTHER, stock(2));
        expect(other).toEqual({ applied: true, result: { fresh: ["same-event"], seen: [] } });
        expect(await store.positions(T)).toEqual([position("MUG", 1)]);
        expect(await store.positions(OTHER)).toEqual([position("MUG", 2)]);
        expect((await store.listings(OTHER)).get("shopify/MUG")?.planned).toBe(2);
        expect(await store.cursor(T, "poll")).toBe("1");
        expect(await store.cursor(OTHER, "poll")).toBe("2");
        expect(await store.cursor("tenant-c", "poll")).toBeUndefined();
        const [mine] = await leaseAll(store, 0);
        expect(mine).toMatchObject({ tenantId: T, payload: 1 });
        const [theirs] = await leaseAll(store, 0, { tenantId: OTHER });
        expect(theirs).toMatchObject({ tenantId: OTHER, payload: 2 });
        expect(await store.positions("tenant-c")).toEqual([]);
        expect(await store.listings("tenant-c")).toEqual(new Map());
        expect(await store.outboxSize("tenant-c")).toEqual(new Map());
        expect(await store.parked("tenant-c")).toEqual([]);
      });

      it("hands out values that do not alias what is stored", async () => {
        const original = position("MUG", 5);
        const written: Position = { ...original, reservations: [] };
        const payload = { lines: [{ sku: "MUG", quantity: 5 }] };
        await store.apply(
          T,
          unit(() => ({
            positions: [written],
            outbox: [write("MUG", { payload })],
            result: undefined,
          })),
        );
        payload.lines[0] = { sku: "MUG", quantity: 99 };
        (written.reservations as unknown[]).push({ reservationId: "r" });

        const [read] = await store.positions(T);
        tryToChange(read, "onHand", 99);
        tryToChange(read?.reservations, "0", { reservationId: "x" });
        const [entry] = await leaseAll(store, 0, { leaseMs: 0 });
        tryToChange(entry, "generation", 99);
        tryToChange((entry?.payload as typeof payload | undefined)?.lines[0], "quantity", 42);
        await store.apply(
          T,
          unit(
            (view) => {
              tryToChange(view.positions.get(MUG), "onHand", 77);
              return { result: undefined };
            },
            { positionKeys: [MUG] },
          ),
        );

        expect(await store.positions(T)).toEqual([original]);
        expect(await leaseAll(store, 0)).toMatchObject([
          { generation: 1, payload: { lines: [{ sku: "MUG", quantity: 5 }] } },
        ]);
      });
    });

    describe("lease", () => {
      it("hands out due entries of the queue, urgent first, then the earliest seen, then the first written", async () => {
        await put(
          store,
          T,
          write("late", { seenAt: 30 }),
          write("early", { seenAt: 10 }),
          write("urgent-late", { seenAt: 40, urgent: true }),
          write("urgent-early", { seenAt: 20, urgent: true }),
          write("tie-1", { seenAt: 50 }),
          write("tie-2", { seenAt: 50 }),
          write("not-due", { seenAt: 0, dueAt: 101 }),
          write("amazon", { queue: "amazon", seenAt: 0 }),
        );
        const first = await store.lease({
          tenantId: T,
          queue: "shopify",
          owner: "w1",
          now: 100,
          leaseMs: 1_000,
          limit: 3,
        });
        expect(keys(first)).toEqual(["urgent-early", "urgent-late", "early"]);
        expect(keys(await leaseAll(store, 100))).toEqual(["late", "tie-1", "tie-2"]);
        expect(keys(await leaseAll(store, 100))).toEqual([]);
        expect(keys(await leaseAll(store, 101))).toEqual(["not-due"]);
        expect(keys(await leaseAll(store, 101, { queue: "amazon" }))).toEqual(["amazon"]);
        expect(await store.outboxSize(T)).toEqual(
          new Map([
            ["amazon", 1],
            ["shopify", 7],
          ]),
        );
      });

      it("hands a leased entry out again only after its lease lapses, to any worker", async () => {
        await put(store, T, write("MUG"));
        const [held] = await leaseAll(store, 1_000, { owner: "w1", leaseMs: 500 });
        expect(held?.key).toBe("MUG");
        expect(await leaseAll(store, 1_499, { owner: "w2" })).toEqual([]);
        const [again] = await leaseAll(store, 1_500, { owner: "w2", leaseMs: 500 });
        expect(again).toMatchObject({ id: held?.id, key: "MUG", generation: 1, attempts: 0 });
        expect(await leaseAll(store, 1_999, { owner: "w1" })).toEqual([]);
      });

      it("renews only the leases the owner still holds, and a renewed lease keeps others out", async () => {
        await put(store, T, write("MUG"), write("TEA"));
        const held = await leaseAll(store, 1_000, { owner: "w1", leaseMs: 500 });
        const ids = held.map((e) => e.id);
        expect(
          [
            ...(await store.renew({ tenantId: T, owner: "w1", ids, now: 1_400, leaseMs: 500 })),
          ].sort(),
        ).toEqual([...ids].sort());
        expect(await leaseAll(store, 1_800, { owner: "w2" })).toEqual([]);
        expect(
          await store.renew({ tenantId: T, owner: "w2", ids, now: 1_800, leaseMs: 500 }),
        ).toEqual([]);
        expect(
          await store.renew({ tenantId: OTHER, owner: "w1", ids, now: 1_800, leaseMs: 500 }),
        ).toEqual([]);
        // Lapsed: it is not given back, and another worker may take it.
        expect(
          await store.renew({ tenantId: T, owner: "w1", ids, now: 1_900, leaseMs: 500 }),
        ).toEqual([]);
        expect(keys(await leaseAll(store, 1_900, { owner: "w2" })).sort()).toEqual(["MUG", "TEA"]);
        expect(
          await store.renew({ tenantId: T, owner: "w1", ids, now: 1_950, leaseMs: 500 }),
        ).toEqual([]);
      });

      it("hands out nothing for a limit of zero or an unknown tenant or queue", async () => {
        await put(store, T, write("MUG"));
        expect(
          await store.lease({
            tenantId: T,
            queue: "shopify",
            owner: "w",
            now: 0,
            leaseMs: 1,
            limit: 0,
          }),
        ).toEqual([]);
        expect(await leaseAll(store, 0, { tenantId: OTHER })).toEqual([]);
        expect(await leaseAll(store, 0, { queue: "bigcommerce" })).toEqual([]);
        expect(keys(await leaseAll(store, 0))).toEqual(["MUG"]);
      });
    });

    describe("coalescing", () => {
      it("replaces payload, urgency and due time, bumps the generation, resets attempts and keeps the earlier seen time", async () => {
        await put(store, T, write("MUG", { payload: 1, seenAt: 10, dueAt: 0 }));
        const [first] = await leaseAll(store, 0, { leaseMs: 0 });
        await store.nack({ entry: first as OutboxEntry, nextAttemptAt: 5 });
        await put(store, T, write("MUG", { payload: 2, seenAt: 20, dueAt: 50, urgent: true }));
        expect(await leaseAll(store, 49)).toEqual([]);
        const [second] = await leaseAll(store, 50, { leaseMs: 0 });
        expect(second).toMatchObject({
          id: first?.id,
          payload: 2,
          urgent: true,
          generation: 2,
          attempts: 0,
          nextAttemptAt: 50,
          seenAt: 10,
        });
        await put(store, T, write("MUG", { payload: 3, seenAt: 5, dueAt: 50 }));
        const [third] = await leaseAll(store, 50, { leaseMs: 0 });
        expect(third).toMatchObject({ payload: 3, urgent: false, generation: 3, seenAt: 5 });
        expect(await store.outboxSize(T)).toEqual(new Map([["shopify", 1]]));
      });

      it("coalesces two writes of one unit and keeps queues apart", async () => {
        await put(
          store,
          T,
          write("MUG", { payload: 1 }),
          write("MUG", { payload: 2 }),
          write("MUG", { queue: "amazon", payload: 3 }),
        );
        expect(await leaseAll(store, 0)).toMatchObject([{ payload: 2, generation: 2 }]);
        expect(await leaseAll(store, 0, { queue: "amazon" })).toMatchObject([
          { payload: 3, generation: 1 },
        ]);
      });

      it("keeps the lease of an entry rewritten while leased, and the old generation's ack does not delete it", async () => {
        await put(store, T, write("MUG", { payload: 1 }));
        const [old] = await leaseAll(store, 0, { leaseMs: 1_000 });
        await put(store, T, write("MUG", { payload: 2 }));
        expect(await leaseAll(store, 10, { owner: "w2" })).toEqual([]);
        await store.ack([{ entry: old as OutboxEntry }]);
        expect(await store.outboxSize(T)).toEqual(new Map([["shopify", 1]]));
        const [fresh] = await leaseAll(store, 10, { owner: "w2" });
        expect(fresh).toMatchObject({ id: old?.id, payload: 2, generation: 2 });
        await store.ack([{ entry: fresh as OutboxEntry }]);
        expect(await store.outboxSize(T)).toEqual(new Map());
      });
    });

    describe("ack", () => {
      it("removes the entries acked and sets the published values, keeping what is planned", async () => {
        await store.apply(
          T,
          unit(() => ({
            listings: [{ key: "shopify/MUG", state: { published: 1, planned: 4 } }],
            outbox: [write("MUG"), write("CUP")],
            result: undefined,
          })),
        );
        const [mug, cup] = await leaseAll(store, 0);
        await store.ack([
          { entry: mug as OutboxEntry, published: [{ key: "shopify/MUG", quantity: 4 }] },
          { entry: cup as OutboxEntry, published: [{ key: "shopify/CUP", quantity: 2 }] },
        ]);
        expect(await store.outboxSize(T)).toEqual(new Map());
        expect(await store.listings(T)).toEqual(
          new Map([
            ["shopify/CUP", { published: 2, planned: undefined }],
            ["shopify/MUG", { published: 4, planned: 4 }],
          ]),
        );
        expect(await leaseAll(store, 10_000)).toEqual([]);
      });

      it("keeps the rest of a listing's state when it sets the published value", async () => {
        const inFlight = { sent: [5, 4], ordered: 1, short: { shown: 2, planned: 4, units: 2 } };
        await store.apply(
          T,
          unit(() => ({
            listings: [{ key: "shopify/MUG", state: { published: 6, planned: 4, inFlight } }],
            outbox: [write("MUG")],
            result: undefined,
          })),
        );
        const [entry] = await leaseAll(store, 0);
        await store.ack([
          { entry: entry as OutboxEntry, published: [{ key: "shopify/MUG", quantity: 5 }] },
        ]);
        expect((await store.listings(T)).get("shopify/MUG")).toEqual({
          published: 5,
          planned: 4,
          inFlight,
        });
      });

      it("sets the published values of a stale ack too, since the channel shows them", async () => {
        await put(store, T, write("MUG", { payload: 4 }));
        const [old] = await leaseAll(store, 0);
        await store.apply(
          T,
          unit(() => ({
            listings: [{ key: "shopify/MUG", state: { published: undefined, planned: 3 } }],
            outbox: [write("MUG", { payload: 3 })],
            result: undefined,
          })),
        );
        await store.ack([
          { entry: old as OutboxEntry, published: [{ key: "shopify/MUG", quantity: 4 }] },
        ]);
        expect((await store.listings(T)).get("shopify/MUG")).toEqual({ published: 4, planned: 3 });
        expect(await leaseAll(store, 0)).toMatchObject([{ payload: 3, generation: 2 }]);
      });

      it("ignores an entry named under another tenant", async () => {
        await put(store, T, write("MUG"));
        const [entry] = await leaseAll(store, 0, { leaseMs: 0 });
        await store.ack([{ entry: { ...(entry as OutboxEntry), tenantId: OTHER } }]);
        await store.park({
          entry: { ...(entry as OutboxEntry), tenantId: OTHER },
          reason: "x",
          at: 0,
        });
        expect(await store.outboxSize(T)).toEqual(new Map([["shopify", 1]]));
        expect(await store.parked(OTHER)).toEqual([]);
      });
    });

    describe("nack", () => {
      it("releases the lease, counts the attempt, delays and replaces the payload", async () => {
        await put(store, T, write("MUG", { payload: { try: 0 } }));
        const [first] = await leaseAll(store, 0);
        await store.nack({
          entry: first as OutboxEntry,
          nextAttemptAt: 100,
          payload: { try: 1 },
          error: "HTTP 503",
        });
        expect(await leaseAll(store, 99)).toEqual([]);
        const [second] = await leaseAll(store, 100);
        expect(second).toMatchObject({
          id: first?.id,
          payload: { try: 1 },
          attempts: 1,
          generation: 1,
          nextAttemptAt: 100,
        });
        await store.nack({ entry: second as OutboxEntry, nextAttemptAt: 100, countAttempt: false });
        const [third] = await leaseAll(store, 100);
        expect(third).toMatchObject({ payload: { try: 1 }, attempts: 1 });
        await store.nack({
          entry: third as OutboxEntry,
          nextAttemptAt: 200,
          published: [{ key: "shopify/MUG", quantity: 6 }],
        });
        expect((await store.listings(T)).get("shopify/MUG")).toEqual({
          published: 6,
          planned: undefined,
        });
        expect(await leaseAll(store, 200)).toMatchObject([{ attempts: 2 }]);
      });

      it("only releases the lease when the generation changed", async () => {
        await put(store, T, write("MUG", { payload: 1 }));
        const [old] = await leaseAll(store, 0);
        await put(store, T, write("MUG", { payload: 2 }));
        await store.nack({
          entry: old as OutboxEntry,
          nextAttemptAt: 1_000,
          payload: "stale",
          published: [{ key: "shopify/MUG", quantity: 1 }],
        });
        expect(await leaseAll(store, 0)).toMatchObject([
          { payload: 2, generation: 2, attempts: 0, nextAttemptAt: 0 },
        ]);
        expect((await store.listings(T)).get("shopify/MUG")?.published).toBe(1);
      });
    });

    describe("park and unpark", () => {
      it("parks an entry with its reason, oldest first, and leaves it out of leasing", async () => {
        await put(store, T, write("MUG", { seenAt: 3 }), write("CUP", { urgent: true, seenAt: 4 }));
        const [cup, mug] = await leaseAll(store, 0);
        await store.nack({ entry: mug as OutboxEntry, nextAttemptAt: 0 });
        const [mugAgain] = await leaseAll(store, 0);
        await store.park({ entry: mugAgain as OutboxEntry, reason: "HTTP 422", at: 20 });
        await store.park({ entry: cup as OutboxEntry, reason: "no such item", at: 10 });
        expect(await store.outboxSize(T)).toEqual(new Map());
        expect(await leaseAll(store, 10_000)).toEqual([]);
        const parked = await store.parked(T);
        expect(parked).toMatchObject([
          {
            tenantId: T,
            queue: "shopify",
            key: "CUP",
            urgent: true,
            attempts: 0,
            seenAt: 4,
            reason: "no such item",
            parkedAt: 10,
          },
          {
            tenantId: T,
            queue: "shopify",
            key: "MUG",
            urgent: false,
            attempts: 1,
            seenAt: 3,
            reason: "HTTP 422",
            parkedAt: 20,
          },
        ]);
        expect(parked[1]?.payload).toEqual({ key: "MUG", quantity: 1 });
        expect(await store.parked(OTHER)).toEqual([]);
      });

      it("ignores a park of a stale generation but releases its lease", async () => {
        await put(store, T, write("MUG", { payload: 1 }));
        const [old] = await leaseAll(store, 0);
        await put(store, T, write("MUG", { payload: 2 }));
        await store.park({ entry: old as OutboxEntry, reason: "gave up", at: 5 });
        expect(await store.parked(T)).toEqual([]);
        expect(await leaseAll(store, 0)).toMatchObject([{ payload: 2, generation: 2 }]);
      });

      it("puts parked updates back due now with no attempts, as new entries", async () => {
        await put(store, T, write("MUG", { payload: 1, seenAt: 7, urgent: true }), write("CUP"));
        const [mug, cup] = await leaseAll(store, 0);
        await store.nack({ entry: mug as OutboxEntry, nextAttemptAt: 0 });
        const [mugAgain] = await leaseAll(store, 0);
        await store.park({ entry: mugAgain as OutboxEntry, reason: "r", at: 1 });
        await store.park({ entry: cup as OutboxEntry, reason: "r", at: 2 });
        const ids = (await store.parked(T)).map((p) => p.id);
        expect(await store.unpark(OTHER, ids, 50)).toBe(0);
        expect(await store.unpark(T, [...ids, "no-such-id"], 50)).toBe(2);
        expect(await store.parked(T)).toEqual([]);
        expect(await store.unpark(T, ids, 60)).toBe(0);
        const back = await leaseAll(store, 50, { leaseMs: 0 });
        expect(back).toMatchObject([
          { key: "MUG", payload: 1, urgent: true, attempts: 0, nextAttemptAt: 50, seenAt: 7 },
          { key: "CUP", attempts: 0, nextAttemptAt: 50 },
        ]);
        await store.ack([{ entry: mugAgain as OutboxEntry }]);
        await store.nack({ entry: mugAgain as OutboxEntry, nextAttemptAt: 500 });
        expect(await store.outboxSize(T)).toEqual(new Map([["shopify", 2]]));
        expect(keys(await leaseAll(store, 50))).toEqual(["MUG", "CUP"]);
      });

      it("puts back only the update parked last of several for one queue and key", async () => {
        for (const payload of ["first", "second"]) {
          await put(store, T, write("MUG", { payload }));
          const [entry] = await leaseAll(store, 0);
          await store.park({ entry: entry as OutboxEntry, reason: payload, at: 1 });
        }
        const ids = (await store.parked(T)).map((p) => p.id);
        expect(ids).toHaveLength(2);
        expect(await store.unpark(T, [...ids].reverse(), 5)).toBe(1);
        expect(await store.parked(T)).toEqual([]);
        expect(await leaseAll(store, 5)).toMatchObject([{ payload: "second", generation: 1 }]);
      });

      it("drops a parked update when a newer entry for its queue and key is in the outbox", async () => {
        await put(store, T, write("MUG", { payload: "old" }));
        const [old] = await leaseAll(store, 0);
        await store.park({ entry: old as OutboxEntry, reason: "r", at: 1 });
        await put(store, T, write("MUG", { payload: "new" }));
        const [parked] = await store.parked(T);
        expect(await store.unpark(T, [parked?.id ?? ""], 5)).toBe(0);
        expect(await store.parked(T)).toEqual([]);
        expect(await leaseAll(store, 5)).toMatchObject([{ payload: "new", generation: 1 }]);
      });
    });

    describe("held orders", () => {
      const held = (orderId: string, heldAt: number, channelId = "shopify-eu"): OrderRecord => ({
        channelId,
        orderId,
        lines: [{ sku: "MUG", locationId: "main", quantity: 1 }],
        status: "placed",
        hold: { reason: "oversold", unfilled: [{ sku: "MUG", quantity: 1 }], heldAt },
      });
      const plain: OrderRecord = {
        channelId: "shopify-eu",
        orderId: "1000",
        lines: [{ sku: "MUG", locationId: "main", quantity: 1 }],
        status: "placed",
      };
      const orders = (...records: OrderRecord[]) =>
        store.apply(
          T,
          unit(() => ({ orders: records, result: undefined })),
        );

      it("lists the orders with a hold, oldest hold first then by order key, and no more once the hold is lifted", async () => {
        await orders(plain, held("1003", 20), held("1002", 10), held("A-1", 10, "amazon"));
        expect(await store.heldOrders(T)).toEqual([
          held("A-1", 10, "amazon"),
          held("1002", 10),
          held("1003", 20),
        ]);
        const { hold: _, ...lifted } = held("1002", 10);
        await orders({ ...lifted, status: "cancelled" });
        expect((await store.heldOrders(T)).map((o) => o.orderId)).toEqual(["A-1", "1003"]);
        const seen = await store.apply(
          T,
          unit((v) => ({ result: v.orders.get(orderKey("shopify-eu", "1003"))?.hold }), {
            orderKeys: [orderKey("shopify-eu", "1003")],
          }),
        );
        expect(seen).toEqual({ applied: true, result: held("1003", 20).hold });
      });

      it("keeps held orders apart by tenant and finds them after a restart", async () => {
        await orders(held("1001", 5));
        expect(await store.heldOrders(OTHER)).toEqual([]);
        expect(await store.heldOrders("tenant-c")).toEqual([]);
        await reopen();
        expect(await store.heldOrders(T)).toEqual([held("1001", 5)]);
      });
    });

    describe("restart", () => {
      it("finds everything committed after a crash, leases included", async () => {
        await store.apply(
          T,
          unit(
            () => ({
              positions: [position("MUG", 3)],
              listings: [{ key: "shopify/MUG", state: { published: 2, planned: 3 } }],
              orders: [
                {
                  channelId: "amazon",
                  orderId: "A-1",
                  lines: [{ sku: "MUG", locationId: "main", quantity: 1 }],
                  status: "placed",
                },
              ],
              outbox: [write("MUG", { payload: 3 }), write("CUP"), write("PARK")],
              cursor: { name: "poll", value: "v7" },
              result: undefined,
            }),
            { deliveryId: "d-1", eventIds: ["e-1"] },
          ),
        );
        const [mug, cup, toPark] = await leaseAll(store, 0, { leaseMs: 100 });
        await store.ack([{ entry: cup as OutboxEntry }]);
        await store.park({ entry: toPark as OutboxEntry, reason: "r", at: 3 });
        await reopen();

        expect(await store.positions(T)).toEqual([position("MUG", 3)]);
        expect(await store.listings(T)).toEqual(
          new Map([["shopify/MUG", { published: 2, planned: 3 }]]),
        );
        expect(await store.cursor(T, "poll")).toBe("v7");
        expect(await store.outboxSize(T)).toEqual(new Map([["shopify", 1]]));
        expect(await store.parked(T)).toMatchObject([{ key: "PARK", reason: "r", parkedAt: 3 }]);
        expect(await leaseAll(store, 99)).toEqual([]);
        expect(await leaseAll(store, 100)).toMatchObject([{ id: mug?.id, payload: 3 }]);
        const again = await store.apply(
          T,
          unit((v) => ({ result: v.fresh }), { deliveryId: "d-1", eventIds: ["e-1"] }),
        );
        expect(again).toEqual({ applied: false });
        const event = await store.apply(
          T,
          unit((v) => ({ result: [v.fresh, v.orders.get(orderKey("amazon", "A-1"))?.status] }), {
            eventIds: ["e-1", "e-2"],
            orderKeys: [orderKey("amazon", "A-1")],
          }),
        );
        expect(event).toEqual({ applied: true, result: [["e-2"], "placed"] });
      });
    });

    it("rejects calls after close", async () => {
      const closing = store;
      await holder.close();
      await expect(closing.positions(T)).rejects.toThrow();
      await expect(
        closing.apply(
          T,
          unit(() => ({ result: 1 })),
        ),
      ).rejects.toThrow();
      store = await holder.open();
      expect(await store.positions(T)).toEqual([]);
    });
  });
}

function sortPositions(positions: readonly Position[]): Position[] {
  return [...positions].sort((a, b) =>
    positionKey(a.sku, a.locationId) < positionKey(b.sku, b.locationId) ? -1 : 1,
  );
}

/** Tries to change a value handed out by the store; a frozen value refuses silently. */
function tryToChange(target: unknown, property: string, value: unknown): void {
  if (typeof target === "object" && target !== null) Reflect.set(target, property, value);
}
