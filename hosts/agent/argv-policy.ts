/**
 * What the host agent agrees to run: exactly the command shapes the KVM plans produce,
 * each argument checked against the kind of value it must be. The agent is not a remote
 * shell: only `ip`, `bridge`, `nft` and its own builtins (`netforge ...`); `ip netns exec`
 * only into a VM namespace and only for `nft -j` with a netforge ruleset or the forwarding
 * sysctl; no batch files (`-batch`, `-f`), no other options. A device may be deleted only
 * if its name is one netforge gives (bridge, VLAN, VXLAN, VM NIC, probe), only VM
 * namespaces (nfvm-*) may be added, deleted or entered, nft rulesets may touch only
 * netforge's tables (nft.ts), and dnsmasq configurations are data checked field by field
 * (dnsmasq-config.ts).
 */
import { isCanonicalIpv4, parseIp } from '../../topology/ip';
import { validatePhysicalInterface } from '../../topology/rules/l2';
import { MAX_DEVICE_NAME_LENGTH } from '../linux/device-names';
import { MAC_PATTERN, PROBE_PREFIX, VM_INTERFACE_PATTERN, VM_NETNS_PATTERN, VXLAN_DST_PORT } from '../linux/names';
import { BUILTIN_PROGRAM } from '../services/builtins';
import { dnsmasqConfigRefusal, MAX_DNSMASQ_CONFIG_LENGTH } from '../services/dnsmasq-config';
import { MAX_NFT_JSON_LENGTH, nftBatchRefusal } from '../services/nft';

const MAX_ARGS = 32;
/** Longest argument, except documents (their slots say how long they may be). */
const MAX_ARG_LENGTH = 64;

/** A kind of argument (its name is used in refusals), the test a value must pass, and its longest length. */
type Slot = { readonly kind: string; test(value: string): boolean; readonly maxLength: number; why?(value: string): string | null };

function slot(kind: string, test: (v: string) => boolean, maxLength = MAX_ARG_LENGTH): Slot {
  return { kind, test, maxLength };
}

/** A slot for a document (JSON) checked by `refusal`, which says what is wrong with it. */
function documentSlot(kind: string, refusal: (v: string) => string | null, maxLength: number): Slot {
  return { kind, test: (v) => refusal(v) === null, maxLength, why: refusal };
}

function intIn(min: number, max: number) {
  return (v: string) => /^[0-9]{1,9}$/.test(v) && Number(v) >= min && Number(v) <= max;
}

const fits = (v: string) => v.length <= MAX_DEVICE_NAME_LENGTH;

/** Any interface name (topology rule 2): letters, digits, '_', '-', '.', not starting with '-'. */
const IFACE = slot('interface name', (v) => validatePhysicalInterface(v).length === 0);
const BRIDGE = slot('netforge bridge name', (v) => fits(v) && /^br_[A-Za-z0-9_.-]+$/.test(v));
const VLAN_DEV = slot('VLAN device name', (v) => fits(v) && (/^[A-Za-z0-9][A-Za-z0-9_.-]*\.[0-9]{1,4}$/.test(v) || /^vlan[0-9a-f]{11}$/.test(v)));
const PROBE_DEV = slot('probe device name', (v) => new RegExp(`^${PROBE_PREFIX}[0-9a-f]{10}$`).test(v));
const VXLAN_DEV = slot('VXLAN device name', (v) => /^vxlan[0-9]{1,8}$/.test(v));
const VNIC = slot('VM NIC device name', (v) => /^vnic[0-9a-f]{11}$/.test(v));
/** Devices the agent may delete: only what netforge creates. */
const MANAGED_DEV = slot('netforge device name', (v) => [BRIDGE, VLAN_DEV, PROBE_DEV, VXLAN_DEV, VNIC].some((s) => s.test(v)));
const NEW_VLAN_DEV = slot('VLAN or probe device name', (v) => VLAN_DEV.test(v) || PROBE_DEV.test(v));
const VM_NETNS = slot('VM network namespace (nfvm-<10 hex>)', (v) => VM_NETNS_PATTERN.test(v));
const VM_IF = slot('VM interface (eth<n>)', (v) => VM_INTERFACE_PATTERN.test(v));
const VM_IF_OR_LO = slot('VM interface (eth<n> or lo)', (v) => v === 'lo' || VM_IF.test(v));
const VLAN_ID = slot('VLAN id 1-4094', intIn(1, 4094));
const VNI = slot('VNI 1-16777214', intIn(1, 16777214));
const MTU = slot('MTU 68-65535', intIn(68, 65535));
const PORT = slot(`VXLAN port ${VXLAN_DST_PORT}`, (v) => v === String(VXLAN_DST_PORT));
const IP = slot('IP address', (v) => parseIp(v)?.text === v);
const IPV4 = slot('IPv4 address', isCanonicalIpv4);
const MCAST4 = slot('IPv4 multicast group (239.0.0.0/8)', (v) => IPV4.test(v) && v.startsWith('239.'));
const IP_PREFIX = slot('IP address/prefix', (v) => {
  const m = /^([^/]+)\/([0-9]{1,3})$/.exec(v);
  const ip = m ? parseIp(m[1]) : null;
  return !!m && !!ip && ip.text === m[1] && Number(m[2]) <= (ip.family === 4 ? 32 : 128);
});
const MAC = slot('MAC address', (v) => MAC_PATTERN.test(v));
const APPLIANCE_NFT_BATCH = documentSlot("netforge nft ruleset for an appliance's namespace (JSON)", (v) => nftBatchRefusal(v, 'appliance'), MAX_NFT_JSON_LENGTH);
const HOST_NFT_BATCH = documentSlot('netforge nft ruleset for the host (JSON)', (v) => nftBatchRefusal(v, 'host'), MAX_NFT_JSON_LENGTH);
const DNSMASQ_CONFIG = documentSlot('dnsmasq configuration (JSON)', dnsmasqConfigRefusal, MAX_DNSMASQ_CONFIG_LENGTH);

