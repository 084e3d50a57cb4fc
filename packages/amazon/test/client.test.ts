import { isOmnistockError, type QuantityToPublish } from "@omnistock/core";
import { type Sandbox, startSandbox } from "@omnistock/sandbox";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordingFetch } from "../../sandbox/test/support/openapi.js";
import {
  createAmazonClient,
  createAmazonOrderSource,
  createAmazonPublisher,
} from "../src/index.js";
import { answering, sandboxClient } from "./support.js";

let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await startSandbox({ amazon: { feedTiming: { queuedMs: 0, processingMs: 0 } } });
  const { control } = sandbox.amazon!;
  control.addListing({ sku: "MUG-RED-01", quantity: 10 });
  control.addListing({ sku: "TEA-EARL-01", quantity: 10 });
});
afterAll(() => sandbox.close());

const tokenRequests = (recorder: ReturnType<typeof recordingFetch>) =>
  recorder.requests.filter((r) => r.url.pathname === "/auth/o2/token");

describe("Amazon client: LWA tokens", () => {
  it("refreshes once for concurrent callers and again shortly before expiry", async () => {
    let now = Date.now();
    const recorder = recordingFetch();
    const client = sandboxClient(sandbox, { fetch: recorder.fetch, clock: () => now });
    const seller = sandbox.amazon!.credentials.sellerId;
    const marketplaceIds = [sandbox.amazon!.credentials.marketplaceId];
    const read = () =>
      client.getListingsItem({ sellerId: seller, sku: "MUG-RED-01", marketplaceIds });
    const listings = await Promise.all([read(), read(), read()]);
    expect(listings.map((l) => l?.sku)).toEqual(["MUG-RED-01", "MUG-RED-01", "MUG-RED-01"]);
    expect(tokenRequests(recorder)).toHaveLength(1);
    const grant = new URLSearchParams(tokenRequests(recorder)[0]?.body);
    expect(grant.get("grant_type")).toBe("refresh_token");
    expect(grant.get("refresh_token")).toBe(sandbox.amazon!.credentials.refreshToken);

    now += 3_540_000 - 1_000; // 59 minutes less a second: still valid
    await read();
    expect(tokenRequests(recorder)).toHaveLength(1);
    now += 2_000; // within a minute of expiry
    await Promise.all([read(), read()]);
    expect(tokenRequests(recorder)).toHaveLength(2);
    const [first, second] = recorder.requests
      .filter((r) => r.url.pathname.startsWith("/listings"))
      .map((r) => r.headers.get("x-amz-access-token"))
      .filter((t, i, all) => all.indexOf(t) === i);
    expect(first).toMatch(/^Atza\|/);
    expect(second).not.toBe(first);
  });

  it("drops a cached token Amazon refuses and tries once more with a new one", async () => {
    let tokens = 0;
    let refusals = 0;
    const client = createAmazonClient({
      baseUrl: "http://127.0.0.1:1",
      tokenUrl: "http://127.0.0.1:1/auth/o2/token",
      credentials: { clientId: "id", clientSecret: "secret", refreshToken: "Atzr|x" },
      http: {
        retry: { retries: 0 },
        fetch: async (input) => {
          const request = input as Request;
          if (request.url.endsWith("/auth/o2/token")) {
            tokens++;
            return answering({})(input);
          }
          // The second read with the first token is refused, as an expired token is.
          if (
            tokens === 1 &&
            request.headers.get("x-amz-access-token") !== null &&
            refusals++ === 1
          ) {
            return answering(
              { errors: [{ code: "Unauthorized", message: "Access denied" }] },
              403,
            )(input);
          }
          return answering({ sku: "MUG-RED-01" })(input);
        },
      },
    });
    const read = () =>
      client.getListingsItem({ sellerId: "S", sku: "MUG-RED-01", marketplaceIds: ["M"] });
    expect((await read())?.sku).toBe("MUG-RED-01");
    expect((await read())?.sku).toBe("MUG-RED-01");
    expect(tokens).toBe(2);
  });

  it("keeps the client secret and refresh token out of errors", async () => {
    const client = sandboxClient(sandbox, {}, { clientSecret: "wrong-secret-1234" });
    try {
      await client.accessToken();
      expect.unreachable();
    } catch (error) {
      expect(isOmnistockError(error, "AUTH")).toBe(true);
      const shown = `${String(error)} ${JSON.stringify(error)} ${JSON.stringify((error as Error).cause ?? "")}`;
      expect(shown).not.toContain("wrong-secret-1234");
      expect(shown).not.toContain(sandbox.amazon!.credentials.refreshToken);
    }
  });

  it("names every missing or unknown option", () => {
    try {
      createAmazonClient({ baseUrl: "not a url", extra: 1 } as never);
      expect.unreachable();
    } catch (error) {
      expect(isOmnistockError(error, "VALIDATION")).toBe(true);
      const message = (error as Error).message;
      expect(message).toContain("baseUrl");
      expect(message).toContain("credentials");
      expect(message).toContain("extra");
    }
  });

  it("turns a malformed answer into a VALIDATION error naming the path", async () => {
    const client = createAmazonClient({
      baseUrl: "http://127.0.0.1:1",
      tokenUrl: "http://127.0.0.1:1/auth/o2/token",
      credentials: { clientId: "id", clientSecret: "secret", refreshToken: "Atzr|x" },
      http: {
        retry: { retries: 0 },
        fetch: answering({ payload: { Orders: [{ AmazonOrderId: "1", OrderStatus: "Lost" }] } }),
      },
    });
    const source = createAmazonOrderSource({
      client,
      channelId: "amazon-us",
      marketplaceIds: ["ATVPDKIKX0DER"],
    });
    const failure = await source.ordersSince(undefined).catch((error: unknown) => error);
    expect(isOmnistockError(failure, "VALIDATION")).toBe(true);
    const message = (failure as Error).message;
    expect(message).toContain("payload.Orders[0].OrderStatus");
    expect(message).toContain("payload.Orders[0].LastUpdateDate");
  });
});

