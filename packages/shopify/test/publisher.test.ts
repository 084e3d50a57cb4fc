import { isOmnistockError, type QuantityToPublish } from "@omnistock/core";
import { type Sandbox, startSandbox } from "@omnistock/sandbox";
import { createShopifyLimiter } from "@omnistock/transport";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { recordingFetch } from "../../sandbox/test/support/openapi.js";
import { createShopifyMapping, createShopifyPublisher, SHOPIFY_MAX_BATCH } from "../src/index.js";
import { clientOf, graphqlBodies, type Shop } from "./support.js";

vi.setConfig({ testTimeout: 60_000 });

let sandbox: Sandbox;
let shop: Shop;
let web = "";
let backroom = "";
const items = new Map<string, string>();
const SKUS = Array.from({ length: 600 }, (_, i) => `SKU-${String(i).padStart(4, "0")}`);

beforeAll(async () => {
  sandbox = await startSandbox({ shopify: [{ plan: "plus" }] });
  shop = sandbox.shopify[0] as Shop;
  web = shop.control.addLocation("Web").id;
  backroom = shop.control.addLocation("Back room").id;
  for (const sku of SKUS) {
    const { inventoryItemId } = shop.control.addVariant({ sku });
    items.set(sku, inventoryItemId);
    shop.control.stock(inventoryItemId, web, 5);
  }
});
afterAll(() => sandbox.close());

const item = (sku: string) => items.get(sku) as string;
const update = (
  listingId: string,
  quantity: number,
  previous: number | undefined,
  more: Partial<QuantityToPublish> = {},
): QuantityToPublish => ({
  listingId,
  channelLocationId: web,
  quantity,
  previous,
  urgent: false,
  ...more,
});

