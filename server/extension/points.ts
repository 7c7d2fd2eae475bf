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

/** Realizes one L2 type on hosts of one hypervisor type: bridges, VLAN/VXLAN devices. */
export interface L2NetworkRealizationExtensionPoint {
  readonly l2Type: L2Type;
  readonly hypervisorType: HypervisorType;
  /** Verifies the host can carry the network (interface exists, kernel support). Throws on failure. */
  check(l2: L2Network, host: Host): Promise<void>;
  /** Creates what the network needs on the host. Idempotent. */
  realize(l2: L2Network, host: Host): Promise<void>;
  /** Removes exactly what realize created. Idempotent. */
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
  start(spec: VmInstantiateSpec): Promise<void>;
  destroy(spec: VmInstantiateSpec): Promise<void>;
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
