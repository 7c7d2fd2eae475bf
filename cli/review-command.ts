/**
 * `netforge review`: a planned change as a report a reviewer reads in a minute (Markdown
 * for a pull-request comment, or JSON), validated against the control server's topology.
 * Exit codes: 0 clean, 1 rule violations (or the change can't be synthesized/planned), 2 usage or
 * internal error, 3 --fail-on hit.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { loadAppPlan, loadPlanFile, PlanFailedError, ReviewUsageError, toolEnv, type LoadedPlan } from '../review/load-plan';
import { PlanFormatError } from '../review/plan';
import { renderJson, renderMarkdown, renderPlanFailure } from '../review/render';
import { EXIT, FAIL_ON, isFailOn, reviewPlan, type FailOn } from '../review/review';
import { ServerAuthError } from '../review/server';

export interface ReviewCliOptions {
  app?: boolean;
  stack?: string;
  format?: string;
  out?: string;
  endpoint?: string;
  token?: string;
  offline?: boolean;
  failOn?: FailOn[];
  terraform?: string;
}

export interface ReviewIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  cwd: string;
  env: NodeJS.ProcessEnv;
}

function failOnList(value: string): FailOn[] {
  const items = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const i of items) if (!isFailOn(i)) throw new InvalidArgumentError(`expected a list of ${FAIL_ON.join(', ')}; got ${JSON.stringify(i)}`);
  return items.filter(isFailOn);
}

/** The whole command; returns the exit code. */
export async function runReview(planFile: string | undefined, opts: ReviewCliOptions, io: ReviewIo): Promise<number> {
  try {
    const format = opts.format ?? 'markdown';
    if (format !== 'markdown' && format !== 'json') throw new ReviewUsageError(`--format must be markdown or json, got ${JSON.stringify(format)}`);
    if (opts.app && planFile) throw new ReviewUsageError('give either a plan file or --app, not both');
    const terraform = opts.terraform ?? io.env.NETFORGE_TERRAFORM ?? 'terraform';
    const env = toolEnv(io.env);
    let loaded: LoadedPlan;
    if (opts.app) {
      loaded = await loadAppPlan({ projectDir: io.cwd, stack: opts.stack, terraform, env, log: (l) => io.stderr(`${l}\n`) });
    } else if (planFile) {
      loaded = await loadPlanFile(path.resolve(io.cwd, planFile), { terraform, env });
    } else {
      throw new ReviewUsageError('nothing to review: give a plan file (binary or `terraform show -json` output) or --app');
    }
    const review = await reviewPlan(loaded, { endpoint: opts.endpoint, token: opts.token, env: io.env, cwd: io.cwd, offline: opts.offline, failOn: opts.failOn });
    const text = format === 'json' ? renderJson(review) : renderMarkdown(review);
    if (opts.out) {
      fs.writeFileSync(path.resolve(io.cwd, opts.out), text);
      const s = review.summary;
      io.stderr(
        `netforge review: ${s.violations} violation(s); ${s.create} to create, ${s.update} to update, ${s.replace} to replace, ${s.delete} to delete; ` +
          `${review.validation.stateDependentRulesChecked ? 'checked by the server' : 'stateless rules only: state-dependent rules NOT checked'}; report in ${opts.out}\n`,
      );
    } else io.stdout(text);
    return review.exitCode;
  } catch (err) {
    if (err instanceof PlanFailedError) {
      // Still a report: in CI this is what the pull request needs to see.
      const text = renderPlanFailure(err.step, err.output, opts.format === 'json' ? 'json' : 'markdown');
      if (opts.out) {
        fs.writeFileSync(path.resolve(io.cwd, opts.out), text);
        io.stderr(`netforge review: ${err.step} failed; report in ${opts.out}\n`);
      } else io.stdout(text);
      return EXIT.violations;
    }
    const known = err instanceof ReviewUsageError || err instanceof PlanFormatError || err instanceof ServerAuthError;
    io.stderr(`netforge review: ${err instanceof Error ? err.message : String(err)}\n`);
    if (!known && io.env.NETFORGE_DEBUG && err instanceof Error) io.stderr(`${err.stack}\n`);
    return EXIT.usage;
  }
}

export function reviewCommand(): Command {
  return new Command('review')
    .description('review a planned change: validate it against the server, explain it in network terms, draw the resulting topology (Markdown or JSON)')
    .argument('[plan]', 'a binary plan file (shown with `terraform show -json` in its directory) or `terraform show -json` output')
    .option('--app', 'synthesize the CDKTF app (cdktf.json here), then terraform init and plan -out plan in cdktf.out/stacks/<stack>')
    .option('--stack <name>', 'stack to plan with --app (default: the only one)')
    .option('--format <format>', 'markdown or json', 'markdown')
    .option('--out <file>', 'write the report to a file instead of stdout')
    .option('--endpoint <url>', 'server URL (env NETFORGE_ENDPOINT, default http://127.0.0.1:8787)')
    .option('--token <token>', "bearer token (env NETFORGE_TOKEN, else NETFORGE_DATA_DIR/token or the nearest .netforge/token)")
    .option('--offline', "don't ask the server: check stateless rules only")
    .option('--fail-on <gates>', 'also fail (exit 3) on these, comma-separated: delete, replace (planned actions), world-open (a new ingress rule open to anyone)', failOnList)
    .option('--terraform <path>', 'terraform binary (env NETFORGE_TERRAFORM, default terraform on PATH)')
    .addHelpText(
      'after',
      '\nExit codes: 0 clean, 1 rule violations (or --app could not synthesize or plan), 2 usage or internal error, 3 a --fail-on gate is hit.\n' +
        'Without a reachable server only stateless rules are checked, and the report says so.',
    )
    .exitOverride((err: CommanderError) => {
      // Help and version exit 0; every other command-line mistake is a usage error.
      process.exit(err.exitCode === 0 ? 0 : EXIT.usage);
    })
    .action(async (planFile: string | undefined, opts: ReviewCliOptions) => {
      process.exitCode = await runReview(planFile, opts, {
        stdout: (t) => process.stdout.write(t),
        stderr: (t) => process.stderr.write(t),
        cwd: process.cwd(),
        env: process.env,
      });
    });
}
