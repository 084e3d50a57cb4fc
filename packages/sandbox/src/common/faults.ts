import type { Random } from "./random.js";
import type { WebhookDelivery } from "./types.js";

/** Faults of a fake platform's API, drawn from the sandbox's seeded randomness. */
export interface ApiFaults {
  /** Added latency: a fixed part and a random part, in milliseconds. */
  readonly latencyMs?: { readonly min: number; readonly max: number };
  /** Share of requests answered with a 5xx (0–1). */
  readonly serverErrorRate?: number;
  /** Share of requests never answered (the client times out) (0–1). */
  readonly timeoutRate?: number;
  /** Share of requests refused with the platform's own 429 (0–1): a 429 storm while set. */
  readonly rateLimitRate?: number;
}

/** Faults of a fake platform's webhooks. */
export interface WebhookFaults {
  /** Share of webhooks never sent (0–1); polling must catch them. */
  readonly dropRate?: number;
  /** Share sent twice (0–1). */
  readonly duplicateRate?: number;
  /** Share held back and sent after the next one (0–1). */
  readonly reorderRate?: number;
  /** Share sent with a corrupted signature (0–1). */
  readonly corruptSignatureRate?: number;
  /** Delay before each webhook, in milliseconds. */
  readonly delayMs?: { readonly min: number; readonly max: number };
}

/** Every fault of one fake platform. */
export interface Faults {
  readonly api?: ApiFaults;
  readonly webhooks?: WebhookFaults;
}

/** A server that can answer with its platform's own 429. */
export interface RateLimitedAnswer {
  rateLimitedResponse?(): Response;
}

const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Wraps a fetch handler with API faults. `faults()` is read on every request, so faults
 * can change while the sandbox runs.
 */
export function withApiFaults(
  handler: (request: Request) => Promise<Response>,
  server: RateLimitedAnswer,
  faults: () => ApiFaults | undefined,
  random: Random,
): (request: Request) => Promise<Response> {
  return async (request) => {
    const f = faults();
    if (f === undefined) return handler(request);
    // Every draw happens on every request, so one fault's rate does not shift the others.
    const latency = f.latencyMs === undefined ? 0 : random.int(f.latencyMs.min, f.latencyMs.max);
    const timeout = random.chance(f.timeoutRate ?? 0);
    const limited = random.chance(f.rateLimitRate ?? 0);
    const broken = random.chance(f.serverErrorRate ?? 0);
    if (latency > 0) await wait(latency);
    if (timeout) return new Promise<Response>(() => undefined);
    if (limited) {
      return (
        server.rateLimitedResponse?.() ??
        new Response(JSON.stringify({ error: "Too Many Requests" }), {
          status: 429,
          headers: { "retry-after": "1" },
        })
      );
    }
    if (broken) {
      return new Response(JSON.stringify({ error: "Service Unavailable" }), {
        status: 503,
        headers: { "content-type": "application/json" },
      });
    }
    return handler(request);
  };
}

/** Options of {@link createWebhookDispatcher}. */
export interface WebhookDispatcherOptions {
  readonly random: Random;
  readonly faults: () => WebhookFaults | undefined;
  /** @default globalThis.fetch */
  readonly fetch?: typeof fetch;
  /**
   * Attempts per webhook before giving up (platforms retry on non-2xx).
   * @default 3
   */
  readonly attempts?: number;
}

/** Sends a fake platform's webhooks, with faults. */
export interface WebhookDispatcher {
  /** Queues one webhook. */
  deliver(delivery: WebhookDelivery): void;
  /** Resolves when every queued webhook has been sent (or given up). */
  drain(): Promise<void>;
  /** What happened to each webhook, in order. */
  readonly log: readonly {
    readonly id: string;
    readonly topic: string;
    readonly outcome: string;
  }[];
}

/**
 * Delivers webhooks one after another with the configured drop, duplicate, reorder,
 * delay and corrupted-signature rates, retrying a non-2xx answer like the platforms do.
 */
export function createWebhookDispatcher(options: WebhookDispatcherOptions): WebhookDispatcher {
  const send = options.fetch ?? fetch;
  const attempts = options.attempts ?? 3;
  const log: { id: string; topic: string; outcome: string }[] = [];
  let chain: Promise<void> = Promise.resolve();
  let held: WebhookDelivery | undefined;

  async function post(delivery: WebhookDelivery, corrupt: boolean): Promise<void> {
    const headers = corrupt ? corruptSignature(delivery.headers) : delivery.headers;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      try {
        const response = await send(delivery.url, { method: "POST", headers, body: delivery.body });
        await response.arrayBuffer();
        if (response.ok) {
          log.push({
            id: delivery.id,
            topic: delivery.topic,
            outcome: corrupt ? "sent-corrupt" : "sent",
          });
          return;
        }
      } catch {
        // A receiver that is down is retried like a non-2xx answer.
      }
    }
    log.push({ id: delivery.id, topic: delivery.topic, outcome: "failed" });
  }

  function enqueue(delivery: WebhookDelivery): void {
    const f = options.faults() ?? {};
    const { random } = options;
    const drop = random.chance(f.dropRate ?? 0);
    const duplicate = random.chance(f.duplicateRate ?? 0);
    const reorder = random.chance(f.reorderRate ?? 0);
    const corrupt = random.chance(f.corruptSignatureRate ?? 0);
    const delay = f.delayMs === undefined ? 0 : random.int(f.delayMs.min, f.delayMs.max);
    if (drop) {
      log.push({ id: delivery.id, topic: delivery.topic, outcome: "dropped" });
      return;
    }
    if (reorder && held === undefined) {
      held = delivery;
      return;
    }
    const late = held;
    held = undefined;
    chain = chain.then(async () => {
      if (delay > 0) await wait(delay);
      await post(delivery, corrupt);
      if (duplicate) await post(delivery, false);
      if (late !== undefined) await post(late, false);
    });
  }

  return {
    deliver: enqueue,
    async drain() {
      if (held !== undefined) {
        const late = held;
        held = undefined;
        chain = chain.then(() => post(late, false));
      }
      await chain;
    },
    log,
  };
}

function corruptSignature(headers: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = { ...headers };
  for (const name of Object.keys(out)) {
    if (/signature|hmac/i.test(name)) out[name] = `${out[name]}x`;
  }
  return out;
}
