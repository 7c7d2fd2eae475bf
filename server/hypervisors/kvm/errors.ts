/** Errors of the KVM backend. Both name the host (and the network or VM) they are about. */
import { CodedError } from '../../../lib/coded-error';
import type { Host } from '../../../topology/model';

export { describeHost, describeL2 } from '../../../topology/describe';

export type HostRef = Pick<Host, 'uuid' | 'name' | 'managementIp'> & Partial<Pick<Host, 'agentFingerprint'>>;

/** The host can't do what was asked: missing interface, unsupported kernel feature, a device in the way. */
export class KvmHostError extends CodedError<'KVM_HOST_ERROR'> {
  constructor(message: string) {
    super('KVM_HOST_ERROR', message);
  }
}

/**
 * The request itself is invalid (an interface name, IP or MAC that must never reach a
 * command). Thrown before anything runs on a host.
 */
export class KvmInvalidInputError extends CodedError<'KVM_INVALID_INPUT'> {
  constructor(message: string) {
    super('KVM_INVALID_INPUT', message);
  }
}
