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
    // The same data dir, and the same database where it is not the data dir's SQLite.
    const second = await startServer({ port: 0, dataDir, databaseUrl: first.databaseUrl, logLevel: 'silent' }, pino({ level: 'silent' }));
    try {
      const res = await fetch(`${second.url}/v1/simulator/hosts/${hostUuid}`, { headers: { authorization: `Bearer ${second.token}` } });
      expect(res.status).toBe(200);
      expect(((await res.json()) as { devices: Array<{ name: string }> }).devices.map((d) => d.name)).toEqual(['br_eth0_77', 'eth0.77']);
      expect(second.token).toBe(first.token);
    } finally {
      await second.close();
      await first.dropDatabase();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('credentials stay out of logs and process lists', () => {
  const cli = path.join(__dirname, '..', '..', 'bin', 'netforge.js');

  it('GIVEN the token sent in the query string WHEN requested THEN 401, and no log line holds the token', async () => {
    const lines: string[] = [];
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'netforge-redact-'));
    const server = await startServer({ port: 0, dataDir, logLevel: 'info' }, pino({ level: 'info' }, { write: (l: string) => lines.push(l) }));
    try {
      const leak = await fetch(`${server.url}/v1/zones?token=${server.token}&name=z&access_token=${server.token}`);
      expect(leak.status).toBe(401);
      const ok = await fetch(`${server.url}/v1/zones?name=z`, { headers: { authorization: `Bearer ${server.token}` } });
      expect(ok.status).toBe(200);
      const requestLines = lines.filter((l) => l.includes('"msg":"request"'));
      expect(requestLines).toHaveLength(2);
      expect(lines.join('')).not.toContain(server.token);
      expect(requestLines[0]).toContain('/v1/zones?token=[REDACTED]&name=z&access_token=[REDACTED]');
    } finally {
      await server.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('GIVEN `netforge server --token-file` WHEN it runs THEN the token is not in its command line and clients authenticate with it; --help names the file and environment options', async () => {
    const { spawn, execFileSync } = await import('node:child_process');
    const help = execFileSync(process.execPath, [cli, 'server', '--help'], { encoding: 'utf8' });
    expect(help).toMatch(/--token-file <file>.*NETFORGE_TOKEN_FILE/s);
    expect(help).toMatch(/process list.*NETFORGE_TOKEN/s);

    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'netforge-tokenfile-'));
    const tokenFile = path.join(dataDir, 'secret-token');
    const secret = `file-${uniqueName('token')}`;
    fs.writeFileSync(tokenFile, `${secret}\n`, { mode: 0o600 });
    const env = { ...process.env };
    delete env.NETFORGE_TOKEN;
    const child = spawn(process.execPath, [cli, 'server', '--port', '0', '--data-dir', dataDir, '--token-file', tokenFile], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        const timer = setTimeout(() => reject(new Error(`the server did not start: ${out}`)), 30_000);
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          const m = /"url":"(http:\/\/[^"]+)"/.exec(out);
          if (m) {
            clearTimeout(timer);
            resolve(m[1]);
          }
        });
      });
      expect(fs.readFileSync(`/proc/${child.pid}/cmdline`, 'utf8')).not.toContain(secret);
      expect((await fetch(`${url}/v1/zones`, { headers: { authorization: `Bearer ${secret}` } })).status).toBe(200);
      expect((await fetch(`${url}/v1/zones`, { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
      expect(fs.existsSync(path.join(dataDir, TOKEN_FILE))).toBe(false);
    } finally {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
