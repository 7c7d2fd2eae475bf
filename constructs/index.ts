/** netforge constructs: private-cloud networking for CDKTF. */
export * from './interfaces';
export * from './netforge-provider';
export * from './zone';
export * from './cluster';
export * from './host';
export * from './l2-network-base';
export * from './l2-novlan-network';
export * from './l2-vlan-network';
export * from './l2-vxlan-network';
export * from './l3-network';
export * from './ip-range';
export * from './network-service-attachment';
export * from './vm-instance';
export { NetforgeValidationError } from './_validation';
export type { HostRoute, ServiceType, ProviderType, HypervisorType } from '../topology/model';
