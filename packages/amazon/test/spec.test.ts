import { readFileSync } from "node:fs";
import { type Sandbox, startSandbox } from "@omnistock/sandbox";
import { afterAll, beforeAll, expect, it } from "vitest";
import {
  type RecordedRequest,
  recordingFetch,
  requestErrors,
  schemaErrors,
} from "../../sandbox/test/support/openapi.js";
import { describeWithSpecs, specPath } from "../../sandbox/test/support/specs.js";
import {
  createAmazonNotificationReceiver,
  createAmazonOrderSource,
  createAmazonPublisher,
} from "../src/index.js";
import { sandboxClient, UNSIGNED } from "./support.js";

describeWithSpecs("Amazon adapter requests against the official SP-API models", () => {
  let sandbox: Sandbox;
  const recorder = recordingFetch();
  const model = (file: string) => specPath(`amazon/models/${file}`);
  const schema = (file: string) =>
    JSON.parse(readFileSync(specPath(`amazon/schemas/${file}`), "utf8")) as object;
  const sent = (method: string, pattern: RegExp): RecordedRequest[] =>
    recorder.requests.filter((r) => r.method === method && pattern.test(r.url.pathname));

  beforeAll(async () => {
    sandbox = await startSandbox({ amazon: { feedTiming: { queuedMs: 0, processingMs: 0 } } });
    const { control, credentials } = sandbox.amazon!;
    control.addListing({ sku: "MUG-RED-01", quantity: 10, productType: "MUG" });
    control.addListing({ sku: "TEA-EARL-01", quantity: 4 });
    control.addListing({ sku: "MUG-FBA-01", quantity: 30, fba: true });
    control.placeOrder([{ sku: "MUG-RED-01", quantity: 1 }]);

    const client = sandboxClient(sandbox, { fetch: recorder.fetch });
    const listings = [
      { listingId: "MUG-RED", sellerSku: "MUG-RED-01", productType: "MUG" },
      { listingId: "TEA-EARL", sellerSku: "TEA-EARL-01" },
      { listingId: "MUG-FBA", sellerSku: "MUG-FBA-01" },
    ];
    const publisher = createAmazonPublisher({
      client,
      channelId: "amazon-us",
      sellerId: credentials.sellerId,
      marketplaceIds: [credentials.marketplaceId],
      listings,
      feedFrom: 1,
    });
    const outcomes = await publisher.publish([
      { listingId: "MUG-RED", quantity: 2, previous: 10, urgent: true },
      { listingId: "TEA-EARL", quantity: 9, previous: 4, urgent: false },
    ]);
    control.settle();
    await publisher.confirm(outcomes.flatMap((o) => (o.status === "pending" ? [o] : [])));
    await publisher.readLevels();
    await createAmazonOrderSource({
      client,
      channelId: "amazon-us",
      marketplaceIds: [credentials.marketplaceId],
    }).ordersSince(undefined);
  });
  afterAll(() => sandbox.close());

  it("sends patchListingsItem bodies that match ListingsItemPatchRequest", async () => {
    const patches = sent("PATCH", /^\/listings\/2021-08-01\/items\//);
    expect(patches).toHaveLength(1);
    for (const patch of patches) {
      expect(patch.url.searchParams.get("marketplaceIds")).toBe("ATVPDKIKX0DER");
      expect(
        await requestErrors(
          model("listings-items-api-model/listingsItems_2021-08-01.json"),
          "PATCH",
          "/listings/2021-08-01/items/{sellerId}/{sku}",
          JSON.parse(patch.body ?? "null"),
        ),
      ).toEqual([]);
    }
  });

  it("sends feed document and feed requests that match the Feeds model", async () => {
    const documents = sent("POST", /^\/feeds\/2021-06-30\/documents$/);
    const feeds = sent("POST", /^\/feeds\/2021-06-30\/feeds$/);
    expect(documents).toHaveLength(1);
    expect(feeds).toHaveLength(1);
    const feedsModel = model("feeds-api-model/feeds_2021-06-30.json");
    for (const request of documents) {
      expect(
        await requestErrors(
          feedsModel,
          "POST",
          "/feeds/2021-06-30/documents",
          JSON.parse(request.body ?? "null"),
        ),
      ).toEqual([]);
    }
    for (const request of feeds) {
      expect(
        await requestErrors(
          feedsModel,
          "POST",
          "/feeds/2021-06-30/feeds",
          JSON.parse(request.body ?? "null"),
        ),
      ).toEqual([]);
    }
  });

  it("uploads a feed that matches listings-feed-schema-v2.json, each message the message schema", () => {
    const uploads = sent("PUT", /^\/sandbox-uploads\//);
    expect(uploads).toHaveLength(1);
    const feed = JSON.parse(uploads[0]?.body ?? "null") as { messages: unknown[] };
    expect(schemaErrors(schema("feeds/listings-feed-schema-v2.json"), feed)).toEqual([]);
    for (const message of feed.messages) {
      expect(schemaErrors(schema("feeds/listings-feed-message-schema-v2.json"), message)).toEqual(
        [],
      );
    }
    expect(uploads[0]?.headers.get("content-type")).toBe("application/json; charset=UTF-8");
  });

  it("reads with the query parameters the models require", () => {
    for (const read of sent("GET", /^\/listings\/2021-08-01\/items\//)) {
      expect(read.url.searchParams.get("marketplaceIds")).toBe("ATVPDKIKX0DER");
      expect(read.url.searchParams.get("includedData")).toBe("fulfillmentAvailability");
    }
    const [summaries] = sent("GET", /^\/fba\/inventory\/v1\/summaries$/);
    expect(summaries?.url.searchParams.get("granularityType")).toBe("Marketplace");
    expect(summaries?.url.searchParams.get("granularityId")).toBe("ATVPDKIKX0DER");
    expect(summaries?.url.searchParams.get("marketplaceIds")).toBe("ATVPDKIKX0DER");
    const [orders] = sent("GET", /^\/orders\/v0\/orders$/);
    expect(orders?.url.searchParams.get("MarketplaceIds")).toBe("ATVPDKIKX0DER");
    expect(Date.parse(orders?.url.searchParams.get("LastUpdatedAfter") ?? "")).not.toBeNaN();
    expect(orders?.url.searchParams.get("CreatedAfter")).toBeNull();
  });

  it("parses the notification schema's own ORDER_CHANGE example", async () => {
    const document = schema("notifications/OrderChangeNotification.json") as {
      examples?: unknown[];
    };
    expect(document.examples?.length ?? 0).toBeGreaterThan(0);
    const receiver = createAmazonNotificationReceiver({ channelId: "amazon-us", ...UNSIGNED });
    for (const example of document.examples ?? []) {
      const delivery = await receiver.receive({
        body: JSON.stringify(example),
        headers: new Headers(),
      });
      expect(delivery.topic).toBe("ORDER_CHANGE");
      expect(delivery.orders).toHaveLength(1);
    }
  });
});
