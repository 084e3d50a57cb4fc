/**
 * Benchmark of the Lightspeed stock writer against the sandbox at Lightspeed's standard
 * rate limit: how many stock adjustments a second it gets through, beside the ceiling the
 * limit allows. Prints figures; asserts nothing.
 *
 *   pnpm --filter @omnistock/lightspeed bench:adapter   (or `pnpm bench:adapters` at the root)
 *
 * It runs the built packages (`dist/`, as integrators get them): build them first.
 *
 * The limit is 300 × registers + 50 requests per five minutes; with one register that is
 * 350 requests, and at 1,000 adjustments a request a ceiling of 350,000 / 300 s ≈ 1,167
 * adjustments a second. A sustained rate needs several five-minute windows, so the store
 * and the client share a clock that runs `SPEEDUP` times faster than the wall: every
 * request, wait and answer happens for real, only the minutes are shorter. The first
 * window is the warm-up (its full budget is there at once); the steady state is measured
 * over the windows after it. The store runs in a worker thread, as a real one runs on
 * another machine: its work does not take turns with the adapter's.
 */
import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads";
import { createLightspeedClient, createLightspeedStockWriter } from "@omnistock/lightspeed";
import { startSandbox } from "@omnistock/sandbox";
import { systemSleep } from "@omnistock/transport";

const REGISTERS = 1;
const SPEEDUP = Number(process.env.BENCH_SPEEDUP ?? 16);
const WINDOW_MS = 300_000;
const WINDOWS = Number(process.env.BENCH_WINDOWS ?? 2);
const PER_REQUEST = 1_000;
const CONCURRENCY = 4;
const SKUS = 100;
const START_LEVEL = 1_000;
const LIMIT = 300 * REGISTERS + 50;
const CEILING = (LIMIT / (WINDOW_MS / 1000)) * PER_REQUEST;
const EPOCH = Date.UTC(2026, 10, 23, 9, 0, 0);

interface Setup {
  readonly url: string;
  readonly personalToken: string;
  readonly outlet: string;
  readonly skus: readonly string[];
}

/** Wall time in epoch ms, the same in every thread. */
const wall = () => performance.timeOrigin + performance.now();
const wallStart: number = isMainThread ? wall() : (workerData as { wallStart: number }).wallStart;
/** The shared clock: the wall, `SPEEDUP` times faster. */
const clock = () => Math.floor(EPOCH + (wall() - wallStart) * SPEEDUP);
/** Sleeps on the shared clock: the wall's wait, `SPEEDUP` times shorter. */
const sleep = (ms: number, signal?: AbortSignal) =>
  systemSleep(Math.ceil(Math.max(0, ms) / SPEEDUP) + 1, signal);

if (isMainThread) await adapter();
else await store();

/** The worker: the fake store, until the adapter is done with it. */
async function store(): Promise<void> {
  const port = parentPort;
  if (port === null) throw new Error("the store runs in a worker thread");
  const sandbox = await startSandbox({ lightspeed: {}, clock });
  const lightspeed = sandbox.lightspeed;
  if (lightspeed === undefined) throw new Error("the sandbox did not start Lightspeed");
  const { control } = lightspeed;
  const outlet = control.addOutlet("Main Street").id;
  for (let i = 0; i < REGISTERS; i++) control.addRegister(outlet, `Register ${i + 1}`);
  const skus = Array.from({ length: SKUS }, (_, i) => `SKU-${String(i).padStart(4, "0")}`);
  for (const sku of skus) {
    control.addProduct({ sku });
    control.setInventory(sku, outlet, START_LEVEL);
  }
  const setup: Setup = {
    url: lightspeed.url,
    personalToken: lightspeed.credentials.personalToken,
    outlet,
    skus,
  };
  port.postMessage(setup);
  port.once("message", async () => {
    const levels = skus.map((sku) => control.inventory(sku, outlet));
    await sandbox.close();
    port.postMessage(levels);
  });
}

