/**
 * Life after CDKTF's archival: a team ejects. `cdktf synth --hcl` turns the example stack
 * into plain HCL, and from then on plain `terraform init/apply/plan/destroy` runs it with
 * the provider from `netforge provider install`'s mirror (no cdktf, no registry), against a
 * server the test starts.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ejectedEnv, ejectTo, EXAMPLE_STACK, synthExampleHcl, terraformIn } from '../helpers/example-hcl';
import { startTestServer, type TestServer } from '../helpers/server';

jest.setTimeout(240_000);

describe('ejecting the example stack to plain HCL', () => {
  let s: TestServer;
  let root: string;
  let ejected: string;
  let env: NodeJS.ProcessEnv;
  let terraform: ReturnType<typeof terraformIn>;

  const list = async (p: string) => (await s.api('GET', `/v1/${p}`)).body as Array<Record<string, any>>;

  beforeAll(async () => {
    s = await startTestServer();
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'netforge-eject-'));
    env = await ejectedEnv(root, s);
    ejected = path.join(root, 'ejected');
    terraform = terraformIn(ejected, env);
  });
  afterAll(async () => {
    if (root) fs.rmSync(root, { recursive: true, force: true });
    await s?.stop();
  });

  test('GIVEN the example stack WHEN synthesized with --hcl THEN it is one HCL file with the netforge provider and no JSON', async () => {
    const synth = await synthExampleHcl(root, env);
    expect(synth.out).toMatch(new RegExp(`Generated Terraform code for the stacks: ${EXAMPLE_STACK}`));
    expect(synth.code).toBe(0);
    const stackDir = synth.stackDir;
    const tfFiles = fs.readdirSync(stackDir).filter((f) => /\.tf(\.json)?$/.test(f));
    expect(tfFiles).toEqual(['cdk.tf']);
    const hcl = fs.readFileSync(path.join(stackDir, 'cdk.tf'), 'utf8');
    expect(hcl).toMatch(/source\s+= "netforge\/netforge"/);
    expect(hcl).toMatch(/resource "netforge_l2_vxlan_network" "[^"]+" \{/);
    // The eject: the HCL is all a team keeps; the provider comes from the mirror from now on.
    ejectTo(stackDir, ejected);
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
