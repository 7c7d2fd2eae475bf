import { dependable, Testing, TerraformVariable, type TerraformStack } from 'cdktf';
import { Cluster, L2NoVlanNetwork, L2VxlanNetwork, L3Network, VmInstance, Zone } from '../../constructs';
import { VmInstance as VmInstanceResource } from '../../constructs/imports/providers/netforge/vm-instance';
import { addressOf, configOf, newStack, refTo, removeTestOutdir, resolve, synthValidated, TEST_AGENT_FINGERPRINT } from './helpers';

Testing.setupJest();
afterAll(removeTestOutdir);

/** zone; cluster c1 (2 hosts) and c2 (1 host); flat L2 on both, overlay L2 on c2; one L3 with a range on each. */
function topology(stack: TerraformStack) {
  const zone = new Zone(stack, 'zone');
  const c1 = new Cluster(stack, 'c1', { zone });
  const c2 = new Cluster(stack, 'c2', { zone });
  const h11 = c1.addHost('h11', { managementIp: '10.255.1.11', agentFingerprint: TEST_AGENT_FINGERPRINT });
  const h12 = c1.addHost('h12', { managementIp: '10.255.1.12', agentFingerprint: TEST_AGENT_FINGERPRINT });
  const h21 = c2.addHost('h21', { managementIp: '10.255.2.11', agentFingerprint: TEST_AGENT_FINGERPRINT });
  const flat = new L2NoVlanNetwork(stack, 'flat', { zone, physicalInterface: 'eth1', attachedClusters: [c1, c2] });
  const overlay = new L2VxlanNetwork(stack, 'overlay', { zone, physicalInterface: 'eth0', vni: 100, attachedClusters: [c2] });
  const pub = new L3Network(stack, 'pub', { l2Network: flat, cidr: '192.168.0.0/24', ipRanges: { r: { startIp: '192.168.0.10', endIp: '192.168.0.99' } } });
  const priv = new L3Network(stack, 'priv', { l2Network: overlay, cidr: '10.10.0.0/24', ipRanges: { r: { startIp: '10.10.0.10', endIp: '10.10.0.99' } } });
  return { zone, c1, c2, h11, h12, h21, flat, overlay, pub, priv };
}

