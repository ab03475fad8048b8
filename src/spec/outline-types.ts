// What outline.ts reads from a spec, apart from the reader so the page can name it without
// loading the YAML parser and the behaviour tables.

import type { SharedType } from './types';

export interface OutlinePort {
  readonly name: string;
  readonly direction: 'in' | 'out';
}

export interface OutlineAgent {
  readonly name: string;
  readonly ports: readonly OutlinePort[];
}

export interface SpecOutline {
  readonly agents: readonly OutlineAgent[];
  readonly shared: readonly { readonly name: string; readonly type: SharedType | null }[];
  readonly resources: readonly string[];
  readonly nodeCount: number;
}

export const EMPTY_OUTLINE: SpecOutline = { agents: [], shared: [], resources: [], nodeCount: 1 };
