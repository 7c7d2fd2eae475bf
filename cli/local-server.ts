/** Finding or starting the bundled server for commands that need one (deploy, lab). */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export async function isServerUp(endpoint: string): Promise<boolean> {
  try {
    const res = await fetch(`${endpoint.replace(/\/$/, '')}/healthz`, { signal: AbortSignal.timeout(1000) });
    return res.ok;
  } catch {
    return false;
  }
}

/**
 * Starts `netforge server` detached with its log in the data dir, and waits until it
 * answers. Only for a loopback endpoint: a remote server is not ours to start.
 */
export async function startBundledServer(endpoint: string, dataDir: string, timeoutMs = 30_000): Promise<{ pid: number; log: string }> {
  const url = new URL(endpoint);
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)) {
    throw new Error(`no netforge server answers at ${endpoint}, and it is not a local address to start one on`);
  }
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const log = path.join(dataDir, 'server.log');
  const out = fs.openSync(log, 'a');
  const bin = path.join(__dirname, '..', '..', 'bin', 'netforge.js');
  const child = spawn(process.execPath, [bin, 'server', '--port', url.port || '8787', '--host', url.hostname.replace(/^\[|\]$/g, ''), '--data-dir', dataDir], {
    detached: true,
    stdio: ['ignore', out, out],
  });
  child.unref();
  fs.closeSync(out);
  fs.writeFileSync(path.join(dataDir, 'server.pid'), `${child.pid}\n`);
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await isServerUp(endpoint)) return { pid: child.pid!, log };
    if (child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`the netforge server did not come up at ${endpoint}; see ${log}`);
}
