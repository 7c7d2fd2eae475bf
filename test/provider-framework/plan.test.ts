import { CtyNumber, isUnknown, UNKNOWN } from '../../provider/cty';
import { attr, block, defineSchema, planResourceChange, mergeApplyResult, mergeReadResult, schemaType, types } from '../../provider/framework';

const schema = defineSchema({
  attributes: {
    id: attr.string({ computed: true }),
    name: attr.string({ required: true }),
    region: attr.string({ required: true, requiresReplace: true }),
    mtu: attr.number({ optional: true, computed: true, default: 1500 }),
    etag: attr.string({ computed: true, unknownOnUpdate: true }),
    labels: attr.set(types.string, { optional: true }),
    routes: attr.listNested(
      {
        prefix: attr.string({ required: true }),
        route_id: attr.string({ computed: true }),
      },
      { optional: true },
    ),
  },
  blocks: {
    rule: block.list({ attributes: { port: attr.number({ required: true }), rule_id: attr.string({ computed: true }) } }),
  },
});

const config = (over: Record<string, unknown> = {}) => ({
  id: null,
  name: 'a',
  region: 'eu',
  mtu: null,
  etag: null,
  labels: ['x', 'y'],
  routes: [{ prefix: '10.0.0.0/24', route_id: null }],
  rule: [{ port: CtyNumber.from(22), rule_id: null }],
  ...over,
});

const prior = {
  id: 'id-1',
  name: 'a',
  region: 'eu',
  mtu: CtyNumber.from(1500),
  etag: 'e1',
  labels: ['y', 'x'],
  routes: [{ prefix: '10.0.0.0/24', route_id: 'r1' }],
  rule: [{ port: CtyNumber.from(22), rule_id: 'rule-1' }],
};

/** What Terraform proposes: config, with prior values for computed attributes the config leaves null. */
function proposedFrom(cfg: ReturnType<typeof config>, old: typeof prior | null) {
  if (!old) return cfg;
  return {
    ...cfg,
    id: old.id,
    mtu: cfg.mtu ?? old.mtu,
    etag: old.etag,
    routes: cfg.routes?.map((r, i) => ({ ...r, route_id: old.routes[i]?.route_id ?? null })) ?? null,
    rule: cfg.rule.map((r, i) => ({ ...r, rule_id: old.rule[i]?.rule_id ?? null })),
  };
}

describe('planResourceChange', () => {
  test('create: computed attributes become unknown, defaults apply, nested computed too', () => {
    const cfg = config();
    const { planned, requiresReplace } = planResourceChange(schema, null, cfg, cfg);
    const p = planned as Record<string, any>;
    expect(isUnknown(p.id)).toBe(true);
    expect(isUnknown(p.etag)).toBe(true);
    expect((p.mtu as CtyNumber).equals(1500)).toBe(true);
    expect(isUnknown(p.routes[0].route_id)).toBe(true);
    expect(isUnknown(p.rule[0].rule_id)).toBe(true);
    expect(p.name).toBe('a');
    expect(requiresReplace).toEqual([]);
  });

  test('no change: the prior state itself comes back, whatever the set order', () => {
    const cfg = config({ labels: ['x', 'y'], mtu: null });
    const { planned, requiresReplace } = planResourceChange(schema, prior, proposedFrom(cfg, prior), cfg);
    expect(planned).toBe(prior);
    expect(requiresReplace).toEqual([]);
  });

  test('update: computed values keep prior state, unknownOnUpdate ones become unknown', () => {
    const cfg = config({ name: 'b' });
    const { planned, requiresReplace } = planResourceChange(schema, prior, proposedFrom(cfg, prior), cfg);
    const p = planned as Record<string, any>;
    expect(p.name).toBe('b');
    expect(p.id).toBe('id-1');
    expect(p.routes[0].route_id).toBe('r1');
    expect(p.rule[0].rule_id).toBe('rule-1');
    expect(isUnknown(p.etag)).toBe(true);
    expect(requiresReplace).toEqual([]);
  });

  test('a changed requiresReplace attribute is listed by path', () => {
    const cfg = config({ region: 'us' });
    const { requiresReplace } = planResourceChange(schema, prior, proposedFrom(cfg, prior), cfg);
    expect(requiresReplace).toEqual([[{ attribute: 'region' }]]);
  });

  test('an added list element gets unknown computed values while existing ones keep theirs', () => {
    const cfg = config({ routes: [{ prefix: '10.0.0.0/24', route_id: null }, { prefix: '10.0.1.0/24', route_id: null }] });
    const p = planResourceChange(schema, prior, proposedFrom(cfg, prior), cfg).planned as Record<string, any>;
    expect(p.routes[0].route_id).toBe('r1');
    expect(isUnknown(p.routes[1].route_id)).toBe(true);
  });

  test('removing an optional+computed value from config plans its default again', () => {
    const withMtu = { ...prior, mtu: CtyNumber.from(9000) };
    const cfg = config({ mtu: null });
    const p = planResourceChange(schema, withMtu, proposedFrom(cfg, withMtu), cfg).planned as Record<string, any>;
    expect((p.mtu as CtyNumber).equals(1500)).toBe(true);
  });

  test('destroy (null proposed) plans null', () => {
    expect(planResourceChange(schema, prior, null, null).planned).toBeNull();
  });
});

