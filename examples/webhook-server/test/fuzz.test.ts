import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createFuzzRunner,
  type FuzzRunner,
  fuzzCase,
  type Outcome,
  PLATFORMS,
  templateCount,
} from "./webhook-fuzz.js";

/** Correctly signed bodies per platform straight into `handleWebhook`. */
const RUNS = 10_000;
/** Per platform, through a real node:http server. */
const NODE_RUNS = 100;

describe("webhook fuzz", () => {
  let runner: FuzzRunner;
  beforeAll(async () => {
    runner = await createFuzzRunner();
  });
  afterAll(() => runner.stop());

  describe.each(PLATFORMS)("%s", (platform) => {
    it("applies every valid body it starts from with a 200", async () => {
      for (let template = 0; template < templateCount(platform); template++) {
        const verdict = await runner.run(
          platform,
          { template, mutation: { kind: "none" } },
          "fetch",
        );
        expect(verdict).toEqual({ outcome: "applied" });
      }
    });

    it("a correctly signed malformed body never crashes the process, gets a 2xx only when something valid was applied, and changes nothing when refused", async () => {
      const counts = new Map<Outcome, number>();
      await fc.assert(
        fc.asyncProperty(fuzzCase(platform), async (c) => {
          const verdict = await runner.run(platform, c, "fetch");
          counts.set(verdict.outcome, (counts.get(verdict.outcome) ?? 0) + 1);
          expect(verdict.broken).toBeUndefined();
        }),
        { numRuns: RUNS },
      );
      // Both paths were exercised: some bodies applied, some refused as malformed.
      expect(counts.get("applied") ?? 0).toBeGreaterThan(0);
      expect(counts.get("refused-400") ?? 0).toBeGreaterThan(0);
    }, 120_000);

    it("keeps the same promises through a real node:http server (toNodeHandler), which keeps listening", async () => {
      await fc.assert(
        fc.asyncProperty(fuzzCase(platform), async (c) => {
          const verdict = await runner.run(platform, c, "node");
          expect(verdict.broken).toBeUndefined();
        }),
        { numRuns: NODE_RUNS },
      );
      expect(runner.listening()).toBe(true);
    }, 60_000);
  });
});
