import { gzipSync } from "node:zlib";
import { isOmnistockError, type QuantityToPublish } from "@omnistock/core";
import { type Sandbox, startSandbox } from "@omnistock/sandbox";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordingFetch } from "../../sandbox/test/support/openapi.js";
import { createAmazonClient, createAmazonPublisher } from "../src/index.js";
import { answering, sandboxClient } from "./support.js";

let sandbox: Sandbox;

beforeAll(async () => {
  // ACCEPTED writes and feeds stay pending until the test settles them.
  sandbox = await startSandbox({
    amazon: { acceptedDelayMs: 3_600_000, feedTiming: { queuedMs: 3_600_000, processingMs: 0 } },
  });
  const { control } = sandbox.amazon!;
  control.addListing({ sku: "MUG-RED-01", quantity: 10, productType: "MUG" });
  control.addListing({ sku: "TEA-EARL-01", quantity: 4 });
  control.addListing({ sku: "POT-BLUE-01", quantity: 6 });
  control.addListing({ sku: "MUG-FBA-01", quantity: 30, fba: true });
});
afterAll(() => sandbox.close());

const listings = [
  { listingId: "MUG-RED", sellerSku: "MUG-RED-01", productType: "MUG" },
  { listingId: "TEA-EARL", sellerSku: "TEA-EARL-01" },
  { listingId: "POT-BLUE", sellerSku: "POT-BLUE-01" },
  { listingId: "MUG-FBA", sellerSku: "MUG-FBA-01" },
  { listingId: "GHOST", sellerSku: "GHOST-01" },
];

const publisherWith = (
  client = sandboxClient(sandbox),
  extra: Partial<Parameters<typeof createAmazonPublisher>[0]> = {},
) =>
  createAmazonPublisher({
    client,
    channelId: "amazon-us",
    sellerId: sandbox.amazon!.credentials.sellerId,
    marketplaceIds: [sandbox.amazon!.credentials.marketplaceId],
    listings,
    // Every non-urgent batch by feed, however small, unless a test says otherwise.
    feedFrom: 1,
    ...extra,
  });

const update = (listingId: string, quantity: number, urgent: boolean): QuantityToPublish => ({
  listingId,
  quantity,
  previous: undefined,
  urgent,
});

