/**
 * The catalog: every object type of the API, declared once. Its URL path, its request
 * schemas and list filters, the rules on its own fields, its fields as Terraform sees them
 * (names, types, required or computed, replace or update, references), the Terraform
 * resources and data source that manage or read it, and how plan review draws it. The
 * server's routes and dry run (server/api/routes/objects.ts), the OpenAPI document, the
 * provider's resources and data sources, review and the test helpers derive from it.
 * Rules that compare objects are topology/evaluator's; error codes are error-codes.ts'.
 */
import type { z } from 'zod';
import { validateManagementIp } from '../topology/rules/hosts';
import { validateL2Spec } from '../topology/rules/l2';
import { asIpRangeSpec, asL3Spec, validateIpRangeEnds, validateL3Spec } from '../topology/rules/l3';
import { validateDescription, validateHostname, validateName } from '../topology/rules/names';
import { MAX_RULES_PER_GROUP, validateSecurityGroupRule } from '../topology/rules/security-groups';
import { validateServiceList } from '../topology/rules/services';
import { validateIpv4Cidr, validatePortForwardingPorts, validateVipIp } from '../topology/rules/vip-services';
import { HYPERVISOR_TYPES, OBJECT_TYPES, type HypervisorType, type L2Type } from '../topology/model';
import { violation, type Violation } from '../topology/violation';
import { asField, type Field } from './fields';
import type { CreateInput, Inventory, ObjectType, UpdateInput } from './object-types';
import * as S from './schemas';

/** How plan review groups objects (one node shape and label per kind), in the order it lists changes: as the network is built. */
export const REVIEW_KINDS = [
  'zone',
  'cluster',
  'host',
  'l2',
  'attachment',
  'l3',
  'range',
  'services',
  'vip',
  'securityGroup',
  'sgRule',
  'vm',
  'eip',
  'portForwarding',
  'sgMember',
  'provider',
] as const;
export type ReviewKind = (typeof REVIEW_KINDS)[number];

/**
 * Rules on an object's own fields, over the API-shaped values known so far: the server
 * runs them on every request, the provider at validate, review and the constructs on what
 * the plan or the app knows.
 */
export type FieldRules = (api: Readonly<Record<string, unknown>>) => Violation[];

export interface TerraformResourceDef {
  /** Terraform type name, e.g. netforge_zone. */
  readonly name: string;
  readonly description: string;
  /** Its attributes besides id and uuid, in schema order. */
  readonly fields: readonly Field[];
  /** Fixed API fields sent on create (the L2 type of a typed L2 resource). */
  readonly constants?: Readonly<Record<string, string>>;
  /** Computed attributes the API object yields under another shape (a VM's addresses). */
  readonly derived?: (obj: Readonly<Record<string, unknown>>) => Record<string, unknown>;
}

export interface TerraformDataSourceDef {
  readonly name: string;
  readonly description: string;
  /** Attributes the user may filter by (at least one must be set). */
  readonly filters: readonly Field[];
  /** Everything else read back. */
  readonly computed: readonly Field[];
}

export interface ObjectDef<T extends ObjectType> {
  /** Type name in POST /v1/validate changes (what messages call it is TYPE_NAMES'). */
  readonly type: T;
  /** URL segment under /v1. */
  readonly path: string;
  /** null: the server makes these itself (GET only; POST answers 405); exactly the types whose CreateInput is null. */
  readonly create: CreateInput<T> extends null ? null : z.ZodType<NonNullable<CreateInput<T>>>;
  /** null: replaced, never updated in place (PATCH answers 405); exactly the types whose UpdateInput is null. */
  readonly update: UpdateInput<T> extends null ? null : z.ZodType<NonNullable<UpdateInput<T>>>;
  /** Query parameters accepted as equality filters on list. */
  readonly filters: readonly (keyof Inventory<T> & string)[];
  readonly rules?: FieldRules;
  readonly review?: { readonly kind: ReviewKind; readonly label: string };
  readonly terraform?: { readonly resources: readonly TerraformResourceDef[]; readonly dataSource?: TerraformDataSourceDef };
}

