import { describe, expect, it } from "vitest";
import {
  type CatalogConfig,
  compileCatalog,
  createSkuMapping,
  isOmnistockError,
  type OmnistockError,
} from "../src/index.js";

function failure(run: () => unknown): OmnistockError {
  try {
    run();
  } catch (error) {
    if (isOmnistockError(error)) return error;
    throw error;
  }
  throw new Error("expected an OmnistockError");
}

const base: CatalogConfig = {
  locations: [{ id: "main" }, { id: "mall" }],
  skus: ["MUG", "TEA"],
  channels: [{ id: "shopify", feed: { mode: "sum", locationIds: ["main", "mall"] } }],
  listings: [{ channelId: "shopify", listingId: "MUG", sku: "MUG" }],
};

describe("compileCatalog mapping validation", () => {
  it("names a policy's unknown location instead of leaving the outlet out", () => {
    const error = failure(() =>
      compileCatalog({
        ...base,
        channels: [{ id: "shopify", feed: { mode: "sum", locationIds: ["main", "outlet-3"] } }],
      }),
    );
    expect(error.code).toBe("MAPPING_MISSING");
    expect(error.issues[0]?.path).toEqual(["channels", 0, "feed", "locationIds", 1]);
    expect(error.message).toContain('unknown location "outlet-3"');
  });

  it("refuses a SKU the system of record does not know (created only online)", () => {
    const error = failure(() =>
      compileCatalog({
        ...base,
        listings: [{ channelId: "shopify", listingId: "WEB-ONLY", sku: "WEB-ONLY" }],
      }),
    );
    expect(error.code).toBe("MAPPING_MISSING");
    expect(error.message).toContain('SKU "WEB-ONLY"');
  });

  it("refuses two listings of one channel for the same SKU, and reports every problem at once", () => {
    const error = failure(() =>
      compileCatalog({
        ...base,
        listings: [
          { channelId: "shopify", listingId: "MUG", sku: "MUG" },
          { channelId: "shopify", listingId: "MUG-COPY", sku: "MUG" },
          { channelId: "amazon", listingId: "MUG", sku: "MUG" },
        ],
      }),
    );
    expect(error.code).toBe("MAPPING_DUPLICATE");
    expect(error.issues.map((i) => i.path)).toEqual([
      ["listings", 1, "sku"],
      ["listings", 2, "channelId"],
    ]);
  });

  it("refuses dedicated shares over 100 % and a channel location mapped twice", () => {
    const error = failure(() =>
      compileCatalog({
        ...base,
        channels: [
          { id: "a", feed: { mode: "dedicated", shares: [{ locationId: "main", percent: 70 }] } },
          { id: "b", feed: { mode: "dedicated", shares: [{ locationId: "main", percent: 40 }] } },
          {
            id: "c",
            feed: {
              mode: "location",
              map: [
                { channelLocationId: "L1", locationId: "main" },
                { channelLocationId: "L1", locationId: "mall" },
              ],
            },
          },
        ],
        listings: [],
      }),
    );
    expect(error.details.codes).toEqual(["CONFIG", "MAPPING_AMBIGUOUS"]);
  });

  it("rejects a malformed config with the field path", () => {
    const error = failure(() =>
      compileCatalog({
        ...base,
        channels: [
          { id: "s", feed: { mode: "single", locationId: "main" }, buffer: { percent: 150 } },
        ],
      }),
    );
    expect(error.code).toBe("VALIDATION");
    expect(error.issues[0]?.path).toEqual(["channels", 0, "buffer", "percent"]);
  });
});

describe("createSkuMapping", () => {
  it("maps both ways", () => {
    const mapping = createSkuMapping("shopify", [
      { sku: "MUG", platformId: "gid://shopify/InventoryItem/1" },
      { sku: "TEA", platformId: "gid://shopify/InventoryItem/2" },
    ]);
    expect(mapping.toSku("gid://shopify/InventoryItem/2")).toBe("TEA");
    expect(mapping.toPlatformId("MUG")).toBe("gid://shopify/InventoryItem/1");
    expect(mapping.findSku("nope")).toBeUndefined();
    expect(failure(() => mapping.toPlatformId("SOCK")).code).toBe("MAPPING_MISSING");
  });

  it("refuses a duplicate or ambiguous mapping, naming the SKU", () => {
    const error = failure(() =>
      createSkuMapping("bigcommerce", [
        { sku: "MUG", platformId: "77" },
        { sku: "MUG", platformId: "78" },
        { sku: "TEA", platformId: "77" },
      ]),
    );
    expect(error.code).toBe("MAPPING_AMBIGUOUS");
    expect(error.issues).toHaveLength(2);
    expect(error.message).toContain('SKU "MUG"');
  });
});
