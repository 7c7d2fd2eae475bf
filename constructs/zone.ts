import { Construct } from 'constructs';
import { OBJECTS } from '../contract/objects';
import { AppTopology, known } from './_topology';
import { assertValid, withoutUnresolved } from './_validation';
import { DataNetforgeZone } from './imports/providers/netforge/data-netforge-zone';
import { Zone as ZoneResource } from './imports/providers/netforge/zone';
import type { IZone } from './interfaces';

export type { IZone };

export interface ZoneProps {
  /** @default the construct id */
  readonly name?: string;
  /** @default '' */
  readonly description?: string;
}

/** A zone that exists on the server, looked up by name at plan time (a netforge_zone data source). */
export class ImportedZone extends DataNetforgeZone implements IZone {
  readonly zoneName: string;

  constructor(scope: Construct, id: string, name: string) {
    super(scope, id, { name });
    this.zoneName = name;
    AppTopology.of(this).register('zone', this, { name: known(name) }, { complete: false });
  }

  get zoneUuid(): string {
    return this.uuid;
  }
}

/** A zone: the scope of clusters and L2 networks. */
export class Zone extends Construct implements IZone {
  /** An existing zone on the server, looked up by name at plan time. */
  static fromName(scope: Construct, id: string, name: string): ImportedZone {
    return new ImportedZone(scope, id, name);
  }

  readonly zoneUuid: string;
  readonly zoneName: string;
  readonly resource: ZoneResource;

  constructor(scope: Construct, id: string, props: ZoneProps = {}) {
    super(scope, id);
    const name = props.name ?? id;
    const fields = { name, description: props.description };
    assertValid(this, withoutUnresolved(OBJECTS.zone.rules?.(fields) ?? [], fields));
    this.resource = new ZoneResource(this, 'Resource', { name, description: props.description });
    this.node.defaultChild = this.resource;
    this.zoneUuid = this.resource.uuid;
    this.zoneName = name;
    AppTopology.of(this).register('zone', this, { name: known(name) }, { complete: true, resource: this.resource });
  }
}
