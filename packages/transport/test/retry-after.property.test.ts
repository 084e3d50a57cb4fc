import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseRetryAfter } from "../src/index.js";

const NOW = Date.UTC(2026, 10, 22, 12, 0, 0);

/** Times from 1970 to 2100, in whole seconds as HTTP dates carry them. */
const wholeSeconds = fc.integer({ min: 0, max: 4_102_444_800 }).map((s) => s * 1000);

describe("parseRetryAfter", () => {
  it("reads seconds, HTTP dates and epoch timestamps", () => {
    expect(parseRetryAfter("120", NOW)).toBe(120_000);
    expect(parseRetryAfter(" 1.5 ", NOW)).toBe(1_500);
    expect(parseRetryAfter("Sun, 22 Nov 2026 12:00:30 GMT", NOW)).toBe(30_000);
    expect(parseRetryAfter(String(NOW / 1000 + 10), NOW)).toBe(10_000);
    expect(parseRetryAfter(String(NOW + 2_500), NOW)).toBe(2_500);
  });

  it("answers undefined for what it cannot read, and 0 for a time already past", () => {
    expect(parseRetryAfter(null, NOW)).toBeUndefined();
    expect(parseRetryAfter(undefined, NOW)).toBeUndefined();
    expect(parseRetryAfter("", NOW)).toBeUndefined();
    expect(parseRetryAfter("soon", NOW)).toBeUndefined();
    expect(parseRetryAfter("-5", NOW)).toBeUndefined();
    expect(parseRetryAfter("Sat, 21 Nov 2026 12:00:00 GMT", NOW)).toBe(0);
    expect(parseRetryAfter(String(NOW / 1000 - 10), NOW)).toBe(0);
  });

  it("is total and never negative, for any string and any time", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.string({ unit: fc.constantFrom(..."0123456789.-+eE :,GMTSunNov") }),
          fc.nat().map(String),
          fc.double({ noNaN: true }).map(String),
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

  it("reads delta seconds below ten digits as that many seconds from now", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 999_999_999 }), fc.nat(), (seconds, now) => {
        expect(parseRetryAfter(String(seconds), now)).toBe(seconds * 1000);
      }),
    );
  });

  it("reads an HTTP date as the time until it, or 0 once it has passed", () => {
    fc.assert(
      fc.property(wholeSeconds, wholeSeconds, (date, now) => {
        expect(parseRetryAfter(new Date(date).toUTCString(), now)).toBe(Math.max(0, date - now));
      }),
    );
  });

  it("reads an epoch in seconds or milliseconds as the time until it, or 0 once it has passed", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1_000_000_000, max: 4_102_444_800 }),
        wholeSeconds,
        (epoch, now) => {
          expect(parseRetryAfter(String(epoch), now)).toBe(Math.max(0, epoch * 1000 - now));
          expect(parseRetryAfter(String(epoch * 1000), now)).toBe(Math.max(0, epoch * 1000 - now));
        },
      ),
    );
  });
});
