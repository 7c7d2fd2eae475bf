/**
 * The import-cycle check in the test command (madge, configured in .madgerc): it reports
 * none over the repository, and it does fail on a cycle, type-only imports included.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');
const MADGE = path.join(ROOT, 'node_modules', '.bin', 'madge');

function madge(...args: string[]) {
  return spawnSync(MADGE, ['--circular', '--no-spinner', ...args], { cwd: ROOT, encoding: 'utf8' });
}

describe('the import-cycle check', () => {
  it('GIVEN the repository WHEN npm run check:cycles runs THEN it finds no cycle and covers every source folder', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts.test).toContain('npm run check:cycles');
    const folders = pkg.scripts['check:cycles'].split(' ').slice(2);
    const sources = fs.readdirSync(ROOT).filter((d) => fs.existsSync(path.join(ROOT, d, 'index.ts')) || ['server', 'test', 'stacks', 'cli', 'bench', 'lib', 'hosts'].includes(d));
    for (const d of sources) expect(folders).toContain(d);
    const run = madge(...folders);
    expect(run.stdout + run.stderr).toMatch(/No circular dependency found/);
    expect(run.status).toBe(0);
  });

  it('GIVEN two modules that import each other (one only a type) WHEN checked THEN it fails naming them', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netforge-cycle-'));
    try {
      fs.writeFileSync(path.join(dir, 'a.ts'), "import { b } from './b';\nexport const a = () => b;\n");
      fs.writeFileSync(path.join(dir, 'b.ts'), "import type { A } from './c';\nexport const b = 1;\nexport type B = A;\n");
      fs.writeFileSync(path.join(dir, 'c.ts'), "import { a } from './a';\nexport type A = ReturnType<typeof a>;\n");
      const run = madge(dir);
      expect(run.status).not.toBe(0);
      expect(run.stdout).toMatch(/a\.ts > .*b\.ts > .*c\.ts|Found 1 circular/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
