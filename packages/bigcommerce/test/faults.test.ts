import { isOmnistockError, type QuantityToPublish } from "@omnistock/core";
import { type Sandbox, startSandbox } from "@omnistock/sandbox";
import type { TransportEvent } from "@omnistock/transport";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  type BigCommerceClientOptions,
  createBigCommerceClient,
  createBigCommerceOrderSource,
  createBigCommercePublisher,
} from "../src/index.js";

let sandbox: Sandbox;
const skus = Array.from({ length: 20 }, (_, i) => `FAULT-${i}`);

beforeAll(async () => {
  // A short window, so that the store's own waits after a 429 stay short.
  sandbox = await startSandbox({ bigcommerce: { windowMs: 1_000, quota: 1_000 }, seed: 7 });
  const { control } = sandbox.bigcommerce!;
  control.addProduct({ name: "Faults", skus });
});
afterAll(() => sandbox.close());
beforeEach(() => {
  sandbox.bigcommerce!.setFaults(undefined);
  sandbox.bigcommerce!.control.settle();
});

const clientWith = (events: TransportEvent[], http: BigCommerceClientOptions["http"] = {}) =>
  createBigCommerceClient({
    storeHash: sandbox.bigcommerce!.credentials.storeHash,
    accessToken: sandbox.bigcommerce!.credentials.accessToken,
    apiUrl: sandbox.bigcommerce!.url,
    windowMs: 1_000,
    http: {
      timeoutMs: 300,
      retry: { retries: 10, minDelayMs: 1, maxDelayMs: 20 },
      onEvent: (event) => events.push(event),
      ...http,
    },
  });

const update = (listingId: string, quantity: number): QuantityToPublish => ({
  listingId,
  quantity,
  previous: undefined,
  urgent: false,
});

// These tests wait as the store says after each fault: give them time under a loaded machine.
const SLOW = 30_000;

describe("BigCommerce adapter under faults", () => {
  it(
    "rides out a 429 storm, waiting as the store says",
    async () => {
      const events: TransportEvent[] = [];
      const publisher = createBigCommercePublisher({
        client: clientWith(events),
        channelId: "bigcommerce",
      });
      await publisher.discover(skus);
      sandbox.bigcommerce!.setFaults({ api: { rateLimitRate: 0.5 } });
      const outcomes = await publisher.publish(skus.map((sku, i) => update(sku, i + 1)));
      expect(outcomes.every((o) => o.status === "pending")).toBe(true);
      const levels = await publisher.readLevels(
        skus.slice(0, 3).map((listingId) => ({ listingId })),
      );
      expect(levels.map((l) => l.quantity)).toEqual([1, 2, 3]);
      const limited = events.filter((e) => e.type === "retry" && e.code === "RATE_LIMITED");
      expect(limited.length).toBeGreaterThan(0);
      expect(limited.every((e) => e.type === "retry" && e.source === "server")).toBe(true);
    },
    SLOW,
  );

  it(
    "retries 5xx answers and timeouts of reads and of absolute adjustments",
    async () => {
      const events: TransportEvent[] = [];
      const client = clientWith(events);
      const publisher = createBigCommercePublisher({ client, channelId: "bigcommerce" });
      sandbox.bigcommerce!.setFaults({ api: { serverErrorRate: 0.3, timeoutRate: 0.3 } });
      await publisher.discover(skus);
      for (let round = 0; round < 8; round++) {
        const outcomes = await publisher.publish(skus.map((sku) => update(sku, 40 + round)));
        expect(outcomes.every((o) => o.status === "pending")).toBe(true);
      }
      const orders = createBigCommerceOrderSource({ client, channelId: "bigcommerce" });
      sandbox.bigcommerce!.control.placeOrder([{ sku: "FAULT-0", quantity: 1 }]);
      expect((await orders.ordersSince(undefined)).orders).toHaveLength(1);
      const codes = new Set(events.flatMap((e) => (e.type === "retry" ? [e.code] : [])));
      expect(codes).toEqual(new Set(["SERVER", "TIMEOUT"]));
      sandbox.bigcommerce!.setFaults(undefined);
      expect(sandbox.bigcommerce!.control.inventory("FAULT-5", 1)).toBe(47);
    },
    SLOW,
  );

  it(
    "keeps to a tight quota without a single 429",
    async () => {
      const tight = await startSandbox({ bigcommerce: { quota: 10, windowMs: 1_000 } });
      tight.bigcommerce!.control.addProduct({ skus: ["TIGHT"] });
      const statuses: number[] = [];
      const client = createBigCommerceClient({
        storeHash: tight.bigcommerce!.credentials.storeHash,
        accessToken: tight.bigcommerce!.credentials.accessToken,
        apiUrl: tight.bigcommerce!.url,
        quota: 10,
        windowMs: 1_000,
        http: { onEvent: (e) => e.type === "response" && statuses.push(e.status) },
      });
      for (let i = 0; i < 25; i++)
        await client
          .adjustAbsolute([{ locationId: 1, variantId: 0, quantity: i }])
          .catch(() => undefined);
      await tight.close();
      expect(statuses).toHaveLength(25);
      expect(statuses.filter((s) => s === 429)).toEqual([]);
    },
    SLOW,
  );
});

