/** Data sources: look up existing objects by name (or provider type), exactly one match. */
import { attr, forProviderData, isUnknown, ProviderError, type DataSourceDefinition, type SchemaSpec } from '../framework';
import type { NetforgeClient } from './client';
import { attributeFor, type Field } from './fields';
import { fieldsFromApi } from './resource-builder';

const netforge = forProviderData<NetforgeClient>();

interface DataSourceSpec {
  typeName: string;
  description: string;
  apiPath: string;
  /** Attributes the user may filter by (at least one must be set). */
  filters: Field[];
  /** Everything else read back. */
  computed: Field[];
}

function buildDataSource(spec: DataSourceSpec): DataSourceDefinition<SchemaSpec, NetforgeClient> {
  const attributes: Record<string, ReturnType<typeof attributeFor>> = {
    id: attr.string({ computed: true, description: 'Same as uuid.' }),
    uuid: attr.string({ computed: true, description: 'The object\'s uuid.' }),
  };
  for (const f of spec.filters) attributes[f.tf] = attributeFor({ ...f, mode: 'optionalComputed' });
  for (const f of spec.computed) attributes[f.tf] = attributeFor({ ...f, mode: 'computed' });
  return netforge.dataSource({
    typeName: spec.typeName,
    schema: { description: spec.description, attributes },
    validate(config, ctx) {
      const given = spec.filters.filter((f) => (config as Record<string, unknown>)[f.tf] !== null);
      if (given.length === 0) ctx.diagnostics.error(`${spec.typeName} needs one of: ${spec.filters.map((f) => f.tf).join(', ')}`);
    },
    async read({ config }, ctx) {
      const query = new URLSearchParams();
      for (const f of spec.filters) {
        const v = (config as Record<string, unknown>)[f.tf];
        if (v !== null && !isUnknown(v)) query.set(f.api, String(v));
      }
      const found = await ctx.providerData.request<Array<Record<string, unknown>>>('GET', `/v1/${spec.apiPath}?${query.toString()}`);
      const where = [...query.entries()].map(([k, v]) => `${k}=${v}`).join(', ');
      if (found.length !== 1) {
        throw new ProviderError(`${spec.typeName}: ${found.length === 0 ? 'nothing matches' : `${found.length} objects match`} ${where}`, {
          detail: found.length > 1 ? `Matches: ${found.map((o) => `${String(o.name)} (${String(o.uuid)})`).join(', ')}. Add a filter.` : undefined,
          path: [spec.filters[0].tf],
        });
      }
      return fieldsFromApi([...spec.filters, ...spec.computed], found[0]) as never;
    },
  });
}

const s = (tf: string, api: string, description: string): Field => ({ tf, api, kind: 'string', mode: 'computed', description });

export const dataSources = [
  buildDataSource({
    typeName: 'netforge_zone',
    description: 'An existing zone, by name.',
    apiPath: 'zones',
    filters: [s('name', 'name', 'Zone name.')],
    computed: [s('description', 'description', 'Description.')],
  }),
  buildDataSource({
    typeName: 'netforge_cluster',
    description: 'An existing cluster, by name (and zone).',
    apiPath: 'clusters',
    filters: [s('name', 'name', 'Cluster name.'), s('zone_uuid', 'zoneUuid', 'Zone uuid.')],
    computed: [s('hypervisor_type', 'hypervisorType', 'KVM or Simulator.'), s('description', 'description', 'Description.')],
  }),
  buildDataSource({
    typeName: 'netforge_l2_network',
    description: 'An existing L2 network of any type, by name (and zone).',
    apiPath: 'l2-networks',
    filters: [s('name', 'name', 'L2 network name.'), s('zone_uuid', 'zoneUuid', 'Zone uuid.')],
    computed: [
      s('type', 'type', 'L2NoVlanNetwork, L2VlanNetwork or L2VxlanNetwork.'),
      s('physical_interface', 'physicalInterface', 'Host interface.'),
      { tf: 'vlan', api: 'vlan', kind: 'int', mode: 'computed', description: 'VLAN id (VLAN networks).' },
      { tf: 'vni', api: 'vni', kind: 'int', mode: 'computed', description: 'VNI (VXLAN networks).' },
      { tf: 'attached_cluster_uuids', api: 'attachedClusterUuids', kind: 'stringSet', mode: 'computed', description: 'Clusters it is attached to.' },
    ],
  }),
  buildDataSource({
    typeName: 'netforge_l3_network',
    description: 'An existing L3 network, by name (and L2 network).',
    apiPath: 'l3-networks',
    filters: [s('name', 'name', 'L3 network name.'), s('l2_network_uuid', 'l2NetworkUuid', 'L2 network uuid.')],
    computed: [
      s('cidr', 'cidr', 'CIDR.'),
      s('gateway', 'gateway', 'Gateway.'),
      { tf: 'dns_servers', api: 'dnsServers', kind: 'stringList', mode: 'computed', description: 'DNS servers.' },
    ],
  }),
  buildDataSource({
    typeName: 'netforge_network_service_provider',
    description: 'A network service provider, by name or type (VirtualRouter, Flat, SecurityGroup).',
    apiPath: 'network-service-providers',
    filters: [s('name', 'name', 'Provider name (built-in: vrouter, flat, securitygroup).'), s('type', 'type', 'Provider type.')],
    computed: [{ tf: 'service_types', api: 'serviceTypes', kind: 'stringSet', mode: 'computed', description: 'Services it offers.' }],
  }),
];
