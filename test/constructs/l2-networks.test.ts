import { Testing, TerraformVariable } from 'cdktf';
import { Construct } from 'constructs';
import { Cluster, L2NoVlanNetwork, L2VlanNetwork, L2VxlanNetwork, Zone } from '../../constructs';
import { L2NetworkClusterAttachment } from '../../constructs/imports/providers/netforge/l2-network-cluster-attachment';
import { L2NovlanNetwork as L2NoVlanResource } from '../../constructs/imports/providers/netforge/l2-novlan-network';
import { L2VlanNetwork as L2VlanResource } from '../../constructs/imports/providers/netforge/l2-vlan-network';
import { L2VxlanNetwork as L2VxlanResource } from '../../constructs/imports/providers/netforge/l2-vxlan-network';
import { configOf, newStack, refTo, removeTestOutdir, resolve, resourcesOf, synthValidated, zoneWithCluster, synthScope } from './helpers';

Testing.setupJest();
afterAll(removeTestOutdir);

describe('L2NoVlanNetwork', () => {
  it('GIVEN a zone and an interface WHEN synthesized THEN one netforge_l2_novlan_network named after the id in that zone', () => {
    const stack = newStack();
    const zone = new Zone(stack, 'zone1');
    const l2 = new L2NoVlanNetwork(stack, 'l2-public', { zone, physicalInterface: 'eth1' });
    const synthesized = Testing.synth(stack);
    expect(configOf(synthesized, l2.node.defaultChild as L2NoVlanResource)).toEqual({ name: 'l2-public', physical_interface: 'eth1', zone_uuid: refTo(zone.resource) });
    expect(l2.l2Type).toBe('L2NoVlanNetwork');
    expect(l2.l2NetworkName).toBe('l2-public');
    expect(resolve(stack, l2.l2NetworkUuid)).toBe(refTo(l2.node.defaultChild as L2NoVlanResource));
    expect(resourcesOf(synthesized, L2NetworkClusterAttachment)).toEqual({});
  });

  it('GIVEN a name and description WHEN synthesized THEN they are passed through', () => {
    const synthesized = synthScope((scope) => {
      new L2NoVlanNetwork(scope, 'l2', { zone: new Zone(scope, 'zone1'), physicalInterface: 'bond0.100', name: 'public', description: 'uplink' });
    });
    expect(synthesized).toHaveResourceWithProperties(L2NoVlanResource, { name: 'public', physical_interface: 'bond0.100', description: 'uplink' });
  });
});

describe('L2VlanNetwork', () => {
  it('GIVEN VLAN 100 WHEN synthesized THEN a netforge_l2_vlan_network carries it', () => {
    const stack = newStack();
    const zone = new Zone(stack, 'zone1');
    const l2 = new L2VlanNetwork(stack, 'l2-vlan', { zone, physicalInterface: 'eth0', vlan: 100 });
    expect(Testing.synth(stack)).toHaveResourceWithProperties(L2VlanResource, { name: 'l2-vlan', physical_interface: 'eth0', vlan: 100, zone_uuid: refTo(zone.resource) });
    expect([l2.l2Type, l2.vlan, l2.vni]).toEqual(['L2VlanNetwork', 100, null]);
  });

  it.each([1, 4094])('GIVEN VLAN %i (a bound) WHEN constructed THEN it is accepted', (vlan) => {
    const stack = newStack();
    expect(() => new L2VlanNetwork(stack, 'l2', { zone: new Zone(stack, 'zone1'), physicalInterface: 'eth0', vlan })).not.toThrow();
  });

  it.each([0, 4095, -1, 1.5])('GIVEN VLAN %d WHEN constructed THEN it throws naming the path and the vlan field', (vlan) => {
    const stack = newStack();
    expect(() => new L2VlanNetwork(stack, 'l2', { zone: new Zone(stack, 'zone1'), physicalInterface: 'eth0', vlan })).toThrow(
      new RegExp(`^stack/l2: invalid L2VlanNetwork\\n {2}vlan: VLAN id must be an integer from 1 to 4094, got ${vlan} \\[VLAN_OUT_OF_RANGE\\]$`),
    );
  });
});