describe("BigCommerce answers that break the contract", () => {
  const broken = (body: unknown, status = 200) =>
    createBigCommerceClient({
      storeHash: "abc123",
      accessToken: "token",
      apiUrl: "http://127.0.0.1:1",
      http: {
        retry: { retries: 0 },
        fetch: async () =>
          new Response(JSON.stringify(body), {
            status,
            headers: { "content-type": "application/json" },
          }),
      },
    });

  it("names the field at fault", async () => {
    const page = (data: unknown) => ({
      data,
      meta: { pagination: { total: 1, current_page: 1, total_pages: 1 } },
    });
    await expect(
      broken(page([{ identity: { sku: "A" }, locations: [{ location_id: 1 }] }])).inventoryItems(),
    ).rejects.toMatchObject({
      code: "VALIDATION",
      message: expect.stringContaining("data[0].locations[0].total_inventory_onhand"),
    });
    await expect(
      broken([{ id: 1, date_modified: "x" }]).ordersModifiedSince(undefined),
    ).rejects.toMatchObject({
      code: "VALIDATION",
      message: expect.stringMatching(
        /\[0\]\.status_id.*\[0\]\.date_modified|\[0\]\.date_modified.*\[0\]\.status_id/,
      ),
    });
    await expect(
      broken({ id: "txn" }).adjustAbsolute([{ locationId: 1, variantId: 1, quantity: 1 }]),
    ).rejects.toMatchObject({
      code: "VALIDATION",
      message: expect.stringContaining("transaction_id"),
    });
    await expect(broken(page([{ id: 1, sku: "A" }])).variants()).rejects.toMatchObject({
      code: "VALIDATION",
      message: expect.stringContaining("data[0].product_id"),
    });
  });

  it("rejects the items BigCommerce refuses and sends the rest", async () => {
    const events: TransportEvent[] = [];
    const publisher = createBigCommercePublisher({
      client: clientWith(events),
      channelId: "bigcommerce",
      // A stored discovery that is out of date: variant 1 is gone from the store.
      listings: [{ sku: "GONE", variantId: 1, productId: 1, tracking: "variant" }],
    });
    const outcomes = await publisher.publish([update("GONE", 1), update("FAULT-7", 7)]);
    expect(outcomes).toMatchObject([
      { status: "rejected", reason: "REFUSED", message: expect.stringContaining("items.0") },
      { status: "pending" },
    ]);
    sandbox.bigcommerce!.control.settle();
    expect(sandbox.bigcommerce!.control.inventory("FAULT-7", 1)).toBe(7);
  });

  it("checks options, naming every field at fault", async () => {
    try {
      createBigCommerceClient({ storeHash: "not a hash" } as never);
      expect.unreachable();
    } catch (error) {
      expect(isOmnistockError(error, "VALIDATION")).toBe(true);
      expect((error as Error).message).toMatch(/storeHash.*accessToken|accessToken.*storeHash/);
    }
    const client = clientWith([]);
    expect(() =>
      createBigCommercePublisher({ client, channelId: "", extra: true } as never),
    ).toThrow(/channelId[\s\S]*extra|extra[\s\S]*channelId/);
    await expect(client.adjustAbsolute([])).rejects.toMatchObject({ code: "VALIDATION" });
  });
});
