/**
 * nftables rulesets as data: what netforge loads with `nft -j '<json>'` (one argv element,
 * never a templated rule text), built here from typed inputs, and the schema the host agent
 * checks every such argument against before it runs. The schema admits tables named
 * netforge* (scoped further by where the batch is loaded, NftScope), base chains of fixed
 * types, and rules made of interface/address/port/state matches, counters, verdicts, the
 * NAT statements a router needs (masquerade for SNAT; dnat/snat for EIPs and port forwarding)
 * and one rewrite, a frame's destination MAC (steering a VM to its flat EIP).
 *
 * A ruleset replaces its table atomically: `add table` (a no-op when it exists), `delete
 * table`, then the table again with its chains and rules, all in one nft transaction, so
 * applying the same ruleset twice is a no-op and a changed one never leaves a gap.
 */
import { z } from 'zod';
import { ipFromBigInt, isCanonicalIpv4, parseCidr } from '../../topology/ip';
import { MAC_PATTERN } from '../linux/names';
import { documentRefusal } from './refusal';

/**
 * Longest `nft -j` argument the agent accepts: the kernel's limit for one argv string
 * (MAX_ARG_STRLEN, 32 pages, including its terminating NUL). A router's DHCP/DNS/SNAT
 * ruleset is under 2 KB.
 */
export const MAX_NFT_JSON_LENGTH = 32 * 4096 - 1;

export const NFT_FAMILIES = ['ip', 'inet', 'bridge'] as const;
export type NftFamily = (typeof NFT_FAMILIES)[number];

/** netforge's tables, and nothing else, may be touched: netforge or netforge_<suffix>. */
export const NFT_TABLE_PATTERN = /^netforge(_[a-z0-9]{1,24})?$/;
/** `fwd` is an nft keyword (data-plane.md): no chain is named like one. */
const CHAIN_NAME = z.string().regex(/^[a-z][a-z0-9_]{0,30}$/).refine((n) => !['fwd', 'ip', 'inet', 'bridge', 'table', 'chain'].includes(n), 'reserved word');
const TABLE = z.strictObject({ family: z.enum(NFT_FAMILIES), name: z.string().regex(NFT_TABLE_PATTERN) });
const IFNAME = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,14}$/);
const IPV4 = z.string().refine(isCanonicalIpv4, 'an IPv4 address');
const PREFIX = z.strictObject({ addr: IPV4, len: z.number().int().min(0).max(32) });
const PORT = z.number().int().min(1).max(65535);

const META = z.strictObject({ meta: z.strictObject({ key: z.enum(['iifname', 'oifname', 'l4proto', 'protocol']) }) });
const PAYLOAD = z.strictObject({
  payload: z.union([
    z.strictObject({ protocol: z.literal('ip'), field: z.enum(['saddr', 'daddr']) }),
    z.strictObject({ protocol: z.enum(['tcp', 'udp']), field: z.enum(['sport', 'dport']) }),
    z.strictObject({ protocol: z.literal('ether'), field: z.enum(['saddr', 'daddr']) }),
    z.strictObject({ protocol: z.literal('arp'), field: z.literal('saddr ip') }),
  ]),
});
const CT_STATE = z.strictObject({ ct: z.strictObject({ key: z.enum(['state', 'status']) }) });
const MAC = z.string().regex(MAC_PATTERN);
const CT_STATES = z.array(z.enum(['new', 'established', 'related', 'invalid'])).min(1).max(4);
const ADDRESS = z.union([IPV4, z.strictObject({ prefix: PREFIX })]);
/** Addresses a rule matches at once (a security group's peers). */
const ADDRESS_SET = z.array(ADDRESS).min(1).max(65536);
const PORT_RANGE = z.strictObject({ range: z.tuple([PORT, PORT]) });
const L4_DPORT = z.strictObject({ payload: z.strictObject({ protocol: z.enum(['tcp', 'udp']), field: z.literal('dport') }) });

