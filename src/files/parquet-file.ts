// One Parquet file of one table, written by DuckDB (docs/adr/0002-parquet-writer.md: the fastest writer
// measured, zstd, correct logical types). Batches are appended into a staging table of an in-memory DuckDB whose
// number columns already have the model's types (SMALLINT, INTEGER, BIGINT, FLOAT, DATE, TIMESTAMP): each
// 2048-row vector is converted from the batch's Float64Array into a typed scratch array (NaN = NULL into the
// validity mask) and copied into a DuckDB vector as raw bytes (no per-value calls). Dictionary columns go in as
// Uint16 codes into this file's own dictionary, and string columns as one JSON array per vector in a side table
// (JSON carries any text, control characters included); tables without string columns have no side table. When
// the file is complete, one `COPY (SELECT ...) TO ... (FORMAT parquet)` writes it. Row order is the append order
// (preserve_insertion_order), so the same rows give the same bytes.
import duckdb from '@duckdb/node-bindings';
import type { DuckDBAppender, DuckDBConnection } from '@duckdb/node-api';
import { NULL_CODE, type BatchData } from '../tables/batch.js';
import { columnKind } from '../tables/batch.js';
import type { ColumnDef, TableDef } from '../tables/model.js';
import { PARQUET_ROW_GROUP_ROWS } from './layout.js';

const VECTOR = duckdb.vector_size();
const TWO_32 = 2 ** 32;
/** Rows appended between appender flushes (one DuckDB row group). */
const FLUSH_ROWS = 122_880;

const sqlString = (s: string): string => `'${s.replaceAll("'", "''")}'`;
const ident = (s: string): string => `"${s.replaceAll('"', '""')}"`;

// node-api keeps the raw appender handle private; the vector copies below need it (the public API appends one
// value per call, ~10x slower for our row counts).
const rawAppender = (a: DuckDBAppender): duckdb.Appender =>
  (a as unknown as { appender: duckdb.Appender }).appender;

/** How a number column is staged: its DuckDB type, and the conversion of a batch's doubles into raw bytes. */
interface NumStaging {
  readonly sqlType: string;
  readonly bytesPerValue: number;
  /**
   * Fills `out` (a scratch buffer of VECTOR values) with values[off .. off+len) and returns how many were NaN
   * (NULL): those become 0, and their bits in `valid` (set to all-valid at the first one) are cleared.
   */
  readonly convert: (values: Float64Array, off: number, len: number, valid: Uint8Array) => number;
  readonly out: ArrayBuffer;
}

/** Marks row r invalid (NULL) in a DuckDB validity mask; the first NULL of a vector sets the mask up first. */
function setNull(valid: Uint8Array, r: number, nulls: number): number {
  if (nulls === 0) valid.fill(0xff);
  valid[r >> 3]! &= ~(1 << (r & 7));
  return nulls + 1;
}

function numStaging(c: ColumnDef): NumStaging {
  const typed = <T extends Int16Array | Int32Array | Float32Array>(
    sqlType: string,
    arr: T,
    f: (x: number) => number,
  ): NumStaging => ({
    sqlType,
    bytesPerValue: arr.BYTES_PER_ELEMENT,
    out: arr.buffer as ArrayBuffer,
    convert: (v, off, len, valid) => {
      let nulls = 0;
      for (let r = 0; r < len; r++) {
        const x = v[off + r]!;
        if (x === x) {
          arr[r] = f(x);
        } else {
          arr[r] = 0;
          nulls = setNull(valid, r, nulls);
        }
      }
      return nulls;
    },
  });
  // 64-bit integers as (low, high) 32-bit halves, little-endian: exact for every safe integer.
  const int64 = (sqlType: string, scale: number): NumStaging => {
    const arr = new Int32Array(VECTOR * 2);
    return {
      sqlType,
      bytesPerValue: 8,
      out: arr.buffer,
      convert: (v, off, len, valid) => {
        let nulls = 0;
        for (let r = 0; r < len; r++) {
          const x = v[off + r]!;
          if (x !== x) {
            arr[2 * r] = 0;
            arr[2 * r + 1] = 0;
            nulls = setNull(valid, r, nulls);
            continue;
          }
          const n = x * scale;
          const hi = Math.floor(n / TWO_32);
          arr[2 * r] = (n - hi * TWO_32) | 0;
          arr[2 * r + 1] = hi;
        }
        return nulls;
      },
    };
  };
  switch (c.type) {
    case 'int16':
      return typed('SMALLINT', new Int16Array(VECTOR), (x) => x);
    case 'int32':
      return typed('INTEGER', new Int32Array(VECTOR), (x) => x);
    case 'date':
      return typed('DATE', new Int32Array(VECTOR), (x) => x);
    case 'float32':
      return typed('FLOAT', new Float32Array(VECTOR), (x) => x);
    case 'int64':
      return int64('BIGINT', 1);
    case 'timestamp':
      // Epoch milliseconds of the wall time -> TIMESTAMP's microseconds.
      return int64('TIMESTAMP', 1000);
    default:
      throw new Error(`column ${c.name}: ${c.type} is not written to Parquet`);
  }
}

