// What a user reads never names an internal constant ("at most 64 (POOL_MAX)"): messages say the
// number. Every string and template literal in src/ (comments aside) is read with TypeScript's own
// scanner, and any that holds a limit's name as words (not inside ${...}) fails, with where it is.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { CRDT_ERRORS } from '../../src/crdt/core';

const SRC = new URL('../../src/', import.meta.url).pathname;
const LIMIT_NAME = /\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*_(?:MAX|MIN)\b/;

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : /\.ts$/.test(name) && !name.endsWith('.d.ts') ? [path] : [];
  });
}

/** The text parts of every string and template literal in a file, with their lines. */
function literals(path: string): { line: number; text: string }[] {
  const source = ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.Latest, true);
  const found: { line: number; text: string }[] = [];
  const visit = (node: ts.Node) => {
    const add = (text: string, at: ts.Node) => found.push({ line: source.getLineAndCharacterOfPosition(at.getStart()).line + 1, text });
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) add(node.text, node);
    else if (ts.isTemplateExpression(node)) {
      add(node.head.text, node);
      for (const span of node.templateSpans) add(span.literal.text, span);
    }
    // An import's module name and a type's string are not messages.
    if (!ts.isImportDeclaration(node) && !ts.isExportDeclaration(node) && !ts.isLiteralTypeNode(node)) ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe('messages', () => {
  it('no string in src/ names a limit constant', () => {
    const offenders: string[] = [];
    const all = files(SRC);
    expect(all.length).toBeGreaterThan(100);
    for (const path of all) {
      for (const { line, text } of literals(path)) {
        if (LIMIT_NAME.test(text)) offenders.push(`${relative(SRC, path)}:${line}: ${text.trim().slice(0, 100)}`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it("the CRDT core's messages say the core's own limits (assembly/constants.ts)", () => {
    const constants = readFileSync(new URL('../../assembly/constants.ts', import.meta.url), 'utf8');
    const value = (name: string) => Number(new RegExp(`export const ${name}: u32 = (\\d+);`).exec(constants)![1]);
    expect(CRDT_ERRORS[-5]).toContain(`${value('CRDT_REPLICAS_MAX')} replicas`);
    expect(CRDT_ERRORS[-13]).toContain(`${value('CRDT_DOCS_MAX')} docs`);
  });
});