describe('VmInstance', () => {
  it('GIVEN L3 networks WHEN synthesized THEN the VM is named after its id and lists their uuids in the given order', () => {
    const stack = newStack();
    const { pub, priv } = topology(stack);
    const vm = new VmInstance(stack, 'vm-db', { l3Networks: [priv, pub] });
    const config = configOf(synthValidated(stack), vm.resource);
    expect(config.name).toBe('vm-db');
    expect(config.l3_network_uuids).toEqual([refTo(priv.resource), refTo(pub.resource)]);
    expect(vm.node.defaultChild).toBe(vm.resource);
  });

  it('GIVEN a name WHEN synthesized THEN it is used', () => {
    const stack = newStack();
    const { pub } = topology(stack);
    new VmInstance(stack, 'vm', { l3Networks: [pub], name: 'web-01' });
    expect(synthValidated(stack)).toHaveResourceWithProperties(VmInstanceResource, { name: 'web-01', l3_network_uuids: [refTo(pub.resource)] });
  });

  it('GIVEN a host name WHEN synthesized THEN it is sent; an invalid one throws naming the construct and hostname', () => {
    const stack = newStack();
    const { pub } = topology(stack);
    new VmInstance(stack, 'vm', { l3Networks: [pub], hostname: 'web-01' });
    expect(synthValidated(stack)).toHaveResourceWithProperties(VmInstanceResource, { hostname: 'web-01' });
    expect(() => new VmInstance(stack, 'bad', { l3Networks: [pub], hostname: 'web,set:x' })).toThrow(
      /^stack\/bad: invalid VmInstance\n {2}hostname: hostname "web,set:x" must be 1-63 lower-case letters, digits and -.* \[INVALID_HOSTNAME\]$/,
    );
  });

  it('GIVEN a host WHEN synthesized THEN the VM is pinned to it; a host whose cluster does not carry its L2s fails synth with HOST_NOT_ELIGIBLE', () => {
    const stack = newStack();
    const { priv, h11, h21 } = topology(stack);
    const vm = new VmInstance(stack, 'pinned', { l3Networks: [priv], host: h21 });
    expect(configOf(synthValidated(stack), vm.resource).host_uuid).toBe(refTo(h21.resource));
    new VmInstance(stack, 'misplaced', { l3Networks: [priv], host: h11 }); // the overlay is on c2 only
    expect(() => synthValidated(stack)).toThrow(/\[stack\/misplaced\] host: host 'h11' is not in a cluster attached to every L2 network under the VM's L3 networks \[HOST_NOT_ELIGIBLE\]/);
  });

  it('GIVEN two VMs whose names make the same host name on one L3 WHEN the second is constructed THEN it throws HOSTNAME_CONFLICT naming the first', () => {
    const stack = newStack();
    const { pub, priv } = topology(stack);
    new VmInstance(stack, 'first', { l3Networks: [pub], name: 'Web 1' });
    new VmInstance(stack, 'elsewhere', { l3Networks: [priv], name: 'web-1' });
    expect(() => new VmInstance(stack, 'second', { l3Networks: [pub], name: 'web-1' })).toThrow(
      /hostname: hostname 'web-1' is already used by VM 'Web 1' \(stack\/first\) on L3 network 'pub'; give this VM another hostname \[HOSTNAME_CONFLICT\]/,
    );
    expect(() => new VmInstance(stack, 'third', { l3Networks: [pub], name: 'web-1', hostname: 'web-2' })).not.toThrow();
  });

  it('GIVEN a VM WHEN its outputs are read THEN uuid, host and addresses are the resource attributes', () => {
    const stack = newStack();
    const vm = new VmInstance(stack, 'vm', { l3Networks: [topology(stack).pub] });
    expect(resolve(stack, vm.vmInstanceUuid)).toBe(refTo(vm.resource));
    expect(resolve(stack, vm.hostUuid)).toBe(refTo(vm.resource, 'host_uuid'));
    expect(resolve(stack, vm.ipAddresses)).toBe(refTo(vm.resource, 'ip_addresses'));
  });

  describe('depends_on added at synth', () => {
    it('GIVEN a VM on both L2s WHEN synthesized THEN it depends on the L2 attachments, the L3 ranges and the hosts of the only eligible cluster', () => {
      const stack = newStack();
      const { c1, c2, h21, flat, overlay, pub, priv } = topology(stack);
      const vm = new VmInstance(stack, 'vm', { l3Networks: [pub, priv] });
      const dependsOn = configOf(synthValidated(stack), vm.resource).depends_on;
      expect(dependsOn).toEqual([
        addressOf(flat.attachments.get(c1)!),
        addressOf(flat.attachments.get(c2)!),
        addressOf(overlay.attachments.get(c2)!),
        addressOf(pub.ipRanges[0].resource),
        addressOf(priv.ipRanges[0].resource),
        addressOf(h21.resource),
      ]);
    });

    it('GIVEN a VM on the flat L2 only WHEN synthesized THEN it depends on the hosts of both clusters', () => {
      const stack = newStack();
      const { h11, h12, h21, pub } = topology(stack);
      const vm = new VmInstance(stack, 'vm', { l3Networks: [pub] });
      const dependsOn = configOf(synthValidated(stack), vm.resource).depends_on as string[];
      expect(dependsOn.filter((d) => d.startsWith('netforge_host.'))).toEqual([addressOf(h11.resource), addressOf(h12.resource), addressOf(h21.resource)]);
    });

    it('GIVEN attachments, ranges and hosts added AFTER the VM WHEN synthesized THEN the VM depends on them too', () => {
      const stack = newStack();
      const { c1, h11, h12, overlay, pub, priv } = topology(stack);
      const vm = new VmInstance(stack, 'vm', { l3Networks: [pub, priv] });
      const lateAttachment = overlay.attachToCluster(c1);
      const lateRange = priv.addIpRange('late', { startIp: '10.10.0.150', endIp: '10.10.0.160' });
      const lateHost = c1.addHost('h13', { managementIp: '10.255.1.13', agentFingerprint: TEST_AGENT_FINGERPRINT });
      const dependsOn = configOf(synthValidated(stack), vm.resource).depends_on as string[];
      expect(dependsOn).toEqual(expect.arrayContaining([addressOf(lateAttachment), addressOf(lateRange.resource), addressOf(h11.resource), addressOf(h12.resource), addressOf(lateHost.resource)]));
    });

    it('GIVEN two L3s on one L2 WHEN synthesized THEN each attachment appears once', () => {
      const stack = newStack();
      const { c1, c2, flat, pub } = topology(stack);
      const pub2 = new L3Network(stack, 'pub2', { l2Network: flat, cidr: '192.168.1.0/24' });
      const vm = new VmInstance(stack, 'vm', { l3Networks: [pub, pub2] });
      const dependsOn = configOf(synthValidated(stack), vm.resource).depends_on as string[];
      expect(dependsOn.filter((d) => d.startsWith('netforge_l2_network_cluster_attachment.'))).toEqual([addressOf(flat.attachments.get(c1)!), addressOf(flat.attachments.get(c2)!)]);
    });

    it('GIVEN the stack is synthesized twice WHEN read THEN depends_on is not repeated', () => {
      const stack = newStack();
      const vm = new VmInstance(stack, 'vm', { l3Networks: [topology(stack).pub] });
      const first = configOf(synthValidated(stack), vm.resource).depends_on;
      const second = configOf(synthValidated(stack), vm.resource).depends_on;
      expect(second).toEqual(first);
      expect(new Set(second as string[]).size).toBe((second as string[]).length);
    });

    it('GIVEN a range added between two synths WHEN synthesized again THEN it is added once', () => {
      const stack = newStack();
      const { pub } = topology(stack);
      const vm = new VmInstance(stack, 'vm', { l3Networks: [pub] });
      synthValidated(stack);
      const late = pub.addIpRange('late', { startIp: '192.168.0.150', endIp: '192.168.0.160' });
      const dependsOn = configOf(synthValidated(stack), vm.resource).depends_on as string[];
      expect(dependsOn.filter((d) => d === addressOf(late.resource))).toHaveLength(1);
      expect(new Set(dependsOn).size).toBe(dependsOn.length);
    });

    it('GIVEN depends_on set by the user WHEN synthesized THEN it is kept', () => {
      const stack = newStack();
      const { zone, pub } = topology(stack);
      const vm = new VmInstance(stack, 'vm', { l3Networks: [pub] });
      vm.resource.dependsOn = [dependable(zone.resource)];
      const dependsOn = configOf(synthValidated(stack), vm.resource).depends_on as string[];
      expect(dependsOn[0]).toBe(addressOf(zone.resource));
      expect(dependsOn).toContain(addressOf(pub.ipRanges[0].resource));
    });
  });

  describe('rules', () => {
    it('GIVEN no L3 networks WHEN constructed THEN it throws naming the path and l3Networks', () => {
      expect(() => new VmInstance(newStack(), 'vm', { l3Networks: [] })).toThrow(/^stack\/vm: invalid VmInstance\n {2}l3Networks: a VM needs at least one L3 network \[NO_L3_NETWORKS\]$/);
    });

    it('GIVEN L3 networks with overlapping CIDRs WHEN constructed THEN it throws naming both networks', () => {
      const stack = newStack();
      const { zone, c1, pub } = topology(stack);
      const other = new L2NoVlanNetwork(stack, 'other', { zone, physicalInterface: 'eth2', attachedClusters: [c1] });
      const overlapping = new L3Network(stack, 'overlapping', { l2Network: other, cidr: '192.168.0.128/25' });
      expect(() => new VmInstance(stack, 'vm', { l3Networks: [pub, overlapping] })).toThrow(
        /^stack\/vm: invalid VmInstance\n {2}l3NetworkUuids\[1\]: L3Network 'overlapping' \(stack\/overlapping\) 192\.168\.0\.128\/25 overlaps L3Network 'pub' \(stack\/pub\) 192\.168\.0\.0\/24 \[VM_L3_CIDR_OVERLAP\]$/,
      );
    });

    it('GIVEN one L3 network listed twice WHEN constructed THEN it throws', () => {
      const stack = newStack();
      const { pub } = topology(stack);
      expect(() => new VmInstance(stack, 'vm', { l3Networks: [pub, pub] })).toThrow(/l3NetworkUuids\[1\]: L3Network 'pub' \(stack\/pub\) is listed twice \[DUPLICATE_L3_NETWORK\]/);
    });

    it('GIVEN a bad name WHEN constructed THEN it throws at name', () => {
      const stack = newStack();
      expect(() => new VmInstance(stack, 'vm', { l3Networks: [topology(stack).pub], name: 'vm"1' })).toThrow(/^stack\/vm: invalid VmInstance\n {2}name: .*\[INVALID_NAME\]$/);
    });

    it('GIVEN L2s that no single cluster carries WHEN synthesized THEN synth fails naming the VM, l3Networks and the L2 networks', () => {
      const stack = newStack();
      const { zone, c1, pub } = topology(stack);
      const onlyC1 = new L2NoVlanNetwork(stack, 'only-c1', { zone, physicalInterface: 'eth3', attachedClusters: [c1] });
      const l2OnlyC1 = new L3Network(stack, 'l3-only-c1', { l2Network: onlyC1, cidr: '10.20.0.0/24' });
      const priv = stack.node.findChild('priv') as L3Network; // overlay: c2 only
      new VmInstance(stack, 'vm', { l3Networks: [pub, l2OnlyC1, priv] });
      expect(() => synthValidated(stack)).toThrow(/\[stack\/vm\] l3Networks: no cluster in this app is attached to every L2 network of the VM \('flat', 'only-c1', 'overlay'\) \[NO_ELIGIBLE_HOST\]/);
    });

    it('GIVEN an L2 attached to no cluster WHEN synthesized THEN synth fails', () => {
      const stack = newStack();
      const zone = new Zone(stack, 'zone');
      const l2 = new L2NoVlanNetwork(stack, 'l2', { zone, physicalInterface: 'eth0' });
      const l3 = new L3Network(stack, 'l3', { l2Network: l2, cidr: '10.0.0.0/24' });
      new VmInstance(stack, 'vm', { l3Networks: [l3] });
      expect(() => synthValidated(stack)).toThrow(/\[stack\/vm\] l3Networks: no cluster in this app is attached to every L2 network of the VM \('l2'\) \[NO_ELIGIBLE_HOST\]/);
    });

    it('GIVEN the missing attachment is made after the VM WHEN synthesized THEN synth passes', () => {
      const stack = newStack();
      const zone = new Zone(stack, 'zone');
      const cluster = new Cluster(stack, 'cluster', { zone });
      cluster.addHost('host', { managementIp: '10.255.0.1', agentFingerprint: TEST_AGENT_FINGERPRINT });
      const l2 = new L2NoVlanNetwork(stack, 'l2', { zone, physicalInterface: 'eth0' });
      const l3 = new L3Network(stack, 'l3', { l2Network: l2, cidr: '10.0.0.0/24' });
      new VmInstance(stack, 'vm', { l3Networks: [l3] });
      l2.attachToCluster(cluster);
      expect(() => synthValidated(stack)).not.toThrow();
    });

    it('GIVEN the eligible clusters have no hosts WHEN synthesized THEN synth fails naming the VM and the L2', () => {
      const stack = newStack();
      const zone = new Zone(stack, 'zone');
      const empty = new Cluster(stack, 'empty', { zone });
      const l2 = new L2NoVlanNetwork(stack, 'l2', { zone, physicalInterface: 'eth0', attachedClusters: [empty] });
      const l3 = new L3Network(stack, 'l3', { l2Network: l2, cidr: '10.0.0.0/24' });
      new VmInstance(stack, 'vm', { l3Networks: [l3] });
      expect(() => synthValidated(stack)).toThrow(/\[stack\/vm\] l3Networks: the clusters attached to 'l2' have no hosts in this app \[NO_ELIGIBLE_HOST\]/);
      empty.addHost('late-host', { managementIp: '10.255.0.9', agentFingerprint: TEST_AGENT_FINGERPRINT });
      expect(() => synthValidated(stack)).not.toThrow();
    });

    it('GIVEN an eligible cluster looked up by name WHEN synthesized THEN its hosts are not required in this app', () => {
      const stack = newStack();
      const zone = new Zone(stack, 'zone');
      const l2 = new L2NoVlanNetwork(stack, 'l2', { zone, physicalInterface: 'eth0', attachedClusters: [Cluster.fromName(stack, 'existing', 'compute-a')] });
      const l3 = new L3Network(stack, 'l3', { l2Network: l2, cidr: '10.0.0.0/24' });
      new VmInstance(stack, 'vm', { l3Networks: [l3] });
      expect(() => synthValidated(stack)).not.toThrow();
    });

    it('GIVEN an L3 looked up by name WHEN synthesized THEN placement is left to the server and the uuid is the data source', () => {
      const stack = newStack();
      const existing = L3Network.fromName(stack, 'existing', 'shared');
      const vm = new VmInstance(stack, 'vm', { l3Networks: [existing] });
      const config = configOf(synthValidated(stack), vm.resource);
      expect(config.l3_network_uuids).toEqual(['${data.netforge_l3_network.existing.uuid}']);
      expect(config.depends_on).toBeUndefined();
    });
  });

  describe('unresolved values', () => {
    it('GIVEN a name from a variable WHEN constructed THEN it is not rejected', () => {
      const stack = newStack();
      const name = new TerraformVariable(stack, 'name', { type: 'string' });
      const vm = new VmInstance(stack, 'vm', { l3Networks: [topology(stack).pub], name: name.stringValue });
      expect(configOf(synthValidated(stack), vm.resource).name).toBe('${var.name}');
    });

    it('GIVEN an L3 whose CIDR is a variable WHEN a VM also uses an L3 with a known CIDR THEN no overlap is reported', () => {
      const stack = newStack();
      const { zone, c2, pub } = topology(stack);
      const cidr = new TerraformVariable(stack, 'cidr', { type: 'string' });
      const l2 = new L2NoVlanNetwork(stack, 'var-l2', { zone, physicalInterface: 'eth5', attachedClusters: [c2] });
      const fromVariable = new L3Network(stack, 'var-l3', { l2Network: l2, cidr: cidr.stringValue });
      expect(() => new VmInstance(stack, 'vm', { l3Networks: [pub, fromVariable] })).not.toThrow();
      expect(() => synthValidated(stack)).not.toThrow();
    });
  });
});
