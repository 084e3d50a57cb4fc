import {
  type CatalogConfig,
  createWebhookReceiver,
  OmnistockError,
  type StockEvent,
  validationError,
  type WebhookReceiver,
  type WebhookRequest,
} from "@omnistock/core";
import { describe, expect, it } from "vitest";
import {
  createMemoryStore,
  createSyncEngine,
  type SyncEngineOptions,
  type SyncEvent,
  type SyncStore,
} from "../src/index.js";

const catalog: CatalogConfig = {
  locations: [{ id: "main" }],
  channels: [{ id: "web", feed: { mode: "single", locationId: "main" } }],
  listings: [{ channelId: "web", listingId: "MUG", sku: "MUG" }],
};

const counted = (onHand: number): StockEvent => ({
  type: "stock.counted",
  id: `count:${onHand}`,
  at: 1,
  locationId: "main",
  sku: "MUG",
  onHand,
});

/** A receiver that takes the body as one counted level, and remembers the bodies it saw. */
function countingReceiver(extra: Partial<WebhookReceiver> = {}) {
  const bodies: string[] = [];
  const receiver: WebhookReceiver = {
    ...createWebhookReceiver("lightspeed", ({ body }: WebhookRequest) => {
      bodies.push(body);
      return {
        platform: "lightspeed",
        topic: "test",
        deliveryId: `d-${bodies.length}`,
        events: [counted(bodies.length)],
        orders: [],
        levels: [],
      };
    }),
    ...extra,
  };
  return { receiver, bodies };
}

function engineWith(
  receivers: Record<string, WebhookReceiver>,
  options: Partial<SyncEngineOptions> = {},
) {
  const events: SyncEvent[] = [];
  const engine = createSyncEngine({
    tenants: [{ id: "acme", catalog, receivers }],
    onEvent: (e) => events.push(e),
    polling: { stockEveryMs: 0, ordersEveryMs: 0 },
    ...options,
  });
  return { engine, events };
}

const post = (path: string, init: RequestInit = {}) =>
  new Request(`http://127.0.0.1${path}`, { method: "POST", body: "{}", ...init });

/** A body of `size` bytes handed out in 16 KiB chunks, counting what was read. */
function countingBody(size: number) {
  const chunk = new Uint8Array(16 * 1024).fill(97);
  const seen = { pulled: 0, cancelled: false };
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (seen.pulled >= size) return controller.close();
      seen.pulled += chunk.byteLength;
      controller.enqueue(chunk);
    },
    cancel() {
      seen.cancelled = true;
    },
  });
  return { stream, seen };
}

describe("webhook routes", () => {
  it.each(["constructor", "__proto__", "toString", "hasOwnProperty", "valueOf"])(
    "answers 404 to a receiver named %s, an Object.prototype member and no route",
    async (name) => {
      const { receiver } = countingReceiver();
      const { engine } = engineWith({ pos: receiver });
      const response = await engine.handleWebhook(post(`/webhooks/acme/${name}`));
      expect(response.status).toBe(404);
      expect(await response.json()).toEqual({ error: "unknown webhook route" });
    },
  );

  it.each(["/webhooks/acme/%E0%A4%A", "/webhooks/acme/%ZZ", "/webhooks/%ZZ/pos"])(
    "answers 404 to a route with a malformed escape (%s)",
    async (path) => {
      const { receiver } = countingReceiver();
      const { engine } = engineWith({ pos: receiver });
      expect((await engine.handleWebhook(post(path))).status).toBe(404);
    },
  );
});

