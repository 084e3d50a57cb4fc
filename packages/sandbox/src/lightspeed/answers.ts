import { json } from "../common/http.js";

/** Lightspeed's 404. */
export function notFound(): Response {
  return json(404, { error: "Not Found" });
}

/** A 2.0 collection page: items with a version above `after`, oldest first. */
export function paged<T extends { version: number }>(url: URL, items: readonly T[]): Response {
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

/** The lowest and highest version of a page (0 and 0 when empty). */
export function versionOf(items: readonly { version: number }[]): { min: number; max: number } {
  if (items.length === 0) return { min: 0, max: 0 };
  return {
    min: Math.min(...items.map((i) => i.version)),
    max: Math.max(...items.map((i) => i.version)),
  };
}
