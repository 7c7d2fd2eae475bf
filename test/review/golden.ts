/**
 * Golden files for review reports. Reports are normalized first (uuids become UUID-1,
 * UUID-2, ... in order of appearance; the server's port, temp paths and the terraform
 * version become placeholders). UPDATE_GOLDEN=1 rewrites the files instead of comparing.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFile } from 'node:child_process';

export const GOLDEN_DIR = path.join(__dirname, 'golden');
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

export function normalize(text: string): string {
  const seen = new Map<string, string>();
  const tmp = fs.realpathSync(os.tmpdir());
  return text
    .replace(UUID, (u) => {
      const key = u.toLowerCase();
      if (!seen.has(key)) seen.set(key, `UUID-${seen.size + 1}`);
      return seen.get(key)!;
    })
    .replace(/(https?:\/\/(?:127\.0\.0\.1|localhost)):\d+/g, '$1:PORT')
    .split(tmp)
    .join('TMP')
    .replace(/Terraform \d+\.\d+\.\d+/g, 'Terraform X.Y.Z')
    .replace(/"terraformVersion": "[^"]*"/g, '"terraformVersion": "X.Y.Z"');
}

/** Compares with (or, with UPDATE_GOLDEN=1, writes) test/review/golden/<name>. */
export function expectGolden(name: string, text: string): void {
  const file = path.join(GOLDEN_DIR, name);
  const actual = normalize(text);
  if (process.env.UPDATE_GOLDEN === '1') {
    fs.mkdirSync(GOLDEN_DIR, { recursive: true });
    fs.writeFileSync(file, actual);
    return;
  }
  if (!fs.existsSync(file)) throw new Error(`golden file ${file} is missing; run UPDATE_GOLDEN=1 npx jest test/review to create it`);
  expect(actual).toBe(fs.readFileSync(file, 'utf8'));
}

export interface ParsedMermaid {
  ok: boolean;
  error?: string;
  type?: string;
  /** shape: mermaid's vertex type (square, round, circle, lean_right, trapezoid, subroutine, odd, ...). */
  vertices: Array<{ id: string; text: string; classes: string[]; shape?: string }>;
  edges: Array<{ start: string; end: string; text: string }>;
  subgraphs: Array<{ id: string; title: string; nodes: string[]; classes: string[] }>;
  classes: string[];
}

/** Parses diagrams with mermaid's own flowchart parser (mermaid + jsdom, in a child process). */
export function parseMermaid(diagrams: string[]): Promise<ParsedMermaid[]> {
  return new Promise((resolve, reject) => {
    const child = execFile(process.execPath, [path.join(__dirname, 'mermaid-parse.mjs')], { maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`mermaid-parse failed: ${err.message}\n${stderr}`));
      else resolve(JSON.parse(stdout) as ParsedMermaid[]);
    });
    child.stdin!.end(JSON.stringify(diagrams));
  });
}