const MATCH = z.strictObject({
  match: z.strictObject({
    op: z.enum(['==', '!=', 'in']),
    left: z.union([META, PAYLOAD, CT_STATE]),
    right: z.union([IFNAME, ADDRESS, MAC, PORT, PORT_RANGE, z.enum(['tcp', 'udp', 'icmp', 'ip', 'ip6', 'arp', 'dnat']), z.strictObject({ set: z.union([CT_STATES, ADDRESS_SET]) }), CT_STATES]),
  }),
});
/** A translated port range: each VIP port to its guest port (an nft map keyed by the destination port). */
const PORT_MAP = z.strictObject({ map: z.strictObject({ key: L4_DPORT, data: z.strictObject({ set: z.array(z.tuple([PORT, PORT])).min(1).max(1000) }) }) });
const STATEMENT = z.union([
  MATCH,
  z.strictObject({ counter: z.null() }),
  z.strictObject({ accept: z.null() }),
  z.strictObject({ drop: z.null() }),
  z.strictObject({ masquerade: z.null() }),
  z.strictObject({ snat: z.strictObject({ addr: IPV4, port: PORT.optional() }) }),
  z.strictObject({ dnat: z.strictObject({ addr: IPV4, port: z.union([PORT, PORT_MAP]).optional() }) }),
  z.strictObject({ jump: z.strictObject({ target: CHAIN_NAME }) }),
  z.strictObject({ return: z.null() }),
  // The one rewrite netforge makes on the host: a frame's destination MAC (a flat EIP's steering).
  z.strictObject({ mangle: z.strictObject({ key: z.strictObject({ payload: z.strictObject({ protocol: z.literal('ether'), field: z.literal('daddr') }) }), value: MAC }) }),
]);

const CHAIN = z.strictObject({
  family: z.enum(NFT_FAMILIES),
  table: z.string().regex(NFT_TABLE_PATTERN),
  name: CHAIN_NAME,
  type: z.enum(['filter', 'nat']),
  hook: z.enum(['prerouting', 'input', 'forward', 'output', 'postrouting']),
  prio: z.number().int().min(-400).max(400),
  policy: z.enum(['accept', 'drop']),
});
/** A chain rules jump to (no hook). */
const REGULAR_CHAIN = z.strictObject({ family: z.enum(NFT_FAMILIES), table: z.string().regex(NFT_TABLE_PATTERN), name: CHAIN_NAME });
const RULE = z.strictObject({ family: z.enum(NFT_FAMILIES), table: z.string().regex(NFT_TABLE_PATTERN), chain: CHAIN_NAME, expr: z.array(STATEMENT).min(1).max(16) });

const COMMAND = z.union([
  z.strictObject({ add: z.union([z.strictObject({ table: TABLE }), z.strictObject({ chain: z.union([CHAIN, REGULAR_CHAIN]) }), z.strictObject({ rule: RULE })]) }),
  z.strictObject({ delete: z.strictObject({ table: TABLE }) }),
]);

/** Every `nft -j` batch netforge sends, as the agent admits it. */
export const NftBatch = z.strictObject({ nftables: z.array(COMMAND).min(1).max(4096) });
export type NftBatch = z.infer<typeof NftBatch>;
export type NftStatement = z.infer<typeof STATEMENT>;
type NftChain = z.infer<typeof CHAIN>;

/**
 * Where a batch is loaded. In an appliance's namespace (a router) netforge owns the one table
 * `ip netforge`. On the host it owns tables `netforge_<suffix>` and hooks them only into
 * traffic the host forwards or bridges, never its input or output: no ruleset netforge sends
 * can cut a host (or its agent) off.
 */
export type NftScope = 'appliance' | 'host';

type TableRef = { family: string; name: string };

function tableOf(command: z.infer<typeof COMMAND>): TableRef {
  if ('delete' in command) return command.delete.table;
  const add = command.add;
  if ('table' in add) return add.table;
  if ('chain' in add) return { family: add.chain.family, name: add.chain.table };
  return { family: add.rule.family, name: add.rule.table };
}

function scopeRefusal(command: z.infer<typeof COMMAND>, scope: NftScope): string | null {
  const t = tableOf(command);
  if ('add' in command && 'rule' in command.add && t.family !== 'bridge' && command.add.rule.expr.some((s) => 'mangle' in s)) {
    return `a destination MAC is rewritten only in a bridge table, not in ${t.family} ${t.name}`;
  }
  if (scope === 'appliance') return t.family === 'ip' && t.name === APPLIANCE_TABLE.name ? null : `an appliance's ruleset may only touch table ip ${APPLIANCE_TABLE.name}, not ${t.family} ${t.name}`;
  if (t.name === APPLIANCE_TABLE.name) return `table ${t.name} belongs in an appliance's namespace; host tables are named ${APPLIANCE_TABLE.name}_<suffix>`;
  if ('add' in command && 'chain' in command.add && 'hook' in command.add.chain && ['input', 'output'].includes(command.add.chain.hook)) {
    return `a host ruleset may not hook the host's own ${command.add.chain.hook} traffic`;
  }
  return null;
}

/** The table netforge owns in an appliance's namespace. */
export const APPLIANCE_TABLE = { family: 'ip', name: 'netforge' } as const;

