import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { REDACTED, redact, redactHeaders } from "../src/index.js";

describe("redact", () => {
  it("hides configured secrets, also URL-encoded, and ignores ones too short to be secrets", () => {
    expect(redact("token a+b/c== failed; again a%2Bb%2Fc%3D%3D", ["a+b/c=="])).toBe(
      `token ${REDACTED} failed; again ${REDACTED}`,
    );
    expect(redact("ab and abc", ["ab", "abc"])).toBe("ab and abc");
  });

  it("hides credentials by where they stand: bearer, query and form parameters, JSON fields", () => {
    expect(redact("Authorization: Bearer eyJhbGciOi.x-y_z")).toBe(
      `Authorization: Bearer ${REDACTED}`,
    );
    expect(redact("/oauth?code=abc&state=1&client_secret=s3")).toBe(
      `/oauth?code=${REDACTED}&state=1&client_secret=${REDACTED}`,
    );
    expect(redact("refresh_token=rt1&grant_type=refresh_token")).toBe(
      `refresh_token=${REDACTED}&grant_type=refresh_token`,
    );
    expect(redact('{"access_token": "shh \\"quoted\\"", "scope": "read"}')).toBe(
      `{"access_token": "${REDACTED}", "scope": "read"}`,
    );
    expect(redact('{"refreshToken":"rt","clientSecret":"cs"}')).toBe(
      `{"refreshToken":"${REDACTED}","clientSecret":"${REDACTED}"}`,
    );
  });

  it("hides tokens recognisable by their shape", () => {
    expect(redact("shpat_0123abc and whsec_MfKQ9r8+/= and Atzr|IwEBIA-x_y")).toBe(
      `${REDACTED} and ${REDACTED} and ${REDACTED}`,
    );
  });

  it("keeps what is not a credential: error codes, ids, messages", () => {
    const text = '{"errors":[{"code":"THROTTLED","message":"Throttled"}],"id":"gid://shopify/1"}';
    expect(redact(text)).toBe(text);
  });

  it("never lets a configured secret through, wherever it sits in the text", () => {
    const secret = fc.string({ unit: fc.constantFrom(..."0123456789QWXYZK_-+/="), minLength: 4 });
    fc.assert(
      fc.property(secret, fc.string(), fc.string(), (value, before, after) => {
        expect(redact(`${before}${value}${after}`, [value])).not.toContain(value);
      }),
    );
  });
});

describe("redactHeaders", () => {
  it("replaces credential headers whole and scrubs secrets from the rest", () => {
    const headers = new Headers({
      Authorization: "Bearer abc",
      "X-Shopify-Access-Token": "shpat_1",
      "x-amz-access-token": "Atza|1",
      "x-request-id": "r-1 for tok_9",
    });
    expect(redactHeaders(headers, ["tok_9"])).toEqual({
      authorization: REDACTED,
      "x-shopify-access-token": REDACTED,
      "x-amz-access-token": REDACTED,
      "x-request-id": `r-1 for ${REDACTED}`,
    });
  });
});
