import { isOmnistockError } from "@omnistock/core";
import { type Sandbox, startSandbox } from "@omnistock/sandbox";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createShopifyClient, createShopifyMapping, createShopifyPublisher } from "../src/index.js";
import { clientOf, type Shop } from "./support.js";

let sandbox: Sandbox;
let shop: Shop;
let web = "";
let mug = { id: "", inventoryItemId: "" };
let set = { id: "", inventoryItemId: "" };

beforeAll(async () => {
  sandbox = await startSandbox({ shopify: [{ plan: "plus" }] });
  shop = sandbox.shopify[0] as Shop;
  web = shop.control.addLocation("Web").id;
  mug = shop.control.addVariant({ sku: "MUG-RED" });
  shop.control.stock(mug.inventoryItemId, web, 5);
  // One SKU on two inventory items: a duplicate.
  for (const title of ["Tea", "Tea (copy)"]) {
    const tea = shop.control.addVariant({ sku: "TEA-EARL", title });
    shop.control.stock(tea.inventoryItemId, web, 3);
  }
  // Two variants sharing one inventory item (2026-04): not a duplicate.
  set = shop.control.addVariant({ sku: "CUP-SET" });
  shop.control.addVariant({ sku: "CUP-SET", itemId: set.inventoryItemId, title: "Cup set (gift)" });
  shop.control.stock(set.inventoryItemId, web, 8);
});
afterAll(() => sandbox.close());

describe("Shopify mapping", () => {
  it("finds SKUs by search, sees two variants of one item as one, and names a duplicate SKU", async () => {
    const mapping = createShopifyMapping({ client: clientOf(shop, {}, { plan: "plus" }) });
    const found = await mapping.resolveSkus(["MUG-RED", "TEA-EARL", "CUP-SET", "NOPE"]);
    expect(found.get("MUG-RED")).toEqual({
      ok: true,
      inventoryItemId: mug.inventoryItemId,
      tracked: true,
    });
    expect(found.get("CUP-SET")).toMatchObject({ ok: true, inventoryItemId: set.inventoryItemId });
    const duplicate = found.get("TEA-EARL");
    expect(duplicate?.ok === false && duplicate.error.code).toBe("MAPPING_DUPLICATE");
    expect(duplicate?.ok === false && duplicate.error.message).toContain('"TEA-EARL"');
    const missing = found.get("NOPE");
    expect(missing?.ok === false && missing.error.code).toBe("MAPPING_MISSING");
    // Both variants of the shared item resolve to its listing.
    expect(await mapping.listingOfVariant(set.id, null)).toBe("CUP-SET");
    expect(await mapping.listingOfItem(mug.inventoryItemId)).toBe("MUG-RED");
  });

  it("rejects a write to a duplicate SKU, and refuses to read one, rather than pick an item", async () => {
    const client = clientOf(shop, {}, { plan: "plus" });
    const publisher = createShopifyPublisher({ client, channelId: "shopify-eu" });
    const [tea, cups] = await publisher.publish([
      { listingId: "TEA-EARL", channelLocationId: web, quantity: 1, previous: 3, urgent: true },
      { listingId: "CUP-SET", channelLocationId: web, quantity: 6, previous: 8, urgent: false },
    ]);
    expect(tea).toMatchObject({ status: "rejected", reason: "MAPPING_DUPLICATE" });
    expect(cups?.status).toBe("published");
    expect(shop.control.quantity(set.inventoryItemId, web)).toBe(6);
    await expect(
      publisher.readLevels([{ listingId: "TEA-EARL", channelLocationId: web }]),
    ).rejects.toSatisfy((e) => isOmnistockError(e, "MAPPING_DUPLICATE"));
    const snapshot = await publisher.readLevels().catch((e: unknown) => e);
    expect(isOmnistockError(snapshot, "MAPPING_DUPLICATE")).toBe(true);
    expect(isOmnistockError(snapshot) && snapshot.issues.map((i) => i.path)).toEqual([
      ["TEA-EARL"],
    ]);
  });

  it("uses an explicit mapping, validated at once, and looks nothing up when discovery is off", async () => {
    const client = clientOf(shop, {}, { plan: "plus" });
    expect(() =>
      createShopifyMapping({
        client,
        items: [
          { sku: "A", platformId: "gid://shopify/InventoryItem/1" },
          { sku: "B", platformId: "1" },
        ],
      }),
    ).toThrow(expect.objectContaining({ code: "MAPPING_DUPLICATE" }));
    const mapping = createShopifyMapping({
      client,
      items: { "MUG-RED": mug.inventoryItemId.slice(mug.inventoryItemId.lastIndexOf("/") + 1) },
      locations: { web },
      discover: false,
    });
    const found = await mapping.resolveSkus(["MUG-RED", "CUP-SET"]);
    expect(found.get("MUG-RED")).toMatchObject({ ok: true, inventoryItemId: mug.inventoryItemId });
    expect(found.get("CUP-SET")).toMatchObject({ ok: false });
    expect(
      await mapping.listingsOf([
        { inventoryItemId: mug.inventoryItemId, sku: "MUG-RED" },
        { inventoryItemId: set.inventoryItemId, sku: "CUP-SET" },
      ]),
    ).toEqual(new Map([[mug.inventoryItemId, "MUG-RED"]]));
    expect(await mapping.locations()).toEqual([{ channelLocationId: "web", locationId: web }]);
    expect(await mapping.resolveLocation(undefined)).toBe(web);
    await expect(mapping.resolveLocation("mall")).rejects.toSatisfy((e) =>
      isOmnistockError(e, "MAPPING_MISSING"),
    );
    const levels = await createShopifyPublisher({ client, channelId: "eu", mapping }).readLevels();
    expect(levels).toEqual([{ listingId: "MUG-RED", channelLocationId: "web", quantity: 5 }]);
  });

  it("refuses unknown and missing options, naming each", () => {
    let error: unknown;
    try {
      createShopifyClient({ shop: "not a shop", accessToken: "", colour: "red" } as never);
    } catch (e) {
      error = e;
    }
    expect(isOmnistockError(error, "VALIDATION")).toBe(true);
    const paths = isOmnistockError(error) ? error.issues.map((i) => i.path.join(".")) : [];
    expect(paths).toEqual(expect.arrayContaining(["shop", "accessToken"]));
    expect(paths.some((p) => p === "" || p.includes("colour"))).toBe(true);
  });
});