const SCOPED: Record<NftScope, z.ZodType<NftBatch>> = {
  appliance: scoped('appliance'),
  host: scoped('host'),
};

function scoped(scope: NftScope) {
  return NftBatch.superRefine((batch, ctx) => {
    batch.nftables.forEach((command, i) => {
      const why = scopeRefusal(command, scope);
      if (why) ctx.addIssue({ code: 'custom', message: why, path: ['nftables', i] });
    });
  });
}

/** null when `text` is a batch netforge may load in `scope`, else why not. */
export function nftBatchRefusal(text: string, scope: NftScope): string | null {
  return documentRefusal(SCOPED[scope], text, MAX_NFT_JSON_LENGTH, `netforge nft batch for the ${scope}`);
}

// ---- Builders ----

const match = (left: z.infer<typeof MATCH>['match']['left'], right: z.infer<typeof MATCH>['match']['right'], op: '==' | '!=' | 'in' = '=='): NftStatement => ({ match: { op, left, right } });
export const iifname = (name: string, op: '==' | '!=' = '=='): NftStatement => match({ meta: { key: 'iifname' } }, name, op);
export const oifname = (name: string, op: '==' | '!=' = '=='): NftStatement => match({ meta: { key: 'oifname' } }, name, op);
export const ctState = (...states: Array<'new' | 'established' | 'related' | 'invalid'>): NftStatement => match({ ct: { key: 'state' } }, { set: states }, 'in');
export const ipSource = (cidr: string): NftStatement => ipMatch('saddr', cidr);
export const COUNTER: NftStatement = { counter: null };
export const ACCEPT: NftStatement = { accept: null };
export const DROP: NftStatement = { drop: null };
export const MASQUERADE: NftStatement = { masquerade: null };
/** Traffic a DNAT rule translated (and its replies): what a router forwards from outside. */
export const CT_DNAT: NftStatement = match({ ct: { key: 'status' } }, 'dnat', 'in');
/** The frame's ethertype (bridge family). */
export const etherType = (type: 'ip' | 'ip6' | 'arp'): NftStatement => match({ meta: { key: 'protocol' } }, type);
export const etherSourceIsNot = (mac: string): NftStatement => match({ payload: { protocol: 'ether', field: 'saddr' } }, mac, '!=');
export const etherDestination = (mac: string): NftStatement => match({ payload: { protocol: 'ether', field: 'daddr' } }, mac);
/** Rewrites the frame's destination MAC (bridge family, before the bridge looks it up). */
export const setEtherDestination = (mac: string): NftStatement => ({ mangle: { key: { payload: { protocol: 'ether', field: 'daddr' } }, value: mac } });
export const arpSenderIsNot = (ip: string): NftStatement => match({ payload: { protocol: 'arp', field: 'saddr ip' } }, ip, '!=');
/** `ip saddr != { a, b }`. */
export const ipSourceNotIn = (ips: readonly string[]): NftStatement => match({ payload: { protocol: 'ip', field: 'saddr' } }, { set: ips.map(addressOf) }, '!=');
/** `ip daddr != { a, b/24 }`. */
export const ipDestinationNotIn = (cidrs: readonly string[]): NftStatement => match({ payload: { protocol: 'ip', field: 'daddr' } }, { set: cidrs.map(addressOf) }, '!=');
export const jump = (target: string): NftStatement => ({ jump: { target } });
export const l4proto = (proto: 'tcp' | 'udp' | 'icmp'): NftStatement => match({ meta: { key: 'l4proto' } }, proto);
/** `tcp dport 22`, `udp dport 1000-2000`. */
export const destinationPorts = (proto: 'tcp' | 'udp', start: number, end = start): NftStatement =>
  match({ payload: { protocol: proto, field: 'dport' } }, start === end ? start : { range: [start, end] });
export const sourcePort = (proto: 'tcp' | 'udp', port: number): NftStatement => match({ payload: { protocol: proto, field: 'sport' } }, port);
/** `ip saddr|daddr { a, b/24 }` (one address or network: without braces). */
export function ipIn(field: 'saddr' | 'daddr', cidrs: readonly string[]): NftStatement {
  if (cidrs.length === 1) return ipMatch(field, cidrs[0].includes('/') ? cidrs[0] : `${cidrs[0]}/32`);
  return match({ payload: { protocol: 'ip', field } }, { set: cidrs.map(addressOf) });
}
export const snatTo = (addr: string): NftStatement => ({ snat: { addr } });
/** DNAT to `addr`, its ports unchanged, to one port, or each of a range's ports to its own. */
export function dnatTo(addr: string, ports?: { proto: 'tcp' | 'udp'; from: [number, number]; to: [number, number] }): NftStatement {
  if (!ports || ports.from[0] === ports.to[0]) return { dnat: { addr } };
  if (ports.to[0] === ports.to[1]) return { dnat: { addr, port: ports.to[0] } };
  const pairs: Array<[number, number]> = [];
  for (let p = ports.from[0]; p <= ports.from[1]; p++) pairs.push([p, ports.to[0] + (p - ports.from[0])]);
  return { dnat: { addr, port: { map: { key: { payload: { protocol: ports.proto, field: 'dport' } }, data: { set: pairs } } } } };
}

