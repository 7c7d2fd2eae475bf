/**
 * P5: `cdktf synth` cost of netforge's constructs against the same resources written with the
 * generated L1 classes (constructs/imports, what `cdktf get` makes): the constructs add
 * validation at synth (field rules, topology checks such as overlapping ranges and unique
 * VNIs); this measures what that costs. Both build the same JSON: one zone, then units of
 * four (cluster; VXLAN L2 with its own VNI; L3 /24 on it; one IP range), like bench:provider.
 * Time = building the construct tree + app.synth() (writes cdk.tf.json), in this process,
 * alternating which kind goes first, median of R rounds. Prints figures, asserts none.
 *   npm run bench:synth [-- --sizes 1000,10000 --repeat 3]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { App, TerraformStack } from 'cdktf';
import { Cluster, L2VxlanNetwork, L3Network, NetforgeProvider, Zone } from '../constructs';
import { Cluster as ClusterL1 } from '../constructs/imports/providers/netforge/cluster';
import { IpRange as IpRangeL1 } from '../constructs/imports/providers/netforge/ip-range';
import { L2VxlanNetwork as L2VxlanNetworkL1 } from '../constructs/imports/providers/netforge/l2-vxlan-network';
import { L3Network as L3NetworkL1 } from '../constructs/imports/providers/netforge/l3-network';
import { NetforgeProvider as NetforgeProviderL1 } from '../constructs/imports/providers/netforge/provider';
import { Zone as ZoneL1 } from '../constructs/imports/providers/netforge/zone';

type Kind = 'L1 classes' | 'constructs';
const KINDS: readonly Kind[] = ['L1 classes', 'constructs'];

const net24 = (i: number) => `10.${(i >> 8) & 255}.${i & 255}`;

/** Resources in the stack for `units` units: the zone and four per unit. */
const resourcesOf = (units: number) => 1 + 4 * units;

function buildConstructs(stack: TerraformStack, units: number): void {
  new NetforgeProvider(stack, 'netforge', { endpoint: 'http://127.0.0.1:8787' });
  const zone = new Zone(stack, 'z', { name: 'bench' });
  for (let i = 0; i < units; i++) {
    const p = net24(i);
    new Cluster(stack, `c${i}`, { zone, name: `c${i}`, hypervisorType: 'Simulator' });
    const l2 = new L2VxlanNetwork(stack, `l2_${i}`, { zone, name: `vx${i}`, physicalInterface: 'eth0', vni: 10000 + i });
    new L3Network(stack, `l3_${i}`, { l2Network: l2, name: `net${i}`, cidr: `${p}.0/24`, ipRanges: { [`r${i}`]: { startIp: `${p}.10`, endIp: `${p}.200` } } });
  }
}

function buildL1(stack: TerraformStack, units: number): void {
  new NetforgeProviderL1(stack, 'netforge', { endpoint: 'http://127.0.0.1:8787' });
  const zone = new ZoneL1(stack, 'z', { name: 'bench' });
  for (let i = 0; i < units; i++) {
    const p = net24(i);
    new ClusterL1(stack, `c${i}`, { zoneUuid: zone.uuid, name: `c${i}`, hypervisorType: 'Simulator' });
    const l2 = new L2VxlanNetworkL1(stack, `l2_${i}`, { zoneUuid: zone.uuid, name: `vx${i}`, physicalInterface: 'eth0', vni: 10000 + i });
    const l3 = new L3NetworkL1(stack, `l3_${i}`, { l2NetworkUuid: l2.uuid, name: `net${i}`, cidr: `${p}.0/24` });
    new IpRangeL1(stack, `r${i}`, { l3NetworkUuid: l3.uuid, name: `r${i}`, startIp: `${p}.10`, endIp: `${p}.200` });
  }
}

interface Sample {
  buildS: number;
  synthS: number;
  resources: number;
  heapMiB: number;
}

function synthOnce(kind: Kind, units: number, root: string): Sample {
  const outdir = fs.mkdtempSync(path.join(root, 'out-'));
  global.gc?.();
  const t0 = performance.now();
  const app = new App({ outdir, skipValidation: false });
  const stack = new TerraformStack(app, 'bench');
  (kind === 'constructs' ? buildConstructs : buildL1)(stack, units);
  const t1 = performance.now();
  app.synth();
  const t2 = performance.now();
  const heapMiB = process.memoryUsage().heapUsed / 2 ** 20;
  const json = JSON.parse(fs.readFileSync(path.join(outdir, 'stacks', 'bench', 'cdk.tf.json'), 'utf8')) as { resource: Record<string, Record<string, unknown>> };
  const resources = Object.values(json.resource).reduce((n, byName) => n + Object.keys(byName).length, 0);
  fs.rmSync(outdir, { recursive: true, force: true });
  return { buildS: (t1 - t0) / 1000, synthS: (t2 - t1) / 1000, resources, heapMiB };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

function main(): void {
  const { values } = parseArgs({ options: { sizes: { type: 'string', default: '1000,10000' }, repeat: { type: 'string', default: '3' } } });
  const sizes = values.sizes!.split(',').map(Number);
  const repeat = Number(values.repeat);
  if (sizes.some((n) => !Number.isInteger(n) || n < 5) || !Number.isInteger(repeat) || repeat < 1) throw new Error('--sizes must be integers >= 5, --repeat a positive integer');
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'netforge-bench-synth-'));
  try {
    console.log(`cdktf synth in-process: netforge constructs vs the generated L1 classes, node ${process.version}, ${os.cpus().length} cores, load ${os.loadavg()[0].toFixed(2)}`);
    console.log('N = resources in cdk.tf.json (1 zone + units of cluster, VXLAN L2, L3, IP range); build = construct tree, synth = app.synth(); median of R');
    console.log(`${'N'.padStart(6)} | ${'R'.padStart(2)} | ${'L1 build+synth'.padStart(16)} | ${'constructs build+synth'.padStart(24)} | ratio | heap after (L1 / constructs)`);
    // Warm-up: module loading and JIT are not what is compared.
    for (const kind of KINDS) synthOnce(kind, 10, root);
    for (const n of sizes) {
      const units = Math.floor((n - 1) / 4);
      const samples: Record<Kind, Sample[]> = { 'L1 classes': [], constructs: [] };
      for (let r = 0; r < repeat; r++) {
        for (const kind of r % 2 === 0 ? KINDS : [...KINDS].reverse()) {
          const s = synthOnce(kind, units, root);
          if (s.resources !== resourcesOf(units)) throw new Error(`${kind} synthesized ${s.resources} resources, expected ${resourcesOf(units)}`);
          samples[kind].push(s);
        }
      }
      const total = (k: Kind) => median(samples[k].map((s) => s.buildS + s.synthS));
      const part = (k: Kind) => `${total(k).toFixed(2)} s (${median(samples[k].map((s) => s.buildS)).toFixed(2)} + ${median(samples[k].map((s) => s.synthS)).toFixed(2)})`;
      const heap = (k: Kind) => `${Math.round(median(samples[k].map((s) => s.heapMiB)))} MiB`;
      console.log(
        `${String(resourcesOf(units)).padStart(6)} | ${String(repeat).padStart(2)} | ${part('L1 classes').padStart(16)} | ${part('constructs').padStart(24)} | ${(total('constructs') / total('L1 classes')).toFixed(2)}x | ${heap('L1 classes')} / ${heap('constructs')}`,
      );
    }
    console.log('target (issue 15, P5): constructs within 1.3x of the L1 classes at 10k resources');
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

main();
