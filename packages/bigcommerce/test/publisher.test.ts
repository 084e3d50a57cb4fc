import { isOmnistockError, type PendingPublish, type QuantityToPublish } from "@omnistock/core";
import { type Sandbox, startSandbox } from "@omnistock/sandbox";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type BigCommerceClientOptions,
  createBigCommerceClient,
  createBigCommercePublisher,
} from "../src/index.js";

let now = Date.UTC(2026, 10, 22, 9, 0, 0);
const clock = () => now;
let sandbox: Sandbox;
let warehouse = 0;
let tee: { id: number; variants: readonly { id: number; sku: string }[] };
let book = 0;
const bulkSkus = Array.from({ length: 2_500 }, (_, i) => `BULK-${String(i).padStart(4, "0")}`);

beforeAll(async () => {
  // A frozen clock for the store: adjustments apply when the test moves time on. The quota
  // is lifted here; the rate limit has tests of its own.
  sandbox = await startSandbox({ bigcommerce: { applyDelayMs: 5_000, quota: 100_000 }, clock });
  const { control } = sandbox.bigcommerce!;
  warehouse = control.addLocation("WH", "Warehouse").id;
  tee = control.addProduct({ name: "Tee", skus: ["TEE-S", "TEE-M"] });
  control.addProduct({ name: "Mug", skus: ["MUG-RED"] });
  control.addProduct({ name: "Gift card", skus: ["GIFT"], tracking: "none" });
  book = control.addProduct({ name: "Book", skus: ["BOOK-1"], tracking: "product" }).id;
  control.addProduct({ name: "Socks", skus: ["SOCK-L", "SOCK-R"], tracking: "product" });
  for (let i = 0; i < bulkSkus.length; i += 500) {
    control.addProduct({ name: `Bulk ${i}`, skus: bulkSkus.slice(i, i + 500) });
  }
});
afterAll(() => sandbox.close());

const client = (http: BigCommerceClientOptions["http"] = {}) =>
  createBigCommerceClient({
    storeHash: sandbox.bigcommerce!.credentials.storeHash,
    accessToken: sandbox.bigcommerce!.credentials.accessToken,
    apiUrl: sandbox.bigcommerce!.url,
    http: { retry: { retries: 1, minDelayMs: 1 }, ...http },
  });

const publisherWith = (http: BigCommerceClientOptions["http"] = {}) =>
  createBigCommercePublisher({
    client: client(http),
    channelId: "bigcommerce",
    locations: { warehouse },
    settleMs: 30_000,
    clock,
  });

const update = (
  listingId: string,
  quantity: number,
  more: Partial<QuantityToPublish> = {},
): QuantityToPublish => ({ listingId, quantity, previous: undefined, urgent: false, ...more });

const pendingOf = (outcomes: readonly { status: string }[]) =>
  outcomes.filter((o): o is PendingPublish & { status: "pending" } => o.status === "pending");

