/**
 * Review of VIPs, EIPs, port forwarding and security groups on hand-made plans: what each
 * change means on the network (and, for deletions, what stops working), the warning for
 * ingress open to the world and the `--fail-on world-open` gate, and the diagram as
 * mermaid's own parser reads it.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runReview } from '../../cli/review-command';
import { parsePlan } from '../../review/plan';
import { renderJson, renderMarkdown } from '../../review/render';
import { reviewPlan, type FailOn } from '../../review/review';
import { parseMermaid, type ParsedMermaid } from './golden';

jest.setTimeout(60_000);

type Values = Record<string, unknown>;

const change = (type: string, name: string, actions: string[], before: Values | null, after: Values | null, unknown: Values = {}, extra: Values = {}) => ({
  address: `${type}.${name}`,
  mode: 'managed',
  type,
  change: { actions, before, after, after_unknown: unknown, ...extra },
});
const existing = (type: string, name: string, values: Values) => change(type, name, ['no-op'], { id: values.uuid, ...values }, { id: values.uuid, ...values });
const created = (type: string, name: string, after: Values, unknown: Values = {}) => change(type, name, ['create'], null, after, { id: true, uuid: true, ...unknown });
const deleted = (type: string, name: string, before: Values) => change(type, name, ['delete'], { id: before.uuid, ...before }, null);
/** Configuration: each attribute refers to another resource's uuid. */
const refs = (address: string, attrs: Record<string, string>) => ({
  address,
  expressions: Object.fromEntries(Object.entries(attrs).map(([attr, target]) => [attr, { references: [`${target}.uuid`, target] }])),
});

const l3 = (name: string, uuid: string, cidr: string) =>
  existing('netforge_l3_network', name, { uuid, name, l2_network_uuid: 'l2-1', cidr, gateway: cidr.replace(/0\/24$/, '1'), dns_servers: [], host_routes: [], description: '' });

/** What is there already: a public and a guest network, VM web on the guest one, security group app. */
const WORLD = [
  l3('internet', 'l3-pub', '203.0.113.0/24'),
  l3('app', 'l3-app', '192.168.10.0/24'),
  existing('netforge_vm_instance', 'web', { uuid: 'vm-web', name: 'web', l3_network_uuids: ['l3-app'], hostname: 'web', host_uuid: 'h-1', ip_addresses: ['192.168.10.12'] }),
  existing('netforge_security_group', 'app', { uuid: 'sg-app', name: 'app', description: '' }),
];

const rule = (name: string, after: Values, unknown: Values = { security_group_uuid: true }) =>
  created('netforge_security_group_rule', name, { port_start: null, port_end: null, remote_cidr: null, remote_security_group_uuid: null, description: '', ...after }, unknown);
const toWeb = (...names: string[]) => names.map((n) => refs(`netforge_security_group_rule.${n}`, { security_group_uuid: 'netforge_security_group.web' }));

/** An EIP and a forwarding rule for VM web, and security group web with four rules and VM web as member. */
const CREATE = {
  terraform_version: '1.11.4',
  resource_changes: [
    ...WORLD,
    created('netforge_vip', 'web', { name: 'web-vip', l3_network_uuid: 'l3-pub', ip: '203.0.113.10', description: '' }, { use_for: true }),
    created('netforge_eip', 'web', { name: 'web-eip', vm_instance_uuid: 'vm-web', l3_network_uuid: 'l3-app', description: '' }, { vip_uuid: true, vip_ip: true, guest_ip: true }),
    created('netforge_vip', 'ssh', { name: 'ssh-vip', l3_network_uuid: 'l3-pub', ip: '203.0.113.11', description: '' }, { use_for: true }),
    created(
      'netforge_port_forwarding_rule',
      'ssh',
      { name: 'ssh', protocol: 'TCP', vip_port_start: 8022, guest_port_start: 22, vm_instance_uuid: 'vm-web', allowed_cidr: '198.51.100.0/24', description: '' },
      { vip_uuid: true, vip_port_end: true, guest_port_end: true, l3_network_uuid: true, vip_ip: true, guest_ip: true },
    ),
    created('netforge_security_group', 'web', { name: 'web', description: '' }),
    rule('ssh', { direction: 'Ingress', protocol: 'TCP', port_start: 22, remote_cidr: '0.0.0.0/0' }),
    rule('icmp', { direction: 'Ingress', protocol: 'ICMP' }),
    rule('pg', { direction: 'Ingress', protocol: 'TCP', port_start: 5432, remote_security_group_uuid: 'sg-app' }),
    rule('out', { direction: 'Egress', protocol: 'TCP', port_start: 443, remote_cidr: '10.0.0.0/8' }),
    created('netforge_security_group_attachment', 'web', { vm_instance_uuid: 'vm-web', l3_network_uuid: 'l3-app' }, { security_group_uuid: true }),
  ],
  configuration: {
    root_module: {
      resources: [
        refs('netforge_eip.web', { vip_uuid: 'netforge_vip.web' }),
        refs('netforge_port_forwarding_rule.ssh', { vip_uuid: 'netforge_vip.ssh' }),
        ...toWeb('ssh', 'icmp', 'pg', 'out'),
        refs('netforge_security_group_attachment.web', { security_group_uuid: 'netforge_security_group.web' }),
      ],
    },
  },
};

