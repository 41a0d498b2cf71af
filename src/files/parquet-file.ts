// One Parquet file of one table, written by DuckDB (docs/adr/0002-parquet-writer.md: the fastest writer
// measured, zstd, correct logical types). Batches are appended into a staging table of an in-memory DuckDB:
// number columns are copied as raw Float64Array bytes into DuckDB vectors (no per-value calls), dictionary
// columns as Uint16 codes into this file's own dictionary, and string columns as one JSON array per vector in a
// side table (JSON carries any text, control characters included). When the file is complete, one
// `COPY (SELECT <typed columns>) TO ... (FORMAT parquet)` casts everything to the model's types and writes it.
// Row order is the append order (preserve_insertion_order), so the same rows give the same bytes.
import duckdb from '@duckdb/node-bindings';
import type { DuckDBAppender, DuckDBConnection } from '@duckdb/node-api';
import { NULL_CODE, type BatchData } from '../tables/batch.js';
import { columnKind } from '../tables/batch.js';
import type { ColumnDef, TableDef } from '../tables/model.js';

/** Rows per Parquet row group (a multiple of DuckDB's 2048-row vectors, so DuckDB writes exactly this many). */
export const ROW_GROUP_ROWS = 122_880;
const VECTOR = duckdb.vector_size();

const sqlString = (s: string): string => `'${s.replaceAll("'", "''")}'`;
const ident = (s: string): string => `"${s.replaceAll('"', '""')}"`;

// node-api keeps the raw appender handle private; the vector copies below need it (the public API appends one
// value per call, ~10x slower for our row counts).
const rawAppender = (a: DuckDBAppender): duckdb.Appender =>
  (a as unknown as { appender: duckdb.Appender }).appender;

/** The SQL expression that turns a staged column back into the model's type. */
function typedExpression(c: ColumnDef, staged: string, dict: readonly string[]): string {
  const x = ident(staged);
  const nullable = (e: string): string => (c.nullable ? `CASE WHEN isnan(${x}) THEN NULL ELSE ${e} END` : e);
  switch (c.type) {
    case 'int16':
      return nullable(`CAST(${x} AS SMALLINT)`);
    case 'int32':
      return nullable(`CAST(${x} AS INTEGER)`);
    case 'int64':
      return nullable(`CAST(${x} AS BIGINT)`);
    case 'float32':
      return nullable(`CAST(${x} AS FLOAT)`);
    case 'date':
      return nullable(`(DATE '1970-01-01' + CAST(${x} AS INTEGER))`);
    case 'timestamp':
      return nullable(`make_timestamp(CAST(${x} AS BIGINT) * 1000)`);
    case 'text':
    case 'char':
      if (columnKind(c) === 'dict') {
        const list = dict.length > 0 ? `[${dict.map(sqlString).join(', ')}]` : `CAST([] AS VARCHAR[])`;
        return `CASE WHEN ${x} = ${NULL_CODE} THEN NULL ELSE ${list}[${x} + 1] END`;
      }
      return x;
    case 'text_list':
      return x;
    default:
      throw new Error(`column ${c.name}: ${c.type} is not written to Parquet`);
  }
}

/**
 * Text as valid UTF-8: a lone UTF-16 surrogate (which JSON escapes and DuckDB's JSON reader refuses) becomes
 * U+FFFD, as the CSV and COPY encoders' UTF-8 encoding writes it.
 */
function wellFormed(v: unknown): unknown {
  // ES2024 string methods (Node 20 has them; the compiler's lib is ES2023).
  const s = v as { isWellFormed(): boolean; toWellFormed(): string };
  if (typeof v === 'string') return s.isWellFormed() ? v : s.toWellFormed();
  if (Array.isArray(v)) return v.map(wellFormed);
  return v;
}

export class ParquetTableFile {
  rows = 0;
  private readonly numCols: number[] = [];
  private readonly strCols: number[] = [];
  /** Per column: this file's dictionary (dictionary columns only). */
  private readonly dicts: (Map<string, number> | null)[];
  private readonly dictValues: string[][];
  private main!: DuckDBAppender;
  private side!: DuckDBAppender;
  private chunk!: duckdb.DataChunk;
  private vectors: duckdb.Vector[] = [];
  private readonly codes = new Uint16Array(VECTOR);
  private sealed = false;
  private readonly t: string;
  private readonly s: string;

  private constructor(
    private readonly con: DuckDBConnection,
    private readonly def: TableDef,
    private readonly path: string,
    name: string,
  ) {
    this.t = `t_${name}`;
    this.s = `s_${name}`;
    def.columns.forEach((c, i) => {
      const kind = columnKind(c);
      if (kind === 'num' || kind === 'dict') this.numCols.push(i);
      else this.strCols.push(i);
    });
    this.dicts = def.columns.map((c) => (columnKind(c) === 'dict' ? new Map() : null));
    this.dictValues = def.columns.map(() => []);
  }

  /** A new file; `name` must be unique among the files open on this connection. */
  static async open(
    con: DuckDBConnection,
    def: TableDef,
    path: string,
    name: string,
  ): Promise<ParquetTableFile> {
    const f = new ParquetTableFile(con, def, path, name);
    await f.create();
    return f;
  }

