/**
 * `netforge lab up|down`: a KVM lab on this machine (hosts/lab/): hosts that are network
 * namespaces (--kind netns, the default), or QEMU guests with Debian's kernel, which has
 * 802.1Q (--kind qemu, hosts/lab/qemu/).
 */
import { Command, InvalidArgumentError, Option } from 'commander';
import { resolveConnection } from '../client';
import { DEFAULT_LAB_AGENT_PORT, DEFAULT_LAB_STATE_DIR, labDown, labUp } from '../hosts/lab/lab';
import { DEFAULT_QEMU_LAB_STATE_DIR, QEMU_LAB_TRUNK_INTERFACE, qemuLabDown, qemuLabUp } from '../hosts/lab/qemu/qemu-lab';

const KINDS = ['netns', 'qemu'] as const;
type LabKind = (typeof KINDS)[number];
const kindOption = () => new Option('--kind <kind>', 'netns: hosts are network namespaces; qemu: hosts are QEMU guests (TCG) with 802.1Q').choices(KINDS).default('netns');

function positive(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a positive integer');
  return n;
}

function serverTarget(opts: { server?: string; token?: string }): { url: string; token: string } | undefined {
  if (!opts.server) return undefined;
  const { endpoint, token } = resolveConnection({ endpoint: opts.server, token: opts.token });
  if (!token) throw new Error('--server needs --token (or NETFORGE_TOKEN, or the server\'s token file)');
  return { url: endpoint, token };
}

function printRegistration(state: { serverFingerprint: string; registration: { url: string; zoneUuid: string | null; clusterUuids: string[] } | null }): void {
  console.log(`the agents trust the server with certificate ${state.serverFingerprint}`);
  if (state.registration) {
    console.log(`registered with ${state.registration.url}: zone ${String(state.registration.zoneUuid)}, clusters ${state.registration.clusterUuids.join(', ')}`);
  }
}

export function labCommand(): Command {
  const lab = new Command('lab').description('a KVM lab on this machine: hosts as network namespaces or QEMU guests, each with an agent (root)');
  lab
    .command('up')
    .description('create the hosts, their switches and agents; with --server, register a zone, KVM clusters and the hosts')
    .requiredOption('--hosts <n>', 'number of hosts (nf-lab-h1 ..., QEMU guests nf-qlab-h1 ...)', positive)
    .option('--clusters <k>', 'clusters the hosts are spread over (default 1)', positive)
    .option('--server <url>', 'control server to register with, e.g. http://127.0.0.1:8787')
    .option('--token <token>', "the server's bearer token (env NETFORGE_TOKEN)")
    .option('--agent-port <port>', `agent port (default ${DEFAULT_LAB_AGENT_PORT}; the server's NETFORGE_KVM_AGENT_PORT must match)`, positive)
    .option('--server-fingerprint <sha256:hex>', "without --server: the certificate fingerprint of the server the agents trust (its GET /v1/identity)")
    .option('--state-dir <dir>', `where the lab records what it created (default ${DEFAULT_LAB_STATE_DIR}, with --kind qemu ${DEFAULT_QEMU_LAB_STATE_DIR})`)
    .addOption(kindOption())
    .action(
      async (opts: {
        hosts: number;
        clusters?: number;
        server?: string;
        token?: string;
        agentPort?: number;
        serverFingerprint?: string;
        stateDir?: string;
        kind: LabKind;
      }) => {
        const common = {
          hosts: opts.hosts,
          clusters: opts.clusters,
          server: serverTarget(opts),
          agentPort: opts.agentPort,
          serverFingerprint: opts.serverFingerprint,
          stateDir: opts.stateDir,
          log: (line: string) => console.error(line),
        };
        if (opts.kind === 'qemu') {
          const state = await qemuLabUp(common);
          for (const h of state.hosts)
            console.log(`${h.name}\t${h.managementIp}\tcluster ${h.clusterIndex + 1}\tagent ${h.agentUrl} (QEMU pid ${String(h.qemuPid)})\t${h.agentFingerprint}`);
          printRegistration(state);
          console.log(`trunk interface: ${QEMU_LAB_TRUNK_INTERFACE} (L2NoVlanNetwork, L2VlanNetwork); guests boot kernel ${state.kernel}`);
          return;
        }
        const state = await labUp(common);
        for (const h of state.hosts)
          console.log(`${h.netns}\t${h.managementIp}\tcluster ${h.clusterIndex + 1}\tagent ${h.agentUrl} (pid ${String(h.agentPid)})\t${h.agentFingerprint}`);
        printRegistration(state);
        console.log('data-plane interface: eth1 (L2NoVlanNetwork, L2VlanNetwork); management and VXLAN underlay: eth0 (L2VxlanNetwork)');
      },
    );
  lab
    .command('down')
    .description('remove everything `lab up` created (and the VM namespaces its agents created), nothing else')
    .option('--state-dir <dir>', `the lab's state dir (default ${DEFAULT_LAB_STATE_DIR}, with --kind qemu ${DEFAULT_QEMU_LAB_STATE_DIR})`)
    .option('--server <url>', 'deregister from this server (default: the one recorded at lab up)')
    .option('--token <token>', "the server's bearer token, to deregister the lab's hosts, clusters and zone (env NETFORGE_TOKEN)")
    .addOption(kindOption())
    .action(async (opts: { stateDir?: string; server?: string; token?: string; kind: LabKind }) => {
      const { token } = resolveConnection({ token: opts.token });
      const common = { stateDir: opts.stateDir, server: token ? { url: opts.server, token } : undefined, log: (line: string) => console.error(line) };
      const report = opts.kind === 'qemu' ? await qemuLabDown(common) : await labDown(common);
      if (!report.found) {
        console.log(`no lab state in ${opts.stateDir ?? (opts.kind === 'qemu' ? DEFAULT_QEMU_LAB_STATE_DIR : DEFAULT_LAB_STATE_DIR)}; nothing to do`);
        return;
      }
      for (const w of report.warnings) console.error(`warning: ${w}`);
      if ('stoppedGuests' in report) console.log(`stopped ${report.stoppedGuests.length} guests; removed ${report.removedLinks.length} taps and bridges`);
      else {
        console.log(
          `removed ${report.removedNamespaces.length} namespaces and ${report.removedLinks.length} links; stopped ${report.stoppedAgents.length} agents and ${report.stoppedProcesses.length} dnsmasq`,
        );
      }
      if (report.warnings.length > 0) process.exitCode = 1;
    });
  return lab;
}
