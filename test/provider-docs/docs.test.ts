/**
 * The provider documentation (docs/, tfplugindocs layout) is generated from the provider's
 * schema and examples/: every attribute has a description, the checked-in docs are what the
 * generator makes now (`npm run docs`), and every example passes `terraform validate` with
 * the packaged provider (the real CLI: missing terraform fails the test).
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { installNetforgeProvider } from '../../cli/provider-command';
import { examplePaths, readExamples, renderDocs, staleDocs, writeDocs } from '../../provider/docs/render';
import type { AttributeMap, BlockMap, SchemaSpec } from '../../provider/framework';
import { isNestedAttribute } from '../../provider/framework';
import { netforgeProvider } from '../../provider/netforge/provider';
import { terraformBinary } from '../helpers/terraform';

const run = promisify(execFile);
const ROOT = path.join(__dirname, '..', '..');
const DOCS = path.join(ROOT, 'docs');
const EXAMPLES = path.join(ROOT, 'examples');

function undocumented(where: string, schema: Pick<SchemaSpec, 'attributes' | 'blocks'>): string[] {
  const walk = (prefix: string, attributes: AttributeMap, blocks: BlockMap): string[] => [
    ...Object.entries(attributes).flatMap(([name, a]) => [
      ...(a.description?.trim() ? [] : [`${prefix}${name}`]),
      ...(isNestedAttribute(a) ? walk(`${prefix}${name}.`, a.attributes, {}) : []),
    ]),
    ...Object.entries(blocks).flatMap(([name, b]) => [...(b.description?.trim() ? [] : [`${prefix}${name}`]), ...walk(`${prefix}${name}.`, b.attributes ?? {}, b.blocks ?? {})]),
  ];
  return walk(`${where}.`, schema.attributes, schema.blocks ?? {});
}

describe('provider documentation', () => {
  const everything = () => [
    { name: 'provider', schema: netforgeProvider.schema! },
    ...netforgeProvider.resources.map((r) => ({ name: r.typeName, schema: r.schema as SchemaSpec })),
    ...(netforgeProvider.dataSources ?? []).map((d) => ({ name: `data.${d.typeName}`, schema: d.schema as SchemaSpec })),
  ];

  it('GIVEN the provider schema THEN the provider, every resource, data source, attribute and block has a description', () => {
    const missing = everything().flatMap(({ name, schema }) => [...(schema.description?.trim() ? [] : [name]), ...undocumented(name, schema)]);
    expect(missing).toEqual([]);
  });

  it('GIVEN docs/ THEN it is exactly what `npm run docs` generates now, one page per resource and data source', () => {
    const files = renderDocs(netforgeProvider, readExamples(EXAMPLES, netforgeProvider));
    expect(files.size).toBe(1 + netforgeProvider.resources.length + (netforgeProvider.dataSources ?? []).length);
    const problems = staleDocs(DOCS, files);
    if (problems.length > 0) throw new Error(`docs/ is stale; run \`npm run docs\` and commit the result:\n  ${problems.join('\n  ')}`);
    const zone = files.get('resources/zone.md')!;
    expect(zone).toContain('# netforge_zone (Resource)');
    expect(zone).toContain('## Example Usage');
    expect(zone).toMatch(/### Required\n\n- `name` \(String\) /);
    expect(zone).toContain('terraform import netforge_zone.main <uuid>');
    expect(files.get('resources/cluster.md')).toMatch(/- `zone_uuid` \(String\) [^\n]*Changing this forces a new resource\./);
  });

  it('GIVEN a docs page edited by hand, a page removed and a stray page THEN the stale check names each', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netforge-docs-'));
    try {
      const files = renderDocs(netforgeProvider, readExamples(EXAMPLES, netforgeProvider));
      writeDocs(dir, files);
      expect(staleDocs(dir, files)).toEqual([]);
      fs.appendFileSync(path.join(dir, 'resources/zone.md'), 'edited\n');
      fs.rmSync(path.join(dir, 'data-sources/vip.md'));
      fs.writeFileSync(path.join(dir, 'resources/router.md'), '# gone\n');
      expect(staleDocs(dir, files)).toEqual(['data-sources/vip.md: missing', 'resources/router.md: not generated from any resource or data source', 'resources/zone.md: out of date']);
      // Regenerating mends all three and touches nothing that isn't a generated page.
      fs.writeFileSync(path.join(dir, 'notes.txt'), 'mine\n');
      writeDocs(dir, files);
      expect(staleDocs(dir, files)).toEqual(['notes.txt: not generated from any resource or data source']);
      expect(fs.readFileSync(path.join(dir, 'notes.txt'), 'utf8')).toBe('mine\n');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  describe('examples pass terraform validate with the packaged provider', () => {
    const terraform = terraformBinary();
    let root: string;
    let env: NodeJS.ProcessEnv;
    beforeAll(async () => {
      root = fs.mkdtempSync(path.join(os.tmpdir(), 'netforge-examples-'));
      const installed = await installNetforgeProvider({ mirrorDir: path.join(root, 'mirror'), cliConfigFile: path.join(root, 'terraformrc') });
      env = { ...process.env, TF_CLI_CONFIG_FILE: installed.cliConfigFile, CHECKPOINT_DISABLE: '1', TF_IN_AUTOMATION: '1', TF_INPUT: '0' };
    }, 120_000);
    afterAll(() => {
      if (root) fs.rmSync(root, { recursive: true, force: true });
    });

    /** Copies one example into a module of its own (with required_providers unless it has them), then init + validate. */
    async function validate(name: string, tf: string): Promise<{ valid: boolean; diagnostics: Array<{ severity: string; summary: string; detail?: string }> }> {
      const dir = path.join(root, name.replace(/[^a-z0-9_]+/gi, '_'));
      fs.mkdirSync(dir);
      fs.writeFileSync(path.join(dir, 'main.tf'), tf);
      if (!tf.includes('required_providers')) {
        fs.writeFileSync(path.join(dir, 'versions.tf'), 'terraform {\n  required_providers {\n    netforge = { source = "netforge/netforge", version = "0.1.0" }\n  }\n}\n');
      }
      await run(terraform, ['init', '-input=false', '-no-color', '-backend=false'], { cwd: dir, env });
      try {
        const { stdout } = await run(terraform, ['validate', '-json', '-no-color'], { cwd: dir, env });
        return JSON.parse(stdout);
      } catch (err) {
        const out = (err as { stdout?: string }).stdout;
        if (out) return JSON.parse(out);
        throw err;
      }
    }

    it('GIVEN every example (provider, each resource, each data source) THEN terraform validate passes without warnings', async () => {
      const examples = [
        { name: 'provider', file: examplePaths.provider },
        ...netforgeProvider.resources.map((r) => ({ name: r.typeName, file: examplePaths.resource(r.typeName) })),
        ...(netforgeProvider.dataSources ?? []).map((d) => ({ name: `data_${d.typeName}`, file: examplePaths.dataSource(d.typeName) })),
      ];
      const failures: string[] = [];
      let next = 0;
      await Promise.all(
        Array.from({ length: 4 }, async () => {
          while (next < examples.length) {
            const ex = examples[next++];
            const result = await validate(ex.name, fs.readFileSync(path.join(EXAMPLES, ex.file), 'utf8'));
            if (!result.valid || result.diagnostics.length > 0) failures.push(`examples/${ex.file}: ${JSON.stringify(result.diagnostics)}`);
          }
        }),
      );
      expect(failures).toEqual([]);
    }, 300_000);

    it('GIVEN an example with a misspelled attribute or a value the provider refuses THEN validate fails on it', async () => {
      const misspelled = await validate('bad_attribute', 'resource "netforge_zone" "z" {\n  nme = "zone-a"\n}\n');
      expect(misspelled.valid).toBe(false);
      expect(misspelled.diagnostics.map((d) => d.summary).join('\n')).toMatch(/Unsupported argument|Missing required argument/);
      const refused = await validate('bad_cidr', 'resource "netforge_l3_network" "n" {\n  name = "n"\n  l2_network_uuid = "00000000-0000-4000-8000-000000000001"\n  cidr = "10.0.0.0/33"\n}\n');
      expect(refused.valid).toBe(false);
      // The provider's own refusal (not a schema error Terraform would give for any provider).
      expect(refused.diagnostics.map((d) => d.summary)).toEqual([expect.stringMatching(/10\.0\.0\.0\/33/)]);
    }, 120_000);
  });
});
