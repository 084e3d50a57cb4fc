/**
 * @omnistock/store-sqlite
 *
 * @packageDocumentation
 */
export {};
