/**
 * What a dnsmasq instance serves, as data: the KVM realizer builds a DnsmasqConfig from the
 * topology, sends it to the host agent as one argv element (JSON), and the agent checks it
 * against this schema before it writes a file or starts a process. Every field that ends
 * up in a dnsmasq file or option is a MAC, an IP, a prefix, a number, a host name label
 * (never one dnsmasq reads as a keyword or lease time, dns-names.ts) or a domain: nothing
 * can carry a separator, a newline or an option of its own.
 *
 * Files (all re-read on SIGHUP, so leases and records change without a restart):
 *   dhcp-hosts  <mac>,<ip>,<hostname>,infinite     static leases only (ZStack's flat network)
 *   dhcp-opts   option:router,...  dns-server, domain-name, classless-static-route (121), mtu
 *   dns-hosts   <ip> <hostname>.<domain> <hostname>  a record for every VM NIC
 *   servers     server=<ip>                          where other names are forwarded
 * What can't change without a restart (the interface, the subnet, the domain) is in argv;
 * the instance is restarted when that changes.
 */
import { z } from 'zod';
import { isValidDomainName, isValidHostname } from '../../topology/dns-names';
import { ipFromBigInt, isCanonicalIpv4, parseCidr, parseIp } from '../../topology/ip';
import { MAC_PATTERN, VM_INTERFACE_PATTERN } from '../linux/names';
import { documentRefusal } from './refusal';

/** Leases and records one instance serves: every address of a /16. */
const MAX_ENTRIES = 65_536;
/** Longest configuration (a full /16 is about 8 MB); builtins run in the agent, so no argv limit applies. */
export const MAX_DNSMASQ_CONFIG_LENGTH = 16 * 1024 * 1024;

const IPV4 = z.string().refine(isCanonicalIpv4, 'must be an IPv4 address in canonical form');
const IP = z.string().refine((v) => parseIp(v)?.text === v, 'must be an IP address in canonical form');
const MAC = z.string().regex(MAC_PATTERN, 'must be a lower-case MAC address');
const HOSTNAME = z.string().refine(isValidHostname, 'must be a host name (1-63 letters, digits and -)');
const DOMAIN = z.string().refine(isValidDomainName, 'must be a domain name');
/** An IPv4 network, canonical (no host bits), /1 to /30. */
const SUBNET = z.string().refine((v) => {
  const c = parseCidr(v);
  return !!c && c.family === 4 && c.text === v && c.prefix >= 1 && c.prefix <= 30;
}, 'must be an IPv4 network such as 10.0.0.0/24 (prefix 1-30)');
const ROUTE_PREFIX = z.string().refine((v) => {
  const c = parseCidr(v);
  return !!c && c.family === 4 && c.text === v;
}, 'must be an IPv4 network such as 10.1.0.0/16');

export const DhcpServerConfig = z.strictObject({
  subnet: SUBNET,
  hosts: z.array(z.strictObject({ mac: MAC, ip: IPV4, hostname: HOSTNAME })).max(MAX_ENTRIES),
  router: IPV4.nullable(),
  /** The resolver netforge serves, then up to 8 of the L3's. */
  dnsServers: z.array(IPV4).max(9),
  domain: DOMAIN.nullable(),
  /** Option 121; when present, the default route is sent in it too (RFC 3442 clients ignore option 3). */
  classlessRoutes: z.array(z.strictObject({ prefix: ROUTE_PREFIX, nextHop: IPV4 })).max(64),
  mtu: z.number().int().min(576).max(9000),
});
export type DhcpServerConfig = z.infer<typeof DhcpServerConfig>;

export const DnsServerConfig = z.strictObject({
  domain: DOMAIN.nullable(),
  records: z.array(z.strictObject({ hostname: HOSTNAME, ip: IP })).max(MAX_ENTRIES),
  forwarders: z.array(IP).max(8),
});
export type DnsServerConfig = z.infer<typeof DnsServerConfig>;

