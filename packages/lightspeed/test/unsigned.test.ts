import { isOmnistockError } from "@omnistock/core";
import { describe, expect, it } from "vitest";
import {
  createLightspeedWebhookReceiver,
  type LightspeedWarning,
  parseLightspeedWebhook,
} from "../src/index.js";
import { inProcessStore, signedWebhook } from "./support/store.js";

const skuOf = (id: string) => (id === "p-mug" ? "MUG-RED" : undefined);
const unsigned = () => ({
  body: new URLSearchParams({
    type: "inventory.update",
    payload: JSON.stringify({ product_id: "p-mug", outlet_id: "o1", count: 3, version: 1 }),
  }).toString(),
  headers: new Headers(),
});

function refused(create: () => unknown): Error {
  try {
    create();
  } catch (error) {
    if (isOmnistockError(error, "VALIDATION")) return error;
    throw error;
  }
  throw new Error("accepted");
}

describe("Lightspeed webhooks fail closed", () => {
  it("refuses to build a receiver without secrets unless allowUnsigned is true, naming secrets", () => {
    const { client } = inProcessStore();
    for (const options of [
      { skuOf },
      { client },
      { skuOf, secrets: [] },
      { skuOf, secrets: [""] },
      { skuOf, allowUnsigned: false },
      { skuOf, secrets: ["s"], allowUnsigned: true },
    ]) {
      expect(refused(() => createLightspeedWebhookReceiver(options as never)).message).toContain(
        "secrets",
      );
    }
  });

  it("takes unsigned deliveries only with allowUnsigned: true, and warns once through onWarning", async () => {
    const warnings: LightspeedWarning[] = [];
    const receiver = createLightspeedWebhookReceiver({
      skuOf,
      allowUnsigned: true,
      onWarning: (warning) => warnings.push(warning),
    });
    expect((await receiver.receive(unsigned())).events).toMatchObject([{ onHand: 3 }]);
    expect((await receiver.receive(unsigned())).events).toMatchObject([{ onHand: 3 }]);
    expect(warnings).toEqual([
      { code: "UNSIGNED_WEBHOOKS", message: expect.stringContaining("allowUnsigned") },
    ]);
  });

  it("rejects an unsigned delivery to a receiver with secrets as a bad signature", async () => {
    const receiver = createLightspeedWebhookReceiver({ skuOf, secrets: ["app-secret"] });
    const result = await receiver.tryReceive(unsigned());
    expect(!result.ok && result.error.code).toBe("SIGNATURE");
    const signed = signedWebhook("app-secret", "inventory.update", {
      product_id: "p-mug",
      outlet_id: "o1",
      count: 2,
    });
    expect((await receiver.receive(signed)).events).toMatchObject([{ onHand: 2 }]);
  });

  it("refuses to parse a webhook without secrets unless allowUnsigned is true, naming secrets", () => {
    const { body } = unsigned();
    for (const secrets of [undefined, []]) {
      const error = refused(() =>
        parseLightspeedWebhook({
          body,
          signature: undefined,
          skuOf,
          ...(secrets === undefined ? {} : { secrets }),
        } as never),
      );
      expect(error.message).toContain("secrets");
    }
    expect(
      parseLightspeedWebhook({ body, signature: undefined, skuOf, allowUnsigned: true }).events,
    ).toMatchObject([{ onHand: 3 }]);
  });
});
