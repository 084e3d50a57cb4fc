import { createHmac } from "node:crypto";
import { json, Router, readJson } from "../common/http.js";
import { createRandom, type Random } from "../common/random.js";
import type { Clock, DeliverWebhook, PlatformServer } from "../common/types.js";

/** Options of {@link createLightspeedServer}. */
export interface LightspeedServerOptions {
  /**
   * The store's domain prefix, as in `https://{prefix}.retail.lightspeed.app`.
   * @default "demo"
   */
  readonly domainPrefix?: string;
  /**
   * A personal token accepted as `Authorization: Bearer …`.
   * @default "lsxs_pt_sandbox"
   */
  readonly personalToken?: string;
  /** The OAuth app's client id. @default "sandbox-client" */
  readonly clientId?: string;
  /** The OAuth app's client secret; it also signs webhooks. @default "sandbox-client-secret" */
  readonly clientSecret?: string;
  /** Where webhooks go; without it, they are kept in `control.webhooksSent()`. */
  readonly deliver?: DeliverWebhook;
  /** @default Date.now */
  readonly clock?: Clock;
  /** Seed of the ids the server makes. @default 1 */
  readonly seed?: number;
}

/** A Lightspeed outlet. */
export interface LightspeedOutlet {
  readonly id: string;
  readonly name: string;
  readonly version: number;
}

/** A Lightspeed product (each variant is its own product). */
export interface LightspeedProduct {
  readonly id: string;
  readonly name: string;
  readonly sku: string;
  readonly has_inventory: boolean;
  readonly is_composite: boolean;
  /** For a composite: its components. */
  readonly components: readonly { readonly productId: string; readonly quantity: number }[];
  readonly version: number;
}

/** A sale as the server keeps it. */
export interface LightspeedSale {
  readonly id: string;
  readonly outlet_id: string;
  readonly register_id: string;
  readonly status: string;
  readonly source_id: string | null;
  readonly note: string;
  readonly sale_date: string;
  /** When the sale last changed (a void, a status change). */
  readonly updated_at: string;
  readonly line_items: readonly {
    readonly id: string;
    readonly product_id: string;
    readonly quantity: number;
    readonly price: number;
  }[];
  readonly version: number;
}

/** The control handle: what a test or the demo does behind the API's back. */
export interface LightspeedControl {
  addOutlet(name: string): LightspeedOutlet;
  addRegister(outletId: string, name?: string): { readonly id: string; readonly outlet_id: string };
  addProduct(product: {
    readonly sku: string;
    readonly name?: string;
    readonly tracked?: boolean;
    readonly components?: readonly { readonly sku: string; readonly quantity: number }[];
  }): LightspeedProduct;
  /** Sets a level directly (a stocktake), firing `inventory.update`. */
  setInventory(sku: string, outletId: string, level: number): void;
  /** The level of a SKU at an outlet. */
  inventory(sku: string, outletId: string): number;
  /** Rings up a sale at the counter (first register of the outlet). */
  sell(sale: {
    readonly outletId: string;
    readonly lines: readonly { readonly sku: string; readonly quantity: number }[];
    readonly status?: "CLOSED" | "ONACCOUNT" | "LAYBY" | "SAVED";
  }): LightspeedSale;
  /** Takes items back at the counter; restocked units go back on hand. */
  returnItems(
    outletId: string,
    lines: readonly { readonly sku: string; readonly quantity: number }[],
  ): LightspeedSale;
  /** Every sale, in creation order. */
  sales(): readonly LightspeedSale[];
  /** Subscribes a URL to a webhook type, as `POST /api/2.0/webhooks` does. */
  subscribe(type: LightspeedWebhookType, url: string): void;
  /** Webhooks sent when no `deliver` was given. */
  webhooksSent(): readonly { readonly type: string; readonly url: string; readonly body: string }[];
  /** A refresh token for the OAuth flow (as the authorisation step would give). */
  issueRefreshToken(): string;
  /** The global version of the store, raised by every write. */
  version(): number;
}

