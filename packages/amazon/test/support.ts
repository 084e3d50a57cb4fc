import type { Sandbox } from "@omnistock/sandbox";
import { type AmazonClientOptions, createAmazonClient } from "../src/index.js";

/** A client of the sandbox's fake SP-API, retrying quickly. */
export function sandboxClient(
  sandbox: Sandbox,
  http: AmazonClientOptions["http"] = {},
  credentials: Partial<AmazonClientOptions["credentials"]> = {},
) {
  const amazon = sandbox.amazon!;
  return createAmazonClient({
    baseUrl: amazon.url,
    tokenUrl: `${amazon.url}/auth/o2/token`,
    credentials: {
      clientId: amazon.credentials.clientId,
      clientSecret: amazon.credentials.clientSecret,
      refreshToken: amazon.credentials.refreshToken,
      ...credentials,
    },
    http: { retry: { retries: 2, minDelayMs: 1, maxDelayMs: 20 }, ...http },
  });
}

/** A `fetch` that answers every request with one JSON body. */
export function answering(body: unknown, status = 200): typeof fetch {
  return async (input) => {
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    const payload = url.endsWith("/auth/o2/token")
      ? { access_token: "Atza|stub", token_type: "bearer", expires_in: 3600 }
      : body;
    return new Response(JSON.stringify(payload), {
      status: url.endsWith("/auth/o2/token") ? 200 : status,
      headers: { "content-type": "application/json" },
    });
  };
}
