/**
 * Extension points: the small interfaces through which the control server reaches
 * hypervisors and network service implementations (after ZStack's
 * L2NetworkRealizationExtensionPoint & co). Implementations live under
 * server/hypervisors/<type>/ and are registered in one place (server/extension/registry.ts).
 */
import type { Transaction } from 'sequelize';
import type {
  Host,
  HypervisorType,
  L2Network,
  L2Type,
  L3Network,
  NetworkServiceAttachment,
  ProviderType,
  ServiceType,
  VmNic,
} from '../../topology/model';

/**
 * What one realize (or VM start) call created on one host, by device name: exactly what
 * undoing that call removes. Empty when everything was there already (a reconnect).
 */
export interface Realization {
  readonly created: readonly string[];
}

/**
 * A realize or start that failed part way: `created` lists what it had created before
 * failing, for the caller's rollback (which must not touch anything that was there before).
 * A call that failed before creating anything throws its error as it is.
 */
export class PartialRealizationError extends Error {
  constructor(
    readonly failure: unknown,
    readonly created: readonly string[],
  ) {
    super(failure instanceof Error ? failure.message : String(failure));
    this.name = 'PartialRealizationError';
  }
}

/** A host and the hypervisor type of its cluster: what realization is addressed to. */
export interface HostTarget {
  readonly host: Host;
  readonly hypervisorType: HypervisorType;
}

/** Realizes one L2 type on hosts of one hypervisor type: bridges, VLAN/VXLAN devices. */
export interface L2NetworkRealizationExtensionPoint {
  readonly l2Type: L2Type;
  readonly hypervisorType: HypervisorType;
  /** Verifies the host can carry the network (interface exists, kernel support). Throws on failure. */
  check(l2: L2Network, host: Host): Promise<void>;
  /** Creates what the network needs on the host and is missing. Idempotent. Throws PartialRealizationError. */
  realize(l2: L2Network, host: Host): Promise<Realization>;
  /** Removes what one realize call created (and nothing that was there before it). */
  undo(l2: L2Network, host: Host, realization: Realization): Promise<void>;
  /** Removes everything the network has on the host (detach). Idempotent. */
  delete(l2: L2Network, host: Host): Promise<void>;
}

/** One NIC of a VM being instantiated, with the networks it sits on. */
export interface VmNicSpec {
  nic: VmNic;
  l3: L3Network;
  l2: L2Network;
}

export interface VmInstantiateSpec {
  vmUuid: string;
  vmName: string;
  host: Host;
  nics: VmNicSpec[];
}

/** Prepares host resources a VM needs before it starts (e.g. VXLAN realized on demand). */
export interface PreVmInstantiateResourceExtensionPoint {
  readonly hypervisorType: HypervisorType;
  preInstantiate(spec: VmInstantiateSpec): Promise<void>;
  /** Undoes preInstantiate when a later step of the start fails. */
  releaseOnFailure(spec: VmInstantiateSpec): Promise<void>;
}

/** Starts and destroys VM instances (their NICs plugged into the L2's bridge). */
export interface VmInstanceBackend {
  readonly hypervisorType: HypervisorType;
  /** Starts what is missing of the VM (idempotent); a failed start leaves nothing new behind. */
  start(spec: VmInstantiateSpec): Promise<Realization>;
  destroy(spec: VmInstantiateSpec): Promise<void>;
}

/** What a host should carry according to the database. */
export interface DesiredHostState {
  /** L2 networks attached to the host's cluster. */
  l2s: L2Network[];
  /** VMs placed on the host. */
  vms: VmInstantiateSpec[];
}

/**
 * Brings a host in line with the database when it (re)connects: netforge's devices and VMs
 * on it that nothing in `desired` explains (left by a crash, or by a change made while the
 * host was unreachable) are removed. What is missing is then realized through the other
 * extension points. Only what netforge marked as its own is ever touched.
 */
export interface HostReconcileExtensionPoint {
  readonly hypervisorType: HypervisorType;
  /** Removes what `desired` doesn't explain; returns what was removed (device and namespace names). */
  removeOrphans(host: Host, desired: DesiredHostState): Promise<string[]>;
}

/** Runs after an L2 network is stored, in the same transaction (providers associate with it). */
export interface L2NetworkCreateExtensionPoint {
  readonly name: string;
  afterCreateL2Network(l2: L2Network, tx: Transaction): Promise<void>;
}

/** Implements one service type for one provider type on an L3 network. */
export interface NetworkServiceBackend {
  readonly providerType: ProviderType;
  readonly serviceType: ServiceType;
  apply(l3: L3Network, attachment: NetworkServiceAttachment): Promise<void>;
  release(l3: L3Network, attachment: NetworkServiceAttachment): Promise<void>;
}
