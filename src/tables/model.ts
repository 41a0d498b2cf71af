// The vocabulary of the table model (src/tables/tables.ts declares every table with it). A table is declared
// once: its columns with a logical type, nullability and meaning, its key, uniques, foreign keys and indexes.
// Everything table-specific elsewhere is derived from that declaration: the TypeORM entities
// (src/db/entities.ts), the DDL (src/db/ddl.ts), the column order, the batch layout (batch.ts) and every encoder
// (PostgreSQL binary COPY, CSV, Parquet), the data dictionary and the DuckDB views over file output.
//
// Constraint and index names follow PostgreSQL's own conventions (`<table>_pkey`, `<table>_<cols>_key`,
// `<table>_<col>_fkey`) and `<table>_<cols>_idx`, so they read well in psql and stay stable across versions.

/**
 * Logical column types. Each maps to one PostgreSQL type, one Parquet physical + logical type and one batch
 * representation (batch.ts): numbers, dates (days since 1970-01-01) and timestamps (epoch milliseconds, whole
 * seconds, no time zone: the wall time of the event) are Float64Array columns with NaN for NULL.
 */
export type LogicalType =
  | 'int16'
  | 'int32'
  | 'int64'
  | 'float32'
  | 'text'
  | 'char'
  | 'date'
  | 'timestamp'
  | 'text_list'
  /** Only in hcpgen_runs, which is written by INSERT, never by an encoder. */
  | 'timestamptz'
  | 'jsonb';

export interface ColumnDef {
  readonly name: string;
  readonly type: LogicalType;
  /** Fixed length of a `char` column. */
  readonly length?: number;
  readonly nullable?: boolean;
  /** SQL default expression (PostgreSQL only). */
  readonly default?: string;
  /** Auto-increment (hcpgen_runs.id only). */
  readonly generated?: boolean;
  /**
   * Few distinct values (a channel, a tier, a specialty): batches hold dictionary codes instead of strings,
   * encoders write each distinct value's bytes once, Parquet stores a dictionary page.
   */
  readonly dictionary?: boolean;
  /** What the column means, with its unit: the data dictionary prints it. */
  readonly description: string;
}

export interface ForeignKeyDef {
  readonly column: string;
  readonly references: string;
  /** The referenced column; default `id`. */
  readonly referencedColumn?: string;
}

export interface TableDef {
  readonly name: string;
  /** The TypeORM entity's export name (a contract of the library API). */
  readonly entity: string;
  readonly description: string;
  readonly columns: readonly ColumnDef[];
  readonly primaryKey: readonly string[];
  readonly uniques?: readonly (readonly string[])[];
  readonly foreignKeys?: readonly ForeignKeyDef[];
  /** Non-unique indexes, each a column list. */
  readonly indexes?: readonly (readonly string[])[];
  /** Why the indexes are what they are (kept with the declaration, shown in the data dictionary). */
  readonly indexNote?: string;
}

export const pkName = (table: string): string => `${table}_pkey`;
export const uniqueName = (table: string, columns: readonly string[]): string =>
  `${table}_${columns.join('_')}_key`;
export const fkName = (table: string, column: string): string => `${table}_${column}_fkey`;
export const indexName = (table: string, columns: readonly string[]): string =>
  `${table}_${columns.join('_')}_idx`;

/** The PostgreSQL type of a column, as the DDL writes it. */
export function sqlType(c: ColumnDef): string {
  switch (c.type) {
    case 'int16':
      return 'smallint';
    case 'int32':
      return c.generated ? 'serial' : 'integer';
    case 'int64':
      return 'bigint';
    case 'float32':
      return 'real';
    case 'text':
      return 'text';
    case 'char':
      return `character(${c.length ?? 1})`;
    case 'date':
      return 'date';
    case 'timestamp':
      return 'timestamp without time zone';
    case 'text_list':
      return 'text[]';
    case 'timestamptz':
      return 'timestamp with time zone';
    case 'jsonb':
      return 'jsonb';
  }
}

/** Column name -> position, typed by the declaration's literal names. */
export type ColumnIndex<T extends TableDef> = { readonly [K in T['columns'][number]['name']]: number };

export function columnIndex<T extends TableDef>(table: T): ColumnIndex<T> {
  return Object.fromEntries(table.columns.map((c, i) => [c.name, i])) as ColumnIndex<T>;
}

/** The TypeScript value of a column as read back from the database (src/db/values.ts's representation). */
type ValueOf<C extends ColumnDef> = C['type'] extends 'int16' | 'int32' | 'int64' | 'float32'
  ? number
  : C['type'] extends 'text_list'
    ? string[]
    : C['type'] extends 'timestamptz'
      ? Date
      : C['type'] extends 'jsonb'
        ? unknown
        : string;

/** A row of a table as a typed object: what `SELECT *` returns through hcpgen's result parsers or TypeORM. */
export type RowOf<T extends TableDef> = {
  [C in T['columns'][number] as C['name']]: C extends { nullable: true } ? ValueOf<C> | null : ValueOf<C>;
};
