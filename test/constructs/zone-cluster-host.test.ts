import { Testing, TerraformVariable } from 'cdktf';
import { Cluster, Host, HypervisorTypes, NetforgeValidationError, Zone } from '../../constructs';
import { Cluster as ClusterResource } from '../../constructs/imports/providers/netforge/cluster';
import { DataNetforgeCluster } from '../../constructs/imports/providers/netforge/data-netforge-cluster';
import { DataNetforgeZone } from '../../constructs/imports/providers/netforge/data-netforge-zone';
import { Host as HostResource } from '../../constructs/imports/providers/netforge/host';
import { Zone as ZoneResource } from '../../constructs/imports/providers/netforge/zone';
import { configOf, newStack, refTo, removeTestOutdir, resolve, resourcesOf, TEST_AGENT_FINGERPRINT, synthScope } from './helpers';

Testing.setupJest();
afterAll(removeTestOutdir);

describe('Zone', () => {
  it('GIVEN no props WHEN synthesized THEN one netforge_zone named after the construct id', () => {
    const synthesized = synthScope((scope) => {
      new Zone(scope, 'zone1');
    });
    expect(synthesized).toHaveResourceWithProperties(ZoneResource, { name: 'zone1' });
    expect(Object.values(resourcesOf(synthesized, ZoneResource))).toEqual([{ name: 'zone1' }]);
  });

  it('GIVEN a name and description WHEN synthesized THEN both are passed through', () => {
    const synthesized = synthScope((scope) => {
      new Zone(scope, 'zone1', { name: 'prod zone', description: 'the production zone' });
    });
    expect(synthesized).toHaveResourceWithProperties(ZoneResource, { name: 'prod zone', description: 'the production zone' });
  });

  it('GIVEN a zone WHEN inspected THEN the wrapped resource is the default child and zoneUuid is its uuid', () => {
    const stack = newStack();
    const zone = new Zone(stack, 'zone1');
    expect(zone.node.defaultChild).toBe(zone.resource);
    expect(zone.node.defaultChild?.node.id).toBe('Resource');
    expect(resolve(stack, zone.zoneUuid)).toBe(refTo(zone.resource));
    expect(zone.zoneName).toBe('zone1');
  });

  it('GIVEN Zone.fromName WHEN synthesized THEN a netforge_zone data source filters by that name and no zone is created', () => {
    const stack = newStack();
    const zone = Zone.fromName(stack, 'existing', 'prod');
    const cluster = new Cluster(stack, 'cluster', { zone });
    const synthesized = Testing.synth(stack);
    expect(synthesized).toHaveDataSourceWithProperties(DataNetforgeZone, { name: 'prod' });
    expect(resourcesOf(synthesized, ZoneResource)).toEqual({});
    const data = stack.node.findChild('existing') as DataNetforgeZone;
    expect(zone.zoneName).toBe('prod');
    expect(resolve(stack, zone.zoneUuid)).toBe(refTo(data));
    expect(configOf(synthesized, cluster.resource).zone_uuid).toBe(refTo(data));
  });

  it.each([
    ['a double quote', 'zone"1'],
    ['a single quote', "zone'1"],
    ['a semicolon', 'zone;drop'],
    ['a leading space', ' zone'],
    ['unicode look-alikes', 'zоne'], // Cyrillic о
    ['an emoji', 'zone🙂'],
  ])('GIVEN a name with %s WHEN constructed THEN it throws naming the construct path and the name field', (_label, name) => {
    const stack = newStack();
    expect(() => new Zone(stack, 'zone1', { name })).toThrow(/^stack\/zone1: invalid Zone\n {2}name: name .* may contain only letters, digits.* \[INVALID_NAME\]$/);
  });

  it('GIVEN an invalid id and no name WHEN constructed THEN the id (the default name) is rejected', () => {
    expect(() => new Zone(newStack(), 'zone"1')).toThrow(/name: name "zone\\"1" may contain only/);
  });

  it('GIVEN a description with a control character WHEN constructed THEN it throws at description', () => {
    expect(() => new Zone(newStack(), 'zone1', { description: 'bad\u0007bell' })).toThrow(/stack\/zone1: invalid Zone\n {2}description: .*\[INVALID_DESCRIPTION\]/);
  });

  it('GIVEN a rule failure WHEN thrown THEN it is a NetforgeValidationError carrying the construct and the violations', () => {
    const stack = newStack();
    let error: unknown;
    try {
      new Zone(stack, 'zone1', { name: 'a"b' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(NetforgeValidationError);
    expect((error as NetforgeValidationError).violations).toEqual([expect.objectContaining({ code: 'INVALID_NAME', path: 'name' })]);
    expect((error as NetforgeValidationError).construct.node.path).toBe('stack/zone1');
  });
});

describe('Cluster', () => {
  it('GIVEN only a zone WHEN synthesized THEN hypervisor type defaults to KVM, name to the id, and zone_uuid references the zone', () => {
    const stack = newStack();
    const zone = new Zone(stack, 'zone1');
    const cluster = new Cluster(stack, 'cluster1', { zone });
    const synthesized = Testing.synth(stack);
    expect(synthesized).toHaveResourceWithProperties(ClusterResource, { name: 'cluster1', hypervisor_type: 'KVM', zone_uuid: refTo(zone.resource) });
    expect(cluster.hypervisorType).toBe(HypervisorTypes.KVM);
    expect(cluster.node.defaultChild).toBe(cluster.resource);
    expect(resolve(stack, cluster.clusterUuid)).toBe(refTo(cluster.resource));
  });

  it('GIVEN a Simulator cluster with a name WHEN synthesized THEN both are set', () => {
    const synthesized = synthScope((scope) => {
      new Cluster(scope, 'cluster1', { zone: new Zone(scope, 'zone1'), name: 'sim', hypervisorType: HypervisorTypes.SIMULATOR, description: 'lab' });
    });
    expect(synthesized).toHaveResourceWithProperties(ClusterResource, { name: 'sim', hypervisor_type: 'Simulator', description: 'lab' });
  });

  it('GIVEN addHost WHEN synthesized THEN the host references the cluster, is named after its id and is tracked on the cluster', () => {
    const stack = newStack();
    const cluster = new Cluster(stack, 'cluster1', { zone: new Zone(stack, 'zone1') });
    const host = cluster.addHost('host1', { managementIp: '10.0.1.11', agentFingerprint: TEST_AGENT_FINGERPRINT });
    cluster.addHost('host2', { managementIp: '10.0.1.12', name: 'second', description: 'rack 2', agentFingerprint: TEST_AGENT_FINGERPRINT });
    const synthesized = Testing.synth(stack);
    expect(configOf(synthesized, host.resource)).toEqual({ name: 'host1', management_ip: '10.0.1.11', agent_fingerprint: TEST_AGENT_FINGERPRINT, cluster_uuid: refTo(cluster.resource) });
    expect(synthesized).toHaveResourceWithProperties(HostResource, { name: 'second', management_ip: '10.0.1.12', description: 'rack 2', cluster_uuid: refTo(cluster.resource) });
    expect(cluster.hosts.map((h) => h.node.id)).toEqual(['host1', 'host2']);
    expect(host.node.scope).toBe(cluster);
    expect(resolve(stack, host.hostUuid)).toBe(refTo(host.resource));
  });

  it('GIVEN an invalid cluster name WHEN constructed THEN it throws naming the path and field', () => {
    const stack = newStack();
    expect(() => new Cluster(stack, 'cluster1', { zone: new Zone(stack, 'zone1'), name: "c'1" })).toThrow(/^stack\/cluster1: invalid Cluster\n {2}name: .*\[INVALID_NAME\]$/);
  });

  it('GIVEN Cluster.fromName with a zone WHEN synthesized THEN a netforge_cluster data source filters by name and zone', () => {
    const stack = newStack();
    const zone = Zone.fromName(stack, 'zone', 'prod');
    const cluster = Cluster.fromName(stack, 'existing', 'compute-a', zone);
    const synthesized = Testing.synth(stack);
    const data = stack.node.findChild('existing') as DataNetforgeCluster;
    expect(synthesized).toHaveDataSourceWithProperties(DataNetforgeCluster, { name: 'compute-a', zone_uuid: refTo(stack.node.findChild('zone') as DataNetforgeZone) });
    expect(cluster.clusterName).toBe('compute-a');
    expect(cluster.zone).toBe(zone);
    expect(resolve(stack, cluster.clusterUuid)).toBe(refTo(data));
    expect(resourcesOf(synthesized, ClusterResource)).toEqual({});
  });

  it('GIVEN Cluster.fromName without a zone WHEN synthesized THEN the data source filters by name only', () => {
    const synthesized = synthScope((scope) => {
      Cluster.fromName(scope, 'existing', 'compute-a');
    });
    const data = Object.values(JSON.parse(synthesized).data.netforge_cluster) as Record<string, unknown>[];
    expect(data).toEqual([{ name: 'compute-a' }]);
  });

  it('GIVEN a host added to a looked-up cluster WHEN synthesized THEN it references the data source uuid', () => {
    const stack = newStack();
    const cluster = Cluster.fromName(stack, 'existing', 'compute-a');
    const host = new Host(stack, 'host1', { cluster, managementIp: '10.0.0.5', agentFingerprint: TEST_AGENT_FINGERPRINT });
    expect(configOf(Testing.synth(stack), host.resource).cluster_uuid).toBe(refTo(stack.node.findChild('existing') as DataNetforgeCluster));
  });
});

describe('Host', () => {
  it('GIVEN Host.fromHostUuid WHEN called THEN it is a construct with that uuid and nothing is synthesized for it', () => {
    const stack = newStack();
    const host = Host.fromHostUuid(stack, 'existing', '6f1c9a1e-1111-4222-8333-444455556666');
    expect(host.hostUuid).toBe('6f1c9a1e-1111-4222-8333-444455556666');
    expect(host.node.path).toBe('stack/existing');
    const synthesized = JSON.parse(Testing.synth(stack)) as { resource?: unknown; data?: unknown };
    expect(synthesized.resource).toBeUndefined();
    expect(synthesized.data).toBeUndefined();
  });

  it.each(['10.0.0', 'host.example.com', '10.0.0.256', ''])('GIVEN management IP %j WHEN added THEN it throws at managementIp', (managementIp) => {
    const stack = newStack();
    const cluster = new Cluster(stack, 'cluster1', { zone: new Zone(stack, 'zone1') });
    expect(() => cluster.addHost('host1', { managementIp, agentFingerprint: TEST_AGENT_FINGERPRINT })).toThrow(/^stack\/cluster1\/host1: invalid Host\n {2}managementIp: .* is not an IP address \[INVALID_IP\]$/);
  });

  it('GIVEN an IPv6 management IP WHEN added THEN it is accepted', () => {
    const stack = newStack();
    const cluster = new Cluster(stack, 'cluster1', { zone: new Zone(stack, 'zone1') });
    expect(() => cluster.addHost('host1', { managementIp: 'fd00::11', agentFingerprint: TEST_AGENT_FINGERPRINT })).not.toThrow();
  });

  it('GIVEN a host name with a quote WHEN added THEN it throws at name', () => {
    const stack = newStack();
    const cluster = new Cluster(stack, 'cluster1', { zone: new Zone(stack, 'zone1') });
    expect(() => cluster.addHost('host1', { managementIp: '10.0.0.1', name: 'h"1', agentFingerprint: TEST_AGENT_FINGERPRINT })).toThrow(/stack\/cluster1\/host1: invalid Host\n {2}name: .*\[INVALID_NAME\]/);
  });
});

describe('KVM host identity', () => {
  it('GIVEN a KVM host without its agent fingerprint WHEN constructed THEN synth fails naming the host and the field; a Simulator host needs none and may have none', () => {
    const stack = newStack();
    const kvm = new Cluster(stack, 'kvm', { zone: new Zone(stack, 'zone'), hypervisorType: 'KVM' });
    expect(() => kvm.addHost('h1', { managementIp: '10.0.0.1' })).toThrow(/^stack\/kvm\/h1: invalid Host\n {2}agentFingerprint: a KVM host needs the fingerprint of its agent certificate.*\[AGENT_FINGERPRINT_REQUIRED\]$/);
    expect(() => kvm.addHost('h2', { managementIp: '10.0.0.2', agentFingerprint: 'sha256:xyz' })).toThrow(/\[INVALID_AGENT_FINGERPRINT\]/);
    const sim = new Cluster(stack, 'sim', { zone: new Zone(stack, 'zone2'), hypervisorType: 'Simulator' });
    expect(() => sim.addHost('h3', { managementIp: '10.0.0.3' })).not.toThrow();
    expect(() => sim.addHost('h4', { managementIp: '10.0.0.4', agentFingerprint: TEST_AGENT_FINGERPRINT })).toThrow(/\[FIELD_NOT_ALLOWED\]/);
  });
});

describe('unresolved values on zones, clusters and hosts', () => {
  it('GIVEN names, descriptions and a management IP from variables WHEN constructed THEN nothing is rejected and the references synthesize', () => {
    const stack = newStack();
    const name = new TerraformVariable(stack, 'name', { type: 'string' });
    const ip = new TerraformVariable(stack, 'ip', { type: 'string' });
    const zone = new Zone(stack, 'zone1', { name: name.stringValue, description: name.stringValue });
    const cluster = new Cluster(stack, 'cluster1', { zone, name: name.stringValue });
    const host = cluster.addHost('host1', { managementIp: ip.stringValue, name: name.stringValue, agentFingerprint: TEST_AGENT_FINGERPRINT });
    const synthesized = Testing.synth(stack);
    expect(configOf(synthesized, zone.resource)).toEqual({ name: '${var.name}', description: '${var.name}' });
    expect(configOf(synthesized, host.resource)).toEqual({ name: '${var.name}', management_ip: '${var.ip}', agent_fingerprint: TEST_AGENT_FINGERPRINT, cluster_uuid: refTo(cluster.resource) });
  });
});
