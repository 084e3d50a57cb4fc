import { describe, expect, it } from "vitest";
import { planTradingDay, playTradingDay, type StoreAction, startSandbox } from "../../src/index.js";

const skus = Array.from({ length: 40 }, (_, i) => `SKU-${i}`);
const options = {
  seed: 11,
  skus,
  outlets: ["main", "mall", "warehouse"],
  channels: ["shopify-1", "shopify-2", "amazon", "bigcommerce"],
  startAt: Date.UTC(2026, 10, 22, 9, 0),
  lastUnitRace: { sku: "SKU-0", outlet: "main", channels: ["shopify-1", "amazon"] as const },
};

describe("planTradingDay", () => {
  it("plans the same day for the same seed, and another for another seed", () => {
    expect(planTradingDay(options)).toEqual(planTradingDay(options));
    expect(planTradingDay({ ...options, seed: 12 })).not.toEqual(planTradingDay(options));
  });

  it("plans sales, orders on every channel, returns, refunds, transfers, a bulk receipt and the race, in time order", () => {
    const day = planTradingDay(options);
    const count = (kind: StoreAction["kind"]) => day.filter((a) => a.kind === kind).length;
    expect(count("pos-sale")).toBe(301);
    expect(count("online-order")).toBe(122);
    expect(count("return")).toBe(20);
    expect(count("transfer")).toBe(10);
    expect(count("online-refund")).toBe(10);
    const receipt = day.find((a) => a.kind === "receipt");
    expect(receipt?.lines.reduce((s, l) => s + l.quantity, 0)).toBe(5_000);
    const channels = new Set(day.flatMap((a) => (a.kind === "online-order" ? [a.channel] : [])));
    expect(channels).toEqual(new Set(options.channels));
    expect(day.map((a) => a.at)).toEqual([...day.map((a) => a.at)].sort((a, b) => a - b));
    const race = day.filter(
      (a) =>
        "lines" in a &&
        a.lines.some((l) => l.sku === "SKU-0") &&
        a.lines.length === 1 &&
        a.at >= options.startAt + 4 * 3_600_000 &&
        a.at <= options.startAt + 4 * 3_600_000 + 600,
    );
    expect(race.map((a) => a.kind)).toEqual(["pos-sale", "online-order", "online-order"]);
    for (const a of day) {
      if (a.kind === "transfer") expect(a.from).not.toBe(a.to);
      if (a.kind === "online-refund") expect(options.channels).toContain(a.channel);
      else for (const line of a.lines) expect(line.quantity).toBeGreaterThan(0);
    }
  });

  it("plays a day against the Lightspeed sandbox through its control handle", async () => {
    const sandbox = await startSandbox({ lightspeed: {} });
    const { control } = sandbox.lightspeed!;
    const outlets = Object.fromEntries(
      ["main", "mall"].map((name) => [name, control.addOutlet(name).id]),
    );
    for (const sku of ["A", "B"]) {
      control.addProduct({ sku });
      for (const id of Object.values(outlets)) control.setInventory(sku, id, 100);
    }
    const day = planTradingDay({
      seed: 3,
      skus: ["A", "B"],
      outlets: ["main", "mall"],
      channels: [],
      startAt: 0,
      posSales: 30,
      returns: 5,
      transfers: 3,
      bulkReceiptUnits: 50,
    });
    const moved = (
      lines: readonly { sku: string; quantity: number }[],
      outlet: string,
      sign: number,
    ) => {
      for (const l of lines)
        control.setInventory(l.sku, outlet, control.inventory(l.sku, outlet) + sign * l.quantity);
    };
    await playTradingDay(day, {
      "pos-sale": (a) =>
        void control.sell({ outletId: outlets[a.outlet] as string, lines: a.lines }),
      "online-order": () => undefined,
      "online-refund": () => undefined,
      return: (a) =>
        void (a.restock ? control.returnItems(outlets[a.outlet] as string, a.lines) : undefined),
      receipt: (a) => moved(a.lines, outlets[a.outlet] as string, 1),
      transfer: (a) => {
        moved(a.lines, outlets[a.from] as string, -1);
        moved(a.lines, outlets[a.to] as string, 1);
      },
    });
    const expected = (sku: string) =>
      200 +
      day.reduce((sum, a) => {
        if (a.kind === "online-refund") return sum;
        const units = a.lines.filter((l) => l.sku === sku).reduce((s, l) => s + l.quantity, 0);
        if (a.kind === "pos-sale") return sum - units;
        if (a.kind === "receipt" || (a.kind === "return" && a.restock)) return sum + units;
        return sum;
      }, 0);
    for (const sku of ["A", "B"]) {
      expect(
        control.inventory(sku, outlets.main as string) +
          control.inventory(sku, outlets.mall as string),
      ).toBe(expected(sku));
    }
    await sandbox.close();
  });
});
