import { hmacSha256 } from "../common/signing.js";
import type { DeliverWebhook } from "../common/types.js";

/** The webhook types of X-Series. */
export type LightspeedWebhookType = "inventory.update" | "sale.update" | "product.update";

/** A webhook subscription, as `GET /api/2.0/webhooks` lists it. */
export interface LightspeedHook {
  readonly id: string;
  readonly url: string;
  readonly type: string;
  readonly active: boolean;
}

/** The store's webhook subscriptions and how it sends to them. */
export interface LightspeedWebhooks {
  /** Subscriptions by id. */
  readonly hooks: Map<string, LightspeedHook>;
  /** Adds a subscription. */
  add(hook: Omit<LightspeedHook, "id">): LightspeedHook;
  /** Sends one event to every active subscriber of its type. */
  emit(type: LightspeedWebhookType, payload: unknown): void;
  /** Webhooks kept when there is no `deliver`. */
  readonly sent: readonly { readonly type: string; readonly url: string; readonly body: string }[];
}

/** What {@link createLightspeedWebhooks} needs. */
export interface LightspeedWebhooksOptions {
  readonly uuid: () => string;
  readonly domainPrefix: string;
  /** Signs every body (HMAC-SHA256, hex, in `X-Signature`). */
  readonly clientSecret: string;
  readonly deliver: DeliverWebhook | undefined;
}

/** X-Series webhooks: form-encoded bodies with the payload as JSON, signed with the client secret. */
export function createLightspeedWebhooks(options: LightspeedWebhooksOptions): LightspeedWebhooks {
  const { uuid, domainPrefix, clientSecret, deliver } = options;
  const hooks = new Map<string, LightspeedHook>();
  const sent: { type: string; url: string; body: string }[] = [];
  return {
    hooks,
    add(hook) {
      const added = { id: uuid(), ...hook };
      hooks.set(added.id, added);
      return added;
    },
    emit(type, payload) {
      for (const hook of hooks.values()) {
        if (!hook.active || hook.type !== type) continue;
        const body = new URLSearchParams({
          payload: JSON.stringify(payload),
          environment: "sandbox",
          domain_prefix: domainPrefix,
          type,
        }).toString();
        const signature = hmacSha256(clientSecret, body, "hex");
        if (deliver === undefined) sent.push({ type, url: hook.url, body });
        else {
          deliver({
            id: uuid(),
            topic: type,
            url: hook.url,
            body,
            headers: {
              "content-type": "application/x-www-form-urlencoded",
              "x-signature": `signature=${signature},algorithm=HMAC-SHA256`,
            },
          });
        }
      }
    },
    sent,
  };
}