/** The webhook types of X-Series. */
export type LightspeedWebhookType = "inventory.update" | "sale.update" | "product.update";

/** A running fake Lightspeed store. */
export interface LightspeedServer extends PlatformServer {
  readonly platform: "lightspeed";
  readonly control: LightspeedControl;
  readonly credentials: {
    readonly domainPrefix: string;
    readonly personalToken: string;
    readonly clientId: string;
    readonly clientSecret: string;
  };
  /** Lightspeed's own 429, for fault injection. */
  rateLimitedResponse(): Response;
}

/** Lightspeed's window: 300 × registers + 50 requests per five minutes. */
const WINDOW_MS = 300_000;
/** Statuses whose lines have left the shelf. */
const TAKES_STOCK = new Set([
  "CLOSED",
  "ONACCOUNT",
  "ONACCOUNT_CLOSED",
  "LAYBY_CLOSED",
  "AWAITING_DISPATCH",
  "AWAITING_PICKUP",
  "DISPATCHED_CLOSED",
  "PICKED_UP_CLOSED",
]);
const ADJUSTMENT_REASONS = {
  negative: new Set(["DAMAGE", "EXPIRY", "INTERNAL_USE", "THEFT", "DONATION"]),
  positive: new Set(["STOCK_FOUND", "SAMPLE_FOR_SALE"]),
};

/**
 * A fake Lightspeed Retail X-Series store: outlets, registers, products with the 2.0
 * `version` cursor, inventory reads, dated-API stock adjustments, sales that move stock at
 * their outlet, the token endpoint with refresh-token rotation, signed form-encoded
 * webhooks, and the 300 × registers + 50 per five minutes limit.
 *
 * @example
 * ```ts
 * const lightspeed = createLightspeedServer({});
 * const outlet = lightspeed.control.addOutlet("Main Street");
 * lightspeed.control.addProduct({ sku: "MUG-RED" });
 * lightspeed.control.setInventory("MUG-RED", outlet.id, 20);
 * const served = await serve((request) => lightspeed.fetch(request));
 * ```
 */
