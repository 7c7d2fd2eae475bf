export * from './types';
export * from './number';
export * from './values';
export * from './path';
export * from './msgpack';
export * from './json';
export * from './equality';
