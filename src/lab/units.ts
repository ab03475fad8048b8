// The unit a metric's expression implies (pure, from its syntax tree): a sum of messages
// received is in messages, of CPU ticks in µs of CPU, of heap bytes in bytes; `x * 1000 / y`
// of two things of one unit is per mille (‰), `x * 100 / y` a percentage. The Experiments tab
// and the report write it beside the numbers (tables, axes, words). Unknown or mixed units give
// '' (a plain number): never a wrong unit.
import { parseExpression, type Ast } from '../expr/index';
import { formatNumber, withUnit } from './stats';

/** Each field's unit (agents', processes' and channels' fields; src/expr/check.ts). */
const FIELD_UNITS: Readonly<Record<string, string>> = {
  processes: 'processes', running: 'processes', blocked: 'processes', exited: 'processes',
  failed: 'failures', restarts: 'restarts', cpuTicks: 'µs CPU', sent: 'messages', received: 'messages',
  heapBytes: 'B', spent: 'credits', queued: 'messages', capacity: 'messages', delivered: 'messages', dropped: 'messages',
};

/** A unit with a scale; `unit: '*'` is a bare number (fits any unit in + − min max), null: unknown. */
type Dim = { unit: string; scale: number; ratio: boolean } | null;

function dimOf(node: Ast): Dim {
  switch (node.kind) {
    case 'int': return { unit: '*', scale: node.value, ratio: false };
    case 'member': return node.property in FIELD_UNITS ? { unit: FIELD_UNITS[node.property], scale: 1, ratio: false } : null;
    case 'unary': return node.op === '-' || node.op === '+' ? dimOf(node.arg) : null;
    case 'call': {
      if (!['max', 'min', 'abs'].includes(node.callee)) return null;
      return node.args.map(dimOf).reduce<Dim>((x, y) => same(x, y), { unit: '*', scale: 1, ratio: false });
    }
    case 'binary': {
      const left = dimOf(node.left), right = dimOf(node.right);
      if (!left || !right) return null;
      if (node.op === '+' || node.op === '-') return same(left, right);
      if (node.op === '*') {
        if (left.unit === '*') return { ...right, scale: right.scale * left.scale };
        if (right.unit === '*') return { ...left, scale: left.scale * right.scale };
        return null;
      }
      if (node.op === '/') {
        if (right.unit === '*') return left.unit === '*' ? null : { ...left, scale: left.scale / right.scale };
        if (left.unit === right.unit && !left.ratio && !right.ratio) return { unit: '', scale: left.scale / right.scale, ratio: true };
        return null;
      }
      return null;
    }
    default: return null;
  }
}

/** Two terms added (or max/min): the unit they share; a bare number takes the other's. */
function same(x: Dim, y: Dim): Dim {
  if (!x || !y) return null;
  if (x.unit === '*') return y;
  if (y.unit === '*') return x;
  return x.unit === y.unit && x.scale === y.scale && x.ratio === y.ratio ? x : null;
}

/** The unit `expr` implies: '‰', '%', 'messages', 'µs CPU', 'B', ..., or '' when it implies none (or cannot be read). */
export function metricUnit(expr: string): string {
  let dim: Dim;
  try {
    dim = dimOf(parseExpression(expr));
  } catch {
    return ''; // not an expression (the plan's check reports it); no unit to show
  }
  if (!dim) return '';
  if (dim.ratio) return dim.scale === 1000 ? '‰' : dim.scale === 100 ? '%' : '';
  return dim.unit !== '*' && dim.scale === 1 ? dim.unit : '';
}

/** Each metric's unit by name, from the plan's metrics (`metricUnit` of each expression). */
export function metricUnits(metrics: readonly { readonly name: string; readonly expr: string }[]): Record<string, string> {
  return Object.fromEntries(metrics.map((metric) => [metric.name, metricUnit(metric.expr)]));
}

/** `name (unit)` for headers and axes; the name alone without a unit, or when the name is the unit (`failures`, not `failures (failures)`). */
export const labelWithUnit = (name: string, unit: string) => (unit && unit !== name ? `${name} (${unit})` : name);

/**
 * A metric's value in a table cell, as the Experiments tab and the report both write it: ‰ and %
 * beside the number (`158‰`, `12%`); any other unit is in the column's or table's heading
 * (`labelWithUnit`), so the cell is the number alone (`1756`).
 */
export const cellValue = (value: number, unit: string | undefined) => (unit === '‰' || unit === '%' ? withUnit(value, unit) : formatNumber(value));
