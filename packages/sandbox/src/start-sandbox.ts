import type { Faults } from "./common/faults.js";
import { createWebhookDispatcher, withApiFaults } from "./common/faults.js";
import { createRandom } from "./common/random.js";
import { serve } from "./common/serve.js";
import type { Clock } from "./common/types.js";
import {
  createLightspeedServer,
  type LightspeedControl,
  type LightspeedServerOptions,
} from "./lightspeed/server.js";

/** Options of {@link startSandbox}. */
export interface SandboxOptions {
  /** Start a fake Lightspeed X-Series store. */
  readonly lightspeed?: Omit<LightspeedServerOptions, "deliver" | "clock" | "seed"> & {
    readonly faults?: Faults;
  };
  /**
   * Seed of every random draw (ids, faults), so a run repeats exactly.
   * @default 1
   */
  readonly seed?: number;
  /** @default Date.now */
  readonly clock?: Clock;
}

/** One started fake platform. */
export interface SandboxPlatform<Control, Credentials> {
  /** Its base URL on 127.0.0.1. */
  readonly url: string;
  readonly credentials: Credentials;
  /** Acts behind the API's back: seed data, ring up sales, read state. */
  readonly control: Control;
  /** Changes its faults while it runs. */
  setFaults(faults: Faults | undefined): void;
  /** Resolves when every webhook it queued has been sent. */
  drainWebhooks(): Promise<void>;
}

/** The running sandbox. */
export interface Sandbox {
  readonly lightspeed?: SandboxPlatform<
    LightspeedControl,
    ReturnType<typeof createLightspeedServer>["credentials"]
  >;
  /** Stops every server and frees the ports. */
  close(): Promise<void>;
}

/**
 * Starts fake platforms in this process on 127.0.0.1 with ephemeral ports.
 *
 * @example
 * ```ts
 * const sandbox = await startSandbox({ lightspeed: {} });
 * const outlet = sandbox.lightspeed!.control.addOutlet("Main Street");
 * const res = await fetch(`${sandbox.lightspeed!.url}/api/2.0/outlets`, {
 *   headers: { authorization: `Bearer ${sandbox.lightspeed!.credentials.personalToken}` },
 * });
 * await sandbox.close();
 * ```
 */
export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const seed = options.seed ?? 1;
  const closers: (() => Promise<void>)[] = [];
  let lightspeed: Sandbox["lightspeed"];
  if (options.lightspeed !== undefined) {
    const { faults: initial, ...rest } = options.lightspeed;
    let faults = initial;
    const webhooks = createWebhookDispatcher({
      random: createRandom(seed + 101),
      faults: () => faults?.webhooks,
    });
    const server = createLightspeedServer({
      ...rest,
      seed,
      deliver: (delivery) => webhooks.deliver(delivery),
      ...(options.clock === undefined ? {} : { clock: options.clock }),
    });
    const served = await serve(
      withApiFaults(
        (r) => server.fetch(r),
        server,
        () => faults?.api,
        createRandom(seed + 1),
      ),
    );
    closers.push(async () => {
      await webhooks.drain();
      await served.close();
    });
    lightspeed = {
      url: served.url,
      credentials: server.credentials,
      control: server.control,
      setFaults: (next) => {
        faults = next;
      },
      drainWebhooks: () => webhooks.drain(),
    };
  }
  return {
    ...(lightspeed === undefined ? {} : { lightspeed }),
    async close() {
      await Promise.all(closers.map((close) => close()));
    },
  };
}
