import { z } from "zod";
import { checkOptions, fn, milliseconds } from "./options.js";
import { type Clock, systemClock } from "./time.js";

/** What one refresh issued: see {@link TokenSourceOptions.refresh}. */
export interface IssuedToken {
  /** The new access token. */
  readonly accessToken: string;
  /** How long it lasts, in milliseconds, counted from when the refresh began. */
  readonly expiresInMs: number;
  /**
   * The new refresh token, where the platform rotates them on use (Lightspeed): the next
   * refresh sends it, and {@link TokenSourceOptions.onRefreshToken} is told.
   */
  readonly refreshToken?: string;
}

/** How long before its expiry a token source refreshes a token, when not told: one minute. */
export const TOKEN_EARLY_MS = 60_000;

/** Options of {@link createTokenSource}. */
export interface TokenSourceOptions {
  /**
   * Asks the platform for a new access token with the current refresh token (the
   * `refreshToken` option, or the newest one a refresh issued). Throw to fail the callers
   * waiting for it; the next call tries again.
   */
  readonly refresh: (refreshToken: string | undefined) => Promise<IssuedToken>;
  /** The refresh token to start from, where there is one. */
  readonly refreshToken?: string;
  /**
   * Called with every rotated refresh token before the access token is handed out: store
   * it, the old one no longer works. A rejection fails that refresh's callers; the tokens
   * it issued are kept.
   */
  readonly onRefreshToken?: (refreshToken: string) => void | Promise<void>;
  /**
   * The clock that dates expiry.
   * @default Date.now
   */
  readonly clock?: Clock;
  /**
   * How long before its expiry a token is replaced, so that a request sent with it does
   * not arrive after it.
   * @default {@link TOKEN_EARLY_MS}
   */
  readonly earlyMs?: number;
}

/**
 * OAuth access tokens for one account: see {@link createTokenSource}.
 */
export interface TokenSource {
  /**
   * The current access token: the cached one until `earlyMs` before its expiry, else a
   * new one from one refresh shared by every concurrent caller.
   *
   * @throws whatever the refresh threw (its callers all see it; the next call refreshes again).
   */
  token(): Promise<string>;
  /**
   * Drops the cached access token (only if it is still `token`, when given), so the next
   * call refreshes: for a token the platform refused before its time.
   */
  invalidate(token?: string): void;
  /**
   * The tokens to scrub from errors and events: the current and the previous access
   * token and refresh token. Never more than four, however many refreshes there were.
   */
  secrets(): readonly string[];
}

const optionsSchema = z.strictObject({
  refresh: fn,
  refreshToken: z.string().min(1).optional(),
  onRefreshToken: fn.optional(),
  clock: fn.optional(),
  earlyMs: milliseconds.optional(),
});

/**
 * Creates the token source of one OAuth account: the access token cached until shortly
 * before its expiry, one refresh in flight shared by concurrent callers, refresh-token
 * rotation, and a redaction list that holds only the current and the previous tokens.
 *
 * Why: Lightspeed revokes a refresh token once it is used, so two refreshes at once
 * revoke each other's; and keeping every token ever issued in a redaction list grows it
 * without bound in a long-running process, while a token two refreshes old is useless.
 *
 * @throws {@link OmnistockError} `VALIDATION` naming every unknown, missing or invalid option.
 * @example
 * ```ts
 * const tokens = createTokenSource({
 *   refreshToken: stored,
 *   refresh: async (refreshToken) => {
 *     const answer = await askForToken(refreshToken);
 *     return {
 *       accessToken: answer.access_token,
 *       expiresInMs: answer.expires_in * 1000,
 *       refreshToken: answer.refresh_token,
 *     };
 *   },
 *   onRefreshToken: (rotated) => vault.save(rotated),
 * });
 * const client = createHttpClient({
 *   platform: "lightspeed",
 *   baseUrl,
 *   auth: async () => ({ authorization: `Bearer ${await tokens.token()}` }),
 *   secrets: () => tokens.secrets(),
 * });
 * ```
 */
export function createTokenSource(options: TokenSourceOptions): TokenSource {
  checkOptions(optionsSchema, options, "token source options");
  const clock = options.clock ?? systemClock;
  const earlyMs = options.earlyMs ?? TOKEN_EARLY_MS;
  let access: { readonly token: string; readonly expiresAt: number } | undefined;
  let refreshToken = options.refreshToken;
  let refreshing: Promise<string> | undefined;
  const kept = { access: [] as string[], refresh: [] as string[] };
  const keep = (list: string[], token: string) => {
    if (list[0] === token) return;
    list.unshift(token);
    list.length = Math.min(list.length, 2);
  };
  if (refreshToken !== undefined) keep(kept.refresh, refreshToken);

  async function refresh(): Promise<string> {
    const startedAt = clock();
    const issued = await options.refresh(refreshToken);
    access = { token: issued.accessToken, expiresAt: startedAt + issued.expiresInMs };
    keep(kept.access, issued.accessToken);
    const rotated = issued.refreshToken;
    if (rotated !== undefined && rotated !== refreshToken) {
      refreshToken = rotated;
      keep(kept.refresh, rotated);
      await options.onRefreshToken?.(rotated);
    }
    return issued.accessToken;
  }

  return {
    token() {
      if (access !== undefined && clock() < access.expiresAt - earlyMs)
        return Promise.resolve(access.token);
      refreshing ??= refresh().finally(() => {
        refreshing = undefined;
      });
      return refreshing;
    },
    invalidate(token) {
      if (token === undefined || access?.token === token) access = undefined;
    },
    secrets: () => [...kept.access, ...kept.refresh],
  };
}
