/**
 * Creates whose answer is lost on the way back (a proxy cuts the connection after the server
 * committed) are retried by the provider with the same Idempotency-Key: the apply succeeds
 * with exactly one object each, no orphan. Deletes whose answer is lost are retried too.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startTestServer, type TestServer } from '../helpers/server';
import { netforgeHclHeader, terraformWorkspace, type TerraformWorkspace } from '../helpers/terraform';

jest.setTimeout(180_000);

interface Seen {
  method: string;
  path: string;
  key: string | undefined;
  dropped: boolean;
}

/** Forwards to the server; the first request matching `drop` reaches the server but its answer is never sent. */
async function lossyProxy(target: string, drop: (method: string, path: string) => boolean) {
  const seen: Seen[] = [];
  const droppedOnce = new Set<string>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        const path = req.url ?? '/';
        const headers = Object.fromEntries(Object.entries(req.headers).filter(([k]) => !['host', 'connection', 'content-length'].includes(k))) as Record<string, string>;
        const upstream = await fetch(`${target}${path}`, { method: req.method, headers, body: chunks.length > 0 ? Buffer.concat(chunks) : undefined });
        const body = Buffer.from(await upstream.arrayBuffer());
        const id = `${req.method} ${path.split('?')[0]}`;
        const dropped = drop(req.method ?? '', path) && !droppedOnce.has(id);
        seen.push({ method: req.method ?? '', path, key: req.headers['idempotency-key'] as string | undefined, dropped });
        if (dropped) {
          droppedOnce.add(id);
          req.socket.destroy(); // the server did it; the client never hears
          return;
        }
        res.writeHead(upstream.status, { 'content-type': upstream.headers.get('content-type') ?? 'application/json' });
        res.end(body);
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

function config(endpoint: string): string {
  return `
${netforgeHclHeader(endpoint)}
resource "netforge_zone" "z" { name = "lossy" }
resource "netforge_cluster" "c" {
  name            = "lossy-c"
  zone_uuid       = netforge_zone.z.uuid
  hypervisor_type = "Simulator"
}
resource "netforge_host" "h" {
  name          = "lossy-h"
  cluster_uuid  = netforge_cluster.c.uuid
  management_ip = "10.46.0.11"
}
resource "netforge_l2_novlan_network" "l2" {
  name               = "lossy-l2"
  zone_uuid          = netforge_zone.z.uuid
  physical_interface = "eth1"
}
resource "netforge_l2_network_cluster_attachment" "a" {
  l2_network_uuid = netforge_l2_novlan_network.l2.uuid
  cluster_uuid    = netforge_cluster.c.uuid
}
resource "netforge_l3_network" "l3" {
  name            = "lossy-l3"
  l2_network_uuid = netforge_l2_novlan_network.l2.uuid
  cidr            = "10.47.0.0/24"
}
resource "netforge_ip_range" "r" {
  l3_network_uuid = netforge_l3_network.l3.uuid
  name            = "lossy-r"
  start_ip        = "10.47.0.10"
  end_ip          = "10.47.0.20"
}
resource "netforge_vm_instance" "vm" {
  name             = "lossy-vm"
  l3_network_uuids = [netforge_l3_network.l3.uuid]
  depends_on       = [netforge_l2_network_cluster_attachment.a, netforge_ip_range.r, netforge_host.h]
}
`;
}

describe('answers lost between the server and terraform', () => {
  let s: TestServer;
  let w: TerraformWorkspace;
  let proxy: Awaited<ReturnType<typeof lossyProxy>>;
  const count = async (p: string) => ((await s.api('GET', `/v1/${p}`)).body as unknown[]).length;

  beforeAll(async () => {
    s = await startTestServer();
    proxy = await lossyProxy(s.url, (method, path) => (method === 'POST' && /^\/v1\/(l3-networks|ip-ranges|vm-instances|l2-cluster-attachments)$/.test(path)) || (method === 'DELETE' && path.startsWith('/v1/vm-instances/')));
    w = await terraformWorkspace({ NETFORGE_TOKEN: s.token, NETFORGE_TRANSIENT_RETRY_MS: '30000' });
    w.write(config(proxy.url));
    expect((await w.tf('init', '-no-color')).code).toBe(0);
  });
  afterAll(async () => {
    w?.cleanup();
    await proxy?.close();
    await s?.stop();
  });

  test('GIVEN the first answer to four creates is lost WHEN applied THEN the provider retries with the same key, the apply succeeds, and each object exists once', async () => {
    const apply = await w.tf('apply', '-auto-approve', '-no-color');
    expect(apply.stderr).toBe('');
    expect(apply.code).toBe(0);
    for (const p of ['l3-networks', 'ip-ranges', 'vm-instances', 'l2-cluster-attachments', 'zones', 'hosts']) expect({ p, n: await count(p) }).toEqual({ p, n: 1 });
    for (const path of ['/v1/l3-networks', '/v1/ip-ranges', '/v1/vm-instances', '/v1/l2-cluster-attachments']) {
      const posts = proxy.seen.filter((r) => r.method === 'POST' && r.path === path);
      expect(posts.map((p) => p.dropped)).toEqual([true, false]);
      expect(posts[0].key).toMatch(/^terraform-/);
      expect(posts[1].key).toBe(posts[0].key);
    }
    expect((await w.tf('plan', '-detailed-exitcode', '-no-color')).code).toBe(0);
  });

  test('GIVEN the first answer to a delete is lost WHEN destroyed THEN the retry finds it gone and the destroy succeeds', async () => {
    const destroy = await w.tf('destroy', '-auto-approve', '-no-color');
    expect(destroy.stderr).toBe('');
    expect(destroy.code).toBe(0);
    expect(proxy.seen.filter((r) => r.method === 'DELETE' && r.path.startsWith('/v1/vm-instances/')).map((r) => r.dropped)).toEqual([true, false]);
    expect(await count('zones')).toBe(0);
  });
});
