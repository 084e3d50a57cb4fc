import { describe, expect, it } from "vitest";
import {
  allocate,
  compileCatalog,
  explainSlot,
  isOmnistockError,
  type OmnistockError,
  type OmnistockErrorCode,
  refOfSlot,
  StockLevels,
  slotOf,
} from "../src/index.js";

const catalog = compileCatalog({
  locations: [{ id: "main-street" }, { id: "warehouse" }],
  channels: [
    { id: "shopify", feed: { mode: "sum", locationIds: ["main-street", "warehouse"] } },
    {
      id: "bigcommerce",
      feed: {
        mode: "location",
        map: [{ channelLocationId: "bc-main", locationId: "main-street" }],
      },
    },
  ],
  listings: [
    { channelId: "shopify", listingId: "MUG-RED", sku: "MUG-RED" },
    { channelId: "bigcommerce", listingId: "MUG-RED", sku: "MUG-RED" },
  ],
});
const locations = ["main-street", "warehouse"];

/** The error `run` throws, checked to be an OmnistockError of `code`. */
function thrown(code: OmnistockErrorCode, run: () => unknown): OmnistockError {
  let caught: unknown;
  try {
    run();
  } catch (error) {
    caught = error;
  }
  expect(isOmnistockError(caught, code), String(caught)).toBe(true);
  return caught as OmnistockError;
}

describe("core's look-ups throw typed errors naming what was at fault", () => {
  it("slotOf: NOT_FOUND for a listing the channel does not have", () => {
    const error = thrown("NOT_FOUND", () =>
      slotOf(catalog, { channelId: "shopify", listingId: "MUG-BLUE" }),
    );
    expect(error.details).toEqual({ channelId: "shopify", listingId: "MUG-BLUE" });
    expect(error.message).toContain("MUG-BLUE");
  });

  it("slotOf: NOT_FOUND for a channel location the channel does not have", () => {
    const error = thrown("NOT_FOUND", () =>
      slotOf(catalog, { channelId: "bigcommerce", listingId: "MUG-RED", channelLocationId: "x" }),
    );
    expect(error.details).toEqual({
      channelId: "bigcommerce",
      listingId: "MUG-RED",
      channelLocationId: "x",
    });
  });

  it("Allocation.quantity: NOT_FOUND for a listing not in the catalog", () => {
    const allocation = allocate(catalog, new StockLevels(locations));
    const error = thrown("NOT_FOUND", () =>
      allocation.quantity({ channelId: "amazon", listingId: "MUG-RED" }),
    );
    expect(error.details).toMatchObject({ channelId: "amazon", listingId: "MUG-RED" });
  });

  it("refOfSlot and explainSlot: NOT_FOUND for a slot the catalog does not have", () => {
    for (const slot of [-1, catalog.slotCount, 1.5, Number.NaN]) {
      expect(thrown("NOT_FOUND", () => refOfSlot(catalog, slot)).details).toEqual({ slot });
      expect(
        thrown("NOT_FOUND", () => explainSlot(catalog, new StockLevels(locations), slot)).details,
      ).toEqual({ slot });
    }
  });

  it("StockLevels.set: NOT_FOUND for a location the table does not know", () => {
    const error = thrown("NOT_FOUND", () => new StockLevels(locations).set("MUG", "mall", 3));
    expect(error.details).toEqual({ sku: "MUG", locationId: "mall" });
  });

  it("StockLevels.set: VALIDATION naming `available` for a quantity that is not a whole number", () => {
    for (const available of [1.5, Number.NaN, Number.POSITIVE_INFINITY, -Infinity]) {
      const error = thrown("VALIDATION", () =>
        new StockLevels(locations).set("MUG", "warehouse", available),
      );
      expect(error.issues).toEqual([{ path: ["available"], message: expect.any(String) }]);
      expect(error.details).toEqual({ sku: "MUG", locationId: "warehouse", available });
    }
  });

  it("StockLevels.set: a level above what the table holds is held at its ceiling, never wrapped below zero", () => {
    const stock = new StockLevels(locations);
    stock.set("MUG-RED", "warehouse", 1e12);
    stock.set("MUG-RED", "main-street", 2 ** 31 - 1);
    expect(stock.get("MUG-RED", "warehouse")).toBe(StockLevels.MAX_AVAILABLE);
    const allocation = allocate(catalog, stock);
    expect(allocation.quantity({ channelId: "shopify", listingId: "MUG-RED" })).toBe(
      StockLevels.MAX_AVAILABLE,
    );
  });
});
