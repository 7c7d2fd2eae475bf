/**
 * The stack README shows under "Writing your own stack" is code users copy: it must compile
 * and synthesize (its placeholders, the agent fingerprint, filled in).
 */
import fs from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import ts from 'typescript';
import type { App } from 'cdktf';
import * as constructs from '../../constructs';
import { removeTestOutdir, testApp, TEST_AGENT_FINGERPRINT } from './helpers';

afterAll(removeTestOutdir);

const README = path.resolve(__dirname, '..', '..', 'README.md');

function readmeStack(): string {
  const text = fs.readFileSync(README, 'utf8');
  const section = text.slice(text.indexOf('## Writing your own stack'));
  const match = /```ts\n([\s\S]*?)```/.exec(section);
  if (!match) throw new Error('README has no ```ts block under "Writing your own stack"');
  return match[1];
}

it("README's example stack compiles and synthesizes, with a virtual router, its public network, a VM with an EIP and a security group", () => {
  const source = readmeStack().replace(/'sha256:…'/g, `'${TEST_AGENT_FINGERPRINT}'`);
  const { outputText, diagnostics } = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 }, reportDiagnostics: true });
  expect(diagnostics ?? []).toEqual([]);
  let app: App | undefined;
  const cdktf = jest.requireActual<typeof import('cdktf')>('cdktf');
  // `new App()` in the example becomes a testing app; `root.synth()` writes to its temp outdir.
  const modules: Record<string, unknown> = {
    cdktf: { ...cdktf, App: function TestingApp() { app = testApp(); return app; } },
    '../constructs': constructs,
  };
  const sandbox = { require: (name: string) => modules[name] ?? (() => { throw new Error(`the README example imports ${name}`); })(), exports: {}, module: { exports: {} } };
  vm.runInNewContext(outputText, sandbox, { filename: 'README-example.js' });
  expect(app).toBeDefined();
  const stack = app!.node.findChild('prod');
  const synthesized = JSON.parse(fs.readFileSync(path.join(app!.outdir, 'stacks', 'prod', 'cdk.tf.json'), 'utf8')) as { resource: Record<string, Record<string, Record<string, unknown>>> };
  expect(stack).toBeDefined();
  expect(Object.values(synthesized.resource.netforge_network_service_attachment)).toEqual(
    expect.arrayContaining([
      expect.objectContaining({ services: ['DHCP', 'DNS', 'SNAT', 'EIP'], public_l3_network_uuid: expect.stringContaining('netforge_l3_network') }),
      expect.objectContaining({ services: ['SecurityGroup'] }),
    ]),
  );
  expect(Object.keys(synthesized.resource.netforge_vm_instance)).toHaveLength(1);
  expect(Object.keys(synthesized.resource.netforge_eip)).toHaveLength(1);
  expect(Object.values(synthesized.resource.netforge_security_group_rule)).toEqual([expect.objectContaining({ direction: 'Ingress', protocol: 'TCP', port_start: 443, remote_cidr: '198.51.100.0/24' })]);
});
