/**
 * Where the bearer token comes from: a token given in the configuration is used as is (no
 * file written); an existing <dataDir>/token is reused across restarts. Also what a restart
 * keeps: stored objects, and attached L2s realized again on the in-memory simulator hosts.
 *
 * These tests start their own servers one after another, never two at once: the Sequelize
 * models are module-global, so a second server in the same module registry rebinds them.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { startServer, TOKEN_FILE } from '../../server/server';
import { startTestServer } from '../helpers/server';
import { expectApiError, expectStatus, uniqueName } from './helpers';

// The environment must not decide the token for these tests.
delete process.env.NETFORGE_TOKEN;

describe('token sources', () => {
  it('GIVEN a token in the configuration WHEN the server starts THEN it uses that token and writes no token file', async () => {
    const given = `given-${uniqueName('token')}`;
    const other = await startTestServer({ token: given });
    try {
      expect(other.token).toBe(given);
      expect(fs.existsSync(path.join(other.dataDir, TOKEN_FILE))).toBe(false);
      expectStatus(await other.raw('GET', '/v1/zones', undefined, { authorization: `Bearer ${given}` }), 200);
      expectApiError(await other.raw('GET', '/v1/zones', undefined, { authorization: 'Bearer some-other-token' }), 401, 'UNAUTHORIZED');
    } finally {
      await other.stop();
    }
  });

  it('GIVEN a token file in the data dir WHEN the server starts and restarts THEN it reuses that token, and stored objects survive the restart', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'netforge-auth-'));
    const silent = pino({ level: 'silent' });
    try {
      fs.writeFileSync(path.join(dataDir, TOKEN_FILE), 'token-from-file\n', { mode: 0o600 });
      const first = await startServer({ port: 0, dataDir, logLevel: 'silent' }, silent);
      let zoneUuid: string;
      try {
        expect(first.token).toBe('token-from-file');
        const res = await fetch(`${first.url}/v1/zones`, {
          method: 'POST',
          headers: { authorization: 'Bearer token-from-file', 'content-type': 'application/json' },
          body: JSON.stringify({ name: 'survives-restart' }),
        });
        expect(res.status).toBe(201);
        zoneUuid = ((await res.json()) as { uuid: string }).uuid;
      } finally {
        await first.close();
      }
      const second = await startServer({ port: 0, dataDir, logLevel: 'silent' }, silent);
      try {
        expect(second.token).toBe('token-from-file');
        const res = await fetch(`${second.url}/v1/zones/${zoneUuid}`, { headers: { authorization: 'Bearer token-from-file' } });
        expect(res.status).toBe(200);
        expect(await res.json()).toMatchObject({ uuid: zoneUuid, name: 'survives-restart' });
      } finally {
        await second.close();
      }
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });

});

describe('restart', () => {
  it('GIVEN an L2 attached to a cluster WHEN the server restarts on the same data dir THEN the in-memory simulator hosts get its devices again', async () => {
    const first = await startTestServer();
    const dataDir = first.dataDir;
    let hostUuid: string;
    try {
      const create = async (collection: string, body: Record<string, unknown>) => {
        const res = await first.api('POST', `/v1/${collection}`, body);
        expectStatus(res, 201);
        return res.body as { uuid: string };
      };
      const zone = await create('zones', { name: uniqueName('zone') });
      const cluster = await create('clusters', { name: uniqueName('cluster'), zoneUuid: zone.uuid, hypervisorType: 'Simulator' });
      hostUuid = (await create('hosts', { name: uniqueName('host'), clusterUuid: cluster.uuid, managementIp: '172.28.0.1' })).uuid;
      const l2 = await create('l2-networks', { name: uniqueName('l2'), zoneUuid: zone.uuid, type: 'L2VlanNetwork', physicalInterface: 'eth0', vlan: 77 });
      await create('l2-cluster-attachments', { l2NetworkUuid: l2.uuid, clusterUuid: cluster.uuid });
      expect((await first.api('GET', `/v1/simulator/hosts/${hostUuid}`)).body.devices.map((d: { name: string }) => d.name)).toEqual(['br_eth0_77', 'eth0.77']);
    } finally {
      await first.server.close(); // keep the data dir
    }
    const second = await startServer({ port: 0, dataDir, logLevel: 'silent' }, pino({ level: 'silent' }));
    try {
      const res = await fetch(`${second.url}/v1/simulator/hosts/${hostUuid}`, { headers: { authorization: `Bearer ${second.token}` } });
      expect(res.status).toBe(200);
      expect(((await res.json()) as { devices: Array<{ name: string }> }).devices.map((d) => d.name)).toEqual(['br_eth0_77', 'eth0.77']);
      expect(second.token).toBe(first.token);
    } finally {
      await second.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
