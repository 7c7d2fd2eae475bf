/**
 * What network services send to hosts, as data: nftables rulesets built by the builders and
 * checked by the agent's schema (only netforge's tables, only known statements), dnsmasq
 * configurations rendered into files (every value checked, no separator gets through), and
 * DHCP leases parsed from what the client reported (the network is not trusted).
 */
import { dnsmasqArgv, dnsmasqConfigRefusal, dnsmasqFiles, type DnsmasqConfig } from '../../../hosts/services/dnsmasq-config';
import { parseLeaseOutput } from '../../../hosts/services/dhcp-client';
import { MAX_AGENT_BODY_BYTES } from '../../../hosts/agent/requests';
import { nftBatchRefusal, replaceTable, removeTable, setEtherDestination, splitBatch, DROP, iifname, type NftBatch, type NftScope } from '../../../hosts/services/nft';
import { firewallRuleset, isolationRuleset, isolationTableName, portGuardRuleset, routerRuleset, steeringRuleset, steeringTableName } from '../../../hosts/services/service-rules';

const config: DnsmasqConfig = {
  interface: 'eth1',
  dhcp: {
    subnet: '10.9.0.0/24',
    hosts: [
      { mac: 'fa:16:3e:00:00:01', ip: '10.9.0.5', hostname: 'web' },
      { mac: 'fa:16:3e:00:00:02', ip: '10.9.0.6', hostname: 'db' },
    ],
    router: '10.9.0.1',
    dnsServers: ['10.9.0.1'],
    domain: 'app.example',
    classlessRoutes: [{ prefix: '172.16.0.0/16', nextHop: '10.9.0.254' }],
    mtu: 1450,
  },
  dns: { domain: 'app.example', records: [{ hostname: 'web', ip: '10.9.0.5' }], forwarders: ['192.0.2.53'] },
};

