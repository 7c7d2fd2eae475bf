import { CtyNumber, decodeMsgpack, encodeMsgpack, isUnknown, UNKNOWN, type CtyInput } from '../../provider/cty';
import {
  attr,
  defineDataSource,
  defineProvider,
  defineResource,
  forProviderData,
  isUnknown as isUnknownValue,
  matches,
  ProviderError,
  ProviderServer,
  schemaType,
  types,
} from '../../provider/framework';

const silent = { debug() {}, info() {}, warn() {}, error() {} };

interface Backend {
  items: Map<string, { name: string; size: string | null }>;
  deleted: string[];
  next: number;
  /** ctx.applying as each plan request saw it. */
  plansApplying: boolean[];
}

const widget = forProviderData<Backend>().resource({
  typeName: 'tst_widget',
  schema: {
    version: 1,
    attributes: {
      id: attr.string({ computed: true }),
      name: attr.string({ required: true, validators: [matches(/^[a-z]+$/, 'must be lower-case letters')] }),
      size: attr.number({ optional: true }),
      tags: attr.map(types.string, { optional: true }),
    },
  },
  validate(config, ctx) {
    if (!isUnknownValue(config.tags) && config.tags && 'forbidden' in config.tags) {
      ctx.diagnostics.attributeError(['tags', 'forbidden'], 'Forbidden tag');
    }
  },
  modifyPlan(_request, { providerData, applying }) {
    providerData.plansApplying.push(applying);
  },
  async create({ planned }, { providerData }) {
    if (planned.name === 'boom') throw new Error('backend exploded');
    if (planned.name === 'taken') throw new ProviderError('Name taken', { detail: 'pick another', path: ['name'] });
    const id = `w${providerData.next++}`;
    providerData.items.set(id, { name: planned.name, size: planned.size?.toString() ?? null });
    return { id, name: planned.name, size: planned.size, tags: planned.tags };
  },
  async read({ state }, { providerData }) {
    const item = providerData.items.get(state.id ?? '');
    return item ? { id: state.id, name: item.name, size: item.size === null ? null : CtyNumber.from(item.size) } : null;
  },
  async update({ planned }) {
    return { name: planned.name };
  },
  async delete({ state }, { providerData }) {
    providerData.deleted.push(state.id ?? '');
    providerData.items.delete(state.id ?? '');
  },
  upgradeState({ version, state }) {
    // Version 0 stored the name under "title".
    const old = state as { id: string; title: string };
    if (version !== 0) throw new Error('unexpected version');
    return { id: old.id, name: old.title, size: null, tags: null };
  },
});

const lookup = defineDataSource({
  typeName: 'tst_lookup',
  schema: { attributes: { name: attr.string({ required: true }), id: attr.string({ computed: true }) } },
  async read({ config }) {
    return { id: `id-of-${config.name}` };
  },
});

function makeServer() {
  const backend: Backend = { items: new Map(), deleted: [], next: 1, plansApplying: [] };
  const provider = defineProvider({
    typeName: 'tst',
    schema: { attributes: { endpoint: attr.string({ optional: true }) } },
    configure: () => backend,
    resources: [widget],
    dataSources: [lookup],
  });
  return { server: new ProviderServer(provider, silent), backend };
}

const type = schemaType(widget.schema);
const dv = (value: CtyInput) => ({ msgpack: encodeMsgpack(value, type) });
const decode = (v: { msgpack?: Buffer } | undefined) => decodeMsgpack(v!.msgpack!, type) as Record<string, any> | null;

