/**
 * `netforge review` on plans made by the real terraform against a real server: golden
 * Markdown and JSON reports for a create from empty, an in-place update, replacements
 * (a VLAN id and an IP range start), deletions, a range overlapping one already on the
 * server, and stateless violations with no server reachable. Every diagram is parsed with
 * mermaid's own parser.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { runReview, type ReviewCliOptions } from '../../cli/review-command';
import { freePort } from '../helpers/ports';
import { startTestServer, type TestServer } from '../helpers/server';
import { terraformBinary, terraformWorkspace, type TerraformWorkspace } from '../helpers/terraform';
import { expectGolden, parseMermaid } from './golden';
import { scenarioHcl, type ScenarioKnobs } from './scenario';

jest.setTimeout(120_000);

interface Reviewed {
  code: number;
  stdout: string;
  stderr: string;
}


describe('netforge review of plans made by the real terraform', () => {
  let s: TestServer;
  let w: TerraformWorkspace;
  const diagrams: Record<string, string> = {};

  /** Plans the scenario, saves `terraform show -json` as <name>.json in the workspace. */
  const plan = async (name: string, knobs: ScenarioKnobs = {}): Promise<string> => {
    w.write(scenarioHcl(s.url, knobs));
    const p = await w.tf('plan', '-no-color', '-input=false', '-out', 'plan');
    if (p.code !== 0) throw new Error(`terraform plan failed:\n${p.stderr}`);
    const shown = await w.tf('show', '-json', 'plan');
    expect(shown.code).toBe(0);
    const file = path.join(w.dir, `${name}.json`);
    fs.writeFileSync(file, shown.stdout);
    return file;
  };
  const review = async (planFile: string, opts: ReviewCliOptions = {}, env: NodeJS.ProcessEnv = {}): Promise<Reviewed> => {
    let stdout = '';
    let stderr = '';
    const code = await runReview(planFile, { endpoint: s.url, ...opts }, {
      stdout: (t) => (stdout += t),
      stderr: (t) => (stderr += t),
      cwd: w.dir,
      env: { PATH: process.env.PATH, NETFORGE_TOKEN: s.token, NETFORGE_TERRAFORM: terraformBinary(), ...env },
    });
    return { code, stdout, stderr };
  };
  /** Markdown and JSON goldens of one case; returns the parsed JSON report. */
  const goldens = async (name: string, planFile: string, opts: ReviewCliOptions = {}, env: NodeJS.ProcessEnv = {}) => {
    const md = await review(planFile, opts, env);
    const json = await review(planFile, { ...opts, format: 'json' }, env);
    expect(md.stderr).toBe('');
    expect(json.code).toBe(md.code);
    expectGolden(`${name}.md`, md.stdout);
    expectGolden(`${name}.json`, json.stdout);
    const report = JSON.parse(json.stdout);
    diagrams[name] = report.mermaid;
    return { code: md.code, markdown: md.stdout, report };
  };

  beforeAll(async () => {
    s = await startTestServer();
    w = await terraformWorkspace({ NETFORGE_TOKEN: s.token });
    w.write(scenarioHcl(s.url));
    const init = await w.tf('init', '-no-color', '-input=false');
    expect(init.code).toBe(0);
  });
  afterAll(async () => {
    w?.cleanup();
    await s?.stop();
  });

  test('GIVEN an empty server WHEN the whole topology is planned THEN every object is explained, checked by the server, and the batch refers to new objects by address', async () => {
    const { code, markdown, report } = await goldens('create', await plan('create'));
    expect(code).toBe(0);
    expect(report.validation).toMatchObject({ mode: 'server', stateDependentRulesChecked: true });
    expect(report.summary).toEqual({ create: 19, update: 0, replace: 0, delete: 0, violations: 0 });
    expect(markdown).toContain('L2 vlan-10 attached to cluster2: realized on 2 hosts');
    // The server's dry run says where the virtual router would run and where SNAT leaves.
    expect(markdown).toContain("DHCP, DNS, SNAT on L3 app served by virtual router vrouter-app on host 'host1-1' at 192.168.10.1; SNAT through 203.0.113.20");
    expect(markdown).toContain('a virtual router holding the gateway of L3 app leaves through L3 internet');
    // $refs for objects created in the same plan, each after the object it names.
    const batch = report.validation.changes as Array<{ id: string; attributes: Record<string, unknown> }>;
    expect(batch).toHaveLength(19);
    const position = new Map(batch.map((c, i) => [c.id, i]));
    const range = batch.find((c) => c.id === 'netforge_ip_range.app1')!;
    expect(range.attributes).toEqual({ l3NetworkUuid: { $ref: 'netforge_l3_network.app' }, name: 'app-1', startIp: '192.168.10.10', endIp: '192.168.10.50' });
    for (const c of batch) {
      for (const v of Object.values(c.attributes).flat()) {
        const ref = (v as { $ref?: string })?.$ref;
        if (ref) expect(position.get(ref)!).toBeLessThan(position.get(c.id)!);
      }
    }
    const applied = await w.tf('apply', '-no-color', '-input=false', 'plan');
    expect(applied.code).toBe(0);
  });

  test('GIVEN a changed zone description and DNS servers WHEN planned THEN the report shows two in-place updates', async () => {
    const { code, markdown, report } = await goldens('update', await plan('update', { zoneDescription: 'second', dnsServers: ['192.168.10.1', '9.9.9.9'] }));
    expect(code).toBe(0);
    expect(report.summary).toMatchObject({ update: 2, create: 0, replace: 0, delete: 0 });
    expect(markdown).toContain('L3 app updated: dns_servers [192.168.10.1] → [192.168.10.1, 9.9.9.9]');
    expect(report.validation.changes.map((c: { action: string }) => c.action)).toEqual(['update', 'update']);
  });

  test('GIVEN a changed VLAN id and range start WHEN planned THEN both replacements are flagged with the attribute that forces them', async () => {
    const planFile = await plan('replace', { spareVlan: 31, app2Start: '192.168.10.90' });
    const { code, markdown, report } = await goldens('replace', planFile);
    expect(code).toBe(0);
    expect(report.summary).toMatchObject({ replace: 2, violations: 0 });
    expect(markdown).toContain('**replace** `netforge_l2_vlan_network.spare`, forced by `vlan`: L2 vlan-spare replaced: vlan 30 → 31');
    expect(markdown).toContain('IP range app-2 replaced: start_ip 192.168.10.100 → 192.168.10.90 (VMs holding addresses in it must be moved first)');
    // Replacements are a delete of the old uuid, then a create.
    const actions = report.validation.changes.map((c: { id: string; action: string }) => `${c.action} ${c.id}`);
    expect(actions).toEqual(expect.arrayContaining(['delete netforge_ip_range.app2 (old)', 'create netforge_ip_range.app2']));
    expect(actions.indexOf('delete netforge_ip_range.app2 (old)')).toBeLessThan(actions.indexOf('create netforge_ip_range.app2'));

    const blocked = await review(planFile, { failOn: ['replace'] });
    expect(blocked.code).toBe(3);
    expect(blocked.stdout).toContain('blocked by --fail-on replace');
    expect((await review(planFile, { failOn: ['delete'] })).code).toBe(0);
  });

  test('GIVEN a removed attachment and range WHEN planned THEN the deletions say what disappears from which hosts', async () => {
    const planFile = await plan('delete', { shrink: true });
    const { code, markdown, report } = await goldens('delete', planFile);
    expect(code).toBe(0);
    expect(report.summary).toMatchObject({ delete: 2, violations: 0 });
    expect(markdown).toContain('L2 vlan-10 detached from cluster2: removed from 2 hosts');
    expect(markdown).toContain('IP range app-2 deleted: 192.168.10.100-192.168.10.150 (51 addresses) no longer allocatable');
    expect((await review(planFile, { failOn: ['delete', 'replace'] })).code).toBe(3);
  });

  test('GIVEN the binary plan file WHEN reviewed THEN terraform show -json is run in its directory and the report is the same', async () => {
    const fromJson = await review(path.join(w.dir, 'delete.json'), { format: 'json' });
    const fromBinary = await review(path.join(w.dir, 'plan'), { format: 'json' });
    expect(fromBinary.stderr).toBe('');
    expect(fromBinary.code).toBe(fromJson.code);
    expect({ ...JSON.parse(fromBinary.stdout), source: 'x' }).toEqual({ ...JSON.parse(fromJson.stdout), source: 'x' });
  });

  test('GIVEN a range planned before someone added an overlapping one on the server WHEN reviewed THEN the overlap is an error naming both and the exit code is 1', async () => {
    const planFile = await plan('overlap', {
      extra: `resource "netforge_ip_range" "app3" {
  l3_network_uuid = netforge_l3_network.app.uuid
  name            = "app-3"
  start_ip        = "192.168.10.160"
  end_ip          = "192.168.10.180"
}`,
    });
    // The plan passed the provider's plan-time check; since then the server has changed.
    const l3 = (await s.api('GET', '/v1/l3-networks?name=app')).body[0];
    const hotfix = await s.api('POST', '/v1/ip-ranges', { l3NetworkUuid: l3.uuid, name: 'hotfix', startIp: '192.168.10.170', endIp: '192.168.10.190' });
    expect(hotfix.status).toBe(201);
    try {
      const { code, markdown, report } = await goldens('overlap', planFile);
      expect(code).toBe(1);
      expect(report.status).toBe('violations');
      expect(report.violations).toEqual([
        expect.objectContaining({
          address: 'netforge_ip_range.app3',
          object: 'IP range app-3',
          code: 'IP_RANGE_OVERLAP',
          attribute: 'start_ip',
          conflicting: { type: 'IpRange', uuid: hotfix.body.uuid, name: 'hotfix' },
          source: 'server',
        }),
      ]);
      expect(markdown).toMatch(/IP range app-3 `netforge_ip_range\.app3` \| `start_ip` \| `IP_RANGE_OVERLAP` \| range 192\.168\.10\.160-192\.168\.10\.180 overlaps IpRange 'hotfix'/);
      // Violations come before the changes.
      expect(markdown.indexOf('### Violations')).toBeLessThan(markdown.indexOf('### Changes'));
    } finally {
      expect((await s.api('DELETE', `/v1/ip-ranges/${hotfix.body.uuid}`)).status).toBe(204);
    }
  });

  test('GIVEN no server reachable WHEN a plan with stateless violations is reviewed THEN they are reported and the report says state-dependent rules were not checked', async () => {
    const planFile = await plan('stateless', {
      extra: `resource "netforge_l3_network" "db" {
  name            = "db"
  l2_network_uuid = netforge_l2_vlan_network.v10.uuid
  cidr            = "10.20.0.0/24"
}
resource "netforge_ip_range" "db1" {
  l3_network_uuid = netforge_l3_network.db.uuid
  name            = "db-1"
  start_ip        = "10.30.0.10"
  end_ip          = "10.30.0.20"
}
resource "netforge_l3_network" "p2p" {
  name            = "p2p"
  l2_network_uuid = netforge_l2_vlan_network.v10.uuid
  cidr            = "10.40.0.0/31"
}
resource "netforge_network_service_attachment" "p2p_dhcp" {
  l3_network_uuid = netforge_l3_network.p2p.uuid
  provider_uuid   = data.netforge_network_service_provider.vr.uuid
  services        = ["DHCP"]
}`,
    });
    const endpoint = `http://127.0.0.1:${await freePort()}`;
    const { code, markdown, report } = await goldens('offline-stateless', planFile, { endpoint });
    expect(code).toBe(1);
    expect(report.validation).toMatchObject({ mode: 'stateless', stateDependentRulesChecked: false });
    expect(report.validation.reason).toMatch(/cannot reach the netforge server/);
    expect(markdown).toContain('**State-dependent rules were NOT checked**');
    expect(report.violations.map((v: { address: string; code: string; attribute: string }) => `${v.address} ${v.attribute} ${v.code}`)).toEqual([
      'netforge_ip_range.db1 start_ip IP_RANGE_OUTSIDE_CIDR',
      'netforge_ip_range.db1 end_ip IP_RANGE_OUTSIDE_CIDR',
      'netforge_network_service_attachment.p2p_dhcp services DHCP_PREFIX_TOO_LONG',
    ]);
    // The same plan checked by the server finds the same problems.
    const online = JSON.parse((await review(planFile, { format: 'json' })).stdout);
    expect(online.validation.mode).toBe('server');
    expect(online.violations.map((v: { code: string }) => v.code)).toEqual(expect.arrayContaining(['IP_RANGE_OUTSIDE_CIDR', 'DHCP_PREFIX_TOO_LONG']));
    // --offline skips the server on purpose, and says so.
    const offline = await review(planFile, { offline: true });
    expect(offline.code).toBe(1);
    expect(offline.stdout).toContain('(--offline)');
  });

  test('GIVEN no server and a plan whose objects clash with each other WHEN reviewed offline THEN the cross-object rules report them, and what only the server can decide is a note', async () => {
    const planFile = await plan('offline-cross', {
      extra: `resource "netforge_cluster" "kvm" {
  name            = "kvm"
  zone_uuid       = netforge_zone.z.uuid
  hypervisor_type = "KVM"
}
resource "netforge_host" "k1" {
  name          = "kvm-1"
  cluster_uuid  = netforge_cluster.kvm.uuid
  management_ip = "10.0.1.11"
}
resource "netforge_l2_vlan_network" "unattached" {
  name               = "vlan-unattached"
  zone_uuid          = netforge_zone.z.uuid
  physical_interface = "eth0"
  vlan               = 40
}
resource "netforge_l3_network" "unattached" {
  name            = "unattached"
  l2_network_uuid = netforge_l2_vlan_network.unattached.uuid
  cidr            = "10.50.0.0/24"
}
resource "netforge_vm_instance" "lonely" {
  name             = "lonely"
  l3_network_uuids = [netforge_l3_network.unattached.uuid]
}`,
    });
    const out = await review(planFile, { offline: true, format: 'json' });
    const report = JSON.parse(out.stdout);
    expect(report.violations.map((v: { address: string; code: string; attribute?: string }) => `${v.address} ${v.attribute} ${v.code}`)).toEqual([
      'netforge_host.k1 agent_fingerprint AGENT_FINGERPRINT_REQUIRED',
      'netforge_host.k1 management_ip MANAGEMENT_IP_CONFLICT',
    ]);
    expect(out.code).toBe(1);
    // No cluster carries the new VLAN in this plan, and only the server could say none will: a note, not a violation.
    const vm = report.changes.find((c: { address: string }) => c.address === 'netforge_vm_instance.lonely');
    expect(vm.violations).toEqual([]);
    expect(vm.notes).toEqual([expect.stringMatching(/^left for apply: no cluster in this plan is attached to every L2 network of the VM \('vlan-unattached'\) \(NO_ELIGIBLE_HOST\)$/)]);
  });

  test('GIVEN every report WHEN its diagram is parsed by mermaid THEN it is a flowchart with zones, networks, attachments and highlighted changes', async () => {
    const names = Object.keys(diagrams);
    expect(names).toEqual(['create', 'update', 'replace', 'delete', 'overlap', 'offline-stateless']);
    const parsed = await parseMermaid(names.map((n) => diagrams[n]));
    parsed.forEach((p, i) => expect({ name: names[i], ok: p.ok, error: p.error }).toEqual({ name: names[i], ok: true, error: undefined }));
    const byName = Object.fromEntries(names.map((n, i) => [n, parsed[i]]));
    const vertex = (name: string, text: RegExp) => byName[name].vertices.find((v) => text.test(v.text));

    const create = byName.create;
    expect(create.type).toMatch(/^flowchart/);
    expect(create.subgraphs.map((g) => g.title)).toEqual(['zone zone1<br>(new)']);
    expect(create.subgraphs[0].nodes).toHaveLength(12);
    expect(create.edges.filter((e) => e.text === 'attached')).toHaveLength(3);
    expect(create.edges.filter((e) => e.text === 'leaves through')).toHaveLength(1);
    expect(create.classes).toEqual(expect.arrayContaining(['created', 'updated', 'replaced', 'deleted']));
    expect(create.vertices.every((v) => v.classes.includes('created'))).toBe(true);
    expect(create.vertices.every((v) => /^[a-z0-9]+_\d+$/.test(v.id))).toBe(true);
    expect(vertex('create', /^L2 vlan-10/)!.text).toBe('L2 vlan-10<br>VLAN 10 on eth0<br>(new)');
    expect(vertex('create', /^DHCP/)!.text).toBe('DHCP, DNS, SNAT<br>via vrouter<br>(new)');

    expect(vertex('update', /^L3 app/)!.classes).toEqual(['updated']);
    expect(vertex('replace', /^L2 vlan-spare/)).toMatchObject({ text: 'L2 vlan-spare<br>VLAN 31 on eth0<br>(replaced)', classes: ['replaced'] });
    expect(vertex('replace', /^range app-2/)!.classes).toEqual(['replaced']);
    expect(vertex('delete', /^range app-2/)!.classes).toEqual(['deleted']);
    expect(byName.delete.edges.filter((e) => e.text === 'detached')).toHaveLength(1);
    // The overlap: the planned range and the one on the server, joined by the rule they break.
    const app3 = vertex('overlap', /^range app-3/)!;
    const hotfix = vertex('overlap', /^range hotfix/)!;
    expect(app3.classes).toEqual(['created', 'violation']);
    expect(hotfix).toMatchObject({ text: 'range hotfix<br>192.168.10.170 - 192.168.10.190<br>(on server)', classes: ['violation'] });
    expect(byName.overlap.edges).toContainEqual({ start: app3.id, end: hotfix.id, text: 'IP_RANGE_OVERLAP' });
    expect(byName.overlap.edges).toContainEqual({ start: vertex('overlap', /^L3 app/)!.id, end: hotfix.id, text: '' });
  });

  test('GIVEN command-line mistakes WHEN netforge review runs THEN it exits 2 with a message', async () => {
    const none = await review(undefined as unknown as string);
    expect(none).toMatchObject({ code: 2, stderr: expect.stringMatching(/nothing to review/) });
    expect((await review(path.join(w.dir, 'nope.json'))).stderr).toMatch(/does not exist/);
    fs.writeFileSync(path.join(w.dir, 'bad.json'), '{"hello": 1}');
    expect(await review(path.join(w.dir, 'bad.json'))).toMatchObject({ code: 2, stderr: expect.stringMatching(/not a Terraform plan/) });
    expect(await review(path.join(w.dir, 'create.json'), { format: 'yaml' })).toMatchObject({ code: 2 });
    expect(await review(path.join(w.dir, 'create.json'), {}, { NETFORGE_TOKEN: 'wrong' })).toMatchObject({ code: 2, stderr: expect.stringMatching(/rejected the token/) });
    // Through the real command line: an unknown --fail-on value.
    const cli = await new Promise<{ code: number; stderr: string }>((resolve) => {
      execFile(
        process.execPath,
        [require.resolve('tsx/cli'), path.join(__dirname, '..', '..', 'cli', 'main.ts'), 'review', 'x.json', '--fail-on', 'everything'],
        { cwd: w.dir },
        (err, _stdout, stderr) => resolve({ code: err ? Number((err as { code?: number }).code) : 0, stderr }),
      );
    });
    expect(cli.code).toBe(2);
    expect(cli.stderr).toMatch(/expected a list of delete, replace/);
  });
});
