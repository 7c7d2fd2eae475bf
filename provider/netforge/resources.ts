/** The netforge resources: names and attributes are the provider's public interface. */
import { validateManagementIp } from '../../topology/rules/hosts';
import { validateL2Spec } from '../../topology/rules/l2';
import { validateIpRangeEnds, validateL3Spec } from '../../topology/rules/l3';
import { validateDescription, validateName } from '../../topology/rules/names';
import { validateServiceList } from '../../topology/rules/services';
import { violation, type Violation } from '../../topology/violation';
import type { L2Type } from '../../topology/model';
import type { Field } from './fields';
import { buildResource, type ResourceSpec } from './resource-builder';

const name: Field = { tf: 'name', api: 'name', kind: 'string', mode: 'required', updatable: true, description: 'Name: 1-128 letters, digits, spaces and . _ : @ ( ) / + , -' };
const description: Field = {
  tf: 'description',
  api: 'description',
  kind: 'string',
  mode: 'optionalComputed',
  default: '',
  updatable: true,
  description: 'Free text.',
};
const zoneUuid: Field = { tf: 'zone_uuid', api: 'zoneUuid', kind: 'string', mode: 'required', replace: true, description: 'Zone uuid.' };

const named = (api: Record<string, unknown>): Violation[] => [
  ...(api.name !== undefined ? validateName(api.name) : []),
  ...validateDescription(api.description),
];

export const zoneSpec: ResourceSpec = {
  typeName: 'netforge_zone',
  description: 'A zone: the scope of clusters and L2 networks.',
  apiPath: 'zones',
  apiType: 'zone',
  fields: [name, description],
  rules: named,
};

export const clusterSpec: ResourceSpec = {
  typeName: 'netforge_cluster',
  description: 'A cluster of hosts of one hypervisor type.',
  apiPath: 'clusters',
  apiType: 'cluster',
  fields: [
    name,
    zoneUuid,
    { tf: 'hypervisor_type', api: 'hypervisorType', kind: 'string', mode: 'required', replace: true, description: 'KVM or Simulator.' },
    description,
  ],
  rules: (api) => [
    ...named(api),
    ...(api.hypervisorType !== undefined && !['KVM', 'Simulator'].includes(api.hypervisorType as string)
      ? [violation('INVALID_HYPERVISOR_TYPE', 'hypervisorType', `hypervisor_type must be KVM or Simulator, got ${JSON.stringify(api.hypervisorType)}`)]
      : []),
  ],
};

export const hostSpec: ResourceSpec = {
  typeName: 'netforge_host',
  description: 'A hypervisor host in a cluster; attached L2 networks are realized on it.',
  apiPath: 'hosts',
  apiType: 'host',
  fields: [
    name,
    { tf: 'cluster_uuid', api: 'clusterUuid', kind: 'string', mode: 'required', replace: true, description: 'Cluster uuid.' },
    { tf: 'management_ip', api: 'managementIp', kind: 'string', mode: 'required', replace: true, description: 'Address the server reaches the host at.' },
    {
      tf: 'agent_fingerprint',
      api: 'agentFingerprint',
      kind: 'string',
      mode: 'optional',
      updatable: true,
      description: 'KVM hosts: sha256:<hex> of the host agent\'s certificate (`netforge agent` prints it); the server talks only to that agent.',
    },
    description,
    { tf: 'state', api: 'state', kind: 'string', mode: 'computed', description: 'Connected, Disconnected or Maintenance.' },
  ],
  rules: (api) => [
    ...named(api),
    ...(api.managementIp !== undefined ? validateManagementIp(api.managementIp) : []),
  ],
};

function l2Spec(typeName: string, type: L2Type, extra: Field[], what: string): ResourceSpec {
  return {
    typeName,
    description: `${what} Attach it to clusters with netforge_l2_network_cluster_attachment.`,
    apiPath: 'l2-networks',
    apiType: 'l2Network',
    constants: { type },
    fields: [
      name,
      zoneUuid,
      {
        tf: 'physical_interface',
        api: 'physicalInterface',
        kind: 'string',
        mode: 'required',
        replace: true,
        description: 'Host interface the network rides on (e.g. eth0); 1-15 characters.',
      },
      ...extra,
      description,
    ],
    rules: (api) => [...named(api), ...validateL2Spec(api as never)],
  };
}

export const l2NoVlanSpec = l2Spec('netforge_l2_novlan_network', 'L2NoVlanNetwork', [], 'An untagged L2 network (a bridge on the interface).');
export const l2VlanSpec = l2Spec(
  'netforge_l2_vlan_network',
  'L2VlanNetwork',
  [{ tf: 'vlan', api: 'vlan', kind: 'int', mode: 'required', replace: true, description: 'VLAN id, 1-4094.' }],
  'An 802.1Q VLAN L2 network.',
);
export const l2VxlanSpec = l2Spec(
  'netforge_l2_vxlan_network',
  'L2VxlanNetwork',
  [{ tf: 'vni', api: 'vni', kind: 'int', mode: 'required', replace: true, description: 'VXLAN network identifier, 1-16777214, unique in the zone.' }],
  'A VXLAN overlay L2 network.',
);

export const l2AttachmentSpec: ResourceSpec = {
  typeName: 'netforge_l2_network_cluster_attachment',
  description: 'Attaches an L2 network to a cluster: realized on every host of the cluster, removed on destroy.',
  apiPath: 'l2-cluster-attachments',
  apiType: 'l2ClusterAttachment',
  fields: [
    { tf: 'l2_network_uuid', api: 'l2NetworkUuid', kind: 'string', mode: 'required', replace: true, description: 'L2 network uuid.' },
    { tf: 'cluster_uuid', api: 'clusterUuid', kind: 'string', mode: 'required', replace: true, description: 'Cluster uuid.' },
  ],
};

