import { isOmnistockError, type WebhookResult } from "@omnistock/core";
import { type Sandbox, startSandbox } from "@omnistock/sandbox";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  AMAZON_MAX_QUANTITY,
  createAmazonClient,
  createAmazonNotificationReceiver,
  signAmazonNotification,
} from "../src/index.js";
import {
  inventorySummariesPageSchema,
  listingItemSchema,
  mfnQuantityChangeSchema,
  orderItemSchema,
} from "../src/schemas.js";
import {
  answering,
  mfnQuantityNotification,
  orderChangeNotification,
  sandboxClient,
} from "./support.js";

const SECRET = "forwarder-secret";

/** A body signed as the receiver under test verifies it. */
const signed = (body: string) => ({
  body,
  headers: new Headers({ "x-omnistock-signature": signAmazonNotification(SECRET, body) }),
});

/** The body of `payload` with the placeholder string `"@Q"` replaced by a raw JSON token. */
const withToken = (payload: unknown, token: string) =>
  JSON.stringify(payload).replace('"@Q"', token);

const errorOf = (result: WebhookResult) => {
  if (result.ok) throw new Error("expected the delivery to be refused");
  return result.error;
};

describe("Amazon notification receiver: secrets", () => {
  it("refuses to be built without secrets unless allowUnsigned is true, naming secrets", () => {
    // What a JavaScript caller, whom the types do not stop, might pass.
    const refused: unknown[] = [
      { channelId: "amazon-us" },
      { channelId: "amazon-us", secrets: [] },
      { channelId: "amazon-us", allowUnsigned: false },
    ];
    for (const options of refused) {
      let thrown: unknown;
      try {
        createAmazonNotificationReceiver(
          options as Parameters<typeof createAmazonNotificationReceiver>[0],
        );
      } catch (error) {
        thrown = error;
      }
      expect(isOmnistockError(thrown, "VALIDATION")).toBe(true);
      if (!isOmnistockError(thrown)) return;
      expect(thrown.issues.map((i) => i.path)).toContainEqual(["secrets"]);
      expect(thrown.message).toContain("secrets");
    }
    expect(() =>
      createAmazonNotificationReceiver({
        channelId: "amazon-us",
        secrets: [SECRET],
        allowUnsigned: true,
      }),
    ).toThrow(/allowUnsigned/);
  });

  it("takes unsigned notifications only with allowUnsigned: true, and warns once", async () => {
    const warnings: unknown[] = [];
    const receiver = createAmazonNotificationReceiver({
      channelId: "amazon-us",
      allowUnsigned: true,
      onWarning: (warning) => warnings.push(warning),
    });
    const body = JSON.stringify(orderChangeNotification("111-1", [item("MUG-RED-01", 1)]));
    expect((await receiver.receive({ body, headers: new Headers() })).orders).toHaveLength(1);
    expect((await receiver.receive({ body, headers: new Headers() })).orders).toHaveLength(1);
    expect(warnings).toEqual([
      { code: "UNSIGNED_WEBHOOKS", message: expect.stringContaining("allowUnsigned") },
    ]);

    const strict = createAmazonNotificationReceiver({ channelId: "amazon-us", secrets: SECRET });
    expect(errorOf(await strict.tryReceive({ body, headers: new Headers() })).code).toBe(
      "SIGNATURE",
    );
    expect((await strict.receive(signed(body))).orders).toHaveLength(1);
  });
});

function item(sku: string, quantity: unknown, shipped?: unknown): Record<string, unknown> {
  return {
    OrderItemId: `${sku}-1`,
    SellerSKU: sku,
    SupplySourceId: null,
    Quantity: quantity,
    ...(shipped === undefined ? {} : { QuantityShipped: shipped }),
  };
}

/**
 * Raw JSON tokens of a quantity, and whether Amazon's non-negative integer quantity within
 * `AMAZON_MAX_QUANTITY` takes them (Amazon documents integers, never strings).
 */
