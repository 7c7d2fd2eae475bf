import type { L2NetworkRealizationExtensionPoint, Realization } from '../../../server/extension/points';
import { ExtensionNotFoundError, ExtensionRegistry } from '../../../server/extension/registry';
import { HostOperationError } from '../../../server/errors';
import {
  DEFAULT_L2_REALIZATION_CONCURRENCY,
  L2DeletionError,
  L2RealizationError,
  deleteL2OnHosts,
  realizeL2OnHosts,
  type L2HostProgress,
} from '../../../server/flows/l2-realization-flow';
import { SimulatorL2Realizer, SimulatorState, registerSimulator } from '../../../server/hypervisors/simulator';
import type { Host, L2Network } from '../../../topology/model';
import { makeTargets, vlanL2, vxlanL2 } from '../fixtures/hosts-and-networks';

function setup() {
  const state = new SimulatorState();
  const registry = new ExtensionRegistry();
  registerSimulator(registry, state);
  return { state, registry };
}

/** Names of the ops each host received, e.g. { 'host-0000': ['check', 'realize'] }. */
function opsByHost(state: SimulatorState, hostUuids: string[]): Record<string, string[]> {
  return Object.fromEntries(hostUuids.map((u) => [u, state.getOpLog(u).map((e) => (e.ok ? e.op : `${e.op}!`))]));
}

async function caught<T extends Error>(p: Promise<unknown>, type: new (...args: never[]) => T): Promise<T> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(type);
    return err as T;
  }
  throw new Error(`expected ${type.name}, but the promise resolved`);
}

/** Wraps a realizer, counting calls in flight per op. */
class InFlightTracker implements L2NetworkRealizationExtensionPoint {
  readonly l2Type;
  readonly hypervisorType;
  inFlight = 0;
  maxInFlight: Record<string, number> = {};
  constructor(private readonly inner: L2NetworkRealizationExtensionPoint) {
    this.l2Type = inner.l2Type;
    this.hypervisorType = inner.hypervisorType;
  }
  private async track<T>(op: string, fn: () => Promise<T>): Promise<T> {
    this.inFlight++;
    this.maxInFlight[op] = Math.max(this.maxInFlight[op] ?? 0, this.inFlight);
    try {
      return await fn();
    } finally {
      this.inFlight--;
    }
  }
  check(l2: L2Network, host: Host) {
    return this.track('check', () => this.inner.check(l2, host));
  }
  realize(l2: L2Network, host: Host) {
    return this.track('realize', () => this.inner.realize(l2, host));
  }
  undo(l2: L2Network, host: Host, realization: Realization) {
    return this.track('undo', () => this.inner.undo(l2, host, realization));
  }
  delete(l2: L2Network, host: Host) {
    return this.track('delete', () => this.inner.delete(l2, host));
  }
}

