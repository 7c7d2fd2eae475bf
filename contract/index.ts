/**
 * The API contract: every object type declared once (objects.ts) with its request schemas,
 * fields and Terraform names, the error codes, and the Terraform/API value mapping.
 */
export * from './object-types';
export * from './fields';
export * from './schemas';
export * from './objects';
export * from './error-codes';
export * from './terraform';
export * from './validate';
export * from './batch-read';
export * from './overview';
export * from './service-endpoints';
export { OBJECT_TYPES, TYPE_NAMES } from '../topology/model';
