/**
 * @omnistock/sync
 *
 * @packageDocumentation
 */
export {};
