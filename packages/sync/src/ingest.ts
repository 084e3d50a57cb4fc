import {
  isOmnistockError,
  type OmnistockError,
  validationError,
  type WebhookDelivery,
  type WebhookReceiver,
  webhookStatusOf,
} from "@omnistock/core";
import type { Logger, SyncEvent } from "./events.js";

/**
 * The largest webhook body read when nothing else is set: 4 MiB. The platforms' own
 * deliveries stay well below it (Shopify's largest orders reach about a megabyte, Amazon's
 * SQS messages and EventBridge events at most 1 MiB, BigCommerce's bodies carry ids only),
 * and a body four times the largest of them is still cheap to hold.
 */
export const DEFAULT_WEBHOOK_MAX_BODY_BYTES = 4 * 1024 * 1024;

/**
 * Checks a body limit: a positive safe integer.
 *
 * @throws {@link OmnistockError} `VALIDATION` naming `maxBodyBytes` otherwise.
 */
export function checkMaxBodyBytes(value: number, what: string): number {
  if (!Number.isSafeInteger(value) || value < 1)
    throw validationError(what, [
      { path: ["maxBodyBytes"], message: "expected a positive integer (bytes)" },
    ]);
  return value;
}

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
  /** The body limit of a receiver that sets no `maxBodyBytes` of its own. */
  readonly maxBodyBytes: number;
}

const json = (status: number, body: object) => Response.json(body, { status });
const unknownRoute = () => json(404, { error: "unknown webhook route" });

/**
 * The engine's webhook handler on the Fetch API: routes `…/{tenantId}/{receiver}`, reads
 * the body as a stream up to the receiver's limit, verifies and parses it through the
 * receiver, and applies the delivery. It never throws: whatever goes wrong is a status.
 *
 * Answers carry an error code and, for a malformed delivery, the field at fault; never
 * the text of an error from a platform's API or from inside the engine (that goes to the
 * `error` event and the logger).
 */
export function createWebhookHandler(
  context: WebhookHandlerContext,
): (request: Request) => Promise<Response> {
  const { logger } = context;
  return async (request) => {
    try {
      return await handle(context, request);
    } catch (error) {
      logger.error("webhook handler failed", { error: String(error) });
      discard(request);
      return json(500, { error: "INTERNAL", message: "The delivery could not be handled" });
    }
  };
}

async function handle(context: WebhookHandlerContext, request: Request): Promise<Response> {
  const { route, ingest, emit, logger } = context;
  const parts = new URL(request.url).pathname.split("/").filter((p) => p !== "");
  // A malformed escape (`%ZZ`) names no route.
  const [tenantId, name] = parts.slice(-2).map(decodeSegment);
  const receiver = tenantId === undefined || name === undefined ? undefined : route(tenantId, name);
  if (tenantId === undefined || name === undefined || receiver === undefined) {
    discard(request);
    return unknownRoute();
  }
  const limit = receiver.maxBodyBytes ?? context.maxBodyBytes;
  const body = await readBody(request, limit);
  if (body === TOO_LARGE)
    return json(413, {
      error: "PAYLOAD_TOO_LARGE",
      message: `The body is larger than ${limit} bytes`,
    });
  if (body === UNREADABLE)
    return json(400, { error: "VALIDATION", message: "The body could not be read" });

  const source = `webhook:${name}`;
  let received: Awaited<ReturnType<WebhookReceiver["tryReceive"]>>;
  try {
    received = await receiver.tryReceive({ body, headers: request.headers });
  } catch (error) {
    // `tryReceive` returns what the delivery did wrong; a throw is the receiver's own failure.
    if (!isOmnistockError(error)) throw error;
    received = { ok: false, error };
  }
  if (!received.ok) {
    emit({ type: "error", tenantId, source, error: received.error });
    return refusal(received.error);
  }
  try {
    const result = await ingest(tenantId, source, received.delivery);
    return json(200, { ok: true, duplicate: !result.applied });
  } catch (error) {
    logger.error("webhook apply failed", { tenantId, route: name, error: String(error) });
    if (!isOmnistockError(error))
      return json(500, { error: "INTERNAL", message: "The delivery could not be applied" });
    return refusal(error);
  }
}

/**
 * The answer to a delivery that was refused or failed. Only a malformed delivery (a
 * validation error of its own, not of a platform's answer read meanwhile) says which field
 * was at fault; anything else is the server's problem — `503` when it may pass, else
 * `500` — and its text stays inside.
 */
function refusal(error: OmnistockError): Response {
  const status = webhookStatusOf(error);
  switch (status) {
    case 401:
      return json(401, { error: error.code, message: "The signature does not verify" });
    case 400:
      return json(400, { error: error.code, message: clipped(error.message) });
    case 503:
      return json(503, {
        error: error.code,
        message: "The delivery could not be handled now; retry",
      });
    case 500:
      return json(500, { error: error.code, message: "The delivery could not be handled" });
  }
}

/** At most this much of a validation message is answered: a body can break in many places. */
const MAX_MESSAGE = 1_000;
const clipped = (message: string) =>
  message.length <= MAX_MESSAGE ? message : `${message.slice(0, MAX_MESSAGE)}…`;

function decodeSegment(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

const TOO_LARGE = Symbol("too large");
const UNREADABLE = Symbol("unreadable");

/**
 * Reads the body as UTF-8 text, as `request.text()` does, but stops at `limit` bytes: a
 * larger `Content-Length` is refused before anything is read, and a body that grows past
 * the limit is cancelled there, so no more than the limit is ever held.
 */
async function readBody(
  request: Request,
  limit: number,
): Promise<string | typeof TOO_LARGE | typeof UNREADABLE> {
  const declared = Number(request.headers.get("content-length") ?? Number.NaN);
  if (Number.isFinite(declared) && declared > limit) {
    discard(request);
    return TOO_LARGE;
  }
  if (request.body === null) return "";
  const reader = request.body.getReader();
  const decoder = new TextDecoder();
  let text = "";
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return text + decoder.decode();
      size += value.byteLength;
      if (size > limit) {
        reader.cancel().catch(ignore);
        return TOO_LARGE;
      }
      text += decoder.decode(value, { stream: true });
    }
  } catch {
    reader.cancel().catch(ignore);
    return UNREADABLE;
  }
}

/** Lets go of a body that will not be read. */
function discard(request: Request): void {
  if (request.body !== null && !request.bodyUsed && !request.body.locked)
    request.body.cancel().catch(ignore);
}

function ignore(): void {}
