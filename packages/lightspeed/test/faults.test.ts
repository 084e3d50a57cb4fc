import { positionKey, replay } from "@omnistock/core";
import { createLightspeedServer, type Sandbox, startSandbox } from "@omnistock/sandbox";
import type { TransportEvent } from "@omnistock/transport";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  createLightspeedClient,
  createLightspeedSalesSink,
  createLightspeedStockSource,
  saleReference,
} from "../src/index.js";

// The store and the client share a clock that only waits move: a 429 that says "after
// five minutes" takes no time.
let now = Date.UTC(2026, 10, 23, 9, 0, 0);
let sandbox: Sandbox;
let main = "";
let mall = "";

beforeAll(async () => {
  sandbox = await startSandbox({ lightspeed: {}, clock: () => now });
  const { control } = sandbox.lightspeed!;
  main = control.addOutlet("Main Street").id;
  mall = control.addOutlet("Mall").id;
  control.addRegister(main);
  for (let i = 0; i < 30; i++) {
    control.addProduct({ sku: `SKU-${i}` });
    control.setInventory(`SKU-${i}`, main, 10 + i);
    control.setInventory(`SKU-${i}`, mall, i);
  }
});
afterEach(() => sandbox.lightspeed!.setFaults(undefined));
afterAll(() => sandbox.close());

interface Sent {
  /** The order it was sent in. */
  readonly sentAs: number;
  /** For an answer: the order it came back in, among the sends. */
  readonly answeredAs: number;
  readonly at: number;
  readonly method: string;
  readonly path: string;
  readonly status: number | "no answer";
  readonly retryAfter: string | null;
}

function setup(options: { timeoutMs?: number; hang?: (request: Request) => boolean } = {}) {
  const events: TransportEvent[] = [];
  const sent: Sent[] = [];
  const seen429: { observedAs: number; until: number }[] = [];
  let order = 0;
  const faulty: typeof fetch = async (input, init) => {
    const request = new Request(input, init);
    const entry = {
      sentAs: order++,
      at: now,
      method: request.method,
      path: new URL(request.url).pathname,
    };
    if (options.hang?.(request)) {
      // The store does the work; its answer is lost on the way back.
      await fetch(request);
      sent.push({ ...entry, answeredAs: order, status: "no answer", retryAfter: null });
      return new Promise<Response>((_resolve, reject) =>
        request.signal.addEventListener("abort", () => reject(request.signal.reason)),
      );
    }
    try {
      const response = await fetch(request);
      sent.push({
        ...entry,
        answeredAs: order,
        status: response.status,
        retryAfter: response.headers.get("retry-after"),
      });
      return response;
    } catch (error) {
      sent.push({ ...entry, answeredAs: order, status: "no answer", retryAfter: null });
      throw error;
    }
  };
  const client = createLightspeedClient({
    baseUrl: sandbox.lightspeed!.url,
    auth: { personalToken: sandbox.lightspeed!.credentials.personalToken },
    http: {
      fetch: faulty,
      clock: () => now,
      sleep: async (ms) => {
        now += ms;
      },
      timeoutMs: options.timeoutMs ?? 2_000,
      retry: { retries: 10, minDelayMs: 100 },
      onEvent: (event) => {
        events.push(event);
        if (event.type === "retry" && event.code === "RATE_LIMITED") {
          const refusal = sent.filter((s) => s.status === 429).at(-1);
          seen429.push({ observedAs: order, until: Date.parse(refusal?.retryAfter ?? "") });
        }
      },
    },
  });
  return { client, events, sent, seen429 };
}

/** Every level the store holds, as the ledger would after a snapshot. */
function truth() {
  const { control } = sandbox.lightspeed!;
  return Array.from({ length: 30 }, (_, i) => [
    control.inventory(`SKU-${i}`, main),
    control.inventory(`SKU-${i}`, mall),
  ]);
}

async function snapshotLevels(source: ReturnType<typeof createLightspeedStockSource>) {
  const positions = replay((await source.snapshot()).events);
  return Array.from({ length: 30 }, (_, i) => [
    positions.get(positionKey(`SKU-${i}`, main))?.onHand,
    positions.get(positionKey(`SKU-${i}`, mall))?.onHand,
  ]);
}