export function createLightspeedServer(options: LightspeedServerOptions = {}): LightspeedServer {
  const clock = options.clock ?? Date.now;
  const random = createRandom(options.seed ?? 1);
  const domainPrefix = options.domainPrefix ?? "demo";
  const personalToken = options.personalToken ?? "lsxs_pt_sandbox";
  const clientId = options.clientId ?? "sandbox-client";
  const clientSecret = options.clientSecret ?? "sandbox-client-secret";

  let version = 0;
  const next = () => ++version;
  const outlets = new Map<string, LightspeedOutlet>();
  const registers = new Map<
    string,
    { id: string; name: string; outlet_id: string; version: number }
  >();
  const products = new Map<string, LightspeedProduct>();
  const bySku = new Map<string, string>();
  const levels = new Map<string, { id: string; level: number; version: number }>();
  const sales = new Map<string, LightspeedSale>();
  const adjustments: Record<string, unknown>[] = [];
  const webhooks = new Map<string, { id: string; url: string; type: string; active: boolean }>();
  const sent: { type: string; url: string; body: string }[] = [];
  const accessTokens = new Map<string, number>();
  const refreshTokens = new Set<string>();
  let window = { start: 0, used: 0 };

  const uuid = () => uuidFrom(random);
  const levelKey = (productId: string, outletId: string) => `${productId}:${outletId}`;
  const levelOf = (productId: string, outletId: string) =>
    levels.get(levelKey(productId, outletId))?.level ?? 0;

  function inventoryRecord(productId: string, outletId: string) {
    const entry = levels.get(levelKey(productId, outletId));
    return {
      id: entry?.id ?? uuid(),
      product_id: productId,
      outlet_id: outletId,
      inventory_level: entry?.level ?? 0,
      reorder_point: null,
      reorder_amount: null,
      version: entry?.version ?? 0,
    };
  }

  function emit(type: LightspeedWebhookType, payload: unknown): void {
    for (const hook of webhooks.values()) {
      if (!hook.active || hook.type !== type) continue;
      const body = new URLSearchParams({
        payload: JSON.stringify(payload),
        environment: "sandbox",
        domain_prefix: domainPrefix,
        type,
      }).toString();
      const signature = createHmac("sha256", clientSecret).update(body).digest("hex");
      if (options.deliver === undefined) sent.push({ type, url: hook.url, body });
      else {
        options.deliver({
          id: uuid(),
          topic: type,
          url: hook.url,
          body,
          headers: {
            "content-type": "application/x-www-form-urlencoded",
            "x-signature": `signature=${signature},algorithm=HMAC-SHA256`,
          },
        });
      }
    }
  }

  /** Moves stock of a product at an outlet; composites move their components. */
  function move(productId: string, outletId: string, delta: number): void {
    const product = products.get(productId);
    if (product === undefined) return;
    if (product.is_composite) {
      for (const c of product.components) move(c.productId, outletId, delta * c.quantity);
      return;
    }
    if (!product.has_inventory) return;
    setLevel(productId, outletId, levelOf(productId, outletId) + delta);
  }

  /** The inventory record, at 0, of a tracked product at an outlet (no webhook). */
  function openRecord(product: LightspeedProduct, outletId: string): void {
    const key = levelKey(product.id, outletId);
    if (!product.has_inventory || levels.has(key)) return;
    levels.set(key, { id: uuid(), level: 0, version: next() });
  }

  function setLevel(productId: string, outletId: string, level: number): void {
    const key = levelKey(productId, outletId);
    const entry = levels.get(key) ?? { id: uuid(), level: 0, version: 0 };
    levels.set(key, { id: entry.id, level, version: next() });
    const product = products.get(productId) as LightspeedProduct;
    emit("inventory.update", {
      id: entry.id,
      product_id: productId,
      outlet_id: outletId,
      count: level,
      sku: product.sku,
      version,
    });
  }

  function saleOf(input: {
    id?: string;
    outletId: string;
    registerId: string;
    status: string;
    sourceId?: string | null;
    note?: string;
    lines: readonly { product_id: string; quantity: number; price: number }[];
  }): LightspeedSale {
    const previous = input.id === undefined ? undefined : sales.get(input.id);
    const tookBefore = previous !== undefined && TAKES_STOCK.has(previous.status);
    const takesNow = TAKES_STOCK.has(input.status);
    const sale: LightspeedSale = {
      id: previous?.id ?? input.id ?? uuid(),
      outlet_id: input.outletId,
      register_id: input.registerId,
      status: input.status,
      source_id: input.sourceId ?? previous?.source_id ?? null,
      note: input.note ?? previous?.note ?? "",
      sale_date: previous?.sale_date ?? new Date(clock()).toISOString(),
      updated_at: new Date(clock()).toISOString(),
      line_items: input.lines.map((l) => ({ id: uuid(), ...l })),
      version: next(),
    };
    sales.set(sale.id, sale);
    // A sale moves stock when it first reaches a status that takes it; a void gives it back.
    if (!tookBefore && takesNow)
      for (const l of sale.line_items) move(l.product_id, sale.outlet_id, -l.quantity);
    if (tookBefore && input.status === "VOIDED" && previous !== undefined) {
      for (const l of previous.line_items) move(l.product_id, previous.outlet_id, l.quantity);
    }
    emit("sale.update", saleJson(sale));
    return sale;
  }

  function registerOf(outletId: string): string {
    for (const r of registers.values()) if (r.outlet_id === outletId) return r.id;
    return control.addRegister(outletId).id;
  }

  function productBySku(sku: string): LightspeedProduct {
    const id = bySku.get(sku);
    if (id === undefined) throw new RangeError(`No product with SKU "${sku}"`);
    return products.get(id) as LightspeedProduct;
  }

  const control: LightspeedControl = {
    addOutlet(name) {
      const outlet = { id: uuid(), name, version: next() };
      outlets.set(outlet.id, outlet);
      // Lightspeed keeps an inventory record of every tracked product at every outlet.
      for (const product of products.values()) openRecord(product, outlet.id);
      return outlet;
    },
    addRegister(outletId, name = "Main Register") {
      const register = { id: uuid(), name, outlet_id: outletId, version: next() };
      registers.set(register.id, register);
      return register;
    },
    addProduct({ sku, name = sku, tracked = true, components = [] }) {
      const product: LightspeedProduct = {
        id: uuid(),
        name,
        sku,
        has_inventory: tracked && components.length === 0,
        is_composite: components.length > 0,
        components: components.map((c) => ({
          productId: productBySku(c.sku).id,
          quantity: c.quantity,
        })),
        version: next(),
      };
      products.set(product.id, product);
      bySku.set(sku, product.id);
      for (const outletId of outlets.keys()) openRecord(product, outletId);
      emit("product.update", productJson(product));
      return product;
    },
    setInventory(sku, outletId, level) {
      setLevel(productBySku(sku).id, outletId, level);
    },
    inventory: (sku, outletId) => levelOf(productBySku(sku).id, outletId),
    sell({ outletId, lines, status = "CLOSED" }) {
      return saleOf({
        outletId,
        registerId: registerOf(outletId),
        status,
        lines: lines.map((l) => ({
          product_id: productBySku(l.sku).id,
          quantity: l.quantity,
          price: 10,
        })),
      });
    },
    returnItems(outletId, lines) {
      return saleOf({
        outletId,
        registerId: registerOf(outletId),
        status: "CLOSED",
        note: "return",
        lines: lines.map((l) => ({
          product_id: productBySku(l.sku).id,
          quantity: -l.quantity,
          price: 10,
        })),
      });
    },
    sales: () => [...sales.values()],
    subscribe(type, url) {
      const hook = { id: uuid(), url, type, active: true };
      webhooks.set(hook.id, hook);
    },
    webhooksSent: () => sent,
    issueRefreshToken() {
      const token = `lsrt_${uuid()}`;
      refreshTokens.add(token);
      return token;
    },
    version: () => version,
  };

  const limit = () => 300 * Math.max(1, registers.size) + 50;

  function rateLimitedResponse(): Response {
    // A window that ran out with no request since starts now: a refusal always names a
    // reset still to come, never one already past.
    const now = clock();
    if (now >= window.start + WINDOW_MS) window = { start: now, used: 0 };
    // An HTTP date has whole seconds: rounded up, so that a client that waits until the
    // date is never refused again for the same window.
    const reset = new Date(Math.ceil((window.start + WINDOW_MS) / 1000) * 1000).toUTCString();
    return json(
      429,
      { error: "Too Many Requests", message: "Rate limiting enforced" },
      {
        "retry-after": reset,
        "x-ratelimit-limit": String(limit()),
        "x-ratelimit-remaining": "0",
      },
    );
  }

  const authorised = (request: Request) => {
    const token = /^Bearer (.+)$/.exec(request.headers.get("authorization") ?? "")?.[1];
    if (token === undefined) return false;
    if (token === personalToken) return true;
    const expires = accessTokens.get(token);
    return expires !== undefined && expires > clock();
  };

  const router = new Router()
    .on("POST", "/api/1.0/token", async ({ request }) => {
      const form = new URLSearchParams(await request.text());
      if (form.get("client_id") !== clientId || form.get("client_secret") !== clientSecret) {
        return json(401, { error: "invalid_client" });
      }
      if (form.get("grant_type") !== "refresh_token")
        return json(400, { error: "unsupported_grant_type" });
      const used = form.get("refresh_token") ?? "";
      // Since 2025-03 a refresh token is revoked when it is used: only the newest works.
      if (!refreshTokens.delete(used))
        return json(400, {
          error: "invalid_grant",
          error_description: "refresh token revoked or unknown",
        });
      const accessToken = `lsat_${uuid()}`;
      const refreshToken = control.issueRefreshToken();
      const expiresIn = 604_800;
      accessTokens.set(accessToken, clock() + expiresIn * 1000);
      return json(200, {
        access_token: accessToken,
        token_type: "Bearer",
        expires: Math.floor(clock() / 1000) + expiresIn,
        expires_in: expiresIn,
        refresh_token: refreshToken,
        domain_prefix: domainPrefix,
        scope: "products:read inventory:read inventory:write sales:read sales:write webhooks",
      });
    })
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
      const list = [...outlets.keys()].map((outletId) => inventoryRecord(product.id, outletId));
      return json(200, { data: list, version: versionOf(list) });
    })
    .on("GET", "/api/2.0/inventory", ({ url }) => {
      const rows = [...levels.entries()].map(([key]) => {
        const [productId, outletId] = key.split(":") as [string, string];
        return inventoryRecord(productId, outletId);
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
      const sale = saleOf({
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
        move(item.product_id, item.outlet_id, Number(item.quantity));
        const record = {
          id: uuid(),
          user_id: "sandbox-user",
          product_id: item.product_id,
          outlet_id: item.outlet_id,
          quantity: item.quantity,
          reason: item.reason,
          created_at: now,
          updated_at: now,
          version: next(),
        };
        adjustments.push(record);
        return record;
      });
      return json(201, { data: created });
    })
    .on("GET", "/api/:dated/stock_adjustments", ({ url }) =>
      paged(url, adjustments as { version: number }[]),
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
      for (const hook of webhooks.values()) {
        if (hook.url === body.url && hook.type === body.type) {
          return json(409, { error: "A webhook with this type and URL already exists" });
        }
      }
      const hook = { id: uuid(), url: body.url, type: body.type, active: body.active };
      webhooks.set(hook.id, hook);
      return json(201, { data: hook });
    })
    .on("GET", "/api/2.0/webhooks", () => json(200, { data: [...webhooks.values()] }));

  return {
    platform: "lightspeed",
    control,
    credentials: { domainPrefix, personalToken, clientId, clientSecret },
    rateLimitedResponse,
    async fetch(request) {
      const url = new URL(request.url);
      const isToken = url.pathname === "/api/1.0/token";
      if (!isToken) {
        if (!authorised(request))
          return json(401, { error: "Unauthorized", message: "Invalid or expired token" });
        const now = clock();
        if (now >= window.start + WINDOW_MS) window = { start: now, used: 0 };
        if (window.used >= limit()) return rateLimitedResponse();
        window.used++;
      }
      const response = (await router.route(request)) ?? notFound();
      if (!isToken) {
        response.headers.set("x-ratelimit-limit", String(limit()));
        response.headers.set("x-ratelimit-remaining", String(Math.max(0, limit() - window.used)));
      }
      return response;
    },
  };
}

