// The Query editor's completion (src/ui/editor/sql.ts): KernelQL's tables and columns rank before
// SQL's keywords, and an unqualified name is offered the columns of the tables the query names.
import { describe, expect, it } from 'vitest';
import { columnCompletions, KEYWORD_BOOST, NAME_BOOST } from '../../src/ui/editor/sql';
import { QUERY_TABLES } from '../../src/query/schema';

describe('columnCompletions', () => {
  it('offers the columns of the tables the query names, each once', () => {
    const labels = columnCompletions('SELECT  FROM processes').map((option) => option.label);
    expect(labels).toEqual([...QUERY_TABLES.processes]);
    const joined = columnCompletions('SELECT * FROM events JOIN processes USING (pid)');
    expect(new Set(joined.map((option) => option.label)).size).toBe(joined.length);
    expect(joined.find((option) => option.label === 'pid')?.detail).toBe('events, processes');
  });

  it('offers every table\'s columns before a FROM is written', () => {
    const labels = new Set(columnCompletions('SELECT ').map((option) => option.label));
    for (const columns of Object.values(QUERY_TABLES)) for (const column of columns) expect(labels.has(column)).toBe(true);
  });

  it('names rank above keywords', () => {
    expect(NAME_BOOST).toBeGreaterThan(0);
    expect(KEYWORD_BOOST).toBeLessThan(0);
    expect(columnCompletions('SELECT ').every((option) => option.boost === NAME_BOOST)).toBe(true);
  });
});
