import { describe, expect, it } from "vitest";
import { createLightspeedLimiter } from "../src/index.js";
import { createVirtualTime } from "../src/testing.js";

describe("createVirtualTime", () => {
  it("wakes sleepers in the order of their deadlines as the clock advances", async () => {
    const time = createVirtualTime(0);
    const woke: string[] = [];
    void time.sleep(300).then(() => woke.push(`c@${time.clock()}`));
    void time.sleep(100).then(() => woke.push(`a@${time.clock()}`));
    void time.sleep(200).then(() => woke.push(`b@${time.clock()}`));
    await time.advance(250);
    expect(woke).toEqual(["a@100", "b@200"]);
    expect(time.clock()).toBe(250);
    expect(time.sleepers).toBe(1);
  });

  it("rejects a sleeper whose signal aborts, with the signal's reason", async () => {
    const time = createVirtualTime(0);
    const controller = new AbortController();
    const sleeping = time.sleep(1_000, controller.signal);
    controller.abort("enough");
    await expect(sleeping).rejects.toBe("enough");
    expect(time.sleepers).toBe(0);
  });

  it("runs five minutes of rate limiting in no time", async () => {
    const time = createVirtualTime(0);
    const limiter = createLightspeedLimiter({ clock: time.clock, sleep: time.sleep });
    await time.run(Promise.all(Array.from({ length: 351 }, () => limiter.acquire())));
    expect(time.clock()).toBe(300_000);
  });

  it("says so when the work waits for something that is not virtual time", async () => {
    const time = createVirtualTime(0);
    await expect(time.run(new Promise(() => undefined))).rejects.toThrow(/nothing left to wait/);
  });
});