  private async create(): Promise<void> {
    const numCols = this.numCols.map((i) => {
      const c = this.def.columns[i]!;
      return `${ident(c.name)} ${columnKind(c) === 'dict' ? 'USMALLINT' : 'DOUBLE'}`;
    });
    // A table needs a column: a file without number columns stages a row count instead.
    await this.con.run(
      `CREATE TABLE ${ident(this.t)} (${numCols.length > 0 ? numCols.join(', ') : '"_n" DOUBLE'})`,
    );
    const strCols = this.strCols.map((i) => `${ident(this.def.columns[i]!.name)} VARCHAR`);
    await this.con.run(
      `CREATE TABLE ${ident(this.s)} (${strCols.length > 0 ? strCols.join(', ') : '"_n" VARCHAR'})`,
    );
    this.main = await this.con.createAppender(this.t);
    this.side = await this.con.createAppender(this.s);
    const raw = rawAppender(this.main);
    const n = duckdb.appender_column_count(raw);
    this.chunk = duckdb.create_data_chunk(
      Array.from({ length: n }, (_, i) => duckdb.appender_column_type(raw, i)),
    );
    this.vectors = Array.from({ length: n }, (_, i) => duckdb.data_chunk_get_vector(this.chunk, i));
  }

  append(batch: BatchData): void {
    // Batch dictionary code -> this file's code, per dictionary column.
    const remap = this.numCols.map((i) => {
      const c = batch.columns[i]!;
      if (c.kind !== 'dict') return null;
      const map = this.dicts[i]!;
      const values = this.dictValues[i]!;
      return Uint16Array.from(c.dict, (v) => {
        let code = map.get(v);
        if (code === undefined) {
          code = values.length;
          values.push(v);
          map.set(v, code);
        }
        return code;
      });
    });
    const raw = rawAppender(this.main);
    for (let off = 0; off < batch.rows; off += VECTOR) {
      const len = Math.min(VECTOR, batch.rows - off);
      duckdb.data_chunk_reset(this.chunk);
      if (this.numCols.length === 0) {
        duckdb.copy_data_to_vector(this.vectors[0]!, 0, new Float64Array(len).buffer, 0, len * 8);
      }
      this.numCols.forEach((col, v) => {
        const c = batch.columns[col]!;
        const vec = this.vectors[v]!;
        if (c.kind === 'num') {
          const a = c.values;
          duckdb.copy_data_to_vector(vec, 0, a.buffer as ArrayBuffer, a.byteOffset + off * 8, len * 8);
        } else if (c.kind === 'dict') {
          const map = remap[v]!;
          for (let r = 0; r < len; r++) {
            const code = c.codes[off + r]!;
            this.codes[r] = code === NULL_CODE ? NULL_CODE : map[code]!;
          }
          duckdb.copy_data_to_vector(vec, 0, this.codes.buffer, 0, len * 2);
        }
      });
      duckdb.data_chunk_set_size(this.chunk, len);
      duckdb.append_data_chunk(raw, this.chunk);
      // The string columns of these `len` rows: one JSON array per column, unnested in the same order at COPY.
      if (this.strCols.length === 0) this.side.appendVarchar(JSON.stringify(new Array<number>(len).fill(0)));
      for (const col of this.strCols) {
        const c = batch.columns[col]!;
        const values = (c as { values: unknown[] }).values.slice(off, off + len);
        this.side.appendVarchar(JSON.stringify(values.map(wellFormed)));
      }
      this.side.endRow();
    }
    // Committed rows are table data DuckDB may evict to its database file; rows held by an appender are not.
    this.main.flushSync();
    this.side.flushSync();
    this.rows += batch.rows;
  }

  /** No more rows: the appenders are closed (the staged rows are committed table data). */
  seal(): void {
    if (this.sealed) return;
    this.sealed = true;
    this.main.flushSync();
    this.main.closeSync();
    this.side.flushSync();
    this.side.closeSync();
  }

  /** Writes the file (zstd, ROW_GROUP_ROWS per row group) and drops the staging tables. */
  async close(): Promise<void> {
    this.seal();
    const select = this.def.columns
      .map((c, i) => `${typedExpression(c, c.name, this.dictValues[i]!)} AS ${ident(c.name)}`)
      .join(', ');
    const unnest = (this.strCols.length > 0 ? this.strCols : [-1])
      .map((i) => {
        if (i < 0) return `unnest(CAST(CAST("_n" AS JSON) AS INTEGER[])) AS "_n"`;
        const c = this.def.columns[i]!;
        const type = c.type === 'text_list' ? 'VARCHAR[][]' : 'VARCHAR[]';
        return `unnest(CAST(CAST(${ident(c.name)} AS JSON) AS ${type})) AS ${ident(c.name)}`;
      })
      .join(', ');
    const sql =
      `COPY (SELECT ${select} FROM ${ident(this.t)} POSITIONAL JOIN (SELECT ${unnest} FROM ${ident(this.s)})) ` +
      `TO ${sqlString(this.path)} (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE ${ROW_GROUP_ROWS})`;
    try {
      await this.con.run(sql);
    } finally {
      await this.con.run(`DROP TABLE ${ident(this.t)}; DROP TABLE ${ident(this.s)}`);
    }
  }
}
