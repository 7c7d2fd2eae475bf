/** The rule evaluator: which objects each cross-object rule compares, over any view. */
export * from './view';
export * from './snapshot';
export * from './rules';
export * from './deletion';
export * from './evaluate';
