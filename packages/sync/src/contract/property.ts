import { type Position, positionKey } from "@omnistock/core";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ApplyUnit, OutboxEntry, PublishedValue, SyncStore } from "../store.js";
import { FixtureHolder, type StoreContractOptions, type StoreFactory } from "./fixture.js";
import {
  computePlan,
  type ModelEntry,
  type ModelParked,
  PlannedFailure,
  StoreModel,
  type UnitPlan,
} from "./model.js";

const QUEUES = ["shopify", "amazon"] as const;
const TENANTS = 2;

type Command =
  | {
      readonly kind: "apply";
      readonly tenant: number;
      readonly plan: Omit<UnitPlan, "outbox"> & { readonly outbox: readonly WriteDraw[] };
    }
  | {
      readonly kind: "lease";
      readonly tenant: number;
      readonly queue: string;
      readonly owner: string;
      readonly leaseMs: number;
      readonly limit: number;
    }
  | { readonly kind: "ack"; readonly handles: readonly number[]; readonly published: number }
  | {
      readonly kind: "nack";
      readonly handle: number;
      readonly delay: number;
      readonly countAttempt: boolean;
      readonly payload: number | undefined;
      readonly published: number;
    }
  | { readonly kind: "park"; readonly handle: number; readonly reason: string }
  | { readonly kind: "unpark"; readonly tenant: number; readonly picks: readonly number[] }
  | { readonly kind: "advance"; readonly ms: number }
  | { readonly kind: "crash" };

interface WriteDraw {
  readonly queue: string;
  readonly key: string;
  readonly urgent: boolean;
  readonly dueIn: number;
  readonly seenAgo: number;
}

const subset = <T>(values: readonly T[]) => fc.subarray([...values]);

const applyCommand = fc.record({
  kind: fc.constant("apply" as const),
  tenant: fc.nat(TENANTS - 1),
  plan: fc.record({
    deliveryId: fc.option(fc.constantFrom("d0", "d1", "d2", "d3", "d4"), { nil: undefined }),
    eventIds: fc.array(fc.constantFrom("e0", "e1", "e2", "e3", "e4", "e5"), { maxLength: 4 }),
    positionKeys: subset([positionKey("A", "x"), positionKey("B", "x"), positionKey("A", "y")]),
    listingKeys: subset(["shopify/A", "amazon/A", "shopify/B"]),
    orderKeys: subset(["shopify\u00001", "amazon\u00002"]),
    outbox: fc.array(
      fc.record({
        queue: fc.constantFrom(...QUEUES),
        key: fc.constantFrom("A", "B"),
        urgent: fc.boolean(),
        dueIn: fc.integer({ min: -10, max: 50 }),
        seenAgo: fc.nat(100),
      }),
      { maxLength: 3 },
    ),
    cursor: fc.option(fc.string({ maxLength: 4 }), { nil: undefined }),
    throws: fc.nat(6).map((n) => n === 0),
  }),
});

const command: fc.Arbitrary<Command> = fc.oneof(
  { arbitrary: applyCommand, weight: 5 },
  {
    arbitrary: fc.record({
      kind: fc.constant("lease" as const),
      tenant: fc.nat(TENANTS - 1),
      queue: fc.constantFrom(...QUEUES),
      owner: fc.constantFrom("w0", "w1"),
      leaseMs: fc.integer({ min: 0, max: 60 }),
      limit: fc.integer({ min: 1, max: 4 }),
    }),
    weight: 4,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant("ack" as const),
      handles: fc.array(fc.nat(), { minLength: 1, maxLength: 3 }),
      published: fc.nat(9),
    }),
    weight: 3,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant("nack" as const),
      handle: fc.nat(),
      delay: fc.integer({ min: 0, max: 40 }),
      countAttempt: fc.boolean(),
      payload: fc.option(fc.nat(99), { nil: undefined }),
      published: fc.nat(9),
    }),
    weight: 2,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant("park" as const),
      handle: fc.nat(),
      reason: fc.constantFrom("HTTP 422", "gave up"),
    }),
    weight: 1,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant("unpark" as const),
      tenant: fc.nat(TENANTS - 1),
      picks: fc.array(fc.nat(4), { maxLength: 3 }),
    }),
    weight: 1,
  },
  { arbitrary: fc.record({ kind: fc.constant("advance" as const), ms: fc.nat(40) }), weight: 2 },
  { arbitrary: fc.constant({ kind: "crash" as const }), weight: 1 },
);

