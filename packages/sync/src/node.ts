import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from "node:http";
import { checkMaxBodyBytes, DEFAULT_WEBHOOK_MAX_BODY_BYTES } from "./ingest.js";

/** Options of {@link toNodeHandler}. */
export interface NodeHandlerOptions {
  /**
   * The largest request body read, in bytes. A larger `Content-Length` is answered `413`
   * before any of the body is read; a body that grows past the limit while it streams in
   * (chunked, no `Content-Length`) is answered `413` at that point, and the rest is never
   * read: the connection is closed after the answer. Nothing past the limit is held in
   * memory.
   *
   * Note: the engine's `handleWebhook` applies its own limit (`webhooks.maxBodyBytes`, or a
   * receiver's `maxBodyBytes`) as well; a limit raised there must be raised here too.
   * @default 4194304 (4 MiB)
   */
  readonly maxBodyBytes?: number;
}

/**
 * Mounts a Fetch-style handler (`Request` → `Response`, such as the engine's
 * `handleWebhook`) on `node:http` or Express: the raw body is passed through untouched,
 * since webhook signatures are computed over its exact bytes.
 *
 * Nothing a client sends can throw out of the listener: a `Host` header or target that is
 * not a URL, or a method the Fetch API refuses, is answered `400`; a body over
 * `maxBodyBytes` `413`; a handler that throws or rejects `500` (with no detail); a client
 * that leaves mid-body or before the answer is simply dropped.
 *
 * Note: with Express, mount it before any body parser, or on a route without one.
 *
 * @throws {@link OmnistockError} `VALIDATION` when `maxBodyBytes` is not a positive integer.
 * @example
 * ```ts
 * http.createServer(toNodeHandler(engine.handleWebhook)).listen(8080, "127.0.0.1");
 * app.post("/webhooks/:tenant/:receiver", toNodeHandler(engine.handleWebhook)); // Express
 * ```
 */
export function toNodeHandler(
  handler: (request: Request) => Promise<Response>,
  options: NodeHandlerOptions = {},
): (req: IncomingMessage, res: ServerResponse) => void {
  const limit = checkMaxBodyBytes(
    options.maxBodyBytes ?? DEFAULT_WEBHOOK_MAX_BODY_BYTES,
    "toNodeHandler options",
  );
  return (req, res) => {
    // A write to a connection the client already closed must not become an uncaught error.
    res.on("error", ignore);
    try {
      serve(handler, limit, req, res);
    } catch {
      answer(res, 500, { error: "INTERNAL" }, true);
    }
  };
}

function serve(
  handler: (request: Request) => Promise<Response>,
  limit: number,
  req: IncomingMessage,
  res: ServerResponse,
): void {
  const head = requestHead(req);
  if (head === undefined) {
    req.on("error", ignore);
    answer(
      res,
      400,
      { error: "VALIDATION", message: "The Host header, the target or a header is not valid" },
      true,
    );
    return;
  }
  const declared = Number(req.headers["content-length"]);
  if (Number.isFinite(declared) && declared > limit) {
    req.on("error", ignore);
    answer(res, 413, tooLarge(limit), true);
    return;
  }

  const chunks: Buffer[] = [];
  let size = 0;
  const stop = () => {
    req.off("data", onData);
    req.off("end", onEnd);
  };
  const onData = (chunk: Buffer) => {
    size += chunk.length;
    if (size > limit) {
      // Stop reading: the connection closes once the answer is written.
      stop();
      req.pause();
      chunks.length = 0;
      answer(res, 413, tooLarge(limit), true);
      return;
    }
    chunks.push(chunk);
  };
  const onEnd = () => {
    stop();
    respond(handler, head, Buffer.concat(chunks, size), res);
  };
  req.on("data", onData);
  req.on("end", onEnd);
  // A client that leaves mid-body: nothing to hand on, and maybe no one to answer.
  req.on("error", () => {
    stop();
    answer(res, 400, { error: "VALIDATION", message: "The request body could not be read" }, true);
  });
}

interface RequestHead {
  readonly url: string;
  readonly method: string;
  readonly headers: Headers;
}

/** The URL, method and headers of a request, or `undefined` when they are not valid. */
function requestHead(req: IncomingMessage): RequestHead | undefined {
  try {
    const url = new URL(req.url ?? "/", `http://${req.headers.host ?? "localhost"}`);
    return { url: url.href, method: req.method ?? "POST", headers: headersOf(req.headers) };
  } catch {
    return undefined;
  }
}

function headersOf(incoming: IncomingHttpHeaders): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(incoming)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v);
  }
  return headers;
}

function respond(
  handler: (request: Request) => Promise<Response>,
  head: RequestHead,
  body: Buffer,
  res: ServerResponse,
): void {
  let request: Request;
  try {
    request = new Request(head.url, {
      method: head.method,
      headers: head.headers,
      ...(head.method === "GET" || head.method === "HEAD" ? {} : { body }),
    });
  } catch {
    // e.g. TRACE, which the Fetch API refuses.
    answer(res, 400, { error: "VALIDATION", message: "The request method is not accepted" }, true);
    return;
  }
  new Promise<Response>((resolve) => resolve(handler(request)))
    .then(async (response) => {
      const bytes = Buffer.from(await response.arrayBuffer());
      if (res.headersSent || res.destroyed) return;
      res.statusCode = response.status;
      response.headers.forEach((value, name) => {
        res.setHeader(name, value);
      });
      res.end(bytes);
    })
    .catch(() => answer(res, 500, { error: "INTERNAL" }, false));
}

const tooLarge = (limit: number) => ({
  error: "PAYLOAD_TOO_LARGE",
  message: `The request body is larger than ${limit} bytes`,
});

/** Answers with a small JSON body, unless an answer is already on its way. */
function answer(res: ServerResponse, status: number, body: object, close: boolean): void {
  if (res.headersSent || res.destroyed) return;
  try {
    for (const name of res.getHeaderNames()) res.removeHeader(name);
    res.statusCode = status;
    res.setHeader("content-type", "application/json");
    // The rest of the request is not read: the connection cannot carry another one.
    if (close) res.setHeader("connection", "close");
    res.end(JSON.stringify(body));
  } catch {
    res.destroy();
  }
}

function ignore(): void {}
