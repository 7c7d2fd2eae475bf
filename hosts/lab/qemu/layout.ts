/**
 * The QEMU lab's layout: KVM hosts that are QEMU guests (TCG) booting Debian's kernel, which
 * has the 802.1Q module our machines' kernel lacks. Pure: nothing here touches the machine.
 *
 *                 root namespace
 *   nfq-sw     (bridge, 172.31.0.1/24)   management: the server reaches the agents here
 *   nfq-trunk  (bridge, no address)      the trunk: forwards 802.1Q-tagged frames untouched
 *        |  nfq-h<i>m (tap)                |  nfq-h<i>t (tap)
 *   guest nf-qlab-h<i>:  eth0 172.31.0.<10+i>/24      eth1 (no address; L2 networks' physical interface)
 *
 * Each guest mounts the machine's root read-only over 9p (so `ip`, node and the project are
 * the machine's own) and its own directory of the state dir read-write (the agent's key pair
 * and journal, its log); the QEMU guest agent on a virtio port lets the lab (and tests) run
 * argv in the guest.
 */
import path from 'node:path';
import { clusterIndexOf } from '../layout';

export const QEMU_LAB_LINK_PREFIX = 'nfq-';
export const QEMU_LAB_MGMT_SWITCH = 'nfq-sw';
export const QEMU_LAB_TRUNK_SWITCH = 'nfq-trunk';
export const QEMU_LAB_SUBNET_PREFIX = '172.31.0.';
export const QEMU_LAB_PREFIX_LENGTH = 24;
export const QEMU_LAB_GATEWAY_IP = `${QEMU_LAB_SUBNET_PREFIX}1`;
/** TCG guests cost a core each while busy: a handful is what a 2-core machine runs. */
export const QEMU_LAB_MAX_HOSTS = 8;
export const DEFAULT_QEMU_LAB_STATE_DIR = '/run/netforge-qemu-lab';
export const QEMU_LAB_MGMT_INTERFACE = 'eth0';
/** The guests' trunk interface: the physical interface of L2NoVlanNetwork and L2VlanNetwork in this lab. */
export const QEMU_LAB_TRUNK_INTERFACE = 'eth1';
/** MiB of memory per guest (the agent is a node process). */
export const QEMU_LAB_GUEST_MEMORY_MB = 512;

export interface QemuLabHost {
  /** 1-based. */
  index: number;
  /** The host's name on the server, and the guest's QEMU name. */
  name: string;
  managementIp: string;
  /** Machine-side taps of eth0 and eth1. */
  mgmtTap: string;
  trunkTap: string;
  mgmtMac: string;
  trunkMac: string;
  /** 0-based index into the lab's clusters. */
  clusterIndex: number;
  /** Shared read-write with the guest (9p, same path inside): the agent's state, argv and log. */
  guestDir: string;
  agentStateDir: string;
  agentLog: string;
  agentUrl: string;
  /** sha256:<hex> of the agent's certificate (the host is registered with it). */
  agentFingerprint: string;
  /** The guest's serial console, written by QEMU. */
  consoleLog: string;
  /** The QEMU guest agent's socket on the machine. */
  guestAgentSocket: string;
  qemuPid: number | null;
}

export function qemuLabHostPlan(i: number, hosts: number, clusters: number, agentPort: number, stateDir: string): QemuLabHost {
  const ip = `${QEMU_LAB_SUBNET_PREFIX}${10 + i}`;
  const guestDir = path.join(stateDir, `h${i}`);
  const hex = i.toString(16).padStart(2, '0');
  return {
    index: i,
    name: `nf-qlab-h${i}`,
    managementIp: ip,
    mgmtTap: `${QEMU_LAB_LINK_PREFIX}h${i}m`,
    trunkTap: `${QEMU_LAB_LINK_PREFIX}h${i}t`,
    // Locally administered (52:54:00 is QEMU's own prefix).
    mgmtMac: `52:54:00:6e:${hex}:01`,
    trunkMac: `52:54:00:6e:${hex}:02`,
    clusterIndex: clusterIndexOf(i, hosts, clusters),
    guestDir,
    agentStateDir: path.join(guestDir, 'agent'),
    agentLog: path.join(guestDir, 'agent.log'),
    agentUrl: `https://${ip}:${agentPort}`,
    agentFingerprint: '',
    consoleLog: path.join(stateDir, `h${i}.console.log`),
    guestAgentSocket: path.join(stateDir, `h${i}.qga.sock`),
    qemuPid: null,
  };
}
