import type { WebhookRequest } from "@omnistock/core";
import { standardWebhookHeaders } from "@omnistock/transport";
import { type BigCommerceClient, createBigCommerceClient } from "../src/index.js";

/** The Standard Webhooks secret the tests sign with. */
export const WEBHOOK_SECRET = `whsec_${Buffer.from("bigcommerce-client-secret").toString("base64")}`;

/** The time the tests run at, in epoch milliseconds. */
export const NOW = Date.UTC(2026, 10, 22, 9, 0, 0);

/** What the fake store answers: raw JSON text, so that a test can put any token in it. */
export interface StoreAnswers {
  /** `GET /v2/orders/{id}`. */
  readonly order?: string;
  /** `GET /v2/orders/{id}/products`. */
  readonly products?: string;
  /** `GET /v3/inventory/items`: the items array. */
  readonly items?: string;
}

const ORDER = JSON.stringify({
  id: 120,
  status_id: 11,
  date_modified: new Date(NOW).toUTCString(),
});
const PRODUCTS = JSON.stringify([
  { id: 1, order_id: 120, product_id: 10, variant_id: 11, sku: "TEE-S", quantity: 2 },
]);
const ITEMS = JSON.stringify([
  {
    identity: { sku: "TEE-S", variant_id: 11, product_id: 10 },
    locations: [{ location_id: 1, total_inventory_onhand: 5, available_to_sell: 5 }],
  },
]);

/** A client of a fake store that answers every request from `answers`, with no quota to wait on. */
export function fakeStoreClient(answers: StoreAnswers = {}): BigCommerceClient {
  const fetch: typeof globalThis.fetch = async (input) => {
    const url = new URL(
      typeof input === "string" ? input : input instanceof URL ? input.href : input.url,
    );
    const path = url.pathname.replace(/^\/stores\/[^/]+/, "");
    const json = (text: string) =>
      new Response(text, { status: 200, headers: { "content-type": "application/json" } });
    if (path.endsWith("/shipments")) return new Response(null, { status: 204 });
    if (path.endsWith("/products")) return json(answers.products ?? PRODUCTS);
    if (path.startsWith("/v2/orders/")) return json(answers.order ?? ORDER);
    if (path === "/v3/inventory/items") {
      return json(
        `{"data":${answers.items ?? ITEMS},"meta":{"pagination":{"total":1,"current_page":1,"total_pages":1}}}`,
      );
    }
    return new Response(null, { status: 404 });
  };
  return createBigCommerceClient({
    storeHash: "abc123",
    accessToken: "token",
    apiUrl: "http://127.0.0.1:1",
    quota: 1_000_000,
    http: { fetch, retry: { retries: 0 } },
  });
}

/** A webhook body of `scope` with its `data`. */
export function webhookBody(scope: string, data: unknown): string {
  return JSON.stringify({
    scope,
    store_id: "1",
    data,
    created_at: NOW / 1000,
    producer: "stores/abc123",
  });
}

/** `body` as BigCommerce delivers it, signed with {@link WEBHOOK_SECRET}. */
export function signedDelivery(body: string, id = "msg_1"): WebhookRequest {
  return {
    body,
    headers: new Headers(
      standardWebhookHeaders({ id, timestamp: NOW / 1000, body, secret: WEBHOOK_SECRET }),
    ),
  };
}
