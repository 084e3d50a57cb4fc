/**
 * @omnistock/amazon
 *
 * @packageDocumentation
 */
export {};
