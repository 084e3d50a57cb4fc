import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, expect, it } from "vitest";
import { type Sandbox, startSandbox } from "../../src/index.js";
import { responseErrors, schemaErrors } from "../support/openapi.js";
import { describeWithSpecs, specPath } from "../support/specs.js";

describeWithSpecs("Amazon fake against the official SP-API models and JSON Schemas", () => {
  let sandbox: Sandbox;
  let token = "";
  const notifications: unknown[] = [];
  const receiver = createServer((req, res) => {
    let text = "";
    req.on("data", (chunk) => {
      text += chunk;
    });
    req.on("end", () => {
      notifications.push(JSON.parse(text));
      res.writeHead(200).end();
    });
  });
  const model = (file: string) => specPath(`amazon/models/${file}`);
  const schema = (file: string) =>
    JSON.parse(readFileSync(specPath(`amazon/schemas/${file}`), "utf8")) as object;

  beforeAll(async () => {
    await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
    sandbox = await startSandbox({ amazon: { feedTiming: { queuedMs: 0, processingMs: 0 } } });
    const { control, url, credentials } = sandbox.amazon!;
    control.addListing({ sku: "MUG-RED", quantity: 4 });
    control.addListing({ sku: "FBA-MUG", quantity: 30, fba: true });
    control.subscribe(`http://127.0.0.1:${(receiver.address() as AddressInfo).port}/sqs-bridge`);
    control.placeOrder([{ sku: "MUG-RED", quantity: 1 }]);
    const grant = await fetch(`${url}/auth/o2/token`, {
      method: "POST",
      body: new URLSearchParams({
        grant_type: "refresh_token",
        refresh_token: credentials.refreshToken,
        client_id: credentials.clientId,
        client_secret: credentials.clientSecret,
      }),
    });
    token = ((await grant.json()) as { access_token: string }).access_token;
  });
  afterAll(async () => {
    await sandbox.close();
    receiver.closeAllConnections();
    await new Promise<void>((resolve) => receiver.close(() => resolve()));
  });

  const call = async (path: string, init: RequestInit = {}) => {
    const response = await fetch(`${sandbox.amazon!.url}${path}`, {
      ...init,
      headers: { "x-amz-access-token": token, "content-type": "application/json" },
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  const seller = () => sandbox.amazon!.credentials.sellerId;
  const market = () => sandbox.amazon!.credentials.marketplaceId;

  it("getListingsItem and patchListingsItem answer in the Listings Items model's shape", async () => {
    const read = await call(
      `/listings/2021-08-01/items/${seller()}/MUG-RED?marketplaceIds=${market()}&includedData=summaries,attributes,issues,fulfillmentAvailability`,
    );
    expect(
      await responseErrors(
        model("listings-items-api-model/listingsItems_2021-08-01.json"),
        "GET",
        "/listings/2021-08-01/items/{sellerId}/{sku}",
        200,
        read.body,
      ),
    ).toEqual([]);
    for (const [sku, code] of [
      ["MUG-RED", "DEFAULT"],
      ["FBA-MUG", "AMAZON_NA"],
    ]) {
      const patched = await call(
        `/listings/2021-08-01/items/${seller()}/${sku}?marketplaceIds=${market()}`,
        {
          method: "PATCH",
          body: JSON.stringify({
            productType: "PRODUCT",
            patches: [
              {
                op: "merge",
                path: "/attributes/fulfillment_availability",
                value: [{ fulfillment_channel_code: code, quantity: 3 }],
              },
            ],
          }),
        },
      );
      expect(
        await responseErrors(
          model("listings-items-api-model/listingsItems_2021-08-01.json"),
          "PATCH",
          "/listings/2021-08-01/items/{sellerId}/{sku}",
          200,
          patched.body,
        ),
      ).toEqual([]);
    }
  });

  it("the feeds flow answers in the Feeds model's shape; the feed and its report match the JSON Schemas", async () => {
    const feeds = model("feeds-api-model/feeds_2021-06-30.json");
    const document = await call("/feeds/2021-06-30/documents", {
      method: "POST",
      body: JSON.stringify({ contentType: "application/json; charset=UTF-8" }),
    });
    expect(
      await responseErrors(feeds, "POST", "/feeds/2021-06-30/documents", 201, document.body),
    ).toEqual([]);
    const feedDocument = {
      header: { sellerId: seller(), version: "2.0" },
      messages: [
        {
          messageId: 1,
          sku: "MUG-RED",
          operationType: "PATCH",
          productType: "PRODUCT",
          patches: [
            {
              op: "merge",
              path: "/attributes/fulfillment_availability",
              value: [{ fulfillment_channel_code: "DEFAULT", quantity: 8 }],
            },
          ],
        },
      ],
    };
    expect(schemaErrors(schema("feeds/listings-feed-schema-v2.json"), feedDocument)).toEqual([]);
    await fetch(String(document.body.url), { method: "PUT", body: JSON.stringify(feedDocument) });
    const created = await call("/feeds/2021-06-30/feeds", {
      method: "POST",
      body: JSON.stringify({
        feedType: "JSON_LISTINGS_FEED",
        marketplaceIds: [market()],
        inputFeedDocumentId: document.body.feedDocumentId,
      }),
    });
    expect(
      await responseErrors(feeds, "POST", "/feeds/2021-06-30/feeds", 202, created.body),
    ).toEqual([]);
    const feed = await call(`/feeds/2021-06-30/feeds/${created.body.feedId}`);
    expect(feed.body.processingStatus).toBe("DONE");
    expect(
      await responseErrors(feeds, "GET", "/feeds/2021-06-30/feeds/{feedId}", 200, feed.body),
    ).toEqual([]);
    const result = await call(`/feeds/2021-06-30/documents/${feed.body.resultFeedDocumentId}`);
    expect(
      await responseErrors(
        feeds,
        "GET",
        "/feeds/2021-06-30/documents/{feedDocumentId}",
        200,
        result.body,
      ),
    ).toEqual([]);
    const report = await (await fetch(String(result.body.url))).json();
    expect(
      schemaErrors(schema("feeds/listings-feed-processing-report-schema-v2.json"), report),
    ).toEqual([]);
  });

  it("orders and FBA summaries answer in their models' shapes; ORDER_CHANGE matches its notification schema", async () => {
    const orders = model("orders-api-model/ordersV0.json");
    const list = await call(
      `/orders/v0/orders?MarketplaceIds=${market()}&CreatedAfter=2000-01-01T00:00:00Z`,
    );
    expect(await responseErrors(orders, "GET", "/orders/v0/orders", 200, list.body)).toEqual([]);
    const id = (
      (list.body.payload as { Orders: { AmazonOrderId: string }[] }).Orders[0] as {
        AmazonOrderId: string;
      }
    ).AmazonOrderId;
    const items = await call(`/orders/v0/orders/${id}/orderItems`);
    expect(
      await responseErrors(
        orders,
        "GET",
        "/orders/v0/orders/{orderId}/orderItems",
        200,
        items.body,
      ),
    ).toEqual([]);
    const fba = await call(
      `/fba/inventory/v1/summaries?granularityType=Marketplace&granularityId=${market()}&marketplaceIds=${market()}&details=true`,
    );
    expect(
      await responseErrors(
        model("fba-inventory-api-model/fbaInventory.json"),
        "GET",
        "/fba/inventory/v1/summaries",
        200,
        fba.body,
      ),
    ).toEqual([]);
    await sandbox.amazon!.drainWebhooks();
    expect(notifications).toHaveLength(1);
    expect(
      schemaErrors(schema("notifications/OrderChangeNotification.json"), notifications[0]),
    ).toEqual([]);
  });
});
