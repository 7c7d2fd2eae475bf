/**
 * Provider documentation in the tfplugindocs layout, generated from the provider's own
 * schema (every description comes from the declarations the provider serves) and the
 * examples written as real .tf files:
 *
 *   examples/provider/provider.tf                          -> docs/index.md
 *   examples/resources/<type>/resource.tf (+ import.sh)    -> docs/resources/<name>.md
 *   examples/data-sources/<type>/data-source.tf            -> docs/data-sources/<name>.md
 *
 * <name> is the type without the provider prefix, as on the Terraform registry. Generic over
 * any provider built on provider/framework.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CtyNumber, type CtyType } from '../cty';
import { isNestedAttribute, type AttributeMap, type AttributeSpec, type BlockMap, type BlockSpec, type ProviderDefinition, type SchemaSpec } from '../framework';

/** Relative path under the docs directory -> file content. */
export type DocFiles = Map<string, string>;

export interface ExampleFiles {
  provider: string;
  resources: Map<string, { resource: string; importScript?: string }>;
  dataSources: Map<string, string>;
}

export const examplePaths = {
  provider: 'provider/provider.tf',
  resource: (type: string) => `resources/${type}/resource.tf`,
  importScript: (type: string) => `resources/${type}/import.sh`,
  dataSource: (type: string) => `data-sources/${type}/data-source.tf`,
};

/** Reads the examples every type needs; a missing one is an error naming the file to write. */
export function readExamples(examplesDir: string, provider: ProviderDefinition): ExampleFiles {
  const read = (rel: string, required: boolean): string | undefined => {
    const file = path.join(examplesDir, rel);
    if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8');
    if (required) throw new Error(`missing example ${file}: every resource and data source needs one`);
    return undefined;
  };
  return {
    provider: read(examplePaths.provider, true)!,
    resources: new Map(provider.resources.map((r) => [r.typeName, { resource: read(examplePaths.resource(r.typeName), true)!, importScript: read(examplePaths.importScript(r.typeName), false) }])),
    dataSources: new Map((provider.dataSources ?? []).map((d) => [d.typeName, read(examplePaths.dataSource(d.typeName), true)!])),
  };
}

export function renderDocs(provider: ProviderDefinition, examples: ExampleFiles): DocFiles {
  const files: DocFiles = new Map();
  const short = (type: string) => type.slice(provider.typeName.length + 1);
  files.set('index.md', page({
    title: `${provider.typeName} Provider`,
    heading: `${provider.typeName} Provider`,
    description: provider.schema?.description ?? '',
    example: examples.provider,
    schema: provider.schema ?? { attributes: {} },
  }));
  for (const r of provider.resources) {
    const ex = examples.resources.get(r.typeName)!;
    files.set(`resources/${short(r.typeName)}.md`, page({
      title: `${r.typeName} Resource - ${provider.typeName}`,
      heading: `${r.typeName} (Resource)`,
      description: r.schema.description ?? '',
      example: ex.resource,
      schema: r.schema,
      importScript: ex.importScript,
    }));
  }
  for (const d of provider.dataSources ?? []) {
    files.set(`data-sources/${short(d.typeName)}.md`, page({
      title: `${d.typeName} Data Source - ${provider.typeName}`,
      heading: `${d.typeName} (Data Source)`,
      description: d.schema.description ?? '',
      example: examples.dataSources.get(d.typeName)!,
      schema: d.schema,
    }));
  }
  return files;
}

function page(p: { title: string; heading: string; description: string; example: string; schema: SchemaSpec; importScript?: string }): string {
  const out = [
    '---',
    `page_title: ${JSON.stringify(p.title)}`,
    'subcategory: ""',
    'description: |-',
    ...p.description.split('\n').map((l) => `  ${l}`),
    '---',
    '',
    `# ${p.heading}`,
    '',
    p.description,
    '',
    '## Example Usage',
    '',
    '```terraform',
    p.example.trimEnd(),
    '```',
    '',
    '<!-- schema generated from the provider\'s declarations: npm run docs -->',
    '## Schema',
    ...schemaSection(p.schema.attributes, p.schema.blocks ?? {}, ''),
  ];
  if (p.importScript) {
    out.push('', '## Import', '', 'Import is supported using the following syntax:', '', '```shell', p.importScript.trimEnd(), '```');
  }
  return `${out.join('\n')}\n`;
}

type Member = { name: string; spec: AttributeSpec } | { name: string; block: BlockSpec };

