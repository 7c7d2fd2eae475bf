/**
 * Runs the real terraform CLI against the netforge provider installed into a temp
 * filesystem mirror. Fails (never skips) when terraform is missing.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { installNetforgeProvider } from '../../cli/provider-command';

const run = promisify(execFile);

export function terraformBinary(): string {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter).concat('/usr/local/bin')) {
    const candidate = path.join(dir, 'terraform');
    if (fs.existsSync(candidate)) return candidate;
  }
  throw new Error('the terraform CLI is required for these tests and was not found on PATH or in /usr/local/bin');
}

export interface TfResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface TerraformWorkspace {
  dir: string;
  env: NodeJS.ProcessEnv;
  write(mainTf: string): void;
  tf(...args: string[]): Promise<TfResult>;
  /** Starts terraform without waiting (for Ctrl-C tests). */
  start(...args: string[]): ChildProcess;
  cleanup(): void;
}

/** Installs the provider once per workspace and prepares an environment for terraform. */
export async function terraformWorkspace(providerEnv: Record<string, string>): Promise<TerraformWorkspace> {
  const binary = terraformBinary();
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'netforge-tf-'));
  const dir = path.join(root, 'stack');
  fs.mkdirSync(dir);
  const installed = await installNetforgeProvider({ mirrorDir: path.join(root, 'mirror'), cliConfigFile: path.join(root, 'terraformrc') });
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    TF_CLI_CONFIG_FILE: installed.cliConfigFile,
    CHECKPOINT_DISABLE: '1',
    TF_IN_AUTOMATION: '1',
    TF_INPUT: '0',
    ...providerEnv,
  };
  return {
    dir,
    env,
    write: (mainTf) => fs.writeFileSync(path.join(dir, 'main.tf'), mainTf),
    tf: async (...args) => {
      try {
        const { stdout, stderr } = await run(binary, [...args], { cwd: dir, env, maxBuffer: 64 << 20 });
        return { code: 0, stdout, stderr };
      } catch (err) {
        const e = err as { code?: number; stdout?: string; stderr?: string };
        return { code: typeof e.code === 'number' ? e.code : 1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
      }
    },
    start: (...args) => spawn(binary, args, { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] }),
    cleanup: () => fs.rmSync(root, { recursive: true, force: true }),
  };
}

/** The terraform and provider blocks every netforge HCL fixture starts with. */
export function netforgeHclHeader(endpoint: string): string {
  return `terraform {
  required_providers {
    netforge = { source = "netforge/netforge", version = "0.1.0" }
  }
}
provider "netforge" { endpoint = "${endpoint}" }
`;
}
