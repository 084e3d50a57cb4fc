import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { startSandbox } from "../src/index.js";

describe("startSandbox", () => {
  it("starts Lightspeed on 127.0.0.1, answers plain fetch, delivers signed webhooks, and frees its port", async () => {
    const hooks: string[] = [];
    const receiver = createServer((req, res) => {
      let body = "";
      req.on("data", (c) => {
        body += c;
      });
      req.on("end", () => {
        hooks.push(body);
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
    const hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/lightspeed`;

    const sandbox = await startSandbox({ lightspeed: {}, seed: 42 });
    const lightspeed = sandbox.lightspeed;
    if (lightspeed === undefined) throw new Error("no Lightspeed");
    expect(lightspeed.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const outlet = lightspeed.control.addOutlet("Main Street");
    lightspeed.control.addProduct({ sku: "MUG-RED" });
    lightspeed.control.subscribe("inventory.update", hookUrl);
    lightspeed.control.setInventory("MUG-RED", outlet.id, 4);

    const response = await fetch(`${lightspeed.url}/api/2.0/outlets`, {
      headers: { authorization: `Bearer ${lightspeed.credentials.personalToken}` },
    });
    expect(((await response.json()) as { data: { name: string }[] }).data[0]?.name).toBe(
      "Main Street",
    );
    await lightspeed.drainWebhooks();
    expect(hooks).toHaveLength(1);
    expect(new URLSearchParams(hooks[0]).get("payload")).toContain('"count":4');

    lightspeed.setFaults({ api: { serverErrorRate: 1 } });
    const broken = await fetch(`${lightspeed.url}/api/2.0/outlets`, {
      headers: { authorization: `Bearer ${lightspeed.credentials.personalToken}` },
    });
    expect(broken.status).toBe(503);

    await sandbox.close();
    await expect(fetch(`${lightspeed.url}/api/2.0/outlets`)).rejects.toThrow();
    receiver.closeAllConnections();
    await new Promise<void>((resolve) => receiver.close(() => resolve()));
  });
});
