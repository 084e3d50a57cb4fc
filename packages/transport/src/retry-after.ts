/**
 * Reads a `Retry-After` value as milliseconds to wait from `now`: delta seconds (`"120"`,
 * `"1.5"`), an HTTP date (`"Wed, 21 Oct 2026 07:28:00 GMT"`, as Lightspeed sends it), or an
 * epoch timestamp in seconds or milliseconds (as some gateways send). Total: anything it
 * cannot read gives `undefined`, and it never returns a negative number (a date in the
 * past means "now": 0).
 *
 * @example
 * ```ts
 * parseRetryAfter("30", Date.now()); // 30000
 * ```
 */
export function parseRetryAfter(value: string | null | undefined, now: number): number | undefined {
  if (value === null || value === undefined) return undefined;
  const text = value.trim();
  if (text === "") return undefined;
  if (/^\d+(\.\d+)?$/.test(text)) {
    const number = Number(text);
    if (!Number.isFinite(number)) return undefined;
    // Ten digits or more is a timestamp, not a delay: 1e9 seconds is over 31 years.
    if (number >= 1e12) return Math.max(0, Math.ceil(number - now));
    if (number >= 1e9) return Math.max(0, Math.ceil(number * 1000 - now));
    return Math.ceil(number * 1000);
  }
  // Only a date with names in it (an HTTP date): Date.parse alone reads "-5" as a year.
  if (!/[a-z]{3}/i.test(text)) return undefined;
  const date = Date.parse(text);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}
