import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import {
  createRandom,
  createWebhookDispatcher,
  type OutgoingWebhook,
  withApiFaults,
} from "../../src/index.js";

const ok = async () => new Response("ok");
const limited = {
  rateLimitedResponse: () => new Response("{}", { status: 429, headers: { "retry-after": "3" } }),
};

async function outcomes(seed: number, count: number): Promise<number[]> {
  const handler = withApiFaults(
    ok,
    limited,
    () => ({ serverErrorRate: 0.2, rateLimitRate: 0.2 }),
    createRandom(seed),
  );
  const statuses: number[] = [];
  for (let i = 0; i < count; i++) statuses.push((await handler(new Request("http://x/"))).status);
  return statuses;
}

describe("API faults", () => {
  it("repeat exactly for a seed and differ between seeds", async () => {
    const a = await outcomes(7, 200);
    expect(await outcomes(7, 200)).toEqual(a);
    expect(await outcomes(8, 200)).not.toEqual(a);
  });

  it("answer with the platform's own 429 and with 5xx at about the rates asked", async () => {
    const statuses = await outcomes(3, 2000);
    const share = (status: number) => statuses.filter((s) => s === status).length / statuses.length;
    expect(share(429)).toBeGreaterThan(0.15);
    expect(share(429)).toBeLessThan(0.25);
    expect(share(503)).toBeGreaterThan(0.11);
    expect(share(200)).toBeGreaterThan(0.55);
  });

  it("leave a request unanswered at the timeout rate, so the client's timeout fires", async () => {
    const { serve } = await import("../../src/index.js");
    const served = await serve(
      withApiFaults(ok, limited, () => ({ timeoutRate: 1 }), createRandom(1)),
    );
    await expect(fetch(served.url, { signal: AbortSignal.timeout(150) })).rejects.toThrow(
      /timeout|abort/i,
    );
    await served.close();
  });

  it("pass everything through when there are no faults", async () => {
    const handler = withApiFaults(ok, limited, () => undefined, createRandom(1));
    expect((await handler(new Request("http://x/"))).status).toBe(200);
  });
});

describe("webhook faults", () => {
  async function receive(
    faults: Parameters<typeof createWebhookDispatcher>[0]["faults"],
    count: number,
    seed = 5,
  ) {
    const received: { id: string; signature: string }[] = [];
    const server = createServer((req, res) => {
      received.push({
        id: String(req.headers["x-id"]),
        signature: String(req.headers["x-signature"]),
      });
      res.end();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
    const dispatcher = createWebhookDispatcher({ random: createRandom(seed), faults });
    for (let i = 0; i < count; i++) {
      const delivery: OutgoingWebhook = {
        id: `w${i}`,
        topic: "t",
        url,
        body: "{}",
        headers: { "x-id": `w${i}`, "x-signature": "sig" },
      };
      dispatcher.deliver(delivery);
    }
    await dispatcher.drain();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    return { received, log: dispatcher.log };
  }

  it("sends every webhook once, in order, when there are no faults", async () => {
    const { received } = await receive(() => undefined, 5);
    expect(received.map((r) => r.id)).toEqual(["w0", "w1", "w2", "w3", "w4"]);
  });

  it("drops, duplicates, reorders and corrupts as configured, the same way for the same seed", async () => {
    const faults = () => ({
      dropRate: 0.2,
      duplicateRate: 0.2,
      reorderRate: 0.2,
      corruptSignatureRate: 0.2,
    });
    const first = await receive(faults, 60);
    const again = await receive(faults, 60);
    expect(again.received).toEqual(first.received);
    const ids = first.received.map((r) => r.id);
    expect(first.log.filter((l) => l.outcome === "dropped").length).toBeGreaterThan(0);
    expect(new Set(ids).size).toBeLessThan(ids.length); // duplicates
    expect(ids).not.toEqual([...ids].sort((a, b) => Number(a.slice(1)) - Number(b.slice(1)))); // reordered
    expect(first.received.some((r) => r.signature !== "sig")).toBe(true); // corrupted
  });
});
