// The spec's names (src/spec/keys.ts: what the parser validates with, in the kernel worker) and
// its words (src/spec/reference.ts: what the Reference panel and the editor's completion show,
// fetched on demand) name the same keys, section by section, step by step, op by op; and the
// kernel worker, which the page starts at once, never imports the words.
import { readFileSync, existsSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { CRDT_OP_KEYS, SECTION_KEYS, STEP_KEYS, type KeyNames, type SectionId } from '../../src/spec/keys';
import { CRDT_OP_REFS, CRDT_OP_WORDS, SECTION_WORDS, SECTIONS, STEP_WORDS, STEPS, type KeyRef } from '../../src/spec/reference';

const sorted = (names: Iterable<string>) => [...names].sort();

/** The names table is well formed: no key twice, and every required key is one of its keys. */
function expectWellFormed(names: KeyNames, what: string): void {
  expect(new Set(names.keys).size, `${what}: a key named twice`).toBe(names.keys.length);
  for (const key of names.required ?? []) expect(names.keys, `${what}: required "${key}" is not a key`).toContain(key);
}

/** The words name exactly the table's keys, and the merged entries keep its order and required flags. */
function expectSameKeys(names: KeyNames, words: object, merged: readonly KeyRef[], what: string): void {
  expect(sorted(Object.keys(words)), `${what}: the words in reference.ts name other keys than keys.ts`).toEqual(sorted(names.keys));
  expect(merged.map((entry) => entry.key), what).toEqual(names.keys);
  expect(merged.filter((entry) => entry.required).map((entry) => entry.key), what).toEqual(names.keys.filter((key) => names.required?.includes(key)));
  for (const entry of merged) {
    expect(entry.doc, `${what}.${entry.key}: no doc`).not.toBe('');
    expect(entry.example, `${what}.${entry.key}: no example`).not.toBe('');
  }
}

describe('the words in reference.ts are for exactly the names in keys.ts', () => {
  it('the same sections', () => {
    expect(sorted(Object.keys(SECTION_WORDS))).toEqual(sorted(Object.keys(SECTION_KEYS)));
    expect(sorted(SECTIONS.map((section) => section.id))).toEqual(sorted(Object.keys(SECTION_KEYS)));
  });

  for (const id of Object.keys(SECTION_KEYS) as SectionId[]) {
    it(`section ${id}: the same keys`, () => {
      const names: KeyNames = SECTION_KEYS[id];
      expectWellFormed(names, id);
      const merged = SECTIONS.find((section) => section.id === id);
      expect(merged, id).toBeDefined();
      expectSameKeys(names, SECTION_WORDS[id].keys, merged?.keys ?? [], id);
    });
  }

  it('the same steps, in the names table\'s order', () => {
    expect(sorted(Object.keys(STEP_WORDS))).toEqual(sorted(STEP_KEYS.map((step) => step.kind)));
    expect(STEPS.map((step) => step.kind)).toEqual(STEP_KEYS.map((step) => step.kind));
  });

  for (const step of STEP_KEYS) {
    it(`step ${step.kind}: the same arguments`, () => {
      const names: KeyNames = { keys: step.args, required: 'required' in step ? step.required : undefined };
      expectWellFormed(names, step.kind);
      expectSameKeys(names, STEP_WORDS[step.kind].args, STEPS.find((ref) => ref.kind === step.kind)?.args ?? [], `step ${step.kind}`);
    });
  }

  it('the same CRDT ops, in the names table\'s order', () => {
    const ids = CRDT_OP_KEYS.map((op) => `${op.type} ${op.op}`);
    expect(new Set(ids).size, 'an op named twice').toBe(ids.length);
    expect(sorted(Object.keys(CRDT_OP_WORDS))).toEqual(sorted(ids));
    expect(CRDT_OP_REFS.map((ref) => `${ref.type} ${ref.op}`)).toEqual(ids);
  });

  for (const op of CRDT_OP_KEYS) {
    it(`crdt ${op.type} ${op.op}: the same arguments`, () => {
      const id = `${op.type} ${op.op}`;
      const names: KeyNames = { keys: op.args, required: 'required' in op ? op.required : undefined };
      expectWellFormed(names, id);
      const words = (CRDT_OP_WORDS as Readonly<Record<string, { args: object }>>)[id];
      const merged = CRDT_OP_REFS.find((ref) => ref.type === op.type && ref.op === op.op);
      expectSameKeys(names, words.args, merged?.args ?? [], `crdt ${id}`);
    });
  }
});

// ---------------------------------------------------------------------------------------------
// The kernel worker's static imports

const ROOT = resolve(__dirname, '../..');

/** The files a module imports at load (not `import()`, not `import type`/`export type`), inside src/. */
function staticImports(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, false);
  const found: string[] = [];
  for (const statement of source.statements) {
    let specifier: ts.Expression | undefined;
    if (ts.isImportDeclaration(statement) && statement.importClause?.isTypeOnly !== true) specifier = statement.moduleSpecifier;
    if (ts.isExportDeclaration(statement) && !statement.isTypeOnly) specifier = statement.moduleSpecifier;
    if (specifier === undefined || !ts.isStringLiteral(specifier) || !specifier.text.startsWith('.')) continue;
    const base = resolve(dirname(file), specifier.text.replace(/\?.*$/, ''));
    const target = [base, `${base}.ts`, join(base, 'index.ts')].find((candidate) => candidate.endsWith('.ts') && existsSync(candidate));
    if (target !== undefined) found.push(target);
  }
  return found;
}

/** Every src/ file reachable from `entry` by static imports. */
function reachable(entry: string): Set<string> {
  const seen = new Set<string>();
  const queue = [resolve(ROOT, entry)];
  while (queue.length > 0) {
    const file = queue.pop() as string;
    if (seen.has(file)) continue;
    seen.add(file);
    queue.push(...staticImports(file));
  }
  return new Set([...seen].map((file) => relative(ROOT, file)));
}

describe('the kernel worker (started by the page at once) carries the names, not the words', () => {
  const files = reachable('src/worker/kernel.worker.ts');

  it('reaches the parser and its names table', () => {
    expect(files).toContain('src/spec/parse.ts');
    expect(files).toContain('src/spec/program.ts');
    expect(files).toContain('src/spec/keys.ts');
  });

  it('never imports src/spec/reference.ts', () => {
    expect(files).not.toContain('src/spec/reference.ts');
  });
});