/** The same objects going away (and one more VIP). */
const DELETE = {
  resource_changes: [
    ...WORLD,
    existing('netforge_vip', 'web', { uuid: 'vip-web', name: 'web-vip', l3_network_uuid: 'l3-pub', ip: '203.0.113.10', description: '', use_for: 'Eip' }),
    existing('netforge_vip', 'ssh', { uuid: 'vip-ssh', name: 'ssh-vip', l3_network_uuid: 'l3-pub', ip: '203.0.113.11', description: '', use_for: 'PortForwarding' }),
    existing('netforge_security_group', 'web', { uuid: 'sg-web', name: 'web', description: '' }),
    deleted('netforge_vip', 'old', { uuid: 'vip-old', name: 'old-vip', l3_network_uuid: 'l3-pub', ip: '203.0.113.12', description: '', use_for: null }),
    deleted('netforge_eip', 'web', { uuid: 'eip-1', name: 'web-eip', vip_uuid: 'vip-web', vm_instance_uuid: 'vm-web', l3_network_uuid: 'l3-app', description: '', vip_ip: '203.0.113.10', guest_ip: '192.168.10.12' }),
    deleted('netforge_port_forwarding_rule', 'ssh', {
      uuid: 'pf-1',
      name: 'ssh',
      vip_uuid: 'vip-ssh',
      protocol: 'TCP',
      vip_port_start: 8022,
      vip_port_end: 8022,
      vm_instance_uuid: 'vm-web',
      l3_network_uuid: 'l3-app',
      guest_port_start: 22,
      guest_port_end: 22,
      allowed_cidr: null,
      description: '',
      vip_ip: '203.0.113.11',
      guest_ip: '192.168.10.12',
    }),
    deleted('netforge_security_group_rule', 'ssh', {
      uuid: 'r-1',
      security_group_uuid: 'sg-web',
      direction: 'Ingress',
      protocol: 'TCP',
      port_start: 22,
      port_end: 22,
      remote_cidr: '0.0.0.0/0',
      remote_security_group_uuid: null,
      description: '',
    }),
    deleted('netforge_security_group_rule', 'pg', {
      uuid: 'r-2',
      security_group_uuid: 'sg-web',
      direction: 'Ingress',
      protocol: 'TCP',
      port_start: 5432,
      port_end: 5432,
      remote_cidr: null,
      remote_security_group_uuid: 'sg-app',
      description: '',
    }),
    deleted('netforge_security_group_attachment', 'web', { uuid: 'm-1', security_group_uuid: 'sg-web', vm_instance_uuid: 'vm-web', l3_network_uuid: 'l3-app' }),
  ],
};

/** A rule replaced because its remote CIDR changes. */
const replaceRule = (from: string, to: string) => ({
  resource_changes: [
    ...WORLD,
    existing('netforge_security_group', 'web', { uuid: 'sg-web', name: 'web', description: '' }),
    change(
      'netforge_security_group_rule',
      'ssh',
      ['delete', 'create'],
      { uuid: 'r-1', id: 'r-1', security_group_uuid: 'sg-web', direction: 'Ingress', protocol: 'TCP', port_start: 22, port_end: 22, remote_cidr: from, remote_security_group_uuid: null, description: '' },
      { security_group_uuid: 'sg-web', direction: 'Ingress', protocol: 'TCP', port_start: 22, port_end: 22, remote_cidr: to, remote_security_group_uuid: null, description: '' },
      { id: true, uuid: true },
      { replace_paths: [['remote_cidr']] },
    ),
  ],
});

