import {
  type AmazonControl,
  type AmazonServer,
  type AmazonServerOptions,
  createAmazonServer,
} from "./amazon/server.js";
import {
  type BigCommerceControl,
  type BigCommerceServer,
  type BigCommerceServerOptions,
  createBigCommerceServer,
} from "./bigcommerce/server.js";
import type { Faults } from "./common/faults.js";
import { createWebhookDispatcher, withApiFaults } from "./common/faults.js";
import { createRandom } from "./common/random.js";
import { serve } from "./common/serve.js";
import type { Clock, DeliverWebhook, PlatformServer } from "./common/types.js";
import {
  createLightspeedServer,
  type LightspeedControl,
  type LightspeedServer,
  type LightspeedServerOptions,
} from "./lightspeed/server.js";

import {
  createShopifyServer,
  type ShopifyControl,
  type ShopifyServer,
  type ShopifyServerOptions,
} from "./shopify/server.js";

/** Options every platform takes in {@link startSandbox}, besides its own. */
interface PlatformStart {
  /** Faults from the start; change them later with `setFaults`. */
  readonly faults?: Faults;
}

/** Options of {@link startSandbox}. */
export interface SandboxOptions {
  /** Start a fake Lightspeed X-Series store. */
  readonly lightspeed?: Omit<LightspeedServerOptions, "deliver" | "clock" | "seed"> & PlatformStart;
  /** Start fake Shopify stores, one per entry (a retailer often runs two). */
  readonly shopify?: readonly (Omit<ShopifyServerOptions, "deliver" | "clock" | "seed"> &
    PlatformStart)[];
  /** Start a fake Amazon Selling Partner API. */
  readonly amazon?: Omit<AmazonServerOptions, "deliver" | "clock" | "seed"> & PlatformStart;
  /** Start a fake BigCommerce store. */
  readonly bigcommerce?: Omit<BigCommerceServerOptions, "deliver" | "clock" | "seed"> &
    PlatformStart;
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
  readonly lightspeed?: SandboxPlatform<LightspeedControl, LightspeedServer["credentials"]>;
  readonly shopify: readonly SandboxPlatform<ShopifyControl, ShopifyServer["credentials"]>[];
  readonly amazon?: SandboxPlatform<AmazonControl, AmazonServer["credentials"]>;
  readonly bigcommerce?: SandboxPlatform<BigCommerceControl, BigCommerceServer["credentials"]>;
  /** Delivers queued webhooks, stops every server and frees the ports. */
  close(): Promise<void>;
}

/**
 * Starts fake platforms in this process on 127.0.0.1 with ephemeral ports.
 *
 * @example
 * ```ts
 * const sandbox = await startSandbox({ lightspeed: {}, bigcommerce: {} });
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
  const shared = { seed, ...(options.clock === undefined ? {} : { clock: options.clock }) };

  async function start<
    S extends PlatformServer & {
      rateLimitedResponse(): Response;
      control: unknown;
      credentials: unknown;
    },
  >(
    salt: number,
    initial: Faults | undefined,
    create: (deliver: DeliverWebhook) => S,
  ): Promise<SandboxPlatform<S["control"], S["credentials"]>> {
    let faults = initial;
    const webhooks = createWebhookDispatcher({
      random: createRandom(seed * 31 + salt),
      faults: () => faults?.webhooks,
    });
    const server = create((delivery) => webhooks.deliver(delivery));
    const handler = withApiFaults(
      (r) => server.fetch(r),
      server,
      () => faults?.api,
      createRandom(seed * 37 + salt),
    );
    const served = await serve(handler);
    closers.push(async () => {
      await webhooks.drain();
      await served.close();
    });
    return {
      url: served.url,
      credentials: server.credentials,
      control: server.control,
      setFaults: (next) => {
        faults = next;
      },
      drainWebhooks: () => webhooks.drain(),
    };
  }

  const sandbox: { -readonly [K in keyof Sandbox]: Sandbox[K] } = {
    shopify: [],
    async close() {
      await Promise.all(closers.map((close) => close()));
    },
  };
  if (options.lightspeed !== undefined) {
    const { faults, ...own } = options.lightspeed;
    sandbox.lightspeed = await start(1, faults, (deliver) =>
      createLightspeedServer({ ...own, ...shared, deliver }),
    );
  }
  const stores: SandboxPlatform<ShopifyControl, ShopifyServer["credentials"]>[] = [];
  for (const [i, store] of (options.shopify ?? []).entries()) {
    const { faults, ...own } = store;
    stores.push(
      await start(10 + i, faults, (deliver) =>
        createShopifyServer({
          shop: `sandbox-${i + 1}.myshopify.com`,
          ...own,
          ...shared,
          seed: seed + i,
          deliver,
        }),
      ),
    );
  }
  sandbox.shopify = stores;
  if (options.amazon !== undefined) {
    const { faults, ...own } = options.amazon;
    sandbox.amazon = await start(3, faults, (deliver) =>
      createAmazonServer({ ...own, ...shared, deliver }),
    );
  }
  if (options.bigcommerce !== undefined) {
    const { faults, ...own } = options.bigcommerce;
    sandbox.bigcommerce = await start(2, faults, (deliver) =>
      createBigCommerceServer({ ...own, ...shared, deliver }),
    );
  }
  return sandbox;
}
