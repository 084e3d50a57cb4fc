import type { OmnistockError, WebhookDelivery, WebhookReceiver } from "@omnistock/core";
import type { Logger, SyncEvent } from "./events.js";

/** What the webhook handler needs of the engine. */
export interface WebhookHandlerContext {
  /** The receiver at a route, or `undefined` for a route nobody serves. */
  readonly route: (tenantId: string, name: string) => WebhookReceiver | undefined;
  /** Applies a verified delivery; `applied: false` for a duplicate. */
  readonly ingest: (
    tenantId: string,
    source: string,
    delivery: WebhookDelivery,
  ) => Promise<{ readonly applied: boolean }>;
  readonly emit: (event: SyncEvent) => void;
  readonly logger: Logger;
}

/**
 * The engine's webhook handler on the Fetch API: routes `…/{tenantId}/{receiver}`,
 * verifies and parses through the receiver, and applies the delivery.
 */
export function createWebhookHandler(
  context: WebhookHandlerContext,
): (request: Request) => Promise<Response> {
  const { route, ingest, emit, logger } = context;
  return async (request) => {
    const parts = new URL(request.url).pathname.split("/").filter((p) => p !== "");
    const [tenantId, name] = parts.slice(-2).map(decodeURIComponent);
    const receiver =
      tenantId === undefined || name === undefined ? undefined : route(tenantId, name);
    if (tenantId === undefined || receiver === undefined)
      return Response.json({ error: "unknown webhook route" }, { status: 404 });
    const body = await request.text();
    const received = await receiver.tryReceive({ body, headers: request.headers });
    if (!received.ok) {
      const error: OmnistockError = received.error;
      emit({ type: "error", tenantId, source: `webhook:${name}`, error });
      const status = error.code === "SIGNATURE" ? 401 : error.retryable ? 503 : 400;
      return Response.json({ error: error.code, message: error.message }, { status });
    }
    try {
      const result = await ingest(tenantId, `webhook:${name}`, received.delivery);
      return Response.json({ ok: true, duplicate: !result.applied });
    } catch (error) {
      logger.error("webhook apply failed", { tenantId, route: name, error: String(error) });
      return Response.json({ error: "STORAGE" }, { status: 500 });
    }
  };
}
