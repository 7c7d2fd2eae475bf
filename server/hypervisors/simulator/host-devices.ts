/**
 * One simulated host: its devices and what KVM would do to them (check an L2 network fits,
 * create its devices, delete them, plug VM NICs). The operations are synchronous; the
 * state (state.ts) wraps them with latency, injected failures and the operation log.
 */
import type { L2Network } from '../../../topology/model';
import { describeHost as describeAnyHost, describeL2 } from '../../../topology/describe';
import { l2DeviceNames, vmNicDeviceName } from '../../../hosts/linux/device-names';
import type { VmInstantiateSpec } from '../../extension/points';
import type { NftBatch } from '../../../hosts/services/nft';
import { SimulatorHostError } from './errors';
import type { SimulatorDevice, SimulatorFailableOp, SimulatorInterfaces, SimulatorOpLogEntry, SimulatorServiceEndpoint, SimulatorVmNicDevice } from './types';

export type L2Ref = Pick<L2Network, 'uuid' | 'name' | 'type' | 'physicalInterface' | 'vlan' | 'vni'>;

export interface HostRecord {
  uuid: string;
  name: string | null;
  managementIp: string | null;
  latencyMs: number | undefined;
  interfaces: SimulatorInterfaces | undefined;
  failures: Partial<Record<SimulatorFailableOp, string>>;
  devices: Map<string, SimulatorDevice>;
  opLog: SimulatorOpLogEntry[];
  nextSeq: number;
  /** vmUuid -> L2 uuids preInstantiate realized for that VM (releaseOnFailure undoes them). */
  realizedOnDemand: Map<string, Set<string>>;
  /** Network service endpoints the host runs, by key. */
  endpoints: Map<string, SimulatorServiceEndpoint>;
  /** Its security group filter (what KVM loads as table inet netforge_sg); null: nothing filtered. */
  firewall: { filter: NftBatch; portGuard: NftBatch } | null;
}

export function describeHost(rec: HostRecord): string {
  return describeAnyHost({ uuid: rec.uuid, name: rec.name, managementIp: rec.managementIp });
}

export function byName(a: SimulatorDevice, b: SimulatorDevice): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

export function copyDevice(d: SimulatorDevice): SimulatorDevice {
  return { ...d };
}

/** A new host record: no devices, no configuration of its own. */
export function newHostRecord(uuid: string): HostRecord {
  return {
    uuid,
    name: null,
    managementIp: null,
    latencyMs: undefined,
    interfaces: undefined,
    failures: {},
    devices: new Map(),
    opLog: [],
    nextSeq: 1,
    realizedOnDemand: new Map(),
    endpoints: new Map(),
    firewall: null,
  };
}

/** The devices `l2` needs on a host, bridge first (the order realize creates them in). */
function plannedDevices(l2: L2Ref): SimulatorDevice[] {
  const names = l2DeviceNames(l2);
  const out: SimulatorDevice[] = [{ type: 'bridge', name: names.bridge, l2NetworkUuid: l2.uuid }];
  if (names.vlanDevice !== undefined) {
    out.push({ type: 'vlan', name: names.vlanDevice, l2NetworkUuid: l2.uuid, parent: l2.physicalInterface, vlan: l2.vlan ?? 0, bridge: names.bridge });
  }
  if (names.vxlanDevice !== undefined) {
    out.push({ type: 'vxlan', name: names.vxlanDevice, l2NetworkUuid: l2.uuid, vni: l2.vni ?? 0, underlay: l2.physicalInterface, bridge: names.bridge });
  }
  return out;
}

/** Throws what a real host would refuse: no such interface, a device of someone else in the way. */
export function checkL2(rec: HostRecord, l2: L2Ref, interfaces: SimulatorInterfaces): void {
  if (interfaces !== 'any' && !interfaces.includes(l2.physicalInterface)) {
    throw new SimulatorHostError(
      `${describeHost(rec)} has no physical interface '${l2.physicalInterface}' needed by ${describeL2(l2)} (it has: ${interfaces.length > 0 ? interfaces.join(', ') : 'none'})`,
    );
  }
  for (const d of plannedDevices(l2)) {
    const existing = rec.devices.get(d.name);
    if (!existing) continue;
    const owner = existing.type === 'vmNic' ? `VM ${existing.vmUuid}` : `L2 network ${existing.l2NetworkUuid}`;
    if (existing.type === 'vmNic' || existing.l2NetworkUuid !== l2.uuid) {
      throw new SimulatorHostError(`${describeHost(rec)} cannot carry ${describeL2(l2)}: device ${d.name} already exists and belongs to ${owner}`);
    }
  }
}

/** Creates the devices `l2` needs that are missing (only its bridge with `bridgeOnly`); returns their names. */
export function realizeL2(rec: HostRecord, l2: L2Ref, interfaces: SimulatorInterfaces, opts: { bridgeOnly?: boolean } = {}): string[] {
  checkL2(rec, l2, interfaces);
  const planned = plannedDevices(l2);
  const created: string[] = [];
  for (const d of opts.bridgeOnly ? planned.slice(0, 1) : planned) {
    if (!rec.devices.has(d.name)) created.push(d.name);
    rec.devices.set(d.name, d);
  }
  return created;
}