describe("Lightspeed adapter under injected faults", () => {
  it("rides out a 429 storm, sending nothing before each Retry-After date", async () => {
    const { client, events, sent, seen429 } = setup();
    sandbox.lightspeed!.setFaults({ api: { rateLimitRate: 0.5 } });
    const source = createLightspeedStockSource({ client });
    expect(await snapshotLevels(source)).toEqual(truth());
    const refused = sent.filter((s) => s.status === 429);
    expect(refused.length).toBeGreaterThan(0);
    for (const refusal of refused)
      expect(refusal.retryAfter).toMatch(
        /^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/,
      );
    // Once the client has seen a 429, nothing it sends goes before the date it names.
    expect(seen429.length).toBe(refused.length);
    for (const { observedAs, until } of seen429) {
      for (const request of sent.filter((s) => s.sentAs >= observedAs))
        expect(request.at).toBeGreaterThanOrEqual(until);
    }
    const waits = events.filter((e) => e.type === "retry" && e.code === "RATE_LIMITED");
    expect(waits.every((e) => e.type === "retry" && e.source === "server")).toBe(true);
  });

  it("retries reads through 5xx answers, and records a sale once however often its post fails", async () => {
    const { control } = sandbox.lightspeed!;
    const { client, events, sent } = setup();
    sandbox.lightspeed!.setFaults({ api: { serverErrorRate: 0.4 } });
    const source = createLightspeedStockSource({ client });
    expect(await snapshotLevels(source)).toEqual(truth());
    expect(events.some((e) => e.type === "retry" && e.code === "SERVER")).toBe(true);

    const sink = createLightspeedSalesSink({ client, userId: "omnistock", taxId: "no-tax" });
    const order = {
      orderId: "5xx-1",
      channelId: "shopify-eu",
      locationId: main,
      lines: [{ sku: "SKU-3", quantity: 2 }],
    };
    const before = control.inventory("SKU-3", main);
    let tries = 0;
    let failedPosts = 0;
    for (;;) {
      tries++;
      try {
        await sink.recordSale(order);
        break;
      } catch (error) {
        // A post is not sent again by the client: the runtime tries the whole sale later.
        expect(error).toMatchObject({ code: "SERVER", retryable: false });
        failedPosts++;
      }
    }
    sandbox.lightspeed!.setFaults(undefined);
    expect(await sink.recordSale(order)).toMatchObject({ created: false });
    const posts = sent.filter((s) => s.method === "POST" && s.path === "/api/register_sales");
    expect(posts.filter((p) => p.status === 503)).toHaveLength(failedPosts);
    expect(tries).toBe(failedPosts + 1);
    expect(
      control.sales().filter((s) => s.source_id === saleReference("shopify-eu", "5xx-1")),
    ).toHaveLength(1);
    expect(control.inventory("SKU-3", main)).toBe(before - 2);
  });

  it("reads through timeouts, and finds a sale whose answer was lost instead of posting it twice", async () => {
    const { control } = sandbox.lightspeed!;
    const reads = setup({ timeoutMs: 150 });
    sandbox.lightspeed!.setFaults({ api: { timeoutRate: 0.5 } });
    const source = createLightspeedStockSource({ client: reads.client });
    expect(await snapshotLevels(source)).toEqual(truth());
    expect(await snapshotLevels(source)).toEqual(truth());
    expect(reads.sent.filter((s) => s.status === "no answer").length).toBeGreaterThan(0);
    expect(reads.events.some((e) => e.type === "retry" && e.code === "TIMEOUT")).toBe(true);
    sandbox.lightspeed!.setFaults(undefined);

    let lost = 0;
    const { client, sent } = setup({
      timeoutMs: 150,
      hang: (request) => request.method === "POST" && lost++ === 0,
    });
    const sink = createLightspeedSalesSink({ client, userId: "omnistock", taxId: "no-tax" });
    const order = {
      orderId: "lost-1",
      channelId: "shopify-eu",
      locationId: main,
      lines: [{ sku: "SKU-4", quantity: 1 }],
    };
    const before = control.inventory("SKU-4", main);
    await expect(sink.recordSale(order)).rejects.toMatchObject({
      code: "TIMEOUT",
      retryable: false,
    });
    const again = await sink.recordSale(order);
    expect(again.created).toBe(false);
    expect(sent.filter((s) => s.method === "POST")).toHaveLength(1);
    expect(
      control.sales().filter((s) => s.source_id === saleReference("shopify-eu", "lost-1")),
    ).toHaveLength(1);
    expect(control.inventory("SKU-4", main)).toBe(before - 1);
  });
});

describe("Lightspeed rate limit", () => {
  it("sends nothing into the store's old window when the first request of a window was slow to arrive", async () => {
    // The store answers in this process, without a socket: 800 requests take no time.
    const store = createLightspeedServer({ clock: () => now });
    store.control.addRegister(store.control.addOutlet("Only").id);
    let requests = 0;
    const statuses: number[] = [];
    const client = createLightspeedClient({
      baseUrl: "http://lightspeed.test",
      auth: { personalToken: store.credentials.personalToken },
      http: {
        clock: () => now,
        sleep: async (ms) => {
          now += ms;
        },
        // The first request takes two seconds to reach the store; the rest none.
        fetch: async (input, init) => {
          if (requests++ === 0) now += 2_000;
          const response = await store.fetch(new Request(input, init));
          statuses.push(response.status);
          return response;
        },
      },
    });
    const started = now;
    for (let i = 0; i < 400; i++) await client.outlets();
    expect(statuses.filter((s) => s === 429)).toEqual([]);
    expect(statuses).toHaveLength(800);
    // Three windows were needed, and not much more.
    expect(now - started).toBeGreaterThanOrEqual(600_000);
    expect(now - started).toBeLessThan(620_000);
  }, 30_000);
});