type Element = string | Slot;

/** Every allowed command, as literal words and slots, matched position by position. */
export const ALLOWED_SHAPES: readonly (readonly Element[])[] = [
  // Inspection (read-only).
  ['ip', '-json', '-d', 'link', 'show'],
  ['ip', '-json', 'addr', 'show'],
  ['ip', '-json', 'netns', 'list'],
  ['ip', '-n', VM_NETNS, '-json', '-d', 'link', 'show'],
  ['ip', '-n', VM_NETNS, '-json', 'addr', 'show'],
  ['ip', '-n', VM_NETNS, '-json', 'route', 'show'],
  ['bridge', '-json', 'link', 'show'],
  ['bridge', '-json', 'fdb', 'show', 'dev', IFACE],
  // L2 networks.
  ['ip', 'link', 'add', 'name', BRIDGE, 'type', 'bridge'],
  ['ip', 'link', 'add', 'link', IFACE, 'name', NEW_VLAN_DEV, 'type', 'vlan', 'id', VLAN_ID],
  ['ip', 'link', 'add', 'name', VXLAN_DEV, 'type', 'vxlan', 'id', VNI, 'group', MCAST4, 'dev', IFACE, 'dstport', PORT, 'local', IPV4],
  ['ip', 'link', 'set', 'dev', IFACE, 'master', BRIDGE],
  ['ip', 'link', 'set', 'dev', IFACE, 'up'],
  ['ip', 'link', 'del', 'dev', MANAGED_DEV],
  // VMs.
  ['ip', 'netns', 'add', VM_NETNS],
  ['ip', 'netns', 'del', VM_NETNS],
  ['ip', 'link', 'add', 'name', VNIC, 'mtu', MTU, 'type', 'veth', 'peer', 'name', VM_IF, 'mtu', MTU, 'address', MAC, 'netns', VM_NETNS],
  ['ip', '-n', VM_NETNS, 'link', 'set', 'dev', VM_IF_OR_LO, 'up'],
  ['ip', '-n', VM_NETNS, 'link', 'set', 'dev', VM_IF, 'address', MAC],
  ['ip', '-n', VM_NETNS, 'link', 'del', 'dev', VM_IF],
  ['ip', '-n', VM_NETNS, 'addr', 'add', IP_PREFIX, 'dev', VM_IF],
  ['ip', '-n', VM_NETNS, 'route', 'replace', 'default', 'via', IP, 'dev', VM_IF],
  // A VM's network stack applying its DHCP lease.
  ['ip', '-n', VM_NETNS, 'link', 'set', 'dev', VM_IF, 'mtu', MTU],
  ['ip', '-n', VM_NETNS, 'route', 'replace', IP_PREFIX, 'via', IP, 'dev', VM_IF],
  // A router's VIPs (EIPs, port forwarding) on its public NIC. Any address of a namespace the
  // agent created (ownership.ts): the server never names the router's own (planVipSync).
  ['ip', '-n', VM_NETNS, 'addr', 'del', IP_PREFIX, 'dev', VM_IF],
  // Network services in appliance namespaces (routers, flat DHCP) and on the host.
  ['ip', 'netns', 'exec', VM_NETNS, 'sysctl', '-w', 'net.ipv4.ip_forward=1'],
  ['ip', 'netns', 'exec', VM_NETNS, 'nft', '-j', APPLIANCE_NFT_BATCH],
  ['nft', '-j', HOST_NFT_BATCH],
  ['nft', '-j', 'list', 'tables'],
  // Security groups filter bridged traffic in the inet forward hook (br_netfilter).
  ['sysctl', '-w', 'net.bridge.bridge-nf-call-iptables=1'],
  [BUILTIN_PROGRAM, 'dnsmasq-sync', VM_NETNS, DNSMASQ_CONFIG],
  [BUILTIN_PROGRAM, 'dnsmasq-stop', VM_NETNS],
  [BUILTIN_PROGRAM, 'dnsmasq-list'],
  [BUILTIN_PROGRAM, 'dhcp-request', VM_NETNS, VM_IF],
  [BUILTIN_PROGRAM, 'dhcp-leases', VM_NETNS],
  [BUILTIN_PROGRAM, 'dhcp-forget', VM_NETNS],
];

