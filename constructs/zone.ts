import { Construct } from 'constructs';
import { validateDescription, validateName } from '../topology/rules/names';
import { assertValid, withoutUnresolved } from './_validation';
import { DataNetforgeZone } from './imports/providers/netforge/data-netforge-zone';
import { Zone as ZoneResource } from './imports/providers/netforge/zone';

/** A zone: the scope of clusters and L2 networks. */
export interface IZone {
  readonly zoneUuid: string;
  readonly zoneName: string;
}

export interface ZoneProps {
  /** @default the construct id */
  readonly name?: string;
  /** @default '' */
  readonly description?: string;
}

export class Zone extends Construct implements IZone {
  /** An existing zone on the server, looked up by name at plan time. */
  static fromName(scope: Construct, id: string, name: string): IZone {
    const data = new DataNetforgeZone(scope, id, { name });
    return { zoneUuid: data.uuid, zoneName: name };
  }

  readonly zoneUuid: string;
  readonly zoneName: string;
  readonly resource: ZoneResource;

  constructor(scope: Construct, id: string, props: ZoneProps = {}) {
    super(scope, id);
    const name = props.name ?? id;
    const fields = { name, description: props.description };
    assertValid(this, withoutUnresolved([...validateName(name), ...validateDescription(props.description)], fields));
    this.resource = new ZoneResource(this, 'Resource', { name, description: props.description });
    this.node.defaultChild = this.resource;
    this.zoneUuid = this.resource.uuid;
    this.zoneName = name;
  }
}
