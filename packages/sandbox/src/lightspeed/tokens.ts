import { json } from "../common/http.js";
import type { Clock } from "../common/types.js";

/** The OAuth side of the store: refresh tokens, access tokens, and who may call. */
export interface LightspeedTokens {
  /** A refresh token for the OAuth flow (as the authorisation step would give). */
  issueRefreshToken(): string;
  /** Whether a request carries the personal token or an unexpired access token. */
  authorised(request: Request): boolean;
  /** `POST /api/1.0/token`: the refresh-token grant, with rotation. */
  grant(request: Request): Promise<Response>;
}

/** What {@link createLightspeedTokens} needs. */
export interface LightspeedTokensOptions {
  readonly clock: Clock;
  readonly uuid: () => string;
  readonly domainPrefix: string;
  readonly personalToken: string;
  readonly clientId: string;
  readonly clientSecret: string;
}

/** Creates the token endpoint and the bearer check. */
export function createLightspeedTokens(options: LightspeedTokensOptions): LightspeedTokens {
  const { clock, uuid, domainPrefix, personalToken, clientId, clientSecret } = options;
  const accessTokens = new Map<string, number>();
  const refreshTokens = new Set<string>();

  function issueRefreshToken(): string {
    const token = `lsrt_${uuid()}`;
    refreshTokens.add(token);
    return token;
  }

  return {
    issueRefreshToken,
    authorised(request) {
      const token = /^Bearer (.+)$/.exec(request.headers.get("authorization") ?? "")?.[1];
      if (token === undefined) return false;
      if (token === personalToken) return true;
      const expires = accessTokens.get(token);
      return expires !== undefined && expires > clock();
    },
    async grant(request) {
      const form = new URLSearchParams(await request.text());
      if (form.get("client_id") !== clientId || form.get("client_secret") !== clientSecret) {
        return json(401, { error: "invalid_client" });
      }
      if (form.get("grant_type") !== "refresh_token")
        return json(400, { error: "unsupported_grant_type" });
      const used = form.get("refresh_token") ?? "";
      // Since 2025-03 a refresh token is revoked when it is used: only the newest works.
      if (!refreshTokens.delete(used))
        return json(400, {
          error: "invalid_grant",
          error_description: "refresh token revoked or unknown",
        });
      const accessToken = `lsat_${uuid()}`;
      const refreshToken = issueRefreshToken();
      const expiresIn = 604_800;
      accessTokens.set(accessToken, clock() + expiresIn * 1000);
      return json(200, {
        access_token: accessToken,
        token_type: "Bearer",
        expires: Math.floor(clock() / 1000) + expiresIn,
        expires_in: expiresIn,
        refresh_token: refreshToken,
        domain_prefix: domainPrefix,
        scope: "products:read inventory:read inventory:write sales:read sales:write webhooks",
      });
    },
  };
}
