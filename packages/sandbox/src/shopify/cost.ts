import {
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLObjectType,
  getNamedType,
  isLeafType,
  isObjectType,
  Kind,
  type SelectionSetNode,
  valueFromASTUntyped,
} from "graphql";

/** The most points one query may cost. */
export const MAX_QUERY_COST = 1_000;

/**
 * Shopify's documented query cost: scalars and enums 0, objects 1, connections 2 plus
 * `first` (or `last`) times the cost of one node, mutations 10.
 */
export function costOf(
  selectionSet: SelectionSetNode,
  parent: GraphQLObjectType,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  variables: Record<string, unknown>,
  isMutationRoot = false,
): number {
  let cost = 0;
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FRAGMENT_SPREAD) {
      const fragment = fragments.get(selection.name.value);
      if (fragment !== undefined)
        cost += costOf(fragment.selectionSet, parent, fragments, variables);
      continue;
    }
    if (selection.kind === Kind.INLINE_FRAGMENT) {
      cost += costOf(selection.selectionSet, parent, fragments, variables);
      continue;
    }
    cost += fieldCost(selection, parent, fragments, variables, isMutationRoot);
  }
  return cost;
}

function fieldCost(
  field: FieldNode,
  parent: GraphQLObjectType,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  variables: Record<string, unknown>,
  isMutationRoot: boolean,
): number {
  const definition = parent.getFields()[field.name.value];
  if (definition === undefined) return 0;
  const type = getNamedType(definition.type);
  // A mutation costs 10, plus the objects its payload selects (userErrors: 1).
  if (isMutationRoot) {
    return (
      10 +
      (isObjectType(type) && field.selectionSet !== undefined
        ? costOf(field.selectionSet, type, fragments, variables)
        : 0)
    );
  }
  if (isLeafType(type) || !isObjectType(type) || field.selectionSet === undefined) return 0;
  if (type.name.endsWith("Connection")) {
    const size = field.arguments?.find((a) => a.name.value === "first" || a.name.value === "last");
    const count =
      size === undefined ? 50 : Number(valueFromASTUntyped(size.value, variables) ?? 50);
    let perNode = 0;
    for (const selection of field.selectionSet.selections) {
      if (
        selection.kind !== Kind.FIELD ||
        selection.name.value !== "nodes" ||
        selection.selectionSet === undefined
      )
        continue;
      const nodes = type.getFields().nodes;
      if (nodes === undefined) continue;
      const nodeType = getNamedType(nodes.type) as GraphQLObjectType;
      perNode += 1 + costOf(selection.selectionSet, nodeType, fragments, variables);
    }
    return 2 + count * perNode;
  }
  return 1 + costOf(field.selectionSet, type, fragments, variables);
}
