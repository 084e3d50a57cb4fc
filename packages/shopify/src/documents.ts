import { type DocumentNode, parse, print } from "graphql";

/**
 * One GraphQL operation the adapter sends: its document, parsed once with graphql-js (so
 * a typo fails at import, not at Shopify), the text sent, and its cost estimate.
 */
export interface ShopifyOperation {
  /** The operation name, as sent in `operationName`. */
  readonly name: string;
  /** The parsed document. */
  readonly document: DocumentNode;
  /** The document as sent. */
  readonly source: string;
  /**
   * The query cost Shopify is expected to charge, by its published rules (objects 1,
   * connections 2 + `first` × a node, mutations 10 + their payload): what the limiter
   * reserves until an answer reports the real `requestedQueryCost`.
   */
  readonly estimatedCost: number;
  /**
   * The variable that sizes the answer (`first`), where one does: the cost differs with
   * it, so the cost Shopify reported is remembered per size.
   */
  readonly sizedBy?: string;
}

function operation(source: string, estimatedCost: number, sizedBy?: string): ShopifyOperation {
  const document = parse(source);
  const definition = document.definitions[0];
  const name =
    definition?.kind === "OperationDefinition" && definition.name !== undefined
      ? definition.name.value
      : "anonymous";
  return {
    name,
    document,
    source: print(document),
    estimatedCost,
    ...(sizedBy === undefined ? {} : { sizedBy }),
  };
}

/** The most variants per page of a SKU search. */
export const VARIANT_PAGE = 250;
/** Levels per page of a location's inventory levels. */
export const LEVEL_PAGE = 250;
/** Orders per page: with their lines and refunds, 778 points by Shopify's rules. */
export const ORDER_PAGE = 8;
/** Line items read with each order; more are paged. */
export const ORDER_LINES = 25;
/** Line items of each refund read with the order; more are paged. */
export const REFUND_LINES = 10;
/** Line items per follow-up page of one order or refund. */
export const MORE_LINES = 100;

const LINE_FIELDS = "id sku quantity variant { id }";
const REFUND_LINE_FIELDS = `quantity restockType location { id } lineItem { ${LINE_FIELDS} }`;

/** `inventorySetQuantities` of `available`, compare-and-set, with the required idempotency key. */
export const SET_QUANTITIES = operation(
  `mutation OmnistockSetQuantities($input: InventorySetQuantitiesInput!, $key: String!) {
    inventorySetQuantities(input: $input) @idempotent(key: $key) {
      userErrors { code field message }
    }
  }`,
  11,
);

/** `inventoryActivate`: stocks an item at a location, answering the level's `available`. */
export const ACTIVATE = operation(
  `mutation OmnistockActivate($item: ID!, $location: ID!, $key: String!) {
    inventoryActivate(inventoryItemId: $item, locationId: $location) @idempotent(key: $key) {
      inventoryLevel { quantities(names: ["available"]) { quantity } }
      userErrors { field message }
    }
  }`,
  13,
);

/** Variants by a `sku:` search, `$first` at a time: 2 + 2 × `$first` points. */
export const VARIANTS = operation(
  `query OmnistockVariants($query: String, $first: Int!, $after: String) {
    productVariants(first: $first, after: $after, query: $query) {
      nodes { id sku inventoryItem { id tracked } }
      pageInfo { hasNextPage endCursor }
    }
  }`,
  2 + VARIANT_PAGE * 2,
  "first",
);

/** The cost of a {@link VARIANTS} page of `first` variants. */
export function variantsCost(first: number): number {
  return 2 + first * 2;
}

/** One variant by id, with its inventory item: resolves an order line to a listing. */
export const VARIANT = operation(
  `query OmnistockVariant($id: ID!) {
    productVariant(id: $id) { id sku inventoryItem { id tracked } }
  }`,
  2,
);

/** One inventory item's SKU: resolves an `inventory_levels/update` to a listing. */
export const INVENTORY_ITEM = operation(
  `query OmnistockInventoryItem($id: ID!) {
    inventoryItem(id: $id) { id sku }
  }`,
  1,
);