describe("Amazon publisher: urgent updates by patchListingsItem", () => {
  it("merges the DEFAULT quantity, returns pending, and confirms it once Amazon shows it", async () => {
    const { control } = sandbox.amazon!;
    const recorder = recordingFetch();
    const publisher = publisherWith(sandboxClient(sandbox, { fetch: recorder.fetch }));
    expect(publisher.compareAndSet).toBe(false);
    expect(publisher.maxBatch).toBe(25_000);

    const [outcome] = await publisher.publish([update("MUG-RED", 3, true)]);
    expect(outcome).toMatchObject({ status: "pending", receipt: expect.stringMatching(/^patch:/) });
    const patch = recorder.requests.find((r) => r.method === "PATCH");
    expect(patch?.url.pathname).toBe(
      `/listings/2021-08-01/items/${sandbox.amazon!.credentials.sellerId}/MUG-RED-01`,
    );
    expect(JSON.parse(patch?.body ?? "{}")).toEqual({
      productType: "MUG",
      patches: [
        {
          op: "merge",
          path: "/attributes/fulfillment_availability",
          value: [{ fulfillment_channel_code: "DEFAULT", quantity: 3 }],
        },
      ],
    });
    expect(patch?.headers.get("x-amz-access-token")).toMatch(/^Atza\|/);

    // ACCEPTED is not applied yet.
    expect(control.quantity("MUG-RED-01")).toBe(10);
    if (outcome?.status !== "pending") throw new Error("expected pending");
    expect(await publisher.confirm([outcome])).toMatchObject([{ status: "pending" }]);
    control.settle();
    expect(await publisher.confirm([outcome])).toMatchObject([
      { status: "published", update: { listingId: "MUG-RED", quantity: 3 } },
    ]);
  });

  it("sends a small non-urgent batch by patch, keeping feeds for bulk work", async () => {
    const recorder = recordingFetch();
    const publisher = publisherWith(sandboxClient(sandbox, { fetch: recorder.fetch }), {
      feedFrom: 3,
    });
    const small = await publisher.publish([
      update("MUG-RED", 4, false),
      update("TEA-EARL", 5, false),
    ]);
    expect(small.map((o) => (o.status === "pending" ? o.receipt.split(":")[0] : o.status))).toEqual(
      ["patch", "patch"],
    );
    expect(recorder.requests.some((r) => r.url.pathname.includes("/feeds/"))).toBe(false);
    const bulk = await publisher.publish([
      update("MUG-RED", 4, false),
      update("TEA-EARL", 5, false),
      update("POT-BLUE", 6, false),
    ]);
    expect(bulk.map((o) => (o.status === "pending" ? o.receipt.split(":")[0] : o.status))).toEqual([
      "feed",
      "feed",
      "feed",
    ]);
  });

  it("reports a write that never showed as stale with the quantity Amazon shows", async () => {
    const publisher = publisherWith(sandboxClient(sandbox), { confirmWithinMs: 0 });
    const [outcome] = await publisher.publish([update("TEA-EARL", 1, true)]);
    if (outcome?.status !== "pending") throw new Error("expected pending");
    expect(await publisher.confirm([outcome])).toMatchObject([{ status: "stale", actual: 4 }]);
    sandbox.amazon!.control.settle();
  });

  it("rejects a listing Amazon does not have, and an INVALID answer with Amazon's issue code", async () => {
    const [missing] = await publisherWith().publish([update("GHOST", 2, true)]);
    expect(missing).toMatchObject({ status: "rejected", reason: "NOT_FOUND" });

    const invalid = createAmazonClient({
      baseUrl: "http://127.0.0.1:1",
      tokenUrl: "http://127.0.0.1:1/auth/o2/token",
      credentials: { clientId: "id", clientSecret: "secret", refreshToken: "Atzr|x" },
      http: {
        fetch: async (input, init) => {
          const url = String(input instanceof Request ? input.url : input);
          const answer = url.includes("/fba/")
            ? { payload: { inventorySummaries: [] } }
            : {
                sku: "MUG-RED-01",
                status: "INVALID",
                submissionId: "s-1",
                issues: [
                  { code: "90000900", message: "The attributes are invalid.", severity: "ERROR" },
                ],
              };
          return answering(answer)(input, init);
        },
      },
    });
    const [refused] = await publisherWith(invalid).publish([update("MUG-RED", 2, true)]);
    expect(refused).toMatchObject({
      status: "rejected",
      reason: "90000900",
      message: "The attributes are invalid.",
    });
  });
});

