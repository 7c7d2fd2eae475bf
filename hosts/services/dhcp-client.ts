/**
 * The DHCP client of a VM namespace (the KVM backend's stand-in for a guest OS): busybox
 * udhcpc in the VM's namespace asks for a lease on one interface and hands it to a script,
 * which here only prints it (NETFORGE-LEASE <json>) and configures nothing. The lease is
 * checked field by field (it comes from the network), kept in the agent's state directory
 * and returned; the server's VM backend applies it with `ip`, like a guest's network stack
 * would. The script is written by the agent into its state directory; its text is fixed.
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { isValidDomainName, isValidHostname } from '../../topology/dns-names';
import { VM_INTERFACE_PATTERN } from '../linux/names';
import { isCanonicalIpv4, parseCidr } from '../../topology/ip';
import { ensureDir, leasesDir, servicesDir, writeIfChanged, type BuiltinContext } from './service-dirs';

const MARKER = 'NETFORGE-LEASE ';
/** udhcpc: 4 discovers one second apart, then give up (-n). */
const DISCOVER_TRIES = 4;
/** Environment variables udhcpc sets that the script passes on. */
const LEASE_VARIABLES = ['interface', 'ip', 'mask', 'router', 'dns', 'domain', 'search', 'staticroutes', 'mtu', 'hostname', 'serverid', 'lease'];

const IPV4 = z.string().refine(isCanonicalIpv4, 'an IPv4 address');

export const DhcpLease = z.strictObject({
  interface: z.string().regex(VM_INTERFACE_PATTERN),
  ip: IPV4,
  prefix: z.number().int().min(1).max(32),
  routers: z.array(IPV4).max(8),
  dnsServers: z.array(IPV4).max(9),
  domain: z.string().refine(isValidDomainName).nullable(),
  /** Option 121, in order (a 0.0.0.0/0 entry is the default route). */
  routes: z.array(z.strictObject({ prefix: z.string().refine((v) => {
      const c = parseCidr(v);
      return c?.text === v && c.family === 4;
    }), nextHop: IPV4 })).max(64),
  mtu: z.number().int().min(68).max(65535).nullable(),
  hostname: z.string().refine(isValidHostname).nullable(),
  serverId: IPV4,
  /** Seconds; 4294967295 is infinite. */
  leaseSeconds: z.number().int().min(0),
});
export type DhcpLease = z.infer<typeof DhcpLease>;

function hookPath(stateDir: string): string {
  return path.join(servicesDir(stateDir), 'dhcp-hook');
}

/** The script udhcpc runs on each event: prints the lease variables as one JSON line. */
function hookScript(): string {
  return [
    `#!${process.execPath}`,
    '// Written by the netforge agent: reports a DHCP lease to it and configures nothing.',
    `const keys = ${JSON.stringify(LEASE_VARIABLES)};`,
    'const out = { event: process.argv[2] };',
    'for (const k of keys) if (process.env[k] !== undefined) out[k] = process.env[k];',
    `process.stdout.write(${JSON.stringify(MARKER)} + JSON.stringify(out) + '\\n');`,
    '',
  ].join('\n');
}

const words = (v: unknown) => (typeof v === 'string' && v.trim() !== '' ? v.trim().split(/\s+/) : []);

/** The lease udhcpc reported last (bound or renew), checked; throws when there is none or it is malformed. */
export function parseLeaseOutput(stdout: string, iface: string): DhcpLease {
  const events = stdout
    .split('\n')
    .filter((l) => l.startsWith(MARKER))
    .map((l) => {
      try {
        return JSON.parse(l.slice(MARKER.length)) as Record<string, unknown>;
      } catch {
        return null;
      }
    })
    .filter((e): e is Record<string, unknown> => e !== null && (e.event === 'bound' || e.event === 'renew'));
  const e = events.at(-1);
  if (!e) throw new Error(`no DHCP server answered on ${iface}`);
  const staticRoutes = words(e.staticroutes);
  const routes = [];
  for (let i = 0; i + 1 < staticRoutes.length; i += 2) routes.push({ prefix: parseCidr(staticRoutes[i])?.text ?? staticRoutes[i], nextHop: staticRoutes[i + 1] });
  const candidate = {
    interface: iface,
    ip: e.ip,
    prefix: Number(e.mask),
    routers: words(e.router),
    dnsServers: words(e.dns),
    domain: typeof e.domain === 'string' && e.domain !== '' ? e.domain : null,
    routes,
    mtu: e.mtu === undefined ? null : Number(e.mtu),
    hostname: typeof e.hostname === 'string' && e.hostname !== '' ? e.hostname : null,
    serverId: e.serverid,
    leaseSeconds: Number(e.lease ?? 0),
  };
  const parsed = DhcpLease.safeParse(candidate);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`the DHCP answer on ${iface} is malformed at ${issue.path.join('.')}: ${issue.message}`);
  }
  return parsed.data;
}

/** Asks for a lease on `iface` inside `netns`; records and returns it. */
export async function requestLease(ctx: BuiltinContext, netns: string, iface: string): Promise<DhcpLease> {
  if (!VM_INTERFACE_PATTERN.test(iface)) throw new Error(`${JSON.stringify(iface)} is not a VM interface`);
  const dir = leasesDir(ctx.stateDir, netns);
  ensureDir(ctx.stateDir, dir, 0o700);
  const hook = hookPath(ctx.stateDir);
  writeIfChanged(hook, hookScript(), 0o700);
  const argv = ['ip', 'netns', 'exec', netns, 'udhcpc', '-i', iface, '-f', '-q', '-n', '-t', String(DISCOVER_TRIES), '-T', '1', '-A', '1', '-O', 'staticroutes', '-O', 'mtu', '-O', 'search', '-s', hook];
  const result = await ctx.run(argv);
  if (result.code !== 0 && !result.stdout.includes(MARKER)) {
    const why = (result.stderr || result.stdout).trim().split('\n').filter((l) => !l.startsWith(MARKER)).slice(-2).join('; ');
    throw new Error(`no DHCP lease on ${iface} in ${netns}${why ? `: ${why}` : ''}`);
  }
  const lease = parseLeaseOutput(result.stdout, iface);
  writeIfChanged(path.join(dir, `${iface}.json`), `${JSON.stringify(lease)}\n`, 0o600);
  return lease;
}

/** The leases recorded for `netns` (by interface order). */
export function recordedLeases(stateDir: string, netns: string): DhcpLease[] {
  const dir = leasesDir(stateDir, netns);
  let files: string[] = [];
  try {
    files = fs.readdirSync(dir).filter((f) => /^eth[0-9]+\.json$/.test(f));
  } catch {
    return [];
  }
  return files.sort().flatMap((f) => {
    try {
      const parsed = DhcpLease.safeParse(JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')));
      return parsed.success ? [parsed.data] : [];
    } catch {
      return [];
    }
  });
}

/** Forgets the leases of `netns` (its VM is going away). */
export function forgetLeases(stateDir: string, netns: string): void {
  fs.rmSync(leasesDir(stateDir, netns), { recursive: true, force: true });
}
