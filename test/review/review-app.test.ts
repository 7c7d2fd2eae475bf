/**
 * `netforge review --app`: synthesizes a CDKTF app with the real cdktf CLI, plans its stack
 * with the real terraform (offline: the constructs place the provider in the stack dir),
 * and reviews the plan against a real server; a change the constructs refuse at synth
 * still yields a report.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runReview, type ReviewCliOptions } from '../../cli/review-command';
import { startTestServer, type TestServer } from '../helpers/server';
import { terraformBinary } from '../helpers/terraform';

jest.setTimeout(120_000);

const REPO = path.resolve(__dirname, '..', '..');
const TSX = path.join(REPO, 'node_modules', 'tsx', 'dist', 'cli.mjs');
const APP = path.join(__dirname, 'fixtures', 'review-app.ts');

describe('netforge review --app', () => {
  let s: TestServer;
  let project: string;

  const review = async (opts: ReviewCliOptions, env: NodeJS.ProcessEnv = {}) => {
    let stdout = '';
    let stderr = '';
    const code = await runReview(undefined, { app: true, ...opts }, {
      stdout: (t) => (stdout += t),
      stderr: (t) => (stderr += t),
      cwd: project,
      env: { ...process.env, NETFORGE_ENDPOINT: s.url, NETFORGE_TOKEN: s.token, NETFORGE_TERRAFORM: terraformBinary(), ...env },
    });
    return { code, stdout, stderr };
  };

  beforeAll(async () => {
    s = await startTestServer();
    project = fs.mkdtempSync(path.join(os.tmpdir(), 'netforge-review-app-'));
    fs.writeFileSync(
      path.join(project, 'cdktf.json'),
      JSON.stringify({ language: 'typescript', app: `${process.execPath} ${TSX} ${APP}`, sendCrashReports: 'false', terraformProviders: [], context: {} }),
    );
  });
  afterAll(async () => {
    if (project) fs.rmSync(project, { recursive: true, force: true });
    await s?.stop();
  });

  test('GIVEN the example app and an empty server WHEN reviewed with --app THEN it is synthesized, planned offline and checked by the server', async () => {
    const out = path.join(project, 'review.json');
    const r = await review({ format: 'json', out });
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/cdktf synth[\s\S]*terraform init[\s\S]*terraform plan -out plan[\s\S]*0 violation\(s\); 25 to create/);
    expect(r.code).toBe(0);
    const report = JSON.parse(fs.readFileSync(out, 'utf8'));
    expect(report.source).toBe('app stack review-example');
    expect(report.validation).toMatchObject({ mode: 'server', stateDependentRulesChecked: true });
    expect(report.validation.changes).toHaveLength(25);
    const summaries: string[] = report.changes.map((c: { summary: string }) => c.summary);
    expect(summaries).toEqual(expect.arrayContaining([expect.stringMatching(/^L2 \S+ attached to cluster2: realized on 2 hosts$/)]));
    expect(summaries).toEqual(expect.arrayContaining([expect.stringMatching(/^DHCP, DNS, SNAT from vrouter \(VirtualRouter\) on L3 /)]));
    // Where the server's dry run would run the example's router, and its public address on the uplink.
    const notes: string[] = report.changes.flatMap((c: { notes: string[] }) => c.notes);
    expect(notes).toEqual(expect.arrayContaining([expect.stringMatching(/served by virtual router vrouter-l3-public on host '\S+' at 192\.168\.100\.1; SNAT through 203\.0\.113\.50$/)]));
    expect(report.mermaid).toMatch(/^flowchart LR\n/);
    expect(fs.existsSync(path.join(project, 'cdktf.out', 'stacks', 'review-example', 'plan'))).toBe(true);
  });

  test('GIVEN a VLAN id the constructs refuse WHEN reviewed with --app THEN the report says synth failed and why, exit 1', async () => {
    const r = await review({}, { NETFORGE_REVIEW_BAD_VLAN: '5000' });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^## netforge review: ❌ `cdktf synth` failed/);
    expect(r.stdout).toContain('NetforgeValidationError: review-example/l2-bad: invalid L2VlanNetwork\n  vlan: VLAN id must be an integer from 1 to 4094, got 5000 [VLAN_OUT_OF_RANGE]');
    // Only the error, not the construct tree cdktf dumps with it.
    expect(r.stdout).not.toMatch(/Circular|TfToken/);
  });
});
