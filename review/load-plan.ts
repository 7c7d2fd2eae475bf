/**
 * Where a plan comes from: a `terraform show -json` file, a binary plan file (shown with
 * `terraform show -json` in its directory, which must be initialized), or the CDKTF app
 * (`cdktf synth`, then `terraform init` and `terraform plan -out plan` in its stack directory).
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parsePlan, PlanFormatError, type Plan } from './plan';

export class ReviewUsageError extends Error {}

/** `cdktf synth` or `terraform plan` refused the change (e.g. a rule the constructs or the provider check). */
export class PlanFailedError extends Error {
  constructor(
    readonly step: string,
    readonly output: string,
  ) {
    super(`${step} failed`);
  }
}

/** Terraform's and cdktf's output without colours or spinner frames. */
function clean(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '').replace(/\r/g, '').trim();
}

export interface LoadedPlan {
  plan: Plan;
  /** What was reviewed, for the report: a file name or "app stack <name>". */
  source: string;
}

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function runCommand(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<CommandResult> {
  return new Promise((resolve) => {
    execFile(command, args, { cwd, env, maxBuffer: 256 << 20 }, (err, stdout, stderr) => {
      const e = err as (NodeJS.ErrnoException & { code?: number | string }) | null;
      if (e && typeof e.code === 'string') {
        resolve({ code: 127, stdout: '', stderr: `cannot run ${command}: ${e.message}` });
        return;
      }
      resolve({ code: e ? (typeof e.code === 'number' ? e.code : 1) : 0, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}

/** Environment for terraform and cdktf: no checkpoint calls, no prompts, no colours. */
export function toolEnv(base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...base, CHECKPOINT_DISABLE: '1', TF_IN_AUTOMATION: '1', TF_INPUT: '0', CI: base.CI ?? '1', FORCE_COLOR: '0' };
  // A CLI config path that points at nothing only makes terraform warn on every command.
  if (env.TF_CLI_CONFIG_FILE && !fs.existsSync(env.TF_CLI_CONFIG_FILE)) delete env.TF_CLI_CONFIG_FILE;
  return env;
}

/**
 * The errors in cdktf synth's output (which also dumps whole construct trees): each
 * "SomethingError: message" line with the lines that continue it, up to its stack trace.
 */
export function synthErrors(output: string): string {
  const lines = output.split('\n');
  const found: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!/^[A-Za-z]*Error: /.test(lines[i]) || /^Error:\s+non-zero exit code/.test(lines[i])) continue;
    const block = [lines[i]];
    for (let j = i + 1; j < lines.length && lines[j].trim() !== '' && !/^\s+at /.test(lines[j]) && block.length < 40; j++) block.push(lines[j]);
    const text = block.join('\n');
    if (!found.includes(text)) found.push(text);
  }
  return found.length > 0 ? found.join('\n\n') : lines.slice(-40).join('\n');
}

function failed(what: string, r: CommandResult): Error {
  const out = (r.stderr.trim() || r.stdout.trim()).split('\n').slice(-40).join('\n');
  return new Error(`${what} failed (exit ${r.code})${out ? `:\n${out}` : ''}`);
}

async function showJson(terraform: string, planFile: string, env: NodeJS.ProcessEnv): Promise<unknown> {
  const dir = path.dirname(path.resolve(planFile));
  const r = await runCommand(terraform, ['show', '-json', '-no-color', path.basename(planFile)], dir, env);
  if (r.code !== 0) throw failed(`terraform show -json ${planFile}`, r);
  return JSON.parse(r.stdout);
}

/** A plan file: JSON text is parsed as is; anything else is a binary plan for `terraform show -json`. */
export async function loadPlanFile(file: string, opts: { terraform: string; env?: NodeJS.ProcessEnv }): Promise<LoadedPlan> {
  if (!fs.existsSync(file)) throw new ReviewUsageError(`plan file ${file} does not exist`);
  const head = fs.readFileSync(file).subarray(0, 64).toString('utf8').trimStart();
  let json: unknown;
  if (head.startsWith('{')) {
    try {
      json = JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch (err) {
      throw new PlanFormatError(`${file} is not valid JSON: ${(err as Error).message}`);
    }
  } else {
    json = await showJson(opts.terraform, file, opts.env ?? toolEnv());
  }
  return { plan: parsePlan(json), source: path.basename(file) };
}

/** node_modules/.bin/cdktf of the project (cwd upwards), else of this package, else PATH. */
export function cdktfBinary(cwd: string): string {
  for (let dir = path.resolve(cwd); ; dir = path.dirname(dir)) {
    const bin = path.join(dir, 'node_modules', '.bin', 'cdktf');
    if (fs.existsSync(bin)) return bin;
    if (path.dirname(dir) === dir) break;
  }
  for (const up of [['..'], ['..', '..']]) {
    const bin = path.join(__dirname, ...up, 'node_modules', '.bin', 'cdktf');
    if (fs.existsSync(bin)) return bin;
  }
  return 'cdktf';
}

export interface AppOptions {
  /** Directory with cdktf.json. */
  projectDir: string;
  stack?: string;
  terraform: string;
  env?: NodeJS.ProcessEnv;
  /** Progress lines (stderr in the CLI). */
  log?: (line: string) => void;
}

/** Synthesizes the CDKTF app and plans one stack with terraform; the plan file stays in the stack dir. */
export async function loadAppPlan(opts: AppOptions): Promise<LoadedPlan> {
  const env = opts.env ?? toolEnv();
  const log = opts.log ?? (() => undefined);
  const cdktfJson = path.join(opts.projectDir, 'cdktf.json');
  if (!fs.existsSync(cdktfJson)) throw new ReviewUsageError(`--app needs a CDKTF project: ${cdktfJson} does not exist`);
  const output = (JSON.parse(fs.readFileSync(cdktfJson, 'utf8')) as { output?: string }).output ?? 'cdktf.out';
  log(`netforge review: cdktf synth`);
  const synth = await runCommand(cdktfBinary(opts.projectDir), ['synth', ...(opts.stack ? [opts.stack] : [])], opts.projectDir, env);
  if (synth.code !== 0) throw new PlanFailedError('cdktf synth', synthErrors(clean(`${synth.stdout}\n${synth.stderr}`)));
  const stacksDir = path.join(opts.projectDir, output, 'stacks');
  const stacks = fs.existsSync(stacksDir) ? fs.readdirSync(stacksDir).filter((d) => fs.statSync(path.join(stacksDir, d)).isDirectory()).sort() : [];
  const stack = opts.stack ?? (stacks.length === 1 ? stacks[0] : undefined);
  if (!stack) {
    throw new ReviewUsageError(stacks.length === 0 ? `cdktf synth wrote no stack into ${stacksDir}` : `the app has several stacks (${stacks.join(', ')}): pick one with --stack`);
  }
  const dir = path.join(stacksDir, stack);
  if (!stacks.includes(stack)) throw new ReviewUsageError(`no stack ${stack} in ${stacksDir} (found: ${stacks.join(', ') || 'none'})`);
  log(`netforge review: terraform init (${path.relative(opts.projectDir, dir)})`);
  const init = await runCommand(opts.terraform, ['init', '-input=false', '-no-color'], dir, env);
  if (init.code !== 0) throw failed('terraform init', init);
  log('netforge review: terraform plan -out plan');
  const plan = await runCommand(opts.terraform, ['plan', '-input=false', '-no-color', '-out', 'plan'], dir, env);
  if (plan.code !== 0) throw new PlanFailedError('terraform plan', clean(plan.stderr || plan.stdout));
  return { plan: parsePlan(await showJson(opts.terraform, path.join(dir, 'plan'), env)), source: `app stack ${stack}` };
}
