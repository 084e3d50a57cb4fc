import { describe, expect, it } from "vitest";
import {
  type ChannelOrder,
  isOmnistockError,
  MAX_EVENT_QUANTITY,
  type OmnistockError,
  parseChannelOrders,
  parseStockEvent,
  parseStockEvents,
} from "../src/index.js";

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

function refused(run: () => unknown): OmnistockError {
  let caught: unknown;
  try {
    run();
  } catch (error) {
    caught = error;
  }
  expect(isOmnistockError(caught, "VALIDATION"), String(caught)).toBe(true);
  return caught as OmnistockError;
}

const sale = (quantity: unknown) => ({
  type: "pos.sale",
  id: "sale-42",
  at: 2_000,
  locationId: "main",
  lines: [{ sku: "MUG", quantity }],
});
const adjusted = (delta: unknown) => ({
  type: "stock.adjusted",
  id: "adj-1",
  at: 2_000,
  locationId: "main",
  sku: "MUG",
  delta,
  bucket: "onHand",
});
const counted = (onHand: unknown) => ({
  type: "stock.counted",
  id: "count-1",
  at: 2_000,
  locationId: "main",
  sku: "MUG",
  onHand,
});

describe("parseStockEvents", () => {
  const bad = [1.5, Number.NaN, Number.POSITIVE_INFINITY, 1e20, "3", null];
  const show = (v: unknown) => (typeof v === "string" ? JSON.stringify(v) : String(v));
  it.each([
    ...bad.map(
      (v) => [`a sale quantity of ${show(v)}`, sale(v), ["lines", 0, "quantity"]] as const,
    ),
    ["a sale quantity of 0", sale(0), ["lines", 0, "quantity"]] as const,
    ["a sale quantity of -2", sale(-2), ["lines", 0, "quantity"]] as const,
    ["a sale quantity above 1e9", sale(MAX_EVENT_QUANTITY + 1), ["lines", 0, "quantity"]] as const,
    ...bad.map((v) => [`a delta of ${show(v)}`, adjusted(v), ["delta"]] as const),
    ["a delta below -1e9", adjusted(-MAX_EVENT_QUANTITY - 1), ["delta"]] as const,
    ...bad.map((v) => [`a counted level of ${show(v)}`, counted(v), ["onHand"]] as const),
  ])("refuses %s, naming the field", (_, event, path) => {
    const error = refused(() => parseStockEvents([sale(1), event], "Lightspeed webhook"));
    expect(error.issues.map((issue) => issue.path)).toContainEqual([1, ...path]);
    expect(error.message).toContain(`[1].${path.join(".").replace(".0.", "[0].")}`);
    expect(error.message).toContain("Lightspeed webhook");
    expect(error.details).toEqual({ source: "Lightspeed webhook" });
  });

  it("accepts the bounds themselves and reads -0 as 0", () => {
    const events = [
      sale(MAX_EVENT_QUANTITY),
      adjusted(-MAX_EVENT_QUANTITY),
      counted(-MAX_EVENT_QUANTITY),
      counted(MAX_EVENT_QUANTITY),
    ];
    expect(parseStockEvents(events, "test")).toEqual(events);
    const [zeroDelta, zeroCount] = parseStockEvents([adjusted(-0), counted(-0)], "test");
    expect(Object.is(zeroDelta?.type === "stock.adjusted" && zeroDelta.delta, 0)).toBe(true);
    expect(Object.is(zeroCount?.type === "stock.counted" && zeroCount.onHand, 0)).toBe(true);
  });

  it("refuses what is not a list of events", () => {
    expect(refused(() => parseStockEvents({ events: [] }, "poll")).issues[0]?.path).toEqual([]);
  });
});

describe("parseChannelOrders", () => {
  const order: ChannelOrder = {
    eventId: "shopify:order:1:placed",
    channelId: "shopify",
    orderId: "1",
    at: 2_000,
    status: "placed",
    lines: [{ listingId: "MUG", quantity: 2 }],
  };

  it("passes a valid order unchanged, optional fields included", () => {
    const full: ChannelOrder = {
      ...order,
      status: "refunded",
      lines: [{ listingId: "MUG", quantity: 1, restock: true }],
      channelLocationId: "loc-1",
      fulfilledByChannel: false,
      tracking: { company: "UPS", number: "1Z" },
    };
    expect(parseChannelOrders([order, full], "Shopify")).toEqual([order, full]);
  });

  it.each([
    ["a fractional quantity", 1.5],
    ["NaN", Number.NaN],
    ["Infinity", Number.POSITIVE_INFINITY],
    ["1e20", 1e20],
    ["zero", 0],
    ["a string", "2"],
  ])("refuses a line quantity of %s, naming the field", (_, quantity) => {
    const error = refused(() =>
      parseChannelOrders([order, { ...order, lines: [{ listingId: "MUG", quantity }] }], "Shopify"),
    );
    expect(error.issues.map((issue) => issue.path)).toContainEqual([1, "lines", 0, "quantity"]);
    expect(error.message).toContain("[1].lines[0].quantity");
    expect(error.details).toEqual({ source: "Shopify" });
  });

  it("refuses an unknown status and a missing id, naming each", () => {
    const error = refused(() =>
      parseChannelOrders([{ ...order, status: "lost", eventId: undefined }], "Amazon"),
    );
    const paths = error.issues.map((issue) => issue.path);
    expect(paths).toContainEqual([0, "status"]);
    expect(paths).toContainEqual([0, "eventId"]);
  });
});