describe('ProviderServer', () => {
  test('GetProviderSchema describes attributes with JSON type bytes and capabilities', async () => {
    const { server } = makeServer();
    const res = await server.GetProviderSchema({});
    const block = res.resource_schemas!.tst_widget.block;
    expect(res.resource_schemas!.tst_widget.version).toBe(1);
    expect(block.attributes.map((a) => a.name)).toEqual(['id', 'name', 'size', 'tags']);
    expect(block.attributes[1]).toMatchObject({ name: 'name', required: true, optional: false, computed: false });
    expect(block.attributes[1].type!.toString()).toBe('"string"');
    expect(block.attributes[3].type!.toString()).toBe('["map","string"]');
    expect(res.data_source_schemas!.tst_lookup.block.attributes).toHaveLength(2);
    expect(res.server_capabilities).toEqual({ plan_destroy: false, get_provider_schema_optional: true, move_resource_state: false });
  });

  test('rejects bad declarations at start-up', () => {
    const bad = defineResource({ ...widget, typeName: 'other_widget' });
    expect(() => new ProviderServer(defineProvider({ typeName: 'tst', resources: [bad] }), silent)).toThrow(/prefixed with the provider name/);
    const noMode = defineResource({
      typeName: 'tst_nomode',
      schema: { attributes: { x: attr.string({}) } },
      create: async () => ({}),
      read: async () => null,
      update: async () => ({}),
      delete: async () => {},
    });
    expect(() => new ProviderServer(defineProvider({ typeName: 'tst', resources: [noMode] }), silent)).toThrow(/required, optional or computed/);
  });

  test('validation reports attribute and map-key paths', async () => {
    const { server } = makeServer();
    const res = await server.ValidateResourceConfig({ type_name: 'tst_widget', config: dv({ name: 'Bad', tags: null }) });
    expect(res.diagnostics).toEqual([
      expect.objectContaining({ severity: 'ERROR', summary: 'Invalid value for "name"', attribute: { steps: [{ attribute_name: 'name' }] } }),
    ]);
    const tagged = await server.ValidateResourceConfig({ type_name: 'tst_widget', config: dv({ name: 'ok', tags: { forbidden: 'x' } }) });
    expect(tagged.diagnostics![0].attribute).toEqual({ steps: [{ attribute_name: 'tags' }, { element_key_string: 'forbidden' }] });
    // Unknown values are not validated.
    const unknown = await server.ValidateResourceConfig({ type_name: 'tst_widget', config: dv({ name: UNKNOWN, tags: UNKNOWN }) });
    expect(unknown.diagnostics).toEqual([]);
  });

  test('create, read, update and destroy through the protocol messages', async () => {
    const { server, backend } = makeServer();
    await server.ConfigureProvider({ terraform_version: '1.11.4', config: { msgpack: encodeMsgpack({ endpoint: null }, types.object({ endpoint: types.string })) } });
    const config = { id: null, name: 'one', size: CtyNumber.from('0.1'), tags: null };

    const plan = await server.PlanResourceChange({ type_name: 'tst_widget', prior_state: dv(null), proposed_new_state: dv(config), config: dv(config) });
    expect(plan.diagnostics).toEqual([]);
    const planned = decode(plan.planned_state)!;
    expect(isUnknown(planned.id)).toBe(true);

    const applied = await server.ApplyResourceChange({ type_name: 'tst_widget', prior_state: dv(null), planned_state: plan.planned_state, config: dv(config) });
    expect(applied.diagnostics).toEqual([]);
    const state = decode(applied.new_state)!;
    expect(state.id).toBe('w1');
    expect((state.size as CtyNumber).toString()).toBe('0.1');
    // The number goes back in the form it came: the string "0.1".
    expect(applied.new_state!.msgpack!.includes(Buffer.from('a3302e31', 'hex'))).toBe(true);

    const read = await server.ReadResource({ type_name: 'tst_widget', current_state: applied.new_state });
    expect(decode(read.new_state)).toEqual(state);

    const changed = { ...state, name: 'two' };
    const update = await server.PlanResourceChange({ type_name: 'tst_widget', prior_state: dv(state), proposed_new_state: dv(changed), config: dv({ ...changed, id: null }) });
    const updated = await server.ApplyResourceChange({ type_name: 'tst_widget', prior_state: dv(state), planned_state: update.planned_state, config: dv({ ...changed, id: null }) });
    // update() returned only the name: the rest is kept from the plan.
    expect(decode(updated.new_state)).toEqual({ ...state, name: 'two' });

    const destroyed = await server.ApplyResourceChange({ type_name: 'tst_widget', prior_state: dv(state), planned_state: dv(null), config: dv(null) });
    expect(destroyed.new_state!.msgpack!.toString('hex')).toBe('c0');
    expect(backend.deleted).toEqual(['w1']);

    const gone = await server.ReadResource({ type_name: 'tst_widget', current_state: applied.new_state });
    expect(gone.new_state!.msgpack!.toString('hex')).toBe('c0');
    // The first plan came before any apply; the update's plan came in what is now an apply walk.
    expect(backend.plansApplying).toEqual([false, true]);
  });

  test('errors become diagnostics, never exceptions; a failed create records nothing', async () => {
    const { server } = makeServer();
    await server.ConfigureProvider({ config: dv(null) });
    const boom = { id: UNKNOWN, name: 'boom', size: null, tags: null };
    const res = await server.ApplyResourceChange({ type_name: 'tst_widget', prior_state: dv(null), planned_state: dv(boom), config: dv(boom) });
    expect(res.diagnostics).toEqual([expect.objectContaining({ severity: 'ERROR', summary: 'Failed to apply tst_widget', detail: 'backend exploded' })]);
    expect(res.new_state!.msgpack!.toString('hex')).toBe('c0');

    const taken = { ...boom, name: 'taken' };
    const res2 = await server.ApplyResourceChange({ type_name: 'tst_widget', prior_state: dv(null), planned_state: dv(taken), config: dv(taken) });
    expect(res2.diagnostics).toEqual([{ severity: 'ERROR', summary: 'Name taken', detail: 'pick another', attribute: { steps: [{ attribute_name: 'name' }] } }]);

    const unknownType = await server.ReadResource({ type_name: 'tst_nope', current_state: dv(null) });
    expect(unknownType.diagnostics![0].summary).toBe('Unknown resource type');
  });

  test('UpgradeResourceState reads JSON state, drops removed attributes and runs upgrade hooks', async () => {
    const { server } = makeServer();
    const current = await server.UpgradeResourceState({
      type_name: 'tst_widget',
      version: 1,
      raw_state: { json: Buffer.from('{"id":"w1","name":"a","size":9007199254740993,"tags":null,"removed":true}') },
    });
    const state = decode(current.upgraded_state)!;
    expect((state.size as CtyNumber).toBigInt()).toBe(9007199254740993n);
    expect(state).not.toHaveProperty('removed');

    const old = await server.UpgradeResourceState({ type_name: 'tst_widget', version: 0, raw_state: { json: Buffer.from('{"id":"w1","title":"legacy"}') } });
    expect(decode(old.upgraded_state)).toEqual({ id: 'w1', name: 'legacy', size: null, tags: null });
  });

  test('import returns the id only; data sources keep config and fill computed values', async () => {
    const { server } = makeServer();
    const imported = await server.ImportResourceState({ type_name: 'tst_widget', id: 'w7' });
    expect(decode(imported.imported_resources![0].state)).toEqual({ id: 'w7', name: null, size: null, tags: null });

    const dsType = schemaType(lookup.schema);
    const res = await server.ReadDataSource({ type_name: 'tst_lookup', config: { msgpack: encodeMsgpack({ name: 'x', id: null }, dsType) } });
    expect(decodeMsgpack(res.state!.msgpack!, dsType)).toEqual({ name: 'x', id: 'id-of-x' });
  });

  test('StopProvider aborts the signal handed to operations', async () => {
    const { server } = makeServer();
    expect(server.stopSignal.aborted).toBe(false);
    expect(await server.StopProvider({})).toEqual({ Error: '' });
    expect(server.stopSignal.aborted).toBe(true);
  });
});
