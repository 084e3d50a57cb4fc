/**
 * Reads a sale date: RFC 3339 (API 2.0) or `YYYY-MM-DD HH:MM:SS` in UTC (API 1.0 payloads).
 * `undefined` when absent or unreadable.
 */
export function saleTime(value: string | null | undefined): number | undefined {
  if (value === undefined || value === null) return undefined;
  const text = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(value)
    ? `${value.replace(" ", "T")}Z`
    : value;
  const time = Date.parse(text);
  return Number.isNaN(time) || time < 0 ? undefined : time;
}