describe("BigCommerce discovery", () => {
  it("maps SKUs to variants (or products tracked by product) and lists untracked and missing SKUs", async () => {
    const publisher = publisherWith();
    const found = await publisher.discover(["TEE-S", "MUG-RED", "GIFT", "BOOK-1", "GHOST"]);
    expect(found.listings.map((l) => l.sku).sort()).toEqual(["BOOK-1", "MUG-RED", "TEE-S"]);
    expect(found.untracked).toMatchObject([{ sku: "GIFT", tracking: "none" }]);
    expect(found.missing).toEqual(["GHOST"]);
    expect(found.mapping.toPlatformId("TEE-S")).toBe(`variant:${tee.variants[0]?.id}`);
    expect(found.mapping.toPlatformId("BOOK-1")).toBe(`product:${book}`);
    expect(() => found.mapping.toPlatformId("GIFT")).toThrow(/GIFT/);
  });

  it("refuses two SKUs of one product tracked by product, and one SKU on two variants, naming them", async () => {
    const publisher = publisherWith();
    await expect(publisher.discover(["SOCK-L", "SOCK-R"])).rejects.toMatchObject({
      code: "MAPPING_DUPLICATE",
      message: expect.stringContaining("SOCK-"),
    });
    // A store answering one SKU on two variants (an import gone wrong).
    const doubled = publisherWith({
      fetch: async (input, init) => {
        const request = new Request(input, init);
        const url = new URL(request.url);
        const response = await fetch(request);
        if (!url.pathname.endsWith("/v3/catalog/variants")) return response;
        const body = (await response.json()) as { data: { id: number; sku: string }[] };
        const mug = body.data.find((v) => v.sku === "MUG-RED");
        if (mug !== undefined) body.data.push({ ...mug, id: mug.id + 50_000 });
        return Response.json(body, { headers: response.headers });
      },
    });
    try {
      await doubled.discover(["MUG-RED", "TEE-S"]);
      expect.unreachable();
    } catch (error) {
      expect(isOmnistockError(error, "MAPPING_DUPLICATE")).toBe(true);
      expect((error as Error).message).toContain('"MUG-RED"');
      expect((error as Error).message).not.toContain("TEE-S");
    }
    const [mug, teeS] = await doubled.publish([update("MUG-RED", 1), update("TEE-S", 2)]);
    expect(mug).toMatchObject({ status: "rejected", reason: "MAPPING_DUPLICATE" });
    expect(teeS?.status).toBe("pending");
    sandbox.bigcommerce!.control.settle();
  });
});