/** Required, Optional and Read-Only lists, then a nested schema for every block or nested attribute. */
function schemaSection(attributes: AttributeMap, blocks: BlockMap, prefix: string): string[] {
  const members: Member[] = [
    ...Object.entries(attributes).map(([name, spec]) => ({ name, spec })),
    ...Object.entries(blocks).map(([name, block]) => ({ name, block })),
  ].sort((a, b) => a.name.localeCompare(b.name));
  const groups: Array<[string, Member[]]> = [
    ['Required', members.filter((m) => ('spec' in m ? m.spec.required : (m.block.minItems ?? 0) > 0))],
    ['Optional', members.filter((m) => ('spec' in m ? m.spec.optional : (m.block.minItems ?? 0) === 0))],
    ['Read-Only', members.filter((m) => 'spec' in m && m.spec.computed && !m.spec.optional && !m.spec.required)],
  ];
  const out: string[] = [];
  for (const [title, list] of groups) {
    if (list.length === 0) continue;
    out.push('', `### ${title}`, '');
    for (const m of list) out.push(`- \`${m.name}\` (${typeLabel(m)}${'spec' in m && m.spec.sensitive ? ', Sensitive' : ''})${describe(m, prefix)}`);
  }
  for (const m of members) {
    const anchor = `${prefix}${m.name}`;
    if ('block' in m) out.push('', `<a id="nestedblock--${anchor}"></a>`, `### Nested Schema for \`${anchor}\``, ...schemaSection(m.block.attributes ?? {}, m.block.blocks ?? {}, `${anchor}--`));
    else if (isNestedAttribute(m.spec)) out.push('', `<a id="nestedatt--${anchor}"></a>`, `### Nested Schema for \`${anchor}\``, ...schemaSection(m.spec.attributes, {}, `${anchor}--`));
  }
  return out;
}

function describe(m: Member, prefix: string): string {
  const parts: string[] = [];
  const description = 'spec' in m ? m.spec.description : m.block.description;
  if (description) parts.push(sentence(description));
  if ('spec' in m) {
    if (m.spec.default !== undefined) parts.push(`Defaults to \`${defaultText(m.spec.default)}\`.`);
    if (m.spec.requiresReplace) parts.push('Changing this forces a new resource.');
    if (m.spec.deprecated) parts.push('Deprecated.');
    if (isNestedAttribute(m.spec)) parts.push(`(see [below for nested schema](#nestedatt--${prefix}${m.name}))`);
  } else {
    parts.push(`(see [below for nested schema](#nestedblock--${prefix}${m.name}))`);
  }
  return parts.length ? ` ${parts.join(' ')}` : '';
}

/** A description as a sentence: the schema's are often phrases ("Destination CIDR"). */
function sentence(text: string): string {
  const t = text.trim();
  return /[.!?)]$/.test(t) ? t : `${t}.`;
}

function typeLabel(m: Member): string {
  if ('block' in m) return `Block ${m.block.nesting === 'group' ? '' : `${capitalize(m.block.nesting)}`}`.trim();
  if (isNestedAttribute(m.spec)) return `Attributes ${capitalize(m.spec.nesting)}`;
  return ctyLabel(m.spec.type);
}

function ctyLabel(t: CtyType): string {
  switch (t.kind) {
    case 'list':
    case 'set':
    case 'map':
      return `${capitalize(t.kind)} of ${ctyLabel(t.element)}`;
    case 'object':
      return 'Object';
    case 'tuple':
      return 'Tuple';
    default:
      return capitalize(t.kind);
  }
}

function defaultText(value: unknown): string {
  if (value instanceof CtyNumber) return value.toString();
  return JSON.stringify(value);
}

const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** Files of `docsDir` that differ from `expected`, are missing, or are not generated (stale docs). */
export function staleDocs(docsDir: string, expected: DocFiles): string[] {
  const problems: string[] = [];
  for (const [rel, content] of expected) {
    const file = path.join(docsDir, rel);
    if (!fs.existsSync(file)) problems.push(`${rel}: missing`);
    else if (fs.readFileSync(file, 'utf8') !== content) problems.push(`${rel}: out of date`);
  }
  const walk = (dir: string): string[] =>
    fs.existsSync(dir) ? fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)])) : [];
  for (const file of walk(docsDir)) {
    const rel = path.relative(docsDir, file);
    if (!expected.has(rel)) problems.push(`${rel}: not generated from any resource or data source`);
  }
  return problems.sort();
}

/** Writes the pages; generated pages of types that are gone are removed, nothing else is touched. */
export function writeDocs(docsDir: string, files: DocFiles): void {
  for (const sub of ['resources', 'data-sources']) {
    const dir = path.join(docsDir, sub);
    if (!fs.existsSync(dir)) continue;
    for (const page of fs.readdirSync(dir)) if (page.endsWith('.md') && !files.has(`${sub}/${page}`)) fs.rmSync(path.join(dir, page));
  }
  for (const [rel, content] of files) {
    fs.mkdirSync(path.dirname(path.join(docsDir, rel)), { recursive: true });
    fs.writeFileSync(path.join(docsDir, rel), content);
  }
}
