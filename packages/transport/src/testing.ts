/**
 * @omnistock/transport/testing — what tests of HTTP adapters share: virtual time, the
 * conformance check every rate limiter passes, and arbitrary webhook bodies for property
 * tests of receivers.
 *
 * Note: {@link arbitraryBody} builds on the `fast-check` you pass it; this package does not
 * depend on it.
 *
 * @packageDocumentation
 */
export { arbitraryBody } from "./arbitrary-body.js";
export { checkRateLimiter, type RateLimiterConformanceOptions } from "./conformance.js";
export { createVirtualTime, type VirtualTime } from "./virtual-time.js";
