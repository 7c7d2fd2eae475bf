/**
 * The Simulator's network services: which (L3 network, service) is applied by which
 * provider, and failures injected into the backends' apply/release.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { L3Network, NetworkServiceAttachment, ProviderType, ServiceType } from '../../../topology/model';
import { mergeFailures, parseOrThrow, simulatorServicesPatchSchema } from './config';
import { SimulatorHostError, SimulatorInjectedError } from './errors';
import type { SimulatorAppliedService, SimulatorServiceOp, SimulatorServicesState } from './types';

export class SimulatorServices {
  private readonly applied = new Map<string, SimulatorAppliedService>();
  private failures: Partial<Record<SimulatorServiceOp, string>> = {};

  /** @param latencyMs the latency every call waits (the simulator's default host latency) */
  constructor(private readonly latencyMs: () => number) {}

  state(): SimulatorServicesState {
    return { failures: { ...this.failures }, applied: this.appliedServices() };
  }

  /** Services applied, optionally for one L3 network, by L3 uuid then service type. */
  appliedServices(l3NetworkUuid?: string): SimulatorAppliedService[] {
    return [...this.applied.values()]
      .filter((s) => l3NetworkUuid === undefined || s.l3NetworkUuid === l3NetworkUuid)
      .sort((a, b) => a.l3NetworkUuid.localeCompare(b.l3NetworkUuid) || a.serviceType.localeCompare(b.serviceType))
      .map((s) => ({ ...s }));
  }

  /** Injects or clears failures of apply/release (validated; throws SimulatorConfigError). */
  configure(patch: unknown): SimulatorServicesState {
    const p = parseOrThrow(simulatorServicesPatchSchema, patch, 'simulator services config');
    this.failures = mergeFailures(this.failures, p.failures);
    return this.state();
  }

  reset(): void {
    this.applied.clear();
    this.failures = {};
  }

  async apply(providerType: ProviderType, serviceType: ServiceType, l3: L3Network, attachment: NetworkServiceAttachment): Promise<void> {
    await this.wait();
    const failure = this.failures.apply;
    if (failure !== undefined) throw new SimulatorInjectedError(failure, 'apply', null);
    assertAttachmentFits(serviceType, l3, attachment);
    const key = `${l3.uuid}/${serviceType}`;
    const existing = this.applied.get(key);
    if (existing && existing.providerUuid !== attachment.providerUuid) {
      throw new SimulatorHostError(`${serviceType} on L3 network '${l3.name}' (${l3.uuid}) is already provided by provider ${existing.providerUuid} (${existing.providerType})`);
    }
    this.applied.set(key, { l3NetworkUuid: l3.uuid, serviceType, providerType, providerUuid: attachment.providerUuid, attachmentUuid: attachment.uuid });
  }

  async release(serviceType: ServiceType, l3: L3Network, attachment: NetworkServiceAttachment): Promise<void> {
    await this.wait();
    const failure = this.failures.release;
    if (failure !== undefined) throw new SimulatorInjectedError(failure, 'release', null);
    const key = `${l3.uuid}/${serviceType}`;
    if (this.applied.get(key)?.providerUuid === attachment.providerUuid) this.applied.delete(key);
  }

  private async wait(): Promise<void> {
    const ms = this.latencyMs();
    if (ms > 0) await sleep(ms);
  }
}

function assertAttachmentFits(serviceType: ServiceType, l3: L3Network, attachment: NetworkServiceAttachment): void {
  if (attachment.l3NetworkUuid !== l3.uuid) {
    throw new SimulatorHostError(`network service attachment ${attachment.uuid} is for L3 ${attachment.l3NetworkUuid}, not L3 network '${l3.name}' (${l3.uuid})`);
  }
  if (!attachment.services.includes(serviceType)) {
    throw new SimulatorHostError(`network service attachment ${attachment.uuid} does not include ${serviceType} (it has: ${attachment.services.join(', ')})`);
  }
}