describe('L2VxlanNetwork', () => {
  it('GIVEN VNI 5000 WHEN synthesized THEN a netforge_l2_vxlan_network carries it', () => {
    const stack = newStack();
    const zone = new Zone(stack, 'zone1');
    const l2 = new L2VxlanNetwork(stack, 'l2-overlay', { zone, physicalInterface: 'eth0', vni: 5000 });
    expect(Testing.synth(stack)).toHaveResourceWithProperties(L2VxlanResource, { name: 'l2-overlay', physical_interface: 'eth0', vni: 5000, zone_uuid: refTo(zone.resource) });
    expect([l2.l2Type, l2.vlan, l2.vni]).toEqual(['L2VxlanNetwork', null, 5000]);
  });

  it.each([1, 16777214])('GIVEN VNI %i (a bound) WHEN constructed THEN it is accepted', (vni) => {
    const stack = newStack();
    expect(() => new L2VxlanNetwork(stack, 'l2', { zone: new Zone(stack, 'zone1'), physicalInterface: 'eth0', vni })).not.toThrow();
  });

  it.each([0, 16777215, -5, 2.5])('GIVEN VNI %d WHEN constructed THEN it throws naming the path and the vni field', (vni) => {
    const stack = newStack();
    expect(() => new L2VxlanNetwork(stack, 'l2', { zone: new Zone(stack, 'zone1'), physicalInterface: 'eth0', vni })).toThrow(
      new RegExp(`^stack/l2: invalid L2VxlanNetwork\\n {2}vni: VXLAN VNI must be an integer from 1 to 16777214, got ${vni} \\[VNI_OUT_OF_RANGE\\]$`),
    );
  });

  it('GIVEN two VXLAN networks with one VNI in one zone WHEN synthesized THEN synth fails naming each network, the vni field and the other network', () => {
    const stack = newStack();
    const zone = new Zone(stack, 'zone1');
    new L2VxlanNetwork(stack, 'overlay-a', { zone, physicalInterface: 'eth0', vni: 7000 });
    new L2VxlanNetwork(stack, 'overlay-b', { zone, physicalInterface: 'eth1', vni: 7000 });
    expect(() => synthValidated(stack)).toThrow(/\[stack\/overlay-a\] vni: VNI 7000 is already used in this zone by L2Network 'overlay-b' \(stack\/overlay-b\) \[VNI_CONFLICT\]/);
    expect(() => synthValidated(stack)).toThrow(/\[stack\/overlay-b\] vni: VNI 7000 is already used in this zone by L2Network 'overlay-a' \(stack\/overlay-a\) \[VNI_CONFLICT\]/);
  });

  it('GIVEN one VNI in two different zones WHEN synthesized THEN it is accepted', () => {
    const stack = newStack();
    new L2VxlanNetwork(stack, 'overlay-a', { zone: new Zone(stack, 'zone1'), physicalInterface: 'eth0', vni: 7000 });
    new L2VxlanNetwork(stack, 'overlay-b', { zone: new Zone(stack, 'zone2'), physicalInterface: 'eth0', vni: 7000 });
    expect(() => synthValidated(stack)).not.toThrow();
  });

  it('GIVEN different VNIs in one zone WHEN synthesized THEN it is accepted', () => {
    const stack = newStack();
    const zone = new Zone(stack, 'zone1');
    new L2VxlanNetwork(stack, 'overlay-a', { zone, physicalInterface: 'eth0', vni: 7000 });
    new L2VxlanNetwork(stack, 'overlay-b', { zone, physicalInterface: 'eth0', vni: 7001 });
    expect(() => synthValidated(stack)).not.toThrow();
  });
});

