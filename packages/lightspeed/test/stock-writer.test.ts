import { isOmnistockError, type OmnistockError } from "@omnistock/core";
import { type Sandbox, startSandbox } from "@omnistock/sandbox";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordingFetch } from "../../sandbox/test/support/openapi.js";
import {
  createLightspeedCatalogue,
  createLightspeedClient,
  createLightspeedStockWriter,
} from "../src/index.js";

let sandbox: Sandbox;
let main = "";
let mall = "";
const locations = new Map<string, string>();

beforeAll(async () => {
  sandbox = await startSandbox({ lightspeed: {} });
  const { control } = sandbox.lightspeed!;
  main = control.addOutlet("Main Street").id;
  mall = control.addOutlet("Mall").id;
  locations.set("main-street", main).set("mall", mall);
  control.addRegister(main);
  control.addProduct({ sku: "MUG-RED" });
  control.addProduct({ sku: "TEA-EARL" });
  control.addProduct({ sku: "GIFT-SET", components: [{ sku: "MUG-RED", quantity: 2 }] });
  control.addProduct({ sku: "GIFT-CARD", tracked: false });
  control.setInventory("MUG-RED", main, 100);
  control.setInventory("MUG-RED", mall, 100);
  control.setInventory("TEA-EARL", main, 100);
});
afterAll(() => sandbox.close());

const outletOf = (location: string) => locations.get(location) ?? location;

/** A client whose requests are recorded; `answer` may replace the store's answer. */
function setup(
  answer?: (request: Request, index: number) => Promise<Response> | undefined,
  timeoutMs = 15_000,
) {
  let adjustments = 0;
  const inner: typeof fetch = async (input, init) => {
    const request = new Request(input, init);
    if (request.url.includes("/stock_adjustments")) {
      const replaced = answer?.(request.clone(), adjustments++);
      if (replaced !== undefined) return replaced;
    }
    return fetch(request);
  };
  const recorded = recordingFetch(inner);
  const client = createLightspeedClient({
    baseUrl: sandbox.lightspeed!.url,
    auth: { personalToken: sandbox.lightspeed!.credentials.personalToken },
    http: { fetch: recorded.fetch, timeoutMs, retry: { retries: 2, minDelayMs: 1 } },
  });
  const posts = () =>
    recorded.requests.filter(
      (r) => r.method === "POST" && r.url.pathname.endsWith("/stock_adjustments"),
    );
  return { client, recorded, posts };
}

