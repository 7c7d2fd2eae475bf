/**
 * Bearer-token authentication over HTTP: 401 without, with a wrong or a malformed token;
 * /healthz open; the token file (mode 0600) in the data dir. (A given token and an existing
 * token file: auth-token-sources.test.ts.)
 */
import fs from 'node:fs';
import path from 'node:path';
import { TOKEN_FILE } from '../../server/server';
import { expectApiError, expectStatus, list, snapshot, uniqueName, useServer } from './helpers';

// The environment must not decide the token for these tests.
delete process.env.NETFORGE_TOKEN;

const srv = useServer();

describe('requests without a valid token', () => {
  it('GIVEN no Authorization header WHEN /v1 routes are called THEN 401 UNAUTHORIZED and nothing is written', async () => {
    const before = await snapshot(srv.ts);
    for (const [method, p] of [
      ['GET', '/v1/zones'],
      ['GET', '/v1/openapi.json'],
      ['GET', '/v1/simulator/hosts'],
      ['POST', '/v1/validate'],
      ['DELETE', '/v1/zones/x'],
    ]) {
      const res = await srv.ts.raw(method, p);
      expectApiError(res, 401, 'UNAUTHORIZED');
      expect(res.body.error.message).toContain('Bearer');
    }
    const created = await srv.ts.raw('POST', '/v1/zones', JSON.stringify({ name: uniqueName('zone') }), { 'content-type': 'application/json' });
    expectApiError(created, 401, 'UNAUTHORIZED');
    await expect(snapshot(srv.ts)).resolves.toEqual(before);
  });

  it('GIVEN a wrong token WHEN a zone is created THEN 401 saying the token is not valid and nothing is written', async () => {
    const before = await snapshot(srv.ts);
    const res = await srv.ts.api('POST', '/v1/zones', { name: uniqueName('zone') }, { authorization: 'Bearer not-the-token' });
    expectApiError(res, 401, 'UNAUTHORIZED');
    expect(res.body.error.message).toContain('not valid');
    await expect(snapshot(srv.ts)).resolves.toEqual(before);
  });

  it.each([
    ['Basic credentials', () => 'Basic dXNlcjpwYXNz'],
    ['the scheme only', () => 'Bearer'],
    ['the scheme and spaces', () => 'Bearer   '],
    ['the token without a scheme', () => srv.ts.token],
    ['two tokens', () => `Bearer ${srv.ts.token} ${srv.ts.token}`],
    ['another scheme with the right token', () => `Token ${srv.ts.token}`],
    ['the token with a suffix', () => `Bearer ${srv.ts.token}x`],
    ['a truncated token', () => `Bearer ${srv.ts.token.slice(0, -1)}`],
  ])('GIVEN an Authorization header with %s WHEN a zone is listed THEN 401', async (_what, header) => {
    expectApiError(await srv.ts.raw('GET', '/v1/zones', undefined, { authorization: header() }), 401, 'UNAUTHORIZED');
  });

  it('GIVEN malformed JSON without a token WHEN POSTed THEN 401 comes before the body is parsed', async () => {
    expectApiError(await srv.ts.raw('POST', '/v1/zones', '{oops', { 'content-type': 'application/json' }), 401, 'UNAUTHORIZED');
  });

  it('GIVEN the right token with a lower-case scheme WHEN listing THEN 200 (the scheme is case-insensitive)', async () => {
    expectStatus(await srv.ts.raw('GET', '/v1/zones', undefined, { authorization: `bearer ${srv.ts.token}` }), 200);
  });

  it('GIVEN no token WHEN /healthz is called THEN 200 with status and version', async () => {
    const res = await srv.ts.raw('GET', '/healthz');
    expectStatus(res, 200);
    expect(res.body).toEqual({ status: 'ok', version: '0.1.0' });
  });
});

describe('the token file', () => {
  it('GIVEN no token configured WHEN the server starts THEN it writes a random token to <dataDir>/token with mode 0600 and accepts only it', async () => {
    const file = path.join(srv.ts.dataDir, TOKEN_FILE);
    const stat = fs.statSync(file);
    expect(stat.mode & 0o777).toBe(0o600);
    expect(fs.readFileSync(file, 'utf8')).toBe(`${srv.ts.token}\n`);
    expect(srv.ts.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expectStatus(await srv.ts.api('GET', '/v1/zones'), 200);
  });

  it('GIVEN a server WHEN a zone is created with the token THEN the request is accepted (sanity for the 401 cases)', async () => {
    const zone = await srv.fx.zone();
    expect(await list(srv.ts, 'zones', { name: zone.name })).toEqual([zone]);
  });
});