describe('mergeApplyResult', () => {
  const type = schemaType(schema);

  test('known planned values win, unknowns are filled from the result', () => {
    const planned = { ...config(), id: UNKNOWN, etag: UNKNOWN, mtu: CtyNumber.from(1500), routes: [{ prefix: '10.0.0.0/24', route_id: UNKNOWN }], rule: [{ port: CtyNumber.from(22), rule_id: UNKNOWN }] };
    const result = { ...config(), name: 'server-renamed', id: 'new', etag: 'e', mtu: CtyNumber.from(1500), routes: [{ prefix: '10.0.0.0/24', route_id: 'r9' }], rule: [{ port: CtyNumber.from(22), rule_id: 'q' }] };
    const { value, leftUnknown } = mergeApplyResult(type, planned, result);
    const v = value as Record<string, any>;
    expect(v.name).toBe('a');
    expect(v.id).toBe('new');
    expect(v.routes[0].route_id).toBe('r9');
    expect(v.rule[0].rule_id).toBe('q');
    expect(leftUnknown).toEqual([]);
  });

  test('a null result fills an unknown; a result still unknown is reported and recorded as null', () => {
    const planned = { ...config(), id: UNKNOWN, etag: UNKNOWN, mtu: CtyNumber.from(1500) };
    const { value, leftUnknown } = mergeApplyResult(type, planned, { ...config(), id: 'x', etag: null });
    expect((value as Record<string, unknown>).etag).toBeNull();
    expect(leftUnknown).toEqual([]);
    const second = mergeApplyResult(type, planned, { ...config(), id: 'x', etag: UNKNOWN });
    expect(second.leftUnknown).toEqual([[{ attribute: 'etag' }]]);
  });
});

describe('mergeReadResult', () => {
  const type = schemaType(schema);

  test('attributes read() leaves out keep prior values; equal sets keep prior order; [] vs null keeps prior', () => {
    const priorNoRoutes = { ...prior, routes: null };
    const result = { ...prior, name: 'changed', labels: ['x', 'y'], routes: [] };
    const merged = mergeReadResult(type, priorNoRoutes, result, new Set(['name', 'labels', 'routes'])) as Record<string, unknown>;
    expect(merged.name).toBe('changed');
    expect(merged.labels).toBe(priorNoRoutes.labels);
    expect(merged.routes).toBeNull();
    const partial = mergeReadResult(type, prior, { ...prior, id: null }, new Set(['name'])) as Record<string, unknown>;
    expect(partial.id).toBe('id-1');
  });
});
