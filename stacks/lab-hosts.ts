/**
 * The example stack on a KVM lab: its four hosts (host1-1, host1-2 in cluster1, host2-1,
 * host2-2 in cluster2) are the lab's first four, with their management addresses and agent
 * fingerprints read from the lab's state. The lab is brought up without registering
 * anything (the stack owns zone, clusters and hosts): `netforge lab up --hosts 4
 * --server-fingerprint <the server's>`.
 */
import { readLabState } from '../hosts/lab/lab';
import type { ExampleStackProps } from './example-stack';

const EXAMPLE_HOSTS = ['host1-1', 'host1-2', 'host2-1', 'host2-2'] as const;

export function labHostsForExample(stateDir: string): ExampleStackProps {
  const lab = readLabState(stateDir);
  if (!lab) throw new Error(`no KVM lab is up with state in ${stateDir} (netforge lab up --hosts 4 --state-dir ${stateDir})`);
  if (lab.hosts.length < EXAMPLE_HOSTS.length) throw new Error(`the example stack needs ${EXAMPLE_HOSTS.length} lab hosts; the lab in ${stateDir} has ${lab.hosts.length}`);
  if (lab.registration) throw new Error(`the lab in ${stateDir} registered its own zone and hosts with ${lab.registration.url}; bring it up with --server-fingerprint instead, the stack registers them`);
  const hosts = lab.hosts;
  const pick = <T>(f: (h: (typeof hosts)[number]) => T) => Object.fromEntries(EXAMPLE_HOSTS.map((id, i) => [id, f(hosts[i])]));
  return { hypervisorType: 'KVM', managementIps: pick((h) => h.managementIp), agentFingerprints: pick((h) => h.agentFingerprint) };
}
