import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  isOmnistockError,
  MAX_EVENT_QUANTITY,
  parseStockEvents,
  type StockEventInput,
} from "../src/index.js";
import { eventList } from "./support/arbitraries.js";

/** How a quantity field is bounded. */
type Kind = "units" | "signed" | "level";

/** The quantity fields of an event, by path, with their bounds. */
function quantityFields(event: StockEventInput): [path: (string | number)[], kind: Kind][] {
  switch (event.type) {
    case "stock.adjusted":
      return [[["delta"], "signed"]];
    case "stock.counted":
      return [[["onHand"], "signed"]];
    case "stock.reserved":
      return [[["quantity"], "units"]];
    case "safety-stock.set":
      return [[["quantity"], "level"]];
    case "reservation.released":
    case "reservation.expired":
      return [];
    default:
      return event.lines.map((_, i) => [["lines", i, "quantity"], "units"]);
  }
}

const MAX = MAX_EVENT_QUANTITY;
const notWhole = fc.oneof(
  fc.double({ noInteger: true }),
  fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 0.5, -1.5),
);
const tooLarge = fc.oneof(
  fc.integer({ min: MAX + 1, max: Number.MAX_SAFE_INTEGER }),
  fc.constantFrom(1e20, -1e20, 2 ** 53, -(2 ** 53), MAX + 1, -(MAX + 1)),
);
const notANumber = fc.oneof(fc.string(), fc.constant(null), fc.boolean(), fc.constant([1]));
const badFor = (kind: Kind): fc.Arbitrary<unknown> => {
  const outOfRange =
    kind === "units"
      ? fc.oneof(tooLarge, fc.integer({ min: -MAX, max: 0 }))
      : kind === "level"
        ? fc.oneof(tooLarge, fc.integer({ min: -MAX, max: -1 }))
        : tooLarge;
  return fc.oneof(notWhole, outOfRange, notANumber);
};
const goodFor = (kind: Kind): fc.Arbitrary<number> =>
  fc.integer({ min: kind === "units" ? 1 : kind === "level" ? 0 : -MAX, max: MAX });

function setAt(target: unknown, path: readonly (string | number)[], value: unknown): void {
  let at = target as Record<string | number, unknown>;
  for (const part of path.slice(0, -1)) at = at[part] as Record<string | number, unknown>;
  at[path[path.length - 1] as string | number] = value;
}

/** A list of events and one quantity field in it, picked by index. */
const withField = eventList(6, 1)
  .map((events) =>
    events.flatMap((event, index) =>
      quantityFields(event).map(([path, kind]) => ({ events, index, path, kind })),
    ),
  )
  .filter((fields) => fields.length > 0)
  .chain((fields) => fc.constantFrom(...fields));

describe("the bounds of event quantities", () => {
  it("a quantity that is not a safe integer within its bounds is refused, naming the event and the field", () => {
    fc.assert(
      fc.property(
        withField.chain((f) => fc.tuple(fc.constant(f), badFor(f.kind))),
        ([{ events, index, path }, bad]) => {
          const copy = structuredClone(events);
          setAt(copy[index], path, bad);
          let caught: unknown;
          try {
            parseStockEvents(copy, "test source");
          } catch (error) {
            caught = error;
          }
          expect(isOmnistockError(caught, "VALIDATION")).toBe(true);
          if (!isOmnistockError(caught)) return;
          expect(caught.issues.map((issue) => issue.path)).toContainEqual([index, ...path]);
          expect(caught.details).toEqual({ source: "test source" });
          expect(caught.message).toContain("test source");
        },
      ),
    );
  });

  it("events whose quantities are safe integers within their bounds pass unchanged", () => {
    fc.assert(
      fc.property(
        withField.chain((f) => fc.tuple(fc.constant(f), goodFor(f.kind))),
        ([{ events, index, path }, good]) => {
          const copy = structuredClone(events);
          setAt(copy[index], path, good);
          expect(parseStockEvents(copy, "test source")).toEqual(copy);
        },
      ),
    );
  });
});