describe('realizeL2OnHosts: success', () => {
  it('GIVEN 5 connected Simulator hosts WHEN realizing VLAN 10 THEN every host has its devices, checked before realized, and the summary lists them in order', async () => {
    const { state, registry } = setup();
    const targets = makeTargets(5);
    const uuids = targets.map((t) => t.host.uuid);

    const summary = await realizeL2OnHosts(vlanL2(10), targets, registry, { concurrency: 2 });

    expect(summary.realizedHostUuids).toEqual(uuids);
    expect(summary.skippedHosts).toEqual([]);
    expect(summary.l2NetworkUuid).toBe('l2-vlan-10');
    for (const u of uuids) expect(state.getDevices(u).map((d) => d.name)).toEqual(['br_eth0_10', 'eth0.10']);
    expect(opsByHost(state, uuids)).toEqual(Object.fromEntries(uuids.map((u) => [u, ['check', 'realize']])));
  });

  it('GIVEN hosts in Disconnected and Maintenance WHEN realizing THEN they are skipped with the reason and receive nothing', async () => {
    const { state, registry } = setup();
    const targets = makeTargets(4, 'Simulator', { 1: 'Disconnected', 3: 'Maintenance' });

    const summary = await realizeL2OnHosts(vxlanL2(5000), targets, registry);

    expect(summary.realizedHostUuids).toEqual(['host-0000', 'host-0002']);
    expect(summary.skippedHosts).toEqual([
      { hostUuid: 'host-0001', hostName: 'host-1', state: 'Disconnected', reason: 'host is Disconnected, not Connected' },
      { hostUuid: 'host-0003', hostName: 'host-3', state: 'Maintenance', reason: 'host is Maintenance, not Connected' },
    ]);
    expect(opsByHost(state, ['host-0001', 'host-0003'])).toEqual({ 'host-0001': [], 'host-0003': [] });
    expect(state.getDevices('host-0002')).toHaveLength(2);
  });

  it('GIVEN a progress callback that throws WHEN realizing 3 hosts THEN it gets one event per host and phase with done counting up, and the flow still succeeds', async () => {
    const { registry } = setup();
    const events: L2HostProgress[] = [];
    await realizeL2OnHosts(vlanL2(10), makeTargets(3), registry, {
      concurrency: 1,
      onProgress: (p) => {
        events.push(p);
        throw new Error('reporter broke');
      },
    });
    expect(events.map((e) => `${e.phase}:${e.hostUuid}:${e.done}/${e.total}:${e.ok}`)).toEqual([
      'check:host-0000:1/3:true',
      'check:host-0001:2/3:true',
      'check:host-0002:3/3:true',
      'realize:host-0000:1/3:true',
      'realize:host-0001:2/3:true',
      'realize:host-0002:3/3:true',
    ]);
  });
});

describe('realizeL2OnHosts: check failures', () => {
  it('GIVEN one of 4 hosts lacks the interface WHEN realizing THEN nothing is realized anywhere and the error names that host and why', async () => {
    const { state, registry } = setup();
    const targets = makeTargets(4);
    const uuids = targets.map((t) => t.host.uuid);
    state.configureHost('host-0002', { interfaces: ['eth1'] });

    const err = await caught(realizeL2OnHosts(vlanL2(10), targets, registry), L2RealizationError);

    expect(err).toBeInstanceOf(HostOperationError);
    expect(err.code).toBe('L2_REALIZATION_FAILED');
    expect(err.status).toBe(409);
    expect(err.phase).toBe('check');
    expect(err.failures).toEqual([
      {
        hostUuid: 'host-0002',
        hostName: 'host-2',
        managementIp: '10.0.0.3',
        phase: 'check',
        message: "host 'host-2' (host-0002, 10.0.0.3) has no physical interface 'eth0' needed by L2 network 'l2-vlan-10' (l2-vlan-10) (it has: eth1)",
      },
    ]);
    expect(err.details).toEqual([
      { path: 'hosts[host-0002]', code: 'L2_CHECK_FAILED', message: `check failed on host 'host-2' (host-0002, 10.0.0.3): ${err.failures[0].message}` },
    ]);
    expect(err.message).toMatch(/^cannot realize L2 network 'l2-vlan-10' \(l2-vlan-10\): check failed on 1 of 4 hosts \(host 'host-2'.*\); nothing was realized$/);
    for (const u of uuids) expect(state.getDevices(u)).toEqual([]);
    expect(Object.values(opsByHost(state, uuids)).flat()).not.toContain('realize');
  });

  it('GIVEN two hosts fail check WHEN realizing THEN every failed host is listed, in input order', async () => {
    const { state, registry } = setup();
    state.configureHost('host-0003', { failures: { check: 'no 8021q module' } });
    state.configureHost('host-0001', { failures: { check: 'agent timeout' } });

    const err = await caught(realizeL2OnHosts(vlanL2(10), makeTargets(5), registry), L2RealizationError);

    expect(err.failures.map((f) => [f.hostUuid, f.message])).toEqual([
      ['host-0001', 'agent timeout'],
      ['host-0003', 'no 8021q module'],
    ]);
  });

  it('GIVEN KVM hosts and no KVM realizer WHEN realizing THEN ExtensionNotFoundError is thrown before any host is touched', async () => {
    const { state, registry } = setup();
    const err = await caught(realizeL2OnHosts(vlanL2(10), makeTargets(2, 'KVM'), registry), ExtensionNotFoundError);
    expect(err.message).toBe('no L2 realization backend for L2VlanNetwork on hypervisor KVM');
    expect(state.listHosts()).toEqual([]);
  });
});

