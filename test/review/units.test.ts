/**
 * Review building blocks on small hand-made plans: references through count indexes,
 * deletion order, create_before_destroy, label escaping, synth error extraction.
 */
import { buildBatch } from '../../review/batch';
import { explainPlan } from '../../review/explain';
import { synthErrors } from '../../review/load-plan';
import { escapeLabel } from '../../lib/mermaid-label';
import { renderMermaid } from '../../review/mermaid';
import { parsePlan, referencedResource } from '../../review/plan';
import { buildTopology } from '../../review/topology';
import { validateStateless } from '../../review/validate';

const zone = (actions: string[], before: object | null, after: object | null, extra: object = {}) => ({
  address: 'netforge_zone.z',
  mode: 'managed',
  type: 'netforge_zone',
  change: { actions, before, after, after_unknown: after && !before ? { id: true, uuid: true } : {} },
  ...extra,
});

describe('review building blocks', () => {
  test('GIVEN references with and without instance keys WHEN resolved THEN they name the resource', () => {
    expect(referencedResource('netforge_zone.z.uuid')).toBe('netforge_zone.z');
    expect(referencedResource('netforge_zone.z[0].uuid')).toBe('netforge_zone.z[0]');
    expect(referencedResource('data.netforge_network_service_provider.vr.uuid')).toBe('data.netforge_network_service_provider.vr');
    expect(referencedResource('var.x')).toBeNull();
    expect(referencedResource('count.index')).toBeNull();
  });

  test('GIVEN counted L2 networks created with their zone WHEN batched THEN each refers to the zone by address after it', () => {
    const plan = parsePlan({
      terraform_version: '1.11.4',
      resource_changes: [
        ...[0, 1].map((i) => ({
          address: `netforge_l2_vlan_network.v[${i}]`,
          mode: 'managed',
          type: 'netforge_l2_vlan_network',
          change: { actions: ['create'], before: null, after: { name: `v${i}`, physical_interface: 'eth0', vlan: 10 + i, description: '' }, after_unknown: { zone_uuid: true, id: true, uuid: true } },
        })),
        zone(['create'], null, { name: 'z', description: '' }),
      ],
      configuration: {
        root_module: {
          resources: [
            { address: 'netforge_zone.z', expressions: { name: { constant_value: 'z' } } },
            {
              address: 'netforge_l2_vlan_network.v',
              expressions: { zone_uuid: { references: ['netforge_zone.z.uuid', 'netforge_zone.z'] }, vlan: { references: ['count.index'] } },
            },
          ],
        },
      },
    });
    const { entries, skipped } = buildBatch(plan);
    expect(skipped.size).toBe(0);
    expect(entries.map((e) => e.change.id)).toEqual(['netforge_zone.z', 'netforge_l2_vlan_network.v[0]', 'netforge_l2_vlan_network.v[1]']);
    expect(entries[1].change.attributes).toEqual({ type: 'L2VlanNetwork', name: 'v0', zoneUuid: { $ref: 'netforge_zone.z' }, physicalInterface: 'eth0', vlan: 10, description: '' });
  });

  test('GIVEN deletions and a create_before_destroy replacement WHEN batched THEN dependents go first and the old object goes last', () => {
    const plan = parsePlan({
      resource_changes: [
        {
          address: 'netforge_cluster.c',
          mode: 'managed',
          type: 'netforge_cluster',
          change: { actions: ['delete'], before: { uuid: 'c-1', id: 'c-1', name: 'c', zone_uuid: 'z-1', hypervisor_type: 'Simulator', description: '' }, after: null, after_unknown: {} },
        },
        zone(['delete'], { uuid: 'z-1', id: 'z-1', name: 'z', description: '' }, null),
        {
          address: 'netforge_zone.other',
          mode: 'managed',
          type: 'netforge_zone',
          change: { actions: ['create', 'delete'], before: { uuid: 'z-2', id: 'z-2', name: 'o', description: '' }, after: { name: 'o', description: '' }, after_unknown: { id: true, uuid: true } },
        },
      ],
    });
    expect(buildBatch(plan).entries.map((e) => `${e.change.action} ${e.change.id}`)).toEqual([
      'delete netforge_cluster.c',
      'delete netforge_zone.z',
      'create netforge_zone.other',
      'delete netforge_zone.other (old)',
    ]);
  });

  test('GIVEN a value known only after apply that refers to nothing created here WHEN batched THEN the change is left out and its dependents too, saying why', () => {
    const plan = parsePlan({
      resource_changes: [
        {
          address: 'netforge_zone.z',
          mode: 'managed',
          type: 'netforge_zone',
          change: { actions: ['create'], before: null, after: { description: '' }, after_unknown: { name: true, id: true, uuid: true } },
        },
        {
          address: 'netforge_cluster.c',
          mode: 'managed',
          type: 'netforge_cluster',
          change: { actions: ['create'], before: null, after: { name: 'c', hypervisor_type: 'KVM', description: '' }, after_unknown: { zone_uuid: true } },
        },
      ],
      configuration: {
        root_module: {
          resources: [
            { address: 'netforge_zone.z', expressions: { name: { references: ['terraform_data.n.output', 'terraform_data.n'] } } },
            { address: 'netforge_cluster.c', expressions: { zone_uuid: { references: ['netforge_zone.z.uuid', 'netforge_zone.z'] } } },
          ],
        },
      },
    });
    const { entries, skipped } = buildBatch(plan);
    expect(entries).toEqual([]);
    expect(Object.fromEntries(skipped)).toEqual({
      'netforge_zone.z': 'name is known only after apply',
      'netforge_cluster.c': "it refers to netforge_zone.z, which can't be checked before apply",
    });
  });

  test('GIVEN two new ranges overlapping on a new L3 WHEN checked without a server THEN the later one names the earlier', async () => {
    const range = (n: string, start: string, end: string) => ({
      address: `netforge_ip_range.${n}`,
      mode: 'managed',
      type: 'netforge_ip_range',
      change: { actions: ['create'], before: null, after: { name: n, start_ip: start, end_ip: end }, after_unknown: { l3_network_uuid: true } },
    });
    const plan = parsePlan({
      resource_changes: [
        {
          address: 'netforge_l3_network.n',
          mode: 'managed',
          type: 'netforge_l3_network',
          change: { actions: ['create'], before: null, after: { name: 'n', l2_network_uuid: 'l2-1', cidr: '10.0.0.0/24', dns_servers: [], host_routes: [], description: '' }, after_unknown: { gateway: true } },
        },
        range('a', '10.0.0.10', '10.0.0.20'),
        range('b', '10.0.0.15', '10.0.0.30'),
      ],
      configuration: {
        root_module: {
          resources: ['a', 'b'].map((n) => ({ address: `netforge_ip_range.${n}`, expressions: { l3_network_uuid: { references: ['netforge_l3_network.n.uuid', 'netforge_l3_network.n'] } } })),
        },
      },
    });
    const t = await buildTopology(plan);
    const outcome = validateStateless(plan, t);
    expect(outcome.violations).toEqual([
      expect.objectContaining({
        address: 'netforge_ip_range.b',
        code: 'IP_RANGE_OVERLAP',
        attribute: 'start_ip',
        conflicting: { type: 'IpRange', name: 'a', address: 'netforge_ip_range.a' },
        source: 'stateless',
      }),
    ]);
    const diagram = renderMermaid(t, () => undefined, [{ from: 'netforge_ip_range.b', to: 'netforge_ip_range.a', code: 'IP_RANGE_OVERLAP' }]);
    expect(diagram).toMatch(/range_\d+ -\.-\|"IP_RANGE_OVERLAP"\| range_\d+/);
  });

  test('GIVEN a VLAN change that replaces the L2 and the L3 on it WHEN reviewed THEN the batch tears down dependents first and the L3 says why it goes', async () => {
    const plan = parsePlan({
      resource_changes: [
        {
          address: 'netforge_l2_vlan_network.v',
          mode: 'managed',
          type: 'netforge_l2_vlan_network',
          change: {
            actions: ['delete', 'create'],
            before: { uuid: 'l2-old', id: 'l2-old', name: 'vlan-10', zone_uuid: 'z-1', physical_interface: 'eth0', vlan: 10, description: '' },
            after: { name: 'vlan-10', zone_uuid: 'z-1', physical_interface: 'eth0', vlan: 20, description: '' },
            after_unknown: { id: true, uuid: true },
            replace_paths: [['vlan']],
          },
        },
        {
          address: 'netforge_l3_network.app',
          mode: 'managed',
          type: 'netforge_l3_network',
          change: {
            actions: ['delete', 'create'],
            before: { uuid: 'l3-old', id: 'l3-old', name: 'app', l2_network_uuid: 'l2-old', cidr: '10.0.0.0/24', gateway: '10.0.0.1', dns_servers: [], host_routes: [], description: '' },
            after: { name: 'app', cidr: '10.0.0.0/24', gateway: '10.0.0.1', dns_servers: [], host_routes: [], description: '' },
            after_unknown: { id: true, uuid: true, l2_network_uuid: true },
            replace_paths: [['l2_network_uuid']],
          },
        },
      ],
      configuration: {
        root_module: {
          resources: [{ address: 'netforge_l3_network.app', expressions: { l2_network_uuid: { references: ['netforge_l2_vlan_network.v.uuid', 'netforge_l2_vlan_network.v'] }, gateway: { constant_value: '10.0.0.1' } } }],
        },
      },
    });
    expect(buildBatch(plan).entries.map((e) => `${e.change.action} ${e.change.id}`)).toEqual([
      'delete netforge_l3_network.app (old)',
      'delete netforge_l2_vlan_network.v (old)',
      'create netforge_l2_vlan_network.v',
      'create netforge_l3_network.app',
    ]);
    const t = await buildTopology(plan);
    const changes = explainPlan(t, () => undefined);
    expect(changes.map((c) => c.summary)).toEqual(['L2 vlan-10 replaced: vlan 10 → 20', 'L3 app replaced: l2_network_uuid changes (L2 vlan-10 is replaced)']);
  });

  test('GIVEN label text with Mermaid syntax WHEN escaped THEN no quote, bracket or pipe survives', () => {
    expect(escapeLabel('a "b" [c] <d> #e |f| {g}\nh')).toBe('a #34;b#34; #91;c#93; #60;d#62; #35;e #124;f#124; #123;g#125; h');
  });

  test('GIVEN cdktf synth output with a construct dump WHEN condensed THEN only the error and its lines remain', () => {
    const out = ['noise', 'NetforgeValidationError: stack/l2: invalid L2VlanNetwork', '  vlan: out of range [VLAN_OUT_OF_RANGE]', '    at assertValid (x.ts:1:1)', '  { huge: "dump" }', 'Error:         non-zero exit code 1'].join('\n');
    expect(synthErrors(out)).toBe('NetforgeValidationError: stack/l2: invalid L2VlanNetwork\n  vlan: out of range [VLAN_OUT_OF_RANGE]');
  });
});
