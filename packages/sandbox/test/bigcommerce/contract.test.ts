import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, expect, it } from "vitest";
import { parse } from "yaml";
import { type Sandbox, startSandbox } from "../../src/index.js";
import { responseErrors, schemaErrors } from "../support/openapi.js";
import { describeWithSpecs, specPath } from "../support/specs.js";

describeWithSpecs(
  "BigCommerce fake against the official OpenAPI descriptions and webhook schemas",
  () => {
    let sandbox: Sandbox;
    let orderId = 0;
    const received: { scope: string; body: unknown }[] = [];
    const receiver = createServer((req, res) => {
      let text = "";
      req.on("data", (chunk) => {
        text += chunk;
      });
      req.on("end", () => {
        const body = JSON.parse(text) as { scope: string };
        received.push({ scope: body.scope, body });
        res.writeHead(200).end();
      });
    });
    beforeAll(async () => {
      await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
      const hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/bc`;
      sandbox = await startSandbox({ bigcommerce: {} });
      const { control } = sandbox.bigcommerce!;
      control.addProduct({ name: "Tee", skus: ["TEE-S", "TEE-M"] });
      control.setInventory("TEE-S", 1, 4);
      control.subscribe("store/order/created", hookUrl);
      control.subscribe("store/sku/inventory/updated", hookUrl);
      control.subscribe("store/shipment/created", hookUrl);
      orderId = control.placeOrder([{ sku: "TEE-S", quantity: 1 }]).id;
      control.shipOrder(orderId, { trackingNumber: "1Z999", carrier: "ups" });
    });
    afterAll(async () => {
      await sandbox.close();
      receiver.closeAllConnections();
      await new Promise<void>((resolve) => receiver.close(() => resolve()));
    });

    const get = async (path: string, init: RequestInit = {}) => {
      const { url, credentials } = sandbox.bigcommerce!;
      const response = await fetch(`${url}/stores/${credentials.storeHash}${path}`, {
        ...init,
        headers: { "x-auth-token": credentials.accessToken, "content-type": "application/json" },
      });
      return { status: response.status, body: await response.json() };
    };

    const cases: readonly (readonly [string, string, string, string, RequestInit?])[] = [
      ["inventory.v3.yml", "GET", "/inventory/items", "/v3/inventory/items"],
      [
        "inventory.v3.yml",
        "GET",
        "/inventory/locations/{location_id}/items",
        "/v3/inventory/locations/1/items",
      ],
      ["locations.v3.yml", "GET", "/inventory/locations", "/v3/inventory/locations"],
      [
        "product-variants_catalog.v3.yml",
        "GET",
        "/catalog/variants",
        "/v3/catalog/variants?sku=TEE-S",
      ],
      [
        "inventory.v3.yml",
        "PUT",
        "/inventory/adjustments/absolute",
        "/v3/inventory/adjustments/absolute",
        {
          method: "PUT",
          body: JSON.stringify({ items: [{ sku: "TEE-M", location_id: 1, quantity: 3 }] }),
        },
      ],
      ["orders.v2.oas2.yml", "GET", "/orders/{order_id}", "/v2/orders/:order"],
      ["orders.v2.oas2.yml", "GET", "/orders/{order_id}/products", "/v2/orders/:order/products"],
      ["orders.v2.oas2.yml", "GET", "/orders/{order_id}/shipments", "/v2/orders/:order/shipments"],
    ];

    for (const [file, method, specPathName, route, init] of cases) {
      it(`${method} ${specPathName} answers in the spec's shape`, async () => {
        const { status, body } = await get(route.replace(":order", String(orderId)), init);
        expect(status).toBe(200);
        expect(
          await responseErrors(specPath(`bigcommerce/${file}`), method, specPathName, 200, body),
        ).toEqual([]);
      });
    }

    it("webhook bodies match BigCommerce's callback schemas", async () => {
      await sandbox.bigcommerce!.drainWebhooks();
      const files: Record<string, string> = {
        "store/order/created": "store_order_created.yml",
        "store/sku/inventory/updated": "store_sku_inventory_updated.yml",
        "store/shipment/created": "store_shipment_created.yml",
      };
      expect(new Set(received.map((r) => r.scope))).toEqual(new Set(Object.keys(files)));
      for (const { scope, body } of received) {
        const schema = parse(
          readFileSync(specPath(`bigcommerce/webhook-callbacks/${files[scope]}`), "utf8"),
        ).properties[scope];
        expect(schemaErrors(schema, body)).toEqual([]);
      }
    });
  },
);
