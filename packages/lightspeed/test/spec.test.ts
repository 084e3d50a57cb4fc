// Every request the adapter sends, checked against Lightspeed's official descriptions.
import { readFile } from "node:fs/promises";
import { type Sandbox, startSandbox } from "@omnistock/sandbox";
import { afterAll, beforeAll, expect, it } from "vitest";
import {
  loadSpec,
  type RecordedRequest,
  recordingFetch,
  requestErrors,
} from "../../sandbox/test/support/openapi.js";
import { describeWithSpecs, specPath } from "../../sandbox/test/support/specs.js";
import {
  createLightspeedClient,
  createLightspeedSalesSink,
  createLightspeedStockSource,
  createLightspeedStockWriter,
} from "../src/index.js";

const API_20 = "lightspeed/x-series/lightspeed-x-series-api-2.0_2025-07.json";
const API_09 = "lightspeed/x-series/vend-api-0.9_2019.json";
const POSTMAN = "lightspeed/x-series/lightspeed-x-series-postman-collection_2025-07.json";
// Lightspeed user and tax ids are UUIDs.
const USER_ID = "0adfd74a-153e-11e9-fa42-67b5781ba1fb";
const TAX_ID = "0adfd74a-153e-11e9-fa42-67b578213a83";

describeWithSpecs("Lightspeed adapter requests against the official X-Series descriptions", () => {
  let sandbox: Sandbox;
  let requests: RecordedRequest[] = [];

  beforeAll(async () => {
    sandbox = await startSandbox({ lightspeed: {} });
    const { control, url, credentials } = sandbox.lightspeed!;
    const outlet = control.addOutlet("Main Street").id;
    control.addRegister(outlet);
    control.addProduct({ sku: "MUG-RED" });
    control.setInventory("MUG-RED", outlet, 20);
    const recorded = recordingFetch();
    const client = createLightspeedClient({
      baseUrl: url,
      auth: { personalToken: credentials.personalToken },
      http: { fetch: recorded.fetch },
    });
    const source = createLightspeedStockSource({ client });
    const { cursor } = await source.snapshot();
    const sink = createLightspeedSalesSink({ client, userId: USER_ID, taxId: TAX_ID });
    const order = { orderId: "1001", channelId: "shopify-eu", locationId: outlet };
    await sink.recordSale({ ...order, lines: [{ sku: "MUG-RED", quantity: 1 }] });
    await sink.voidSale(order);
    await createLightspeedStockWriter({ client }).write([
      { sku: "MUG-RED", locationId: outlet, delta: -1, reason: "DAMAGE" },
      { sku: "MUG-RED", locationId: outlet, delta: 2 },
    ]);
    await source.changesSince(cursor);
    const oauth = createLightspeedClient({
      baseUrl: url,
      auth: {
        oauth: {
          clientId: credentials.clientId,
          clientSecret: credentials.clientSecret,
          refreshToken: control.issueRefreshToken(),
        },
      },
      http: { fetch: recorded.fetch },
    });
    await oauth.outlets();
    requests = recorded.requests;
  });
  afterAll(() => sandbox.close());

  const sent = (method: string, path: RegExp) =>
    requests.filter((r) => r.method === method && path.test(r.url.pathname));

  it("sends every GET to an operation of the 2.0 spec, with parameters it declares (but /search's source_id, below)", async () => {
    const spec = (await loadSpec(specPath(API_20))) as unknown as {
      paths: Record<string, { get?: { parameters?: { name: string }[] } }>;
    };
    const gets = requests.filter((r) => r.method === "GET");
    expect(new Set(gets.map((r) => r.url.pathname))).toEqual(
      new Set([
        "/api/2.0/products",
        "/api/2.0/inventory",
        "/api/2.0/registers",
        "/api/2.0/outlets",
        "/api/2.0/search",
      ]),
    );
    for (const request of gets) {
      const path = request.url.pathname.replace(/^\/api\/2\.0/, "");
      const template = Object.keys(spec.paths).find((p) =>
        new RegExp(`^${p.replace(/\{[^}]+\}/g, "[^/]+")}$`).test(path),
      );
      expect(template, request.url.pathname).toBeDefined();
      const declared = new Set(
        (spec.paths[template as string]?.get?.parameters ?? []).map((p) => p.name),
      );
      const used = [...request.url.searchParams.keys()].filter(
        (name) => !(path === "/search" && name === "source_id"),
      );
      for (const name of used) expect(declared, `${request.url.pathname}?${name}`).toContain(name);
    }
  });

  it("GET /api/2.0/search?source_id: the 2.0 spec lists no source_id filter, so the adapter also filters the answer itself", async () => {
    const spec = (await loadSpec(specPath(API_20))) as unknown as {
      paths: Record<string, { get: { parameters: { name: string }[] } }>;
    };
    const declared = spec.paths["/search"]?.get.parameters.map((p) => p.name) ?? [];
    expect(declared).toContain("type");
    expect(declared).not.toContain("source_id");
    const searches = sent("GET", /^\/api\/2\.0\/search$/);
    expect(searches.length).toBeGreaterThan(0);
    for (const search of searches) {
      expect(search.url.searchParams.get("type")).toBe("sales");
      expect(search.url.searchParams.get("source_id")).toBe("shopify-eu:1001");
    }
  });

  it("POST /api/register_sales: the sale and its void match the 0.9 spec's register sale", async () => {
    const posts = sent("POST", /^\/api\/register_sales$/);
    expect(posts).toHaveLength(2);
    for (const post of posts) {
      const body = JSON.parse(post.body ?? "null");
      expect(await requestErrors(specPath(API_09), "POST", "/register_sales", body)).toEqual([]);
    }
    expect(JSON.parse(posts[1]?.body ?? "{}").status).toBe("VOIDED");
  });

  it("POST /api/2026-01/stock_adjustments: in none of the saved specs (the dated API is not saved), checked against its documented fields", async () => {
    const saved = await Promise.all(
      [API_20, API_09].map(async (file) => JSON.stringify((await loadSpec(specPath(file))).paths)),
    );
    for (const paths of saved) expect(paths).not.toContain("stock_adjustments");
    const posts = sent("POST", /^\/api\/\d{4}-\d{2}\/stock_adjustments$/);
    expect(posts).toHaveLength(1);
    const { stock_adjustments: items } = JSON.parse(posts[0]?.body ?? "{}");
    expect(items.length).toBeGreaterThanOrEqual(1);
    expect(items.length).toBeLessThanOrEqual(1000);
    for (const item of items) {
      expect(Object.keys(item).sort()).toEqual(["outlet_id", "product_id", "quantity", "reason"]);
      expect(item.quantity).toMatch(/^-?[1-9]\d{0,30}$/);
      const negative = ["DAMAGE", "EXPIRY", "INTERNAL_USE", "THEFT", "DONATION"];
      const positive = ["STOCK_FOUND", "SAMPLE_FOR_SALE"];
      expect(item.quantity.startsWith("-") ? negative : positive).toContain(item.reason);
    }
  });

  it("POST /api/1.0/token: only in Lightspeed's Postman collection, whose refresh request has the same form fields", async () => {
    for (const file of [API_20, API_09]) {
      expect(JSON.stringify((await loadSpec(specPath(file))).paths)).not.toContain("/token");
    }
    interface Item {
      readonly name: string;
      readonly item?: readonly Item[];
      readonly request?: {
        readonly method: string;
        readonly url: { readonly raw: string } | string;
        readonly body?: { readonly urlencoded?: readonly { readonly key: string }[] };
      };
    }
    const collection = JSON.parse(await readFile(specPath(POSTMAN), "utf8")) as { item: Item[] };
    const all = (items: readonly Item[]): Item[] =>
      items.flatMap((i) => (i.item ? all(i.item) : [i]));
    const refresh = all(collection.item).find((i) => i.name === "Refresh Token request");
    const raw = refresh?.request?.url;
    expect(typeof raw === "string" ? raw : raw?.raw).toMatch(/\/api\/1\.0\/token$/);
    expect(refresh?.request?.method).toBe("POST");
    const documented = (refresh?.request?.body?.urlencoded ?? []).map((f) => f.key).sort();
    const posts = sent("POST", /^\/api\/1\.0\/token$/);
    expect(posts).toHaveLength(1);
    expect(posts[0]?.headers.get("content-type")).toContain("application/x-www-form-urlencoded");
    expect([...new URLSearchParams(posts[0]?.body).keys()].sort()).toEqual(documented);
  });
});
