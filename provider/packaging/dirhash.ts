/**
 * Terraform's "h1:" package hash: Go's golang.org/x/mod/sumdb/dirhash Hash1 over the
 * provider's package directory. Lines "<sha256 hex>  <path>\n" for every file, sorted by
 * path (relative, "/"-separated), then "h1:" + base64(sha256(lines)).
 * Having it lets us write `.terraform.lock.hcl` without contacting a registry.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

export function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    for (const entry of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const child = rel === '' ? entry.name : `${rel}/${entry.name}`;
      if (entry.isDirectory()) walk(child);
      else out.push(child);
    }
  };
  walk('');
  // Go sorts by bytes; compare UTF-8 encodings rather than UTF-16 code units.
  return out.sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
}

export function hashFiles(files: readonly string[], open: (file: string) => Buffer): string {
  const summary = createHash('sha256');
  for (const file of files) {
    if (file.includes('\n')) throw new Error(`dirhash: file name with newline: ${JSON.stringify(file)}`);
    summary.update(`${createHash('sha256').update(open(file)).digest('hex')}  ${file}\n`);
  }
  return `h1:${summary.digest('base64')}`;
}

/** The h1: hash Terraform computes for a provider package directory. */
export function packageHashV1(dir: string): string {
  const files = listFiles(dir);
  return hashFiles(files, (file) => fs.readFileSync(path.join(dir, file)));
}
