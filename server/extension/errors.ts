/**
 * Errors of the extension layer. A lookup that finds no implementation is an ApiError
 * (501: the deployment has no plugin for the requested combination); registering a
 * duplicate or malformed implementation is a wiring bug found at startup.
 */
import type { HypervisorType, L2Type, ProviderType, ServiceType } from '../../topology/model';
import { CodedError } from '../../lib/coded-error';
import { ApiError, type ErrorDetail } from '../errors';

export type { ErrorDetail };

/** Which extension point a registry key belongs to. */
export type ExtensionKind =
  | 'L2NetworkRealization'
  | 'PreVmInstantiateResource'
  | 'VmInstanceBackend'
  | 'L2NetworkCreate'
  | 'NetworkServiceBackend'
  | 'NetworkServiceRealizer'
  | 'HostReconcile';

export interface ExtensionKey {
  l2Type?: L2Type;
  hypervisorType?: HypervisorType;
  providerType?: ProviderType;
  serviceType?: ServiceType;
  name?: string;
}

/** A lookup found no implementation for the key: a missing plugin or an unsupported combination. */
export class ExtensionNotFoundError extends ApiError {
  constructor(
    readonly kind: ExtensionKind,
    readonly key: Readonly<ExtensionKey>,
    message: string,
  ) {
    super(501, 'EXTENSION_NOT_FOUND', message, [{ path: `extensions.${kind}`, message }]);
  }
}

/** A second implementation was registered for a key that already has one. */
export class DuplicateExtensionError extends Error {
  readonly code = 'EXTENSION_ALREADY_REGISTERED';
  readonly details: ErrorDetail[];
  constructor(
    readonly kind: ExtensionKind,
    readonly key: Readonly<ExtensionKey>,
    message: string,
  ) {
    super(message);
    this.name = 'DuplicateExtensionError';
    this.details = [{ path: `extensions.${kind}`, message }];
  }
}

/** An implementation declares a key the model doesn't know (e.g. a typo'd L2 type). */
export class InvalidExtensionError extends CodedError<'INVALID_EXTENSION'> {
  constructor(message: string) {
    super('INVALID_EXTENSION', message);
  }
}