const QUANTITY_TOKENS: readonly (readonly [token: string, valid: boolean])[] = [
  ["0", true],
  ["7", true],
  [String(AMAZON_MAX_QUANTITY), true],
  ["1.5", false],
  ["-1", false],
  ["1e400", false], // Infinity once parsed
  ["true", false],
  ["null", false],
  ['""', false],
  ['"0x10"', false],
  ['"5"', false],
  [String(AMAZON_MAX_QUANTITY + 1), false],
  ["9007199254740993", false],
];

describe("Amazon quantities: whole, non-negative, at most AMAZON_MAX_QUANTITY", () => {
  const receiver = createAmazonNotificationReceiver({
    channelId: "amazon-us",
    secrets: [SECRET],
  });

  it.each(QUANTITY_TOKENS)("ORDER_CHANGE Quantity and QuantityShipped %s", async (token, valid) => {
    for (const [items, field] of [
      [[item("MUG-RED-01", "@Q")], "Quantity"],
      [[item("MUG-RED-01", 1, "@Q")], "QuantityShipped"],
    ] as const) {
      const result = await receiver.tryReceive(
        signed(withToken(orderChangeNotification("111-2", items), token)),
      );
      if (valid) {
        expect(result.ok).toBe(true);
        continue;
      }
      const error = errorOf(result);
      expect(error.code).toBe("VALIDATION");
      const path = ["Payload", "OrderChangeNotification", "Summary", "OrderItems", 0, field];
      expect(error.issues.map((i) => i.path)).toContainEqual(path);
      expect(error.message).toContain(`OrderItems[0].${field}`);
    }
  });

  it.each(QUANTITY_TOKENS)(
    "LISTINGS_ITEM_MFN_QUANTITY_CHANGE Quantity %s",
    async (token, valid) => {
      const result = await receiver.tryReceive(
        signed(withToken(mfnQuantityNotification("@Q"), token)),
      );
      if (valid) {
        expect(result.ok && result.delivery.levels[0]?.quantity).toBe(JSON.parse(token));
        return;
      }
      const error = errorOf(result);
      expect(error.code).toBe("VALIDATION");
      expect(error.issues.map((i) => i.path)).toContainEqual(["Payload", "Quantity"]);
      expect(result.ok).toBe(false);
    },
  );

  it.each(QUANTITY_TOKENS)(
    "getOrderItems QuantityOrdered and QuantityShipped %s",
    async (token, valid) => {
      for (const field of ["QuantityOrdered", "QuantityShipped"]) {
        const line: Record<string, unknown> = {
          ASIN: "B000000001",
          OrderItemId: "1",
          SellerSKU: "MUG-RED-01",
          QuantityOrdered: 1,
          [field]: "@Q",
        };
        const answer = JSON.parse(
          withToken({ payload: { AmazonOrderId: "111-3", OrderItems: [line] } }, token),
        );
        const client = stubClient(answer);
        const fetching = createAmazonNotificationReceiver({
          channelId: "amazon-us",
          secrets: [SECRET],
          client,
        });
        const result = await fetching.tryReceive(
          signed(JSON.stringify(orderChangeNotification("111-3", []))),
        );
        if (valid) {
          expect(result.ok).toBe(true);
          continue;
        }
        const error = errorOf(result);
        expect(error.code).toBe("VALIDATION");
        expect(error.issues.map((i) => i.path)).toContainEqual(["payload", "OrderItems", 0, field]);
      }
    },
  );

  it.each(QUANTITY_TOKENS)(
    "getListingsItem and FBA summary quantities %s",
    async (token, valid) => {
      const listing = JSON.parse(
        withToken(
          {
            sku: "MUG-RED-01",
            fulfillmentAvailability: [{ fulfillmentChannelCode: "DEFAULT", quantity: "@Q" }],
          },
          token,
        ),
      );
      const read = stubClient(listing).getListingsItem({
        sellerId: "A2SANDBOXSELLER",
        sku: "MUG-RED-01",
        marketplaceIds: ["ATVPDKIKX0DER"],
      });
      const summaries = JSON.parse(
        withToken(
          {
            payload: {
              inventorySummaries: [
                {
                  sellerSku: "MUG-FBA-01",
                  totalQuantity: 1,
                  inventoryDetails: { fulfillableQuantity: "@Q" },
                },
              ],
            },
          },
          token,
        ),
      );
      const fba = stubClient(summaries).getInventorySummaries({ marketplaceId: "ATVPDKIKX0DER" });
      if (valid) {
        await expect(read).resolves.toBeDefined();
        await expect(fba).resolves.toHaveLength(1);
        return;
      }
      await expect(read).rejects.toSatisfy(
        (e) =>
          isOmnistockError(e, "VALIDATION") &&
          e.issues.some((i) => i.path.join(".") === "fulfillmentAvailability.0.quantity"),
      );
      await expect(fba).rejects.toSatisfy(
        (e) =>
          isOmnistockError(e, "VALIDATION") &&
          e.issues.some(
            (i) =>
              i.path.join(".") ===
              "payload.inventorySummaries.0.inventoryDetails.fulfillableQuantity",
          ),
      );
    },
  );

  it("refuses NaN and ±Infinity in every quantity schema", () => {
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
      expect(
        orderItemSchema.safeParse({ ASIN: "B", OrderItemId: "1", QuantityOrdered: bad }).success,
      ).toBe(false);
      expect(
        mfnQuantityChangeSchema.safeParse({
          SellerId: "S",
          FulfillmentChannelCode: "DEFAULT",
          Sku: "A",
          Quantity: bad,
        }).success,
      ).toBe(false);
      expect(
        listingItemSchema.safeParse({
          sku: "A",
          fulfillmentAvailability: [{ fulfillmentChannelCode: "DEFAULT", quantity: bad }],
        }).success,
      ).toBe(false);
      expect(
        inventorySummariesPageSchema.safeParse({
          payload: { inventorySummaries: [{ sellerSku: "A", totalQuantity: bad }] },
        }).success,
      ).toBe(false);
    }
  });
});

