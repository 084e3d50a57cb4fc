import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

/** A webhook as it arrived: the raw body and the headers. */
export interface Received {
  readonly body: string;
  readonly headers: Headers;
}

/** A loopback endpoint that keeps every webhook it is sent. */
export async function startCollector(): Promise<{
  readonly url: string;
  /** Takes the webhooks received so far. */
  take(): Received[];
  close(): Promise<void>;
}> {
  let received: Received[] = [];
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => {
      body += chunk;
    });
    req.on("end", () => {
      const headers = new Headers();
      for (const [name, value] of Object.entries(req.headers))
        if (typeof value === "string") headers.set(name, value);
      received.push({ body, headers });
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/lightspeed`,
    take() {
      const taken = received;
      received = [];
      return taken;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