describe("webhook body limit", () => {
  it("answers 413 to a Content-Length over the limit without reading the body", async () => {
    const { receiver, bodies } = countingReceiver();
    const { engine } = engineWith({ pos: receiver }, { webhooks: { maxBodyBytes: 1024 } });
    const { stream, seen } = countingBody(64 * 1024 * 1024);
    const response = await engine.handleWebhook(
      post("/webhooks/acme/pos", {
        body: stream,
        headers: { "content-length": String(64 * 1024 * 1024) },
        duplex: "half",
      } as RequestInit),
    );
    expect(response.status).toBe(413);
    expect(bodies).toEqual([]);
    // At most what the stream queues up front, never the 64 MiB.
    expect(seen.pulled).toBeLessThanOrEqual(16 * 1024);
    expect(seen.cancelled).toBe(true);
  });

  it("answers 413 to a streamed body with no Content-Length once it passes the limit, and cancels the stream", async () => {
    const { receiver, bodies } = countingReceiver();
    const limit = 100 * 1024;
    const { engine } = engineWith({ pos: receiver }, { webhooks: { maxBodyBytes: limit } });
    const { stream, seen } = countingBody(64 * 1024 * 1024);
    const response = await engine.handleWebhook(
      post("/webhooks/acme/pos", { body: stream, duplex: "half" } as RequestInit),
    );
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ error: "PAYLOAD_TOO_LARGE" });
    expect(bodies).toEqual([]);
    expect(seen.cancelled).toBe(true);
    expect(seen.pulled).toBeLessThanOrEqual(limit + 2 * 16 * 1024);
  });

  it("takes a receiver's own maxBodyBytes over the engine's limit", async () => {
    const small = countingReceiver({ maxBodyBytes: 10 });
    const large = countingReceiver();
    const { engine } = engineWith(
      { small: small.receiver, large: large.receiver },
      { webhooks: { maxBodyBytes: 1000 } },
    );
    const body = "x".repeat(11);
    expect((await engine.handleWebhook(post("/webhooks/acme/small", { body }))).status).toBe(413);
    expect((await engine.handleWebhook(post("/webhooks/acme/large", { body }))).status).toBe(200);
    expect(small.bodies).toEqual([]);
    expect(large.bodies).toEqual([body]);
  });

  it("hands a body within the limit to the receiver unchanged, a character split across chunks included", async () => {
    const { receiver, bodies } = countingReceiver();
    const { engine } = engineWith({ pos: receiver }, { webhooks: { maxBodyBytes: 64 } });
    const bytes = new TextEncoder().encode('{"name":"Tasse à thé ☕"}');
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        // Split inside the three bytes of ☕.
        const at = bytes.length - 4;
        controller.enqueue(bytes.slice(0, at));
        controller.enqueue(bytes.slice(at));
        controller.close();
      },
    });
    const response = await engine.handleWebhook(
      post("/webhooks/acme/pos", { body: stream, duplex: "half" } as RequestInit),
    );
    expect(response.status).toBe(200);
    expect(bodies).toEqual(['{"name":"Tasse à thé ☕"}']);
  });

  it("answers 400 to a body whose stream fails while it is read", async () => {
    const { receiver, bodies } = countingReceiver();
    const { engine } = engineWith({ pos: receiver });
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new Uint8Array([123]));
        controller.error(new Error("client went away"));
      },
    });
    const response = await engine.handleWebhook(
      post("/webhooks/acme/pos", { body: stream, duplex: "half" } as RequestInit),
    );
    expect(response.status).toBe(400);
    expect(bodies).toEqual([]);
  });

  it("refuses a body limit that is not a positive integer, naming the option", () => {
    const { receiver } = countingReceiver({ maxBodyBytes: -1 });
    try {
      engineWith({ pos: receiver }, { webhooks: { maxBodyBytes: 1.5 } });
      expect.unreachable();
    } catch (error) {
      expect((error as OmnistockError).code).toBe("VALIDATION");
      const paths = (error as OmnistockError).issues.map((i) => i.path.join("."));
      expect(paths).toEqual(
        expect.arrayContaining(["webhooks.maxBodyBytes", "tenants.0.receivers.pos.maxBodyBytes"]),
      );
    }
  });
});

/** A receiver whose `tryReceive` refuses with `error`. */
const refusing = (error: OmnistockError): WebhookReceiver => ({
  platform: "amazon",
  receive: () => Promise.reject(error),
  tryReceive: async () => ({ ok: false, error }),
});

const PLATFORM_TEXT =
  "<Error><Code>NotFound</Code><Message>arn:aws:internal/order 123-4567</Message></Error>";

