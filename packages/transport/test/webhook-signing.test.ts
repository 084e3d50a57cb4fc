import { isOmnistockError, parseWith } from "@omnistock/core";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { reportWarning, webhookSecretsOption, withWebhookSigning } from "../src/internal.js";

const schema = withWebhookSigning(
  z.strictObject({
    channelId: z.string().min(1),
    secrets: webhookSecretsOption.optional(),
    allowUnsigned: z.boolean().optional(),
  }),
  "the app's client secret",
);

const issuesOf = (options: unknown) => {
  try {
    parseWith(schema, options, "receiver options");
  } catch (error) {
    if (isOmnistockError(error, "VALIDATION")) return error.issues.map((i) => i.path.join("."));
    throw error;
  }
  return [];
};

describe("a receiver's signing options", () => {
  it("require secrets or allowUnsigned: true, not both, naming the field with every other problem", () => {
    expect(issuesOf({ channelId: "web", secrets: "s" })).toEqual([]);
    expect(issuesOf({ channelId: "web", secrets: ["s", "t"] })).toEqual([]);
    expect(issuesOf({ channelId: "web", allowUnsigned: true })).toEqual([]);
    expect(issuesOf({ channelId: "web" })).toEqual(["secrets"]);
    expect(issuesOf({ channelId: "web", allowUnsigned: false })).toEqual(["secrets"]);
    expect(issuesOf({ channelId: "web", secrets: "s", allowUnsigned: true })).toEqual([
      "allowUnsigned",
    ]);
    expect(issuesOf({ channelId: "", secrets: [] }).sort()).toEqual(["channelId", "secrets"]);
  });

  it("hand the unsigned warning to the hook, or else to the runtime's warnings with the platform's code", () => {
    const seen: string[] = [];
    const warning = { code: "UNSIGNED_WEBHOOKS", message: "taken unsigned" } as const;
    reportWarning((w) => seen.push(w.code), warning, "shopify");
    expect(seen).toEqual(["UNSIGNED_WEBHOOKS"]);
    const emitted: unknown[] = [];
    const emit = process.emitWarning;
    process.emitWarning = ((message: string, options: unknown) => {
      emitted.push([message, options]);
    }) as typeof process.emitWarning;
    try {
      reportWarning(undefined, warning, "bigcommerce");
    } finally {
      process.emitWarning = emit;
    }
    expect(emitted).toEqual([
      ["taken unsigned", { code: "OMNISTOCK_BIGCOMMERCE_UNSIGNED_WEBHOOKS" }],
    ]);
  });
});
