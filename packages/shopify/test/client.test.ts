import { isOmnistockError } from "@omnistock/core";
import { createShopifyLimiter, type RateLimiter } from "@omnistock/transport";
import { describe, expect, it } from "vitest";
import { createShopifyClient } from "../src/index.js";

/** A client whose every answer is `body`. */
const answering = (body: unknown, status = 200) => {
  const seen: Request[] = [];
  const client = createShopifyClient({
    shop: "example.myshopify.com",
    accessToken: "shpat_secret",
    http: {
      retry: { retries: 0 },
      fetch: async (input, init) => {
        seen.push(new Request(input, init));
        return new Response(JSON.stringify(body), {
          status,
          headers: { "content-type": "application/json", "x-request-id": "req-1" },
        });
      },
    },
  });
  return { client, seen };
};

const cost = {
  cost: {
    requestedQueryCost: 22,
    actualQueryCost: 22,
    throttleStatus: { maximumAvailable: 2000, currentlyAvailable: 1978, restoreRate: 100 },
  },
};

describe("Shopify client", () => {
  it("sends the token to the 2026-04 endpoint and names the path of a missing field", async () => {
    const { client, seen } = answering({
      data: {
        productVariants: {
          nodes: [{ id: "gid://shopify/ProductVariant/1", sku: "MUG-RED" }],
          pageInfo: { hasNextPage: false, endCursor: null },
        },
      },
      extensions: cost,
    });
    const error = await client.variants(["MUG-RED"]).catch((e: unknown) => e);
    expect(isOmnistockError(error, "VALIDATION")).toBe(true);
    expect(isOmnistockError(error) && error.issues[0]?.path).toEqual([
      "productVariants",
      "nodes",
      0,
      "inventoryItem",
    ]);
    expect(isOmnistockError(error) && error.requestId).toBe("req-1");
    expect(seen[0]?.url).toBe("https://example.myshopify.com/admin/api/2026-04/graphql.json");
    expect(seen[0]?.headers.get("x-shopify-access-token")).toBe("shpat_secret");
  });

  it("tolerates fields it does not read", async () => {
    const { client } = answering({
      data: {
        productVariant: {
          id: "gid://shopify/ProductVariant/1",
          sku: "MUG-RED",
          price: "9.00",
          inventoryItem: { id: "gid://shopify/InventoryItem/2", tracked: true, unitCost: null },
        },
      },
      extensions: cost,
    });
    expect(await client.variant("gid://shopify/ProductVariant/1")).toMatchObject({
      sku: "MUG-RED",
    });
  });

  it("turns GraphQL errors into typed errors, keeping the token out", async () => {
    const denied = answering({
      errors: [
        { message: "Access denied for shpat_secret", extensions: { code: "ACCESS_DENIED" } },
      ],
    });
    const auth = await denied.client.locations().catch((e: unknown) => e);
    expect(isOmnistockError(auth, "AUTH")).toBe(true);
    const invalid = answering({
      errors: [{ message: "Field 'warehouse' doesn't exist on type 'Location'" }],
    });
    const request = await invalid.client.locations().catch((e: unknown) => e);
    expect(isOmnistockError(request, "REQUEST")).toBe(true);
    expect(isOmnistockError(request) && request.retryable).toBe(false);
    const broken = answering({
      errors: [{ message: "Internal error", extensions: { code: "INTERNAL_SERVER_ERROR" } }],
    });
    const server = await broken.client.locations().catch((e: unknown) => e);
    expect(isOmnistockError(server, "SERVER") && server.retryable).toBe(true);
    const unauthorized = answering({ errors: "[API] Invalid API key or access token" }, 401);
    const refused = await unauthorized.client.locations().catch((e: unknown) => e);
    expect(isOmnistockError(refused, "AUTH")).toBe(true);
    expect(String(isOmnistockError(refused) && refused.message)).not.toContain("shpat_secret");
  });

  it("waits out an HTTP 429 with its Retry-After and a THROTTLED answer, then succeeds", async () => {
    const answers = [
      new Response(JSON.stringify({ errors: "Exceeded 2 calls per second" }), {
        status: 429,
        headers: { "content-type": "application/json", "retry-after": "0.01" },
      }),
      new Response(
        JSON.stringify({
          errors: [{ message: "Throttled", extensions: { code: "THROTTLED" } }],
          extensions: {
            cost: {
              requestedQueryCost: 252,
              actualQueryCost: null,
              throttleStatus: { maximumAvailable: 2000, currentlyAvailable: 251, restoreRate: 100 },
            },
          },
        }),
        { headers: { "content-type": "application/json" } },
      ),
      new Response(
        JSON.stringify({
          data: {
            locations: {
              nodes: [{ id: "gid://shopify/Location/1", name: "Web", isActive: true }],
              pageInfo: { hasNextPage: false, endCursor: null },
            },
          },
          extensions: cost,
        }),
        { headers: { "content-type": "application/json" } },
      ),
    ];
    const waits: number[] = [];
    const client = createShopifyClient({
      shop: "example.myshopify.com",
      accessToken: "shpat_secret",
      http: {
        fetch: async () => answers.shift() ?? new Response(null, { status: 500 }),
        onEvent: (event) => {
          if (event.type === "retry") waits.push(event.delayMs);
        },
      },
    });
    expect(await client.locations()).toEqual([
      { id: "gid://shopify/Location/1", name: "Web", isActive: true },
    ]);
    // The THROTTLED answer asked for 1 point more than it had, at 100 a second: 10 ms.
    expect(waits).toHaveLength(2);
    expect(waits[1]).toBeGreaterThanOrEqual(10);
  });

  it("reserves the cost Shopify last reported for an operation, its estimate before", async () => {
    const real = createShopifyLimiter();
    const reserved: number[] = [];
    const limiter: RateLimiter = {
      platform: "shopify",
      acquire: (cost, options) => {
        reserved.push(cost ?? 1);
        return real.acquire(cost, options);
      },
      tryAcquire: (cost, options) => real.tryAcquire(cost, options),
      observe: (observation) => real.observe(observation),
      budget: (operation) => real.budget(operation),
      onThrottled: (listener) => real.onThrottled(listener),
    };
    const client = createShopifyClient({
      shop: "example.myshopify.com",
      accessToken: "shpat_secret",
      limiter,
      http: {
        fetch: async () =>
          new Response(
            JSON.stringify({
              data: { locations: { nodes: [], pageInfo: { hasNextPage: false, endCursor: null } } },
              extensions: {
                cost: {
                  requestedQueryCost: 300,
                  actualQueryCost: 3,
                  throttleStatus: {
                    maximumAvailable: 2000,
                    currentlyAvailable: 1997,
                    restoreRate: 100,
                  },
                },
              },
            }),
            { headers: { "content-type": "application/json" } },
          ),
      },
    });
    await client.locations();
    await client.locations();
    expect(reserved).toEqual([252, 300]);
    expect(client.budget().limit).toBe(2000);
  });
});
