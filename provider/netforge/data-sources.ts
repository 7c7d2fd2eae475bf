/** Data sources: look up existing objects by name (or provider type), exactly one match; from the catalog. */
import { asField, OBJECTS, terraformAttributesOf, terraformDataSources, type ObjectType, type TerraformDataSourceDef } from '../../contract';
import type { NetforgeClient } from '../../client';
import { attr, forProviderData, isUnknown, ProviderError, type AttributeSpec, type DataSourceDefinition, type SchemaSpec } from '../framework';
import { providerErrorOf } from './errors';
import { attributeFor } from './fields';

const netforge = forProviderData<NetforgeClient>();

function buildDataSource({ type, def }: { type: ObjectType; def: TerraformDataSourceDef }): DataSourceDefinition<SchemaSpec, NetforgeClient> {
  const filters = def.filters.map((f) => asField(f, { mode: 'optionalComputed' }));
  const computed = def.computed.map((f) => asField(f, { mode: 'computed' }));
  const attributes: Record<string, AttributeSpec> = {
    id: attr.string({ computed: true, description: 'Same as uuid.' }),
    uuid: attr.string({ computed: true, description: 'The object\'s uuid.' }),
  };
  for (const f of [...filters, ...computed]) attributes[f.tf] = attributeFor(f);
  return netforge.dataSource({
    typeName: def.name,
    schema: { description: def.description, attributes },
    validate(config, ctx) {
      if (filters.every((f) => config[f.tf] === null)) ctx.diagnostics.error(`${def.name} needs one of: ${filters.map((f) => f.tf).join(', ')}`);
    },
    async read({ config }, ctx) {
      const query: Record<string, string> = {};
      for (const f of filters) {
        const v = config[f.tf];
        if (v !== null && v !== undefined && !isUnknown(v)) query[f.api] = String(v);
      }
      let found: Array<Record<string, unknown>>;
      try {
        found = await ctx.providerData.request('GET', `/v1/${OBJECTS[type].path}?${new URLSearchParams(query).toString()}`);
      } catch (err) {
        throw providerErrorOf(err);
      }
      const where = Object.entries(query).map(([k, v]) => `${k}=${v}`).join(', ');
      if (found.length !== 1) {
        throw new ProviderError(`${def.name}: ${found.length === 0 ? 'nothing matches' : `${found.length} objects match`} ${where}`, {
          detail: found.length > 1 ? `Matches: ${found.map((o) => `${String(o.name)} (${String(o.uuid)})`).join(', ')}. Add a filter.` : undefined,
          path: [filters[0].tf],
        });
      }
      return terraformAttributesOf([...filters, ...computed], found[0]);
    },
  });
}

export const dataSources = terraformDataSources().map(buildDataSource);
