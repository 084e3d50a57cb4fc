/**
 * @omnistock/transport/internal — helpers Omnistock's own adapters build their webhook
 * receivers with: the signing rules of a receiver's options schema and the one place an
 * unsigned-delivery warning goes.
 *
 * Note: this entry point is not covered by semver. It may change or go in any release;
 * integrators use `@omnistock/transport`.
 *
 * @packageDocumentation
 */
export { reportWarning, webhookSecretsOption, withWebhookSigning } from "./webhooks.js";
