/**
 * IP allocation throughput over the real API under many concurrent clients, with the
 * number of duplicate addresses handed out (must be 0). A single-client run in the same
 * process is the baseline.
 *   npm run bench:ip [-- --allocations 2000 --clients 64]
 */
import { parseArgs } from 'node:util';
import { allocationRow, benchL2, measureAllocations, must, startBenchServer } from './bench-server';

async function main() {
  const { values } = parseArgs({ options: { allocations: { type: 'string', default: '2000' }, clients: { type: 'string', default: '64' } } });
  const allocations = Number(values.allocations);
  const clients = Number(values.clients);
  const bench = await startBenchServer();
  try {
    const { call } = bench;
    const l2 = { uuid: (await benchL2(call)).l2Uuid };
    console.log(`IP allocation: POST /v1/ip-addresses, ${allocations} allocations per run`);
    console.log('clients | allocations/s | p50 ms | p99 ms | duplicates | failures');
    for (const [i, n] of [1, clients].entries()) {
      const l3 = must(await call('POST', '/v1/l3-networks', { name: `net${i}`, l2NetworkUuid: l2.uuid, cidr: `10.${i}.0.0/16` }), 'l3');
      must(await call('POST', '/v1/ip-ranges', { name: `r${i}`, l3NetworkUuid: l3.uuid, startIp: `10.${i}.0.10`, endIp: `10.${i}.255.250` }), 'range');
      const figures = await measureAllocations((_n, method, urlPath, body) => call(method, urlPath, body), l3.uuid, allocations, n);
      console.log(allocationRow(String(n).padStart(7), 7, figures));
      if (figures.duplicates > 0) process.exitCode = 1;
    }
  } finally {
    await bench.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