describe('L2 fields shared by every type', () => {
  it.each([
    ['a semicolon', 'eth0;reboot'],
    ['a command substitution', '$(reboot)'],
    ['a backtick', 'eth`id`'],
    ['a pipe', 'eth0|sh'],
    ['a space', 'eth 0'],
    ['a slash', 'eth0/1'],
    ['a colon (alias)', 'eth0:1'],
    ['a leading dash (an option)', '-eth0'],
    ['only dots', '..'],
  ])('GIVEN an interface name with %s WHEN constructed THEN it throws at physicalInterface', (_label, physicalInterface) => {
    const stack = newStack();
    expect(() => new L2NoVlanNetwork(stack, 'l2', { zone: new Zone(stack, 'zone1'), physicalInterface })).toThrow(
      /^stack\/l2: invalid L2NoVlanNetwork\n {2}physicalInterface: physical interface name .* may contain only letters, digits, '_', '-' and '\.', and must start with a letter or digit \[INVALID_INTERFACE_NAME\]$/,
    );
  });

  it('GIVEN an interface name longer than 15 characters WHEN constructed THEN it throws at physicalInterface', () => {
    const stack = newStack();
    expect(() => new L2VlanNetwork(stack, 'l2', { zone: new Zone(stack, 'zone1'), physicalInterface: 'enp0s31f6abcdefg', vlan: 10 })).toThrow(
      /stack\/l2: invalid L2VlanNetwork\n {2}physicalInterface: physical interface name 'enp0s31f6abcdefg' is longer than 15 characters/,
    );
  });

  it('GIVEN an empty interface name WHEN constructed THEN it throws at physicalInterface', () => {
    const stack = newStack();
    expect(() => new L2VxlanNetwork(stack, 'l2', { zone: new Zone(stack, 'zone1'), physicalInterface: '', vni: 10 })).toThrow(/physicalInterface: physical interface name is required/);
  });

  it.each([
    ['a quote', 'pub"lic'],
    ['unicode', 'réseau'],
    ['a trailing dot', 'public.'],
  ])('GIVEN a name with %s WHEN constructed THEN it throws at name', (_label, name) => {
    const stack = newStack();
    expect(() => new L2NoVlanNetwork(stack, 'l2', { zone: new Zone(stack, 'zone1'), physicalInterface: 'eth0', name })).toThrow(
      /^stack\/l2: invalid L2NoVlanNetwork\n {2}name: .*\[INVALID_NAME\]$/,
    );
  });

  it('GIVEN several bad fields WHEN constructed THEN every violation is listed under the construct path', () => {
    const stack = newStack();
    expect(() => new L2VlanNetwork(stack, 'l2', { zone: new Zone(stack, 'zone1'), physicalInterface: 'eth0;x', vlan: 0, name: 'a"b' })).toThrow(
      /^stack\/l2: invalid L2VlanNetwork\n {2}name: .*\n {2}physicalInterface: .*\n {2}vlan: .*$/,
    );
  });
});

