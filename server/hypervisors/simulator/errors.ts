/** The Simulator's errors: an injected failure, what a real host would refuse, and bad configuration input. */
import type { SimulatorFailableOp, SimulatorServiceOp } from './types';

/** The failure a test or demo injected; its message is exactly the configured string. */
export class SimulatorInjectedError extends Error {
  readonly code = 'SIMULATOR_INJECTED_FAILURE';
  constructor(
    message: string,
    readonly op: SimulatorFailableOp | SimulatorServiceOp,
    readonly hostUuid: string | null,
  ) {
    super(message);
    this.name = 'SimulatorInjectedError';
  }
}

/** What a real host would refuse: missing interface, device conflict, bridge not realized. */
export class SimulatorHostError extends Error {
  readonly code = 'SIMULATOR_HOST_ERROR';
  constructor(message: string) {
    super(message);
    this.name = 'SimulatorHostError';
  }
}

/** Invalid configuration input, with a detail per problem (the API answers 400 INVALID_SIMULATOR_CONFIG). */
export class SimulatorConfigError extends Error {
  readonly code = 'INVALID_SIMULATOR_CONFIG';
  constructor(
    message: string,
    readonly details: ReadonlyArray<{ path: string; message: string }>,
  ) {
    super(message);
    this.name = 'SimulatorConfigError';
  }
}
