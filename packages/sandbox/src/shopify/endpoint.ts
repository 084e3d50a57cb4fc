import {
  type DocumentNode,
  execute,
  type FragmentDefinitionNode,
  type GraphQLObjectType,
  type GraphQLSchema,
  Kind,
  type OperationDefinitionNode,
  parse,
  validate,
  valueFromASTUntyped,
} from "graphql";
import { json } from "../common/http.js";
import type { Clock } from "../common/types.js";
import { costOf, MAX_QUERY_COST } from "./cost.js";
import type { ShopifyLimits } from "./limits.js";
import type { ShopifyRootValue } from "./resolvers.js";

/** The most items one `quantities` or `changes` input may hold. */
const MAX_INPUT = 250;

/** What {@link createGraphqlEndpoint} needs. */
export interface GraphqlEndpointOptions {
  readonly schema: GraphQLSchema;
  readonly limits: ShopifyLimits;
  readonly rootValue: ShopifyRootValue;
  readonly clock: Clock;
}

/**
 * Answers one authorised GraphQL request as Shopify does: parse and validate, the query
 * cost against the bucket (and the single-query maximum), the input size limit, the
 * `@idempotent` keys, then execution with `extensions.cost`.
 */
export function createGraphqlEndpoint(
  options: GraphqlEndpointOptions,
): (request: Request) => Promise<Response> {
  const { schema, limits, rootValue, clock } = options;
  return async (request) => {
    let body: { query?: unknown; variables?: unknown; operationName?: unknown };
    try {
      body = (await request.json()) as typeof body;
    } catch {
      return json(400, { errors: { query: "Required parameter missing or invalid" } });
    }
    if (typeof body.query !== "string")
      return json(400, { errors: { query: "Required parameter missing or invalid" } });
    let document: DocumentNode;
    try {
      document = parse(body.query);
    } catch (error) {
      return json(200, {
        errors: [{ message: (error as Error).message, extensions: { code: "PARSE_ERROR" } }],
      });
    }
    const invalid = validate(schema, document);
    if (invalid.length > 0) return json(200, { errors: invalid.map((e) => e.toJSON()) });
    const variables = (
      typeof body.variables === "object" && body.variables !== null ? body.variables : {}
    ) as Record<string, unknown>;
    const operation = document.definitions.find(
      (d): d is OperationDefinitionNode =>
        d.kind === Kind.OPERATION_DEFINITION &&
        (body.operationName === undefined || d.name?.value === body.operationName),
    );
    if (operation === undefined) return json(200, { errors: [{ message: "No operation to run" }] });
    const fragments = new Map(
      document.definitions
        .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
        .map((f) => [f.name.value, f]),
    );
    const root = (
      operation.operation === "mutation" ? schema.getMutationType() : schema.getQueryType()
    ) as GraphQLObjectType;
    const requested = costOf(
      operation.selectionSet,
      root,
      fragments,
      variables,
      operation.operation === "mutation",
    );
    limits.bucket.refill(clock());
    if (requested > MAX_QUERY_COST) {
      return json(200, {
        errors: [
          {
            message: `Query cost is ${requested}, which exceeds the single query max cost limit (${MAX_QUERY_COST}).`,
            extensions: { code: "MAX_COST_EXCEEDED", cost: requested, maxCost: MAX_QUERY_COST },
          },
        ],
      });
    }
    if (requested > limits.bucket.level) return limits.rateLimitedResponse(requested);
    for (const selection of operation.selectionSet.selections) {
      if (selection.kind !== Kind.FIELD) continue;
      const input = selection.arguments?.find((a) => a.name.value === "input");
      const list =
        input === undefined
          ? undefined
          : (valueFromASTUntyped(input.value, variables) as Record<string, unknown[]> | undefined);
      const items = list?.quantities ?? list?.changes;
      if (Array.isArray(items) && items.length > MAX_INPUT) {
        return json(200, {
          errors: [
            {
              message: `The input array size of ${items.length} is greater than the maximum allowed of ${MAX_INPUT}.`,
              locations: [
                selection.loc?.startToken
                  ? {
                      line: selection.loc.startToken.line,
                      column: selection.loc.startToken.column,
                    }
                  : { line: 1, column: 1 },
              ],
              extensions: { code: "MAX_INPUT_SIZE_EXCEEDED" },
            },
          ],
        });
      }
    }
    limits.bucket.spend(requested);
    const keys = new Map<string, string>();
    for (const selection of operation.selectionSet.selections) {
      if (selection.kind !== Kind.FIELD) continue;
      const directive = selection.directives?.find((d) => d.name.value === "idempotent");
      const key = directive?.arguments?.find((a) => a.name.value === "key");
      if (key !== undefined)
        keys.set(
          (selection.alias ?? selection.name).value,
          String(valueFromASTUntyped(key.value, variables)),
        );
    }
    const result = await execute({
      schema,
      document,
      rootValue: rootValue(keys),
      variableValues: variables,
      ...(typeof body.operationName === "string" ? { operationName: body.operationName } : {}),
    });
    return json(200, {
      ...(result.errors === undefined ? {} : { errors: result.errors.map((e) => e.toJSON()) }),
      data: result.data ?? null,
      extensions: {
        cost: {
          requestedQueryCost: requested,
          actualQueryCost: requested,
          throttleStatus: limits.throttleStatus(clock()),
        },
      },
    });
  };
}