const PROGRAMS = [...new Set(ALLOWED_SHAPES.map((s) => s[0] as string))];
/** Longest argument any shape admits (documents are longer than the rest). */
const LONGEST_ARG = Math.max(MAX_ARG_LENGTH, ...ALLOWED_SHAPES.flatMap((s) => s.map((e) => (typeof e === 'string' ? 0 : e.maxLength))));

/** null when `argv` is allowed, else why not (for the 400 answer). */
export function argvRefusal(argv: unknown): string | null {
  if (!Array.isArray(argv) || argv.length === 0) return 'argv must be a non-empty array of strings';
  if (argv.length > MAX_ARGS) return `argv has ${argv.length} elements; at most ${MAX_ARGS} are allowed`;
  if (!argv.every((a): a is string => typeof a === 'string')) return 'every argv element must be a string';
  if (argv.some((a) => a.length > LONGEST_ARG)) return `argv elements are at most ${LONGEST_ARG} characters`;
  if (!PROGRAMS.includes(argv[0])) return `program '${argv[0]}' is not allowed; only ${PROGRAMS.join(', ')} are`;
  let closest: { matched: number; why: string } | null = null;
  for (const shape of ALLOWED_SHAPES) {
    if (shape[0] !== argv[0]) continue;
    let i = 0;
    let why = '';
    for (; i < shape.length && i < argv.length; i++) {
      const e = shape[i];
      if (typeof e === 'string') {
        if (e !== argv[i]) {
          why = `expected '${e}' at position ${i}, got ${shown(argv[i])}`;
          break;
        }
      } else if (argv[i].length > e.maxLength) {
        why = `argument ${i} is longer than a ${e.kind} may be (${e.maxLength} characters)`;
        break;
      } else if (!e.test(argv[i])) {
        const detail = e.why?.(argv[i]);
        why = detail ? `argument ${i} is not a valid ${e.kind}: ${detail}` : `argument ${i} ${shown(argv[i])} is not a valid ${e.kind}`;
        break;
      }
    }
    if (!why && shape.length === argv.length) return null;
    if (!why)
      why =
        argv.length > shape.length ? `unexpected extra arguments from position ${shape.length}` : `missing arguments from position ${argv.length}`;
    if (!closest || i > closest.matched) closest = { matched: i, why };
  }
  return `command not allowed: ${closest ? closest.why : 'no allowed command has this shape'}`;
}

/** An argument as a refusal quotes it (documents are long: their start only). */
function shown(value: string): string {
  return JSON.stringify(value.length > MAX_ARG_LENGTH ? `${value.slice(0, MAX_ARG_LENGTH)}...` : value);
}