function notFound(): Response {
  return json(404, { error: "Not Found" });
}

/** A 2.0 collection page: items with a version above `after`, oldest first. */
function paged<T extends { version: number }>(url: URL, items: readonly T[]): Response {
  const after = Number(url.searchParams.get("after") ?? 0);
  const before = url.searchParams.has("before")
    ? Number(url.searchParams.get("before"))
    : Number.POSITIVE_INFINITY;
  const size = Math.min(Number(url.searchParams.get("page_size") ?? 1000) || 1000, 10_000);
  const page = items
    .filter((item) => item.version > after && item.version < before)
    .sort((a, b) => a.version - b.version)
    .slice(0, size);
  return json(200, { data: page, version: versionOf(page) });
}

function versionOf(items: readonly { version: number }[]): { min: number; max: number } {
  if (items.length === 0) return { min: 0, max: 0 };
  return {
    min: Math.min(...items.map((i) => i.version)),
    max: Math.max(...items.map((i) => i.version)),
  };
}

function outletJson(outlet: LightspeedOutlet) {
  return {
    ...outlet,
    time_zone: "Pacific/Auckland",
    currency: "NZD",
    currency_symbol: "$",
    display_prices: "inclusive",
  };
}

function productJson(p: LightspeedProduct) {
  return {
    id: p.id,
    name: p.name,
    variant_name: p.name,
    handle: p.sku.toLowerCase(),
    sku: p.sku,
    active: true,
    has_inventory: p.has_inventory,
    is_composite: p.is_composite,
    has_variants: false,
    version: p.version,
  };
}