const review = (json: object, failOn: FailOn[] = []) => reviewPlan({ plan: parsePlan(json), source: 'test' }, { offline: true, env: {}, failOn });
const summaries = async (json: object) => (await review(json)).changes.map((c) => c.summary);
const detailsOf = async (json: object, address: string) => (await review(json)).changes.find((c) => c.address === address)!.details;

describe('review of VIPs, EIPs, port forwarding and security groups', () => {
  test('GIVEN new VIPs, an EIP, a forwarding rule, a group with rules and a member WHEN reviewed THEN each says what reaches what, in build order', async () => {
    expect(await summaries(CREATE)).toEqual([
      'VIP ssh-vip created: 203.0.113.11 on L3 internet',
      'VIP web-vip created: 203.0.113.10 on L3 internet',
      'security group web created',
      'security group web: opens icmp to its members from anywhere',
      'security group web: lets its members send tcp/443 to 10.0.0.0/8',
      'security group web: allows tcp/5432 from members of security group app',
      'security group web: opens tcp/22 to its members from 0.0.0.0/0',
      'EIP web-eip: 203.0.113.10 -> VM web (its NIC on app)',
      'port forwarding rule ssh: forwards tcp 203.0.113.11:8022 -> VM web:22 (from 198.51.100.0/24 only)',
      "VM web's NIC on app joins security group web",
    ]);
    expect(await detailsOf(CREATE, 'netforge_vip.web')).toEqual(['used by EIP web-eip']);
    expect(await detailsOf(CREATE, 'netforge_eip.web')).toEqual(["traffic to 203.0.113.10 reaches the NIC's address; traffic from the NIC leaves with 203.0.113.10 as its source"]);
    // No L3 network given: the API takes the VM's first NIC.
    expect(await detailsOf(CREATE, 'netforge_port_forwarding_rule.ssh')).toEqual(['to its first NIC']);
    expect(await detailsOf(CREATE, 'netforge_security_group.web')).toContainEqual(
      'its rules in this plan: ingress icmp from anywhere; egress tcp/443 to 10.0.0.0/8; ingress tcp/5432 from members of security group app; ingress tcp/22 from 0.0.0.0/0',
    );
    expect(await detailsOf(CREATE, 'netforge_security_group_rule.out')).toEqual(['once a group has egress rules, its members send only what they allow']);
    expect(await detailsOf(CREATE, 'netforge_security_group_attachment.web')).toEqual([
      "the NIC receives only what its groups' ingress rules allow",
      'security group web lets in icmp from anywhere, tcp/5432 from members of security group app, tcp/22 from 0.0.0.0/0',
    ]);
  });

  test('GIVEN the same objects deleted WHEN reviewed THEN each says what stops working', async () => {
    expect(await summaries(DELETE)).toEqual([
      'VIP old-vip deleted: 203.0.113.12 on L3 internet is released',
      'security group web: no longer allows tcp/5432 from members of security group app',
      'security group web: closes tcp/22 to its members from 0.0.0.0/0',
      'EIP web-eip deleted: VM web is no longer reachable at 203.0.113.10',
      'port forwarding rule ssh deleted: tcp 203.0.113.11:8022 no longer reaches VM web:22',
      "VM web's NIC on app leaves security group web",
    ]);
    expect(await detailsOf(DELETE, 'netforge_eip.web')).toEqual(['traffic from the NIC no longer leaves with 203.0.113.10 as its source']);
    expect(await detailsOf(DELETE, 'netforge_security_group_attachment.web')).toEqual([
      'what only security group web allowed no longer reaches it; in no group at all, the NIC is no longer filtered',
    ]);
  });

  test('GIVEN a rule replaced for its remote CIDR WHEN reviewed THEN the summary names the change and the new reach', async () => {
    const r = await review(replaceRule('0.0.0.0/0', '10.0.0.0/8'));
    expect(r.changes.map((c) => c.summary)).toEqual(['security group web: rule replaced (remote_cidr 0.0.0.0/0 → 10.0.0.0/8): opens tcp/22 to its members from 10.0.0.0/8']);
    expect(r.changes[0].details).toEqual(['what it allows is blocked between the deletion of the old rule and the creation of the new one']);
  });
});

