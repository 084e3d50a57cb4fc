import type { SandboxPlatform, ShopifyControl, ShopifyServer } from "@omnistock/sandbox";
import {
  createShopifyClient,
  type ShopifyClient,
  type ShopifyClientOptions,
} from "../src/index.js";

/** One started fake shop. */
export type Shop = SandboxPlatform<ShopifyControl, ShopifyServer["credentials"]>;

/** A client of a fake shop that retries quickly. */
export function clientOf(
  shop: Shop,
  http: ShopifyClientOptions["http"] = {},
  extra: Partial<Pick<ShopifyClientOptions, "limiter" | "plan">> = {},
): ShopifyClient {
  return createShopifyClient({
    shop: shop.credentials.shop,
    baseUrl: shop.url,
    accessToken: shop.credentials.accessToken,
    ...extra,
    http: { retry: { retries: 10, minDelayMs: 1, maxDelayMs: 20 }, ...http },
  });
}

/** The GraphQL requests a recording fetch saw, parsed. */
export function graphqlBodies(
  requests: readonly { readonly body: string | undefined }[],
): { query: string; variables: Record<string, unknown>; operationName?: string }[] {
  return requests.map((r) => JSON.parse(r.body ?? "{}"));
}
