/**
 * Attaches an L2 network to a cluster of 1000 simulated hosts, each taking 10 ms per
 * operation, over the real API, and prints the time next to the ideal
 * (hosts x latency / concurrency, for each of the check and realize phases).
 * Several concurrency settings run in the same process so they compare directly.
 *   npm run bench:attach [-- --hosts 1000 --latency 10 --concurrency 16,32,64]
 */
import { parseArgs } from 'node:util';
import { must, runClients, startBenchServer } from './bench-server';

async function main() {
  const { values } = parseArgs({
    options: { hosts: { type: 'string', default: '1000' }, latency: { type: 'string', default: '10' }, concurrency: { type: 'string', default: '16,32,64' } },
  });
  const hosts = Number(values.hosts);
  const latencyMs = Number(values.latency);
  const concurrencies = values.concurrency!.split(',').map(Number);
  console.log(`attach an L2 network to a cluster of ${hosts} simulated hosts, ${latencyMs} ms per host operation`);
  console.log('concurrency | attach (check+realize) | ideal | ratio | detach | ideal');
  for (const concurrency of concurrencies) {
    const bench = await startBenchServer({ realizeConcurrency: concurrency });
    try {
      const { call } = bench;
      const zone = must(await call('POST', '/v1/zones', { name: 'bench' }), 'zone');
      const cluster = must(await call('POST', '/v1/clusters', { name: 'big', zoneUuid: zone.uuid, hypervisorType: 'Simulator' }), 'cluster');
      await runClients(hosts, 16, async (i) => {
        must(
          await call('POST', '/v1/hosts', { name: `h${i}`, clusterUuid: cluster.uuid, managementIp: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}` }),
          'host',
        );
      });
      must(await call('PATCH', '/v1/simulator/defaults', { latencyMs }), 'latency');
      const l2 = must(
        await call('POST', '/v1/l2-networks', { name: 'vx', zoneUuid: zone.uuid, type: 'L2VxlanNetwork', physicalInterface: 'eth0', vni: 100 }),
        'l2',
      );
      let t = performance.now();
      const att = must(await call('POST', '/v1/l2-cluster-attachments', { l2NetworkUuid: l2.uuid, clusterUuid: cluster.uuid }), 'attach');
      const attachS = (performance.now() - t) / 1000;
      t = performance.now();
      const del = await call('DELETE', `/v1/l2-cluster-attachments/${att.uuid}`);
      if (del.status !== 204) throw new Error(`detach failed: ${del.status}`);
      const detachS = (performance.now() - t) / 1000;
      const phase = (hosts * latencyMs) / concurrency / 1000;
      console.log(
        `${String(concurrency).padStart(11)} | ${attachS.toFixed(3).padStart(20)} s | ${(2 * phase).toFixed(3)} s | ${(attachS / (2 * phase)).toFixed(2)} | ${detachS.toFixed(3)} s | ${phase.toFixed(3)} s`,
      );
    } finally {
      await bench.stop();
    }
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