/** An entry handed out by the store, beside the oracle's entry it stands for. */
interface Handle {
  readonly entry: OutboxEntry;
  readonly tenantId: string;
  readonly uid: number;
}

/** What a leased entry looks like, without the store's own id. */
function shapeOf(entry: OutboxEntry | ModelEntry) {
  return {
    queue: entry.queue,
    key: entry.key,
    payload: entry.payload,
    urgent: entry.urgent,
    generation: entry.generation,
    attempts: entry.attempts,
    nextAttemptAt: entry.nextAttemptAt,
    seenAt: entry.seenAt,
  };
}

function parkedShape(entry: ModelParked) {
  return {
    queue: entry.queue,
    key: entry.key,
    payload: entry.payload,
    urgent: entry.urgent,
    attempts: entry.attempts,
    seenAt: entry.seenAt,
    reason: entry.reason,
    parkedAt: entry.parkedAt,
  };
}

function sortedEntries<V>(map: ReadonlyMap<string, V>): [string, V][] {
  return [...map].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

function byKey(positions: readonly Position[]): Position[] {
  return [...positions].sort((a, b) =>
    positionKey(a.sku, a.locationId) < positionKey(b.sku, b.locationId) ? -1 : 1,
  );
}

/** The property half of the store contract: the store against a serial oracle. */
export function describeProperty(
  name: string,
  factory: StoreFactory,
  options: StoreContractOptions,
): void {
  describe(`${name} store: property`, () => {
    const holder = new FixtureHolder(factory);
    let run = 0;

    beforeAll(async () => {
      await holder.open();
    });
    afterAll(async () => {
      await holder.close();
    });

    async function sameState(
      store: SyncStore,
      model: StoreModel,
      tenants: readonly string[],
    ): Promise<void> {
      for (const tenantId of tenants) {
        expect(byKey(await store.positions(tenantId))).toEqual(byKey(model.positions(tenantId)));
        expect(sortedEntries(await store.listings(tenantId))).toEqual(
          sortedEntries(model.listings(tenantId)),
        );
        expect(await store.cursor(tenantId, "poll")).toBe(model.cursor(tenantId, "poll"));
        expect(sortedEntries(await store.outboxSize(tenantId))).toEqual(
          sortedEntries(model.outboxSize(tenantId)),
        );
        expect(await store.heldOrders(tenantId)).toEqual(model.heldOrders(tenantId));
        const parked = await store.parked(tenantId);
        expect(parked.every((p) => p.tenantId === tenantId)).toBe(true);
        expect(parked.map((p) => parkedShape(p))).toEqual(model.parked(tenantId).map(parkedShape));
      }
    }

    // A thousand runs on a store that syncs every commit to disk take minutes, not seconds.
    it("random interleavings of apply, lease, ack, nack, park, unpark and crash end in the same state as a serial oracle", {
      timeout: 30 * 60_000,
    }, async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(command, { minLength: 5, maxLength: 40, size: "max" }),
          async (commands) => {
            // Each run has tenants of its own, so one store serves every run.
            run += 1;
            const tenants = Array.from({ length: TENANTS }, (_, i) => `run-${run}-t${i}`);
            const tenantOf = (i: number) => tenants[i] ?? "";
            const model = new StoreModel();
            const handles: Handle[] = [];
            let store = holder.store;
            let now = 1_000;
            let writes = 0;
            const handle = (i: number) => handles[i % Math.max(handles.length, 1)];

            for (const c of commands) {
              switch (c.kind) {
                case "apply": {
                  const tenantId = tenantOf(c.tenant);
                  const plan: UnitPlan = {
                    ...c.plan,
                    outbox: c.plan.outbox.map((w) => {
                      writes += 1;
                      // Distinct seen times keep the lease order free of ties.
                      const seenAt = (now - w.seenAgo) * 1_000 + writes;
                      return {
                        queue: w.queue,
                        key: w.key,
                        urgent: w.urgent,
                        dueAt: now + w.dueIn,
                        seenAt,
                        payload: { write: writes },
                      };
                    }),
                  };
                  const unit: ApplyUnit<unknown> = {
                    ...(plan.deliveryId === undefined ? {} : { deliveryId: plan.deliveryId }),
                    eventIds: plan.eventIds,
                    positionKeys: plan.positionKeys,
                    listingKeys: plan.listingKeys,
                    orderKeys: plan.orderKeys,
                    compute: (view) => computePlan(plan, view),
                  };
                  let expected: ReturnType<StoreModel["apply"]> | PlannedFailure;
                  try {
                    expected = model.apply(tenantId, plan);
                  } catch (error) {
                    if (!(error instanceof PlannedFailure)) throw error;
                    expected = error;
                  }
                  if (expected instanceof PlannedFailure) {
                    await expect(store.apply(tenantId, unit)).rejects.toBeInstanceOf(
                      PlannedFailure,
                    );
                  } else {
                    expect(await store.apply(tenantId, unit)).toEqual(expected);
                  }
                  break;
                }
                case "lease": {
                  const tenantId = tenantOf(c.tenant);
                  const leased = await store.lease({
                    tenantId,
                    queue: c.queue,
                    owner: c.owner,
                    now,
                    leaseMs: c.leaseMs,
                    limit: c.limit,
                  });
                  const expected = model.lease(tenantId, c.queue, now, c.leaseMs, c.limit);
                  expect(leased.map(shapeOf)).toEqual(expected.map(shapeOf));
                  leased.forEach((entry, i) => {
                    expect(entry.tenantId).toBe(tenantId);
                    handles.push({ entry, tenantId, uid: expected[i]?.uid ?? -1 });
                  });
                  break;
                }
                case "ack": {
                  const chosen = c.handles.map(handle).filter((h) => h !== undefined);
                  const published: PublishedValue[] = [{ key: "shopify/A", quantity: c.published }];
                  await store.ack(chosen.map((h) => ({ entry: h.entry, published })));
                  for (const h of chosen)
                    model.ack(h.tenantId, h.uid, h.entry.generation, published);
                  break;
                }
                case "nack": {
                  const h = handle(c.handle);
                  if (h === undefined) break;
                  const published = [{ key: "amazon/A", quantity: c.published }];
                  await store.nack({
                    entry: h.entry,
                    nextAttemptAt: now + c.delay,
                    countAttempt: c.countAttempt,
                    ...(c.payload === undefined ? {} : { payload: c.payload }),
                    error: "HTTP 503",
                    published,
                  });
                  model.nack(h.tenantId, h.uid, h.entry.generation, {
                    nextAttemptAt: now + c.delay,
                    countAttempt: c.countAttempt,
                    payload: c.payload,
                    published,
                  });
                  break;
                }
                case "park": {
                  const h = handle(c.handle);
                  if (h === undefined) break;
                  await store.park({ entry: h.entry, reason: c.reason, at: now });
                  model.park(h.tenantId, h.uid, h.entry.generation, c.reason, now);
                  break;
                }
                case "unpark": {
                  const tenantId = tenantOf(c.tenant);
                  const listed = await store.parked(tenantId);
                  const ids = c.picks.flatMap((i) =>
                    listed[i] === undefined ? [] : [listed[i].id],
                  );
                  const back = await store.unpark(tenantId, [...ids, "no-such-id"], now);
                  expect(back).toBe(model.unpark(tenantId, c.picks, now));
                  break;
                }
                case "advance":
                  now += c.ms;
                  break;
                case "crash":
                  store = await holder.reopen();
                  await sameState(store, model, tenants);
                  break;
              }
            }

            await sameState(store, model, tenants);
            // Drain every queue far in the future, when every lease has lapsed and every
            // entry is due: the whole outbox, in lease order.
            const end = Number.MAX_SAFE_INTEGER / 2;
            for (const tenantId of tenants) {
              for (const queue of QUEUES) {
                const left = await store.lease({
                  tenantId,
                  queue,
                  owner: "end",
                  now: end,
                  leaseMs: 1,
                  limit: 1_000,
                });
                expect(left.map(shapeOf)).toEqual(
                  model.lease(tenantId, queue, end, 1, 1_000).map(shapeOf),
                );
              }
            }
          },
        ),
        options.numRuns === undefined ? {} : { numRuns: options.numRuns },
      );
    });
  });
}