export type Catalog = { readonly [T in ObjectType]: ObjectDef<T> };

// ---- Fields several types share ----

const name: Field = { tf: 'name', api: 'name', kind: 'string', mode: 'required', updatable: true, description: 'Name: 1-128 letters, digits, spaces and . _ : @ ( ) / + , -' };
const description: Field = { tf: 'description', api: 'description', kind: 'string', mode: 'optionalComputed', default: '', updatable: true, description: 'Free text.' };
const zoneUuid: Field = { tf: 'zone_uuid', api: 'zoneUuid', kind: 'string', mode: 'required', replace: true, ref: 'zone', description: 'Zone uuid.' };
const clusterUuid: Field = { tf: 'cluster_uuid', api: 'clusterUuid', kind: 'string', mode: 'required', replace: true, ref: 'cluster', description: 'Cluster uuid.' };
const l2NetworkUuid: Field = { tf: 'l2_network_uuid', api: 'l2NetworkUuid', kind: 'string', mode: 'required', replace: true, ref: 'l2Network', description: 'L2 network uuid.' };
const l3NetworkUuid: Field = { tf: 'l3_network_uuid', api: 'l3NetworkUuid', kind: 'string', mode: 'required', replace: true, ref: 'l3Network', description: 'L3 network uuid.' };

// VIPs, EIPs, port forwarding and security group members name a VM NIC by its VM and L3.
const vipUuid: Field = { tf: 'vip_uuid', api: 'vipUuid', kind: 'string', mode: 'required', replace: true, ref: 'vip', description: 'The VIP.' };
const vmInstanceUuid: Field = { tf: 'vm_instance_uuid', api: 'vmInstanceUuid', kind: 'string', mode: 'required', replace: true, ref: 'vmInstance', description: 'The VM whose NIC it is.' };
const nicL3: Field = { tf: 'l3_network_uuid', api: 'l3NetworkUuid', kind: 'string', mode: 'optionalComputed', replace: true, ref: 'l3Network', description: "The L3 network of the VM's NIC; defaults to its first NIC's." };
const vipIp: Field = { tf: 'vip_ip', api: 'vipIp', kind: 'string', mode: 'computed', description: "The VIP's address." };
const guestIp: Field = { tf: 'guest_ip', api: 'guestIp', kind: 'string', mode: 'computed', description: "The NIC's address." };

function asReplaced(f: Field, description: string): Field {
  return { ...f, description };
}

/** Name and description, where given. */
const named: FieldRules = (api) => [...(api.name !== undefined ? validateName(api.name) : []), ...validateDescription(api.description)];

// ---- Per type ----

const hypervisorType: Field = { tf: 'hypervisor_type', api: 'hypervisorType', kind: 'string', mode: 'required', replace: true, description: 'KVM or Simulator.' };

const physicalInterface: Field = { tf: 'physical_interface', api: 'physicalInterface', kind: 'string', mode: 'required', replace: true, description: 'Host interface the network rides on (e.g. eth0); 1-15 characters.' };
const vlan: Field = { tf: 'vlan', api: 'vlan', kind: 'int', mode: 'required', replace: true, description: 'VLAN id, 1-4094.' };
const vni: Field = { tf: 'vni', api: 'vni', kind: 'int', mode: 'required', replace: true, description: 'VXLAN network identifier, 1-16777214, unique in the zone.' };

/** A typed L2 resource: the fields of every L2 network plus its own, and its type as a constant. */
function l2Resource(tfName: string, type: L2Type, extra: Field[], what: string): TerraformResourceDef {
  return {
    name: tfName,
    description: `${what} Attach it to clusters with netforge_l2_network_cluster_attachment.`,
    constants: { type },
    fields: [name, zoneUuid, physicalInterface, ...extra, description],
  };
}

