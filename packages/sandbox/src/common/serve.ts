import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** A Fetch-style handler put on a loopback port by {@link serve}. */
export type FetchHandler = (request: Request) => Promise<Response>;

/** A running loopback HTTP server. */
export interface ServedHandler {
  /** Base URL, e.g. `http://127.0.0.1:49152`. */
  readonly url: string;
  /** The port the system gave. */
  readonly port: number;
  /** Stops accepting, ends open connections and resolves when the port is free. */
  close(): Promise<void>;
}

/** Options of {@link serve}. */
export interface ServeOptions {
  /**
   * Port to listen on; 0 lets the system choose a free one.
   * @default 0
   */
  readonly port?: number;
}

/**
 * Serves a Fetch-style handler on 127.0.0.1 (never on another interface).
 *
 * @example
 * ```ts
 * const served = await serve(async () => new Response("ok"));
 * await fetch(served.url); // "ok"
 * await served.close();
 * ```
 */
export async function serve(
  handler: FetchHandler,
  options: ServeOptions = {},
): Promise<ServedHandler> {
  const server = createServer((req, res) => {
    void respond(handler, req, res);
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

async function respond(
  handler: FetchHandler,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  try {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) {
      if (Array.isArray(value)) for (const v of value) headers.append(name, v);
      else if (value !== undefined) headers.set(name, value);
    }
    const method = req.method ?? "GET";
    const body =
      chunks.length > 0 && method !== "GET" && method !== "HEAD"
        ? Buffer.concat(chunks)
        : undefined;
    const request = new Request(`http://${req.headers.host ?? "127.0.0.1"}${req.url ?? "/"}`, {
      method,
      headers,
      ...(body === undefined ? {} : { body }),
    });
    const response = await handler(request);
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.end(Buffer.from(await response.arrayBuffer()));
  } catch (error) {
    if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" });
    res.end(JSON.stringify({ error: error instanceof Error ? error.message : String(error) }));
  }
}
