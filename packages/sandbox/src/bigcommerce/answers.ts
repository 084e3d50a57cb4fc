import { json } from "../common/http.js";

const PROBLEM_TYPE = "https://developer.bigcommerce.com/api-docs/getting-started/api-status-codes";

/** A v3 error: an RFC 7807 problem with BigCommerce's `errors` by field. */
export function problem(
  status: number,
  title: string,
  errors: Record<string, string> = {},
): Response {
  return new Response(JSON.stringify({ status, title, type: PROBLEM_TYPE, errors }), {
    status,
    headers: { "content-type": "application/problem+json" },
  });
}

/** A v2 "not found". */
export function v2NotFound(): Response {
  return json(404, [{ status: 404, message: "The requested resource was not found." }]);
}

/** The values of a `name:in` filter, or `undefined` when it is absent. */
export function listIn(url: URL, name: string): string[] | undefined {
  return url.searchParams
    .get(`${name}:in`)
    ?.split(",")
    .filter((s) => s !== "");
}

/** A v3 page: `data` and `meta.pagination` (`limit` 50 by default, 1,000 at most). */
export function page<T>(url: URL, items: readonly T[]): Response {
  const limit = Math.min(Number(url.searchParams.get("limit") ?? 50) || 50, 1000);
  const current = Math.max(1, Number(url.searchParams.get("page") ?? 1) || 1);
  const totalPages = Math.max(1, Math.ceil(items.length / limit));
  const data = items.slice((current - 1) * limit, current * limit);
  return json(200, {
    data,
    meta: {
      pagination: {
        total: items.length,
        count: data.length,
        per_page: limit,
        current_page: current,
        total_pages: totalPages,
        links: { current: `?page=${current}&limit=${limit}` },
      },
    },
  });
}

/** A v2 page: `page` (from 1) and `limit` (50 by default, 250 at most), as on BigCommerce. */
export function v2Page<T>(url: URL, items: readonly T[]): T[] {
  const limit = Math.min(Number(url.searchParams.get("limit") ?? 50) || 50, 250);
  const current = Math.max(1, Number(url.searchParams.get("page") ?? 1) || 1);
  return items.slice((current - 1) * limit, current * limit);
}