const cidr: Field = { tf: 'cidr', api: 'cidr', kind: 'string', mode: 'required', replace: true, description: 'Network in CIDR form, e.g. 10.0.0.0/24.' };
const gateway: Field = { tf: 'gateway', api: 'gateway', kind: 'string', mode: 'optionalComputed', replace: true, description: 'Gateway; defaults to the first usable address.' };
const mtu: Field = { tf: 'mtu', api: 'mtu', kind: 'int', mode: 'optionalComputed', updatable: true, description: 'MTU DHCP sends to VMs, 576-9000; defaults to 1450 on VXLAN networks and 1500 elsewhere.' };
const dnsServers: Field = { tf: 'dns_servers', api: 'dnsServers', kind: 'stringList', mode: 'optionalComputed', default: [], updatable: true, description: 'DNS servers, at most 8, in order.' };

export const OBJECTS: Catalog = {
  zone: {
    type: 'zone',
    path: 'zones',
    create: S.CreateZone,
    update: S.UpdateZone,
    filters: ['name'],
    rules: named,
    review: { kind: 'zone', label: 'zone' },
    terraform: {
      resources: [{ name: 'netforge_zone', description: 'A zone: the scope of clusters and L2 networks.', fields: [name, description] }],
      dataSource: {
        name: 'netforge_zone',
        description: 'An existing zone, by name.',
        filters: [asField(name, { description: 'Zone name.' })],
        computed: [asField(description, { description: 'Description.' })],
      },
    },
  },
  cluster: {
    type: 'cluster',
    path: 'clusters',
    create: S.CreateCluster,
    update: S.UpdateCluster,
    filters: ['name', 'zoneUuid', 'hypervisorType'],
    rules: (api) => [
      ...named(api),
      ...(api.hypervisorType !== undefined && !(HYPERVISOR_TYPES as readonly unknown[]).includes(api.hypervisorType)
        ? [violation('INVALID_HYPERVISOR_TYPE', 'hypervisorType', `hypervisor_type must be ${HYPERVISOR_TYPES.join(' or ')}, got ${JSON.stringify(api.hypervisorType)}`)]
        : []),
    ],
    review: { kind: 'cluster', label: 'cluster' },
    terraform: {
      resources: [
        {
          name: 'netforge_cluster',
          description: 'A cluster of hosts of one hypervisor type.',
          fields: [name, zoneUuid, hypervisorType, description],
        },
      ],
      dataSource: {
        name: 'netforge_cluster',
        description: 'An existing cluster, by name (and zone).',
        filters: [asField(name, { description: 'Cluster name.' }), zoneUuid],
        computed: [hypervisorType, asField(description, { description: 'Description.' })],
      },
    },
  },
  host: {
    type: 'host',
    path: 'hosts',
    create: S.CreateHost,
    update: S.UpdateHost,
    filters: ['name', 'clusterUuid', 'managementIp', 'state'],
    rules: (api) => [...named(api), ...(api.managementIp !== undefined ? validateManagementIp(api.managementIp) : [])],
    review: { kind: 'host', label: 'host' },
    terraform: {
      resources: [
        {
          name: 'netforge_host',
          description: 'A hypervisor host in a cluster; attached L2 networks are realized on it.',
          fields: [
            name,
            clusterUuid,
            { tf: 'management_ip', api: 'managementIp', kind: 'string', mode: 'required', replace: true, description: 'Address the server reaches the host at.' },
            {
              tf: 'agent_fingerprint',
              api: 'agentFingerprint',
              kind: 'string',
              mode: 'optional',
              updatable: true,
              description: "KVM hosts: sha256:<hex> of the host agent's certificate (`netforge agent` prints it); the server talks only to that agent.",
            },
            description,
            { tf: 'state', api: 'state', kind: 'string', mode: 'computed', description: 'Connected, Disconnected or Maintenance.' },
          ],
        },
      ],
    },
  },
  l2Network: {
    type: 'l2Network',
    path: 'l2-networks',
    create: S.CreateL2Network,
    update: S.UpdateL2Network,
    filters: ['name', 'zoneUuid', 'type', 'physicalInterface'],
    rules: (api) => [...named(api), ...validateL2Spec({ type: String(api.type), physicalInterface: api.physicalInterface, vlan: api.vlan, vni: api.vni })],
    review: { kind: 'l2', label: 'L2' },
    terraform: {
      resources: [
        l2Resource('netforge_l2_novlan_network', 'L2NoVlanNetwork', [], 'An untagged L2 network (a bridge on the interface).'),
        l2Resource('netforge_l2_vlan_network', 'L2VlanNetwork', [vlan], 'An 802.1Q VLAN L2 network.'),
        l2Resource('netforge_l2_vxlan_network', 'L2VxlanNetwork', [vni], 'A VXLAN overlay L2 network.'),
      ],
      dataSource: {
        name: 'netforge_l2_network',
        description: 'An existing L2 network of any type, by name (and zone).',
        filters: [asField(name, { description: 'L2 network name.' }), zoneUuid],
        computed: [
          { tf: 'type', api: 'type', kind: 'string', mode: 'computed', description: 'L2NoVlanNetwork, L2VlanNetwork or L2VxlanNetwork.' },
          asField(physicalInterface, { description: 'Host interface.' }),
          asField(vlan, { description: 'VLAN id (VLAN networks).' }),
          asField(vni, { description: 'VNI (VXLAN networks).' }),
          { tf: 'attached_cluster_uuids', api: 'attachedClusterUuids', kind: 'stringSet', mode: 'computed', description: 'Clusters it is attached to.' },
        ],
      },
    },
  },
  l2ClusterAttachment: {
    type: 'l2ClusterAttachment',
    path: 'l2-cluster-attachments',
    create: S.CreateL2ClusterAttachment,
    update: null,
    filters: ['l2NetworkUuid', 'clusterUuid'],
    review: { kind: 'attachment', label: 'L2 attachment' },
    terraform: {
      resources: [
        {
          name: 'netforge_l2_network_cluster_attachment',
          description: 'Attaches an L2 network to a cluster: realized on every host of the cluster, removed on destroy.',
          fields: [l2NetworkUuid, clusterUuid],
        },
      ],
    },
  },
  l3Network: {
    type: 'l3Network',
    path: 'l3-networks',
    create: S.CreateL3Network,
    update: S.UpdateL3Network,
    filters: ['name', 'l2NetworkUuid', 'cidr'],
    rules: (api) => [...named(api), ...validateL3Spec(asL3Spec(api))],
    review: { kind: 'l3', label: 'L3' },
    terraform: {
      resources: [
        {
          name: 'netforge_l3_network',
          description: 'A subnet on an L2 network.',
          fields: [
            name,
            l2NetworkUuid,
            cidr,
            gateway,
            dnsServers,
            { tf: 'dns_domain', api: 'dnsDomain', kind: 'string', mode: 'optional', updatable: true, description: 'DNS search domain.' },
            { tf: 'host_routes', api: 'hostRoutes', kind: 'hostRoutes', mode: 'optional', updatable: true, description: 'Static routes DHCP sends to VMs (option 121).' },
            mtu,
            { tf: 'ip_version', api: 'ipVersion', kind: 'int', mode: 'computed', description: '4 or 6.' },
            description,
          ],
        },
      ],
      dataSource: {
        name: 'netforge_l3_network',
        description: 'An existing L3 network, by name (and L2 network).',
        filters: [asField(name, { description: 'L3 network name.' }), l2NetworkUuid],
        computed: [
          asField(cidr, { description: 'CIDR.' }),
          asField(gateway, { description: 'Gateway.' }),
          asField(dnsServers, { description: 'DNS servers.' }),
        ],
      },
    },
  },
  ipRange: {
    type: 'ipRange',
    path: 'ip-ranges',
    create: S.CreateIpRange,
    update: S.UpdateIpRange,
    filters: ['name', 'l3NetworkUuid'],
    rules: (api) => {
      const ends = asIpRangeSpec(api);
      return [...named(api), ...(ends ? validateIpRangeEnds(ends) : [])];
    },
    review: { kind: 'range', label: 'IP range' },
    terraform: {
      resources: [
        {
          name: 'netforge_ip_range',
          description: 'A range of allocatable addresses in an L3 network; addresses outside every range are reserved.',
          fields: [
            l3NetworkUuid,
            name,
            { tf: 'start_ip', api: 'startIp', kind: 'string', mode: 'required', replace: true, description: 'First address.' },
            { tf: 'end_ip', api: 'endIp', kind: 'string', mode: 'required', replace: true, description: 'Last address.' },
            { tf: 'netmask', api: 'netmask', kind: 'string', mode: 'computed', description: 'From the L3 network.' },
            { tf: 'gateway', api: 'gateway', kind: 'string', mode: 'computed', description: 'From the L3 network.' },
          ],
        },
      ],
    },
  },
  networkServiceProvider: {
    type: 'networkServiceProvider',
    path: 'network-service-providers',
    create: S.CreateProvider,
    update: null,
    filters: ['name', 'type'],
    rules: named,
    review: { kind: 'provider', label: 'service provider' },
    terraform: {
      resources: [],
      dataSource: {
        name: 'netforge_network_service_provider',
        description: 'A network service provider, by name or type (VirtualRouter, Flat, SecurityGroup).',
        filters: [
          { tf: 'name', api: 'name', kind: 'string', mode: 'computed', description: 'Provider name (built-in: vrouter, flat, securitygroup).' },
          { tf: 'type', api: 'type', kind: 'string', mode: 'computed', description: 'Provider type.' },
        ],
        computed: [{ tf: 'service_types', api: 'serviceTypes', kind: 'stringSet', mode: 'computed', description: 'Services it offers.' }],
      },
    },
  },
  networkServiceAttachment: {
    type: 'networkServiceAttachment',
    path: 'network-service-attachments',
    create: S.CreateServiceAttachment,
    update: null,
    filters: ['l3NetworkUuid', 'providerUuid'],
    rules: (api) => (Array.isArray(api.services) ? validateServiceList(api.services) : []),
    review: { kind: 'services', label: 'network services' },
    terraform: {
      resources: [
        {
          name: 'netforge_network_service_attachment',
          description: 'Network services (DHCP, DNS, SNAT, EIP, PortForwarding, SecurityGroup) of one provider on an L3 network.',
          fields: [
            l3NetworkUuid,
            { tf: 'provider_uuid', api: 'providerUuid', kind: 'string', mode: 'required', replace: true, ref: 'networkServiceProvider', description: 'Network service provider uuid.' },
            { tf: 'services', api: 'services', kind: 'stringSet', mode: 'required', replace: true, description: 'Service types.' },
            {
              tf: 'public_l3_network_uuid',
              api: 'publicL3NetworkUuid',
              kind: 'string',
              mode: 'optional',
              replace: true,
              ref: 'l3Network',
              linkAs: 'publicL3',
              description: 'VirtualRouter (required): the L3 network the router has its public NIC on; SNAT leaves through it. Not set for other providers.',
            },
            {
              tf: 'state',
              api: 'state',
              kind: 'string',
              mode: 'computed',
              description:
                'Applied, or Pending while a service waits for what it needs (a host for the virtual router, an address on the public network, free addresses for flat DHCP); pending services are realized as soon as they can be.',
            },
            { tf: 'pending_reason', api: 'pendingReason', kind: 'string', mode: 'computed', description: 'Why services are pending ("DHCP: ..."), empty when Applied.' },
          ],
          // Services waiting for the same thing are named together: "DHCP, DNS: <reason>".
          derived: (obj) => {
            const byReason = new Map<string, string[]>();
            for (const p of Array.isArray(obj.pendingServices) ? (obj.pendingServices as Array<{ service?: unknown; reason?: unknown }>) : []) {
              byReason.set(String(p.reason), [...(byReason.get(String(p.reason)) ?? []), String(p.service)]);
            }
            return { pending_reason: [...byReason].map(([reason, services]) => `${services.join(', ')}: ${reason}`).join('; ') };
          },
        },
      ],
    },
  },
  vmInstance: {
    type: 'vmInstance',
    path: 'vm-instances',
    create: S.CreateVmInstance,
    update: S.UpdateVmInstance,
    filters: ['name', 'hostUuid', 'hostname'],
    rules: (api) => [...named(api), ...(api.hostname !== undefined ? validateHostname(api.hostname) : [])],
    review: { kind: 'vm', label: 'VM' },
    terraform: {
      resources: [
        {
          name: 'netforge_vm_instance',
          description: 'A VM placed on a host whose cluster carries every L2 network under its L3 networks; one NIC and IP per L3.',
          fields: [
            name,
            { tf: 'l3_network_uuids', api: 'l3NetworkUuids', kind: 'stringList', mode: 'required', replace: true, ref: 'l3Network', description: 'L3 networks, one NIC each, in order.' },
            {
              tf: 'hostname',
              api: 'hostname',
              kind: 'string',
              mode: 'optionalComputed',
              updatable: true,
              description: 'DNS name (one label: letters, digits, -) on its L3 networks and the name DHCP gives it; defaults to the name in lower case with other characters made -.',
            },
            {
              tf: 'host_uuid',
              api: 'hostUuid',
              kind: 'string',
              mode: 'optionalComputed',
              replace: true,
              ref: 'host',
              description: 'The host it runs on: the one given (it must be eligible), else where placement put it (the eligible host with the fewest VMs, so it can depend on creation order). Changing it replaces the VM.',
            },
            { tf: 'ip_addresses', api: 'ipAddresses', kind: 'stringList', mode: 'computed', description: 'One address per NIC, in l3_network_uuids order.' },
          ],
          derived: (obj) => ({ ip_addresses: (Array.isArray(obj.nics) ? (obj.nics as Array<{ ip?: unknown }>) : []).map((n) => String(n.ip)) }),
        },
      ],
    },
  },
  ipAddress: {
    type: 'ipAddress',
    path: 'ip-addresses',
    create: S.AllocateIp,
    update: null,
    filters: ['l3NetworkUuid', 'ipRangeUuid', 'ip'],
  },
  virtualRouter: {
    type: 'virtualRouter',
    path: 'virtual-routers',
    create: null,
    update: null,
    filters: ['l3NetworkUuid', 'publicL3NetworkUuid', 'hostUuid', 'state'],
    terraform: {
      resources: [],
      dataSource: {
        name: 'netforge_virtual_router',
        description: "The virtual router serving an L3 network's VirtualRouter services: where it runs and its addresses.",
        filters: [{ tf: 'l3_network_uuid', api: 'l3NetworkUuid', kind: 'string', mode: 'computed', ref: 'l3Network', description: 'The guest L3 network it serves.' }],
        computed: [
          { tf: 'name', api: 'name', kind: 'string', mode: 'computed', description: 'Name.' },
          { tf: 'public_l3_network_uuid', api: 'publicL3NetworkUuid', kind: 'string', mode: 'computed', description: 'The public L3 network.' },
          { tf: 'host_uuid', api: 'hostUuid', kind: 'string', mode: 'computed', description: 'The host it runs on (empty while Pending).' },
          { tf: 'guest_ip', api: 'guestIp', kind: 'string', mode: 'computed', description: "Its address on the guest network: the network's gateway." },
          { tf: 'public_ip', api: 'publicIp', kind: 'string', mode: 'computed', description: 'Its address on the public network; SNAT traffic leaves with it.' },
          { tf: 'state', api: 'state', kind: 'string', mode: 'computed', description: 'Running, or Pending while it waits for a host or a public address.' },
          { tf: 'pending_reason', api: 'pendingReason', kind: 'string', mode: 'computed', description: 'Why it is Pending; empty when Running.' },
        ],
      },
    },
  },
  vip: {
    type: 'vip',
    path: 'vips',
    create: S.CreateVip,
    update: S.UpdateVip,
    filters: ['name', 'l3NetworkUuid', 'ip', 'useFor'],
    rules: (api) => [...named(api), ...validateVipIp(api.ip)],
    review: { kind: 'vip', label: 'VIP' },
    terraform: {
      resources: [
        {
          name: 'netforge_vip',
          description: 'A virtual IP on an L3 network (the public network of a virtual router), for one EIP or for port forwarding rules.',
          fields: [
            name,
            asReplaced(l3NetworkUuid, 'The L3 network it is an address of.'),
            { tf: 'ip', api: 'ip', kind: 'string', mode: 'optionalComputed', replace: true, description: 'The address: the one given (in a range of the L3 network, free), else the next free one.' },
            description,
            { tf: 'use_for', api: 'useFor', kind: 'string', mode: 'computed', description: 'Eip or PortForwarding while something uses it; empty when free.' },
          ],
        },
      ],
      dataSource: {
        name: 'netforge_vip',
        description: 'An existing VIP, by name.',
        filters: [asField(name, { description: 'VIP name.' })],
        computed: [
          { tf: 'l3_network_uuid', api: 'l3NetworkUuid', kind: 'string', mode: 'computed', description: 'Its L3 network.' },
          { tf: 'ip', api: 'ip', kind: 'string', mode: 'computed', description: 'The address.' },
        ],
      },
    },
  },
  eip: {
    type: 'eip',
    path: 'eips',
    create: S.CreateEip,
    update: S.UpdateEip,
    filters: ['name', 'vipUuid', 'vmInstanceUuid', 'l3NetworkUuid'],
    rules: named,
    review: { kind: 'eip', label: 'EIP' },
    terraform: {
      resources: [
        {
          name: 'netforge_eip',
          description: "A VIP bound to a VM NIC: traffic to the VIP reaches the NIC's address, traffic from the NIC leaves with the VIP as source.",
          fields: [name, vipUuid, vmInstanceUuid, nicL3, description, vipIp, guestIp],
        },
      ],
    },
  },
  portForwardingRule: {
    type: 'portForwardingRule',
    path: 'port-forwarding-rules',
    create: S.CreatePortForwardingRule,
    update: S.UpdatePortForwardingRule,
    filters: ['name', 'vipUuid', 'vmInstanceUuid', 'l3NetworkUuid', 'protocol'],
    rules: (api) => [...named(api), ...validatePortForwardingPorts(api), ...validateIpv4Cidr('allowedCidr', api.allowedCidr, 'allowed CIDR')],
    review: { kind: 'portForwarding', label: 'port forwarding rule' },
    terraform: {
      resources: [
        {
          name: 'netforge_port_forwarding_rule',
          description: 'Forwards a protocol and port range of a VIP to a VM NIC and a guest port range of the same length.',
          fields: [
            name,
            vipUuid,
            { tf: 'protocol', api: 'protocol', kind: 'string', mode: 'required', replace: true, description: 'TCP or UDP.' },
            { tf: 'vip_port_start', api: 'vipPortStart', kind: 'int', mode: 'required', replace: true, description: 'First VIP port, 1-65535.' },
            { tf: 'vip_port_end', api: 'vipPortEnd', kind: 'int', mode: 'optionalComputed', replace: true, description: 'Last VIP port; defaults to vip_port_start.' },
            vmInstanceUuid,
            nicL3,
            { tf: 'guest_port_start', api: 'guestPortStart', kind: 'int', mode: 'optionalComputed', replace: true, description: 'First guest port; defaults to vip_port_start.' },
            { tf: 'guest_port_end', api: 'guestPortEnd', kind: 'int', mode: 'optionalComputed', replace: true, description: 'Last guest port: the guest range is as long as the VIP range.' },
            { tf: 'allowed_cidr', api: 'allowedCidr', kind: 'string', mode: 'optional', replace: true, description: 'Only sources in this IPv4 CIDR may use it; any when not set.' },
            description,
            vipIp,
            guestIp,
          ],
        },
      ],
    },
  },
  securityGroup: {
    type: 'securityGroup',
    path: 'security-groups',
    create: S.CreateSecurityGroup,
    update: S.UpdateSecurityGroup,
    filters: ['name'],
    rules: named,
    review: { kind: 'securityGroup', label: 'security group' },
    terraform: {
      resources: [
        {
          name: 'netforge_security_group',
          description:
            "A security group. A NIC in no group is not filtered; a NIC in groups receives only what its groups' ingress rules allow (replies to allowed flows pass) and sends anything unless a group of it has egress rules, then only what those allow. DHCP and ARP always pass.",
          fields: [name, description],
        },
      ],
      dataSource: { name: 'netforge_security_group', description: 'An existing security group, by name.', filters: [asField(name, { description: 'Group name.' })], computed: [asField(description, { description: 'Description.' })] },
    },
  },
  securityGroupRule: {
    type: 'securityGroupRule',
    path: 'security-group-rules',
    create: S.CreateSecurityGroupRule,
    update: null,
    filters: ['securityGroupUuid', 'direction', 'protocol', 'remoteSecurityGroupUuid'],
    rules: (api) => [...validateSecurityGroupRule(api), ...validateDescription(api.description)],
    review: { kind: 'sgRule', label: 'security group rule' },
    terraform: {
      resources: [
        {
          name: 'netforge_security_group_rule',
          description: `One rule of a security group (at most ${MAX_RULES_PER_GROUP} per group): what its member NICs may receive (ingress) or send (egress).`,
          fields: [
            { tf: 'security_group_uuid', api: 'securityGroupUuid', kind: 'string', mode: 'required', replace: true, ref: 'securityGroup', description: 'The group.' },
            { tf: 'direction', api: 'direction', kind: 'string', mode: 'required', replace: true, description: 'Ingress or Egress.' },
            { tf: 'protocol', api: 'protocol', kind: 'string', mode: 'required', replace: true, description: 'TCP, UDP, ICMP or ALL.' },
            { tf: 'port_start', api: 'portStart', kind: 'int', mode: 'optional', replace: true, description: 'TCP/UDP: first port; every port when not set.' },
            { tf: 'port_end', api: 'portEnd', kind: 'int', mode: 'optionalComputed', replace: true, description: 'TCP/UDP: last port; defaults to port_start.' },
            { tf: 'remote_cidr', api: 'remoteCidr', kind: 'string', mode: 'optional', replace: true, description: 'IPv4 network of the peers; anywhere when neither this nor remote_security_group_uuid is set.' },
            {
              tf: 'remote_security_group_uuid',
              api: 'remoteSecurityGroupUuid',
              kind: 'string',
              mode: 'optional',
              replace: true,
              ref: 'securityGroup',
              linkAs: 'remoteGroup',
              description: "The peers are this group's NICs (kept up to date as its members change).",
            },
            { ...description, replace: true, updatable: false },
          ],
        },
      ],
    },
  },
  securityGroupAttachment: {
    type: 'securityGroupAttachment',
    path: 'security-group-attachments',
    create: S.CreateSecurityGroupAttachment,
    update: null,
    filters: ['securityGroupUuid', 'vmInstanceUuid', 'l3NetworkUuid'],
    review: { kind: 'sgMember', label: 'security group member' },
    terraform: {
      resources: [
        {
          name: 'netforge_security_group_attachment',
          description: "Makes a VM NIC a member of a security group (the L3 network needs the SecurityGroup service).",
          fields: [
            { tf: 'security_group_uuid', api: 'securityGroupUuid', kind: 'string', mode: 'required', replace: true, ref: 'securityGroup', description: 'The group.' },
            vmInstanceUuid,
            nicL3,
          ],
        },
      ],
    },
  },
};

/** The object type a request names (validate batches name types as strings). */
export function objectTypeOf(type: string): ObjectType | undefined {
  return OBJECT_TYPES.find((t) => t === type);
}

/** Every Terraform resource of the provider, with the object type it manages. */
export function terraformResources(): Array<{ type: ObjectType; def: TerraformResourceDef }> {
  return OBJECT_TYPES.flatMap((type) => (OBJECTS[type].terraform?.resources ?? []).map((def) => ({ type, def })));
}

/** Every Terraform data source of the provider, with the object type it reads. */
export function terraformDataSources(): Array<{ type: ObjectType; def: TerraformDataSourceDef }> {
  return OBJECT_TYPES.flatMap((type) => {
    const def = OBJECTS[type].terraform?.dataSource;
    return def ? [{ type, def }] : [];
  });
}

export type { HypervisorType };
