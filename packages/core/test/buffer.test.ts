import { describe, expect, it } from "vitest";
import { bufferedQuantity } from "../src/buffer.js";
import { applyBuffer } from "../src/index.js";

describe("applyBuffer", () => {
  it("shows 17 of 20 units with a 15 % buffer", () => {
    expect(applyBuffer(20, { percent: 15 })).toEqual({
      quantity: 17,
      tier: "default",
      withheld: 3,
      floored: false,
      capped: false,
    });
  });

  it("rounds the shown quantity down, so the buffer is never under the percent", () => {
    expect(applyBuffer(21, { percent: 15 }).quantity).toBe(17); // 17.85 → 17
    expect(applyBuffer(1, { percent: 10 }).quantity).toBe(0);
  });

  it("holds back units after the percent and never goes below zero", () => {
    expect(applyBuffer(20, { percent: 10, units: 2 }).quantity).toBe(16);
    expect(applyBuffer(1, { units: 2 }).quantity).toBe(0);
  });

  it("shows zero below the floor, and the whole pool at the floor", () => {
    expect(applyBuffer(2, { floor: 3 })).toMatchObject({ quantity: 0, floored: true });
    expect(applyBuffer(3, { floor: 3 })).toMatchObject({ quantity: 3, floored: false });
  });

  it("caps what the channel shows", () => {
    expect(applyBuffer(500, { cap: 50 })).toMatchObject({
      quantity: 50,
      capped: true,
      withheld: 450,
    });
  });

  it("switches to the low-stock rule while the pool is below its threshold", () => {
    const low = { below: 10, buffer: { units: 2 } };
    expect(applyBuffer(20, { percent: 10 }, low)).toMatchObject({ quantity: 18, tier: "default" });
    expect(applyBuffer(5, { percent: 10 }, low)).toMatchObject({ quantity: 3, tier: "low-stock" });
  });

  it("treats a negative pool as empty", () => {
    expect(applyBuffer(-4, {}).quantity).toBe(0);
  });

  it("agrees with the hot-path bufferedQuantity", () => {
    const rule = { percent: 12, units: 1, floor: 2, cap: 40 };
    const low = { below: 6, buffer: { units: 3 } };
    for (let pool = -3; pool < 80; pool++) {
      expect(bufferedQuantity(pool, rule, low)).toBe(applyBuffer(pool, rule, low).quantity);
    }
  });
});
