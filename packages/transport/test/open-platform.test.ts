import { isOmnistockError } from "@omnistock/core";
import { describe, expect, it } from "vitest";
import { assertHmac, createHttpClient, hmacSha256 } from "../src/index.js";

// A platform of an integrator's own adapter: not one of the four Omnistock ships.
const platform = "etsy";

describe("a platform Omnistock has no adapter for", () => {
  it("gets an HTTP client, and its errors and events name it", async () => {
    const seen: string[] = [];
    const http = createHttpClient({
      platform,
      baseUrl: "https://openapi.etsy.example/v3",
      fetch: async () => Response.json({ error: "no such listing" }, { status: 404 }),
      retry: { retries: 0 },
      onEvent: (event) => seen.push(`${event.type}:${event.platform}`),
    });
    expect(http.platform).toBe(platform);
    const error = await http.request({ path: "/listings/1" }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isOmnistockError(error, "REQUEST")).toBe(true);
    expect(error).toMatchObject({ platform, status: 404 });
    expect(seen).toContain(`request:${platform}`);
  });

  it("signs and checks its webhooks, and a bad signature names it", () => {
    const secret = "etsy-secret";
    const payload = '{"listing_id":1}';
    const signature = hmacSha256(secret, payload, "hex");
    expect(() =>
      assertHmac({ payload, signature, secrets: secret, encoding: "hex", platform }),
    ).not.toThrow();
    try {
      assertHmac({ payload, signature: "00", secrets: secret, encoding: "hex", platform });
      expect.unreachable("a bad signature must throw");
    } catch (error) {
      expect(isOmnistockError(error, "SIGNATURE")).toBe(true);
      expect(error).toMatchObject({ platform });
    }
  });

  it("still refuses an empty platform name, naming the field", () => {
    try {
      createHttpClient({ platform: "", baseUrl: "https://openapi.etsy.example/v3" });
      expect.unreachable("an empty platform must throw");
    } catch (error) {
      expect(isOmnistockError(error, "VALIDATION")).toBe(true);
      expect((error as { issues: { path: unknown[] }[] }).issues.map((i) => i.path)).toEqual([
        ["platform"],
      ]);
    }
  });
});