describe('rules checked without a server on the new kinds', () => {
  test('GIVEN a rule with both a remote CIDR and a remote group, and two forwarding rules sharing a port WHEN reviewed offline THEN both are violations on their attributes', async () => {
    const forward = (name: string, start: number, end: number) =>
      created('netforge_port_forwarding_rule', name, { name, vip_uuid: 'vip-ssh', protocol: 'TCP', vip_port_start: start, vip_port_end: end, vm_instance_uuid: 'vm-web', l3_network_uuid: 'l3-app', description: '' }, {
        guest_port_start: true,
        guest_port_end: true,
        vip_ip: true,
        guest_ip: true,
      });
    const r = await review({
      resource_changes: [
        ...WORLD,
        existing('netforge_vip', 'ssh', { uuid: 'vip-ssh', name: 'ssh-vip', l3_network_uuid: 'l3-pub', ip: '203.0.113.11', description: '', use_for: null }),
        existing('netforge_security_group', 'web', { uuid: 'sg-web', name: 'web', description: '' }),
        rule('both', { security_group_uuid: 'sg-web', direction: 'Ingress', protocol: 'TCP', port_start: 22, remote_cidr: '10.0.0.0/8', remote_security_group_uuid: 'sg-app' }, {}),
        forward('a', 8000, 8010),
        forward('b', 8010, 8020),
      ],
    });
    expect(r.violations).toEqual([
      expect.objectContaining({ address: 'netforge_security_group_rule.both', object: 'security group rule web ingress tcp/22', code: 'REMOTE_CONFLICT', attribute: 'remote_security_group_uuid' }),
      expect.objectContaining({
        address: 'netforge_port_forwarding_rule.b',
        object: 'port forwarding rule b',
        code: 'PORT_RANGE_OVERLAP',
        attribute: 'vip_port_start',
        conflicting: { type: 'PortForwardingRule', name: 'a', address: 'netforge_port_forwarding_rule.a' },
      }),
    ]);
    expect(r.exitCode).toBe(1);
    // The diagram links the rule that overlaps to the one it overlaps.
    const [d] = await parseMermaid([r.mermaid]);
    const id = (text: RegExp) => d.vertices.find((v) => text.test(v.text))!.id;
    expect(d.edges).toContainEqual({ start: id(/^forward b/), end: id(/^forward a/), text: 'PORT_RANGE_OVERLAP' });
  });
});