export const l3Spec: ResourceSpec = {
  typeName: 'netforge_l3_network',
  description: 'A subnet on an L2 network.',
  apiPath: 'l3-networks',
  apiType: 'l3Network',
  fields: [
    name,
    { tf: 'l2_network_uuid', api: 'l2NetworkUuid', kind: 'string', mode: 'required', replace: true, description: 'L2 network uuid.' },
    { tf: 'cidr', api: 'cidr', kind: 'string', mode: 'required', replace: true, description: 'Network in CIDR form, e.g. 10.0.0.0/24.' },
    {
      tf: 'gateway',
      api: 'gateway',
      kind: 'string',
      mode: 'optionalComputed',
      replace: true,
      description: 'Gateway; defaults to the first usable address.',
    },
    { tf: 'dns_servers', api: 'dnsServers', kind: 'stringList', mode: 'optionalComputed', default: [], updatable: true, description: 'DNS servers, at most 8, in order.' },
    { tf: 'dns_domain', api: 'dnsDomain', kind: 'string', mode: 'optional', updatable: true, description: 'DNS search domain.' },
    { tf: 'host_routes', api: 'hostRoutes', kind: 'hostRoutes', mode: 'optional', updatable: true, description: 'Static routes pushed to hosts.' },
    { tf: 'ip_version', api: 'ipVersion', kind: 'int', mode: 'computed', description: '4 or 6.' },
    description,
  ],
  rules: (api) => [...named(api), ...(api.cidr !== undefined ? validateL3Spec(api as never) : [])],
};

export const ipRangeSpec: ResourceSpec = {
  typeName: 'netforge_ip_range',
  description: 'A range of allocatable addresses in an L3 network; addresses outside every range are reserved.',
  apiPath: 'ip-ranges',
  apiType: 'ipRange',
  fields: [
    { tf: 'l3_network_uuid', api: 'l3NetworkUuid', kind: 'string', mode: 'required', replace: true, description: 'L3 network uuid.' },
    name,
    { tf: 'start_ip', api: 'startIp', kind: 'string', mode: 'required', replace: true, description: 'First address.' },
    { tf: 'end_ip', api: 'endIp', kind: 'string', mode: 'required', replace: true, description: 'Last address.' },
    { tf: 'netmask', api: 'netmask', kind: 'string', mode: 'computed', description: 'From the L3 network.' },
    { tf: 'gateway', api: 'gateway', kind: 'string', mode: 'computed', description: 'From the L3 network.' },
  ],
  rules: (api) => [
    ...named(api),
    ...(api.startIp !== undefined && api.endIp !== undefined ? validateIpRangeEnds(api as never) : []),
  ],
};

export const serviceAttachmentSpec: ResourceSpec = {
  typeName: 'netforge_network_service_attachment',
  description: 'Network services (DHCP, DNS, SNAT, EIP, PortForwarding, SecurityGroup) of one provider on an L3 network.',
  apiPath: 'network-service-attachments',
  apiType: 'networkServiceAttachment',
  fields: [
    { tf: 'l3_network_uuid', api: 'l3NetworkUuid', kind: 'string', mode: 'required', replace: true, description: 'L3 network uuid.' },
    { tf: 'provider_uuid', api: 'providerUuid', kind: 'string', mode: 'required', replace: true, description: 'Network service provider uuid.' },
    { tf: 'services', api: 'services', kind: 'stringSet', mode: 'required', replace: true, description: 'Service types.' },
    {
      tf: 'state',
      api: 'state',
      kind: 'string',
      mode: 'computed',
      description: 'Applied, or Pending while a service waits for what it needs (DHCP for free addresses); pending services are realized as soon as they can be.',
    },
    { tf: 'pending_reason', api: 'pendingReason', kind: 'string', mode: 'computed', description: 'Why services are pending ("DHCP: ..."), empty when Applied.' },
  ],
  extraFromApi: (obj) => ({
    pending_reason: (Array.isArray(obj.pendingServices) ? (obj.pendingServices as unknown[]) : [])
      .map((p) => (typeof p === 'object' && p !== null ? `${String((p as { service?: unknown }).service)}: ${String((p as { reason?: unknown }).reason)}` : ''))
      .join('; '),
  }),
  rules: (api) => (api.services !== undefined ? validateServiceList(api.services as string[]) : []),
};

export const vmSpec: ResourceSpec = {
  typeName: 'netforge_vm_instance',
  description: 'A VM placed on a host whose cluster carries every L2 network under its L3 networks; one NIC and IP per L3.',
  apiPath: 'vm-instances',
  apiType: 'vmInstance',
  fields: [
    name,
    { tf: 'l3_network_uuids', api: 'l3NetworkUuids', kind: 'stringList', mode: 'required', replace: true, description: 'L3 networks, one NIC each, in order.' },
    { tf: 'host_uuid', api: 'hostUuid', kind: 'string', mode: 'computed', description: 'Where placement put it.' },
    { tf: 'ip_addresses', api: 'ipAddresses', kind: 'stringList', mode: 'computed', description: 'One address per NIC, in l3_network_uuids order.' },
  ],
  extraFromApi: (obj) => ({ ip_addresses: (obj.nics as Array<{ ip: string }>).map((n) => n.ip) }),
  rules: named,
};

export const RESOURCE_SPECS: readonly ResourceSpec[] = [
  zoneSpec,
  clusterSpec,
  hostSpec,
  l2NoVlanSpec,
  l2VlanSpec,
  l2VxlanSpec,
  l2AttachmentSpec,
  l3Spec,
  ipRangeSpec,
  serviceAttachmentSpec,
  vmSpec,
];

export const resources = RESOURCE_SPECS.map(buildResource);