describe('attaching an L2 network to clusters', () => {
  it('GIVEN attachedClusters WHEN synthesized THEN one attachment per cluster references both the L2 and the cluster', () => {
    const stack = newStack();
    const zone = new Zone(stack, 'zone1');
    const c1 = new Cluster(stack, 'cluster1', { zone });
    const c2 = new Cluster(stack, 'cluster2', { zone });
    const l2 = new L2NoVlanNetwork(stack, 'l2', { zone, physicalInterface: 'eth1', attachedClusters: [c1, c2] });
    const synthesized = Testing.synth(stack);
    const l2Uuid = refTo(l2.node.defaultChild as L2NoVlanResource);
    expect(Object.values(resourcesOf(synthesized, L2NetworkClusterAttachment))).toEqual([
      { l2_network_uuid: l2Uuid, cluster_uuid: refTo(c1.resource) },
      { l2_network_uuid: l2Uuid, cluster_uuid: refTo(c2.resource) },
    ]);
    expect(l2.attachedClusters).toEqual([c1, c2]);
    expect([...l2.attachments.keys()]).toEqual([c1, c2]);
    expect(c1.attachedL2Networks).toEqual([l2]);
  });

  it('GIVEN attachToCluster after construction WHEN synthesized THEN the attachment references both and is returned', () => {
    const stack = newStack();
    const { zone, cluster } = zoneWithCluster(stack);
    const l2 = new L2VlanNetwork(stack, 'l2', { zone, physicalInterface: 'eth0', vlan: 10 });
    const attachment = l2.attachToCluster(cluster);
    const synthesized = Testing.synth(stack);
    expect(configOf(synthesized, attachment)).toEqual({ l2_network_uuid: refTo(l2.node.defaultChild as L2VlanResource), cluster_uuid: refTo(cluster.resource) });
    expect(l2.attachments.get(cluster)).toBe(attachment);
  });

  it('GIVEN the same cluster attached twice WHEN synthesized THEN there is one attachment and the same one is returned', () => {
    const stack = newStack();
    const { zone, cluster } = zoneWithCluster(stack);
    const l2 = new L2NoVlanNetwork(stack, 'l2', { zone, physicalInterface: 'eth0', attachedClusters: [cluster] });
    expect(l2.attachToCluster(cluster)).toBe(l2.attachments.get(cluster));
    expect(Object.keys(resourcesOf(Testing.synth(stack), L2NetworkClusterAttachment))).toHaveLength(1);
  });

  it('GIVEN a cluster looked up by name WHEN attached THEN the attachment references the data source uuid', () => {
    const stack = newStack();
    const zone = new Zone(stack, 'zone1');
    const existing = Cluster.fromName(stack, 'existing', 'compute-a');
    const l2 = new L2NoVlanNetwork(stack, 'l2', { zone, physicalInterface: 'eth0' });
    const attachment = l2.attachToCluster(existing);
    expect(configOf(Testing.synth(stack), attachment).cluster_uuid).toBe('${data.netforge_cluster.existing.uuid}');
  });

  it('GIVEN clusters with one id in different scopes WHEN one L2 is attached to both THEN each gets its own attachment', () => {
    const stack = newStack();
    const zone = new Zone(stack, 'zone1');
    const rackA = new Construct(stack, 'rack-a');
    const rackB = new Construct(stack, 'rack-b');
    const ca = new Cluster(rackA, 'compute', { zone, name: 'compute-a' });
    const cb = new Cluster(rackB, 'compute', { zone, name: 'compute-b' });
    const l2 = new L2NoVlanNetwork(stack, 'l2', { zone, physicalInterface: 'eth0', attachedClusters: [ca, cb] });
    const synthesized = Testing.synth(stack);
    expect(Object.keys(resourcesOf(synthesized, L2NetworkClusterAttachment))).toHaveLength(2);
    expect(configOf(synthesized, l2.attachments.get(ca)!).cluster_uuid).toBe(refTo(ca.resource));
    expect(configOf(synthesized, l2.attachments.get(cb)!).cluster_uuid).toBe(refTo(cb.resource));
    expect(l2.attachedClusters).toEqual([ca, cb]);
  });

  it('GIVEN a VLAN already on an interface of a cluster WHEN another L2 with that VLAN and interface is attached THEN it throws naming both networks and the cluster', () => {
    const stack = newStack();
    const { zone, cluster } = zoneWithCluster(stack);
    new L2VlanNetwork(stack, 'vlan10-a', { zone, physicalInterface: 'eth0', vlan: 10, attachedClusters: [cluster] });
    const second = new L2VlanNetwork(stack, 'vlan10-b', { zone, physicalInterface: 'eth0', vlan: 10 });
    expect(() => second.attachToCluster(cluster)).toThrow(
      /^stack\/vlan10-b: invalid L2VlanNetwork\n {2}clusterUuid: Cluster 'cluster' \(stack\/cluster\) already has VLAN 10 on interface eth0 through L2Network 'vlan10-a' \(stack\/vlan10-a\) \[VLAN_CONFLICT\]$/,
    );
    expect(second.attachedClusters).toEqual([]);
    expect(cluster.attachedL2Networks.map((l2) => l2.node.id)).toEqual(['vlan10-a']);
  });

  it('GIVEN the conflict comes from attachedClusters WHEN constructed THEN the constructor throws', () => {
    const stack = newStack();
    const { zone, cluster } = zoneWithCluster(stack);
    new L2VlanNetwork(stack, 'vlan10-a', { zone, physicalInterface: 'eth0', vlan: 10, attachedClusters: [cluster] });
    expect(() => new L2VlanNetwork(stack, 'vlan10-b', { zone, physicalInterface: 'eth0', vlan: 10, attachedClusters: [cluster] })).toThrow(/\[VLAN_CONFLICT\]/);
  });

  it('GIVEN one VLAN on different interfaces, or on one interface in different clusters WHEN attached THEN it is accepted', () => {
    const stack = newStack();
    const zone = new Zone(stack, 'zone1');
    const c1 = new Cluster(stack, 'cluster1', { zone });
    const c2 = new Cluster(stack, 'cluster2', { zone });
    new L2VlanNetwork(stack, 'a', { zone, physicalInterface: 'eth0', vlan: 10, attachedClusters: [c1] });
    expect(() => new L2VlanNetwork(stack, 'b', { zone, physicalInterface: 'eth1', vlan: 10, attachedClusters: [c1] })).not.toThrow();
    expect(() => new L2VlanNetwork(stack, 'c', { zone, physicalInterface: 'eth0', vlan: 10, attachedClusters: [c2] })).not.toThrow();
    expect(() => new L2VlanNetwork(stack, 'd', { zone, physicalInterface: 'eth0', vlan: 11, attachedClusters: [c1] })).not.toThrow();
  });

  it('GIVEN a NoVlan network on an interface of a cluster WHEN a second NoVlan on that interface is attached THEN it throws naming the first', () => {
    const stack = newStack();
    const { zone, cluster } = zoneWithCluster(stack);
    new L2NoVlanNetwork(stack, 'flat-a', { zone, physicalInterface: 'eth1', attachedClusters: [cluster] });
    expect(() => new L2NoVlanNetwork(stack, 'flat-b', { zone, physicalInterface: 'eth1', attachedClusters: [cluster] })).toThrow(
      /^stack\/flat-b: invalid L2NoVlanNetwork\n {2}clusterUuid: Cluster 'cluster' \(stack\/cluster\) already has NoVlan L2Network 'flat-a' \(stack\/flat-a\) on interface eth1 \[NOVLAN_INTERFACE_CONFLICT\]$/,
    );
  });

  it('GIVEN a NoVlan network on an interface WHEN a VLAN or VXLAN network on that interface is attached THEN it is accepted', () => {
    const stack = newStack();
    const { zone, cluster } = zoneWithCluster(stack);
    new L2NoVlanNetwork(stack, 'flat', { zone, physicalInterface: 'eth0', attachedClusters: [cluster] });
    expect(() => new L2VlanNetwork(stack, 'vlan', { zone, physicalInterface: 'eth0', vlan: 10, attachedClusters: [cluster] })).not.toThrow();
    expect(() => new L2VxlanNetwork(stack, 'vxlan', { zone, physicalInterface: 'eth0', vni: 10, attachedClusters: [cluster] })).not.toThrow();
  });

  it('GIVEN an L2 and a cluster in different zones WHEN attached THEN it throws naming both', () => {
    const stack = newStack();
    const zoneA = new Zone(stack, 'zone-a');
    const zoneB = new Zone(stack, 'zone-b');
    const cluster = new Cluster(stack, 'cluster', { zone: zoneB });
    const l2 = new L2NoVlanNetwork(stack, 'l2', { zone: zoneA, physicalInterface: 'eth0' });
    expect(() => l2.attachToCluster(cluster)).toThrow(
      /^stack\/l2: invalid L2NoVlanNetwork\n {2}clusterUuid: L2Network 'l2' \(stack\/l2\) and Cluster 'cluster' \(stack\/cluster\) are in different zones \[ZONE_MISMATCH\]$/,
    );
    expect(resourcesOf(Testing.synth(stack), L2NetworkClusterAttachment)).toEqual({});
  });
});