export const DnsmasqConfig = z
  .strictObject({
    /** The interface it serves (and binds to) inside its namespace. */
    interface: z.string().regex(VM_INTERFACE_PATTERN, 'must be eth0-eth15'),
    dhcp: DhcpServerConfig.nullable(),
    dns: DnsServerConfig.nullable(),
  })
  .refine((c) => c.dhcp !== null || c.dns !== null, 'serves DHCP, DNS or both');
export type DnsmasqConfig = z.infer<typeof DnsmasqConfig>;

/** null when `text` is a config the agent may apply, else why not. */
export function dnsmasqConfigRefusal(text: string): string | null {
  return documentRefusal(DnsmasqConfig, text, MAX_DNSMASQ_CONFIG_LENGTH, 'dnsmasq configuration');
}

/** The files of an instance, by name, rendered from a checked config. */
export function dnsmasqFiles(config: DnsmasqConfig): Record<'dhcp-hosts' | 'dhcp-opts' | 'dns-hosts' | 'servers', string> {
  const lines = (items: string[]) => (items.length === 0 ? '' : `${items.join('\n')}\n`);
  const dhcp = config.dhcp;
  const opts: string[] = [];
  if (dhcp) {
    if (dhcp.router) opts.push(`option:router,${dhcp.router}`);
    if (dhcp.dnsServers.length > 0) opts.push(`option:dns-server,${dhcp.dnsServers.join(',')}`);
    if (dhcp.domain) opts.push(`option:domain-name,${dhcp.domain}`, `option:domain-search,${dhcp.domain}`);
    if (dhcp.classlessRoutes.length > 0) {
      // A declared default route overrides the router's (option 121 wins over option 3).
      const declaresDefault = dhcp.classlessRoutes.some((r) => r.prefix === '0.0.0.0/0');
      const routes = [...(dhcp.router && !declaresDefault ? [{ prefix: '0.0.0.0/0', nextHop: dhcp.router }] : []), ...dhcp.classlessRoutes];
      opts.push(`option:classless-static-route,${routes.map((r) => `${r.prefix},${r.nextHop}`).join(',')}`);
    }
    opts.push(`option:mtu,${dhcp.mtu}`);
  }
  const dns = config.dns;
  return {
    'dhcp-hosts': lines((dhcp?.hosts ?? []).map((h) => `${h.mac},${h.ip},${h.hostname},infinite`)),
    'dhcp-opts': lines(opts),
    'dns-hosts': lines((dns?.records ?? []).map((r) => (dns?.domain ? `${r.ip} ${r.hostname}.${dns.domain} ${r.hostname}` : `${r.ip} ${r.hostname}`))),
    servers: lines((dns?.forwarders ?? []).map((f) => `server=${f}`)),
  };
}

/**
 * The dnsmasq command line (after `ip netns exec <ns>`), files in `dir`. No configuration
 * file (`--conf-file=/dev/null`), no /etc/hosts, no /etc/resolv.conf: everything it serves
 * comes from netforge.
 */
export function dnsmasqArgv(config: DnsmasqConfig, dir: string): string[] {
  const argv = [
    'dnsmasq',
    '--conf-file=/dev/null',
    '--no-hosts',
    '--no-resolv',
    '--bind-interfaces',
    `--interface=${config.interface}`,
    '--except-interface=lo',
    `--pid-file=${dir}/pid`,
    `--log-facility=${dir}/log`,
  ];
  if (config.dhcp) {
    const subnet = parseCidr(config.dhcp.subnet)!;
    argv.push(
      `--dhcp-range=${ipFromBigInt(subnet.network, 4)},static,${subnet.netmask},infinite`,
      `--dhcp-hostsfile=${dir}/dhcp-hosts`,
      `--dhcp-optsfile=${dir}/dhcp-opts`,
      '--dhcp-authoritative',
      '--leasefile-ro',
    );
  }
  if (config.dns) {
    argv.push(`--addn-hosts=${dir}/dns-hosts`, `--servers-file=${dir}/servers`, '--domain-needed', '--bogus-priv', '--no-negcache');
    if (config.dns.domain) argv.push(`--domain=${config.dns.domain}`, `--local=/${config.dns.domain}/`);
  } else {
    argv.push('--port=0');
  }
  return argv;
}