/** The main thread: the stock writer, driven for a fixed number of windows. */
async function adapter(): Promise<void> {
  const worker = new Worker(new URL(import.meta.url), {
    workerData: { wallStart },
    // Room for the answers of 1,000 records each, so the store does not stop to collect often.
    resourceLimits: { maxYoungGenerationSizeMb: 256 },
  });
  const next = <T>() =>
    new Promise<T>((resolve, reject) => {
      worker.once("message", resolve);
      worker.once("error", reject);
    });
  const { url, personalToken, outlet, skus } = await next<Setup>();

  let refused = 0;
  let refusedAfterWarmUp = 0;
  let total = 0;
  let steady = 0;
  const started = clock();
  const end = started + WINDOWS * WINDOW_MS;
  const client = createLightspeedClient({
    baseUrl: url,
    auth: { personalToken },
    registers: REGISTERS,
    http: {
      clock,
      sleep,
      // Counted by answer, when it comes: a request still out at the end does not count.
      onEvent: (event) => {
        if (event.type !== "response") return;
        const now = clock();
        if (event.status === 429) {
          refused++;
          if (now - started >= WINDOW_MS) refusedAfterWarmUp++;
        }
        if (event.status !== 201 || !event.url.includes("stock_adjustments") || now >= end) return;
        total += PER_REQUEST;
        if (now - started >= WINDOW_MS) steady += PER_REQUEST;
      },
    },
  });
  const writer = createLightspeedStockWriter({ client, concurrency: CONCURRENCY });

  // Every SKU up and down in turn, so that the levels end where they started.
  const batch = Array.from({ length: PER_REQUEST * CONCURRENCY }, (_, i) => ({
    sku: skus[i % SKUS] as string,
    locationId: outlet,
    delta: Math.floor(i / SKUS) % 2 === 0 ? 1 : -1,
  }));

  const stop = new AbortController();
  setTimeout(() => stop.abort(), (end - clock()) / SPEEDUP);
  let failures = 0;
  while (!stop.signal.aborted) {
    try {
      await writer.write(batch, { signal: stop.signal });
    } catch (error) {
      if (stop.signal.aborted) break;
      failures++;
      console.error(error instanceof Error ? error.message : error);
    }
  }
  worker.postMessage("close");
  const levels = await next<number[]>();
  await worker.terminate();

  const steadyRate = steady / (((WINDOWS - 1) * WINDOW_MS) / 1000);
  const f = (n: number, digits = 0) =>
    n.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
  const drift = levels.filter((level) => Math.abs(level - START_LEVEL) > PER_REQUEST).length;
  console.log("Lightspeed stock adjustments against the sandbox, at the standard rate limit");
  console.log(
    `  ${REGISTERS} register → ${LIMIT} requests / 5 min; ${f(PER_REQUEST)} adjustments a request, ${CONCURRENCY} requests at once`,
  );
  console.log(
    `  ${WINDOWS} windows of 5 min on a clock ${SPEEDUP}× the wall (${f((wall() - wallStart) / 1000, 1)} s of wall time)`,
  );
  console.log(`  adjustments applied              ${f(total)}`);
  const steadyWindows = WINDOWS === 2 ? "window 2" : `windows 2–${WINDOWS}`;
  console.log(
    `  steady state (${steadyWindows})`.padEnd(35) +
      `${f(steadyRate, 1)} adjustments/s; ceiling ${f(CEILING, 1)}/s: ${f((steadyRate / CEILING) * 100, 1)} %`,
  );
  console.log(
    `  whole run, warm-up included      ${f(total / ((WINDOWS * WINDOW_MS) / 1000), 1)} adjustments/s`,
  );
  console.log(
    `  429 answers                      ${refused} (after the warm-up window: ${refusedAfterWarmUp})`,
  );
  console.log(`  failed writes                    ${failures}`);
  console.log(`  SKUs off their level at the end  ${drift} of ${levels.length}`);
}
