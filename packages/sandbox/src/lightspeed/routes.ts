import { json, Router, readJson } from "../common/http.js";
import type { Clock } from "../common/types.js";
import { notFound, paged, versionOf } from "./answers.js";
import { outletJson, productJson, saleJson } from "./records.js";
import type { LightspeedProduct, LightspeedState } from "./state.js";
import type { LightspeedTokens } from "./tokens.js";
import { adjustmentProblems, saleProblems } from "./validation.js";
import type { LightspeedWebhooks } from "./webhooks.js";

/**
 * The endpoints of X-Series: the token endpoint, the 2.0 collections with their `version`
 * cursor, sales, dated stock adjustments and webhooks.
 */
export function createLightspeedRoutes(
  state: LightspeedState,
  webhooks: LightspeedWebhooks,
  tokens: LightspeedTokens,
  clock: Clock,
): Router {
  const { outlets, registers, products, bySku, levels, sales } = state;
  return new Router()
    .on("POST", "/api/1.0/token", ({ request }) => tokens.grant(request))
    .on("GET", "/api/2.0/outlets", ({ url }) => paged(url, [...outlets.values()].map(outletJson)))
    .on("GET", "/api/2.0/outlets/:id", ({ params }) => {
      const outlet = outlets.get(params.id as string);
      return outlet === undefined ? notFound() : json(200, { data: outletJson(outlet) });
    })
    .on("GET", "/api/2.0/registers", ({ url }) =>
      paged(
        url,
        [...registers.values()].map((r) => ({ ...r, is_open: true })),
      ),
    )
    .on("GET", "/api/2.0/products", ({ url }) => {
      const sku = url.searchParams.get("sku");
      // `sku=` loads by SKU and ignores the other parameters.
      if (sku !== null) {
        const id = bySku.get(sku);
        const list = id === undefined ? [] : [productJson(products.get(id) as LightspeedProduct)];
        return json(200, { data: list, version: versionOf(list) });
      }
      return paged(url, [...products.values()].map(productJson));
    })
    .on("GET", "/api/2.0/products/:id", ({ params }) => {
      const product = products.get(params.id as string);
      return product === undefined ? notFound() : json(200, { data: productJson(product) });
    })
    .on("GET", "/api/2.0/products/:id/inventory", ({ params }) => {
      const product = products.get(params.id as string);
      if (product === undefined) return notFound();
      const list = [...outlets.keys()].map((outletId) =>
        state.inventoryRecord(product.id, outletId),
      );
      return json(200, { data: list, version: versionOf(list) });
    })
    .on("GET", "/api/2.0/inventory", ({ url }) => {
      const rows = [...levels.entries()].map(([key]) => {
        const [productId, outletId] = key.split(":") as [string, string];
        return state.inventoryRecord(productId, outletId);
      });
      return paged(url, rows);
    })
    .on("GET", "/api/2.0/sales", ({ url }) => paged(url, [...sales.values()].map(saleJson)))
    .on("GET", "/api/2.0/sales/:id", ({ params }) => {
      const sale = sales.get(params.id as string);
      return sale === undefined ? notFound() : json(200, { data: saleJson(sale) });
    })
    .on("GET", "/api/2.0/search", ({ url }) => {
      if (url.searchParams.get("type") !== "sales")
        return json(400, { error: "Unsupported search type" });
      const sourceId = url.searchParams.get("source_id");
      const found = [...sales.values()].filter(
        (s) => sourceId === null || s.source_id === sourceId,
      );
      return json(200, { data: found.map(saleJson) });
    })
    .on("POST", "/api/register_sales", async ({ request }) => {
      const body = (await readJson(request)) as Record<string, unknown> | undefined;
      const problems = saleProblems(body, registers, products);
      if (problems.length > 0) return json(400, { error: "Invalid sale", details: problems });
      const b = body as Record<string, unknown>;
      const register = registers.get(b.register_id as string) as { outlet_id: string; id: string };
      const sale = state.saleOf({
        ...(typeof b.id === "string" ? { id: b.id } : {}),
        outletId: register.outlet_id,
        registerId: register.id,
        status: b.status as string,
        sourceId: typeof b.source_id === "string" ? b.source_id : null,
        note: typeof b.note === "string" ? b.note : "",
        lines: (b.register_sale_products as Record<string, unknown>[]).map((l) => ({
          product_id: l.product_id as string,
          quantity: Number(l.quantity),
          price: Number(l.price),
        })),
      });
      return json(200, {
        register_sale: { ...saleJson(sale), register_sale_products: sale.line_items },
      });
    })
    .on("POST", "/api/:dated/stock_adjustments", async ({ request, params }) => {
      if (!/^\d{4}-\d{2}$/.test(params.dated as string)) return notFound();
      const body = (await readJson(request)) as { stock_adjustments?: unknown } | undefined;
      const items = body?.stock_adjustments;
      if (!Array.isArray(items) || items.length < 1 || items.length > 1000) {
        return json(422, { error: "stock_adjustments must hold 1 to 1000 items" });
      }
      const problems = items.flatMap((item, i) => adjustmentProblems(item, i, products, outlets));
      if (problems.length > 0)
        return json(422, { error: "Invalid stock adjustments", details: problems });
      const now = new Date(clock()).toISOString();
      const created = items.map((raw) => {
        const item = raw as {
          product_id: string;
          outlet_id: string;
          quantity: string;
          reason: string;
        };
        state.move(item.product_id, item.outlet_id, Number(item.quantity));
        const record = {
          id: state.uuid(),
          user_id: "sandbox-user",
          product_id: item.product_id,
          outlet_id: item.outlet_id,
          quantity: item.quantity,
          reason: item.reason,
          created_at: now,
          updated_at: now,
          version: state.next(),
        };
        state.adjustments.push(record);
        return record;
      });
      return json(201, { data: created });
    })
    .on("GET", "/api/:dated/stock_adjustments", ({ url }) =>
      paged(url, state.adjustments as { version: number }[]),
    )
    .on("POST", "/api/2.0/webhooks", async ({ request }) => {
      const body = (await readJson(request)) as
        | { url?: unknown; active?: unknown; type?: unknown }
        | undefined;
      if (
        typeof body?.url !== "string" ||
        body.url.length < 3 ||
        typeof body.type !== "string" ||
        typeof body.active !== "boolean"
      ) {
        return json(422, { error: "url, active and type are required" });
      }
      for (const hook of webhooks.hooks.values()) {
        if (hook.url === body.url && hook.type === body.type) {
          return json(409, { error: "A webhook with this type and URL already exists" });
        }
      }
      const hook = webhooks.add({ url: body.url, type: body.type, active: body.active });
      return json(201, { data: hook });
    })
    .on("GET", "/api/2.0/webhooks", () => json(200, { data: [...webhooks.hooks.values()] }));
}