describe("Shopify publisher", () => {
  it("publishes more than 250 updates in calls of at most 250, compare-and-set from previous", async () => {
    const recorder = recordingFetch();
    const client = clientOf(shop, { fetch: recorder.fetch }, { plan: "plus" });
    const publisher = createShopifyPublisher({ client, channelId: "shopify-eu" });
    expect(publisher).toMatchObject({ maxBatch: SHOPIFY_MAX_BATCH, compareAndSet: true });
    const updates = SKUS.map((sku, i) => update(sku, i % 7, 5, { urgent: i === 599 }));
    const outcomes = await publisher.publish(updates);
    expect(outcomes.map((o) => o.status)).toEqual(SKUS.map(() => "published"));
    expect(outcomes[10]?.update).toBe(updates[10]);
    for (const [i, sku] of SKUS.entries())
      expect(shop.control.quantity(item(sku), web)).toBe(i % 7);
    const sets = graphqlBodies(recorder.requests).filter(
      (b) => b.operationName === "OmnistockSetQuantities",
    );
    const sizes = sets.map(
      (b) => (b.variables.input as { quantities: unknown[] }).quantities.length,
    );
    expect(sizes.sort((a, b) => b - a)).toEqual([250, 250, 100]);
    type SetInput = { quantities: { inventoryItemId: string; changeFromQuantity: number }[] };
    const inputs = sets.map((b) => b.variables.input as SetInput);
    const first = inputs.find((input) =>
      input.quantities.some((q) => q.inventoryItemId === item("SKU-0599")),
    );
    // The urgent update goes in the first call, as the first quantity.
    expect(first?.quantities[0]).toMatchObject({
      inventoryItemId: item("SKU-0599"),
      changeFromQuantity: 5,
    });
    expect(sets.every((b) => typeof b.variables.key === "string")).toBe(true);
    expect(new Set(sets.map((b) => b.variables.key)).size).toBe(3);
  });

  it("returns stale with what Shopify shows when the level moved, and never overwrites it", async () => {
    const publisher = createShopifyPublisher({
      client: clientOf(shop, {}, { plan: "plus" }),
      channelId: "shopify-eu",
    });
    shop.control.stock(item("SKU-0001"), web, 42); // edited on Shopify behind our back
    const outcomes = await publisher.publish([
      update("SKU-0000", 9, 0),
      update("SKU-0001", 9, 1),
      update("SKU-0002", 9, 2),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(["published", "stale", "published"]);
    expect(outcomes[1]).toMatchObject({ status: "stale", actual: 42 });
    expect(shop.control.quantity(item("SKU-0001"), web)).toBe(42);
    expect(shop.control.quantity(item("SKU-0000"), web)).toBe(9);
    expect(shop.control.quantity(item("SKU-0002"), web)).toBe(9);
    // Sent again after it got through (a new batch, so a new key): Shopify shows 9 already.
    const [again] = await publisher.publish([update("SKU-0000", 9, 0), update("SKU-0001", 9, 1)]);
    expect(again?.status).toBe("published");
  });

  it("rejects an item not stocked at the location, or stocks it there, as told", async () => {
    const rejecting = createShopifyPublisher({
      client: clientOf(shop, {}, { plan: "plus" }),
      channelId: "shopify-eu",
    });
    const [refused, fine] = await rejecting.publish([
      update("SKU-0003", 4, undefined, { channelLocationId: backroom }),
      update("SKU-0003", 3, 3),
    ]);
    expect(refused).toMatchObject({ status: "rejected", reason: "ITEM_NOT_STOCKED_AT_LOCATION" });
    expect(fine?.status).toBe("published");
    expect(shop.control.quantity(item("SKU-0003"), backroom)).toBe(0);

    const recorder = recordingFetch();
    const activating = createShopifyPublisher({
      client: clientOf(shop, { fetch: recorder.fetch }, { plan: "plus" }),
      channelId: "shopify-eu",
      notStocked: "activate",
    });
    const [stocked] = await activating.publish([
      update("SKU-0003", 4, undefined, { channelLocationId: backroom }),
    ]);
    expect(stocked?.status).toBe("published");
    expect(shop.control.quantity(item("SKU-0003"), backroom)).toBe(4);
    const activations = graphqlBodies(recorder.requests).filter(
      (b) => b.operationName === "OmnistockActivate",
    );
    expect(activations).toHaveLength(1);
    expect(activations[0]?.variables).toMatchObject({ item: item("SKU-0003"), location: backroom });
  });

  it("reuses the idempotency key when a request is retried, so Shopify applies it once", async () => {
    let dropNext = true;
    const recorder = recordingFetch();
    // The first answer is lost on the way back, after Shopify applied the call.
    const lossy: typeof fetch = async (input, init) => {
      const response = await recorder.fetch(input, init);
      if (dropNext && recorder.requests.at(-1)?.body?.includes("OmnistockSetQuantities")) {
        dropNext = false;
        throw new TypeError("fetch failed");
      }
      return response;
    };
    const client = clientOf(shop, { fetch: lossy }, { plan: "plus" });
    const publisher = createShopifyPublisher({ client, channelId: "shopify-eu" });
    const now = (sku: string) => shop.control.quantity(item(sku), web);
    const batch = [update("SKU-0010", 8, now("SKU-0010")), update("SKU-0011", 8, now("SKU-0011"))];
    const outcomes = await publisher.publish(batch);
    expect(outcomes.map((o) => o.status)).toEqual(["published", "published"]);
    const keys = graphqlBodies(recorder.requests)
      .filter((b) => b.operationName === "OmnistockSetQuantities")
      .map((b) => b.variables.key);
    expect(keys).toHaveLength(2);
    expect(keys[0]).toBe(keys[1]);
    // The runtime's own retry of the same batch: a new key, and compare-and-set keeps it
    // from applying twice — Shopify shows 8, not `previous`, so the re-read finds it published.
    const again = await publisher.publish(batch);
    expect(again.map((o) => o.status)).toEqual(["published", "published"]);
    expect(
      graphqlBodies(recorder.requests)
        .filter((b) => b.operationName === "OmnistockSetQuantities")
        .at(-1)?.variables.key,
    ).not.toBe(keys[0]);
    expect(shop.control.quantity(item("SKU-0010"), web)).toBe(8);
  });

  it("applies a number that goes back and forth every time: the same change twice is two writes", async () => {
    const publisher = createShopifyPublisher({ client: clientOf(shop), channelId: "shopify-eu" });
    const now = () => shop.control.quantity(item("SKU-0012"), web);
    const start = now();
    for (const quantity of [start + 2, start, start + 2, start]) {
      const [outcome] = await publisher.publish([update("SKU-0012", quantity, now())]);
      expect(outcome?.status).toBe("published");
      expect(now()).toBe(quantity);
    }
  });
  it("rejects SKUs Shopify does not have, and names the location it cannot map", async () => {
    const publisher = createShopifyPublisher({
      client: clientOf(shop, {}, { plan: "plus" }),
      channelId: "shopify-eu",
      mapping: createShopifyMapping({
        client: clientOf(shop, {}, { plan: "plus" }),
        locations: { web },
      }),
    });
    const outcomes = await publisher.publish([
      update("NOPE-1", 1, undefined, { channelLocationId: "web" }),
      update("SKU-0020", 1, 5, { channelLocationId: "mall" }),
      update("SKU-0021", 1, shop.control.quantity(item("SKU-0021"), web), {
        channelLocationId: "web",
      }),
    ]);
    expect(outcomes[0]).toMatchObject({ status: "rejected", reason: "MAPPING_MISSING" });
    expect(outcomes[0]?.status === "rejected" && outcomes[0].message).toContain("NOPE-1");
    expect(outcomes[1]).toMatchObject({ status: "rejected", reason: "MAPPING_MISSING" });
    expect(outcomes[1]?.status === "rejected" && outcomes[1].message).toContain("mall");
    expect(outcomes[2]?.status).toBe("published");
  });

  it("confirms every write at once: Shopify applies them before it answers", async () => {
    const publisher = createShopifyPublisher({
      client: clientOf(shop, {}, { plan: "plus" }),
      channelId: "shopify-eu",
    });
    const pending = { update: update("SKU-0030", 1, 5), receipt: "r" };
    expect(await publisher.confirm([pending])).toEqual([
      { status: "published", update: pending.update },
    ]);
  });

  it("reads the channel snapshot page by page, and the levels of given listings", async () => {
    const publisher = createShopifyPublisher({
      client: clientOf(shop, {}, { plan: "plus" }),
      channelId: "shopify-eu",
    });
    const all = await publisher.readLevels();
    const at = (sku: string, location: string) =>
      all.find((l) => l.listingId === sku && l.channelLocationId === location)?.quantity;
    expect(all.filter((l) => l.channelLocationId === web)).toHaveLength(600);
    expect(at("SKU-0001", web)).toBe(42);
    expect(at("SKU-0003", backroom)).toBe(4);
    expect(at("SKU-0004", backroom)).toBeUndefined();
    const some = await publisher.readLevels([
      { listingId: "SKU-0001", channelLocationId: web },
      { listingId: "SKU-0003", channelLocationId: backroom },
      { listingId: "SKU-0004", channelLocationId: backroom },
      { listingId: "NOPE-1", channelLocationId: web },
    ]);
    expect(some).toEqual([
      { listingId: "SKU-0001", channelLocationId: web, quantity: 42 },
      { listingId: "SKU-0003", channelLocationId: backroom, quantity: 4 },
    ]);
  });
});

describe("Shopify publisher under pressure", () => {
  it("paces calls by the cost Shopify reports, waiting rather than being refused", async () => {
    const small = await startSandbox({ shopify: [{ bucketSize: 40, restoreRate: 50 }] });
    try {
      const s = small.shopify[0] as Shop;
      const location = s.control.addLocation("Web").id;
      const skus = Array.from({ length: 1_250 }, (_, i) => `P-${i}`);
      const ids: Record<string, string> = {};
      for (const sku of skus) {
        ids[sku] = s.control.addVariant({ sku }).inventoryItemId;
        s.control.stock(ids[sku], location, 0);
      }
      let throttled = 0;
      let waits = 0;
      const counting: typeof fetch = async (input, init) => {
        const response = await fetch(input, init);
        if ((await response.clone().text()).includes('"THROTTLED"')) throttled++;
        return response;
      };
      const client = clientOf(
        s,
        {
          fetch: counting,
          onEvent: (event) => {
            if (event.type === "throttled") waits++;
          },
        },
        { limiter: createShopifyLimiter({ bucketSize: 40, restoreRate: 50 }) },
      );
      const mapping = createShopifyMapping({
        client,
        items: ids,
        discover: false,
      });
      const publisher = createShopifyPublisher({ client, channelId: "small", mapping });
      const outcomes = await publisher.publish(
        skus.map((sku) => ({
          listingId: sku,
          channelLocationId: location,
          quantity: 3,
          previous: 0,
          urgent: false,
        })),
      );
      expect(outcomes.every((o) => o.status === "published")).toBe(true);
      // Calls waited for the bucket; at most the first, sent before any answer told the
      // limiter where the store's bucket stood, can meet a refusal.
      expect(waits).toBeGreaterThan(0);
      expect(throttled).toBeLessThanOrEqual(1);
      expect(client.budget().limit).toBe(40);
    } finally {
      await small.close();
    }
  });

  it("recovers from throttled answers, 5xx and timeouts", async () => {
    const faulty = await startSandbox({ shopify: [{ plan: "plus" }], seed: 7 });
    try {
      const s = faulty.shopify[0] as Shop;
      const location = s.control.addLocation("Web").id;
      const skus = Array.from({ length: 700 }, (_, i) => `F-${i}`);
      for (const sku of skus)
        s.control.stock(s.control.addVariant({ sku }).inventoryItemId, location, 1);
      const retries: string[] = [];
      const client = clientOf(
        s,
        {
          timeoutMs: 300,
          onEvent: (event) => {
            if (event.type === "retry") retries.push(event.code);
          },
        },
        { plan: "plus" },
      );
      const publisher = createShopifyPublisher({ client, channelId: "faulty" });
      s.setFaults({ api: { rateLimitRate: 0.25, serverErrorRate: 0.1, timeoutRate: 0.05 } });
      const outcomes = await publisher.publish(
        skus.map((sku, i) => ({
          listingId: sku,
          channelLocationId: location,
          quantity: i % 5,
          previous: 1,
          urgent: false,
        })),
      );
      s.setFaults(undefined);
      expect(outcomes.every((o) => o.status === "published")).toBe(true);
      expect(retries).toContain("RATE_LIMITED");
      expect(retries).toContain("SERVER");
      expect(retries.some((code) => code === "TIMEOUT")).toBe(true);
      const levels = await publisher.readLevels(
        skus.map((listingId) => ({ listingId, channelLocationId: location })),
      );
      expect(levels.map((l) => l.quantity)).toEqual(skus.map((_, i) => i % 5));
    } finally {
      await faulty.close();
    }
  });

  it("throws a retryable error when the requests keep failing, so the runtime sends the batch again", async () => {
    const down = await startSandbox({ shopify: [{}] });
    try {
      const s = down.shopify[0] as Shop;
      const location = s.control.addLocation("Web").id;
      s.control.stock(s.control.addVariant({ sku: "D-1" }).inventoryItemId, location, 1);
      const publisher = createShopifyPublisher({
        client: clientOf(s, { retry: { retries: 1, minDelayMs: 1 } }),
        channelId: "down",
      });
      await publisher.readLevels([{ listingId: "D-1", channelLocationId: location }]);
      s.setFaults({ api: { serverErrorRate: 1 } });
      const error = await publisher
        .publish([
          { listingId: "D-1", channelLocationId: location, quantity: 0, previous: 1, urgent: true },
        ])
        .catch((e: unknown) => e);
      expect(isOmnistockError(error, "SERVER")).toBe(true);
      expect(isOmnistockError(error) && error.retryable).toBe(true);
    } finally {
      await down.close();
    }
  });
});

describe("Several Shopify stores", () => {
  it("are several channels, each with its own items, bucket and publisher", async () => {
    const two = await startSandbox({
      shopify: [{ shop: "eu.myshopify.com" }, { shop: "us.myshopify.com" }],
    });
    try {
      const stores = two.shopify as readonly Shop[];
      const setup = stores.map((s) => {
        const location = s.control.addLocation("Web").id;
        const { inventoryItemId } = s.control.addVariant({ sku: "MUG-RED" });
        s.control.stock(inventoryItemId, location, 10);
        return { s, location, inventoryItemId };
      });
      const publishers = setup.map(({ s }, i) =>
        createShopifyPublisher({
          client: clientOf(s),
          channelId: ["shopify-eu", "shopify-us"][i] ?? "",
        }),
      );
      const outcomes = await Promise.all(
        publishers.map((p, i) =>
          p.publish([
            {
              listingId: "MUG-RED",
              channelLocationId: setup[i]?.location ?? "",
              quantity: 3 + i,
              previous: 10,
              urgent: false,
            },
          ]),
        ),
      );
      expect(outcomes.flat().map((o) => o.status)).toEqual(["published", "published"]);
      expect(publishers.map((p) => p.channelId)).toEqual(["shopify-eu", "shopify-us"]);
      expect(
        setup.map(({ s, location, inventoryItemId }) =>
          s.control.quantity(inventoryItemId, location),
        ),
      ).toEqual([3, 4]);
    } finally {
      await two.close();
    }
  });
});
