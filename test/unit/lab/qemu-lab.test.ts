/**
 * The QEMU lab's pure parts and its guest agent client: the modules the initramfs loads
 * (dependencies first, from modules.dep), the kernel command line and QEMU's argv (checked
 * values, one option per element), and the QEMU guest agent protocol against a socket that
 * speaks it (sync, exec, status).
 */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { GUEST_INIT, kernelCommandLine, moduleLoadOrder } from '../../../hosts/lab/qemu/image';
import { GuestAgentClient, qemuArgv, qemuLabHostPlan } from '../../../hosts/lab/qemu/qemu-lab';

const DEP = [
  'kernel/net/8021q/8021q.ko: kernel/net/802/mrp.ko kernel/net/802/garp.ko kernel/net/802/stp.ko kernel/net/llc/llc.ko',
  'kernel/net/802/garp.ko: kernel/net/802/stp.ko kernel/net/llc/llc.ko',
  'kernel/net/802/mrp.ko:',
  'kernel/net/802/stp.ko: kernel/net/llc/llc.ko',
  'kernel/net/llc/llc.ko:',
  'kernel/net/bridge/bridge.ko: kernel/net/802/stp.ko kernel/net/llc/llc.ko',
  'kernel/drivers/net/virtio_net.ko: kernel/drivers/virtio/virtio.ko',
  'kernel/drivers/virtio/virtio.ko:',
].join('\n');