/** The SQL expression that turns a staged column into the model's type (number columns are staged typed). */
function typedExpression(c: ColumnDef, staged: string, dict: readonly string[]): string {
  const x = ident(staged);
  switch (columnKind(c)) {
    case 'dict': {
      const list = dict.length > 0 ? `[${dict.map(sqlString).join(', ')}]` : `CAST([] AS VARCHAR[])`;
      return `CASE WHEN ${x} = ${NULL_CODE} THEN NULL ELSE ${list}[${x} + 1] END`;
    }
    default:
      return x;
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
  /** Per staged number/dictionary column (same order as numCols): its staging, null for dictionary columns. */
  private readonly staging: (NumStaging | null)[];
  /** Per column: this file's dictionary (dictionary columns only). */
  private readonly dicts: (Map<string, number> | null)[];
  private readonly dictValues: string[][];
  private main!: DuckDBAppender;
  private side: DuckDBAppender | null = null;
  private chunk!: duckdb.DataChunk;
  private vectors: duckdb.Vector[] = [];
  private readonly codes = new Uint16Array(VECTOR);
  private readonly valid = new Uint8Array(VECTOR / 8);
  private sealed = false;
  /** Rows appended when the appenders were last flushed. */
  private flushed = 0;
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
    this.staging = this.numCols.map((i) => {
      const c = def.columns[i]!;
      return columnKind(c) === 'num' ? numStaging(c) : null;
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
    const numCols = this.numCols.map((i, v) => {
      const c = this.def.columns[i]!;
      return `${ident(c.name)} ${this.staging[v]?.sqlType ?? 'USMALLINT'}`;
    });
    // A table needs a column: a file without number columns stages a row count instead.
    await this.con.run(
      `CREATE TABLE ${ident(this.t)} (${numCols.length > 0 ? numCols.join(', ') : '"_n" BOOLEAN'})`,
    );
    if (this.strCols.length > 0) {
      const strCols = this.strCols.map((i) => `${ident(this.def.columns[i]!.name)} VARCHAR`);
      await this.con.run(`CREATE TABLE ${ident(this.s)} (${strCols.join(', ')})`);
      this.side = await this.con.createAppender(this.s);
    }
    this.main = await this.con.createAppender(this.t);
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
        duckdb.copy_data_to_vector(this.vectors[0]!, 0, new Uint8Array(len).buffer, 0, len);
      }
      this.numCols.forEach((col, v) => {
        const c = batch.columns[col]!;
        const vec = this.vectors[v]!;
        const staging = this.staging[v];
        if (c.kind === 'num' && staging) {
          const nulls = staging.convert(c.values, off, len, this.valid);
          duckdb.copy_data_to_vector(vec, 0, staging.out, 0, len * staging.bytesPerValue);
          if (nulls > 0) {
            if (!this.def.columns[col]!.nullable) {
              throw new Error(`${this.def.name}.${this.def.columns[col]!.name}: NULL in a NOT NULL column`);
            }
            duckdb.vector_ensure_validity_writable(vec);
            duckdb.copy_data_to_vector_validity(vec, 0, this.valid.buffer, 0, Math.ceil(len / 64) * 8);
          }
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
      if (this.side) {
        for (const col of this.strCols) {
          const c = batch.columns[col]!;
          const values = (c as { values: unknown[] }).values.slice(off, off + len);
          this.side.appendVarchar(JSON.stringify(values.map(wellFormed)));
        }
        this.side.endRow();
      }
    }
    this.rows += batch.rows;
    // Rows still in an appender sit in its own buffer, which is copied into the table at the next flush: a flush
    // every FLUSH_ROWS keeps that buffer small without paying a flush per batch (measured: flushing every batch
    // cost ~40% of the writer's CPU time).
    if (this.rows - this.flushed >= FLUSH_ROWS) {
      this.main.flushSync();
      this.side?.flushSync();
      this.flushed = this.rows;
    }
  }

  /** No more rows: the appenders are closed (the staged rows are committed table data). */
  seal(): void {
    if (this.sealed) return;
    this.sealed = true;
    this.main.flushSync();
    this.main.closeSync();
    this.side?.flushSync();
    this.side?.closeSync();
  }

  /**
   * Writes the file (zstd, row groups of equal size up to PARQUET_ROW_GROUP_ROWS rows; a file output's Parquet
   * file is its parts joined, each of up to PARQUET_STAGE_BYTES staged) and drops the staging tables.
   */
  async close(): Promise<void> {
    this.seal();
    const select = this.def.columns
      .map((c, i) => `${typedExpression(c, c.name, this.dictValues[i]!)} AS ${ident(c.name)}`)
      .join(', ');
    const unnest = this.strCols
      .map((i) => {
        const c = this.def.columns[i]!;
        const type = c.type === 'text_list' ? 'VARCHAR[][]' : 'VARCHAR[]';
        return `unnest(CAST(CAST(${ident(c.name)} AS JSON) AS ${type})) AS ${ident(c.name)}`;
      })
      .join(', ');
    const from = this.side
      ? `${ident(this.t)} POSITIONAL JOIN (SELECT ${unnest} FROM ${ident(this.s)})`
      : ident(this.t);
    // Row groups of equal size, at most PARQUET_ROW_GROUP_ROWS rows (a part is cut to hold one), so that parts
    // joined into a file leave no small row group between them (a part's last group is as big as the others).
    // DuckDB cuts row groups at multiples of its 2048-row vectors.
    const groups = Math.max(1, Math.ceil(this.rows / PARQUET_ROW_GROUP_ROWS));
    const rowGroup = Math.max(1, Math.ceil(this.rows / groups / VECTOR)) * VECTOR;
    const sql =
      `COPY (SELECT ${select} FROM ${from}) ` +
      `TO ${sqlString(this.path)} (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE ${rowGroup})`;
    try {
      await this.con.run(sql);
    } finally {
      await this.con.run(`DROP TABLE ${ident(this.t)}${this.side ? `; DROP TABLE ${ident(this.s)}` : ''}`);
    }
  }
}
