/**
 * The example topology: one zone, two clusters; a flat L2 on both clusters and a VXLAN L2
 * on cluster2 only; a public L3 with two ranges around a reserved gap and DHCP, DNS and
 * SNAT from a virtual router, which leaves through the uplink (an L2 on eth2 with the
 * 203.0.113.0/24 network, whose gateway is the outside: the KVM lab has one there); a
 * private L3 on the VXLAN; two VMs placed by the attachments (vm-db needs both L2s, so it
 * can only land in cluster2). Copy this file to start your own stack.
 */
import { TerraformOutput, TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import {
  Cluster,
  HypervisorTypes,
  L2NoVlanNetwork,
  L2VxlanNetwork,
  L3Network,
  NetforgeProvider,
  ProviderTypes,
  VmInstance,
  Zone,
  type HypervisorType,
} from '../constructs';

export interface ExampleStackProps {
  /** @default Simulator: no root needed */
  readonly hypervisorType?: HypervisorType;
  /**
   * KVM hosts: each host's agent certificate fingerprint, by host id (host1-1 ...), as
   * `netforge agent` prints it.
   * @default none (what Simulator hosts need)
   */
  readonly agentFingerprints?: Readonly<Record<string, string>>;
  /**
   * Management addresses by host id (host1-1 ...): where the server reaches each host's agent.
   * @default 10.0.1.11, 10.0.1.12, 10.0.2.11, 10.0.2.12
   */
  readonly managementIps?: Readonly<Record<string, string>>;
  /** @default NETFORGE_ENDPOINT or http://127.0.0.1:8787 at deploy time */
  readonly endpoint?: string;
  /** Directory of the packaged provider. @default dist/provider-package (see NetforgeProviderProps) */
  readonly packageDir?: string;
}

export class ExampleStack extends TerraformStack {
  readonly zone: Zone;
  readonly cluster1: Cluster;
  readonly cluster2: Cluster;
  readonly publicL2: L2NoVlanNetwork;
  readonly privateL2: L2VxlanNetwork;
  readonly uplinkL2: L2NoVlanNetwork;
  readonly publicL3: L3Network;
  readonly privateL3: L3Network;
  readonly uplinkL3: L3Network;

  constructor(scope: Construct, id: string, props: ExampleStackProps = {}) {
    super(scope, id);
    new NetforgeProvider(this, 'netforge', { endpoint: props.endpoint, packageDir: props.packageDir });
    const hypervisorType = props.hypervisorType ?? HypervisorTypes.SIMULATOR;

    this.zone = new Zone(this, 'zone1');
    this.cluster1 = new Cluster(this, 'cluster1', { zone: this.zone, hypervisorType });
    this.cluster2 = new Cluster(this, 'cluster2', { zone: this.zone, hypervisorType });
    const hosts: Array<[Cluster, string, string]> = [
      [this.cluster1, 'host1-1', '10.0.1.11'],
      [this.cluster1, 'host1-2', '10.0.1.12'],
      [this.cluster2, 'host2-1', '10.0.2.11'],
      [this.cluster2, 'host2-2', '10.0.2.12'],
    ];
    for (const [cluster, id, managementIp] of hosts) {
      cluster.addHost(id, { managementIp: props.managementIps?.[id] ?? managementIp, agentFingerprint: props.agentFingerprints?.[id] });
    }

    this.publicL2 = new L2NoVlanNetwork(this, 'l2-public', {
      zone: this.zone,
      physicalInterface: 'eth1',
      attachedClusters: [this.cluster1, this.cluster2],
    });
    // VXLAN rather than VLAN: it realizes on kernels without 802.1Q support too.
    this.privateL2 = new L2VxlanNetwork(this, 'l2-private', {
      zone: this.zone,
      physicalInterface: 'eth0',
      vni: 5000,
      attachedClusters: [this.cluster2],
    });

    // Where the virtual router leaves for the outside world (the lab's outside is 203.0.113.1).
    this.uplinkL2 = new L2NoVlanNetwork(this, 'l2-uplink', {
      zone: this.zone,
      physicalInterface: 'eth2',
      attachedClusters: [this.cluster1, this.cluster2],
    });
    this.uplinkL3 = new L3Network(this, 'l3-uplink', {
      l2Network: this.uplinkL2,
      cidr: '203.0.113.0/24',
      gateway: '203.0.113.1',
      ipRanges: { 'uplink-1': { startIp: '203.0.113.10', endIp: '203.0.113.50' } },
    });

    this.publicL3 = new L3Network(this, 'l3-public', {
      l2Network: this.publicL2,
      cidr: '192.168.100.0/24',
      gateway: '192.168.100.1',
      dnsServers: ['192.168.100.1'],
      dnsDomain: 'public.example',
      // 192.168.100.100-149 stays reserved between the two ranges.
      ipRanges: {
        'public-1': { startIp: '192.168.100.10', endIp: '192.168.100.99' },
        'public-2': { startIp: '192.168.100.150', endIp: '192.168.100.199' },
      },
    });
    const services = this.publicL3.addNetworkServices('services', {
      providerType: ProviderTypes.VIRTUAL_ROUTER,
      services: ['DHCP', 'DNS', 'SNAT'],
      publicNetwork: this.uplinkL3,
    });

    this.privateL3 = new L3Network(this, 'l3-private', {
      l2Network: this.privateL2,
      cidr: '10.10.0.0/24',
      ipRanges: { 'private-1': { startIp: '10.10.0.10', endIp: '10.10.0.250' } },
    });

    const web = new VmInstance(this, 'vm-web', { l3Networks: [this.publicL3] });
    const db = new VmInstance(this, 'vm-db', { l3Networks: [this.publicL3, this.privateL3] });
    new TerraformOutput(this, 'vm-web-ips', { value: web.ipAddresses });
    new TerraformOutput(this, 'vm-db-ips', { value: db.ipAddresses });
    new TerraformOutput(this, 'vm-db-host', { value: db.hostUuid });
    new TerraformOutput(this, 'router-public-ip', { value: services.virtualRouter.publicIp });
    new TerraformOutput(this, 'router-host', { value: services.virtualRouter.hostUuid });
  }
}