function addressOf(cidr: string): z.infer<typeof ADDRESS> {
  const c = parseCidr(cidr.includes('/') ? cidr : `${cidr}/32`);
  if (!c || c.family !== 4) throw new Error(`${JSON.stringify(cidr)} is not an IPv4 address or network`);
  const addr = ipFromBigInt(c.network, 4);
  return c.prefix === 32 ? addr : { prefix: { addr, len: c.prefix } };
}

function ipMatch(field: 'saddr' | 'daddr', cidr: string): NftStatement {
  return match({ payload: { protocol: 'ip', field } }, addressOf(cidr));
}

export interface NftChainSpec {
  name: string;
  /** A base chain's hook; a chain without one is only jumped to. */
  type?: NftChain['type'];
  hook?: NftChain['hook'];
  prio?: number;
  policy?: NftChain['policy'];
  rules: NftStatement[][];
}

/** The batch that makes table `family name` hold exactly `chains` (validated against NftBatch). */
export function replaceTable(family: NftFamily, name: string, chains: readonly NftChainSpec[]): NftBatch {
  const table = { family, name };
  const batch: NftBatch = {
    nftables: [
      { add: { table } },
      { delete: { table } },
      { add: { table } },
      ...chains.flatMap((c) => [
        {
          add: {
            chain:
              c.hook && c.type && c.prio !== undefined && c.policy
                ? { family, table: name, name: c.name, type: c.type, hook: c.hook, prio: c.prio, policy: c.policy }
                : { family, table: name, name: c.name },
          },
        },
        ...c.rules.map((expr) => ({ add: { rule: { family, table: name, chain: c.name, expr } } })),
      ]),
    ],
  };
  return NftBatch.parse(batch);
}

/**
 * A batch cut into pieces of at most `maxLength` characters of JSON (one argv string each),
 * applied in order. The first piece replaces the table and holds every chain and the rules
 * of the chains `late` does not name; the rules of the `late` chains follow in the next
 * pieces. While those are loaded, the late chains are empty: choose them so that an empty
 * one fails closed (a jump to it returns to a chain that drops).
 */
export function splitBatch(batch: NftBatch, maxLength: number, late: (chain: string) => boolean): NftBatch[] {
  if (JSON.stringify(batch).length <= maxLength) return [batch];
  const isLate = (c: NftBatch['nftables'][number]) => 'add' in c && 'rule' in c.add && late(c.add.rule.chain);
  const first = batch.nftables.filter((c) => !isLate(c));
  const pieces: NftBatch[] = [{ nftables: first }];
  if (JSON.stringify(pieces[0]).length > maxLength) throw new Error(`an nftables ruleset's chains and early rules alone exceed ${maxLength} characters`);
  let current: NftBatch['nftables'] = [];
  for (const c of batch.nftables.filter(isLate)) {
    if (current.length > 0 && JSON.stringify({ nftables: [...current, c] }).length > maxLength) {
      pieces.push({ nftables: current });
      current = [];
    }
    current.push(c);
  }
  if (current.length > 0) pieces.push({ nftables: current });
  return pieces;
}

/** The batch that removes table `family name`, whether or not it exists. */
export function removeTable(family: NftFamily, name: string): NftBatch {
  const table = { family, name };
  return NftBatch.parse({ nftables: [{ add: { table } }, { delete: { table } }] });
}

/** Names of netforge's tables in `nft -j list tables` output. */
export function netforgeTables(listOutput: string): Array<{ family: string; name: string }> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(listOutput);
  } catch {
    return [];
  }
  const items = (parsed as { nftables?: unknown })?.nftables;
  if (!Array.isArray(items)) return [];
  return items.flatMap((i: unknown) => {
    const t = (i as { table?: { family?: unknown; name?: unknown } })?.table;
    return t && typeof t.name === 'string' && typeof t.family === 'string' && NFT_TABLE_PATTERN.test(t.name) ? [{ family: t.family, name: t.name }] : [];
  });
}
