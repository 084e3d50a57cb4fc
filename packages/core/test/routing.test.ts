import { describe, expect, it } from "vitest";
import {
  compileCatalog,
  expandListingLines,
  isOmnistockError,
  routeOrder,
  routingCandidates,
} from "../src/index.js";

const table: Record<string, Record<string, number>> = {
  MUG: { north: 0, south: 3, east: 5 },
  TEA: { north: 4, south: 0, east: 1 },
};
const available = (sku: string, loc: string) => table[sku]?.[loc] ?? 0;

describe("routeOrder", () => {
  it("takes the whole order from the first location that has every line", () => {
    const routing = routeOrder({
      lines: [
        { sku: "MUG", quantity: 2 },
        { sku: "TEA", quantity: 1 },
      ],
      candidates: ["north", "south", "east"],
      available,
    });
    expect(routing.strategy).toBe("single-location");
    expect(routing.assignments.map((a) => a.locationId)).toEqual(["east", "east"]);
  });

  it("splits the order by whole lines when no location has everything", () => {
    const routing = routeOrder({
      lines: [
        { sku: "MUG", quantity: 3 },
        { sku: "TEA", quantity: 4 },
      ],
      candidates: ["north", "south", "east"],
      available,
    });
    expect(routing.strategy).toBe("split-order");
    expect(routing.assignments).toEqual([
      { sku: "MUG", locationId: "south", quantity: 3 },
      { sku: "TEA", locationId: "north", quantity: 4 },
    ]);
  });

  it("splits a line only when no location has it whole, and reports what is left", () => {
    const split = routeOrder({
      lines: [{ sku: "MUG", quantity: 7 }],
      candidates: ["north", "south", "east"],
      available,
    });
    expect(split.strategy).toBe("split-line");
    expect(split.assignments).toEqual([
      { sku: "MUG", locationId: "south", quantity: 3 },
      { sku: "MUG", locationId: "east", quantity: 4 },
    ]);
    const short = routeOrder({
      lines: [{ sku: "MUG", quantity: 9 }],
      candidates: ["south", "east"],
      available,
      splitLines: true,
    });
    expect(short.strategy).toBe("unfilled");
    expect(short.unfilled).toEqual([{ sku: "MUG", quantity: 1 }]);
    const unsplit = routeOrder({
      lines: [{ sku: "MUG", quantity: 7 }],
      candidates: ["south", "east"],
      available,
      splitLines: false,
    });
    expect(unsplit.unfilled).toEqual([{ sku: "MUG", quantity: 7 }]);
  });
});

describe("routing candidates and listing expansion", () => {
  const catalog = compileCatalog({
    locations: [{ id: "north" }, { id: "south" }, { id: "east" }],
    channels: [
      {
        id: "bc",
        feed: {
          mode: "zones",
          zones: [
            { channelLocationId: "zone-a", locationIds: ["south", "east"] },
            { channelLocationId: "zone-b", locationIds: ["north"] },
          ],
        },
      },
    ],
    listings: [
      { channelId: "bc", listingId: "MUG", sku: "MUG" },
      {
        channelId: "bc",
        listingId: "DUO",
        components: [
          { sku: "MUG", quantity: 2 },
          { sku: "TEA", quantity: 1 },
        ],
      },
    ],
  });

  it("routes a zone's orders in the zone's order", () => {
    expect(routingCandidates(catalog, "bc", "zone-a")).toEqual(["south", "east"]);
    expect(routingCandidates(catalog, "bc")).toEqual(["south", "east", "north"]);
    expect(() => routingCandidates(catalog, "bc", "zone-z")).toThrow(/zone-z/);
  });

  it("sums demand on a component across bundles and single listings", () => {
    expect(
      expandListingLines(catalog, "bc", [
        { listingId: "DUO", quantity: 2 },
        { listingId: "MUG", quantity: 1 },
      ]),
    ).toEqual([
      { sku: "MUG", quantity: 5 },
      { sku: "TEA", quantity: 2 },
    ]);
  });

  it("names an unknown listing", () => {
    try {
      expandListingLines(catalog, "bc", [{ listingId: "GHOST", quantity: 1 }]);
      expect.unreachable();
    } catch (error) {
      expect(isOmnistockError(error, "MAPPING_MISSING")).toBe(true);
      expect((error as Error).message).toContain("GHOST");
    }
  });
});
