import type { IncomingMessage, ServerResponse } from "node:http";

/**
 * Mounts a Fetch-style handler (`Request` → `Response`, such as the engine's
 * `handleWebhook`) on `node:http` or Express: the raw body is passed through untouched,
 * since webhook signatures are computed over its exact bytes.
 *
 * Note: with Express, mount it before any body parser, or on a route without one.
 *
 * @example
 * ```ts
 * http.createServer(toNodeHandler(engine.handleWebhook)).listen(8080, "127.0.0.1");
 * app.post("/webhooks/:tenant/:receiver", toNodeHandler(engine.handleWebhook)); // Express
 * ```
 */
export function toNodeHandler(
  handler: (request: Request) => Promise<Response>,
): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("error", () => {
      res.statusCode = 400;
      res.end();
    });
    req.on("end", () => {
      const headers = new Headers();
      for (const [name, value] of Object.entries(req.headers)) {
        if (value === undefined) continue;
        for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v);
      }
      const url = `http://${req.headers.host ?? "localhost"}${req.url ?? "/"}`;
      const method = req.method ?? "POST";
      const request = new Request(url, {
        method,
        headers,
        ...(method === "GET" || method === "HEAD" ? {} : { body: Buffer.concat(chunks) }),
      });
      handler(request)
        .then(async (response) => {
          res.statusCode = response.status;
          response.headers.forEach((value, name) => {
            res.setHeader(name, value);
          });
          res.end(Buffer.from(await response.arrayBuffer()));
        })
        .catch(() => {
          res.statusCode = 500;
          res.end();
        });
    });
  };
}
