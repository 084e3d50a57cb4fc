import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import {
  buildClientSchema,
  buildSchema,
  type GraphQLSchema,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  parse,
  validate,
} from "graphql";
import { beforeAll, expect, it } from "vitest";
import { SHOPIFY_SDL } from "../../src/index.js";
import { describeWithSpecs, specPath } from "../support/specs.js";

describeWithSpecs("Shopify fake against the official Admin GraphQL schema (2026-04)", () => {
  let official: GraphQLSchema;
  const ours = buildSchema(SHOPIFY_SDL);
  beforeAll(() => {
    const raw = JSON.parse(
      gunzipSync(readFileSync(specPath("shopify/admin_2026-04.json.gz"))).toString(),
    );
    // Shopify's real schema fails graphql-js's strict checks (deprecated fields implementing
    // non-deprecated interface fields), so it is built as valid, as its own tools do.
    official = buildClientSchema(raw.data ?? raw, { assumeValid: true });
  });

  it("serves only types, fields and arguments that exist with the same types on Shopify", () => {
    const problems: string[] = [];
    for (const type of Object.values(ours.getTypeMap())) {
      if (
        type.name.startsWith("__") ||
        ["String", "Int", "Float", "Boolean", "ID"].includes(type.name)
      )
        continue;
      const theirs = official.getType(type.name);
      if (theirs === undefined || theirs === null) {
        problems.push(`type ${type.name} does not exist`);
        continue;
      }
      if (isObjectType(type) || isInputObjectType(type)) {
        if (!(isObjectType(theirs) || isInterfaceType(theirs) || isInputObjectType(theirs))) {
          problems.push(`${type.name} is a ${theirs.constructor.name} on Shopify`);
          continue;
        }
        const theirFields = theirs.getFields() as Record<
          string,
          { type: unknown; args?: readonly { name: string; type: unknown }[] }
        >;
        for (const [name, field] of Object.entries(
          type.getFields() as Record<
            string,
            { type: unknown; args?: readonly { name: string; type: unknown }[] }
          >,
        )) {
          const other = theirFields[name];
          if (other === undefined) problems.push(`${type.name}.${name} does not exist`);
          else if (String(other.type) !== String(field.type))
            problems.push(`${type.name}.${name} is ${other.type}, not ${field.type}`);
          for (const arg of field.args ?? []) {
            const theirArg = other?.args?.find((a) => a.name === arg.name);
            if (theirArg === undefined)
              problems.push(`${type.name}.${name}(${arg.name}) does not exist`);
            else if (String(theirArg.type) !== String(arg.type))
              problems.push(
                `${type.name}.${name}(${arg.name}) is ${theirArg.type}, not ${arg.type}`,
              );
          }
        }
      }
      if (isEnumType(type) && isEnumType(theirs)) {
        const values = new Set(theirs.getValues().map((v) => v.name));
        for (const value of type.getValues())
          if (!values.has(value.name)) problems.push(`${type.name}.${value.name} does not exist`);
      }
    }
    const directive = official.getDirective("idempotent");
    if (directive?.args.map((a) => `${a.name}:${a.type}`).join() !== "key:String!")
      problems.push("@idempotent(key: String!) differs");
    expect(problems).toEqual([]);
  });

  it("the operations the adapters and tests send validate against Shopify's schema", () => {
    const operations = [
      `mutation Set($input: InventorySetQuantitiesInput!, $key: String!) {
        inventorySetQuantities(input: $input) @idempotent(key: $key) {
          inventoryAdjustmentGroup { id createdAt reason changes { name delta quantityAfterChange } }
          userErrors { code field message }
        }
      }`,
      `mutation Adjust($input: InventoryAdjustQuantitiesInput!, $key: String!) {
        inventoryAdjustQuantities(input: $input) @idempotent(key: $key) { userErrors { code field message } }
      }`,
      `mutation Activate($item: ID!, $location: ID!) { inventoryActivate(inventoryItemId: $item, locationId: $location, available: 0) { userErrors { field message } } }`,
      `query Variants($query: String) { productVariants(first: 50, query: $query) { nodes { id sku inventoryItem { id tracked duplicateSkuCount } } pageInfo { hasNextPage endCursor } } }`,
      `query Levels($id: ID!) { inventoryItem(id: $id) { inventoryLevels(first: 50) { nodes { id location { id name isActive } quantities(names: ["available", "on_hand", "committed"]) { name quantity } } } } }`,
      `query Orders($query: String) { orders(first: 50, query: $query) { nodes { id name createdAt updatedAt cancelledAt lineItems(first: 50) { nodes { id sku quantity variant { id } } } } } }`,
      `{ locations(first: 50, includeInactive: false) { nodes { id name isActive } } }`,
    ];
    for (const source of operations) {
      const document = parse(source);
      expect(validate(ours, document).map((e) => e.message)).toEqual([]);
      expect(validate(official, document).map((e) => e.message)).toEqual([]);
    }
  });
});
