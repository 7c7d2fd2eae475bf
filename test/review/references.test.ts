/**
 * The review places objects by planned values, and by configuration references only where
 * those are unambiguous. A real terraform plan of hosts spread over two new clusters with
 * `count.index < 2 ? c1.uuid : c2.uuid`: no host is claimed for either cluster, both
 * clusters say their hosts are decided at apply, and the dry-run batch does not invent a
 * cluster for them.
 */
import fs from 'node:fs';
import path from 'node:path';
import { runReview } from '../../cli/review-command';
import { startTestServer, type TestServer } from '../helpers/server';
import { netforgeHclHeader, terraformBinary, terraformWorkspace, type TerraformWorkspace } from '../helpers/terraform';
import { parseMermaid } from './golden';

jest.setTimeout(120_000);

function hcl(endpoint: string, clusterExpression: string): string {
  return `
${netforgeHclHeader(endpoint)}
resource "netforge_zone" "z" { name = "zone1" }
resource "netforge_cluster" "c1" {
  name            = "cluster1"
  zone_uuid       = netforge_zone.z.uuid
  hypervisor_type = "Simulator"
}
resource "netforge_cluster" "c2" {
  name            = "cluster2"
  zone_uuid       = netforge_zone.z.uuid
  hypervisor_type = "Simulator"
}
resource "netforge_host" "h" {
  count         = 4
  name          = "host-\${count.index}"
  cluster_uuid  = ${clusterExpression}
  management_ip = "10.0.9.\${count.index + 10}"
}
`;
}

describe('netforge review places objects without guessing', () => {
  let s: TestServer;
  let w: TerraformWorkspace;

  const reviewOf = async (clusterExpression: string) => {
    w.write(hcl(s.url, clusterExpression));
    expect((await w.tf('plan', '-no-color', '-input=false', '-out', 'plan')).code).toBe(0);
    const shown = await w.tf('show', '-json', 'plan');
    const file = path.join(w.dir, 'plan.json');
    fs.writeFileSync(file, shown.stdout);
    let stdout = '';
    const code = await runReview(file, { endpoint: s.url, format: 'json' }, {
      stdout: (t) => (stdout += t),
      stderr: () => undefined,
      cwd: w.dir,
      env: { PATH: process.env.PATH, NETFORGE_TOKEN: s.token, NETFORGE_TERRAFORM: terraformBinary() },
    });
    expect(code).toBe(0);
    return JSON.parse(stdout) as {
      changes: Array<{ address: string; summary: string; notes: string[] }>;
      validation: { changes: Array<{ id: string; attributes: Record<string, unknown> }> };
      mermaid: string;
    };
  };

  beforeAll(async () => {
    s = await startTestServer();
    w = await terraformWorkspace({ NETFORGE_TOKEN: s.token });
    w.write(hcl(s.url, 'netforge_cluster.c1.uuid'));
    expect((await w.tf('init', '-no-color', '-input=false')).code).toBe(0);
  });
  afterAll(async () => {
    w?.cleanup();
    await s?.stop();
  });

  test('GIVEN cluster_uuid = count.index < 2 ? c1 : c2 WHEN reviewed THEN no host is placed in cluster1 by guess and neither cluster is drawn with a final host count', async () => {
    const report = await reviewOf('count.index < 2 ? netforge_cluster.c1.uuid : netforge_cluster.c2.uuid');
    const hosts = report.changes.filter((c) => c.address.startsWith('netforge_host.h['));
    expect(hosts).toHaveLength(4);
    for (const h of hosts) {
      expect(h.summary).not.toMatch(/cluster1|cluster2/);
      expect(h.summary).toMatch(/added to a cluster decided at apply/);
    }
    // The diagram claims no host count for either cluster: 0 known, 4 decided at apply.
    expect(report.mermaid).toMatch(/cluster cluster1<br\/>Simulator · 0 hosts \(\+4 decided at apply\?\)/);
    expect(report.mermaid).toMatch(/cluster cluster2<br\/>Simulator · 0 hosts \(\+4 decided at apply\?\)/);
    expect(report.mermaid).not.toMatch(/cluster cluster\d<br\/>Simulator · \d hosts?</);
    const [parsed] = await parseMermaid([report.mermaid]);
    expect(parsed).toMatchObject({ ok: true, type: 'flowchart-v2' });
    // The batch does not pick a cluster either: the hosts are left unchecked, saying why.
    expect(report.validation.changes.map((c) => c.id)).not.toContain('netforge_host.h[2]');
    expect(hosts[2].notes).toEqual([expect.stringMatching(/not checked: .*cluster_uuid/)]);
  });

  test('GIVEN cluster_uuid = netforge_cluster.c2.uuid WHEN reviewed THEN every host is placed in cluster2 (an unambiguous reference)', async () => {
    const report = await reviewOf('netforge_cluster.c2.uuid');
    for (const h of report.changes.filter((c) => c.address.startsWith('netforge_host.h['))) expect(h.summary).toMatch(/added to cluster cluster2$/);
    expect(report.mermaid).toMatch(/cluster cluster2<br\/>Simulator · 4 hosts</);
    expect(report.mermaid).toMatch(/cluster cluster1<br\/>Simulator · 0 hosts</);
    const batch = report.validation.changes.find((c) => c.id === 'netforge_host.h[3]')!;
    expect(batch.attributes.clusterUuid).toEqual({ $ref: 'netforge_cluster.c2' });
  });
});
