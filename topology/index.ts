/** The topology rules: one source of truth used by constructs, provider, review and server. */
export * from './model';
export * from './violation';
export * from './violation-codes';
export * from './ip';
export * from './ip-allocation';
export * from './dns-names';
export * from './rules/l2';
export * from './rules/l3';
export * from './rules/services';
export * from './rules/placement';
export * from './rules/names';
export * from './rules/hosts';
export * from './rules/deletion';
export * from './batch-refs';
export * from './evaluator';
export * from './describe';
export * from './rules/allocation';
