import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Testing } from 'cdktf';
import { packageNetforgeProvider } from '../../cli/provider-command';
import { Cluster as ClusterResource } from '../../constructs/imports/providers/netforge/cluster';
import { DataNetforgeNetworkServiceProvider } from '../../constructs/imports/providers/netforge/data-netforge-network-service-provider';
import { DataNetforgeVirtualRouter } from '../../constructs/imports/providers/netforge/data-netforge-virtual-router';
import { Host as HostResource } from '../../constructs/imports/providers/netforge/host';
import { IpRange as IpRangeResource } from '../../constructs/imports/providers/netforge/ip-range';
import { L2NetworkClusterAttachment } from '../../constructs/imports/providers/netforge/l2-network-cluster-attachment';
import { L2NovlanNetwork as L2NoVlanResource } from '../../constructs/imports/providers/netforge/l2-novlan-network';
import { L2VlanNetwork as L2VlanResource } from '../../constructs/imports/providers/netforge/l2-vlan-network';
import { L2VxlanNetwork as L2VxlanResource } from '../../constructs/imports/providers/netforge/l2-vxlan-network';
import { L3Network as L3NetworkResource } from '../../constructs/imports/providers/netforge/l3-network';
import { NetworkServiceAttachment as ServiceAttachmentResource } from '../../constructs/imports/providers/netforge/network-service-attachment';
import { VmInstance as VmInstanceResource } from '../../constructs/imports/providers/netforge/vm-instance';
import { Zone as ZoneResource } from '../../constructs/imports/providers/netforge/zone';
import { ExampleStack } from '../../stacks/example-stack';
import { parseIp } from '../../topology/ip';
import { addressOf, configOf, dataSourcesOf, refTo, removeTestOutdir, resourcesOf, TEST_AGENT_FINGERPRINT, testApp } from './helpers';

Testing.setupJest();
afterAll(removeTestOutdir);

describe('ExampleStack', () => {
  let tmp: string;
  let packageDir: string;

  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'netforge-example-'));
    packageDir = (await packageNetforgeProvider(path.join(tmp, 'provider-package'))).dir;
  }, 120_000);
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  function example(): { stack: ExampleStack; synthesized: string } {
    const stack = new ExampleStack(testApp(), 'netforge-example', { packageDir });
    return { stack, synthesized: Testing.synth(stack, true) };
  }

  it('GIVEN the example WHEN synthesized with validations THEN it has the documented number of each resource', () => {
    const { synthesized } = example();
    const count = (type: { tfResourceType: string }) => Object.keys(resourcesOf(synthesized, type)).length;
    expect({
      zones: count(ZoneResource),
      clusters: count(ClusterResource),
      hosts: count(HostResource),
      l2: count(L2NoVlanResource) + count(L2VlanResource) + count(L2VxlanResource),
      attachments: count(L2NetworkClusterAttachment),
      l3: count(L3NetworkResource),
      ranges: count(IpRangeResource),
      serviceAttachments: count(ServiceAttachmentResource),
      vms: count(VmInstanceResource),
    }).toEqual({ zones: 1, clusters: 2, hosts: 4, l2: 3, attachments: 5, l3: 3, ranges: 4, serviceAttachments: 1, vms: 2 });
    expect(Object.values(dataSourcesOf(synthesized, DataNetforgeNetworkServiceProvider))).toEqual([{ type: 'VirtualRouter' }]);
    expect(Object.values(dataSourcesOf(synthesized, DataNetforgeVirtualRouter))).toHaveLength(1);
  });

  it('GIVEN the example WHEN synthesized THEN 192.168.100.100-149 is left out of every public range', () => {
    const { stack, synthesized } = example();
    const ranges = stack.publicL3.ipRanges.map((r) => configOf(synthesized, r.resource));
    expect(ranges.map((r) => [r.start_ip, r.end_ip])).toEqual([
      ['192.168.100.10', '192.168.100.99'],
      ['192.168.100.150', '192.168.100.199'],
    ]);
    const value = (ip: unknown) => parseIp(ip as string)!.value;
    for (let last = 100; last <= 149; last++) {
      const ip = value(`192.168.100.${last}`);
      expect(ranges.filter((r) => value(r.start_ip) <= ip && ip <= value(r.end_ip))).toEqual([]);
    }
    expect(ranges.every((r) => r.l3_network_uuid === refTo(stack.publicL3.resource))).toBe(true);
  });

  it('GIVEN the example WHEN synthesized THEN the public L2 is on both clusters, the VXLAN on cluster2, and vm-db waits for cluster2 hosts only', () => {
    const { stack, synthesized } = example();
    expect(stack.publicL2.attachedClusters).toEqual([stack.cluster1, stack.cluster2]);
    expect(stack.privateL2.attachedClusters).toEqual([stack.cluster2]);
    expect(synthesized).toHaveResourceWithProperties(L2VxlanResource, { name: 'l2-private', vni: 5000, physical_interface: 'eth0' });
    expect(synthesized).toHaveResourceWithProperties(ServiceAttachmentResource, {
      services: ['DHCP', 'DNS', 'SNAT'],
      l3_network_uuid: refTo(stack.publicL3.resource),
      public_l3_network_uuid: refTo(stack.uplinkL3.resource),
    });
    expect(synthesized).toHaveResourceWithProperties(L3NetworkResource, { name: 'l3-uplink', cidr: '203.0.113.0/24', gateway: '203.0.113.1' });
    expect(stack.uplinkL2.attachedClusters).toEqual([stack.cluster1, stack.cluster2]);
    expect(synthesized).toHaveResourceWithProperties(ClusterResource, { name: 'cluster1', hypervisor_type: 'Simulator' });

    const vmDb = configOf(synthesized, (stack.node.findChild('vm-db').node.defaultChild as VmInstanceResource));
    expect(vmDb.l3_network_uuids).toEqual([refTo(stack.publicL3.resource), refTo(stack.privateL3.resource)]);
    const hosts = (vmDb.depends_on as string[]).filter((d) => d.startsWith('netforge_host.'));
    expect(hosts).toEqual(stack.cluster2.hosts.map((h) => addressOf(h.resource)));
  });

  it('GIVEN the example on KVM WHEN synthesized THEN both clusters are KVM', () => {
    const agentFingerprints = Object.fromEntries(['host1-1', 'host1-2', 'host2-1', 'host2-2'].map((h) => [h, TEST_AGENT_FINGERPRINT]));
    const stack = new ExampleStack(testApp(), 'netforge-example', { packageDir, hypervisorType: 'KVM', agentFingerprints });
    const clusters = Object.values(resourcesOf(Testing.synth(stack), ClusterResource));
    expect(clusters.map((c) => c.hypervisor_type)).toEqual(['KVM', 'KVM']);
  });

  it('GIVEN the example WHEN fully synthesized THEN terraform init (offline, from the stack mirror) and validate accept it', () => {
    const stack = new ExampleStack(testApp(), 'netforge-example', { packageDir });
    const outdir = Testing.fullSynth(stack);
    try {
      expect(outdir).toBeValidTerraform();
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  }, 120_000);
});
