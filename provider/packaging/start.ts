/**
 * The package's entry (bundled to start.js): runs the provider bundle through V8's code cache.
 * Terraform starts a provider 3 to 5 times per command, and compiling the 1.2 MB bundle is
 * about 40% of a start (55 of ~300 ms measured; start-up fell to ~180 ms with the cache).
 *
 * The cache can't ship in the package: V8's cached data differs from one build to the next,
 * and Terraform checks the package's files against the lock file's hash. So it is made at the
 * first start, into the user's cache directory, keyed by the bundle's hash and by node's
 * version; a missing, stale or rejected cache only costs that speed, never the start.
 * Node 22's module.enableCompileCache() does the same; we run on node 20.
 *
 * It says what happened in one stderr line, which go-plugin logs at debug level.
 */
import * as fs from 'node:fs';
import Module from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vm from 'node:vm';

/** esbuild's `define`: the bundle's file name and the first hex digits of its sha256. */
declare const __PROVIDER_BUNDLE__: { file: string; sha256: string };

/** Where code caches go: NETFORGE_CODE_CACHE_DIR, else $XDG_CACHE_HOME/netforge, else ~/.cache/netforge. */
export function codeCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.NETFORGE_CODE_CACHE_DIR) return env.NETFORGE_CODE_CACHE_DIR;
  return path.join(env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'netforge');
}

/** Code caches kept: one per build and node version, so older builds' go once this many are newer. */
export const CODE_CACHES_KEPT = 8;

/** A partial write older than this was left by a provider that died mid-write. */
const STALE_PARTIAL_MS = 10 * 60_000;

/** Drops all but the CODE_CACHES_KEPT most recently written provider caches (never `keep`), and stale partial writes. */
export function pruneCodeCaches(dir: string, keep: string): void {
  const now = Date.now();
  for (const f of fs.readdirSync(dir).filter((name) => /^provider-.*\.v8cache\.\d+\.tmp$/.test(name))) {
    const file = path.join(dir, f);
    if (now - fs.statSync(file).mtimeMs > STALE_PARTIAL_MS) fs.rmSync(file, { force: true });
  }
  const caches = fs
    .readdirSync(dir)
    .filter((f) => /^provider-.*\.v8cache$/.test(f))
    .map((f) => path.join(dir, f))
    .filter((f) => f !== keep)
    .map((f) => ({ f, at: fs.statSync(f).mtimeMs }))
    .sort((a, b) => b.at - a.at);
  for (const { f } of caches.slice(CODE_CACHES_KEPT - 1)) fs.rmSync(f, { force: true });
}

/**
 * Whether `dir` (made 0700 when missing) can be trusted with code: V8 runs cached code without
 * checking it against the source, so a directory others can write would let them run code in
 * the provider, which holds the server's token.
 */
export function isPrivateDir(dir: string): boolean {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const st = fs.lstatSync(dir);
  return st.isDirectory() && st.uid === process.getuid?.() && (st.mode & 0o022) === 0;
}

function runBundle(): void {
  const bundleFile = path.join(__dirname, __PROVIDER_BUNDLE__.file);
  const cacheDir = codeCacheDir();
  const cacheFile = path.join(cacheDir, `provider-${__PROVIDER_BUNDLE__.sha256}-${process.version}-${process.arch}.v8cache`);
  const source = fs.readFileSync(bundleFile, 'utf8');
  let usable = false;
  try {
    usable = isPrivateDir(cacheDir);
  } catch {
    // no cache directory (read-only home): start without one
  }
  let cachedData: Buffer | undefined;
  if (usable) {
    try {
      cachedData = fs.readFileSync(cacheFile);
    } catch {
      // first start of this build on this node
    }
  }
  const script = new vm.Script(Module.wrap(source), { filename: bundleFile, cachedData });
  let outcome = !usable ? 'not used: the directory is missing, not ours, or writable by others' : cachedData ? (script.cachedDataRejected ? 'rejected, rewritten' : 'used') : 'written';
  if (usable && (!cachedData || script.cachedDataRejected)) {
    try {
      // Write then rename: a provider started alongside reads a whole file or none.
      const partial = `${cacheFile}.${process.pid}.tmp`;
      fs.writeFileSync(partial, script.createCachedData(), { mode: 0o600 });
      fs.renameSync(partial, cacheFile);
      pruneCodeCaches(cacheDir, cacheFile);
    } catch (err) {
      outcome = `not written (${(err as Error).message})`;
    }
  }
  process.stderr.write(`[DEBUG] netforge provider code cache ${cacheFile}: ${outcome}\n`);
  const bundle = new Module(bundleFile, module);
  bundle.filename = bundleFile;
  const wrapper = script.runInThisContext() as (exports: unknown, require: NodeJS.Require, module: Module, filename: string, dirname: string) => void;
  wrapper.call(bundle.exports, bundle.exports, Module.createRequire(bundleFile), bundle, bundleFile, __dirname);
}

if (typeof __PROVIDER_BUNDLE__ !== 'undefined') runBundle();
