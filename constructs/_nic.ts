/**
 * What EIPs, port forwarding rules and security group memberships share: each names a VM NIC
 * (the VM, and the L3 network of the NIC or else its first NIC's) and needs a service on that
 * L3 network, which the server checks when it creates them.
 */
import type { TerraformResource } from 'cdktf';
import type { Construct } from 'constructs';
import { nicL3Of } from '../topology/evaluator';
import type { ServiceType } from '../topology/model';
import { dependOnAtSynth } from './_dependencies';
import { AppTopology, keyOf } from './_topology';
import { validateAtSynth, withPropNames } from './_validation';
import type { IL3Network, IVmInstance } from './interfaces';

export interface NicOptions {
  /** The VM whose NIC it is. */
  readonly vm: IVmInstance;
  /**
   * The L3 network of the NIC.
   * @default the VM's first NIC's
   */
  readonly l3Network?: IL3Network;
}

/** How violations about these objects name their fields: after the constructs' props. */
export const NIC_PROP_NAMES: Readonly<Record<string, string>> = {
  vmInstanceUuid: 'vm',
  l3NetworkUuid: 'l3Network',
  vipUuid: 'vip',
  securityGroupUuid: 'securityGroup',
};

/** The NIC as the rules see it: the keys of the VM and of the L3 network given. */
export function nicFacts(nic: NicOptions): { vmInstanceUuid: string; l3NetworkUuid?: string } {
  const vmInstanceUuid = keyOf(nic.vm, nic.vm.vmInstanceUuid);
  return nic.l3Network ? { vmInstanceUuid, l3NetworkUuid: keyOf(nic.l3Network, nic.l3Network.l3NetworkUuid) } : { vmInstanceUuid };
}

type NicType = 'eip' | 'portForwardingRule' | 'securityGroupAttachment';

/**
 * The NIC's L3 network must offer `service`: checked at synth by the evaluator's `rule`
 * (services attached after this construct count), and the resource is created after the
 * attachments offering it, as the server refuses it before.
 */
export function needsServiceOnNic(construct: Construct, type: NicType, rule: string, service: ServiceType, resource: TerraformResource, nic: NicOptions): void {
  const topology = AppTopology.of(construct);
  validateAtSynth(construct, () => withPropNames(topology.check(type, construct, { rules: [rule] }), NIC_PROP_NAMES));
  dependOnAtSynth(resource, () => {
    const l3 = nicL3Of(topology.snapshot, nicFacts(nic));
    if (!l3) return [];
    const serving = topology.snapshot.find({ type: 'networkServiceAttachment', where: { l3NetworkUuid: l3 } }).filter((a) => a.services?.includes(service));
    return topology.resources(serving.map((a) => a.uuid));
  });
}
