/** A plain-text table of rows with the same keys, numbers right-aligned. */
export function formatTable(rows: Record<string, string | number>[]): string {
  if (rows.length === 0) return '(no rows)';
  const keys = Object.keys(rows[0]);
  const cells = [keys, ...rows.map((row) => keys.map((key) => String(row[key])))];
  const widths = keys.map((_, column) => Math.max(...cells.map((line) => line[column].length)));
  return cells
    .map((line, index) => line.map((cell, column) => (index > 0 && typeof rows[index - 1][keys[column]] === 'number' ? cell.padStart(widths[column]) : cell.padEnd(widths[column]))).join('  '))
    .join('\n');
}