/** A client whose every SP-API answer is `body`. */
function stubClient(body: unknown, status = 200) {
  return createAmazonClient({
    baseUrl: "http://127.0.0.1:1",
    tokenUrl: "http://127.0.0.1:1/auth/o2/token",
    credentials: { clientId: "id", clientSecret: "secret", refreshToken: "Atzr|r" },
    http: { fetch: answering(body, status), retry: { retries: 0 } },
  });
}

describe("Amazon notification receiver: a failed read of the order's lines", () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({ amazon: {} });
  });
  afterAll(() => sandbox.close());

  it("answers a getOrderItems 404 with a retryable error that carries none of Amazon's text", async () => {
    const receiver = createAmazonNotificationReceiver({
      channelId: "amazon-us",
      secrets: [SECRET],
      client: sandboxClient(sandbox),
    });
    // Amazon announced an order its Orders API does not show yet.
    const body = JSON.stringify(orderChangeNotification("902-0000000-0000000", [], "n-404"));
    const error = errorOf(await receiver.tryReceive(signed(body)));
    expect(error).toMatchObject({ code: "NOT_FOUND", retryable: true, platform: "amazon" });
    expect(error.message).toContain("902-0000000-0000000");
    expect(error.message).not.toMatch(/The order was not found|NotFound|errors/);
    expect(error.details).toMatchObject({
      notificationId: "n-404",
      orderId: "902-0000000-0000000",
      operation: "getOrderItems",
      status: 404,
    });
    expect(isOmnistockError(error.cause)).toBe(true);
  });

  it("keeps a 5xx retryable and a 400 final, neither with Amazon's text in the message", async () => {
    const amazonSays = { errors: [{ code: "InternalFailure", message: "Amazon exploded here" }] };
    const body = JSON.stringify(orderChangeNotification("111-5", []));
    for (const [status, retryable] of [
      [500, true],
      [503, true],
      [400, false],
    ] as const) {
      const receiver = createAmazonNotificationReceiver({
        channelId: "amazon-us",
        secrets: [SECRET],
        client: stubClient(amazonSays, status),
      });
      const error = errorOf(await receiver.tryReceive(signed(body)));
      expect(error.retryable).toBe(retryable);
      expect(error.details).toMatchObject({ status, operation: "getOrderItems" });
      expect(error.message).not.toMatch(/exploded|InternalFailure/);
    }
  });
});
