/**
 * The webhook fuzz at a larger scale than the test: correctly signed bodies per platform,
 * straight into `handleWebhook` and through a real node:http server, with the same
 * checks. Prints what the answers were and how fast they came.
 *
 * `pnpm bench` (FUZZ_RUNS per platform, default 100,000; FUZZ_NODE_RUNS through
 * node:http, default 2,000).
 */
import fc from "fast-check";
import { createFuzzRunner, fuzzCase, type Outcome, PLATFORMS } from "../test/webhook-fuzz.js";

const runs = Number(process.env.FUZZ_RUNS ?? 100_000);
const nodeRuns = Number(process.env.FUZZ_NODE_RUNS ?? 2_000);
const runner = await createFuzzRunner();
let failed = false;

for (const platform of PLATFORMS) {
  for (const [via, numRuns] of [
    ["fetch", runs],
    ["node", nodeRuns],
  ] as const) {
    const counts = new Map<Outcome, number>();
    const started = performance.now();
    const result = await fc.check(
      fc.asyncProperty(fuzzCase(platform), async (c) => {
        const verdict = await runner.run(platform, c, via);
        counts.set(verdict.outcome, (counts.get(verdict.outcome) ?? 0) + 1);
        if (verdict.broken !== undefined) throw new Error(verdict.broken);
      }),
      { numRuns },
    );
    const seconds = (performance.now() - started) / 1000;
    const total = [...counts.values()].reduce((a, b) => a + b, 0);
    const shown = [...counts]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([outcome, n]) => `${outcome} ${n}`)
      .join(", ");
    console.log(
      `${platform.padEnd(12)} ${via.padEnd(6)} ${String(total).padStart(7)} bodies in ${seconds.toFixed(1)} s (${Math.round(total / seconds)}/s): ${shown}`,
    );
    if (result.failed) {
      failed = true;
      console.log(`  promise broken: ${String(result.errorInstance)}`);
      console.log(`  counterexample: ${JSON.stringify(result.counterexample)}`);
    }
  }
}
await runner.stop();
process.exitCode = failed ? 1 : 0;
