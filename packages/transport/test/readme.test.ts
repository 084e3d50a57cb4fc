// The README's example, kept runnable: if this fails, the README says something untrue.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  BIGCOMMERCE_QUOTA,
  createBigCommerceLimiter,
  createHttpClient,
  HTTP_CLIENT_DEFAULTS,
  STANDARD_WEBHOOK_TOLERANCE_SECONDS,
  TOKEN_EARLY_MS,
  type TransportEvent,
} from "../src/index.js";

const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");

/** The rows of the README table under `header`: first cell → second cell. */
function tableRows(header: string): Map<string, string> {
  const lines = readme.slice(readme.indexOf(header)).split("\n").slice(2);
  const rows = new Map<string, string>();
  for (const line of lines) {
    if (!line.startsWith("|")) break;
    const [name = "", value = ""] = line
      .split("|")
      .slice(1)
      .map((cell) => cell.trim());
    rows.set(name, value);
  }
  return rows;
}

it("runs the README example with the numbers it shows", async () => {
  const token = "demo-token";
  const seen: Request[] = [];
  const fetch: typeof globalThis.fetch = async (input, init) => {
    seen.push(new Request(input, init));
    return Response.json(
      { data: [{ id: 1, label: "Main Street" }] },
      {
        headers: {
          "x-rate-limit-requests-quota": "150",
          "x-rate-limit-requests-left": "120",
          "x-rate-limit-time-reset-ms": "12000",
          "x-rate-limit-time-window-ms": "30000",
        },
      },
    );
  };
  const events: TransportEvent[] = [];
  const limiter = createBigCommerceLimiter();
  const bigcommerce = createHttpClient({
    platform: "bigcommerce",
    baseUrl: "https://api.bigcommerce.com/stores/abc123",
    fetch,
    auth: () => ({ "x-auth-token": token }),
    limiter,
    onEvent: (event) => events.push(event),
  });

  const { body } = await bigcommerce.request({ path: "/v3/inventory/locations" });
  expect(body).toEqual({ data: [{ id: 1, label: "Main Street" }] });
  expect(limiter.budget()).toMatchObject({ platform: "bigcommerce", limit: 150, remaining: 120 });
  expect(seen[0]?.url).toBe("https://api.bigcommerce.com/stores/abc123/v3/inventory/locations");
  expect(seen[0]?.headers.get("x-auth-token")).toBe(token);
  expect(events.map((e) => e.type)).toEqual(["request", "response"]);
});

describe("the README's defaults are the code's", () => {
  it("every number in the HTTP client's option table is HTTP_CLIENT_DEFAULTS", () => {
    const d = HTTP_CLIENT_DEFAULTS;
    const expected = new Map([
      ["`timeoutMs`", `${d.timeoutMs}`],
      ["`retry.retries`", `${d.retries}`],
      ["`retry.minDelayMs`, `retry.maxDelayMs`", `${d.minDelayMs}, ${d.maxDelayMs}`],
      ["`retry.maxRetryAfterMs`", `${d.maxRetryAfterMs}`],
      ["`concurrency`", `${d.concurrency}`],
    ]);
    const numeric = [...tableRows("| option | default | meaning |")].filter(([, value]) =>
      /^[\d, ]+$/.test(value),
    );
    expect(new Map(numeric)).toEqual(expected);
  });

  it("the token source's, the BigCommerce limiter's and Standard Webhooks' defaults are their constants", () => {
    expect(readme).toContain(`\`earlyMs\` (default ${TOKEN_EARLY_MS}, \`TOKEN_EARLY_MS\`)`);
    const { quota, windowMs } = BIGCOMMERCE_QUOTA;
    expect(readme).toContain(`${quota} requests per ${windowMs / 1000} s by default`);
    expect(readme).toContain(`// ${quota} requests per ${windowMs / 1000} s until the store says`);
    expect(readme).toContain(`(${STANDARD_WEBHOOK_TOLERANCE_SECONDS} s either way`);
  });
});
