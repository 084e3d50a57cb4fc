import { once } from "node:events";
import { createServer, type Server } from "node:http";
import { connect, type Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { toNodeHandler } from "../src/index.js";

/** A server on 127.0.0.1 with the handler mounted, and what it saw. */
async function serve(
  handler: (request: Request) => Promise<Response>,
  options?: Parameters<typeof toNodeHandler>[1],
): Promise<{ server: Server; port: number; sockets: Socket[]; calls: Request[] }> {
  const calls: Request[] = [];
  const sockets: Socket[] = [];
  const server = createServer(
    toNodeHandler((request) => {
      calls.push(request);
      return handler(request);
    }, options),
  );
  server.on("connection", (socket) => sockets.push(socket));
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("no port");
  servers.push(server);
  return { server, port: address.port, sockets, calls };
}

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

/** Sends raw bytes and collects the whole answer (until the server closes or `done`). */
function raw(port: number, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1");
    let answer = "";
    socket.on("data", (chunk: Buffer) => {
      answer += chunk.toString("latin1");
    });
    socket.on("error", reject);
    socket.on("close", () => resolve(answer));
    socket.write(text);
  });
}

const statusOf = (answer: string) => Number(answer.split(" ")[1]);

/** A POST of `size` bytes, written in chunks while the server reads, stopped when it answers. */
function postLarge(
  port: number,
  size: number,
  headers: string,
): Promise<{ answer: string; written: number }> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    const chunk = Buffer.alloc(64 * 1024, "a");
    let answer = "";
    let written = 0;
    let stopped = false;
    const chunked = headers.includes("chunked");
    const pump = () => {
      while (!stopped && written < size) {
        written += chunk.length;
        const data = chunked
          ? Buffer.concat([
              Buffer.from(`${chunk.length.toString(16)}\r\n`),
              chunk,
              Buffer.from("\r\n"),
            ])
          : chunk;
        if (!socket.write(data)) return;
      }
      if (!stopped && chunked) socket.write("0\r\n\r\n");
    };
    socket.on("data", (data: Buffer) => {
      answer += data.toString("latin1");
      stopped = true;
    });
    socket.on("drain", pump);
    socket.on("error", () => {
      stopped = true;
    });
    socket.on("close", () => resolve({ answer, written }));
    socket.write(`POST /webhooks/acme/pos HTTP/1.1\r\nHost: 127.0.0.1\r\n${headers}\r\n`);
    pump();
  });
}

const ok = async () => Response.json({ ok: true });

describe("toNodeHandler", () => {
  it.each(["x:99999", "a b", "["])(
    "answers 400 to a Host header that is no URL (%s), and the server answers the next request",
    async (host) => {
      const { port, calls } = await serve(ok);
      const answer = await raw(
        port,
        `POST /webhooks/acme/pos HTTP/1.1\r\nHost: ${host}\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}`,
      );
      expect(statusOf(answer)).toBe(400);
      expect(calls).toHaveLength(0);
      const next = await raw(
        port,
        "POST /webhooks/acme/pos HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}",
      );
      expect(statusOf(next)).toBe(200);
      expect(calls).toHaveLength(1);
    },
  );

  it("answers 400 to a method the Fetch API refuses (TRACE) instead of throwing", async () => {
    const { port, calls } = await serve(ok);
    const answer = await raw(
      port,
      "TRACE /webhooks/acme/pos HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
    );
    expect(statusOf(answer)).toBe(400);
    expect(calls).toHaveLength(0);
  });

  it("answers 500, never an uncaught exception, when the handler throws or rejects", async () => {
    const { port } = await serve(() => {
      throw new Error("internal detail");
    });
    const answer = await raw(
      port,
      "POST /x HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
    );
    expect(statusOf(answer)).toBe(500);
    expect(answer).not.toContain("internal detail");
  });

  it("survives a client that aborts mid-body and one that leaves before the answer is written", async () => {
    let release: () => void = () => {};
    // The first delivery is answered late, once its client is gone; later ones at once.
    const slow = () =>
      calls.length > 1
        ? ok()
        : new Promise<Response>((resolve) => {
            release = () => resolve(Response.json({ late: true }));
          });
    const { port, calls } = await serve(() => slow());
    // Half a body, then gone.
    const aborted = connect(port, "127.0.0.1");
    aborted.write(
      `POST /x HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100\r\n\r\n${"a".repeat(10)}`,
    );
    await new Promise((resolve) => setTimeout(resolve, 20));
    aborted.destroy();
    // A whole body, then gone before the handler answers.
    const impatient = connect(port, "127.0.0.1");
    impatient.write("POST /x HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 2\r\n\r\n{}");
    while (calls.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    impatient.destroy();
    await new Promise((resolve) => setTimeout(resolve, 20));
    release();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(calls).toHaveLength(1);
    const next = await raw(
      port,
      "POST /x HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
    );
    expect(statusOf(next)).toBe(200);
  });

  it("answers 413 at once to a Content-Length over the limit, reading none of the body", async () => {
    const { port, calls, sockets } = await serve(ok, { maxBodyBytes: 1024 });
    const answer = await raw(
      port,
      "POST /x HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 67108864\r\n\r\n",
    );
    expect(statusOf(answer)).toBe(413);
    expect(calls).toHaveLength(0);
    expect(sockets[0]?.bytesRead).toBeLessThan(1024);
  });

  it.each([
    ["with", "Content-Length: 67108864\r\n"],
    ["without", "Transfer-Encoding: chunked\r\n"],
  ])(
    "stops reading a body over the limit sent %s a Content-Length (413, never buffered past the limit)",
    async (_, headers) => {
      const limit = 256 * 1024;
      const { port, calls, sockets } = await serve(ok, { maxBodyBytes: limit });
      const size = 64 * 1024 * 1024;
      const { answer, written } = await postLarge(port, size, headers);
      expect(statusOf(answer)).toBe(413);
      expect(calls).toHaveLength(0);
      // The server read at most the limit and what was already in flight, not the 64 MB.
      expect(sockets[0]?.bytesRead ?? Infinity).toBeLessThan(limit + 1024 * 1024);
      expect(written).toBeLessThan(size);
    },
  );

  it("passes a body within the limit through untouched", async () => {
    const { port, calls } = await serve(async (request) => new Response(await request.text()), {
      maxBodyBytes: 16,
    });
    const answer = await raw(
      port,
      "POST /x HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 16\r\nConnection: close\r\n\r\n0123456789abcdef",
    );
    expect(statusOf(answer)).toBe(200);
    expect(answer.endsWith("0123456789abcdef")).toBe(true);
    expect(calls).toHaveLength(1);
  });

  it("refuses a limit that is not a positive integer when it is made", () => {
    expect(() => toNodeHandler(ok, { maxBodyBytes: 0 })).toThrow(/maxBodyBytes/);
    expect(() => toNodeHandler(ok, { maxBodyBytes: Number.NaN })).toThrow(/maxBodyBytes/);
  });
});
