import type { QuantityToPublish } from "@omnistock/core";
import { type Sandbox, startSandbox } from "@omnistock/sandbox";
import { standardWebhookHeaders } from "@omnistock/transport";
import { afterAll, beforeAll, expect, it } from "vitest";
import { loadSpec, recordingFetch, requestErrors } from "../../sandbox/test/support/openapi.js";
import { describeWithSpecs, specPath } from "../../sandbox/test/support/specs.js";
import {
  createBigCommerceClient,
  createBigCommerceOrderSource,
  createBigCommercePublisher,
  createBigCommerceWebhookReceiver,
} from "../src/index.js";

/** The spec file and path template of each endpoint the adapter calls. */
const ENDPOINTS: readonly (readonly [RegExp, string, string])[] = [
  [
    /^\/v3\/inventory\/adjustments\/absolute$/,
    "inventory.v3.yml",
    "/inventory/adjustments/absolute",
  ],
  [/^\/v3\/inventory\/items$/, "inventory.v3.yml", "/inventory/items"],
  [/^\/v3\/inventory\/locations$/, "locations.v3.yml", "/inventory/locations"],
  [/^\/v3\/catalog\/variants$/, "product-variants_catalog.v3.yml", "/catalog/variants"],
  [/^\/v3\/catalog\/products$/, "products_catalog.v3.yml", "/catalog/products"],
  [/^\/v2\/orders$/, "orders.v2.oas2.yml", "/orders"],
  [/^\/v2\/orders\/\d+$/, "orders.v2.oas2.yml", "/orders/{order_id}"],
  [/^\/v2\/orders\/\d+\/products$/, "orders.v2.oas2.yml", "/orders/{order_id}/products"],
  [/^\/v2\/orders\/\d+\/shipments$/, "orders.v2.oas2.yml", "/orders/{order_id}/shipments"],
];

/**
 * Query parameters BigCommerce serves that its published description leaves out:
 * `/v3/catalog/variants` filters by `sku:in` as the other catalog collections do.
 */
const UNDOCUMENTED: Readonly<Record<string, readonly string[]>> = {
  "/catalog/variants": ["sku:in"],
};

describeWithSpecs("BigCommerce adapter requests against the official OpenAPI descriptions", () => {
  let sandbox: Sandbox;
  const recorder = recordingFetch();

  beforeAll(async () => {
    sandbox = await startSandbox({ bigcommerce: {} });
    const { control } = sandbox.bigcommerce!;
    control.addLocation("WH", "Warehouse");
    control.addProduct({ name: "Tee", skus: ["TEE-S", "TEE-M"] });
    control.addProduct({ name: "Book", skus: ["BOOK-1"], tracking: "product" });
    control.setInventory("TEE-S", 1, 5);

    const { credentials, url } = sandbox.bigcommerce!;
    const client = createBigCommerceClient({
      storeHash: credentials.storeHash,
      accessToken: credentials.accessToken,
      apiUrl: url,
      http: { fetch: recorder.fetch },
    });
    const publisher = createBigCommercePublisher({
      client,
      channelId: "bigcommerce",
      locations: { warehouse: 2 },
    });
    const update = (listingId: string, quantity: number, channelLocationId?: string) =>
      ({
        listingId,
        quantity,
        previous: undefined,
        urgent: false,
        ...(channelLocationId === undefined ? {} : { channelLocationId }),
      }) satisfies QuantityToPublish;
    await client.locations();
    await publisher.discover();
    await publisher.discover(["TEE-S", "BOOK-1"]);
    const outcomes = await publisher.publish([
      update("TEE-S", 3),
      update("TEE-M", 4, "warehouse"),
      update("BOOK-1", 2),
    ]);
    await publisher.confirm(outcomes.flatMap((o) => (o.status === "pending" ? [o] : [])));
    await publisher.readLevels();
    const order = control.placeOrder([{ sku: "TEE-S", quantity: 1 }]);
    control.shipOrder(control.placeOrder([{ sku: "TEE-M", quantity: 1 }]).id, {
      trackingNumber: "1Z999",
    });
    await createBigCommerceOrderSource({ client, channelId: "bigcommerce" }).ordersSince(undefined);
    const body = JSON.stringify({
      scope: "store/order/created",
      store_id: "1",
      data: { type: "order", id: order.id },
      created_at: Math.floor(Date.now() / 1000),
      producer: `stores/${credentials.storeHash}`,
    });
    await createBigCommerceWebhookReceiver({
      client,
      channelId: "bigcommerce",
      secrets: credentials.clientSecret,
    }).receive({
      body,
      headers: new Headers(
        standardWebhookHeaders({
          id: "msg_1",
          timestamp: Math.floor(Date.now() / 1000),
          body,
          secret: credentials.webhookSecret,
        }),
      ),
    });
  });
  afterAll(() => sandbox.close());

  const endpointOf = (url: URL) => {
    const path = url.pathname.replace(/^\/stores\/[^/]+/, "");
    const found = ENDPOINTS.find(([pattern]) => pattern.test(path));
    if (found === undefined)
      throw new Error(`The adapter called an endpoint it should not: ${path}`);
    return { file: specPath(`bigcommerce/${found[1]}`), template: found[2] };
  };

  it("sends every adjustment body in the shape the spec gives", async () => {
    const puts = recorder.requests.filter((r) => r.method === "PUT");
    expect(puts).toHaveLength(1);
    for (const request of puts) {
      const { file, template } = endpointOf(request.url);
      const body = JSON.parse(request.body ?? "null") as { items: Record<string, unknown>[] };
      expect(await requestErrors(file, "PUT", template, body)).toEqual([]);
      expect(body.items.map((i) => Object.keys(i).sort())).toEqual([
        ["location_id", "quantity", "variant_id"],
        ["location_id", "product_id", "quantity"],
        ["location_id", "quantity", "variant_id"],
      ]);
      expect(request.headers.get("content-type")).toMatch(/^application\/json/);
    }
  });

  it("calls only described endpoints, with the spec's query parameters and the X-Auth-Token", async () => {
    expect(recorder.requests.length).toBeGreaterThan(8);
    expect(recorder.requests.some((r) => r.url.pathname.endsWith("/shipments"))).toBe(true);
    for (const request of recorder.requests) {
      const { file, template } = endpointOf(request.url);
      const document = (await loadSpec(file)) as unknown as {
        paths: Record<string, Record<string, unknown> & { parameters?: { name: string }[] }>;
      };
      const entry = document.paths[template];
      const operation = entry?.[request.method.toLowerCase()] as
        | { parameters?: { name: string; in: string }[] }
        | undefined;
      expect(operation, `${request.method} ${template}`).toBeDefined();
      const names = new Set([
        ...(entry?.parameters ?? []).map((p) => p.name),
        ...(operation?.parameters ?? []).filter((p) => p.in === "query").map((p) => p.name),
        ...(UNDOCUMENTED[template] ?? []),
      ]);
      for (const name of request.url.searchParams.keys()) {
        expect(names, `${template}?${name}`).toContain(name);
      }
      expect(request.headers.get("x-auth-token")).toBe(
        sandbox.bigcommerce!.credentials.accessToken,
      );
      expect(request.headers.get("accept")).toBe("application/json");
    }
  });
});
