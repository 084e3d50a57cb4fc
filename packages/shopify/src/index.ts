/**
 * @omnistock/shopify
 *
 * @packageDocumentation
 */
export {};