describe('realizeL2OnHosts: realize failures roll back', () => {
  it('GIVEN one of 6 hosts fails realize WHEN realizing THEN no host keeps any device and the error names that host and message', async () => {
    const { state, registry } = setup();
    const targets = makeTargets(6);
    const uuids = targets.map((t) => t.host.uuid);
    state.configureHost('host-0004', { failures: { realize: 'RTNETLINK answers: File exists' } });

    const err = await caught(realizeL2OnHosts(vlanL2(10), targets, registry, { concurrency: 3 }), L2RealizationError);

    expect(err.phase).toBe('realize');
    expect(err.failures.map((f) => [f.hostUuid, f.hostName, f.phase, f.message])).toEqual([['host-0004', 'host-4', 'realize', 'RTNETLINK answers: File exists']]);
    expect(err.rollbackFailures).toEqual([]);
    expect(err.rolledBackHostUuids).toContain('host-0004');
    expect(err.details).toEqual([
      { path: 'hosts[host-0004]', code: 'L2_REALIZE_FAILED', message: "realize failed on host 'host-4' (host-0004, 10.0.0.5): RTNETLINK answers: File exists" },
    ]);
    expect(err.message).toContain('realize failed on 1 of 6 hosts');
    expect(err.message).toMatch(new RegExp(`rolled back on ${err.rolledBackHostUuids.length} hosts?$`));
    for (const u of uuids) expect(state.getDevices(u)).toEqual([]);
    // The failed host left a bridge behind (it failed midway) and was cleaned up too.
    expect(opsByHost(state, ['host-0004'])).toEqual({ 'host-0004': ['check', 'realize!', 'delete'] });
  });

  it('GIVEN concurrency 1 and the 2nd of 4 hosts fails realize WHEN realizing THEN hosts 3 and 4 are never realized nor deleted', async () => {
    const { state, registry } = setup();
    const targets = makeTargets(4);
    state.configureHost('host-0001', { failures: { realize: 'boom' } });

    const err = await caught(realizeL2OnHosts(vlanL2(10), targets, registry, { concurrency: 1 }), L2RealizationError);

    expect(opsByHost(state, targets.map((t) => t.host.uuid))).toEqual({
      'host-0000': ['check', 'realize', 'delete'],
      'host-0001': ['check', 'realize!', 'delete'],
      'host-0002': ['check'],
      'host-0003': ['check'],
    });
    expect(err.rolledBackHostUuids).toEqual(['host-0000', 'host-0001']);
  });

  it('GIVEN one host fails realize and another fails rollback WHEN realizing THEN the error lists both, the rollback failure with its own code', async () => {
    const { state, registry } = setup();
    state.configureHost('host-0001', { failures: { realize: 'boom' } });
    state.configureHost('host-0000', { failures: { delete: 'device busy' } });

    const err = await caught(realizeL2OnHosts(vlanL2(10), makeTargets(2), registry, { concurrency: 1 }), L2RealizationError);

    expect(err.rollbackFailures.map((f) => [f.hostUuid, f.phase, f.message])).toEqual([['host-0000', 'rollback', 'device busy']]);
    expect(err.details.map((d) => `${d.path} ${d.code ?? ''}`)).toEqual(['hosts[host-0001] L2_REALIZE_FAILED', 'hosts[host-0000] L2_ROLLBACK_FAILED']);
    expect(err.message).toMatch(/rollback failed on 1 host, which may keep devices \(host 'host-0'.*device busy\)/);
    expect(state.getDevices('host-0000').map((d) => d.name)).toEqual(['br_eth0_10', 'eth0.10']);
  });
});

