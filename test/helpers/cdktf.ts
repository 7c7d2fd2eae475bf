/**
 * Runs the real cdktf CLI on a project directory (its own process group, killed after a
 * timeout), as the end-to-end suites that deploy stacks do.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from './netns-lab';
import { terraformBinary } from './terraform';

export const CDKTF = path.join(REPO_ROOT, 'node_modules', '.bin', 'cdktf');
const TSX = path.join(REPO_ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');

// eslint-disable-next-line no-control-regex
export const stripAnsi = (text: string) => text.replace(/\u001b\[[0-9;]*[A-Za-z]/g, '');

export interface CdktfRun {
  code: number;
  out: string;
  seconds: number;
}

/** Writes a cdktf.json whose app is `app` (a TypeScript file run with tsx). */
export function cdktfProject(dir: string, app: string): void {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(
    path.join(dir, 'cdktf.json'),
    JSON.stringify({ language: 'typescript', app: `${process.execPath} ${TSX} ${app}`, sendCrashReports: 'false', terraformProviders: [], context: {} }),
  );
}

export interface CdktfRunner {
  run(args: string[], env?: Record<string, string>): Promise<CdktfRun>;
  /** Kills what is still running (afterAll). */
  killAll(): void;
}

function killGroup(pid: number): void {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

/**
 * A runner for `project` against a server; `base` is added to every run's environment
 * (variables named `dropPrefix`* are removed from the inherited one first).
 */
export function cdktfRunner(project: string, server: () => { url: string; token: string }, timeoutMs: number, base: Record<string, string> = {}, dropPrefix = 'NETFORGE_LAB_'): CdktfRunner {
  const running = new Set<number>();
  return {
    run(args, edit = {}) {
      const env: NodeJS.ProcessEnv = { ...process.env };
      for (const k of Object.keys(env)) if (k.startsWith(dropPrefix)) delete env[k];
      const { url, token } = server();
      Object.assign(env, {
        CI: '1',
        CHECKPOINT_DISABLE: '1',
        NETFORGE_ENDPOINT: url,
        NETFORGE_TOKEN: token,
        TF_CLI_CONFIG_FILE: '',
        PATH: `${path.dirname(terraformBinary())}:${process.env.PATH ?? ''}`,
        ...base,
        ...edit,
      });
      const started = Date.now();
      return new Promise((resolve) => {
        const child = spawn(CDKTF, args, { cwd: project, env, detached: true });
        const pid = child.pid!;
        running.add(pid);
        let out = '';
        child.stdout.on('data', (d: Buffer) => (out += d.toString()));
        child.stderr.on('data', (d: Buffer) => (out += d.toString()));
        const timer = setTimeout(() => {
          out += `\n[test] cdktf ${args.join(' ')} killed after ${timeoutMs} ms\n`;
          killGroup(pid);
        }, timeoutMs);
        child.on('close', (code) => {
          clearTimeout(timer);
          running.delete(pid);
          resolve({ code: code ?? 1, out: stripAnsi(out), seconds: Math.round((Date.now() - started) / 100) / 10 });
        });
      });
    },
    killAll() {
      for (const pid of running) killGroup(pid);
    },
  };
}
