import type { ChannelPublisher } from "@omnistock/core";
import { startSandbox } from "@omnistock/sandbox";
import {
  createShopifyClient,
  createShopifyMapping,
  createShopifyPublisher,
} from "@omnistock/shopify";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createMemoryStore, createSyncEngine, type SyncEvent } from "../src/index.js";

let sandbox: Awaited<ReturnType<typeof startSandbox>>;
beforeAll(async () => {
  sandbox = await startSandbox({ shopify: [{}] });
});
afterAll(() => sandbox.close());

/**
 * A Shopify publisher on the sandbox whose `inventorySetQuantities` requests are answered
 * `status` (503 unless told) without reaching the shop, each one counted.
 */
async function failingShop(status = 503, headers: Record<string, string> = {}) {
  const shop = sandbox.shopify[0]!;
  const location = shop.control.addLocation(`Online ${Math.random()}`).id;
  const sku = `MUG-${Math.random().toString(36).slice(2)}`;
  const variant = shop.control.addVariant({ sku });
  shop.control.stock(variant.inventoryItemId, location, 0);
  const writes = { attempts: 0 };
  const fetch: typeof globalThis.fetch = async (input, init) => {
    const request = new Request(input, init);
    if ((await request.clone().text()).includes("inventorySetQuantities")) {
      writes.attempts++;
      return Response.json({ errors: "Service unavailable" }, { status, headers });
    }
    return globalThis.fetch(request);
  };
  const client = createShopifyClient({
    shop: shop.credentials.shop,
    accessToken: shop.credentials.accessToken,
    baseUrl: shop.url,
    http: { fetch, retry: { minDelayMs: 1, maxDelayMs: 2 } },
  });
  const publisher = createShopifyPublisher({
    client,
    channelId: "shopify",
    mapping: createShopifyMapping({ client, defaultLocation: location }),
  });
  return { publisher, writes, sku };
}

/** An engine with one Shopify channel showing `sku` from one location, retries quick. */
function engineFor(publisher: ChannelPublisher, sku: string) {
  const events: SyncEvent[] = [];
  const engine = createSyncEngine({
    store: createMemoryStore(),
    tenants: [
      {
        id: "acme",
        catalog: {
          locations: [{ id: "main" }],
          channels: [{ id: "shopify", feed: { mode: "single", locationId: "main" } }],
          listings: [{ channelId: "shopify", listingId: sku, sku }],
        },
        channels: [publisher],
      },
    ],
    onEvent: (event) => events.push(event),
    dispatch: { minBackoffMs: 1, maxBackoffMs: 2, idleMs: 5, maxAttempts: 3 },
    polling: { stockEveryMs: 0, ordersEveryMs: 0 },
  });
  return { engine, events };
}

describe("one retry owner", () => {
  it("makes one HTTP attempt per outbox try for a dispatched publish that meets a 503", async () => {
    const { publisher: shopify, writes, sku } = await failingShop();
    const tries = { count: 0 };
    const publisher: ChannelPublisher = {
      ...shopify,
      publish: (updates, call) => {
        tries.count++;
        return shopify.publish(updates, call);
      },
    };
    const { engine, events } = engineFor(publisher, sku);
    await engine.start();
    await engine.applyEvents("acme", [
      {
        type: "stock.counted",
        id: `count:${sku}:1`,
        at: 1,
        locationId: "main",
        sku,
        onHand: 7,
        version: 1,
      },
    ]);
    await engine.idle();
    await engine.stop();
    const parked = await engine.store.parked("acme");
    expect(parked).toHaveLength(1);
    expect(parked[0]?.reason).toMatch(/^SERVER/);
    expect(events.some((event) => event.type === "parked")).toBe(true);
    // One request per outbox try, not the transport's five inside each.
    expect(tries.count).toBeGreaterThanOrEqual(3);
    expect(writes.attempts).toBe(tries.count);
  });

  it("still retries in the transport when an adapter is called directly", async () => {
    const { publisher, writes, sku } = await failingShop();
    const failure = await publisher
      .publish([{ listingId: sku, quantity: 5, previous: undefined, urgent: false }])
      .catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: "SERVER", status: 503 });
    // The first attempt and the transport's four retries.
    expect(writes.attempts).toBe(5);
  });

  it("hands a dispatched write's rate limit to the outbox after one attempt, with the platform's wait", async () => {
    const { publisher, writes, sku } = await failingShop(429, { "retry-after": "30" });
    const { engine, events } = engineFor(publisher, sku);
    await engine.start();
    await engine.applyEvents("acme", [
      {
        type: "stock.counted",
        id: `count:${sku}:1`,
        at: 1,
        locationId: "main",
        sku,
        onHand: 7,
        version: 1,
      },
    ]);
    await vi.waitFor(() => {
      expect(events.some((event) => event.type === "throttled")).toBe(true);
    });
    await engine.stop();
    expect(events.find((event) => event.type === "throttled")).toMatchObject({
      retryAfterMs: 30_000,
    });
    expect(writes.attempts).toBe(1);
    expect(await engine.store.parked("acme")).toEqual([]);
  });
});
