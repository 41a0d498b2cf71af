// The checks are written once, in PostgreSQL SQL, and run on PostgreSQL / PGlite (a database) and on DuckDB (file
// output, src/files/). Most of what they use means the same on both: FILTER, IS DISTINCT FROM, `= ANY(array)`,
// `<@`, array_agg(... ORDER BY ...), percentile_cont WITHIN GROUP, date_part('isodow' | 'month' | 'epoch'),
// `::text[]` / `::date` casts of parameters, interval arithmetic, date + integer, window functions, ARRAY(SELECT).
// Where the two differ, the checks use the form both read the same way, and DuckDB gets the settings below:
//
// - `/` on two integers divides exactly (truncating) in PostgreSQL but gives a DOUBLE in DuckDB: DuckDB runs
//   with integer_division on (the id rules, `id / 10000 = hcp_id`, depend on it).
// - `unnest(a, b) AS t(x, y)` (several arrays in FROM) is PostgreSQL only: the checks zip arrays with
//   `(SELECT unnest(a) AS x, unnest(b) AS y) t`, which both run in lockstep.
// - cardinality() is for maps in DuckDB: the checks use array_length(list, 1), which is NULL (PostgreSQL) or 0
//   (DuckDB) for an empty list, both failing a `> 0` test.
// - `FROM generate_series(1, 10) g` makes `g` a row (a struct) in DuckDB: the checks name the column,
//   `generate_series(1, 10) AS g(decile)`.
// - `~` is a partial match in PostgreSQL and a full match in DuckDB: the checks' patterns are anchored (^...$).
// - Savepoints, work_mem and the constraint catalog (pg_constraint) exist only on PostgreSQL: runValidation uses
//   none of them on DuckDB (there is no transaction to protect, and file output has no constraints to trust).
// - `x = ANY(list_column)` becomes a correlated subquery per row in DuckDB (3.2 of the 4.1 s the stimuli pass
//   took at 50,000 HCPs): the checks write a list column's membership with listHas(), list_contains() there.
// - Text samples are ordered by the database's collation: byte order on DuckDB, the database's on PostgreSQL (the
//   same for C / C.UTF-8 databases and for the ASCII ids the samples are).
import type { Queryable } from './types.js';

export type Dialect = 'postgres' | 'duckdb';

/** A Queryable says it is DuckDB by `dialect: 'duckdb'`; anything else is PostgreSQL (a Target, a Stage). */
export function dialectOf(q: Queryable): Dialect {
  return (q as { dialect?: unknown }).dialect === 'duckdb' ? 'duckdb' : 'postgres';
}

/** Session settings under which DuckDB reads the checks' SQL as PostgreSQL does. */
export const DUCKDB_VALIDATION_SETUP: readonly string[] = ['SET integer_division = true'];

/**
 * Whether `x` is in the list column `list`: PostgreSQL's `x = ANY(list)`, DuckDB's `list_contains(list, x)`. The
 * two are true for the same rows; where PostgreSQL says NULL (no match in a list holding a NULL) DuckDB may say
 * false, so use it only where NULL and false mean the same, as inside `coalesce(..., false)`.
 */
export function listHas(dialect: Dialect, list: string, x: string): string {
  return dialect === 'duckdb' ? `list_contains(${list}, ${x})` : `${x} = ANY(${list})`;
}