describe('ingress open to the world', () => {
  test('GIVEN new ingress rules from 0.0.0.0/0 and from nowhere in particular WHEN reviewed THEN both are warnings, and rules with peers, egress rules and deletions are not', async () => {
    const r = await review(CREATE);
    expect(r.warnings).toEqual([
      {
        address: 'netforge_security_group_rule.icmp',
        object: 'security group rule web ingress icmp',
        code: 'WORLD_OPEN_INGRESS',
        message: 'security group web lets anyone in: ingress icmp from anywhere',
      },
      {
        address: 'netforge_security_group_rule.ssh',
        object: 'security group rule web ingress tcp/22',
        code: 'WORLD_OPEN_INGRESS',
        message: 'security group web lets anyone in: ingress tcp/22 from 0.0.0.0/0',
      },
    ]);
    // Warnings are not violations: without the gate the review is clean.
    expect(r).toMatchObject({ status: 'clean', exitCode: 0, violations: [] });
    expect((await review(DELETE)).warnings).toBeUndefined();
    expect((await review(replaceRule('0.0.0.0/0', '10.0.0.0/8'))).warnings).toBeUndefined();
    expect((await review(replaceRule('10.0.0.0/8', '0.0.0.0/0'))).warnings).toEqual([expect.objectContaining({ address: 'netforge_security_group_rule.ssh' })]);
  });

  test('GIVEN a remote group created in the same plan (its uuid known only after apply) WHEN reviewed THEN the rule is not taken for world-open', async () => {
    const plan = {
      resource_changes: [
        ...WORLD,
        created('netforge_security_group', 'web', { name: 'web', description: '' }),
        created('netforge_security_group', 'lb', { name: 'lb', description: '' }),
        rule('http', { direction: 'Ingress', protocol: 'TCP', port_start: 80 }, { security_group_uuid: true, remote_security_group_uuid: true }),
        rule('any', { direction: 'Egress', protocol: 'ALL' }),
      ],
      configuration: {
        root_module: {
          resources: [
            refs('netforge_security_group_rule.http', { security_group_uuid: 'netforge_security_group.web', remote_security_group_uuid: 'netforge_security_group.lb' }),
            ...toWeb('any'),
          ],
        },
      },
    };
    const r = await review(plan);
    expect(r.warnings).toBeUndefined();
    expect(r.changes.map((c) => c.summary)).toEqual([
      'security group lb created',
      'security group web created',
      'security group web: lets its members send all traffic to anywhere',
      'security group web: allows tcp/80 from members of security group lb',
    ]);
  });

  test('GIVEN --fail-on world-open WHEN a plan opens ingress to the world THEN the review is blocked (exit 3) naming the rules; other gates and clean plans pass', async () => {
    const blocked = await review(CREATE, ['world-open']);
    expect(blocked).toMatchObject({ status: 'policy', exitCode: 3 });
    expect(blocked.policy).toEqual({
      failOn: ['world-open'],
      hits: [
        'world-open: netforge_security_group_rule.icmp (security group web lets anyone in: ingress icmp from anywhere)',
        'world-open: netforge_security_group_rule.ssh (security group web lets anyone in: ingress tcp/22 from 0.0.0.0/0)',
      ],
    });
    expect((await review(CREATE, ['delete', 'replace'])).exitCode).toBe(0);
    expect((await review(DELETE, ['world-open'])).exitCode).toBe(0);
    // Gates add up: the deletions block under delete, not under world-open.
    expect((await review(DELETE, ['world-open', 'delete'])).policy.hits).toHaveLength(6);
  });

  test('GIVEN world-open rules WHEN rendered THEN Markdown has its own section, a marker on each rule and the legend entry; JSON lists them, and a report without them has no warnings key', async () => {
    const md = renderMarkdown(await review(CREATE));
    expect(md).toMatch(/^## netforge review: ✅ no rule violations · ⚠️ 2 rules open to the world$/m);
    expect(md).toContain('### ⚠️ Open to the world (2)');
    expect(md).toContain('`--fail-on world-open` blocks such changes.');
    expect(md).toContain('- ⚠️ `netforge_security_group_rule.ssh`: security group web lets anyone in: ingress tcp/22 from 0.0.0.0/0');
    expect(md).toMatch(/\| `netforge_security_group_rule\.ssh` \| security group web: opens tcp\/22 to its members from 0\.0\.0\.0\/0<br>⚠️ WORLD_OPEN_INGRESS \|/);
    expect(md).toContain('ingress open to the world');
    expect(md.indexOf('### ⚠️ Open to the world')).toBeLessThan(md.indexOf('### Changes'));

    const gated = renderMarkdown(await review(CREATE, ['world-open']));
    expect(gated).toMatch(/^## netforge review: ⛔ blocked by --fail-on world-open · ⚠️ 2 rules open to the world$/m);
    expect(gated).toContain('### Blocked by policy (--fail-on world-open)');

    expect(JSON.parse(renderJson(await review(CREATE))).warnings).toHaveLength(2);
    const quiet = renderJson(await review(DELETE));
    expect(JSON.parse(quiet)).not.toHaveProperty('warnings');
    expect(renderMarkdown(await review(DELETE))).not.toMatch(/open to the world/);
  });

  describe('through the command', () => {
    let dir: string;
    beforeAll(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netforge-world-open-'));
      fs.writeFileSync(path.join(dir, 'create.json'), JSON.stringify(CREATE));
    });
    afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

    const io = () => ({ stdout: () => undefined, stderr: () => undefined, cwd: dir, env: { PATH: process.env.PATH } });

    test('GIVEN runReview with and without the gate THEN the exit code is 3 and 0', async () => {
      expect(await runReview('create.json', { offline: true, failOn: ['world-open'] }, io())).toBe(3);
      expect(await runReview('create.json', { offline: true }, io())).toBe(0);
    });

    test('GIVEN the real command line WHEN --fail-on world-open is given THEN it is accepted and exits 3; an unknown gate is a usage error naming it', async () => {
      const run = (...args: string[]) =>
        new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
          execFile(process.execPath, [require.resolve('tsx/cli'), path.join(__dirname, '..', '..', 'cli', 'main.ts'), 'review', ...args], { cwd: dir }, (err, stdout, stderr) =>
            resolve({ code: err ? Number((err as { code?: number }).code) : 0, stdout, stderr }),
          );
        });
      const blocked = await run('create.json', '--offline', '--fail-on', 'delete,world-open');
      expect(blocked.code).toBe(3);
      expect(blocked.stdout).toContain('blocked by --fail-on delete,world-open');
      expect((await run('create.json', '--offline', '--fail-on', 'replace')).code).toBe(0);
      const wrong = await run('create.json', '--offline', '--fail-on', 'world');
      expect(wrong.code).toBe(2);
      expect(wrong.stderr).toMatch(/expected a list of delete, replace, world-open; got "world"/);
    });
  });
});

