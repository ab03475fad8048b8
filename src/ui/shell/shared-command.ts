// The shell's `shared [object]`: every shared object's value on every node at the cursor, as the
// Shared panel shows it (one line per replica; elements of the first page).
import type { SharedView } from '../../worker/api';

export function formatSharedView(view: SharedView, only: string | undefined): string[] {
  if (view.objects.length === 0) return ['this spec declares no shared objects'];
  const objects = only === undefined ? view.objects : view.objects.filter((object) => object.name === only);
  if (objects.length === 0) throw new Error(`no shared object "${only}"; the spec has ${view.objects.map((object) => object.name).join(', ')}`);
  const lines: string[] = [];
  for (const object of objects) {
    const state = object.converged ? 'replicas agree' : `replicas differ${object.differsSince === null ? '' : ` since #${object.differsSince}`}`;
    lines.push(`${object.name} (${object.type}): ${state}`);
    for (const replica of object.replicas) {
      const items = replica.items.length === 0 ? '' : `: ${replica.items.join(object.type === 'text' ? '' : ', ')}`;
      const more = replica.itemCount > replica.items.length ? ` (+${replica.itemCount - replica.items.length} more in the Shared tab)` : '';
      const marks = `${replica.up ? '' : ' (down)'}${replica.differs ? ' (differs)' : ''}`;
      const text = `  n${replica.node}${marks} ${replica.summary}${items}${more}`;
      lines.push(text.length > 400 ? `${text.slice(0, 399)}…` : text);
    }
  }
  return lines;
}
