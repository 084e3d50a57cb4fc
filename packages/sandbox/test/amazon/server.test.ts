import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAmazonServer, type ServedHandler, serve } from "../../src/index.js";

let now = Date.UTC(2026, 10, 22, 9, 0, 0);
const amazon = createAmazonServer({
  clock: () => now,
  acceptedDelayMs: 5_000,
  feedTiming: { queuedMs: 1_000, processingMs: 2_000 },
});
const { control, credentials } = amazon;
control.addListing({ sku: "MUG-RED", quantity: 4 });
control.addListing({ sku: "TEA-EARL", quantity: 9 });
control.addListing({ sku: "FBA-MUG", quantity: 30, fba: true });
let served: ServedHandler;
let accessToken = "";

// biome-ignore lint/suspicious/noExplicitAny: answers are read loosely here; the contract test checks their shape.
type Loose = any;
const call = async (path: string, init: RequestInit = {}) => {
  const response = await fetch(`${served.url}${path}`, {
    ...init,
    headers: {
      "x-amz-access-token": accessToken,
      "content-type": "application/json",
      ...init.headers,
    },
  });
  return {
    status: response.status,
    headers: response.headers,
    body: (await response.json()) as Loose,
  };
};
const listing = `/listings/2021-08-01/items/${credentials.sellerId}`;
const patch = (sku: string, op: string, quantity: number, code = "DEFAULT") =>
  call(`${listing}/${sku}?marketplaceIds=${credentials.marketplaceId}`, {
    method: "PATCH",
    body: JSON.stringify({
      productType: "PRODUCT",
      patches: [
        {
          op,
          path: "/attributes/fulfillment_availability",
          value: [{ fulfillment_channel_code: code, quantity }],
        },
      ],
    }),
  });