describe('the diagram of VIPs, EIPs, port forwarding and security groups', () => {
  let created: ParsedMermaid;
  let removed: ParsedMermaid;
  const diagramOf = async (json: object) => (await review(json)).mermaid;
  const vertex = (d: ParsedMermaid, text: RegExp) => {
    const found = d.vertices.filter((v) => text.test(v.text));
    expect(found).toHaveLength(1);
    return found[0];
  };
  const edge = (d: ParsedMermaid, from: RegExp, to: RegExp) => d.edges.filter((e) => e.start === vertex(d, from).id && e.end === vertex(d, to).id).map((e) => e.text);

  beforeAll(async () => {
    [created, removed] = await parseMermaid([await diagramOf(CREATE), await diagramOf(DELETE)]);
  });

  test('GIVEN the diagrams WHEN parsed by mermaid THEN they are flowcharts with generated lower-case ids', () => {
    for (const d of [created, removed]) {
      expect(d).toMatchObject({ ok: true, type: 'flowchart-v2' });
      expect(d.vertices.every((v) => /^[a-z0-9]+_\d+$/.test(v.id))).toBe(true);
    }
  });

  test('GIVEN new objects WHEN drawn THEN each kind has its shape and label and is marked new', () => {
    expect(vertex(created, /^VIP web-vip/)).toMatchObject({ text: 'VIP web-vip<br>203.0.113.10<br>(new)', shape: 'circle', classes: ['created'] });
    expect(vertex(created, /^EIP/)).toMatchObject({ text: 'EIP web-eip<br>(new)', shape: 'lean_right' });
    expect(vertex(created, /^forward/)).toMatchObject({ text: 'forward ssh<br>tcp 8022 → 22<br>from 198.51.100.0/24<br>(new)', shape: 'trapezoid' });
    expect(vertex(created, /^security group web/)).toMatchObject({ shape: 'subroutine', classes: ['created'] });
    expect(vertex(created, /^ingress tcp\/5432/)).toMatchObject({ text: 'ingress tcp/5432<br>(new)', shape: 'odd' });
    expect(vertex(created, /^egress/).text).toBe('egress tcp/443<br>to 10.0.0.0/8<br>(new)');
  });

  test('GIVEN world-open rules WHEN drawn THEN they carry the worldOpen class and other rules do not', () => {
    expect(created.classes).toContain('worldOpen');
    expect(vertex(created, /^ingress tcp\/22/)).toMatchObject({ text: 'ingress tcp/22<br>from 0.0.0.0/0<br>(new)', classes: ['created', 'worldOpen'] });
    expect(vertex(created, /^ingress icmp/).classes).toEqual(['created', 'worldOpen']);
    expect(vertex(created, /^ingress tcp\/5432/).classes).toEqual(['created']);
    expect(removed.classes).not.toContain('worldOpen');
  });

  test('GIVEN the links of the catalog WHEN drawn THEN VIPs sit on their L3, EIPs and forwarding lead to the VM, rules hang off their group and a remote group, members are joined to it', () => {
    expect(edge(created, /^L3 internet/, /^VIP web-vip/)).toEqual(['']);
    expect(edge(created, /^VIP web-vip/, /^EIP/)).toEqual(['']);
    expect(edge(created, /^EIP/, /^VM web/)).toEqual(['NIC on app']);
    expect(edge(created, /^VIP ssh-vip/, /^forward/)).toEqual(['']);
    expect(edge(created, /^forward/, /^VM web/)).toEqual(['first NIC']);
    for (const r of [/^ingress tcp\/22/, /^ingress icmp/, /^ingress tcp\/5432/, /^egress/]) expect(edge(created, /^security group web/, r)).toEqual(['']);
    // Ingress from a group: the arrow comes from the peers.
    expect(edge(created, /^security group app/, /^ingress tcp\/5432/)).toEqual(['from members']);
    expect(edge(created, /^security group web/, /^VM web/)).toEqual(['member: NIC on app']);
    expect(edge(removed, /^security group web/, /^VM web/)).toEqual(['leaves: NIC on app']);
    expect(vertex(removed, /^EIP/).classes).toEqual(['deleted']);
  });
});
