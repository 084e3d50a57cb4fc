import { isOmnistockError } from "@omnistock/core";
import { describe, expect, it } from "vitest";
import { type BigCommerceReceiverWarning, createBigCommerceWebhookReceiver } from "../src/index.js";
import { fakeStoreClient, NOW, signedDelivery, WEBHOOK_SECRET, webhookBody } from "./support.js";

const client = fakeStoreClient();
const clock = () => NOW;

describe("BigCommerce webhook receiver: secrets", () => {
  it("refuses to be built without secrets unless allowUnsigned is true, naming secrets", () => {
    // What a JavaScript caller, whom the types do not stop, might pass.
    const refused: unknown[] = [
      { client, channelId: "bigcommerce" },
      { client, channelId: "bigcommerce", secrets: [] },
      { client, channelId: "bigcommerce", allowUnsigned: false },
      // The option's former name: refused, so an upgrade cannot leave it unverified.
      { client, channelId: "bigcommerce", clientSecret: "s" },
    ];
    for (const options of refused) {
      let thrown: unknown;
      try {
        createBigCommerceWebhookReceiver(
          options as Parameters<typeof createBigCommerceWebhookReceiver>[0],
        );
      } catch (error) {
        thrown = error;
      }
      expect(isOmnistockError(thrown, "VALIDATION")).toBe(true);
      if (!isOmnistockError(thrown)) return;
      expect(thrown.issues.map((i) => i.path[0])).toContain("secrets");
      expect(thrown.message).toContain("secrets");
    }
    expect(() =>
      createBigCommerceWebhookReceiver({
        client,
        channelId: "bigcommerce",
        secrets: "s",
        allowUnsigned: true,
      }),
    ).toThrow(/allowUnsigned/);
  });

  it("verifies under secrets, one or several", async () => {
    const body = webhookBody("store/order/created", { type: "order", id: 120 });
    for (const secrets of [WEBHOOK_SECRET, ["whsec_b2xk", WEBHOOK_SECRET]]) {
      const receiver = createBigCommerceWebhookReceiver({
        client,
        channelId: "bigcommerce",
        secrets,
        clock,
      });
      expect((await receiver.receive(signedDelivery(body))).orders).toHaveLength(1);
      const forged = { body, headers: signedDelivery(body).headers };
      forged.headers.set("webhook-signature", "v1,AAAA");
      const refused = await receiver.tryReceive(forged);
      expect(!refused.ok && refused.error.code).toBe("SIGNATURE");
    }
  });

  it("takes unsigned deliveries only with allowUnsigned: true, and warns once", async () => {
    const warnings: BigCommerceReceiverWarning[] = [];
    const receiver = createBigCommerceWebhookReceiver({
      client,
      channelId: "bigcommerce",
      allowUnsigned: true,
      onWarning: (warning) => warnings.push(warning),
    });
    const body = webhookBody("store/order/created", { type: "order", id: 120 });
    const delivery = await receiver.receive({
      body,
      headers: new Headers({ "webhook-id": "msg_u" }),
    });
    expect(delivery).toMatchObject({ deliveryId: "msg_u", orders: [{ orderId: "120" }] });
    await receiver.receive(signedDelivery(body));
    expect(warnings).toEqual([
      { code: "UNSIGNED_WEBHOOKS", message: expect.stringContaining("allowUnsigned") },
    ]);
    const anonymous = await receiver.tryReceive({ body, headers: new Headers() });
    expect(!anonymous.ok && anonymous.error.issues.map((i) => i.path)).toContainEqual([
      "headers",
      "webhook-id",
    ]);
  });
});
