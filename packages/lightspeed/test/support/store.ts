import { createHmac } from "node:crypto";
import { createLightspeedServer, type LightspeedServer } from "@omnistock/sandbox";
import { createLightspeedClient, type LightspeedClient } from "../../src/index.js";

/** What the client asked the store, in order. */
export interface Asked {
  readonly method: string;
  readonly path: string;
  readonly after: string | null;
}

/**
 * A fake store in this process and a client over it, on one clock that only the test moves.
 * `intercept` may answer a request itself (or hold it) before the store sees it.
 */
export function inProcessStore(
  options: {
    intercept?: (request: Request, store: LightspeedServer) => Promise<Response> | undefined;
  } = {},
) {
  const time = { now: Date.UTC(2026, 10, 23, 9, 0, 0) };
  const store = createLightspeedServer({ clock: () => time.now });
  const asked: Asked[] = [];
  const client: LightspeedClient = createLightspeedClient({
    baseUrl: "http://lightspeed.test",
    auth: { personalToken: store.credentials.personalToken },
    http: {
      clock: () => time.now,
      sleep: async (ms) => {
        time.now += ms;
      },
      retry: { retries: 0 },
      fetch: async (input, init) => {
        const request = new Request(input, init);
        const url = new URL(request.url);
        asked.push({
          method: request.method,
          path: url.pathname,
          after: url.searchParams.get("after"),
        });
        return options.intercept?.(request, store) ?? store.fetch(request);
      },
    },
  });
  /** Full reads (from the first page) of a collection. */
  const reads = (path: string) =>
    asked.filter((a) => a.method === "GET" && a.path === path && a.after === "0").length;
  return { store, client, time, asked, reads };
}

/** A webhook as Lightspeed sends it, signed with `secret`. */
export function signedWebhook(
  secret: string,
  type: string,
  payload: unknown,
): { body: string; headers: Headers } {
  const body = new URLSearchParams({ type, payload: JSON.stringify(payload) }).toString();
  const signature = createHmac("sha256", secret).update(body).digest("hex");
  return {
    body,
    headers: new Headers({ "x-signature": `signature=${signature},algorithm=HMAC-SHA256` }),
  };
}

/** The webhooks the store sent since the last call, as requests a receiver takes. */
export function sentSince(
  store: LightspeedServer,
): () => { type: string; body: string; headers: Headers }[] {
  let seen = 0;
  return () => {
    const all = store.control.webhooksSent();
    const fresh = all.slice(seen);
    seen = all.length;
    return fresh.map((w) => {
      const signature = createHmac("sha256", store.credentials.clientSecret)
        .update(w.body)
        .digest("hex");
      return {
        type: w.type,
        body: w.body,
        headers: new Headers({ "x-signature": `signature=${signature},algorithm=HMAC-SHA256` }),
      };
    });
  };
}

/** A JSON answer like the store's. */
export function jsonAnswer(body: unknown): Response {
  return new Response(JSON.stringify(body), { headers: { "content-type": "application/json" } });
}
