import { describe, expect, it } from "vitest";
import { isOmnistockError, parseStockEvent } from "../src/index.js";

describe("parseStockEvent", () => {
  it("accepts a POS sale and fills defaults", () => {
    const event = parseStockEvent({
      type: "stock.received",
      id: "r-1",
      at: 10,
      locationId: "main",
      lines: [{ sku: "MUG", quantity: 5 }],
    });
    expect(event).toMatchObject({ type: "stock.received", wasIncoming: false });
  });

  it("names the field at fault", () => {
    let caught: unknown;
    try {
      parseStockEvent({
        type: "pos.sale",
        id: "s-1",
        at: 1,
        locationId: "main",
        lines: [{ sku: "MUG", quantity: -1 }],
      });
    } catch (error) {
      caught = error;
    }
    expect(isOmnistockError(caught, "VALIDATION")).toBe(true);
    if (!isOmnistockError(caught)) return;
    expect(caught.issues[0]?.path).toEqual(["lines", 0, "quantity"]);
    expect(caught.message).toContain("lines[0].quantity");
  });

  it("rejects unknown types and unknown keys", () => {
    expect(() => parseStockEvent({ type: "pos.teleport", id: "x", at: 1 })).toThrow(/type/);
    expect(() =>
      parseStockEvent({
        type: "stock.counted",
        id: "c",
        at: 1,
        locationId: "a",
        sku: "b",
        onHand: 1,
        extra: 1,
      }),
    ).toThrow(/extra|Unrecognized/);
  });
});
