import type { ChannelOrder, WebhookReceiver } from "@omnistock/core";
import { describe, expect, it } from "vitest";
import { createSyncEngine } from "../src/index.js";
import { catalog, fakeChannel, fakeSource, fullSnapshot } from "./engine-fakes.js";

// Platforms of an integrator's own adapters: none of the four Omnistock ships.
const pos = "square";
const marketplace = "etsy";

const placed: ChannelOrder = {
  eventId: "market:e-1:placed",
  channelId: "market",
  orderId: "e-1",
  at: 100,
  status: "placed",
  lines: [{ listingId: "MUG", quantity: 1 }],
};

/** The marketplace's webhooks: every delivery is the one order above. */
const receiver: WebhookReceiver = {
  platform: marketplace,
  receive: async () => {
    throw new Error("the engine calls tryReceive");
  },
  tryReceive: async () => ({
    ok: true,
    delivery: {
      platform: marketplace,
      topic: "receipt.created",
      deliveryId: "d-1",
      events: [],
      orders: [placed],
      levels: [],
    },
  }),
};

describe("adapters of platforms Omnistock does not ship", () => {
  it("an adapter with a platform name of its own goes through the engine: its stock is read, its channel published to, its webhooks applied", async () => {
    const { source } = fakeSource(() => ({ events: fullSnapshot(10), cursor: "1" }));
    const market = fakeChannel("market");
    const engine = createSyncEngine({
      tenants: [
        {
          id: "acme",
          catalog,
          stockSource: { ...source, platform: pos },
          channels: [{ ...market.publisher, platform: marketplace }],
          receivers: { etsy: receiver },
        },
      ],
      polling: { stockEveryMs: 0, ordersEveryMs: 0 },
      dispatch: { idleMs: 5 },
    });
    await engine.start();
    await engine.idle();
    expect(market.shows.get("MUG")).toBe(10);

    const answer = await engine.handleWebhook(
      new Request("http://127.0.0.1/webhooks/acme/etsy", { method: "POST", body: "{}" }),
    );
    expect(answer.status).toBe(200);
    await engine.idle();
    expect(market.shows.get("MUG")).toBe(9);
    await engine.stop();
  });
});
