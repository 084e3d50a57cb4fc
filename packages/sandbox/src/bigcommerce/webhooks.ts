import { createHash } from "node:crypto";
import { randomToken } from "../common/ids.js";
import type { Random } from "../common/random.js";
import { hmacSha256 } from "../common/signing.js";
import type { Clock, DeliverWebhook } from "../common/types.js";

/** A webhook kept instead of sent, when the server has nowhere to deliver. */
export interface BigCommerceSentWebhook {
  readonly scope: string;
  readonly url: string;
  readonly body: string;
}

/** The store's webhook subscriptions and how it sends to them. */
export interface BigCommerceWebhooks {
  /** Subscribes `url` to `scope` (`store/order/*` covers every order scope). */
  subscribe(scope: string, url: string): void;
  /** Sends one event to every subscriber of its scope. */
  emit(scope: string, data: unknown): void;
  /** What was kept when there is no `deliver`. */
  readonly sent: readonly BigCommerceSentWebhook[];
}

/** What {@link createBigCommerceWebhooks} needs. */
export interface BigCommerceWebhooksOptions {
  readonly clock: Clock;
  readonly random: Random;
  readonly storeHash: string;
  readonly clientSecret: string;
  readonly deliver: DeliverWebhook | undefined;
}

const subscribed = (hook: { scope: string }, scope: string) =>
  hook.scope === scope || (hook.scope.endsWith("/*") && scope.startsWith(hook.scope.slice(0, -1)));

/** BigCommerce webhooks: a callback body with its `hash`, signed in the Standard Webhooks scheme. */
export function createBigCommerceWebhooks(
  options: BigCommerceWebhooksOptions,
): BigCommerceWebhooks {
  const { clock, random, storeHash, clientSecret, deliver } = options;
  const hooks: { scope: string; url: string }[] = [];
  const sent: BigCommerceSentWebhook[] = [];

  function emit(scope: string, data: unknown): void {
    // Nobody listens: nothing to sign (bulk adjustments emit one per item).
    if (!hooks.some((hook) => subscribed(hook, scope))) return;
    const body = JSON.stringify({
      scope,
      store_id: "1025646",
      data,
      hash: createHash("sha1").update(JSON.stringify(data)).digest("hex"),
      created_at: Math.floor(clock() / 1000),
      producer: `stores/${storeHash}`,
    });
    for (const hook of hooks) {
      if (!subscribed(hook, scope)) continue;
      if (deliver === undefined) {
        sent.push({ scope, url: hook.url, body });
        continue;
      }
      const id = `msg_${randomToken(random, 48, 36)}`;
      const timestamp = Math.floor(clock() / 1000);
      const signature = hmacSha256(
        Buffer.from(clientSecret),
        `${id}.${timestamp}.${body}`,
        "base64",
      );
      deliver({
        id,
        topic: scope,
        url: hook.url,
        body,
        headers: {
          "content-type": "application/json",
          "webhook-id": id,
          "webhook-timestamp": String(timestamp),
          "webhook-signature": `v1,${signature}`,
        },
      });
    }
  }

  return {
    subscribe(scope, url) {
      hooks.push({ scope, url });
    },
    emit,
    sent,
  };
}
