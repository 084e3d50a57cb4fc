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

  it("starts all four platforms, two Shopify stores among them, each on its own loopback port", async () => {
    const sandbox = await startSandbox({
      lightspeed: {},
      shopify: [{}, { plan: "plus" }],
      amazon: {},
      bigcommerce: {},
    });
    const urls = [
      sandbox.lightspeed?.url,
      ...sandbox.shopify.map((s) => s.url),
      sandbox.amazon?.url,
      sandbox.bigcommerce?.url,
    ];
    expect(new Set(urls).size).toBe(5);
    expect(sandbox.shopify.map((s) => s.credentials.shop)).toEqual([
      "sandbox-1.myshopify.com",
      "sandbox-2.myshopify.com",
    ]);
    const shop = sandbox.shopify[1];
    if (shop === undefined) throw new Error("no second store");
    const answer = await fetch(`${shop.url}/admin/api/2026-04/graphql.json`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-shopify-access-token": shop.credentials.accessToken,
      },
      body: JSON.stringify({ query: "{ locations(first: 1) { nodes { id } } }" }),
    });
    const body = (await answer.json()) as {
      extensions: { cost: { throttleStatus: { maximumAvailable: number } } };
    };
    expect(body.extensions.cost.throttleStatus.maximumAvailable).toBe(20_000);
    const bc = sandbox.bigcommerce;
    const quota = await fetch(
      `${bc?.url}/stores/${bc?.credentials.storeHash}/v3/inventory/locations`,
      {
        headers: { "x-auth-token": bc?.credentials.accessToken ?? "" },
      },
    );
    expect(quota.headers.get("x-rate-limit-requests-quota")).toBe("150");
    await sandbox.close();
  });
});
