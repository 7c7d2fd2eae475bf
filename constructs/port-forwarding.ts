import { Construct } from 'constructs';
import { OBJECTS } from '../contract/objects';
import type { PortForwardingProtocol } from '../topology/model';
import { needsServiceOnNic, NIC_PROP_NAMES, nicFacts, type NicOptions } from './_nic';
import { AppTopology, keyOf, known } from './_topology';
import { assertValid, withoutUnresolved, withPropNames } from './_validation';
import { PortForwardingRule as PortForwardingRuleResource } from './imports/providers/netforge/port-forwarding-rule';
import type { IVip } from './interfaces';

/** Ports start-end, both included. */
export interface PortRange {
  readonly start: number;
  readonly end: number;
}

export interface PortForwardingProps extends NicOptions {
  /** The VIP: it may serve other forwarding rules (other ports), never an EIP. */
  readonly vip: IVip;
  readonly protocol: PortForwardingProtocol;
  /** The VIP port, or range of ports, forwarded. */
  readonly vipPort: number | PortRange;
  /**
   * Where on the VM they go: a range as long as the VIP's, or the first port of one.
   * @default the VIP ports
   */
  readonly guestPort?: number | PortRange;
  /**
   * Only sources in this IPv4 network may use it.
   * @default any source
   */
  readonly allowedCidr?: string;
  /** @default the construct id */
  readonly name?: string;
  /** @default '' */
  readonly description?: string;
}

/** The API's fields for a port or range: a single port leaves the end to the server's default. */
function portFields(port: number | PortRange): { start: number; end?: number } {
  return typeof port === 'number' ? { start: port } : { start: port.start, end: port.end };
}

/** How violations name the ports: after the props. */
const PORT_PROP_NAMES: Readonly<Record<string, string>> = { vipPortStart: 'vipPort', vipPortEnd: 'vipPort', guestPortStart: 'guestPort', guestPortEnd: 'guestPort' };

/**
 * Forwards a protocol and port range of a VIP to a VM NIC (a netforge_port_forwarding_rule).
 * The NIC's L3 network needs the PortForwarding service (a virtual router whose public
 * network is the VIP's).
 */
export class PortForwarding extends Construct {
  readonly portForwardingRuleUuid: string;
  /** The VIP's address (known after apply). */
  readonly vipIp: string;
  /** The NIC's address (known after apply). */
  readonly guestIp: string;
  readonly resource: PortForwardingRuleResource;

  constructor(scope: Construct, id: string, props: PortForwardingProps) {
    super(scope, id);
    const name = props.name ?? id;
    const vip = portFields(props.vipPort);
    const guest: { start?: number; end?: number } = props.guestPort === undefined ? {} : portFields(props.guestPort);
    const fields = {
      name,
      description: props.description,
      protocol: props.protocol,
      vipPortStart: vip.start,
      vipPortEnd: vip.end,
      guestPortStart: guest.start,
      guestPortEnd: guest.end,
      allowedCidr: props.allowedCidr,
    };
    const topology = AppTopology.of(this);
    const facts = {
      name: known(name),
      vipUuid: keyOf(props.vip, props.vip.vipUuid),
      protocol: known(props.protocol),
      vipPortStart: known(vip.start),
      vipPortEnd: known(vip.end ?? vip.start),
      allowedCidr: known(props.allowedCidr ?? null),
      ...nicFacts(props),
    };
    // Against the VM's NICs and the EIPs and forwarding rules made before; the service at synth.
    assertValid(this, [
      ...withPropNames(withoutUnresolved(OBJECTS.portForwardingRule.rules?.(fields) ?? [], fields), PORT_PROP_NAMES),
      ...withPropNames(topology.checkObject('portForwardingRule', { uuid: this.node.path, ...facts }, { rules: ['nicExists', 'vipAvailable', 'portsFree'] }), { ...NIC_PROP_NAMES, ...PORT_PROP_NAMES }),
    ]);
    this.resource = new PortForwardingRuleResource(this, 'Resource', {
      name,
      vipUuid: props.vip.vipUuid,
      protocol: props.protocol,
      vipPortStart: vip.start,
      vipPortEnd: vip.end,
      vmInstanceUuid: props.vm.vmInstanceUuid,
      l3NetworkUuid: props.l3Network?.l3NetworkUuid,
      guestPortStart: guest.start,
      guestPortEnd: guest.end,
      allowedCidr: props.allowedCidr,
      description: props.description,
    });
    this.node.defaultChild = this.resource;
    this.portForwardingRuleUuid = this.resource.uuid;
    this.vipIp = this.resource.vipIp;
    this.guestIp = this.resource.guestIp;
    topology.register('portForwardingRule', this, facts, { complete: true, resource: this.resource });
    needsServiceOnNic(this, 'portForwardingRule', 'PortForwardingAttached', 'PortForwarding', this.resource, props);
  }
}
