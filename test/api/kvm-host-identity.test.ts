/**
 * KVM hosts are reached only through the agent whose certificate they were registered with:
 * the fingerprint is required and well formed, the server's own agent-client identity is
 * readable at /v1/identity, and a host registered at an address where something else
 * listens gets a TLS handshake and nothing else; the host is not created.
 */
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { X509Certificate } from 'node:crypto';
import { certificateFingerprint } from '../../lib/x509';
import { expectApiError, expectNothingWritten, expectStatus, snapshot, uniqueName, useServer } from './helpers';

const received: Buffer[] = [];
const listener = net.createServer((socket) => {
  socket.on('data', (d: Buffer) => received.push(d));
  setTimeout(() => socket.destroy(), 200);
});
let port = 0;

beforeAll(async () => {
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
  port = (listener.address() as net.AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => listener.close(() => resolve())));

// The KVM agents of this server "listen" on the port of the listener above.
const srv = useServer({ get kvmAgentPort() {
  return port;
} });

const FINGERPRINT = `sha256:${'0f'.repeat(32)}`;

async function kvmCluster() {
  const zone = await srv.fx.zone();
  return srv.fx.cluster(zone.uuid, { hypervisorType: 'KVM' });
}

describe('KVM host identity', () => {
  it('GIVEN GET /v1/identity THEN it names the fingerprint of the certificate the server presents to agents', async () => {
    const res = await srv.ts.api('GET', '/v1/identity');
    expectStatus(res, 200);
    const cert = new X509Certificate(fs.readFileSync(path.join(srv.ts.dataDir, 'agent-client-cert.pem')));
    expect(res.body.agentClient.fingerprint).toBe(certificateFingerprint(cert.raw));
    expect(fs.statSync(path.join(srv.ts.dataDir, 'agent-client-key.pem')).mode & 0o777).toBe(0o600);
  });

  it.each([
    ['no fingerprint', {}, 'AGENT_FINGERPRINT_REQUIRED'],
    ['a fingerprint that is not one', { agentFingerprint: 'sha256:1234' }, 'INVALID_AGENT_FINGERPRINT'],
    ['an upper-case one', { agentFingerprint: FINGERPRINT.toUpperCase() }, 'INVALID_AGENT_FINGERPRINT'],
  ])('GIVEN a KVM host with %s WHEN registered THEN 400 %s at agentFingerprint and nothing is written', async (_what, extra, code) => {
    const cluster = await kvmCluster();
    const before = await snapshot(srv.ts);
    expectApiError(await srv.ts.api('POST', '/v1/hosts', { name: uniqueName('kvm'), clusterUuid: cluster.uuid, managementIp: '127.0.0.1', ...extra }), 400, code, {
      path: 'agentFingerprint',
    });
    await expectNothingWritten(srv.ts, before);
  });

  it('GIVEN a Simulator host WHEN registered with a fingerprint THEN 400 FIELD_NOT_ALLOWED', async () => {
    const zone = await srv.fx.zone();
    const cluster = await srv.fx.cluster(zone.uuid);
    expectApiError(await srv.ts.api('POST', '/v1/hosts', { name: uniqueName('sim'), clusterUuid: cluster.uuid, managementIp: '10.99.0.1', agentFingerprint: FINGERPRINT }), 400, 'FIELD_NOT_ALLOWED');
  });

  it('GIVEN a KVM host registered at an address where a stranger listens WHEN it joins THEN 409 naming the certificate mismatch, the stranger got only a TLS hello, and nothing is written', async () => {
    const cluster = await kvmCluster();
    const before = await snapshot(srv.ts);
    received.length = 0;
    const res = await srv.ts.api('POST', '/v1/hosts', { name: uniqueName('kvm'), clusterUuid: cluster.uuid, managementIp: '127.0.0.1', agentFingerprint: FINGERPRINT });
    expectApiError(res, 409, 'HOST_RECONCILE_FAILED');
    expect(res.body.error.message).toMatch(/cannot reach the KVM agent .* at 127\.0\.0\.1:\d+/);
    await expectNothingWritten(srv.ts, before);
    const bytes = Buffer.concat(received);
    expect(bytes.length).toBeGreaterThan(0);
    expect(bytes[0]).toBe(0x16); // a TLS handshake record, then nothing of a request
    for (const leak of ['POST', '/v1/exec', 'netns', 'authorization', srv.ts.token]) expect(bytes.includes(leak)).toBe(false);
  });
});
