import { functionOption, objectWithMethods } from "@omnistock/core";
import { z } from "zod";

/**
 * The shape of the engine's options, checked once at creation: unknown keys are refused
 * and every field at fault is named in one error. Objects the engine calls into (stores,
 * adapters) are checked for the methods it uses; their own factories validate the rest.
 */
const fn = functionOption;
const withMethods = (what: string, methods: readonly string[]) =>
  objectWithMethods(`${what} (with ${methods.join(", ")})`, methods);
const ms = z.number().int().nonnegative();
const bytes = z.number().int().min(1).max(Number.MAX_SAFE_INTEGER);

const tenant = z.strictObject({
  id: z.string().min(1),
  catalog: z.custom<object>((value) => typeof value === "object" && value !== null, {
    error: "expected a catalog config or a compiled catalog",
  }),
  stockSource: withMethods("a StockSource", ["snapshot", "changesSince"]).optional(),
  salesSink: withMethods("a SalesOrderSink", ["recordSale", "voidSale", "recordReturn"]).optional(),
  channels: z
    .array(withMethods("a ChannelPublisher", ["publish", "confirm", "readLevels"]))
    .optional(),
  orderSources: z.array(withMethods("an OrderSource", ["ordersSince"])).optional(),
  oversold: z.record(z.string().min(1), z.enum(["hold", "record"])).optional(),
  receivers: z
    .record(
      z.string().min(1),
      z.intersection(
        withMethods("a WebhookReceiver", ["receive", "tryReceive"]),
        z.object({ maxBodyBytes: bytes.optional() }),
      ),
    )
    .optional(),
});

/** Zod schema of `SyncEngineOptions`. */
export const syncEngineOptionsSchema = z.strictObject({
  tenants: z.array(tenant).min(1),
  store: withMethods("a SyncStore", ["apply", "lease", "ack", "nack", "park"]).optional(),
  clock: fn.optional(),
  onEvent: fn.optional(),
  logger: withMethods("a Logger", ["debug", "info", "warn", "error"]).optional(),
  workerId: z.string().min(1).optional(),
  dispatch: z
    .strictObject({
      maxAttempts: z.number().int().min(1).optional(),
      minBackoffMs: ms.optional(),
      maxBackoffMs: ms.optional(),
      leaseMs: z.number().int().min(1).optional(),
      idleMs: z.number().int().min(1).optional(),
      concurrency: z.number().int().min(1).optional(),
      confirmDelayMs: ms.optional(),
      maxConfirmations: z.number().int().min(1).optional(),
    })
    .optional(),
  polling: z
    .strictObject({
      stockEveryMs: ms.optional(),
      ordersEveryMs: z.union([ms, z.record(z.string().min(1), ms)]).optional(),
    })
    .optional(),
  webhooks: z.strictObject({ maxBodyBytes: bytes.optional() }).optional(),
  random: fn.optional(),
});