beforeAll(async () => {
  served = await serve((request) => amazon.fetch(request));
  const grant = await fetch(`${served.url}/auth/o2/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded;charset=UTF-8" },
    body: new URLSearchParams({
      grant_type: "refresh_token",
      refresh_token: credentials.refreshToken,
      client_id: credentials.clientId,
      client_secret: credentials.clientSecret,
    }),
  });
  accessToken = ((await grant.json()) as { access_token: string }).access_token;
});
afterAll(() => served.close());

describe("Amazon fake", () => {
  it("grants LWA tokens and refuses requests without a valid x-amz-access-token", async () => {
    expect(accessToken).toMatch(/^Atza\|/);
    const refused = await fetch(
      `${served.url}${listing}/MUG-RED?marketplaceIds=${credentials.marketplaceId}`,
    );
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as Loose).errors[0].code).toBe("Unauthorized");
  });

  it("accepts a merge of the merchant quantity and applies it only after the delay", async () => {
    const accepted = await patch("MUG-RED", "merge", 2);
    expect(accepted.body).toMatchObject({ sku: "MUG-RED", status: "ACCEPTED", issues: [] });
    expect(accepted.headers.get("x-amzn-ratelimit-limit")).toBe("5");
    expect(control.quantity("MUG-RED")).toBe(4);
    now += 5_000;
    const read = await call(
      `${listing}/MUG-RED?marketplaceIds=${credentials.marketplaceId}&includedData=summaries,attributes,fulfillmentAvailability`,
    );
    expect(read.body.fulfillmentAvailability).toEqual([
      { fulfillmentChannelCode: "DEFAULT", quantity: 2 },
    ]);
  });

  it("refuses to set the quantity of an Amazon-fulfilled listing (INVALID with an issue)", async () => {
    const invalid = await patch("FBA-MUG", "replace", 5, "AMAZON_NA");
    expect(invalid.status).toBe(200);
    expect(invalid.body.status).toBe("INVALID");
    expect(invalid.body.issues[0]).toMatchObject({
      severity: "ERROR",
      attributeNames: ["fulfillment_availability"],
    });
    control.settle();
    expect(control.quantity("FBA-MUG")).toBe(30);
  });

  it("runs a JSON_LISTINGS_FEED: document, upload, feed, status over time, processing report with per-SKU errors", async () => {
    const document = await call("/feeds/2021-06-30/documents", {
      method: "POST",
      body: JSON.stringify({ contentType: "application/json; charset=UTF-8" }),
    });
    expect(document.status).toBe(201);
    const feedBody = {
      header: { sellerId: credentials.sellerId, version: "2.0" },
      messages: [
        {
          messageId: 1,
          sku: "TEA-EARL",
          operationType: "PATCH",
          productType: "PRODUCT",
          patches: [
            {
              op: "merge",
              path: "/attributes/fulfillment_availability",
              value: [{ fulfillment_channel_code: "DEFAULT", quantity: 7 }],
            },
          ],
        },
        {
          messageId: 2,
          sku: "GHOST",
          operationType: "PATCH",
          productType: "PRODUCT",
          patches: [
            {
              op: "merge",
              path: "/attributes/fulfillment_availability",
              value: [{ fulfillment_channel_code: "DEFAULT", quantity: 1 }],
            },
          ],
        },
      ],
    };
    const upload = await fetch(document.body.url, {
      method: "PUT",
      headers: { "content-type": "application/json; charset=UTF-8" },
      body: JSON.stringify(feedBody),
    });
    expect(upload.status).toBe(200);
    const created = await call("/feeds/2021-06-30/feeds", {
      method: "POST",
      body: JSON.stringify({
        feedType: "JSON_LISTINGS_FEED",
        marketplaceIds: [credentials.marketplaceId],
        inputFeedDocumentId: document.body.feedDocumentId,
      }),
    });
    expect(created.status).toBe(202);
    const feedPath = `/feeds/2021-06-30/feeds/${created.body.feedId}`;
    expect((await call(feedPath)).body.processingStatus).toBe("IN_QUEUE");
    now += 1_500;
    expect((await call(feedPath)).body.processingStatus).toBe("IN_PROGRESS");
    now += 1_500;
    const done = (await call(feedPath)).body;
    expect(done.processingStatus).toBe("DONE");
    const result = await call(`/feeds/2021-06-30/documents/${done.resultFeedDocumentId}`);
    const report = (await (await fetch(result.body.url)).json()) as Loose;
    expect(report.summary).toMatchObject({
      messagesProcessed: 2,
      messagesAccepted: 1,
      messagesInvalid: 1,
    });
    expect(report.issues).toMatchObject([{ messageId: 2, sku: "GHOST", severity: "ERROR" }]);
    expect(control.quantity("TEA-EARL")).toBe(7);
  });

  it("lists MFN and AFN orders with their items, paged by NextToken", async () => {
    const since = new Date(now - 1_000).toISOString();
    control.placeOrder([{ sku: "TEA-EARL", quantity: 2 }]);
    control.placeOrder([{ sku: "FBA-MUG", quantity: 1 }], "AFN");
    control.placeOrder([{ sku: "MUG-RED", quantity: 1 }]);
    const first = await call(
      `/orders/v0/orders?MarketplaceIds=${credentials.marketplaceId}&CreatedAfter=${since}&MaxResultsPerPage=2`,
    );
    expect(first.body.payload.Orders.map((o: Loose) => o.FulfillmentChannel)).toEqual([
      "MFN",
      "AFN",
    ]);
    const second = await call(
      `/orders/v0/orders?MarketplaceIds=${credentials.marketplaceId}&CreatedAfter=${since}&NextToken=${first.body.payload.NextToken}`,
    );
    expect(second.body.payload.Orders).toHaveLength(1);
    const items = await call(
      `/orders/v0/orders/${first.body.payload.Orders[0].AmazonOrderId}/orderItems`,
    );
    expect(items.body.payload.OrderItems).toMatchObject([
      { SellerSKU: "TEA-EARL", QuantityOrdered: 2 },
    ]);
    expect(control.quantity("TEA-EARL")).toBe(5);
    const bad = await call(`/orders/v0/orders?MarketplaceIds=${credentials.marketplaceId}`);
    expect(bad.status).toBe(400);
  });

  it("reports FBA stock in inventory summaries, and only FBA stock", async () => {
    const summaries = await call(
      `/fba/inventory/v1/summaries?granularityType=Marketplace&granularityId=${credentials.marketplaceId}&marketplaceIds=${credentials.marketplaceId}&details=true`,
    );
    expect(summaries.body.payload.inventorySummaries).toMatchObject([
      { sellerSku: "FBA-MUG", totalQuantity: 29 },
    ]);
  });

  it("limits each operation by its rate and burst: patchListingsItem 5/s burst 5, then 429 QuotaExceeded", async () => {
    const limited = createAmazonServer({ clock: () => now });
    limited.control.addListing({ sku: "X", quantity: 1 });
    const grant = await limited.fetch(
      new Request("http://sandbox/auth/o2/token", {
        method: "POST",
        body: new URLSearchParams({
          grant_type: "refresh_token",
          refresh_token: "Atzr|sandbox-refresh",
          client_id: "amzn1.application-oa2-client.sandbox",
          client_secret: "sandbox-lwa-secret",
        }),
      }),
    );
    const token = ((await grant.json()) as Loose).access_token;
    const send = () =>
      limited.fetch(
        new Request(
          "http://sandbox/listings/2021-08-01/items/A2SANDBOXSELLER/X?marketplaceIds=ATVPDKIKX0DER",
          {
            method: "PATCH",
            headers: { "x-amz-access-token": token },
            body: JSON.stringify({
              productType: "PRODUCT",
              patches: [
                {
                  op: "merge",
                  path: "/attributes/fulfillment_availability",
                  value: [{ fulfillment_channel_code: "DEFAULT", quantity: 3 }],
                },
              ],
            }),
          },
        ),
      );
    for (let i = 0; i < 5; i++) expect((await send()).status).toBe(200);
    const refused = await send();
    expect(refused.status).toBe(429);
    expect(((await refused.json()) as Loose).errors[0].code).toBe("QuotaExceeded");
    now += 200;
    expect((await send()).status).toBe(200);
  });

  it("limits JSON_LISTINGS_FEED submissions to 5 per 5 minutes, one more each minute", async () => {
    const limited = createAmazonServer({ clock: () => now });
    const grant = await limited.fetch(
      new Request("http://sandbox/auth/o2/token", {
        method: "POST",
        body: new URLSearchParams({
          grant_type: "refresh_token",
          refresh_token: "Atzr|sandbox-refresh",
          client_id: "amzn1.application-oa2-client.sandbox",
          client_secret: "sandbox-lwa-secret",
        }),
      }),
    );
    const token = ((await grant.json()) as Loose).access_token;
    const request = (path: string, body: unknown) =>
      limited.fetch(
        new Request(`http://sandbox${path}`, {
          method: "POST",
          headers: { "x-amz-access-token": token, "content-type": "application/json" },
          body: JSON.stringify(body),
        }),
      );
    const submit = async () => {
      const document = (await (
        await request("/feeds/2021-06-30/documents", { contentType: "application/json" })
      ).json()) as Loose;
      await limited.fetch(
        new Request(document.url, {
          method: "PUT",
          body: JSON.stringify({
            header: { sellerId: "A2SANDBOXSELLER", version: "2.0" },
            messages: [],
          }),
        }),
      );
      return request("/feeds/2021-06-30/feeds", {
        feedType: "JSON_LISTINGS_FEED",
        marketplaceIds: ["ATVPDKIKX0DER"],
        inputFeedDocumentId: document.feedDocumentId,
      });
    };
    for (let i = 0; i < 5; i++) {
      const accepted = await submit();
      expect(accepted.status).toBe(202);
      expect(Number(accepted.headers.get("x-amzn-ratelimit-limit"))).toBeCloseTo(5 / 300);
    }
    expect((await submit()).status).toBe(429);
    now += 60_000;
    expect((await submit()).status).toBe(202);
    expect((await submit()).status).toBe(429);
  });
});
