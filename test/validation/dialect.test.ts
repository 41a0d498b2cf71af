// listHas() writes list-column membership for each engine (PostgreSQL `x = ANY(list)`, DuckDB `list_contains`).
// The two may differ only between NULL and false, so under coalesce(..., false), the only way the checks use it,
// they must agree on every combination of a NULL or present value and a list that is NULL, empty, holds it, holds
// a NULL, or neither.
import { expect } from 'chai';
import { DuckDb } from '../../src/files/duckdb.js';
import { listHas } from '../../src/validation/dialect.js';
import type { Queryable } from '../../src/validation/types.js';
import { createPgliteTarget } from '../helpers/testdb.js';

const VALUES = ["'a'", 'NULL'];
const LISTS = [
  "ARRAY['a']",
  "ARRAY['b']",
  "ARRAY['a', NULL]",
  "ARRAY['b', NULL]",
  'ARRAY[NULL]',
  'ARRAY[]',
  'NULL',
];

/** One row per (value, list) pair, with coalesce(listHas(...), false) as `has`, in a fixed order. */
async function grid(q: Queryable, dialect: 'postgres' | 'duckdb'): Promise<string[]> {
  const rows = VALUES.flatMap((x, i) =>
    LISTS.map(
      (l, j) => `SELECT ${i * LISTS.length + j} AS k, CAST(${x} AS text) AS x, CAST(${l} AS text[]) AS l`,
    ),
  );
  const { rows: out } = await q.query<{ k: number; has: boolean }>(
    `SELECT k, coalesce(${listHas(dialect, 'l', 'x')}, false) AS has FROM (${rows.join(' UNION ALL ')}) t ORDER BY k`,
  );
  return out.map((r) => `${r.k}:${String(r.has)}`);
}

describe('list membership in both SQL dialects', function () {
  this.timeout(60_000);

  it('is true for the same (value, list) pairs in PostgreSQL and DuckDB', async () => {
    const pglite = await createPgliteTarget();
    const duck = await DuckDb.open({ description: 'dialect test' });
    try {
      const pg = await grid(pglite.target, 'postgres');
      const dk = await grid(duck, 'duckdb');
      expect(dk).to.deep.equal(pg);
      // Present in the list exactly for 'a' in ['a'] and ['a', NULL]: the grid is not all false.
      expect(pg.filter((r) => r.endsWith(':true'))).to.deep.equal(['0:true', '2:true']);
    } finally {
      await duck.close();
      await pglite.cleanup();
    }
  });
});
