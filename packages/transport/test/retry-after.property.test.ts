import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseRetryAfter } from "../src/index.js";

const NOW = Date.UTC(2026, 10, 22, 12, 0, 0);

describe("parseRetryAfter", () => {
  it("reads seconds, HTTP dates and epoch timestamps", () => {
    expect(parseRetryAfter("120", NOW)).toBe(120_000);
    expect(parseRetryAfter("1.5", NOW)).toBe(1_500);
    expect(parseRetryAfter("Sun, 22 Nov 2026 12:00:30 GMT", NOW)).toBe(30_000);
    expect(parseRetryAfter(String(NOW / 1000 + 10), NOW)).toBe(10_000);
    expect(parseRetryAfter(String(NOW + 2_500), NOW)).toBe(2_500);
  });

  it("answers undefined for what it cannot read, and 0 for a time already past", () => {
    expect(parseRetryAfter(null, NOW)).toBeUndefined();
    expect(parseRetryAfter("soon", NOW)).toBeUndefined();
    expect(parseRetryAfter("-5", NOW)).toBeUndefined();
    expect(parseRetryAfter("Sat, 21 Nov 2026 12:00:00 GMT", NOW)).toBe(0);
  });

  it("is total and never negative, for any string and any time", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.nat().map(String),
          fc.double({ min: 0, max: 1e13, noNaN: true }).map(String),
          fc.date({ noInvalidDate: true }).map((d) => d.toUTCString()),
        ),
        fc.integer({ min: 0, max: 4_102_444_800_000 }),
        (value, now) => {
          const wait = parseRetryAfter(value, now);
          if (wait !== undefined) {
            expect(Number.isFinite(wait)).toBe(true);
            expect(wait).toBeGreaterThanOrEqual(0);
          }
        },
      ),
    );
  });
});
