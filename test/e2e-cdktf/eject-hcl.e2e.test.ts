/**
 * Life after CDKTF's archival: a team ejects. `cdktf synth --hcl` turns the example stack
 * into plain HCL, and from then on plain `terraform init/apply/plan/destroy` runs it with
 * the provider from `netforge provider install`'s mirror (no cdktf, no registry), against a
 * server the test starts.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { installNetforgeProvider } from '../../cli/provider-command';
import { CDKTF, cdktfProject, stripAnsi } from '../helpers/cdktf';
import { startTestServer, type TestServer } from '../helpers/server';
import { terraformBinary } from '../helpers/terraform';

jest.setTimeout(240_000);

const run = promisify(execFile);
const APP = path.join(__dirname, 'fixtures', 'example-app.ts');
const STACK = 'netforge-example';

describe('ejecting the example stack to plain HCL', () => {
  let s: TestServer;
  let root: string;
  let ejected: string;
  let env: NodeJS.ProcessEnv;

  const list = async (p: string) => (await s.api('GET', `/v1/${p}`)).body as Array<Record<string, any>>;
  const exec = async (command: string, args: string[], cwd: string) => {
    try {
      const { stdout, stderr } = await run(command, args, { cwd, env, maxBuffer: 64 << 20 });
      return { code: 0, out: stripAnsi(stdout + stderr) };
    } catch (err) {
      const e = err as { code?: number; stdout?: string; stderr?: string };
      return { code: typeof e.code === 'number' ? e.code : 1, out: stripAnsi(`${e.stdout ?? ''}${e.stderr ?? ''}`) };
    }
  };
  const terraform = (...args: string[]) => exec(terraformBinary(), [...args, '-input=false', '-no-color'], ejected);

  beforeAll(async () => {
    s = await startTestServer();
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'netforge-eject-'));
    const installed = await installNetforgeProvider({ mirrorDir: path.join(root, 'mirror'), cliConfigFile: path.join(root, 'terraformrc') });
    env = {
      ...process.env,
      CI: '1',
      CHECKPOINT_DISABLE: '1',
      TF_IN_AUTOMATION: '1',
      NETFORGE_ENDPOINT: s.url,
      NETFORGE_TOKEN: s.token,
      TF_CLI_CONFIG_FILE: installed.cliConfigFile,
      PATH: `${path.dirname(terraformBinary())}:${process.env.PATH}`,
    };
    ejected = path.join(root, 'ejected');
  });
  afterAll(async () => {
    if (root) fs.rmSync(root, { recursive: true, force: true });
    await s?.stop();
  });

  test('GIVEN the example stack WHEN synthesized with --hcl THEN it is one HCL file with the netforge provider and no JSON', async () => {
    const project = path.join(root, 'project');
    cdktfProject(project, APP);
    const synth = await exec(CDKTF, ['synth', '--hcl'], project);
    expect(synth.out).toMatch(new RegExp(`Generated Terraform code for the stacks: ${STACK}`));
    expect(synth.code).toBe(0);
    const stackDir = path.join(project, 'cdktf.out', 'stacks', STACK);
    const tfFiles = fs.readdirSync(stackDir).filter((f) => /\.tf(\.json)?$/.test(f));
    expect(tfFiles).toEqual(['cdk.tf']);
    const hcl = fs.readFileSync(path.join(stackDir, 'cdk.tf'), 'utf8');
    expect(hcl).toMatch(/source\s+= "netforge\/netforge"/);
    expect(hcl).toMatch(/resource "netforge_l2_vxlan_network" "[^"]+" \{/);
    // The eject: the HCL is all a team keeps; the provider comes from the mirror from now on.
    fs.mkdirSync(ejected);
    fs.copyFileSync(path.join(stackDir, 'cdk.tf'), path.join(ejected, 'main.tf'));
  });

  test('GIVEN the ejected HCL WHEN terraform init and apply run THEN the server holds the topology and the VMs got their addresses', async () => {
    const init = await terraform('init');
    expect(init.out).toMatch(/Installing netforge\/netforge v0\.1\.0/);
    expect(init.code).toBe(0);
    const apply = await terraform('apply', '-auto-approve');
    expect(apply.out).toMatch(/Apply complete! Resources: 25 added, 0 changed, 0 destroyed/);
    expect(apply.code).toBe(0);
    expect((await list('zones')).map((z) => z.name)).toEqual(['zone1']);
    expect(await list('hosts')).toHaveLength(4);
    const priv = (await list('l2-networks?name=l2-private'))[0];
    expect(priv).toMatchObject({ type: 'L2VxlanNetwork', vni: 5000 });
    const [router] = await list('virtual-routers');
    expect(router).toMatchObject({ state: 'Running', publicIp: '203.0.113.50' });
    const vms = await list('vm-instances');
    expect(vms.map((v) => v.name).sort()).toEqual(['vm-db', 'vm-web']);
    expect(vms.every((v) => v.nics.every((n: { ip: string }) => /^(192\.168\.100|10\.10\.0)\.\d+$/.test(n.ip)))).toBe(true);
  });

  test('GIVEN the applied HCL WHEN planned again THEN there are no changes', async () => {
    const plan = await terraform('plan', '-detailed-exitcode');
    expect(plan.out).toMatch(/No changes\. Your infrastructure matches the configuration\./);
    expect(plan.code).toBe(0);
  });

  test('GIVEN the applied HCL WHEN destroyed THEN the server is empty', async () => {
    const destroy = await terraform('destroy', '-auto-approve');
    expect(destroy.out).toMatch(/Destroy complete! Resources: 25 destroyed/);
    expect(destroy.code).toBe(0);
    for (const p of ['zones', 'clusters', 'hosts', 'l2-networks', 'l3-networks', 'vm-instances', 'virtual-routers', 'ip-addresses']) {
      expect({ p, n: (await list(p)).length }).toEqual({ p, n: 0 });
    }
  });
});