describe('dnsmasq configurations', () => {
  it('GIVEN a configuration WHEN rendered THEN each file holds exactly its lines (option 121 carries the default route too)', () => {
    expect(dnsmasqFiles(config)).toEqual({
      'dhcp-hosts': 'fa:16:3e:00:00:01,10.9.0.5,web,infinite\nfa:16:3e:00:00:02,10.9.0.6,db,infinite\n',
      'dhcp-opts': [
        'option:router,10.9.0.1',
        'option:dns-server,10.9.0.1',
        'option:domain-name,app.example',
        'option:domain-search,app.example',
        'option:classless-static-route,0.0.0.0/0,10.9.0.1,172.16.0.0/16,10.9.0.254',
        'option:mtu,1450',
        '',
      ].join('\n'),
      'dns-hosts': '10.9.0.5 web.app.example web\n',
      servers: 'server=192.0.2.53\n',
    });
  });

  it('GIVEN a router for a full /16 (65,534 VM NICs) WHEN its configuration is sent THEN the schema takes it and it fits an agent request', () => {
    const hosts = Array.from({ length: 65_534 }, (_, i) => {
      const n = i + 1;
      const hex = n.toString(16).padStart(4, '0');
      return { mac: `fa:16:3e:00:${hex.slice(0, 2)}:${hex.slice(2)}`, ip: `10.9.${n >> 8}.${n & 255}`, hostname: `vm-${'x'.repeat(40)}-${n}` };
    });
    const big: DnsmasqConfig = {
      ...config,
      dhcp: { ...config.dhcp!, subnet: '10.9.0.0/16', hosts },
      dns: { ...config.dns!, records: hosts.map((h) => ({ hostname: h.hostname, ip: h.ip })) },
    };
    const text = JSON.stringify(big);
    expect(dnsmasqConfigRefusal(text)).toBeNull();
    const request = JSON.stringify({ commands: [{ argv: ['netforge', 'dnsmasq-sync', 'nfvm-0123456789', text] }] });
    expect(Buffer.byteLength(request)).toBeLessThan(MAX_AGENT_BODY_BYTES);
  });

  it('GIVEN a declared default host route WHEN rendered THEN it replaces the router in option 121 (which clients prefer to option 3)', () => {
    const withDefault = { ...config, dhcp: { ...config.dhcp!, classlessRoutes: [{ prefix: '0.0.0.0/0', nextHop: '10.9.0.254' }] } };
    expect(dnsmasqFiles(withDefault)['dhcp-opts']).toContain('option:classless-static-route,0.0.0.0/0,10.9.0.254\n');
  });

  it('GIVEN a configuration WHEN its command line is built THEN it reads nothing of the host and serves static leases only', () => {
    expect(dnsmasqArgv(config, '/state/services/dnsmasq/nfvm-0123456789')).toEqual([
      'dnsmasq',
      '--conf-file=/dev/null',
      '--no-hosts',
      '--no-resolv',
      '--bind-interfaces',
      '--interface=eth1',
      '--except-interface=lo',
      '--pid-file=/state/services/dnsmasq/nfvm-0123456789/pid',
      '--log-facility=/state/services/dnsmasq/nfvm-0123456789/log',
      '--dhcp-range=10.9.0.0,static,255.255.255.0,infinite',
      '--dhcp-hostsfile=/state/services/dnsmasq/nfvm-0123456789/dhcp-hosts',
      '--dhcp-optsfile=/state/services/dnsmasq/nfvm-0123456789/dhcp-opts',
      '--dhcp-authoritative',
      '--leasefile-ro',
      '--addn-hosts=/state/services/dnsmasq/nfvm-0123456789/dns-hosts',
      '--servers-file=/state/services/dnsmasq/nfvm-0123456789/servers',
      '--domain-needed',
      '--bogus-priv',
      '--no-negcache',
      '--domain=app.example',
      '--local=/app.example/',
    ]);
    expect(dnsmasqArgv({ ...config, dns: null }, '/d')).toContain('--port=0');
  });

  it.each<[string, (c: DnsmasqConfig) => unknown, RegExp]>([
    ['a host name with a separator', (c) => ({ ...c, dhcp: { ...c.dhcp!, hosts: [{ mac: 'fa:16:3e:00:00:01', ip: '10.9.0.5', hostname: 'web,set:x' }] } }), /dhcp\.hosts\.0\.hostname: must be a host name/],
    ['a host name with a new line and an option', (c) => ({ ...c, dns: { ...c.dns!, records: [{ hostname: 'web\n--dhcp-script=/bin/sh', ip: '10.9.0.5' }] } }), /dns\.records\.0\.hostname/],
    ['a domain with a shell metacharacter', (c) => ({ ...c, dns: { ...c.dns!, domain: 'app.example;reboot' } }), /dns\.domain: must be a domain name/],
    ['an upper-case MAC', (c) => ({ ...c, dhcp: { ...c.dhcp!, hosts: [{ mac: 'FA:16:3E:00:00:01', ip: '10.9.0.5', hostname: 'web' }] } }), /mac: must be a lower-case MAC/],
    ['an address in non-canonical form', (c) => ({ ...c, dhcp: { ...c.dhcp!, router: '010.9.0.1' } }), /router: must be an IPv4 address/],
    ['an extra field', (c) => ({ ...c, script: '/bin/sh' }), /Unrecognized key/],
    ['an interface outside the namespace', (c) => ({ ...c, interface: 'br0' }), /interface: must be eth0-eth15/],
    ['a /31 to serve', (c) => ({ ...c, dhcp: { ...c.dhcp!, subnet: '10.9.0.0/31' } }), /subnet: must be an IPv4 network/],
    ['neither DHCP nor DNS', (c) => ({ ...c, dhcp: null, dns: null }), /serves DHCP, DNS or both/],
  ])('GIVEN %s WHEN the agent checks the configuration THEN it is refused, saying where', (_what, change, why) => {
    expect(dnsmasqConfigRefusal(JSON.stringify(config))).toBeNull();
    expect(dnsmasqConfigRefusal(JSON.stringify(change(config)))).toMatch(why);
  });
});

