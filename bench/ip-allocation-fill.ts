/**
 * Does one allocation get slower as the L3 fills? A /16 is filled through the API (64
 * concurrent clients) to 1k, 10k, 30k and 60k allocated addresses; at each level one client
 * allocates 300 more in sequence and the mean time per allocation is printed, with its ratio
 * to the 1k level (the baseline of the same run; target: within 1.5x).
 *   npm run bench:ip:fill [-- --sample 300]
 */
import { parseArgs } from 'node:util';
import { benchL2, measureAllocations, must, startBenchServer } from './bench-server';

const LEVELS = [1_000, 10_000, 30_000, 60_000];

async function main() {
  const { values } = parseArgs({ options: { sample: { type: 'string', default: '300' } } });
  const sample = Number(values.sample);
  const bench = await startBenchServer();
  try {
    const { call } = bench;
    const l2 = { uuid: (await benchL2(call)).l2Uuid };
    const l3 = must(await call('POST', '/v1/l3-networks', { name: 'big', l2NetworkUuid: l2.uuid, cidr: '10.0.0.0/16' }), 'l3');
    must(await call('POST', '/v1/ip-ranges', { name: 'all', l3NetworkUuid: l3.uuid, startIp: '10.0.0.2', endIp: '10.0.255.254' }), 'range');
    const allocate = (_n: number, method: string, urlPath: string, body: unknown) => call(method, urlPath, body);
    console.log(`Time per allocation as a /16 fills: ${sample} sequential allocations (1 client) at each level; the fill in between runs 64 clients`);
    console.log('allocated | ms per allocation | vs 1k | fill allocations/s (64 clients)');
    let allocated = 0;
    let baseline = 0;
    for (const level of LEVELS) {
      const fill = level - allocated;
      const filled = fill > 0 ? await measureAllocations(allocate, l3.uuid, fill, 64) : null;
      allocated = level;
      const measured = await measureAllocations(allocate, l3.uuid, sample, 1);
      allocated += sample;
      const ms = 1000 / measured.perSecond;
      if (level === LEVELS[0]) baseline = ms;
      console.log(`${String(level).padStart(9)} | ${ms.toFixed(2).padStart(17)} | ${(ms / baseline).toFixed(2).padStart(5)} | ${filled ? filled.perSecond.toFixed(0) : '-'}`);
      if ((filled?.failures ?? 0) + measured.failures > 0 || (filled?.duplicates ?? 0) + measured.duplicates > 0) process.exitCode = 1;
    }
  } finally {
    await bench.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