function saleJson(s: LightspeedSale) {
  return {
    id: s.id,
    outlet_id: s.outlet_id,
    register_id: s.register_id,
    user_id: "sandbox-user",
    status: s.status,
    note: s.note,
    sale_date: s.sale_date,
    updated_at: s.updated_at,
    ...(s.source_id === null ? {} : { source_id: s.source_id }),
    line_items: s.line_items.map((l) => ({
      id: l.id,
      product_id: l.product_id,
      quantity: l.quantity,
      price: l.price,
      is_return: l.quantity < 0,
      status: s.status === "VOIDED" ? "VOIDED" : "CONFIRMED",
    })),
    version: s.version,
  };
}

function saleProblems(
  body: Record<string, unknown> | undefined,
  registers: ReadonlyMap<string, unknown>,
  products: ReadonlyMap<string, unknown>,
): string[] {
  if (body === undefined) return ["the body is not JSON"];
  const problems: string[] = [];
  if (typeof body.register_id !== "string" || !registers.has(body.register_id))
    problems.push("register_id: unknown register");
  if (typeof body.user_id !== "string") problems.push("user_id: required");
  if (typeof body.status !== "string") problems.push("status: required");
  const lines = body.register_sale_products;
  if (!Array.isArray(lines) || lines.length === 0)
    problems.push("register_sale_products: required");
  else {
    lines.forEach((l: Record<string, unknown>, i) => {
      if (typeof l.product_id !== "string" || !products.has(l.product_id))
        problems.push(`register_sale_products[${i}].product_id: unknown product`);
      for (const field of ["quantity", "price", "tax"]) {
        if (!Number.isFinite(Number(l[field])))
          problems.push(`register_sale_products[${i}].${field}: required`);
      }
      if (typeof l.tax_id !== "string")
        problems.push(`register_sale_products[${i}].tax_id: required`);
    });
  }
  return problems;
}