describe('nftables rulesets', () => {
  it('GIVEN a router with SNAT WHEN its ruleset is built THEN it replaces table ip netforge: forward drops all but replies and guest->public, postrouting masquerades the guest CIDR', () => {
    const batch = routerRuleset({ guestInterface: 'eth1', publicInterface: 'eth0', guestCidr: '10.9.0.0/24', snat: true, eips: [], portForwards: [] });
    expect(nftBatchRefusal(JSON.stringify(batch), 'appliance')).toBeNull();
    expect(nftBatchRefusal(JSON.stringify(batch), 'host')).toMatch(/belongs in an appliance's namespace/);
    expect(batch.nftables.slice(0, 3)).toEqual([
      { add: { table: { family: 'ip', name: 'netforge' } } },
      { delete: { table: { family: 'ip', name: 'netforge' } } },
      { add: { table: { family: 'ip', name: 'netforge' } } },
    ]);
    const rules = batch.nftables.flatMap((c) => ('add' in c && 'rule' in c.add ? [`${c.add.rule.chain}: ${JSON.stringify(c.add.rule.expr)}`] : []));
    expect(rules).toHaveLength(3);
    expect(rules[2]).toMatch(/^postrouting: .*"oifname".*"eth0".*"prefix":\{"addr":"10\.9\.0\.0","len":24\}.*"masquerade":null/);
    const withoutSnat = routerRuleset({ guestInterface: 'eth1', publicInterface: 'eth0', guestCidr: '10.9.0.0/24', snat: false, eips: [], portForwards: [] });
    expect(withoutSnat.nftables.filter((c) => 'add' in c && 'rule' in c.add)).toHaveLength(1);
  });

  it('GIVEN a flat DHCP port and its uplink WHEN isolated THEN a bridge table drops both directions between them', () => {
    const batch = isolationRuleset('vnic0123456789a', 'vxlan5000');
    expect(nftBatchRefusal(JSON.stringify(batch), 'host')).toBeNull();
    expect(nftBatchRefusal(JSON.stringify(batch), 'appliance')).toMatch(/may only touch table ip netforge/);
    expect(isolationTableName('vnic0123456789a')).toMatch(/^netforge_dh[0-9a-f]{12}$/);
    expect(JSON.stringify(batch)).toContain('"family":"bridge"');
    expect(JSON.stringify(removeTable('bridge', isolationTableName('vnic0123456789a')))).toContain('"delete"');
  });

  it("GIVEN a flat EIP's namespace WHEN the VM's frames are steered to it THEN off-subnet unicast IPv4 gets its MAC before the bridge decides, and its port talks to the VM's only", () => {
    const batch = steeringRuleset({ port: 'vnicaaaaaaaaaaa', mac: 'fa:00:00:00:00:0e', vmPort: 'vnicbbbbbbbbbbb', guestCidr: '10.9.0.0/24' });
    expect(nftBatchRefusal(JSON.stringify(batch), 'host')).toBeNull();
    expect(steeringTableName('vnicaaaaaaaaaaa')).toMatch(/^netforge_fe[0-9a-f]{12}$/);
    const chains = batch.nftables.flatMap((c) => ('add' in c && 'chain' in c.add && 'hook' in c.add.chain ? [`${c.add.chain.hook}@${c.add.chain.prio}`] : []));
    expect(chains).toEqual(['prerouting@-300', 'forward@0']);
    const text = JSON.stringify(batch);
    // Neither the subnet, DHCP's limited broadcast nor multicast is steered.
    expect(text).toContain('"op":"!=","left":{"payload":{"protocol":"ip","field":"daddr"}},"right":{"set":[{"prefix":{"addr":"10.9.0.0","len":24}},"255.255.255.255",{"prefix":{"addr":"224.0.0.0","len":4}}]}');
    expect(text).toContain('{"mangle":{"key":{"payload":{"protocol":"ether","field":"daddr"}},"value":"fa:00:00:00:00:0e"}}');
  });

  it('GIVEN a MAC rewrite WHEN it is anywhere but a bridge table THEN the agent refuses it', () => {
    const rewrite = (family: 'ip' | 'inet' | 'bridge', name: string) => replaceTable(family, name, [{ name: 'pre', type: 'filter', hook: 'prerouting', prio: 0, policy: 'accept', rules: [[setEtherDestination('fa:00:00:00:00:0e')]] }]);
    expect(nftBatchRefusal(JSON.stringify(rewrite('bridge', 'netforge_fex')), 'host')).toBeNull();
    expect(nftBatchRefusal(JSON.stringify(rewrite('inet', 'netforge_fex')), 'host')).toMatch(/only in a bridge table/);
    expect(nftBatchRefusal(JSON.stringify(rewrite('ip', 'netforge')), 'appliance')).toMatch(/only in a bridge table/);
  });

  it.each<[string, unknown, RegExp]>([
    ['a table that is not netforge\'s', { nftables: [{ delete: { table: { family: 'inet', name: 'filter' } } }] }, /name/],
    ['a flush of the whole ruleset', { nftables: [{ flush: { ruleset: null } }] }, /Invalid input|Unrecognized/],
    ['a goto statement', { nftables: [{ add: { rule: { family: 'ip', table: 'netforge', chain: 'forward', expr: [{ goto: { target: 'x' } }] } } }] }, /expr/],
    ['a jump to a chain named like a keyword', { nftables: [{ add: { rule: { family: 'ip', table: 'netforge', chain: 'forward', expr: [{ jump: { target: 'fwd' } }] } } }] }, /expr/],
    ['a chain named like a keyword', { nftables: [{ add: { chain: { family: 'ip', table: 'netforge', name: 'fwd', type: 'filter', hook: 'forward', prio: 0, policy: 'accept' } } }] }, /reserved word/],
    ['an interface name with a quote', { nftables: [{ add: { rule: { family: 'ip', table: 'netforge', chain: 'forward', expr: [{ match: { op: '==', left: { meta: { key: 'iifname' } }, right: 'eth0" accept' } }, DROP] } } }] }, /expr/],
  ])('GIVEN %s WHEN the agent checks the batch THEN it is refused', (_what, batch, why) => {
    expect(nftBatchRefusal(JSON.stringify(batch), 'appliance')).toMatch(why);
    expect(nftBatchRefusal('not json', 'appliance')).toBe('not JSON');
  });

  it.each<[string, NftScope, unknown, RegExp]>([
    ['an appliance ruleset in another table of its namespace', 'appliance', replaceTable('inet', 'netforge_x', []), /may only touch table ip netforge/],
    ['a host ruleset filtering the host\'s own input', 'host', replaceTable('inet', 'netforge_x', [{ name: 'in', type: 'filter', hook: 'input', prio: 0, policy: 'drop', rules: [] }]), /host's own input/],
    ['a host ruleset filtering the host\'s own output', 'host', replaceTable('ip', 'netforge_x', [{ name: 'out', type: 'filter', hook: 'output', prio: 0, policy: 'accept', rules: [[DROP]] }]), /host's own output/],
    ['a host ruleset in the appliances\' table name', 'host', removeTable('ip', 'netforge'), /belongs in an appliance's namespace/],
  ])('GIVEN %s WHEN the agent checks it THEN it is refused, naming the command', (_what, scope, batch, why) => {
    expect(nftBatchRefusal(JSON.stringify(batch), scope)).toMatch(new RegExp(`nftables\\.\\d+: .*${why.source}`));
  });

  it('GIVEN a builder WHEN given a name nft would not take THEN it throws before anything is sent', () => {
    expect(() => replaceTable('ip', 'netforge', [{ name: 'forward', type: 'filter', hook: 'forward', prio: 0, policy: 'drop', rules: [[iifname('eth0;x'), DROP]] }])).toThrow();
  });
});

describe('EIP, port forwarding and security group rulesets', () => {
  const eipRouter = routerRuleset({
    guestInterface: 'eth1',
    publicInterface: 'eth0',
    guestCidr: '10.9.0.0/24',
    snat: true,
    eips: [{ vip: '203.0.113.10', guestIp: '10.9.0.5' }],
    portForwards: [{ protocol: 'TCP', vip: '203.0.113.11', vipPorts: [8000, 8002], guestIp: '10.9.0.6', guestPorts: [9000, 9002], allowedCidr: '198.51.100.0/24' }],
  });
  const rulesOf = (batch: NftBatch, chain: string) => batch.nftables.flatMap((c) => ('add' in c && 'rule' in c.add && c.add.rule.chain === chain ? [JSON.stringify(c.add.rule.expr)] : []));

  it('GIVEN an EIP and a translated port range WHEN the router ruleset is built THEN DNAT from outside only, forward only what was DNATed, the EIP SNAT before the masquerade', () => {
    expect(nftBatchRefusal(JSON.stringify(eipRouter), 'appliance')).toBeNull();
    expect(rulesOf(eipRouter, 'prerouting')).toEqual([
      expect.stringMatching(/"iifname"\}\},"right":"eth0".*"right":"203\.0\.113\.10".*"dnat":\{"addr":"10\.9\.0\.5"\}/),
      expect.stringMatching(/"right":"203\.0\.113\.11".*198\.51\.100\.0.*"range":\[8000,8002\].*"set":\[\[8000,9000\],\[8001,9001\],\[8002,9002\]\]/),
    ]);
    const inbound = rulesOf(eipRouter, 'forward').filter((r) => r.includes('"key":"iifname"}},"right":"eth0"'));
    expect(inbound).toHaveLength(2);
    expect(inbound.every((r) => r.includes('"right":"dnat"'))).toBe(true);
    const post = rulesOf(eipRouter, 'postrouting');
    expect(post[0]).toContain('"snat":{"addr":"203.0.113.10"}');
    expect(post[post.length - 1]).toContain('"masquerade":null');
  });

  it('GIVEN members WHEN the host filter is built THEN DHCP replies only from the server, each group once, a member chain per NIC that drops at the end', () => {
    const batch = firewallRuleset(
      [{ uuid: 'db', ingress: [{ protocol: 'TCP', portStart: 5432, portEnd: 5432, peers: ['10.9.0.7', '10.9.0.8'] }], egress: [] }],
      [
        { ip: '10.9.0.5', groups: ['db'], dhcpServer: '10.9.0.1' },
        { ip: '10.9.0.6', groups: ['db'], dhcpServer: '10.9.0.1' },
      ],
    );
    expect(nftBatchRefusal(JSON.stringify(batch), 'host')).toBeNull();
    expect(rulesOf(batch, 'g0_in')).toHaveLength(1);
    expect(rulesOf(batch, 'n0_in')).toEqual([expect.stringContaining('"right":"10.9.0.1"'), expect.stringContaining('"jump":{"target":"g0_in"}'), expect.stringContaining('"drop":null')]);
    expect(rulesOf(batch, 'ingress')).toEqual([expect.stringContaining('established'), expect.stringContaining('n0_in'), expect.stringContaining('n1_in')]);
    expect(firewallRuleset([], [])).toEqual(removeTable('inet', 'netforge_sg'));
  });

  it('GIVEN guarded ports WHEN the guard is built THEN each sends only with its MAC, address (or 0.0.0.0) and ARP sender, and carries no IPv6', () => {
    const batch = portGuardRuleset([{ port: 'vnic0123456789a', mac: 'fa:16:3e:00:00:01', ip: '10.9.0.5' }]);
    expect(nftBatchRefusal(JSON.stringify(batch), 'host')).toBeNull();
    const rules = rulesOf(batch, 'forward');
    expect(rules).toHaveLength(5);
    expect(rules.join('\n')).toMatch(/"op":"!=","left":\{"payload":\{"protocol":"ether","field":"saddr"\}\},"right":"fa:16:3e:00:00:01"/);
    expect(rules.join('\n')).toMatch(/"set":\["10\.9\.0\.5","0\.0\.0\.0"\]/);
    expect(rules.join('\n')).toMatch(/"saddr ip"\}\},"right":"10\.9\.0\.5"/);
  });

  it('GIVEN a ruleset over the argv limit WHEN split THEN every piece fits, the first holds every chain, and the late rules follow in order', () => {
    const many = Array.from({ length: 400 }, (_, i) => ({ protocol: 'TCP' as const, portStart: 1000 + i, portEnd: 1000 + i, peers: null }));
    const batch = firewallRuleset([{ uuid: 'g', ingress: many, egress: [] }], [{ ip: '10.9.0.5', groups: ['g'], dhcpServer: null }]);
    const pieces = splitBatch(batch, 32 * 1024, (chain) => /^g[0-9]+_(in|eg)$/.test(chain));
    expect(pieces.length).toBeGreaterThan(2);
    for (const p of pieces) expect(JSON.stringify(p).length).toBeLessThanOrEqual(32 * 1024);
    expect(pieces[0].nftables.filter((c) => 'add' in c && 'chain' in c.add)).toHaveLength(4);
    expect(pieces.flatMap((p) => p.nftables)).toHaveLength(batch.nftables.length);
  });
});