describe("webhook answers", () => {
  it("answers a platform API error met while handling a delivery with 500 and its code only, no platform text", async () => {
    const error = new OmnistockError("NOT_FOUND", `Amazon answered 404: ${PLATFORM_TEXT}`, {
      platform: "amazon",
      status: 404,
    });
    const { engine, events } = engineWith({ amazon: refusing(error) });
    const response = await engine.handleWebhook(post("/webhooks/acme/amazon"));
    expect(response.status).toBe(500);
    const text = await response.text();
    expect(JSON.parse(text).error).toBe("NOT_FOUND");
    expect(text).not.toContain("arn:aws");
    expect(text).not.toContain("404");
    // The integrator still sees all of it.
    expect(events).toContainEqual(expect.objectContaining({ type: "error", error }));
  });

  it("answers a retryable platform failure with 503 and no platform text", async () => {
    const error = new OmnistockError("SERVER", `Lightspeed answered 502: ${PLATFORM_TEXT}`, {
      platform: "lightspeed",
      status: 502,
      retryable: true,
    });
    const { engine } = engineWith({ pos: refusing(error) });
    const response = await engine.handleWebhook(post("/webhooks/acme/pos"));
    expect(response.status).toBe(503);
    const text = await response.text();
    expect(JSON.parse(text).error).toBe("SERVER");
    expect(text).not.toContain("arn:aws");
  });

  it("treats a validation error of a platform's answer (with its status) as the server's problem", async () => {
    const error = validationError("Amazon getOrderItems answer", [
      { path: ["payload", "OrderItems"], message: PLATFORM_TEXT },
    ]);
    const fromApi = new OmnistockError("VALIDATION", error.message, {
      platform: "amazon",
      status: 200,
      issues: error.issues,
    });
    const { engine } = engineWith({ amazon: refusing(fromApi) });
    const response = await engine.handleWebhook(post("/webhooks/acme/amazon"));
    expect(response.status).toBe(500);
    expect(await response.text()).not.toContain("arn:aws");
  });

  it("answers a malformed delivery with 400 naming the field at fault", async () => {
    const error = validationError("Shopify webhook", [
      { path: ["line_items", 0, "quantity"], message: "expected a number" },
    ]);
    const { engine } = engineWith({ shop: refusing(error) });
    const response = await engine.handleWebhook(post("/webhooks/acme/shop"));
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      error: "VALIDATION",
      message: expect.stringContaining("line_items[0].quantity"),
    });
  });

  it("answers a delivery broken in thousands of places with a bounded message", async () => {
    const error = validationError(
      "Shopify webhook",
      Array.from({ length: 10_000 }, (_, i) => ({
        path: ["line_items", i, "quantity"],
        message: "expected a number",
      })),
    );
    const { engine } = engineWith({ shop: refusing(error) });
    const response = await engine.handleWebhook(post("/webhooks/acme/shop"));
    expect(response.status).toBe(400);
    const { message } = (await response.json()) as { message: string };
    expect(message).toContain("line_items[0].quantity");
    expect(message.length).toBeLessThanOrEqual(1_001);
  });

  it("answers a bad signature with 401 and a generic message", async () => {
    const error = new OmnistockError("SIGNATURE", "HMAC under secret #2 of 3 does not match", {
      platform: "shopify",
    });
    const { engine } = engineWith({ shop: refusing(error) });
    const response = await engine.handleWebhook(post("/webhooks/acme/shop"));
    expect(response.status).toBe(401);
    const body = (await response.json()) as { error: string; message: string };
    expect(body.error).toBe("SIGNATURE");
    expect(body.message).not.toContain("secret");
  });

  it("answers 500 with no internal text when a receiver throws", async () => {
    const throwing: WebhookReceiver = {
      platform: "shopify",
      receive: () => Promise.reject(new TypeError("cannot read /srv/omnistock/keys")),
      tryReceive: () => Promise.reject(new TypeError("cannot read /srv/omnistock/keys")),
    };
    const retrying: WebhookReceiver = {
      ...throwing,
      tryReceive: () =>
        Promise.reject(new OmnistockError("TIMEOUT", "GET /srv timed out", { retryable: true })),
    };
    const { engine } = engineWith({ bug: throwing, slow: retrying });
    const bug = await engine.handleWebhook(post("/webhooks/acme/bug"));
    expect(bug.status).toBe(500);
    expect(await bug.text()).not.toContain("/srv");
    const slow = await engine.handleWebhook(post("/webhooks/acme/slow"));
    expect(slow.status).toBe(503);
    expect(await slow.text()).not.toContain("/srv");
  });

  it("answers a store failure with 500 and no store text", async () => {
    const memory = createMemoryStore();
    const store: SyncStore = {
      ...memory,
      apply: () =>
        Promise.reject(new OmnistockError("STORAGE", "SQLITE_FULL at /var/lib/omnistock.db")),
    };
    const { receiver } = countingReceiver();
    const { engine } = engineWith({ pos: receiver }, { store });
    const response = await engine.handleWebhook(post("/webhooks/acme/pos"));
    expect(response.status).toBe(500);
    const text = await response.text();
    expect(JSON.parse(text).error).toBe("STORAGE");
    expect(text).not.toContain("/var/lib");
  });

  it("answers a store failure that may pass (busy) with 503, the platform retrying", async () => {
    const memory = createMemoryStore();
    const store: SyncStore = {
      ...memory,
      apply: () =>
        Promise.reject(
          new OmnistockError("STORAGE", "SQLITE_BUSY at /var/lib/omnistock.db", {
            retryable: true,
          }),
        ),
    };
    const { receiver } = countingReceiver();
    const { engine } = engineWith({ pos: receiver }, { store });
    const response = await engine.handleWebhook(post("/webhooks/acme/pos"));
    expect(response.status).toBe(503);
    expect(await response.text()).not.toContain("/var/lib");
  });
});
