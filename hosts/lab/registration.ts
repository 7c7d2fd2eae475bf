/** Registering the lab with a control server (a zone, KVM clusters, the hosts with their agents' fingerprints) and deregistering it. */
import { NetforgeApiError, NetforgeClient } from '../../client';
import { LabError } from './errors';
import type { LabRegistration } from './state';

export interface ServerTarget {
  url: string;
  token: string;
}

const clientOf = (server: ServerTarget) => new NetforgeClient(server.url, server.token);

/** Why a request failed, as the lab reports it. */
function failure(err: unknown): string {
  return err instanceof NetforgeApiError ? `${err.status}: ${JSON.stringify({ error: err.body })}` : (err as Error).message;
}

/** The fingerprint the server presents to agents. */
export async function serverIdentity(server: ServerTarget): Promise<string> {
  let fingerprint: string | undefined;
  try {
    fingerprint = (await clientOf(server).request<{ agentClient?: { fingerprint?: string } } | null>('GET', '/v1/identity'))?.agentClient?.fingerprint;
  } catch (err) {
    throw new LabError(`could not read the identity of ${server.url}: GET /v1/identity answered ${failure(err)}`);
  }
  if (!fingerprint) throw new LabError(`could not read the identity of ${server.url}: GET /v1/identity has no agent client fingerprint`);
  return fingerprint;
}

/** A lab host as the server gets it. */
export interface HostToRegister {
  name: string;
  clusterIndex: number;
  managementIp: string;
  agentFingerprint: string;
}

/**
 * Registers a zone, `clusters` KVM clusters and the hosts (each in its cluster, with its
 * agent's fingerprint), named after `labName`; `reg` records each uuid as it is made and
 * `saved` persists it.
 */
export async function register(
  server: ServerTarget,
  reg: LabRegistration,
  labName: string,
  clusters: number,
  hosts: readonly HostToRegister[],
  saved: () => void,
): Promise<void> {
  const client = clientOf(server);
  const create = async (what: string, run: () => Promise<{ uuid: string }>): Promise<string> => {
    try {
      return (await run()).uuid;
    } catch (err) {
      throw new LabError(`registering with ${server.url} failed: creating ${what} answered ${failure(err)}`);
    }
  };
  reg.zoneUuid = await create('the zone', () => client.create('zone', { name: labName, description: 'netforge lab (netforge lab up)' }));
  saved();
  for (let c = 0; c < clusters; c++) {
    reg.clusterUuids.push(await create(`cluster ${c + 1}`, () => client.create('cluster', { name: `${labName}-c${c + 1}`, zoneUuid: reg.zoneUuid!, hypervisorType: 'KVM' })));
    saved();
  }
  for (const h of hosts) {
    reg.hostUuids.push(
      await create(`host ${h.name}`, () =>
        client.create('host', { name: h.name, clusterUuid: reg.clusterUuids[h.clusterIndex], managementIp: h.managementIp, agentFingerprint: h.agentFingerprint }),
      ),
    );
    saved();
  }
}

/** Deletes what `reg` registered (hosts, clusters, zone); failures become warnings. */
export async function deregister(reg: LabRegistration, server: ServerTarget, warnings: string[]): Promise<void> {
  const client = clientOf(server);
  const del = async (type: 'host' | 'cluster' | 'zone', uuid: string) => {
    try {
      await client.delete(type, uuid);
    } catch (err) {
      warnings.push(`could not delete ${type} ${uuid} on ${server.url}: ${failure(err)}`);
    }
  };
  for (const uuid of reg.hostUuids) await del('host', uuid);
  for (const uuid of reg.clusterUuids) await del('cluster', uuid);
  if (reg.zoneUuid) await del('zone', reg.zoneUuid);
}

/** Deregisters what lab up registered when given a token; else says it stays registered. */
export async function deregisterIfAsked(reg: LabRegistration | null, server: (Partial<ServerTarget> & { token: string }) | undefined, warnings: string[]): Promise<void> {
  if (!reg) return;
  if (server?.token) await deregister(reg, { url: server.url ?? reg.url, token: server.token }, warnings);
  else warnings.push(`the lab's zone, clusters and hosts stay registered with ${reg.url} (pass --token to deregister them)`);
}
