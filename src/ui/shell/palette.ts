// The command palette's filter: every word of the query must start a word of the label or appear
// in it; labels that start with the query rank first, then the table's order.
export interface PaletteAction {
  label: string;
  hint: string;
  run: () => unknown;
}

export function filterActions<T extends { label: string }>(actions: readonly T[], query: string): T[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return [...actions];
  const q = query.trim().toLowerCase();
  const matches = actions.filter((action) => {
    const label = action.label.toLowerCase();
    return words.every((word) => label.includes(word));
  });
  const rank = (label: string) => (label.toLowerCase() === q ? 0 : label.toLowerCase().startsWith(q) ? 1 : 2);
  return matches
    .map((action, index) => ({ action, index, rank: rank(action.label) }))
    .sort((a, b) => a.rank - b.rank || a.index - b.index)
    .map((entry) => entry.action);
}
