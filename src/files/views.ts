// One DuckDB view per table over that table's files (every shard), typed from the table model
// (src/tables/tables.ts): queries and checks see the seven tables as they would in PostgreSQL. Parquet files carry
// their types; CSV files are read with the model's types (no sniffing) in PostgreSQL's CSV encoding, and
// text_list columns, PostgreSQL array literals in CSV, are parsed into VARCHAR[] by hcpgen_text_array().
import type { ColumnDef, TableDef } from '../tables/model.js';
import type { DuckDb } from './duckdb.js';

export type FileFormat = 'parquet' | 'csv';

/** The DuckDB type of a column, as Parquet files carry it and as the views present it. */
export function duckType(c: ColumnDef): string {
  switch (c.type) {
    case 'int16':
      return 'SMALLINT';
    case 'int32':
      return 'INTEGER';
    case 'int64':
      return 'BIGINT';
    case 'float32':
      return 'FLOAT';
    case 'text':
    case 'char':
      return 'VARCHAR';
    case 'date':
      return 'DATE';
    case 'timestamp':
      return 'TIMESTAMP';
    case 'text_list':
      return 'VARCHAR[]';
    case 'timestamptz':
      return 'TIMESTAMP WITH TIME ZONE';
    case 'jsonb':
      return 'JSON';
  }
}

export function sqlString(s: string): string {
  return `'${s.replaceAll("'", "''")}'`;
}

export function sqlIdent(s: string): string {
  return `"${s.replaceAll('"', '""')}"`;
}

/**
 * A PostgreSQL array literal of text (`{a,"b c","q\"uote",NULL}`) as VARCHAR[]: each element is either
 * double-quoted, with `\` escaping the next character, or bare (PostgreSQL quotes anything with a comma, brace,
 * quote, backslash or white space), and a bare NULL is a NULL element. hcpgen's writer quotes every element;
 * PostgreSQL's own COPY quotes only where it must. Both read back the same.
 */
export const TEXT_ARRAY_MACRO = String.raw`CREATE OR REPLACE MACRO hcpgen_text_array(s) AS
  CASE WHEN s IS NULL THEN NULL ELSE list_transform(
    regexp_extract_all(s, '(?s)"(?:[^"\\]|\\.)*"|[^,{}"]+'),
    e -> CASE WHEN left(e, 1) = '"' THEN regexp_replace(e[2:-2], '(?s)\\(.)', '\1', 'g')
              WHEN upper(e) = 'NULL' THEN NULL
              ELSE e END) END`;

/** read_csv over `files` with the table's columns as typed VARCHAR-or-model types: nothing is guessed. */
export function csvSource(table: TableDef, files: readonly string[], extra = ''): string {
  const columns = table.columns
    .map((c) => `${sqlString(c.name)}: ${sqlString(c.type === 'text_list' ? 'VARCHAR' : duckType(c))}`)
    .join(', ');
  // PostgreSQL's CSV: "" inside quotes is a quote, an empty unquoted field is NULL, a quoted empty one is ''.
  return (
    `read_csv([${files.map(sqlString).join(', ')}], header = true, auto_detect = false, delim = ',', ` +
    `quote = '"', escape = '"', nullstr = '', allow_quoted_nulls = false, new_line = '\\n', ` +
    `columns = {${columns}}${extra})`
  );
}

/** The SELECT a table's view runs: its columns in model order, from its files (none: an empty typed row set). */
export function viewSelect(table: TableDef, files: readonly string[], format: FileFormat): string {
  if (files.length === 0) {
    const cols = table.columns.map((c) => `CAST(NULL AS ${duckType(c)}) AS ${sqlIdent(c.name)}`);
    return `SELECT ${cols.join(', ')} WHERE false`;
  }
  const cols = table.columns.map((c) =>
    format === 'csv' && c.type === 'text_list'
      ? `hcpgen_text_array(${sqlIdent(c.name)}) AS ${sqlIdent(c.name)}`
      : sqlIdent(c.name),
  );
  const source =
    format === 'csv' ? csvSource(table, files) : `read_parquet([${files.map(sqlString).join(', ')}])`;
  return `SELECT ${cols.join(', ')} FROM ${source}`;
}

/** Creates one view per table; `files` maps a table name to its files' absolute paths, in shard/part order. */
export async function createViews(
  db: DuckDb,
  tables: readonly TableDef[],
  files: ReadonlyMap<string, readonly string[]>,
  format: FileFormat,
): Promise<void> {
  await db.query(TEXT_ARRAY_MACRO);
  for (const t of tables) {
    await db.query(
      `CREATE OR REPLACE VIEW ${sqlIdent(t.name)} AS ${viewSelect(t, files.get(t.name) ?? [], format)}`,
    );
  }
}
