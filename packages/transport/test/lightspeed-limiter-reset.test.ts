// The Lightspeed limiter follows the store's newest count: a 429's "nothing left" holds
// until its Retry-After, not for a whole window.
import { describe, expect, it } from "vitest";
import { createLightspeedLimiter } from "../src/limiters/lightspeed.js";
import { createVirtualTime } from "../src/virtual-time.js";

const START = Date.UTC(2026, 10, 22, 12, 0, 0);
const headers = (remaining: number, extra: Record<string, string> = {}) =>
  new Headers({ "x-ratelimit-limit": "350", "x-ratelimit-remaining": String(remaining), ...extra });

describe("Lightspeed limiter after a 429", () => {
  it("lets the retry go at the Retry-After date and the next request at once when the store's newer answer reports room", async () => {
    const time = createVirtualTime(START);
    const limiter = createLightspeedLimiter({ clock: time.clock, sleep: time.sleep });
    await time.run(limiter.acquire());
    limiter.observe({
      status: 429,
      cost: 1,
      headers: headers(0, { "retry-after": new Date(START + 7_000).toUTCString() }),
    });
    expect(limiter.budget()).toMatchObject({ remaining: 0, nextInMs: 7_000 });

    // The client's retry, after the date and a little jitter.
    await time.advance(7_300);
    await time.run(limiter.acquire());
    expect(time.clock()).toBe(START + 7_300);
    limiter.observe({ status: 200, cost: 1, headers: headers(349) });

    const before = time.clock();
    await time.run(limiter.acquire());
    expect(time.clock() - before).toBe(0);
    expect(limiter.budget().remaining).toBeGreaterThanOrEqual(347);
  });

  it("still counts what other processes spent, as of the store's newest answer", async () => {
    const time = createVirtualTime(START);
    const limiter = createLightspeedLimiter({ clock: time.clock, sleep: time.sleep });
    limiter.observe({ status: 200, headers: headers(0) });
    expect(limiter.tryAcquire()).toBe(false);
    // Another process's window ran out; the store's next answer says it has room again.
    limiter.observe({ status: 200, headers: headers(300) });
    expect(limiter.budget().remaining).toBe(300);
    expect(limiter.tryAcquire()).toBe(true);
    limiter.observe({ status: 200, cost: 1, headers: headers(299) });
    expect(limiter.budget().remaining).toBe(299);
  });
});
