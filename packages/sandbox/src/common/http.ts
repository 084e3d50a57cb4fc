/**
 * The little HTTP toolkit the fake platforms share: a route table over Fetch `Request`s
 * and JSON answers.
 */

/** What a route handler gets. */
export interface RouteContext {
  readonly request: Request;
  readonly url: URL;
  /** Path parameters by name, from `:name` segments. */
  readonly params: Readonly<Record<string, string>>;
}

/** A route handler. */
export type RouteHandler = (context: RouteContext) => Response | Promise<Response>;

interface Route {
  readonly method: string;
  readonly pattern: RegExp;
  readonly names: readonly string[];
  readonly handler: RouteHandler;
}

/** A method-and-path route table; the first match wins. */
export class Router {
  readonly #routes: Route[] = [];

  /** Adds a route; `path` may hold `:name` segments, e.g. `/api/2.0/products/:id/inventory`. */
  on(method: string, path: string, handler: RouteHandler): this {
    const names: string[] = [];
    const source = path
      .replace(/[.*+?^${}()|[\]\\]/g, "\\$&")
      .replace(/:(\w+)/g, (_, name: string) => {
        names.push(name);
        return "([^/]+)";
      });
    this.#routes.push({ method, pattern: new RegExp(`^${source}$`), names, handler });
    return this;
  }

  /** The answer of the matching route, or `undefined` when none matches. */
  async route(request: Request): Promise<Response | undefined> {
    const url = new URL(request.url);
    for (const route of this.#routes) {
      if (route.method !== request.method) continue;
      const match = route.pattern.exec(url.pathname);
      if (match === null) continue;
      const params = Object.fromEntries(
        route.names.map((name, i) => [name, decodeURIComponent(match[i + 1] ?? "")]),
      );
      return route.handler({ request, url, params });
    }
    return undefined;
  }
}

/** A JSON answer. */
export function json(
  status: number,
  body: unknown,
  headers: Readonly<Record<string, string>> = {},
): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json; charset=utf-8", ...headers },
  });
}

/** Reads a JSON body, or `undefined` when it is not JSON. */
export async function readJson(request: Request): Promise<unknown> {
  try {
    return await request.json();
  } catch {
    return undefined;
  }
}
