/**
 * The subset of Shopify's Admin GraphQL API (2026-04) the sandbox serves, in SDL. Every
 * type, field and argument here exists with the same type in Shopify's published schema
 * (a contract test checks it), so an operation that validates here validates there, and
 * an unknown field or a wrong argument fails here as it would on Shopify.
 */
export const SHOPIFY_SDL = /* GraphQL */ `
  schema {
    query: QueryRoot
    mutation: Mutation
  }

  directive @idempotent(key: String!) on FIELD

  scalar DateTime

  type QueryRoot {
    location(id: ID): Location
    locations(first: Int, after: String, query: String, includeInactive: Boolean): LocationConnection!
    productVariants(first: Int, after: String, query: String): ProductVariantConnection!
    inventoryItem(id: ID!): InventoryItem
    inventoryItems(first: Int, after: String, query: String): InventoryItemConnection!
    productVariant(id: ID!): ProductVariant
    orders(
      first: Int
      after: String
      reverse: Boolean
      sortKey: OrderSortKeys
      query: String
    ): OrderConnection!
    order(id: ID!): Order
    refund(id: ID!): Refund
  }

  type Mutation {
    inventorySetQuantities(input: InventorySetQuantitiesInput!): InventorySetQuantitiesPayload
    inventoryAdjustQuantities(input: InventoryAdjustQuantitiesInput!): InventoryAdjustQuantitiesPayload
    inventoryActivate(inventoryItemId: ID!, locationId: ID!, available: Int): InventoryActivatePayload
  }

  type PageInfo {
    hasNextPage: Boolean!
    endCursor: String
  }

  type Location {
    id: ID!
    name: String!
    isActive: Boolean!
    inventoryLevels(first: Int, after: String): InventoryLevelConnection!
  }

  type LocationConnection {
    nodes: [Location!]!
    pageInfo: PageInfo!
  }

  type ProductVariant {
    id: ID!
    title: String!
    sku: String
    inventoryItem: InventoryItem!
  }

  type ProductVariantConnection {
    nodes: [ProductVariant!]!
    pageInfo: PageInfo!
  }

  type InventoryItem {
    id: ID!
    sku: String
    tracked: Boolean!
    duplicateSkuCount: Int!
    inventoryLevel(locationId: ID!, includeInactive: Boolean): InventoryLevel
    inventoryLevels(first: Int, after: String, includeInactive: Boolean): InventoryLevelConnection!
    variants(first: Int, after: String): ProductVariantConnection
  }

  type InventoryItemConnection {
    nodes: [InventoryItem!]!
    pageInfo: PageInfo!
  }

  type InventoryLevel {
    id: ID!
    location: Location!
    item: InventoryItem!
    quantities(names: [String!]!): [InventoryQuantity!]!
  }

  type InventoryLevelConnection {
    nodes: [InventoryLevel!]!
    pageInfo: PageInfo!
  }

  type InventoryQuantity {
    name: String!
    quantity: Int!
  }

  type Order {
    id: ID!
    name: String!
    createdAt: DateTime!
    updatedAt: DateTime!
    cancelledAt: DateTime
    displayFulfillmentStatus: OrderDisplayFulfillmentStatus!
    retailLocation: Location
    lineItems(first: Int, after: String): LineItemConnection!
    refunds(first: Int): [Refund!]!
  }

  enum OrderSortKeys {
    CREATED_AT
    ID
    UPDATED_AT
  }

  enum OrderDisplayFulfillmentStatus {
    UNFULFILLED
    PARTIALLY_FULFILLED
    FULFILLED
  }

  type Refund {
    id: ID!
    createdAt: DateTime
    refundLineItems(first: Int, after: String): RefundLineItemConnection!
  }

  enum RefundLineItemRestockType {
    RETURN
    CANCEL
    LEGACY_RESTOCK
    NO_RESTOCK
  }

  type RefundLineItem {
    lineItem: LineItem!
    quantity: Int!
    restockType: RefundLineItemRestockType!
    restocked: Boolean!
    location: Location
  }

  type RefundLineItemConnection {
    nodes: [RefundLineItem!]!
    pageInfo: PageInfo!
  }

  type OrderConnection {
    nodes: [Order!]!
    pageInfo: PageInfo!
  }

  type LineItem {
    id: ID!
    sku: String
    quantity: Int!
    variant: ProductVariant
  }

  type LineItemConnection {
    nodes: [LineItem!]!
    pageInfo: PageInfo!
  }

  input InventoryQuantityInput {
    inventoryItemId: ID!
    locationId: ID!
    quantity: Int!
    changeFromQuantity: Int
  }

  input InventorySetQuantitiesInput {
    reason: String!
    name: String!
    referenceDocumentUri: String
    quantities: [InventoryQuantityInput!]!
  }

  input InventoryChangeInput {
    delta: Int!
    changeFromQuantity: Int
    inventoryItemId: ID!
    locationId: ID!
    ledgerDocumentUri: String
  }

  input InventoryAdjustQuantitiesInput {
    reason: String!
    name: String!
    referenceDocumentUri: String
    changes: [InventoryChangeInput!]!
  }

  type InventoryChange {
    name: String!
    delta: Int!
    quantityAfterChange: Int
  }

  type InventoryAdjustmentGroup {
    id: ID!
    createdAt: DateTime!
    reason: String!
    changes(inventoryItemIds: [ID!], locationIds: [ID!], quantityNames: [String!]): [InventoryChange!]!
  }

  enum InventorySetQuantitiesUserErrorCode {
    INVALID_INVENTORY_ITEM
    INVALID_LOCATION
    INVALID_QUANTITY_NEGATIVE
    INVALID_REASON
    ITEM_NOT_STOCKED_AT_LOCATION
    CHANGE_FROM_QUANTITY_STALE
    INVALID_NAME
    NO_DUPLICATE_INVENTORY_ITEM_ID_GROUP_ID_PAIR
    IDEMPOTENCY_KEY_PARAMETER_MISMATCH
  }

  type InventorySetQuantitiesUserError {
    code: InventorySetQuantitiesUserErrorCode
    field: [String!]
    message: String!
  }

  type InventorySetQuantitiesPayload {
    inventoryAdjustmentGroup: InventoryAdjustmentGroup
    userErrors: [InventorySetQuantitiesUserError!]!
  }

  enum InventoryAdjustQuantitiesUserErrorCode {
    INVALID_INVENTORY_ITEM
    INVALID_LOCATION
    INVALID_QUANTITY_NAME
    INVALID_REASON
    CHANGE_FROM_QUANTITY_STALE
    ITEM_NOT_STOCKED_AT_LOCATION
    IDEMPOTENCY_KEY_PARAMETER_MISMATCH
  }

  type InventoryAdjustQuantitiesUserError {
    code: InventoryAdjustQuantitiesUserErrorCode
    field: [String!]
    message: String!
  }

  type InventoryAdjustQuantitiesPayload {
    inventoryAdjustmentGroup: InventoryAdjustmentGroup
    userErrors: [InventoryAdjustQuantitiesUserError!]!
  }

  type UserError {
    field: [String!]
    message: String!
  }

  type InventoryActivatePayload {
    inventoryLevel: InventoryLevel
    userErrors: [UserError!]!
  }
`;
