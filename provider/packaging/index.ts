export * from './build';
export * from './install';
export { packageHashV1 } from './dirhash';
