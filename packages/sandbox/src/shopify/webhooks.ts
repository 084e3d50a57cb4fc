import { randomToken } from "../common/ids.js";
import type { Random } from "../common/random.js";
import { hmacSha256 } from "../common/signing.js";
import type { Clock, DeliverWebhook } from "../common/types.js";

/** The webhook topics the sandbox sends. */
export type ShopifyTopic =
  | "orders/create"
  | "orders/cancelled"
  | "orders/fulfilled"
  | "refunds/create"
  | "inventory_levels/update";

/** The store's webhook subscriptions and how it sends to them. */
export interface ShopifyWebhooks {
  subscribe(topic: ShopifyTopic, url: string): void;
  /** Sends a payload to every subscriber of its topic. */
  emit(topic: ShopifyTopic, payload: unknown): void;
  /** What was kept when there is no `deliver`. */
  readonly sent: readonly { readonly topic: string; readonly body: string }[];
}

/** What {@link createShopifyWebhooks} needs. */
export interface ShopifyWebhooksOptions {
  readonly clock: Clock;
  readonly random: Random;
  readonly shop: string;
  /** Signs every body (HMAC-SHA256, base64, in `X-Shopify-Hmac-Sha256`). */
  readonly webhookSecret: string;
  readonly deliver: DeliverWebhook | undefined;
}

/** Shopify webhooks: JSON bodies with the `X-Shopify-*` headers, signed with the app's secret. */
export function createShopifyWebhooks(options: ShopifyWebhooksOptions): ShopifyWebhooks {
  const { clock, random, shop, webhookSecret, deliver } = options;
  const hooks: { topic: ShopifyTopic; url: string }[] = [];
  const sent: { topic: string; body: string }[] = [];
  return {
    subscribe(topic, url) {
      hooks.push({ topic, url });
    },
    emit(topic, payload) {
      const body = JSON.stringify(payload);
      for (const hook of hooks) {
        if (hook.topic !== topic) continue;
        if (deliver === undefined) {
          sent.push({ topic, body });
          continue;
        }
        const id = `${randomToken(random, 32, 16)}-${randomToken(random, 32, 16)}`;
        deliver({
          id,
          topic,
          url: hook.url,
          body,
          headers: {
            "content-type": "application/json",
            "x-shopify-topic": topic,
            "x-shopify-hmac-sha256": hmacSha256(webhookSecret, body, "base64"),
            "x-shopify-shop-domain": shop,
            "x-shopify-webhook-id": id,
            "x-shopify-api-version": "2026-04",
            "x-shopify-triggered-at": new Date(clock()).toISOString(),
          },
        });
      }
    },
    sent,
  };
}
