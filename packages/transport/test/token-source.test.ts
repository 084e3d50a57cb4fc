import { isOmnistockError } from "@omnistock/core";
import { describe, expect, it } from "vitest";
import { createHttpClient, createTokenSource, type IssuedToken } from "../src/index.js";

/** A platform's token endpoint: counts refreshes, rotates refresh tokens, fails on demand. */
function endpoint(options: { rotate?: boolean; expiresInMs?: number } = {}) {
  const asked: (string | undefined)[] = [];
  let failures = 0;
  let issued = 0;
  let release: (() => void) | undefined;
  let gate: Promise<void> | undefined;
  return {
    asked,
    failNext(n = 1) {
      failures = n;
    },
    hold() {
      gate = new Promise((resolve) => {
        release = resolve;
      });
    },
    release: () => release?.(),
    refresh: async (refreshToken: string | undefined): Promise<IssuedToken> => {
      asked.push(refreshToken);
      await gate;
      gate = undefined;
      if (failures > 0) {
        failures--;
        throw new Error("the token endpoint is down");
      }
      issued++;
      return {
        accessToken: `access-${issued}`,
        expiresInMs: options.expiresInMs ?? 3_600_000,
        ...(options.rotate === true ? { refreshToken: `refresh-${issued}` } : {}),
      };
    },
  };
}

describe("createTokenSource", () => {
  it("shares one refresh among N concurrent callers", async () => {
    const platform = endpoint();
    platform.hold();
    const tokens = createTokenSource({ refresh: platform.refresh, refreshToken: "refresh-0" });
    const callers = Array.from({ length: 25 }, () => tokens.token());
    platform.release();
    expect(new Set(await Promise.all(callers))).toEqual(new Set(["access-1"]));
    expect(platform.asked).toEqual(["refresh-0"]);
  });

  it("caches the token until earlyMs before its expiry, then refreshes", async () => {
    let now = 1_000;
    const platform = endpoint({ expiresInMs: 10_000 });
    const tokens = createTokenSource({
      refresh: platform.refresh,
      clock: () => now,
      earlyMs: 2_000,
    });
    expect(await tokens.token()).toBe("access-1");
    now += 7_999;
    expect(await tokens.token()).toBe("access-1");
    now += 1;
    expect(await tokens.token()).toBe("access-2");
    expect(platform.asked).toHaveLength(2);
  });

  it("sends the newest refresh token and reports each rotation before handing out the token", async () => {
    let now = 0;
    const platform = endpoint({ rotate: true, expiresInMs: 1_000 });
    const stored: string[] = [];
    const tokens = createTokenSource({
      refresh: platform.refresh,
      refreshToken: "refresh-0",
      clock: () => now,
      earlyMs: 0,
      onRefreshToken: (rotated) => {
        stored.push(rotated);
      },
    });
    await tokens.token();
    now += 1_000;
    await tokens.token();
    now += 1_000;
    await tokens.token();
    expect(platform.asked).toEqual(["refresh-0", "refresh-1", "refresh-2"]);
    expect(stored).toEqual(["refresh-1", "refresh-2", "refresh-3"]);
  });

  it("fails every caller of a failed refresh, and the next call refreshes again", async () => {
    const platform = endpoint();
    platform.failNext();
    const tokens = createTokenSource({ refresh: platform.refresh });
    const first = await Promise.allSettled([tokens.token(), tokens.token()]);
    expect(first.map((r) => r.status)).toEqual(["rejected", "rejected"]);
    expect(platform.asked).toHaveLength(1);
    expect(await tokens.token()).toBe("access-1");
    expect(platform.asked).toHaveLength(2);
  });

  it("refreshes after invalidate, but not for a token already replaced", async () => {
    const platform = endpoint();
    const tokens = createTokenSource({ refresh: platform.refresh });
    expect(await tokens.token()).toBe("access-1");
    tokens.invalidate("access-1");
    expect(await tokens.token()).toBe("access-2");
    tokens.invalidate("access-1");
    expect(await tokens.token()).toBe("access-2");
    tokens.invalidate();
    expect(await tokens.token()).toBe("access-3");
  });

  it("keeps only the current and the previous tokens to scrub, however many refreshes there were", async () => {
    let now = 0;
    const platform = endpoint({ rotate: true, expiresInMs: 1 });
    const tokens = createTokenSource({
      refresh: platform.refresh,
      refreshToken: "refresh-0",
      clock: () => now,
      earlyMs: 0,
    });
    expect(tokens.secrets()).toEqual(["refresh-0"]);
    for (let i = 0; i < 50; i++) {
      await tokens.token();
      now += 1;
    }
    expect([...tokens.secrets()].sort()).toEqual(
      ["access-49", "access-50", "refresh-49", "refresh-50"].sort(),
    );
  });

  it("rejects unknown options naming them", () => {
    const platform = endpoint();
    const error = (() => {
      try {
        createTokenSource({ refresh: platform.refresh, earlyMs: -1 });
      } catch (thrown) {
        return thrown;
      }
      return undefined;
    })();
    expect(isOmnistockError(error, "VALIDATION")).toBe(true);
    expect(String((error as Error).message)).toContain("earlyMs");
  });

  it("scrubs the current tokens from a client's errors through a secrets function", async () => {
    const platform = endpoint();
    const tokens = createTokenSource({ refresh: platform.refresh });
    const token = await tokens.token();
    const client = createHttpClient({
      platform: "lightspeed",
      baseUrl: "https://store.example",
      retry: { retries: 0 },
      fetch: async () => Response.json({ error: `token ${token} is not valid` }, { status: 400 }),
      secrets: () => tokens.secrets(),
    });
    const failure = await client.request({ path: "/api/2.0/outlets" }).catch((e: unknown) => e);
    expect(isOmnistockError(failure, "REQUEST")).toBe(true);
    expect(
      JSON.stringify([(failure as Error).message, (failure as { details: unknown }).details]),
    ).not.toContain(token);
  });
});
