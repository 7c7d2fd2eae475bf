/**
 * The example stack as plain HCL (`cdktf synth --hcl`), run with plain terraform and the
 * provider from `netforge provider install`'s mirror: what a team that ejected from CDKTF
 * has. The eject test and the topology page test deploy it this way.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { installNetforgeProvider } from '../../cli/provider-command';
import { CDKTF, cdktfProject, stripAnsi } from './cdktf';
import { REPO_ROOT } from './netns-lab';
import { terraformBinary } from './terraform';

const run = promisify(execFile);
const APP = path.join(REPO_ROOT, 'test', 'e2e-cdktf', 'fixtures', 'example-app.ts');
export const EXAMPLE_STACK = 'netforge-example';

export interface Ran {
  code: number;
  out: string;
}

export async function exec(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<Ran> {
  try {
    const { stdout, stderr } = await run(command, args, { cwd, env, maxBuffer: 64 << 20 });
    return { code: 0, out: stripAnsi(stdout + stderr) };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : 1, out: stripAnsi(`${e.stdout ?? ''}${e.stderr ?? ''}`) };
  }
}

/** terraform and cdktf against `server`, with the provider from a mirror installed under `root`. */
export async function ejectedEnv(root: string, server: { url: string; token: string }): Promise<NodeJS.ProcessEnv> {
  const installed = await installNetforgeProvider({ mirrorDir: path.join(root, 'mirror'), cliConfigFile: path.join(root, 'terraformrc') });
  return {
    ...process.env,
    CI: '1',
    CHECKPOINT_DISABLE: '1',
    TF_IN_AUTOMATION: '1',
    NETFORGE_ENDPOINT: server.url,
    NETFORGE_TOKEN: server.token,
    TF_CLI_CONFIG_FILE: installed.cliConfigFile,
    PATH: `${path.dirname(terraformBinary())}:${process.env.PATH}`,
  };
}

/** `cdktf synth --hcl` of the example stack in `root`/project; the synth's outcome and the stack directory it wrote. */
export async function synthExampleHcl(root: string, env: NodeJS.ProcessEnv): Promise<Ran & { stackDir: string }> {
  const project = path.join(root, 'project');
  cdktfProject(project, APP);
  const synth = await exec(CDKTF, ['synth', '--hcl'], project, env);
  return { ...synth, stackDir: path.join(project, 'cdktf.out', 'stacks', EXAMPLE_STACK) };
}

/** The eject: only the HCL is kept, as main.tf of `dir`. */
export function ejectTo(stackDir: string, dir: string): void {
  fs.mkdirSync(dir, { recursive: true });
  fs.copyFileSync(path.join(stackDir, 'cdk.tf'), path.join(dir, 'main.tf'));
}

export const terraformIn = (dir: string, env: NodeJS.ProcessEnv) => (...args: string[]) => exec(terraformBinary(), [...args, '-input=false', '-no-color'], dir, env);
