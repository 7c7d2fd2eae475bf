/**
 * P2: attaches an L2 network to a cluster of simulated hosts, each taking `latency` ms per
 * operation, over the real API, and detaches it again, `cycles` times. Prints each time next
 * to the ideal (hosts x latency / concurrency, for each of the check and realize phases) and
 * next to the timer floor measured in the same run (the same number of `setTimeout(latency)`
 * waits, `concurrency` at a time: what node's timers alone cost), and the server's memory
 * after each cycle (heap after a full GC, and RSS), which must not grow with the cycles once
 * the simulator's operation log is full (its entries over all hosts are bounded: printed too).
 * The server runs in this process: its memory is this process's.
 *   npm run bench:attach [-- --hosts 10000 --latency 10 --concurrency 64 --cycles 6]
 */
import { parseArgs } from 'node:util';
import { must, runClients, startBenchServer } from './bench-server';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** `count` waits of `ms`, `concurrency` at a time: the floor of a phase on this machine. */
async function timerFloorS(count: number, ms: number, concurrency: number): Promise<number> {
  const t = performance.now();
  await runClients(count, concurrency, () => sleep(ms));
  return (performance.now() - t) / 1000;
}

function memory(): string {
  global.gc?.();
  const m = process.memoryUsage();
  return `heap ${(m.heapUsed / 2 ** 20).toFixed(0)} MiB, rss ${(m.rss / 2 ** 20).toFixed(0)} MiB`;
}

async function main() {
  const { values } = parseArgs({
    options: {
      hosts: { type: 'string', default: '10000' },
      latency: { type: 'string', default: '10' },
      concurrency: { type: 'string', default: '64' },
      cycles: { type: 'string', default: '6' },
    },
  });
  const [hosts, latencyMs, cycles] = [Number(values.hosts), Number(values.latency), Number(values.cycles)];
  const concurrencies = values.concurrency!.split(',').map(Number);
  if (!global.gc) console.log('(run with node --expose-gc for heap figures after a full GC)');
  console.log(`attach an L2 network to a cluster of ${hosts} simulated hosts, ${latencyMs} ms per host operation, ${cycles} attach/detach cycles`);
  for (const concurrency of concurrencies) {
    const bench = await startBenchServer({ realizeConcurrency: concurrency });
    try {
      const { call } = bench;
      const zone = must(await call('POST', '/v1/zones', { name: 'bench' }), 'zone');
      const cluster = must(await call('POST', '/v1/clusters', { name: 'big', zoneUuid: zone.uuid, hypervisorType: 'Simulator' }), 'cluster');
      let t = performance.now();
      await runClients(hosts, 16, async (i) => {
        must(
          await call('POST', '/v1/hosts', { name: `h${i}`, clusterUuid: cluster.uuid, managementIp: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}` }),
          'host',
        );
      });
      console.log(`\nconcurrency ${concurrency}: ${hosts} hosts created in ${((performance.now() - t) / 1000).toFixed(1)} s; ${memory()}`);
      must(await call('PATCH', '/v1/simulator/defaults', { latencyMs }), 'latency');
      const l2 = must(
        await call('POST', '/v1/l2-networks', { name: 'vx', zoneUuid: zone.uuid, type: 'L2VxlanNetwork', physicalInterface: 'eth0', vni: 100 }),
        'l2',
      );
      const phase = (hosts * latencyMs) / concurrency / 1000;
      const floor = await timerFloorS(hosts, latencyMs, concurrency);
      console.log(`ideal per phase ${phase.toFixed(3)} s; timer floor per phase (measured now) ${floor.toFixed(3)} s`);
      console.log('cycle | attach (check+realize) | x ideal | x floor | detach  | x ideal | x floor | server memory after the cycle');
      for (let cycle = 1; cycle <= cycles; cycle++) {
        t = performance.now();
        const att = must(await call('POST', '/v1/l2-cluster-attachments', { l2NetworkUuid: l2.uuid, clusterUuid: cluster.uuid }), 'attach');
        const attachS = (performance.now() - t) / 1000;
        t = performance.now();
        const del = await call('DELETE', `/v1/l2-cluster-attachments/${att.uuid}`);
        if (del.status !== 204) throw new Error(`detach failed: ${del.status}`);
        const detachS = (performance.now() - t) / 1000;
        console.log(
          `${String(cycle).padStart(5)} | ${attachS.toFixed(3).padStart(20)} s | ${(attachS / (2 * phase)).toFixed(2).padStart(7)} | ${(attachS / (2 * floor)).toFixed(2).padStart(7)} | ${detachS.toFixed(3)} s | ${(detachS / phase).toFixed(2).padStart(7)} | ${(detachS / floor).toFixed(2).padStart(7)} | ${memory()}; simulator op log ${bench.server.simulator.opLogStats().entries} entries`,
        );
      }
    } finally {
      await bench.stop();
    }
  }
  console.log('target (issue 15, P2): attach within 1.10x of the ideal at 10,000 hosts, memory flat over the cycles');
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