function adjustmentProblems(
  raw: unknown,
  i: number,
  products: ReadonlyMap<string, LightspeedProduct>,
  outlets: ReadonlyMap<string, unknown>,
): string[] {
  const item = raw as Record<string, unknown>;
  const at = `stock_adjustments[${i}]`;
  const problems: string[] = [];
  if (typeof item?.product_id !== "string" || !products.has(item.product_id))
    problems.push(`${at}.product_id: unknown product`);
  if (typeof item?.outlet_id !== "string" || !outlets.has(item.outlet_id))
    problems.push(`${at}.outlet_id: unknown outlet`);
  const quantity = item?.quantity;
  if (
    typeof quantity !== "string" ||
    quantity.length > 32 ||
    !/^-?\d+$/.test(quantity) ||
    Number(quantity) === 0
  ) {
    problems.push(`${at}.quantity: a non-zero whole number as a string`);
  }
  const reason = item?.reason;
  const sign = Math.sign(Number(quantity));
  if (typeof reason !== "string") problems.push(`${at}.reason: required`);
  else if (reason !== "CUSTOM") {
    const allowed = sign < 0 ? ADJUSTMENT_REASONS.negative : ADJUSTMENT_REASONS.positive;
    if (!allowed.has(reason))
      problems.push(
        `${at}.reason: "${reason}" does not fit a ${sign < 0 ? "negative" : "positive"} quantity`,
      );
  }
  return problems;
}

/** Two hex digits of every byte. */
const HEX = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, "0"));

/**
 * A version-4-shaped UUID from a seeded source, so runs repeat. Sixteen bits a draw, read
 * through a table: a stock adjustment of 1,000 items makes 1,000 ids.
 */
function uuidFrom(random: Random): string {
  let hex = "";
  for (let i = 0; i < 8; i++) {
    const bits = Math.floor(random.next() * 0x10000);
    hex += (HEX[bits >> 8] as string) + (HEX[bits & 0xff] as string);
  }
  const variant = "89ab"[Number.parseInt(hex[16] as string, 16) & 3] as string;
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20)}`;
}