describe('DHCP leases as the client reports them', () => {
  const bound = (vars: Record<string, string>) => `NETFORGE-LEASE ${JSON.stringify({ event: 'deconfig', interface: 'eth0' })}\nudhcpc: noise\nNETFORGE-LEASE ${JSON.stringify({ event: 'bound', ...vars })}\n`;
  const answer = { interface: 'eth0', ip: '10.9.0.5', mask: '24', router: '10.9.0.1', dns: '10.9.0.1 192.0.2.53', domain: 'app.example', staticroutes: '0.0.0.0/0 10.9.0.1 172.16.0.0/16 10.9.0.254', mtu: '1450', hostname: 'web', serverid: '10.9.0.1', lease: '4294967295' };

  it('GIVEN a bound event WHEN parsed THEN every field is typed and checked', () => {
    expect(parseLeaseOutput(bound(answer), 'eth0')).toEqual({
      interface: 'eth0',
      ip: '10.9.0.5',
      prefix: 24,
      routers: ['10.9.0.1'],
      dnsServers: ['10.9.0.1', '192.0.2.53'],
      domain: 'app.example',
      routes: [
        { prefix: '0.0.0.0/0', nextHop: '10.9.0.1' },
        { prefix: '172.16.0.0/16', nextHop: '10.9.0.254' },
      ],
      mtu: 1450,
      hostname: 'web',
      serverId: '10.9.0.1',
      leaseSeconds: 4294967295,
    });
  });

  it.each([
    ['no answer', 'NETFORGE-LEASE {"event":"deconfig","interface":"eth0"}\n', /no DHCP server answered on eth0/],
    ['a domain carrying a command', bound({ ...answer, domain: 'x;reboot' }), /malformed at domain/],
    ['a router that is not an address', bound({ ...answer, router: 'evil' }), /malformed at routers\.0/],
    ['a host name with a newline', bound({ ...answer, hostname: 'web\nevil' }), /malformed at hostname/],
  ])('GIVEN %s WHEN parsed THEN it is refused', (_what, output, why) => {
    expect(() => parseLeaseOutput(output, 'eth0')).toThrow(why);
  });
});
