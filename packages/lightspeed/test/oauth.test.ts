import { type Sandbox, startSandbox } from "@omnistock/sandbox";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createLightspeedClient, createLightspeedStockSource } from "../src/index.js";

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ lightspeed: {} });
  const { control } = sandbox.lightspeed!;
  const outlet = control.addOutlet("Main Street").id;
  control.addRegister(outlet);
  control.addProduct({ sku: "MUG-RED" });
  control.setInventory("MUG-RED", outlet, 4);
});
afterAll(() => sandbox.close());

const oauthClient = (refreshToken: string, rotated: string[]) => {
  const { url, credentials } = sandbox.lightspeed!;
  return createLightspeedClient({
    baseUrl: url,
    auth: {
      oauth: {
        clientId: credentials.clientId,
        clientSecret: credentials.clientSecret,
        refreshToken,
        onRefreshToken: (token) => {
          rotated.push(token);
        },
      },
    },
  });
};

it("serialises refresh-token rotation per store: two clients from one stored token refresh once and both work", async () => {
  const stored = sandbox.lightspeed!.control.issueRefreshToken();
  const rotated: string[] = [];
  const source = oauthClient(stored, rotated);
  const sink = oauthClient(stored, rotated);
  const [outlets, products, inventory] = await Promise.all([
    source.outlets(),
    sink.products(),
    createLightspeedStockSource({ client: source }).snapshot(),
  ]);
  expect(outlets).toHaveLength(1);
  expect(products).toHaveLength(1);
  expect(inventory.events).toHaveLength(1);
  // Two refreshes would have revoked each other's token: there was one.
  expect(rotated).toHaveLength(1);

  // A client given the newest token (a new process) starts from it and rotates it again.
  const later: string[] = [];
  const restarted = oauthClient(rotated[0] as string, later);
  expect(await restarted.registers()).toHaveLength(1);
  expect(later).toHaveLength(1);
  expect(later[0]).not.toBe(rotated[0]);
});
