// The watches' series as CSV (seq, tick, then one column per watch): what Metrics exports.
import type { WatchesView } from '../../worker/api';

export function watchesCsv(view: WatchesView): string {
  const quote = (name: string) => (/[",\n]/.test(name) ? `"${name.replace(/"/g, '""')}"` : name);
  const lines = [['seq', 'tick', ...view.rows.map((row) => quote(row.name))].join(',')];
  for (let i = 0; i < view.seq.length; i++) lines.push([view.seq[i], view.tick[i], ...view.series.map((column) => column[i])].join(','));
  return lines.join('\n') + '\n';
}