describe('unresolved L2 values', () => {
  it('GIVEN VLAN, VNI, interface and name from variables WHEN constructed and synthesized THEN no rule reports them and the references synthesize', () => {
    const stack = newStack();
    const zone = new Zone(stack, 'zone1');
    const vlan = new TerraformVariable(stack, 'vlan', { type: 'number' });
    const vni = new TerraformVariable(stack, 'vni', { type: 'number' });
    const iface = new TerraformVariable(stack, 'iface', { type: 'string' });
    const name = new TerraformVariable(stack, 'name', { type: 'string' });
    const vlanNet = new L2VlanNetwork(stack, 'vlan-net', { zone, physicalInterface: iface.stringValue, vlan: vlan.numberValue, name: name.stringValue });
    const vxlanA = new L2VxlanNetwork(stack, 'vxlan-a', { zone, physicalInterface: 'eth0', vni: vni.numberValue });
    new L2VxlanNetwork(stack, 'vxlan-b', { zone, physicalInterface: 'eth0', vni: vni.numberValue });
    const synthesized = synthValidated(stack);
    expect(configOf(synthesized, vlanNet.node.defaultChild as L2VlanResource)).toEqual(
      expect.objectContaining({ name: '${var.name}', physical_interface: '${var.iface}', vlan: '${var.vlan}' }),
    );
    expect(configOf(synthesized, vxlanA.node.defaultChild as L2VxlanResource).vni).toBe('${var.vni}');
  });

  it('GIVEN a VLAN from a variable on an interface that has VLAN 10 WHEN attached THEN no conflict is reported (left to plan time)', () => {
    const stack = newStack();
    const { zone, cluster } = zoneWithCluster(stack);
    const vlan = new TerraformVariable(stack, 'vlan', { type: 'number' });
    new L2VlanNetwork(stack, 'vlan10', { zone, physicalInterface: 'eth0', vlan: 10, attachedClusters: [cluster] });
    expect(() => new L2VlanNetwork(stack, 'vlan-var', { zone, physicalInterface: 'eth0', vlan: vlan.numberValue, attachedClusters: [cluster] })).not.toThrow();
    expect(() => new L2VlanNetwork(stack, 'vlan10-again', { zone, physicalInterface: 'eth0', vlan: 10, attachedClusters: [cluster] })).toThrow(/VLAN_CONFLICT/);
  });

  it('GIVEN NoVlan networks on an interface from a variable WHEN attached to a cluster with a NoVlan on eth0 THEN no conflict is reported', () => {
    const stack = newStack();
    const { zone, cluster } = zoneWithCluster(stack);
    const iface = new TerraformVariable(stack, 'iface', { type: 'string' });
    new L2NoVlanNetwork(stack, 'flat', { zone, physicalInterface: 'eth0', attachedClusters: [cluster] });
    expect(() => new L2NoVlanNetwork(stack, 'flat-var', { zone, physicalInterface: iface.stringValue, attachedClusters: [cluster] })).not.toThrow();
  });
});
