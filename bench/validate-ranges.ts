/**
 * Dry runs and creates of IP ranges against many ranges on one L2 (the overlap rule spans
 * the L2): POST /v1/validate of 1,000 and 5,000 new ranges in one batch (about the 1 MB body
 * limit), their ratio (pairwise work would make it ~25), and with 100,000 ranges stored one
 * more range dry-run and created. Targets: 5,000 under 2 s, ratio <= 6, one more under 50 ms.
 *   npm run bench:ranges [-- --stored 100000]
 */
import { parseArgs } from 'node:util';
import { benchL2, must, runClients, startBenchServer } from './bench-server';

/** Ranges per /24: .10-.19, .20-.29, ... .240-.249 (clear of the network address and the gateway). */
const PER_BLOCK = 24;

/** Range i of the /8: ten addresses each, never overlapping (1.5 million fit). */
function range(i: number, l3NetworkUuid: string): { name: string; l3NetworkUuid: string; startIp: string; endIp: string } {
  const block = Math.floor(i / PER_BLOCK);
  const first = 10 + (i % PER_BLOCK) * 10;
  const base = `10.${Math.floor(block / 256) % 256}.${block % 256}`;
  return { name: `r${i}`, l3NetworkUuid, startIp: `${base}.${first}`, endIp: `${base}.${first + 9}` };
}

async function main() {
  const { values } = parseArgs({ options: { stored: { type: 'string', default: '100000' } } });
  const stored = Number(values.stored);
  const bench = await startBenchServer();
  try {
    const { call } = bench;
    const l2 = { uuid: (await benchL2(call)).l2Uuid };
    const l3 = must(await call('POST', '/v1/l3-networks', { name: 'wide', l2NetworkUuid: l2.uuid, cidr: '10.0.0.0/8' }), 'l3');
    const dryRun = async (from: number, count: number) => {
      const changes = Array.from({ length: count }, (_, k) => ({ id: `c${k}`, action: 'create', type: 'ipRange', attributes: range(from + k, l3.uuid) }));
      const t = performance.now();
      const res = await call('POST', '/v1/validate', { changes });
      const ms = performance.now() - t;
      if (res.status !== 200 || !res.body.valid) throw new Error(`dry run of ${count} ranges: ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
      return ms;
    };
    console.log('IP ranges on one L2: dry runs (POST /v1/validate) and creates');
    const small = await dryRun(0, 1_000);
    const large = await dryRun(0, 5_000);
    console.log(`dry run of 1,000 new ranges: ${small.toFixed(0)} ms`);
    console.log(`dry run of 5,000 new ranges: ${large.toFixed(0)} ms  (target < 2000 ms; 5,000/1,000 = ${(large / small).toFixed(2)}, target <= 6)`);
    const started = performance.now();
    await runClients(stored, 64, async (i) => {
      must(await call('POST', '/v1/ip-ranges', range(i, l3.uuid)), 'range');
    });
    console.log(`stored ${stored} ranges in ${((performance.now() - started) / 1000).toFixed(0)} s (64 clients)`);
    const oneDry = await dryRun(stored, 1);
    const t = performance.now();
    must(await call('POST', '/v1/ip-ranges', range(stored, l3.uuid)), 'range');
    const oneCreate = performance.now() - t;
    console.log(`with ${stored} stored: one more dry-run ${oneDry.toFixed(1)} ms, created ${oneCreate.toFixed(1)} ms  (target < 50 ms each)`);
  } finally {
    await bench.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