/** The shop's locations, a page at a time. */
export const LOCATIONS = operation(
  `query OmnistockLocations($after: String) {
    locations(first: 250, after: $after) {
      nodes { id name isActive }
      pageInfo { hasNextPage endCursor }
    }
  }`,
  252,
);

/** Every item's `available` at one location, a page at a time: the channel snapshot. */
export const LOCATION_LEVELS = operation(
  `query OmnistockLocationLevels($id: ID!, $after: String) {
    location(id: $id) {
      inventoryLevels(first: ${LEVEL_PAGE}, after: $after) {
        nodes { item { id sku } quantities(names: ["available"]) { quantity } }
        pageInfo { hasNextPage endCursor }
      }
    }
  }`,
  3 + LEVEL_PAGE * 3,
);

/** Levels read per aliased query: 3 points each. */
export const LEVELS_PER_QUERY = 100;

const levelsOperations = new Map<number, ShopifyOperation>();

/**
 * `available` of `count` (item, location) pairs in one query, one alias each
 * (`l0: inventoryItem(id: $i0) { inventoryLevel(locationId: $l0) { … } }`).
 */
export function levelsOperation(count: number): ShopifyOperation {
  let cached = levelsOperations.get(count);
  if (cached === undefined) {
    const variables = Array.from({ length: count }, (_, i) => `$i${i}: ID!, $l${i}: ID!`);
    const fields = Array.from(
      { length: count },
      (_, i) =>
        `l${i}: inventoryItem(id: $i${i}) { inventoryLevel(locationId: $l${i}) { quantities(names: ["available"]) { quantity } } }`,
    );
    cached = operation(
      `query OmnistockLevels(${variables.join(", ")}) { ${fields.join(" ")} }`,
      count * 3,
    );
    levelsOperations.set(count, cached);
  }
  return cached;
}

/** Orders updated since a time, oldest change first, with their lines and refunds. */
export const ORDERS = operation(
  `query OmnistockOrders($query: String!, $after: String) {
    orders(first: ${ORDER_PAGE}, after: $after, sortKey: UPDATED_AT, query: $query) {
      nodes {
        id createdAt updatedAt cancelledAt displayFulfillmentStatus
        retailLocation { id }
        lineItems(first: ${ORDER_LINES}) { nodes { ${LINE_FIELDS} } pageInfo { hasNextPage endCursor } }
        refunds {
          id createdAt
          refundLineItems(first: ${REFUND_LINES}) { nodes { ${REFUND_LINE_FIELDS} } pageInfo { hasNextPage endCursor } }
        }
      }
      pageInfo { hasNextPage endCursor }
    }
  }`,
  2 + ORDER_PAGE * (1 + 1 + (2 + ORDER_LINES * 2) + (1 + 2 + REFUND_LINES * 4)),
);

/** The rest of an order's line items. */
export const ORDER_LINE_ITEMS = operation(
  `query OmnistockOrderLines($id: ID!, $after: String) {
    order(id: $id) {
      lineItems(first: ${MORE_LINES}, after: $after) { nodes { ${LINE_FIELDS} } pageInfo { hasNextPage endCursor } }
    }
  }`,
  1 + 2 + MORE_LINES * 2,
);

/** The rest of a refund's line items. */
export const REFUND_LINE_ITEMS = operation(
  `query OmnistockRefundLines($id: ID!, $after: String) {
    refund(id: $id) {
      refundLineItems(first: ${MORE_LINES}, after: $after) { nodes { ${REFUND_LINE_FIELDS} } pageInfo { hasNextPage endCursor } }
    }
  }`,
  1 + 2 + MORE_LINES * 4,
);

/**
 * Every fixed operation the adapter sends (the aliased levels read is built per size by
 * {@link levelsOperation}): for checking them against Shopify's published schema.
 */
export const SHOPIFY_OPERATIONS: readonly ShopifyOperation[] = [
  SET_QUANTITIES,
  ACTIVATE,
  VARIANTS,
  VARIANT,
  INVENTORY_ITEM,
  LOCATIONS,
  LOCATION_LEVELS,
  ORDERS,
  ORDER_LINE_ITEMS,
  REFUND_LINE_ITEMS,
];