describe('realizeL2OnHosts: bounded concurrency', () => {
  function trackedRegistry(state: SimulatorState) {
    const registry = new ExtensionRegistry();
    const tracker = new InFlightTracker(new SimulatorL2Realizer(state, 'L2VlanNetwork'));
    registry.registerL2Realizer(tracker);
    return { registry, tracker };
  }

  it('GIVEN 20 hosts with 5 ms latency and concurrency 4 WHEN realizing THEN at most 4 calls are ever in flight, and 4 are reached', async () => {
    const state = new SimulatorState({ defaultLatencyMs: 5 });
    const { registry, tracker } = trackedRegistry(state);

    await realizeL2OnHosts(vlanL2(10), makeTargets(20), registry, { concurrency: 4 });

    expect(tracker.maxInFlight).toEqual({ check: 4, realize: 4 });
  });

  it(`GIVEN 40 hosts and no concurrency option WHEN realizing and deleting THEN the default of ${DEFAULT_L2_REALIZATION_CONCURRENCY} bounds every phase`, async () => {
    const state = new SimulatorState({ defaultLatencyMs: 5 });
    const { registry, tracker } = trackedRegistry(state);

    await realizeL2OnHosts(vlanL2(10), makeTargets(40), registry);
    await deleteL2OnHosts(vlanL2(10), makeTargets(40), registry);

    expect(DEFAULT_L2_REALIZATION_CONCURRENCY).toBe(32);
    expect(tracker.maxInFlight).toEqual({ check: 32, realize: 32, delete: 32 });
  });

  it('GIVEN an invalid concurrency or a host listed twice WHEN realizing THEN it is refused before any host is touched', async () => {
    const { state, registry } = setup();
    await expect(realizeL2OnHosts(vlanL2(10), makeTargets(2), registry, { concurrency: 0 })).rejects.toThrow(RangeError);
    const [a] = makeTargets(1);
    await expect(realizeL2OnHosts(vlanL2(10), [a, a], registry)).rejects.toThrow(/host host-0000 \('host-0'\) is listed twice/);
    expect(state.listHosts()).toEqual([]);
  });
});

describe('deleteL2OnHosts', () => {
  it('GIVEN VLAN 10 realized on 3 hosts WHEN deleted from them THEN no devices remain and the summary lists the hosts', async () => {
    const { state, registry } = setup();
    const targets = makeTargets(3);
    await realizeL2OnHosts(vlanL2(10), targets, registry);

    const summary = await deleteL2OnHosts(vlanL2(10), targets, registry);

    expect(summary.deletedHostUuids).toEqual(['host-0000', 'host-0001', 'host-0002']);
    expect(state.listDevices()).toEqual([]);
  });

  it('GIVEN one host fails delete WHEN deleting from 3 hosts THEN the others are still cleaned and L2DeletionError names the failed host', async () => {
    const { state, registry } = setup();
    const targets = makeTargets(3);
    await realizeL2OnHosts(vlanL2(10), targets, registry);
    state.configureHost('host-0000', { failures: { delete: 'device busy' } });

    const err = await caught(deleteL2OnHosts(vlanL2(10), targets, registry, { concurrency: 1 }), L2DeletionError);

    expect(err.code).toBe('L2_DELETION_FAILED');
    expect(err.details).toEqual([{ path: 'hosts[host-0000]', code: 'L2_DELETE_FAILED', message: "delete failed on host 'host-0' (host-0000, 10.0.0.1): device busy" }]);
    expect(err.deletedHostUuids).toEqual(['host-0001', 'host-0002']);
    expect(state.listDevices().map((d) => d.hostUuid)).toEqual(['host-0000', 'host-0000']);
  });

  it('GIVEN a Disconnected and a Maintenance host WHEN deleting THEN the Disconnected one is skipped and the Maintenance one is cleaned', async () => {
    const { state, registry } = setup();
    await realizeL2OnHosts(vlanL2(10), makeTargets(2), registry);

    const summary = await deleteL2OnHosts(vlanL2(10), makeTargets(2, 'Simulator', { 0: 'Disconnected', 1: 'Maintenance' }), registry);

    expect(summary.skippedHosts).toEqual([{ hostUuid: 'host-0000', hostName: 'host-0', state: 'Disconnected', reason: 'host is Disconnected' }]);
    expect(summary.deletedHostUuids).toEqual(['host-0001']);
    expect(state.getDevices('host-0001')).toEqual([]);
    expect(state.getDevices('host-0000')).toHaveLength(2);
  });
});
