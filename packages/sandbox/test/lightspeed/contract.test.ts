import { afterAll, beforeAll, expect, it } from "vitest";
import { type Sandbox, startSandbox } from "../../src/index.js";
import { responseErrors } from "../support/openapi.js";
import { describeWithSpecs, specPath } from "../support/specs.js";

describeWithSpecs("Lightspeed fake against the official X-Series 2.0 OpenAPI description", () => {
  let sandbox: Sandbox;
  let productId = "";
  beforeAll(async () => {
    sandbox = await startSandbox({ lightspeed: {} });
    const { control } = sandbox.lightspeed!;
    const outlet = control.addOutlet("Main Street");
    control.addRegister(outlet.id);
    productId = control.addProduct({ sku: "MUG-RED" }).id;
    control.setInventory("MUG-RED", outlet.id, 5);
    control.sell({ outletId: outlet.id, lines: [{ sku: "MUG-RED", quantity: 1 }] });
  });
  afterAll(() => sandbox.close());

  const cases = [
    ["/outlets", "/outlets"],
    ["/registers", "/registers"],
    ["/products", "/products"],
    ["/products/{product_id}", "/products/:product"],
    ["/products/{product_id}/inventory", "/products/:product/inventory"],
    ["/inventory", "/inventory"],
    ["/sales", "/sales"],
  ] as const;

  for (const [specPathName, route] of cases) {
    it(`GET ${specPathName} answers in the spec's shape`, async () => {
      const { url, credentials } = sandbox.lightspeed!;
      const response = await fetch(`${url}/api/2.0${route.replace(":product", productId)}`, {
        headers: { authorization: `Bearer ${credentials.personalToken}` },
      });
      expect(response.status).toBe(200);
      const body = await response.json();
      const errors = await responseErrors(
        specPath("lightspeed/x-series/lightspeed-x-series-api-2.0_2025-07.json"),
        "GET",
        specPathName,
        200,
        body,
      );
      expect(errors).toEqual([]);
    });
  }
});
