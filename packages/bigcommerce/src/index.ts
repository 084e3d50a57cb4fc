/**
 * @omnistock/bigcommerce
 *
 * @packageDocumentation
 */
export {};
