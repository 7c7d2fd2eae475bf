/**
 * IP allocation throughput over the real API under many concurrent clients, with the
 * number of duplicate addresses handed out (must be 0). A single-client run in the same
 * process is the baseline.
 *   npm run bench:ip [-- --allocations 2000 --clients 64]
 */
import { parseArgs } from 'node:util';
import { must, percentile, runClients, startBenchServer } from './bench-server';

async function main() {
  const { values } = parseArgs({ options: { allocations: { type: 'string', default: '2000' }, clients: { type: 'string', default: '64' } } });
  const allocations = Number(values.allocations);
  const clients = Number(values.clients);
  const bench = await startBenchServer();
  try {
    const { call } = bench;
    const zone = must(await call('POST', '/v1/zones', { name: 'bench' }), 'zone');
    const l2 = must(await call('POST', '/v1/l2-networks', { name: 'flat', zoneUuid: zone.uuid, type: 'L2NoVlanNetwork', physicalInterface: 'eth0' }), 'l2');
    console.log(`IP allocation: POST /v1/ip-addresses, ${allocations} allocations per run`);
    console.log('clients | allocations/s | p50 ms | p99 ms | duplicates | failures');
    for (const [i, n] of [1, clients].entries()) {
      const l3 = must(await call('POST', '/v1/l3-networks', { name: `net${i}`, l2NetworkUuid: l2.uuid, cidr: `10.${i}.0.0/16` }), 'l3');
      must(await call('POST', '/v1/ip-ranges', { name: `r${i}`, l3NetworkUuid: l3.uuid, startIp: `10.${i}.0.10`, endIp: `10.${i}.255.250` }), 'range');
      const ips: string[] = [];
      const latencies: number[] = [];
      let failures = 0;
      const started = performance.now();
      await runClients(allocations, n, async () => {
        const t = performance.now();
        const res = await call('POST', '/v1/ip-addresses', { l3NetworkUuid: l3.uuid });
        latencies.push(performance.now() - t);
        if (res.status === 201) ips.push(res.body.ip);
        else failures++;
      });
      const seconds = (performance.now() - started) / 1000;
      latencies.sort((a, b) => a - b);
      const duplicates = ips.length - new Set(ips).size;
      console.log(
        `${String(n).padStart(7)} | ${(ips.length / seconds).toFixed(0).padStart(13)} | ${percentile(latencies, 50).toFixed(1).padStart(6)} | ${percentile(latencies, 99).toFixed(1).padStart(6)} | ${String(duplicates).padStart(10)} | ${failures}`,
      );
      if (duplicates > 0) process.exitCode = 1;
    }
  } finally {
    await bench.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
