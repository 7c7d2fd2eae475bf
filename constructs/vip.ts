import { Construct } from 'constructs';
import { OBJECTS } from '../contract/objects';
import { dependOnAtSynth } from './_dependencies';
import { AppTopology, keyOf, known } from './_topology';
import { assertValid, withoutUnresolved } from './_validation';
import { DataNetforgeVip } from './imports/providers/netforge/data-netforge-vip';
import { Vip as VipResource } from './imports/providers/netforge/vip';
import type { IL3Network, IVip } from './interfaces';

export type { IVip };

export interface VipProps {
  /** The L3 network it is an address of: for EIPs and port forwarding, the virtual router's public network. */
  readonly l3Network: IL3Network;
  /**
   * The address: in an IP range of the L3 network, and free.
   * @default the next free address of the L3 network's ranges
   */
  readonly ip?: string;
  /** @default the construct id */
  readonly name?: string;
  /** @default '' */
  readonly description?: string;
}

/** A VIP that exists on the server, looked up by name at plan time (a netforge_vip data source). */
export class ImportedVip extends DataNetforgeVip implements IVip {
  readonly vipName: string;

  constructor(scope: Construct, id: string, name: string) {
    super(scope, id, { name });
    this.vipName = name;
    AppTopology.of(this).register('vip', this, { name: known(name) }, { complete: false });
  }

  get vipUuid(): string {
    return this.uuid;
  }
}

/** A virtual IP on an L3 network, for one EIP or for port forwarding rules (never both). */
export class Vip extends Construct implements IVip {
  /** An existing VIP on the server, looked up by name at plan time. */
  static fromName(scope: Construct, id: string, name: string): ImportedVip {
    return new ImportedVip(scope, id, name);
  }

  readonly vipUuid: string;
  /** The address given, else the one allocated (known after apply). */
  readonly ip: string;
  readonly vipName: string;
  readonly l3Network: IL3Network;
  readonly resource: VipResource;

  constructor(scope: Construct, id: string, props: VipProps) {
    super(scope, id);
    const name = props.name ?? id;
    const fields = { name, description: props.description, ip: props.ip };
    assertValid(this, withoutUnresolved(OBJECTS.vip.rules?.(fields) ?? [], fields));
    this.l3Network = props.l3Network;
    this.resource = new VipResource(this, 'Resource', { name, l3NetworkUuid: props.l3Network.l3NetworkUuid, ip: props.ip, description: props.description });
    this.node.defaultChild = this.resource;
    this.vipUuid = this.resource.uuid;
    this.ip = this.resource.ip;
    this.vipName = name;
    const topology = AppTopology.of(this);
    const l3Key = keyOf(props.l3Network, props.l3Network.l3NetworkUuid);
    topology.register('vip', this, { name: known(name), l3NetworkUuid: l3Key, ip: known(props.ip) }, { complete: true, resource: this.resource });
    // Its address comes from the L3 network's ranges: created after them, like a VM.
    dependOnAtSynth(this.resource, () => topology.resources(topology.snapshot.find({ type: 'ipRange', where: { l3NetworkUuid: l3Key } }).map((r) => r.uuid)));
  }
}
