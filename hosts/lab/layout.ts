/**
 * The lab's layout: which namespaces, links, addresses and ports each host gets (see lab.ts
 * for the picture). Pure: nothing here touches the machine.
 */
import path from 'node:path';

export const LAB_NETNS_PREFIX = 'nf-lab-';
export const LAB_LINK_PREFIX = 'nflab-';
export const LAB_MGMT_SWITCH = 'nflab-sw';
export const LAB_DATA_SWITCH = 'nflab-data';
/** The external switch: the lab's public network, where the outside namespace lives. */
export const LAB_EXT_SWITCH = 'nflab-ext';
export const LAB_SUBNET_PREFIX = '172.30.0.';
export const LAB_PREFIX_LENGTH = 24;
/** The root namespace's address on the management switch (the server reaches agents from it). */
export const LAB_GATEWAY_IP = `${LAB_SUBNET_PREFIX}1`;
export const LAB_MAX_HOSTS = 200;
export const DEFAULT_LAB_STATE_DIR = '/run/netforge-lab';
export const DEFAULT_LAB_AGENT_PORT = 7070;
/** Management (and VXLAN underlay) interface of a lab host. */
export const LAB_MGMT_INTERFACE = 'eth0';
/** Data-plane interface of a lab host (NoVlan/VLAN networks). */
export const LAB_DATA_INTERFACE = 'eth1';
/** External interface of a lab host: the public network virtual routers leave through (a NoVlan L2 on it). */
export const LAB_EXTERNAL_INTERFACE = 'eth2';
/** The interfaces every lab host has of its own (the loopback and its three wires). */
export const LAB_HOST_INTERFACES: readonly string[] = ['lo', LAB_MGMT_INTERFACE, LAB_DATA_INTERFACE, LAB_EXTERNAL_INTERFACE];
/**
 * "The internet" of the lab: a namespace on the external switch holding the public
 * network's gateway address (TEST-NET-3, RFC 5737). Public L3 networks of the lab use
 * LAB_PUBLIC_CIDR with LAB_OUTSIDE_IP as their gateway; SNAT traffic arrives here.
 */
export const LAB_OUTSIDE_NETNS = 'nf-lab-outside';
export const LAB_OUTSIDE_LINK = 'nflab-out';
export const LAB_PUBLIC_CIDR = '203.0.113.0/24';
export const LAB_OUTSIDE_IP = '203.0.113.1';

export interface LabHost {
  /** 1-based. */
  index: number;
  /** Network namespace, also the host's name on the server: nf-lab-h<i>. */
  netns: string;
  managementIp: string;
  /** Root-namespace ends of eth0, eth1 and eth2. */
  mgmtVeth: string;
  dataVeth: string;
  extVeth: string;
  /** 0-based index into the lab's clusters. */
  clusterIndex: number;
  agentUrl: string;
  agentPid: number | null;
  agentLog: string;
  /** The agent's own state dir: key pair and VM namespace journal. */
  agentStateDir: string;
  /** sha256:<hex> of the agent's certificate (the host is registered with it). */
  agentFingerprint: string;
}

/** Host i (1-based) of `hosts` goes to cluster floor((i-1) * clusters / hosts): contiguous blocks. */
export function clusterIndexOf(i: number, hosts: number, clusters: number): number {
  return Math.floor(((i - 1) * clusters) / hosts);
}

export function labHostPlan(i: number, hosts: number, clusters: number, agentPort: number, stateDir: string): LabHost {
  const ip = `${LAB_SUBNET_PREFIX}${10 + i}`;
  return {
    index: i,
    netns: `${LAB_NETNS_PREFIX}h${i}`,
    managementIp: ip,
    mgmtVeth: `${LAB_LINK_PREFIX}h${i}m`,
    dataVeth: `${LAB_LINK_PREFIX}h${i}d`,
    extVeth: `${LAB_LINK_PREFIX}h${i}x`,
    clusterIndex: clusterIndexOf(i, hosts, clusters),
    agentUrl: `https://${ip}:${agentPort}`,
    agentPid: null,
    agentLog: path.join(stateDir, `agent-h${i}.log`),
    agentStateDir: path.join(stateDir, `agent-h${i}`),
    agentFingerprint: '',
  };
}
