import { describe, expect, it } from "vitest";
import {
  dispatchActionOf,
  isOmnistockError,
  OMNISTOCK_ERROR_TRAITS,
  OmnistockError,
  OmnistockErrorCode,
  toOmnistockError,
  validationError,
  webhookStatusOf,
} from "../src/index.js";

const codes = Object.values(OmnistockErrorCode);

describe("the error table", () => {
  it("gives every code its traits, and names no code that does not exist", () => {
    expect(Object.keys(OMNISTOCK_ERROR_TRAITS).sort()).toEqual([...codes].sort());
    for (const code of codes) {
      const traits = OMNISTOCK_ERROR_TRAITS[code];
      expect(typeof traits.retryable).toBe("boolean");
      expect([400, 401, 500, 503]).toContain(traits.webhookStatus);
      expect(["retry", "wait", "park"]).toContain(traits.dispatch);
    }
  });

  it("answers 503 by default exactly for the codes that may pass when tried again", () => {
    for (const code of codes) {
      const { retryable, webhookStatus } = OMNISTOCK_ERROR_TRAITS[code];
      if (webhookStatus >= 500) expect(webhookStatus === 503).toBe(retryable);
    }
  });

  it("states the outbox's actions: wait for a rate limit, retry transient failures and refusals, park the rest", () => {
    const actions = Object.fromEntries(codes.map((c) => [c, OMNISTOCK_ERROR_TRAITS[c].dispatch]));
    expect(actions).toEqual({
      VALIDATION: "park",
      MAPPING_DUPLICATE: "park",
      MAPPING_MISSING: "park",
      MAPPING_AMBIGUOUS: "park",
      CONFIG: "park",
      RATE_LIMITED: "wait",
      AUTH: "park",
      SERVER: "retry",
      REQUEST: "retry",
      BAD_RESPONSE: "park",
      NETWORK: "retry",
      TIMEOUT: "retry",
      CONFLICT: "park",
      SIGNATURE: "park",
      NOT_FOUND: "park",
      STORAGE: "park",
    });
  });

  it("gives an error with its code's default traits its code's dispatch action and webhook status", () => {
    for (const code of codes) {
      const { retryable, webhookStatus, dispatch } = OMNISTOCK_ERROR_TRAITS[code];
      const error = new OmnistockError(code, "failed", { retryable });
      expect(dispatchActionOf(error)).toBe(dispatch);
      expect(webhookStatusOf(error)).toBe(webhookStatus);
    }
  });

  it("retries an error marked retryable whose code alone is parked", () => {
    const busy = new OmnistockError("STORAGE", "SQLITE_BUSY", { retryable: true });
    expect(dispatchActionOf(busy)).toBe("retry");
    expect(dispatchActionOf(new OmnistockError("STORAGE", "SQLITE_FULL"))).toBe("park");
  });

  it("retries a server error the transport would not send again: the outbox's writes are absolute", () => {
    const unsafe = new OmnistockError("SERVER", "500", { status: 500, retryable: false });
    expect(dispatchActionOf(unsafe)).toBe("retry");
    expect(webhookStatusOf(unsafe)).toBe(500);
  });

  it("answers a validation error of a platform's answer (with its status) as the server's problem", () => {
    const delivery = validationError("Shopify webhook", [{ path: ["id"], message: "required" }]);
    expect(webhookStatusOf(delivery)).toBe(400);
    const answer = new OmnistockError("VALIDATION", delivery.message, { status: 200 });
    expect(webhookStatusOf(answer)).toBe(500);
    expect(webhookStatusOf(new OmnistockError("SIGNATURE", "bad"))).toBe(401);
  });
});

describe("toOmnistockError", () => {
  it("returns an OmnistockError as it is", () => {
    const error = new OmnistockError("AUTH", "refused", { status: 401 });
    expect(toOmnistockError(error)).toBe(error);
  });

  it("wraps a foreign error as its cause, as retryable as the code says, without its text", () => {
    const foreign = new TypeError("cannot connect to postgres://app:hunter2@db/omnistock");
    const error = toOmnistockError(foreign);
    expect(isOmnistockError(error, "SERVER")).toBe(true);
    expect(error.cause).toBe(foreign);
    expect(error.retryable).toBe(true);
    expect(error.message).toBe("Unexpected TypeError");
    expect(JSON.stringify({ message: error.message, details: error.details })).not.toContain(
      "hunter2",
    );
  });

  it("wraps a thrown non-error with the code asked for", () => {
    const error = toOmnistockError("token=shpat_secret", { code: "STORAGE", platform: "shopify" });
    expect(error).toMatchObject({ code: "STORAGE", retryable: false, platform: "shopify" });
    expect(error.cause).toBe("token=shpat_secret");
    expect(error.message).not.toContain("shpat_secret");
  });
});
