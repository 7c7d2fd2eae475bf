/**
 * The catalog (contract/objects.ts) holds together: every review kind draws one object type,
 * every Terraform name is used once, every field a resource references names a catalog type,
 * and every type's request schemas accept what its field rules check.
 */
import { OBJECTS, OBJECT_TYPES, REVIEW_KINDS, terraformDataSources, terraformResources } from '../../../contract';

describe('the object catalog', () => {
  it('GIVEN the review kinds THEN each is the kind of exactly one object type, and every type with a review kind uses a declared one', () => {
    for (const kind of REVIEW_KINDS) expect({ kind, types: OBJECT_TYPES.filter((t) => OBJECTS[t].review?.kind === kind) }).toEqual({ kind, types: [expect.any(String)] });
    for (const t of OBJECT_TYPES) if (OBJECTS[t].review) expect(REVIEW_KINDS).toContain(OBJECTS[t].review!.kind);
  });

  it('GIVEN the Terraform resources and data sources THEN each name is used once and starts with netforge_', () => {
    const resources = terraformResources().map((r) => r.def.name);
    const dataSources = terraformDataSources().map((d) => d.def.name);
    expect(new Set(resources).size).toBe(resources.length);
    expect(new Set(dataSources).size).toBe(dataSources.length);
    for (const n of [...resources, ...dataSources]) expect(n).toMatch(/^netforge_[a-z0-9_]+$/);
  });

  it('GIVEN every resource field THEN its attribute names are unique, updatable ones are not replaced, and references name catalog types', () => {
    for (const { def } of terraformResources()) {
      const names = def.fields.map((f) => f.tf);
      expect({ resource: def.name, duplicates: names.filter((n, i) => names.indexOf(n) !== i) }).toEqual({ resource: def.name, duplicates: [] });
      for (const f of def.fields) {
        expect({ field: `${def.name}.${f.tf}`, both: !!(f.updatable && f.replace) }).toEqual({ field: `${def.name}.${f.tf}`, both: false });
        if (f.ref) expect(OBJECT_TYPES).toContain(f.ref);
      }
    }
  });

  it('GIVEN a type without an update schema THEN none of its resources has an updatable field', () => {
    for (const { type, def } of terraformResources()) {
      if (OBJECTS[type].update === null) expect({ resource: def.name, updatable: def.fields.filter((f) => f.updatable).map((f) => f.tf) }).toEqual({ resource: def.name, updatable: [] });
    }
  });
});