describe("BigCommerce publisher", () => {
  it("is a channel of 2,000 items a batch, with no compare-and-set", () => {
    const publisher = publisherWith();
    expect(publisher).toMatchObject({
      platform: "bigcommerce",
      channelId: "bigcommerce",
      maxBatch: 2_000,
      compareAndSet: false,
    });
  });

  it("answers pending with the transaction id, and confirms once BigCommerce has applied it", async () => {
    const { control } = sandbox.bigcommerce!;
    control.settle();
    const publisher = publisherWith();
    const outcomes = await publisher.publish([
      update("MUG-RED", 7),
      update("TEE-S", 3, { channelLocationId: "warehouse" }),
      update("BOOK-1", 4),
      update("GIFT", 5),
      update("GHOST", 1),
      update("TEE-M", 2, { channelLocationId: "nowhere" }),
      update("TEE-M", -1),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual([
      "pending",
      "pending",
      "pending",
      "rejected",
      "rejected",
      "rejected",
      "rejected",
    ]);
    expect(outcomes.slice(3).map((o) => (o.status === "rejected" ? o.reason : o.status))).toEqual([
      "INVENTORY_NOT_TRACKED",
      "SKU_NOT_FOUND",
      "LOCATION_NOT_MAPPED",
      "INVALID_QUANTITY",
    ]);
    const pending = pendingOf(outcomes);
    expect(pending[0]?.receipt).toMatch(/^txn_/);
    expect(new Set(pending.map((p) => p.receipt)).size).toBe(1); // one request
    expect(control.pending()).toBe(1);

    const early = await publisher.confirm(pending);
    expect(early.map((o) => o.status)).toEqual(["pending", "pending", "pending"]);
    now += 5_000;
    const confirmed = await publisher.confirm(pending);
    expect(confirmed.map((o) => o.status)).toEqual(["published", "published", "published"]);
    expect(control.inventory("MUG-RED", 1)).toBe(7);
    expect(control.inventory("TEE-S", warehouse)).toBe(3);
    expect(control.inventory("BOOK-1", 1)).toBe(4);
  });

  it("turns a level changed meanwhile into stale with the level BigCommerce shows, once the apply window is over", async () => {
    const { control } = sandbox.bigcommerce!;
    const publisher = publisherWith();
    const pending = pendingOf(await publisher.publish([update("MUG-RED", 9)]));
    now += 5_000;
    control.setInventory("MUG-RED", 1, 4); // the control panel, after our adjustment
    expect(await publisher.confirm(pending)).toMatchObject([{ status: "pending" }]);
    now += 30_000;
    expect(await publisher.confirm(pending)).toMatchObject([{ status: "stale", actual: 4 }]);
    // A receipt this publisher never issued (a restart) is judged on the level alone.
    expect(
      await publisherWith().confirm([{ update: update("MUG-RED", 4), receipt: "txn_old" }]),
    ).toMatchObject([{ status: "published" }]);
  });

  it("splits more than 2,000 updates into requests of 2,000, one in flight at a time, urgent ones first", async () => {
    const { control } = sandbox.bigcommerce!;
    let inFlight = 0;
    let most = 0;
    const sent: { items: { quantity: number }[] }[] = [];
    const publisher = publisherWith({
      concurrency: 8,
      fetch: async (input, init) => {
        const request = new Request(input, init);
        if (request.method !== "PUT") return fetch(request);
        sent.push((await request.clone().json()) as { items: { quantity: number }[] });
        inFlight++;
        most = Math.max(most, inFlight);
        try {
          return await fetch(request);
        } finally {
          inFlight--;
        }
      },
    });
    await publisher.discover([...bulkSkus, "MUG-RED"]);
    const bulk = bulkSkus.map((sku, i) => update(sku, i % 50));
    const [first, second, urgent] = await Promise.all([
      publisher.publish(bulk),
      publisher.publish(bulkSkus.slice(0, 10).map((sku) => update(sku, 60))),
      publisher.publish([update("MUG-RED", 0, { urgent: true })]),
    ]);
    expect(sent.map((s) => s.items.length)).toEqual([2_000, 1, 10, 500]);
    expect(sent[1]?.items).toMatchObject([{ quantity: 0 }]);
    expect(most).toBe(1);
    expect(first.every((o) => o.status === "pending")).toBe(true);
    expect(new Set(pendingOf(first).map((o) => o.receipt)).size).toBe(2);
    expect(second.every((o) => o.status === "pending")).toBe(true);
    expect(urgent).toMatchObject([{ status: "pending" }]);
    now += 5_000;
    expect(control.inventory("BULK-2499", 1)).toBe(2_499 % 50);
    expect(control.inventory("BULK-0003", 1)).toBe(60);
    expect(control.inventory("MUG-RED", 1)).toBe(0);
  });

  it("sends one item per listing and location when a batch repeats it: the last quantity wins", async () => {
    const { control } = sandbox.bigcommerce!;
    const publisher = publisherWith();
    const outcomes = await publisher.publish([update("TEE-M", 1), update("TEE-M", 2)]);
    expect(pendingOf(outcomes)).toHaveLength(2);
    now += 5_000;
    expect(control.inventory("TEE-M", 1)).toBe(2);
  });

  it("reads the channel snapshot over every page, and the levels of given listings", async () => {
    const publisher = publisherWith();
    const snapshot = await publisher.readLevels();
    // Every tracked variant at the default location and at the mapped warehouse.
    const tracked = 2 + 1 + 1 + 2 + bulkSkus.length;
    expect(snapshot).toHaveLength(tracked * 2);
    expect(snapshot).toContainEqual({
      listingId: "TEE-S",
      channelLocationId: "warehouse",
      quantity: 3,
    });
    expect(snapshot).toContainEqual({ listingId: "BULK-2499", quantity: 2_499 % 50 });
    expect(snapshot.some((l) => l.listingId === "GIFT")).toBe(false);
    expect(
      await publisher.readLevels([
        { listingId: "TEE-S", channelLocationId: "warehouse" },
        { listingId: "MUG-RED" },
        { listingId: "GHOST" },
      ]),
    ).toEqual([
      { listingId: "TEE-S", channelLocationId: "warehouse", quantity: 3 },
      { listingId: "MUG-RED", quantity: 0 },
    ]);
  });
});
