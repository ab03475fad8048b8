// The bundled child of `sweep --jobs N` is reused only while every file that went into it is
// unchanged (src/cli/worker-bundle.ts).
import { mkdtempSync, readFileSync, utimesSync, writeFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { unchanged, workerEntry } from '../../src/cli/worker-bundle';

describe('the sweep worker bundle', () => {
  it('is bundled once, then reused while its inputs are unchanged', async () => {
    const first = await workerEntry('sweep-worker');
    expect(first.path).toMatch(/build\/cli\/sweep-worker\.mjs$/);
    expect(first.execArgv).toEqual([]);
    const second = await workerEntry('sweep-worker');
    expect(second).toEqual({ ...first, cached: true });
  }, 60_000);

  it('imports packages from node_modules instead of holding them (their top-level consts stay consts V8 can fold)', async () => {
    const { path } = await workerEntry('sweep-worker');
    const bundle = readFileSync(path, 'utf8');
    expect(bundle).toMatch(/from ["']@noble\/hashes\//);
    expect(bundle).toMatch(/from ["']yaml["']/);
    expect(bundle).not.toMatch(/SHA256_K\s*=/); // noble's own module defines it, as a const
  }, 60_000);

  it('counts as stale when an input changes size or time, disappears, or the manifest is damaged', () => {
    const dir = mkdtempSync(join(tmpdir(), 'agentos-bundle-'));
    try {
      const a = join(dir, 'a.ts'), b = join(dir, 'b.ts'), bundle = join(dir, 'out.mjs'), manifest = join(dir, 'out.inputs.json');
      writeFileSync(a, 'export const a = 1;');
      writeFileSync(b, 'export const b = 2;');
      const past = new Date('2026-01-01T00:00:00Z');
      utimesSync(a, past, past);
      utimesSync(b, past, past);
      writeFileSync(bundle, '// bundle');
      const entry = (path: string) => [path.slice(dir.length + 1), statSync(path).size, statSync(path).mtimeMs];
      writeFileSync(manifest, JSON.stringify({ version: 1, cwd: dir, inputs: [entry(a), entry(b)] }));
      expect(unchanged(manifest, bundle)).toBe(false); // a version-1 bundle holds the packages: made again
      writeFileSync(manifest, JSON.stringify({ version: 2, cwd: dir, inputs: [entry(a), entry(b)] }));
      expect(unchanged(manifest, bundle)).toBe(true);

      const later = new Date('2026-02-01T00:00:00Z');
      utimesSync(b, later, later); // touched: same size, another time
      expect(unchanged(manifest, bundle)).toBe(false);
      utimesSync(b, past, past);
      expect(unchanged(manifest, bundle)).toBe(true);

      writeFileSync(a, 'export const a = 10;'); // edited
      expect(unchanged(manifest, bundle)).toBe(false);
      writeFileSync(manifest, JSON.stringify({ version: 2, cwd: dir, inputs: [entry(a), entry(b)] }));
      rmSync(b);
      expect(unchanged(manifest, bundle)).toBe(false);
      writeFileSync(manifest, '{"version": 2, "inputs": ');
      expect(unchanged(manifest, bundle)).toBe(false);
      expect(unchanged(join(dir, 'missing.json'), bundle)).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
