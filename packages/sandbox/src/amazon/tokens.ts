import { json } from "../common/http.js";
import type { Clock } from "../common/types.js";

/** Login with Amazon: the refresh-token grant and the access tokens it gives. */
export interface AmazonTokens {
  /** `POST /auth/o2/token`. */
  grant(request: Request): Promise<Response>;
  /** Whether an `x-amz-access-token` is known and unexpired at `now`. */
  valid(accessToken: string | null, now: number): boolean;
}

/** What {@link createAmazonTokens} needs. */
export interface AmazonTokensOptions {
  readonly clock: Clock;
  readonly token: () => string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly refreshToken: string;
}

/** Creates the LWA token endpoint. */
export function createAmazonTokens(options: AmazonTokensOptions): AmazonTokens {
  const { clock, token, clientId, clientSecret, refreshToken } = options;
  const accessTokens = new Map<string, number>();
  return {
    async grant(request) {
      const form = new URLSearchParams(await request.text());
      if (form.get("client_id") !== clientId || form.get("client_secret") !== clientSecret) {
        return json(401, {
          error: "invalid_client",
          error_description: "Client authentication failed",
        });
      }
      if (
        form.get("grant_type") !== "refresh_token" ||
        form.get("refresh_token") !== refreshToken
      ) {
        return json(400, {
          error: "invalid_grant",
          error_description: "The request has an invalid grant parameter : refresh_token",
        });
      }
      const access = `Atza|${token()}${token()}`;
      accessTokens.set(access, clock() + 3_600_000);
      return json(200, {
        access_token: access,
        token_type: "bearer",
        expires_in: 3600,
        refresh_token: refreshToken,
      });
    },
    valid: (accessToken, now) => accessToken !== null && (accessTokens.get(accessToken) ?? 0) > now,
  };
}