describe('the guest image', () => {
  it('GIVEN modules.dep WHEN the load order of 8021q and bridge is computed THEN every dependency comes before what needs it, each once', () => {
    const order = moduleLoadOrder(DEP, ['8021q', 'bridge']);
    expect(new Set(order).size).toBe(order.length);
    const at = (m: string) => order.findIndex((f) => f.endsWith(`/${m}.ko`));
    expect(at('llc')).toBeLessThan(at('stp'));
    expect(at('stp')).toBeLessThan(at('garp'));
    expect(at('garp')).toBeLessThan(at('8021q'));
    expect(at('mrp')).toBeLessThan(at('8021q'));
    expect(order.at(-1)).toBe('kernel/net/bridge/bridge.ko');
    expect(order).not.toContain('kernel/drivers/net/virtio_net.ko');
  });

  it('GIVEN a module modules.dep lacks, or a cycle WHEN ordered THEN it throws naming it', () => {
    expect(() => moduleLoadOrder(DEP, ['vxlan'])).toThrow(/module vxlan is not in modules.dep/);
    expect(() => moduleLoadOrder('kernel/a.ko: kernel/b.ko\nkernel/b.ko: kernel/a.ko', ['a'])).toThrow(/cycle: kernel\/a.ko -> kernel\/b.ko -> kernel\/a.ko/);
  });

  it('GIVEN the kernel command line WHEN a value could break /init splitting it on spaces THEN it is refused', () => {
    expect(kernelCommandLine('/run/netforge-qemu-lab/h1', '172.31.0.11/24')).toBe(
      'console=ttyS0 quiet panic=-1 netforge.guestdir=/run/netforge-qemu-lab/h1 netforge.address=172.31.0.11/24',
    );
    expect(() => kernelCommandLine('/tmp/my lab/h1', '172.31.0.11/24')).toThrow(/letters, digits/);
    expect(() => kernelCommandLine('relative/h1', '172.31.0.11/24')).toThrow(/absolute path/);
    expect(() => kernelCommandLine('/tmp/h1', '172.31.0.11/24 init=/bin/sh')).toThrow(/not an IPv4 address with a prefix length/);
  });

  it('GIVEN /init WHEN generated THEN only its two parameters are variable, and it starts the agent from NUL-separated argv (no shell text)', () => {
    expect(GUEST_INIT.startsWith('#!/bin/busybox sh\n')).toBe(true);
    expect(GUEST_INIT).toContain('xargs -0 -a "$guestdir/agent.argv" env');
    expect(GUEST_INIT).toContain('modprobe -a 8021q bridge veth');
    expect(GUEST_INIT).not.toMatch(/undefined|\[object/);
  });

  it("GIVEN a guest WHEN QEMU's argv is built THEN TCG, the machine's root read-only, the guest's dir, two taps and the guest agent's socket, one element each", () => {
    const h = qemuLabHostPlan(2, 2, 1, 7070, '/run/netforge-qemu-lab');
    const argv = qemuArgv(h, '/boot/vmlinuz-6.1.0-56-amd64', '/run/netforge-qemu-lab/initramfs.gz');
    const value = (flag: string) => argv.filter((_, i) => argv[i - 1] === flag);
    expect(value('-accel')).toEqual(['tcg']);
    expect(value('-name')).toEqual(['nf-qlab-h2']);
    expect(value('-virtfs')).toEqual([
      'local,path=/,mount_tag=hostroot,security_model=passthrough,readonly=on,multidevs=remap',
      'local,path=/run/netforge-qemu-lab/h2,mount_tag=guestdir,security_model=passthrough',
    ]);
    expect(value('-netdev')).toEqual(['tap,id=mgmt,ifname=nfq-h2m,script=no,downscript=no', 'tap,id=trunk,ifname=nfq-h2t,script=no,downscript=no']);
    expect(value('-chardev')).toEqual(['socket,id=qga,path=/run/netforge-qemu-lab/h2.qga.sock,server=on,wait=off']);
    expect(h).toMatchObject({ managementIp: '172.31.0.12', mgmtMac: '52:54:00:6e:02:01', trunkMac: '52:54:00:6e:02:02', agentUrl: 'https://172.31.0.12:7070' });
  });
});

describe('the QEMU guest agent client', () => {
  let dir = '';
  let server: net.Server;
  const seen: any[] = [];

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netforge-qga-'));
    // A guest agent: answers sync with its id (after a stale line), runs "commands" that exit 3 with output.
    server = net.createServer((socket) => {
      let buf = '';
      socket.on('data', (chunk) => {
        buf += chunk.toString();
        for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n')) {
          const cmd = JSON.parse(buf.slice(0, nl));
          buf = buf.slice(nl + 1);
          seen.push(cmd);
          if (cmd.execute === 'guest-sync') socket.write(`{"return": 1}\n{"return": ${cmd.arguments.id}}\n`);
          else if (cmd.execute === 'guest-exec') socket.write('{"return": {"pid": 42}}\n');
          else if (cmd.execute === 'guest-exec-status') {
            const polls = seen.filter((c) => c.execute === 'guest-exec-status').length;
            socket.write(
              polls < 2
                ? '{"return": {"exited": false}}\n'
                : `{"return": {"exited": true, "exitcode": 3, "out-data": "${Buffer.from('out\n').toString('base64')}", "err-data": "${Buffer.from('err').toString('base64')}"}}\n`,
            );
          } else socket.write('{"error": {"class": "CommandNotFound", "desc": "no such command"}}\n');
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(path.join(dir, 'qga.sock'), resolve));
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('GIVEN a guest agent WHEN an argv runs THEN it is sent as path and arguments, polled until it exits, and its output decoded', async () => {
    const client = new GuestAgentClient(path.join(dir, 'qga.sock'), 'test guest');
    await client.connect(2_000);
    const result = await client.exec(['ip', 'netns', 'exec', 'nfvm-1', 'ping', '-c', '1', '10.0.0.1']);
    client.close();
    expect(result).toEqual({ code: 3, stdout: 'out\n', stderr: 'err' });
    expect(seen.find((c) => c.execute === 'guest-exec').arguments).toEqual({ path: 'ip', arg: ['netns', 'exec', 'nfvm-1', 'ping', '-c', '1', '10.0.0.1'], 'capture-output': true });
  });

  it('GIVEN no guest agent at the socket WHEN connecting THEN it fails naming the guest after the timeout', async () => {
    const client = new GuestAgentClient(path.join(dir, 'absent.sock'), 'guest h9');
    await expect(client.connect(500)).rejects.toThrow(/the QEMU guest agent of guest h9 did not answer within 500 ms/);
  });
});
