/** Public API for declaring providers, resources and data sources. */
export * from './schema';
export * from './resource';
export * from './diagnostics';
export * from './validators';
export { ProviderServer, stderrLogger, toProtoSchema } from './provider-server';
export { planResourceChange, mergeApplyResult, mergeReadResult, coerceValue } from './plan';
export { serveProvider } from './serve-provider';
export { CtyNumber, CtyDynamic, Unknown, UNKNOWN, isUnknown, isWhollyKnown, types } from '../cty';
export type { CtyType, CtyValue, CtyInput } from '../cty';
