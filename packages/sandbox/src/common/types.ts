import type { PlatformName } from "@omnistock/core";

/**
 * One fake platform: a Fetch-style handler over the platform's real paths, payloads,
 * status codes and headers, with state of its own. `serve()` puts it on a loopback port.
 */
export interface PlatformServer {
  /** Which platform this server imitates. */
  readonly platform: PlatformName;
  /** Answers one HTTP request exactly as the platform would. */
  fetch(request: Request): Promise<Response>;
}

/** A webhook the fake platform sends, already signed as the platform signs it. */
export interface WebhookDelivery {
  /** The platform's delivery id (the de-duplication key on the receiving side). */
  readonly id: string;
  /** The platform's topic or event name, e.g. `orders/create`, `inventory.update`. */
  readonly topic: string;
  /** Where it goes. */
  readonly url: string;
  /** Every header the platform sends, signature included. */
  readonly headers: Readonly<Record<string, string>>;
  /** The raw body, exactly as signed. */
  readonly body: string;
}

/** How a server hands over webhooks; the sandbox's delivery queue applies faults. */
export type DeliverWebhook = (delivery: WebhookDelivery) => void;

/** The time source of a server, in epoch milliseconds. Injectable so tests control time. */
export type Clock = () => number;