describe("Amazon client: faults", () => {
  const publisher = () =>
    createAmazonPublisher({
      client: sandboxClient(sandbox, {
        timeoutMs: 100,
        retry: { retries: 8, minDelayMs: 1, maxDelayMs: 20 },
      }),
      channelId: "amazon-us",
      sellerId: sandbox.amazon!.credentials.sellerId,
      marketplaceIds: [sandbox.amazon!.credentials.marketplaceId],
      listings: [
        { listingId: "MUG-RED", sellerSku: "MUG-RED-01" },
        { listingId: "TEA-EARL", sellerSku: "TEA-EARL-01" },
      ],
    });
  const updates = (quantity: number): QuantityToPublish[] => [
    { listingId: "MUG-RED", quantity, previous: undefined, urgent: true },
    { listingId: "TEA-EARL", quantity, previous: undefined, urgent: false },
  ];

  it("recovers from a 429 storm, 5xx answers and timeouts", async () => {
    const { control } = sandbox.amazon!;
    sandbox.amazon!.setFaults({
      api: { rateLimitRate: 0.3, serverErrorRate: 0.2, timeoutRate: 0.1 },
    });
    try {
      const target = publisher();
      const outcomes = await target.publish(updates(8));
      expect(outcomes.map((o) => o.status)).toEqual(["pending", "pending"]);
      control.settle();
      const pending = outcomes.flatMap((o) => (o.status === "pending" ? [o] : []));
      expect((await target.confirm(pending)).map((o) => o.status)).toEqual([
        "published",
        "published",
      ]);
    } finally {
      sandbox.amazon!.setFaults(undefined);
    }
    expect(control.quantity("MUG-RED-01")).toBe(8);
    expect(control.quantity("TEA-EARL-01")).toBe(8);
  }, 30_000);

  it("throws a retryable SERVER error when the platform keeps failing", async () => {
    sandbox.amazon!.setFaults({ api: { serverErrorRate: 1 } });
    try {
      const failure = await publisher()
        .publish(updates(2))
        .catch((error: unknown) => error);
      expect(isOmnistockError(failure, "SERVER")).toBe(true);
      expect((failure as { retryable: boolean }).retryable).toBe(true);
    } finally {
      sandbox.amazon!.setFaults(undefined);
    }
  }, 30_000);
});
