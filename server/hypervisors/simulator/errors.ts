/** The Simulator's errors: an injected failure, what a real host would refuse, and bad configuration input. */
import { CodedError } from '../../../lib/coded-error';
import type { SimulatorFailableOp } from './types';

/** The failure a test or demo injected; its message is exactly the configured string. */
export class SimulatorInjectedError extends CodedError<'SIMULATOR_INJECTED_FAILURE'> {
  constructor(
    message: string,
    readonly op: SimulatorFailableOp,
    readonly hostUuid: string | null,
  ) {
    super('SIMULATOR_INJECTED_FAILURE', message);
  }
}

/** What a real host would refuse: missing interface, device conflict, bridge not realized. */
export class SimulatorHostError extends CodedError<'SIMULATOR_HOST_ERROR'> {
  constructor(message: string) {
    super('SIMULATOR_HOST_ERROR', message);
  }
}

/** Invalid configuration input, with a detail per problem (the API answers 400 INVALID_SIMULATOR_CONFIG). */
export class SimulatorConfigError extends CodedError<'INVALID_SIMULATOR_CONFIG'> {
  constructor(
    message: string,
    readonly details: ReadonlyArray<{ path: string; message: string }>,
  ) {
    super('INVALID_SIMULATOR_CONFIG', message);
  }
}
