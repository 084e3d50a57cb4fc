import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { type Sandbox, startSandbox } from "@omnistock/sandbox";
import {
  buildClientSchema,
  type GraphQLSchema,
  getVariableValues,
  type OperationDefinitionNode,
  parse,
  validate,
} from "graphql";
import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { recordingFetch } from "../../sandbox/test/support/openapi.js";
import { describeWithSpecs, specPath } from "../../sandbox/test/support/specs.js";
import { levelsOperation, SHOPIFY_OPERATIONS } from "../src/documents.js";
import {
  createShopifyMapping,
  createShopifyOrderSource,
  createShopifyPublisher,
} from "../src/index.js";
import { clientOf, graphqlBodies, type Shop } from "./support.js";

vi.setConfig({ testTimeout: 60_000 });

/** What Shopify's published schema says is wrong with an operation and its variables. */
function problems(schema: GraphQLSchema, query: string, variables: Record<string, unknown>) {
  const document = parse(query);
  const errors = validate(schema, document).map((e) => e.message);
  const operation = document.definitions.find(
    (d): d is OperationDefinitionNode => d.kind === "OperationDefinition",
  );
  const coerced = getVariableValues(schema, operation?.variableDefinitions ?? [], variables);
  if ("errors" in coerced && coerced.errors !== undefined)
    errors.push(...coerced.errors.map((e) => e.message));
  return errors;
}

describeWithSpecs(
  "Shopify adapter requests against the official Admin GraphQL schema (2026-04)",
  () => {
    let official: GraphQLSchema;
    let sandbox: Sandbox;

    beforeAll(async () => {
      const raw = JSON.parse(
        gunzipSync(readFileSync(specPath("shopify/admin_2026-04.json.gz"))).toString(),
      );
      // Shopify's schema fails graphql-js's strict checks; it is built as valid, as its tools do.
      official = buildClientSchema(raw.data ?? raw, { assumeValid: true });
      sandbox = await startSandbox({ shopify: [{ plan: "plus" }] });
    });
    afterAll(() => sandbox.close());

    it("every document the adapter can send validates", () => {
      for (const operation of [...SHOPIFY_OPERATIONS, levelsOperation(3)]) {
        expect({
          name: operation.name,
          errors: validate(official, operation.document).map((e) => e.message),
        }).toEqual({ name: operation.name, errors: [] });
      }
    });

    it("every request sent while publishing, reading and polling validates, variables included", async () => {
      const shop = sandbox.shopify[0] as Shop;
      const { control } = shop;
      const web = control.addLocation("Web").id;
      const backroom = control.addLocation("Back room").id;
      const ids = Array.from({ length: 30 }, (_, i) => control.addVariant({ sku: `S-${i}` }));
      for (const v of ids) control.stock(v.inventoryItemId, web, 2);
      const recorder = recordingFetch();
      const client = clientOf(shop, { fetch: recorder.fetch }, { plan: "plus" });
      const mapping = createShopifyMapping({ client });
      const publisher = createShopifyPublisher({
        client,
        channelId: "eu",
        mapping,
        notStocked: "activate",
      });
      control.stock(ids[0]?.inventoryItemId ?? "", web, 7);
      const outcomes = await publisher.publish([
        { listingId: "S-0", channelLocationId: web, quantity: 1, previous: 2, urgent: true },
        {
          listingId: "S-1",
          channelLocationId: backroom,
          quantity: 1,
          previous: undefined,
          urgent: false,
        },
        { listingId: "S-2", channelLocationId: web, quantity: 5, previous: 2, urgent: false },
      ]);
      expect(outcomes.map((o) => o.status)).toEqual(["stale", "published", "published"]);
      await publisher.readLevels();
      const lines = ids.map((v) => ({ variantId: v.id, quantity: 1 }));
      const order = control.placeOrder(lines, web);
      control.refund(
        order.id,
        lines.slice(0, 12).map((l) => ({ ...l, restock: true })),
      );
      const polled = await createShopifyOrderSource({
        client,
        channelId: "eu",
        mapping: createShopifyMapping({ client }),
        startAt: Date.now() - 60_000,
      }).ordersSince(undefined);
      expect(polled.orders.find((o) => o.status === "placed")?.lines).toHaveLength(30);
      await mapping.listingOfItem(ids[29]?.inventoryItemId ?? "");

      const sent = graphqlBodies(recorder.requests);
      const names = new Set(sent.map((b) => b.operationName));
      expect([...names].sort()).toEqual(
        [
          "OmnistockActivate",
          "OmnistockLevels",
          "OmnistockLocationLevels",
          "OmnistockLocations",
          "OmnistockOrderLines",
          "OmnistockOrders",
          "OmnistockRefundLines",
          "OmnistockSetQuantities",
          "OmnistockVariant",
          "OmnistockVariants",
        ].sort(),
      );
      for (const body of sent) {
        expect({
          operation: body.operationName,
          errors: problems(official, body.query, body.variables),
        }).toEqual({
          operation: body.operationName,
          errors: [],
        });
      }
      for (const request of recorder.requests) {
        expect(request.url.pathname).toBe("/admin/api/2026-04/graphql.json");
        expect(request.headers.get("x-shopify-access-token")).toBe(shop.credentials.accessToken);
      }
    });
  },
);