describe("Lightspeed stock writer", () => {
  it("writes corrections by SKU and location as stock adjustments, 1,000 a request", async () => {
    const { control } = sandbox.lightspeed!;
    const { client, posts } = setup();
    const writer = createLightspeedStockWriter({ client, outletOf });
    const before = {
      mugMain: control.inventory("MUG-RED", main),
      mugMall: control.inventory("MUG-RED", mall),
      tea: control.inventory("TEA-EARL", main),
    };
    const corrections = Array.from({ length: 2_500 }, (_, i) => ({
      sku: i % 2 === 0 ? "MUG-RED" : "TEA-EARL",
      locationId: "main-street",
      delta: i % 4 < 2 ? 1 : -1,
    }));
    corrections.push(
      { sku: "MUG-RED", locationId: "mall", delta: -3 },
      { sku: "TEA-EARL", locationId: "main-street", delta: 0 },
    );
    const result = await writer.write(corrections);
    expect(result).toEqual({ applied: 2_501, requests: 3 });
    expect(posts().map((r) => JSON.parse(r.body ?? "{}").stock_adjustments.length)).toEqual([
      1_000, 1_000, 501,
    ]);
    const first = JSON.parse(posts()[0]?.body ?? "{}").stock_adjustments;
    expect(first.slice(0, 3)).toEqual([
      { product_id: expect.any(String), outlet_id: main, quantity: "1", reason: "STOCK_FOUND" },
      { product_id: expect.any(String), outlet_id: main, quantity: "1", reason: "STOCK_FOUND" },
      { product_id: expect.any(String), outlet_id: main, quantity: "-1", reason: "DAMAGE" },
    ]);
    expect(control.inventory("MUG-RED", main)).toBe(before.mugMain);
    expect(control.inventory("MUG-RED", mall)).toBe(before.mugMall - 3);
    expect(control.inventory("TEA-EARL", main)).toBe(before.tea);
    expect(await writer.write([{ sku: "MUG-RED", locationId: "mall", delta: 0 }])).toEqual({
      applied: 0,
      requests: 0,
    });
  });

  it("uses the reason given, or the writer's for the sign", async () => {
    const { client, posts } = setup();
    const writer = createLightspeedStockWriter({
      client,
      outletOf,
      reasons: { increase: "SAMPLE_FOR_SALE", decrease: "THEFT" },
    });
    await writer.write([
      { sku: "MUG-RED", locationId: "mall", delta: 2 },
      { sku: "MUG-RED", locationId: "mall", delta: -1 },
      { sku: "MUG-RED", locationId: "mall", delta: -1, reason: "EXPIRY" },
    ]);
    expect(
      JSON.parse(posts()[0]?.body ?? "{}").stock_adjustments.map(
        (a: { reason: string }) => a.reason,
      ),
    ).toEqual(["SAMPLE_FOR_SALE", "THEFT", "EXPIRY"]);
  });

  it("refuses invalid corrections before sending anything, naming each one", async () => {
    const { client, recorded } = setup();
    const writer = createLightspeedStockWriter({ client, outletOf });
    try {
      await writer.write([
        { sku: "", locationId: "mall", delta: 1 },
        { sku: "MUG-RED", locationId: "mall", delta: 1.5 },
        { sku: "MUG-RED", locationId: "mall", delta: 2, reason: "DAMAGE" },
      ]);
      expect.unreachable();
    } catch (error) {
      expect(isOmnistockError(error, "VALIDATION")).toBe(true);
      const message = (error as Error).message;
      expect(message).toContain("corrections[0].sku");
      expect(message).toContain("corrections[1].delta");
      expect(message).toContain('corrections[2].reason: "DAMAGE" does not fit a positive delta');
    }
    expect(recorded.requests).toEqual([]);
  });

  it("names a SKU that is no tracked product (after reading the catalogue once more), an unknown outlet and a shared SKU", async () => {
    const { control } = sandbox.lightspeed!;
    const { client, recorded, posts } = setup();
    // A miss reads the catalogue again no sooner than five seconds after the last read.
    let now = 0;
    const catalogue = createLightspeedCatalogue({ client, clock: () => now });
    const writer = createLightspeedStockWriter({ client, outletOf, catalogue });
    const catalogueReads = () =>
      recorded.requests.filter(
        (r) => r.url.pathname === "/api/2.0/products" && r.url.searchParams.get("after") === "0",
      ).length;
    for (const sku of ["GHOST", "GIFT-SET", "GIFT-CARD"]) {
      now += 60_000;
      await expect(writer.write([{ sku, locationId: "mall", delta: 1 }])).rejects.toSatisfy(
        (error: OmnistockError) =>
          isOmnistockError(error, "MAPPING_MISSING") && error.details.sku === sku,
      );
    }
    expect(catalogueReads()).toBe(3);
    await expect(
      writer.write([{ sku: "MUG-RED", locationId: "attic", delta: 1 }]),
    ).rejects.toSatisfy(
      (error: OmnistockError) =>
        isOmnistockError(error, "MAPPING_MISSING") && error.details.outletId === "attic",
    );
    // A product created since the catalogue was read is found with one more read.
    control.addProduct({ sku: "SCARF-BLUE" });
    now += 60_000;
    await writer.write([{ sku: "SCARF-BLUE", locationId: "mall", delta: 4 }]);
    expect(catalogueReads()).toBe(4);
    expect(control.inventory("SCARF-BLUE", mall)).toBe(4);
    control.addProduct({ sku: "SCARF-BLUE" });
    await expect(
      writer.write([{ sku: "SCARF-BLUE", locationId: "mall", delta: 1 }]),
    ).resolves.toEqual({
      applied: 1,
      requests: 1,
    });
    const second = createLightspeedStockWriter({ client, outletOf });
    await expect(
      second.write([{ sku: "SCARF-BLUE", locationId: "mall", delta: 1 }]),
    ).rejects.toSatisfy((error) => isOmnistockError(error, "MAPPING_DUPLICATE"));
    expect(posts()).toHaveLength(2);
  });

  it("does not send a failed request again, starts none after it, and names what was not applied", async () => {
    const { control } = sandbox.lightspeed!;
    const { client, posts } = setup((_request, index) =>
      index === 1
        ? Promise.resolve(
            new Response(JSON.stringify({ error: "Service Unavailable" }), {
              status: 503,
              headers: { "content-type": "application/json" },
            }),
          )
        : undefined,
    );
    const writer = createLightspeedStockWriter({ client, outletOf, concurrency: 1 });
    const before = control.inventory("TEA-EARL", main);
    const corrections = Array.from({ length: 2_500 }, () => ({
      sku: "TEA-EARL",
      locationId: "main-street",
      delta: 1,
    }));
    try {
      await writer.write(corrections);
      expect.unreachable();
    } catch (error) {
      expect(isOmnistockError(error, "SERVER")).toBe(true);
      const failure = error as OmnistockError;
      expect(failure.retryable).toBe(false);
      expect(failure.details).toMatchObject({
        applied: 1_000,
        total: 2_500,
        unapplied: [
          { from: 1_000, to: 2_000 },
          { from: 2_000, to: 2_500 },
        ],
      });
    }
    expect(posts()).toHaveLength(2);
    expect(control.inventory("TEA-EARL", main)).toBe(before + 1_000);
  });

  it("does not resend an adjustment whose answer never came: the store applied it once", async () => {
    const { control } = sandbox.lightspeed!;
    const { client, posts } = setup(async (request) => {
      await fetch(request);
      return new Promise<Response>(() => undefined);
    }, 300);
    const writer = createLightspeedStockWriter({ client, outletOf });
    const before = control.inventory("MUG-RED", mall);
    await expect(
      writer.write([{ sku: "MUG-RED", locationId: "mall", delta: -2 }]),
    ).rejects.toSatisfy(
      (error: OmnistockError) =>
        isOmnistockError(error, "TIMEOUT") &&
        !error.retryable &&
        JSON.stringify(error.details.unapplied) === JSON.stringify([{ from: 0, to: 1 }]),
    );
    expect(posts()).toHaveLength(1);
    expect(control.inventory("MUG-RED", mall)).toBe(before - 2);
  });

  it("refuses unknown or missing options, naming them", () => {
    for (const [options, field] of [
      [{}, "client"],
      [{ client: {}, outletOf }, "client"],
      [{ client: setup().client, concurrency: 0 }, "concurrency"],
      [{ client: setup().client, reasons: { decrease: "STOCK_FOUND" } }, "reasons.decrease"],
      [{ client: setup().client, outlets: {} }, "outlets"],
    ] as const) {
      try {
        createLightspeedStockWriter(options as never);
        expect.unreachable();
      } catch (error) {
        expect(isOmnistockError(error, "VALIDATION")).toBe(true);
        expect((error as Error).message).toContain(field);
      }
    }
  });
});
