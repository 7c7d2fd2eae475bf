/**
 * The live topology page (/ui) in Debian's headless Chromium, driven by playwright-core: the
 * example stack deployed (ejected HCL, plain terraform), the page refuses without the token,
 * draws the stack's objects with it, redraws after an attach, and only ever reads. A
 * screenshot stays in test-artifacts/ui/.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { ejectedEnv, ejectTo, synthExampleHcl, terraformIn } from '../helpers/example-hcl';
import { REPO_ROOT } from '../helpers/netns-lab';
import { startTestServer, type TestServer } from '../helpers/server';

jest.setTimeout(240_000);

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = path.join(REPO_ROOT, 'test-artifacts', 'ui');

describe('the live topology page', () => {
  let s: TestServer;
  let root: string;
  let browser: Browser;
  let page: Page;
  const requests: Array<{ method: string; url: string }> = [];

  /** The diagram's text, once the page shows `want` (it polls every 2 s). */
  const diagramShowing = async (want: string) => {
    await page.locator('#diagram svg').filter({ hasText: want }).waitFor({ timeout: 20_000 });
    return (await page.locator('#diagram svg').textContent()) ?? '';
  };

  beforeAll(async () => {
    if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: the setup script installs Debian's chromium package`);
    s = await startTestServer();
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'netforge-ui-'));
    const env = await ejectedEnv(root, s);
    const synth = await synthExampleHcl(root, env);
    if (synth.code !== 0) throw new Error(`cdktf synth --hcl failed:\n${synth.out}`);
    const dir = path.join(root, 'ejected');
    ejectTo(synth.stackDir, dir);
    const terraform = terraformIn(dir, env);
    for (const step of [['init'], ['apply', '-auto-approve']]) {
      const r = await terraform(...step);
      if (r.code !== 0) throw new Error(`terraform ${step.join(' ')} failed:\n${r.out}`);
    }
    // Root in CI: Chromium's sandbox needs user namespaces it can't have there.
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    page = await browser.newPage({ viewport: { width: 1600, height: 1200 } });
    page.on('request', (r) => requests.push({ method: r.method(), url: r.url() }));
  });
  afterAll(async () => {
    await browser?.close();
    if (root) fs.rmSync(root, { recursive: true, force: true });
    await s?.stop();
  });

  test('GIVEN no token THEN the page shows no topology and says it needs the token; the data is refused', async () => {
    await page.goto(`${s.url}/ui`);
    await page.locator('body[data-state="refused"]').waitFor();
    expect(await page.locator('#refused-reason').textContent()).toMatch(/needs the server's token/);
    expect(await page.locator('#content').isHidden()).toBe(true);
    expect(await page.locator('#diagram svg').count()).toBe(0);
    const res = await fetch(`${s.url}/v1/overview`);
    expect(res.status).toBe(401);

    // A wrong token is refused too, and forgotten.
    await page.goto(`${s.url}/ui#token=not-the-token`);
    await page.locator('body[data-state="refused"] #refused-reason', { hasText: 'refused the token' }).waitFor();
    expect(await page.evaluate(() => (globalThis as unknown as { sessionStorage: { getItem(k: string): string | null } }).sessionStorage.getItem('netforge-token'))).toBeNull();
  });

  test('GIVEN the token in the fragment THEN the page draws the example stack and drops the token from the address bar', async () => {
    await page.goto(`${s.url}/ui#token=${s.token}`);
    const text = await diagramShowing('zone zone1');
    for (const want of ['cluster cluster1 · Simulator · 2 hosts', 'cluster cluster2', 'host host1-1', 'host host2-2', 'L2 l2-public', 'L2 l2-private', 'VXLAN 5000 on eth0', 'realized on 4 of 4 hosts', 'realized on 2 of 2 hosts', 'L3 l3-public', '192.168.100.0/24', 'range public-1', 'DHCP, DNS, SNAT', 'VM vm-web', 'VM vm-db', '203.0.113.50']) {
      expect({ want, found: text.includes(want) }).toEqual({ want, found: true });
    }
    expect(text).toMatch(/\d+ of 140 addresses used/);
    expect(page.url()).toBe(`${s.url}/ui`);
    expect(await page.locator('#hosts tr').count()).toBe(4);
    expect(await page.locator('#vms').textContent()).toMatch(/vm-web/);
  });

  test('GIVEN the page open WHEN an L2 is attached to a cluster THEN it redraws with the new attachment and its realization', async () => {
    const revision = () => page.locator('body').getAttribute('data-revision');
    const before = await revision();
    const zone = (await s.api('GET', '/v1/zones?name=zone1')).body[0];
    const cluster1 = (await s.api('GET', '/v1/clusters?name=cluster1')).body[0];
    const l2 = await s.api('POST', '/v1/l2-networks', { name: 'l2-storage', zoneUuid: zone.uuid, type: 'L2VlanNetwork', physicalInterface: 'eth1', vlan: 300 });
    expect(l2.status).toBe(201);
    const text0 = await diagramShowing('L2 l2-storage');
    expect(text0).toContain('attached to no cluster');
    expect((await s.api('POST', '/v1/l2-cluster-attachments', { l2NetworkUuid: l2.body.uuid, clusterUuid: cluster1.uuid })).status).toBe(201);
    const text = await diagramShowing('VLAN 300 on eth1realized on 2 of 2 hosts');
    expect(text).toContain('l2-storage ✓');
    expect(await revision()).not.toBe(before);
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    const shot = path.join(ARTIFACTS, 'topology.png');
    await page.screenshot({ path: shot, fullPage: true });
    expect(fs.readFileSync(shot).subarray(1, 4).toString()).toBe('PNG');
    expect(fs.statSync(shot).size).toBeGreaterThan(20_000);
  });

  test('GIVEN everything the page asked for THEN it only ever read: GETs of the page, its scripts and /v1/overview', () => {
    expect(requests.length).toBeGreaterThan(3);
    const paths = new Set(requests.map((r) => `${r.method} ${new URL(r.url).pathname}`));
    expect([...paths].sort()).toEqual(['GET /ui', 'GET /ui/mermaid.min.js', 'GET /ui/page.js', 'GET /v1/overview']);
  });
});