describe("Amazon publisher: bulk updates by JSON_LISTINGS_FEED", () => {
  it("sends one feed, stays pending while it is queued, then reads per-SKU results from the report", async () => {
    const { control } = sandbox.amazon!;
    const recorder = recordingFetch();
    const publisher = publisherWith(sandboxClient(sandbox, { fetch: recorder.fetch }));
    const outcomes = await publisher.publish([
      update("TEA-EARL", 7, false),
      update("POT-BLUE", 2, false),
      update("GHOST", 5, false),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(["pending", "pending", "pending"]);
    expect(recorder.requests.filter((r) => r.method === "PATCH")).toHaveLength(0);
    const upload = recorder.requests.find((r) => r.method === "PUT");
    const document = JSON.parse(upload?.body ?? "{}");
    expect(document.header).toMatchObject({
      sellerId: sandbox.amazon!.credentials.sellerId,
      version: "2.0",
    });
    expect(document.messages).toMatchObject([
      { messageId: 1, sku: "TEA-EARL-01", operationType: "PATCH", productType: "PRODUCT" },
      { messageId: 2, sku: "POT-BLUE-01" },
      { messageId: 3, sku: "GHOST-01" },
    ]);
    expect(upload?.headers.get("x-amz-access-token")).toBeNull();

    const pending = outcomes.flatMap((o) => (o.status === "pending" ? [o] : []));
    expect((await publisher.confirm(pending)).map((o) => o.status)).toEqual([
      "pending",
      "pending",
      "pending",
    ]);
    control.settle();
    const confirmed = await publisher.confirm(pending);
    expect(confirmed.map((o) => o.status)).toEqual(["published", "published", "rejected"]);
    expect(confirmed[2]).toMatchObject({ reason: "18", update: { listingId: "GHOST" } });
    expect(control.quantity("TEA-EARL-01")).toBe(7);
    expect(control.quantity("POT-BLUE-01")).toBe(2);
    // The report is read once, however many receipts it answers.
    const downloads = recorder.requests.filter((r) =>
      r.url.pathname.startsWith("/feeds/2021-06-30/documents/"),
    );
    expect(downloads).toHaveLength(1);
  });

  it("splits more than 25,000 updates into several feeds, numbering messages per feed", async () => {
    const many = Array.from({ length: 25_001 }, (_, i) => ({
      listingId: `L-${i}`,
      sellerSku: `S-${i}`,
    }));
    const recorder = recordingFetch();
    const publisher = createAmazonPublisher({
      client: sandboxClient(sandbox, { fetch: recorder.fetch }),
      channelId: "amazon-us",
      sellerId: sandbox.amazon!.credentials.sellerId,
      marketplaceIds: [sandbox.amazon!.credentials.marketplaceId],
      listings: many,
    });
    const outcomes = await publisher.publish(many.map((l) => update(l.listingId, 1, false)));
    const receipts = outcomes.map((o) => (o.status === "pending" ? o.receipt : ""));
    expect(new Set(receipts.map((r) => r.split(":")[1])).size).toBe(2);
    expect(receipts[25_000]).toMatch(/^feed:[^:]+:1$/);
    const uploads = recorder.requests.filter((r) => r.method === "PUT");
    expect(uploads.map((u) => JSON.parse(u.body ?? "{}").messages.length)).toEqual([25_000, 1]);
  });
});

describe("Amazon publisher: Amazon-fulfilled stock is read-only", () => {
  it("reads FBA levels as managed by the channel and MFN levels from the listing", async () => {
    sandbox.amazon!.control.settle();
    const levels = await publisherWith().readLevels([
      { listingId: "MUG-FBA" },
      { listingId: "POT-BLUE" },
      { listingId: "GHOST" },
    ]);
    expect(levels).toEqual([
      { listingId: "MUG-FBA", quantity: 30, managedBy: "channel" },
      { listingId: "POT-BLUE", quantity: 2, managedBy: "merchant" },
    ]);
  });

  it("rejects FBA updates with FULFILLED_BY_CHANNEL without writing", async () => {
    const recorder = recordingFetch();
    const publisher = publisherWith(sandboxClient(sandbox, { fetch: recorder.fetch }));
    const outcomes = await publisher.publish([
      update("MUG-FBA", 5, true),
      update("MUG-FBA", 5, false),
    ]);
    expect(outcomes).toMatchObject([
      { status: "rejected", reason: "FULFILLED_BY_CHANNEL" },
      { status: "rejected", reason: "FULFILLED_BY_CHANNEL" },
    ]);
    expect(
      recorder.requests.filter((r) => r.method !== "GET" && !r.url.pathname.startsWith("/auth")),
    ).toEqual([]);
    expect(sandbox.amazon!.control.quantity("MUG-FBA-01")).toBe(30);
  });
});

describe("Amazon publisher: mapping and bad input", () => {
  it("refuses a seller SKU mapped to two listings, and an unmapped listing before writing", async () => {
    expect(() =>
      createAmazonPublisher({
        client: sandboxClient(sandbox),
        channelId: "amazon-us",
        sellerId: "S",
        marketplaceIds: ["ATVPDKIKX0DER"],
        listings: [
          { listingId: "A", sellerSku: "X" },
          { listingId: "B", sellerSku: "X" },
        ],
      }),
    ).toThrow(expect.objectContaining({ code: "MAPPING_DUPLICATE" }));
    const recorder = recordingFetch();
    const publisher = publisherWith(sandboxClient(sandbox, { fetch: recorder.fetch }));
    await expect(
      publisher.publish([update("MUG-RED", 1, true), update("NOPE", 1, true)]),
    ).rejects.toMatchObject({ code: "MAPPING_MISSING" });
    expect(recorder.requests).toEqual([]);
  });

  it("names every invalid option and listing field", () => {
    try {
      createAmazonPublisher({
        client: sandboxClient(sandbox),
        channelId: "",
        sellerId: "S",
        marketplaceIds: [],
        listings: [{ listingId: "A", sellerSku: "" }],
        colour: "red",
      } as never);
      expect.unreachable();
    } catch (error) {
      expect(isOmnistockError(error, "VALIDATION")).toBe(true);
      const message = (error as Error).message;
      expect(message).toContain("channelId");
      expect(message).toContain("marketplaceIds");
      expect(message).toContain("colour");
    }
    expect(() =>
      createAmazonPublisher({
        client: sandboxClient(sandbox),
        channelId: "amazon-us",
        sellerId: "S",
        marketplaceIds: ["M"],
        listings: [{ listingId: "A", sellerSku: "" }],
      }),
    ).toThrow(/\[0\]\.sellerSku/);
  });

  it("gunzips a processing report Amazon compressed", async () => {
    const report = {
      header: { sellerId: "S", version: "2.0", feedId: "F2" },
      issues: [
        { messageId: 2, sku: "TEA-EARL-01", code: "90220", severity: "ERROR", message: "No." },
      ],
      summary: {
        errors: 1,
        warnings: 0,
        messagesProcessed: 2,
        messagesAccepted: 1,
        messagesInvalid: 1,
      },
    };
    const client = createAmazonClient({
      baseUrl: "http://127.0.0.1:1",
      tokenUrl: "http://127.0.0.1:1/auth/o2/token",
      credentials: { clientId: "id", clientSecret: "secret", refreshToken: "Atzr|x" },
      http: {
        retry: { retries: 0 },
        fetch: async (input, init) => {
          const url = String(input instanceof Request ? input.url : input);
          if (url.includes("/report.gz")) {
            return new Response(gzipSync(JSON.stringify(report)), {
              headers: { "content-type": "application/octet-stream" },
            });
          }
          const answer = url.includes("/feeds/2021-06-30/feeds/")
            ? {
                feedId: "F2",
                feedType: "JSON_LISTINGS_FEED",
                processingStatus: "DONE",
                resultFeedDocumentId: "D2",
              }
            : {
                feedDocumentId: "D2",
                url: "http://127.0.0.1:1/report.gz?X-Amz-Signature=abc",
                compressionAlgorithm: "GZIP",
              };
          return answering(answer)(input, init);
        },
      },
    });
    const outcomes = await publisherWith(client).confirm([
      { update: update("MUG-RED", 1, false), receipt: "feed:F2:1" },
      { update: update("TEA-EARL", 1, false), receipt: "feed:F2:2" },
    ]);
    expect(outcomes).toMatchObject([
      { status: "published" },
      { status: "rejected", reason: "90220", message: "No." },
    ]);
  });

  it("turns a malformed processing report into a VALIDATION error naming the field", async () => {
    const client = createAmazonClient({
      baseUrl: "http://127.0.0.1:1",
      tokenUrl: "http://127.0.0.1:1/auth/o2/token",
      credentials: { clientId: "id", clientSecret: "secret", refreshToken: "Atzr|x" },
      http: {
        retry: { retries: 0 },
        fetch: async (input, init) => {
          const url = String(input instanceof Request ? input.url : input);
          const answer = url.includes("/feeds/2021-06-30/feeds/")
            ? {
                feedId: "F1",
                feedType: "JSON_LISTINGS_FEED",
                processingStatus: "DONE",
                resultFeedDocumentId: "D1",
              }
            : url.includes("/feeds/2021-06-30/documents/")
              ? { feedDocumentId: "D1", url: "http://127.0.0.1:1/report" }
              : { header: { sellerId: "S", version: "2.0", feedId: "F1" }, summary: {} };
          return answering(answer)(input, init);
        },
      },
    });
    const publisher = publisherWith(client);
    await expect(
      publisher.confirm([{ update: update("MUG-RED", 1, false), receipt: "feed:F1:1" }]),
    ).rejects.toThrow(/summary\.errors/);
    await expect(
      publisher.confirm([{ update: update("MUG-RED", 1, false), receipt: "nonsense" }]),
    ).rejects.toMatchObject({ code: "VALIDATION" });
  });
});
