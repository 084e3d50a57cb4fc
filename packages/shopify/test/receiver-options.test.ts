import { isOmnistockError } from "@omnistock/core";
import { describe, expect, it } from "vitest";
import {
  createShopifyWebhookReceiver,
  type ShopifyReceiverWarning,
  shopifyWebhookHeaders,
} from "../src/index.js";

const order = JSON.stringify({
  id: 1001,
  created_at: "2026-11-22T09:00:00Z",
  updated_at: "2026-11-22T09:00:00Z",
  line_items: [{ id: 1, variant_id: 44, sku: "MUG-RED", quantity: 2 }],
});
const headers = (secret: string) =>
  new Headers(
    shopifyWebhookHeaders({ topic: "orders/create", body: order, secret, webhookId: "w-1" }),
  );

describe("Shopify webhook receiver: secrets", () => {
  it("refuses to be built without secrets unless allowUnsigned is true, naming secrets", () => {
    // What a JavaScript caller, whom the types do not stop, might pass.
    const refused: unknown[] = [
      { channelId: "shopify-eu" },
      { channelId: "shopify-eu", secrets: [] },
      { channelId: "shopify-eu", secrets: "" },
      { channelId: "shopify-eu", allowUnsigned: false },
    ];
    for (const options of refused) {
      let thrown: unknown;
      try {
        createShopifyWebhookReceiver(options as Parameters<typeof createShopifyWebhookReceiver>[0]);
      } catch (error) {
        thrown = error;
      }
      expect(isOmnistockError(thrown, "VALIDATION")).toBe(true);
      if (!isOmnistockError(thrown)) return;
      expect(thrown.issues.map((i) => i.path[0])).toContain("secrets");
    }
    expect(() =>
      createShopifyWebhookReceiver({ channelId: "shopify-eu", secrets: "s", allowUnsigned: true }),
    ).toThrow(/allowUnsigned/);
  });

  it("takes unsigned deliveries only with allowUnsigned: true, and warns once", async () => {
    const warnings: ShopifyReceiverWarning[] = [];
    const open = createShopifyWebhookReceiver({
      channelId: "shopify-eu",
      allowUnsigned: true,
      onWarning: (warning) => warnings.push(warning),
    });
    const unsigned = headers("any");
    unsigned.delete("x-shopify-hmac-sha256");
    expect((await open.receive({ body: order, headers: unsigned })).orders).toHaveLength(1);
    expect((await open.receive({ body: order, headers: headers("x") })).orders).toHaveLength(1);
    expect(warnings).toEqual([
      { code: "UNSIGNED_WEBHOOKS", message: expect.stringContaining("allowUnsigned") },
    ]);

    const strict = createShopifyWebhookReceiver({ channelId: "shopify-eu", secrets: "shpss_a" });
    const refused = await strict.tryReceive({ body: order, headers: unsigned });
    expect(!refused.ok && refused.error.code).toBe("SIGNATURE");
    expect(
      (await strict.receive({ body: order, headers: headers("shpss_a") })).orders,
    ).toHaveLength(1);
  });
});