/** Deletes the named devices of `l2` (what one realize created). */
export function undoL2(rec: HostRecord, l2: Pick<L2Network, 'uuid'>, created: readonly string[]): void {
  for (const name of created) {
    const d = rec.devices.get(name);
    if (d && d.type !== 'vmNic' && d.l2NetworkUuid === l2.uuid) rec.devices.delete(name);
  }
}

/** Deletes every device of `l2`; refused while VM NICs are plugged into it. */
export function deleteL2(rec: HostRecord, l2: Pick<L2Network, 'uuid' | 'name'>): void {
  const plugged = nicsOnL2(rec, l2.uuid);
  if (plugged.length > 0) {
    throw new SimulatorHostError(
      `cannot delete ${describeL2(l2)} from ${describeHost(rec)}: VM NICs still plugged into it: ${plugged.map((n) => `${n.name} (VM ${n.vmUuid})`).join(', ')}`,
    );
  }
  for (const [name, d] of rec.devices) {
    if (d.type !== 'vmNic' && d.l2NetworkUuid === l2.uuid) rec.devices.delete(name);
  }
}

export function isRealized(rec: HostRecord, l2: L2Ref): boolean {
  return plannedDevices(l2).every((d) => {
    const existing = rec.devices.get(d.name);
    return existing !== undefined && existing.type !== 'vmNic' && existing.l2NetworkUuid === l2.uuid;
  });
}

export function nicsOnL2(rec: HostRecord, l2Uuid: string): SimulatorVmNicDevice[] {
  const out: SimulatorVmNicDevice[] = [];
  for (const d of rec.devices.values()) {
    if (d.type === 'vmNic' && d.l2NetworkUuid === l2Uuid) out.push(d);
  }
  return out.sort(byName);
}

/** The L2 networks of a VM's NICs, each once. */
export function uniqueL2s(spec: VmInstantiateSpec): L2Network[] {
  const seen = new Map<string, L2Network>();
  for (const n of spec.nics) if (!seen.has(n.l2.uuid)) seen.set(n.l2.uuid, n.l2);
  return [...seen.values()];
}

/** Plugs each NIC of the VM into its L2's bridge (which must be realized); returns the NICs it added. */
/** Who answers a NIC's DHCP request: the endpoint's host and key, or null when no server has its lease. */
export type LeaseFinder = (nic: { mac: string; ip: string; l3NetworkUuid: string }) => { hostUuid: string; endpoint: string } | null;

export function plugVmNics(rec: HostRecord, spec: VmInstantiateSpec, findLease: LeaseFinder): string[] {
  const planned: SimulatorVmNicDevice[] = [];
  for (const { nic, l3, l2, dhcp } of spec.nics) {
    const { bridge } = l2DeviceNames(l2);
    const b = rec.devices.get(bridge);
    if (!b || b.type !== 'bridge' || b.l2NetworkUuid !== l2.uuid) {
      throw new SimulatorHostError(`cannot start VM '${spec.vmName}' (${spec.vmUuid}) on ${describeHost(rec)}: bridge ${bridge} of ${describeL2(l2)} is not realized there`);
    }
    if (l3.l2NetworkUuid !== l2.uuid || nic.l3NetworkUuid !== l3.uuid) {
      throw new SimulatorHostError(
        `cannot start VM '${spec.vmName}' (${spec.vmUuid}): NIC ${nic.uuid} is on L3 ${nic.l3NetworkUuid}, spec gives L3 ${l3.uuid} on L2 ${l3.l2NetworkUuid} and ${describeL2(l2)}`,
      );
    }
    const name = vmNicDeviceName(nic.uuid);
    const existing = rec.devices.get(name);
    if (existing && !(existing.type === 'vmNic' && existing.nicUuid === nic.uuid && existing.vmUuid === spec.vmUuid)) {
      throw new SimulatorHostError(`cannot start VM '${spec.vmName}' (${spec.vmUuid}) on ${describeHost(rec)}: device ${name} already exists`);
    }
    const base = { type: 'vmNic' as const, name, vmUuid: spec.vmUuid, nicUuid: nic.uuid, l3NetworkUuid: l3.uuid, l2NetworkUuid: l2.uuid, bridge, mac: nic.mac, ip: nic.ip };
    if (!dhcp) {
      planned.push({ ...base, addressing: 'static' });
      continue;
    }
    // The guest asks DHCP; an earlier start that got the lease keeps it.
    const leasedFrom = existing?.type === 'vmNic' && existing.addressing === 'dhcp' && existing.ip === nic.ip ? existing.leasedFrom : findLease({ mac: nic.mac, ip: nic.ip, l3NetworkUuid: l3.uuid });
    if (!leasedFrom) {
      throw new SimulatorHostError(`cannot start VM '${spec.vmName}' (${spec.vmUuid}) on ${describeHost(rec)}: no DHCP server answered for NIC ${nic.mac} (${nic.ip}) on L3 network '${l3.name}'`);
    }
    planned.push({ ...base, addressing: 'dhcp', leasedFrom });
  }
  const added: string[] = [];
  for (const d of planned) {
    if (!rec.devices.has(d.name)) added.push(d.name);
    rec.devices.set(d.name, d);
  }
  return added;
}

/** Unplugs every NIC of the VM. */
export function unplugVm(rec: HostRecord, vmUuid: string): void {
  for (const [name, d] of rec.devices) {
    if (d.type === 'vmNic' && d.vmUuid === vmUuid) rec.devices.delete(name);
  }
  rec.realizedOnDemand.delete(vmUuid);
}
