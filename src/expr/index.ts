// The expression language of design.md ("Expressions"): parse (jsep), check against a spec,
// compile to closures over a StateView. Imports only jsep and spec types. See README.md.
export { parseExpression, ExprError, EXPR_CHARS_MAX, EXPR_NODES_MAX, EXPR_DEPTH_MAX, UNITS, type Ast } from './parse';
export {
  checkExpression, AGENT_FIELDS, PROC_FIELDS, CHANNEL_FIELDS, NODE_FIELDS, EVENT_FIELDS, FUNCTIONS, ROOTS,
  type Checked, type CheckContext, type Type, type AgentField, type ProcField, type ChannelField, type NodeField,
} from './check';
export { compile, explain, partById, toInteger, divide, remainder, type StateView, type Evaluator, type Value, type Explanation } from './compile';

import { checkExpression, type CheckContext, type Checked } from './check';
import { compile, type Evaluator } from './compile';

/** A checked, compiled expression with its text. */
export interface Compiled {
  readonly text: string;
  readonly checked: Checked;
  readonly evaluate: Evaluator;
}

/** Parses, checks and compiles; throws ExprError (with a column). */
export function compileExpression(text: string, context: CheckContext, want?: 'bool' | 'int' | 'value'): Compiled {
  const checked = checkExpression(text, context, want);
  return { text, checked, evaluate: compile(checked) };
}

/** The source text of a part of an expression. */
export function sourceOf(text: string, part: Checked): string {
  return text.slice(part.start, part.end);
}
