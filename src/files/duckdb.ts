// An in-memory DuckDB behind the same query() shape as a Target (src/validation/types.ts `Queryable`), so the
// validation checks and `hcpgen sql` run on file output unchanged. Parameters bind as `$1`-style values typed
// from the JS value (a string array becomes VARCHAR[], so `$1::date[]` and `= ANY($1::text[])` work), and
// results follow src/db/values.ts: int64/hugeint -> number when safe (else the decimal string), decimal -> number,
// float -> the float4 as PostgreSQL prints it, date -> 'YYYY-MM-DD', timestamp -> 'YYYY-MM-DD HH:MM:SS[.ffffff]',
// lists -> arrays. Errors carry a PostgreSQL-like SQLSTATE class (22 data, 42 syntax/catalog), which is what
// runValidation reads to turn a broken check query into a failed check instead of an abort.
import os from 'node:os';
import path from 'node:path';
import {
  BIGINT,
  BOOLEAN,
  DOUBLE,
  DuckDBInstance,
  DuckDBTypeId,
  HUGEINT,
  LIST,
  SQLNULL,
  VARCHAR,
  listValue,
  type DuckDBConnection,
  type DuckDBType,
  type DuckDBValue,
} from '@duckdb/node-api';
import type { QueryResult, Row } from '../db/target.js';
import { UserError } from '../lib/errors.js';
import { parseInt8 } from '../db/values.js';
import type { Queryable } from '../validation/types.js';

/** A DuckDB error with the SQLSTATE class PostgreSQL would give it (for runValidation's data-error test). */
export class DuckDbError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
  ) {
    super(message);
    this.name = 'DuckDbError';
  }
}

// DuckDB prefixes every message with its error type; these are the ones that mean "the SQL or the data".
const SQLSTATE: Record<string, string> = {
  'Parser Error': '42601',
  'Binder Error': '42000',
  'Catalog Error': '42P01',
  'Conversion Error': '22018',
  'Invalid Input Error': '22P02',
  'Out of Range Error': '22003',
  'Mismatch Type Error': '42804',
};

function duckError(err: unknown): DuckDbError | UserError {
  const message = err instanceof Error ? err.message : String(err);
  // Out of memory or disk is the machine's limit, not a damaged check: say so and how to change it.
  if (/^Out of Memory Error|No space left on device/.test(message)) {
    return new UserError(
      `DuckDB ran out of room reading the file output: ${message.split('\n')[0]}. Raise its memory limit with ` +
        `HCPGEN_DUCKDB_MEMORY (e.g. HCPGEN_DUCKDB_MEMORY=2GB; default 512MB), or free disk space in ${os.tmpdir()} ` +
        '(it spills there).',
      { cause: err },
    );
  }
  const type = /^([A-Z][A-Za-z ]+ Error):/.exec(message)?.[1];
  return new DuckDbError(message, type ? SQLSTATE[type] : undefined);
}

export interface DuckDbOptions {
  /** How messages name what is queried, e.g. the output directory. */
  description: string;
  /** Statements run once after connecting (src/validation/dialect.ts: settings the checks rely on). */
  setup?: readonly string[];
}

export class DuckDb implements Queryable {
  readonly dialect = 'duckdb' as const;
  readonly description: string;

  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly connection: DuckDBConnection,
    description: string,
  ) {
    this.description = description;
  }

  static async open(options: DuckDbOptions): Promise<DuckDb> {
    // No extensions: the views need none, and autoloading one would reach for the network. (Without ICU, DuckDB
    // has no time zones: TIMESTAMPTZ is UTC.)
    // A memory limit and a spill directory: left alone, DuckDB takes up to 80% of the machine's memory for the
    // validation aggregates (1.9 GiB measured at 50,000 HCPs).
    const instance = await DuckDBInstance.create(':memory:', {
      autoinstall_known_extensions: 'false',
      memory_limit: process.env.HCPGEN_DUCKDB_MEMORY ?? '512MB',
      temp_directory: path.join(os.tmpdir(), `hcpgen-duckdb-${process.pid}`),
    });
    const db = new DuckDb(instance, await instance.connect(), options.description);
    for (const sql of options.setup ?? []) await db.query(sql);
    return db;
  }

  async query<R extends Row = Row>(sql: string, params: readonly unknown[] = []): Promise<QueryResult<R>> {
    const values: DuckDBValue[] = [];
    const types: DuckDBType[] = [];
    for (const p of params) {
      const [value, type] = toDuck(p);
      values.push(value);
      types.push(type);
    }
    let reader;
    try {
      reader = await this.connection.runAndReadAll(
        sql,
        params.length > 0 ? values : undefined,
        params.length > 0 ? types : undefined,
      );
    } catch (err) {
      throw duckError(err);
    }
    const fields = reader.columnNames();
    const columnTypes = reader.columnTypes();
    const rows = reader.getRows().map((row) => {
      const out: Row = {};
      row.forEach((v, i) => (out[fields[i]!] = fromDuck(v, columnTypes[i]!)));
      return out as R;
    });
    return { rows, fields, rowCount: fields.length > 0 ? rows.length : null };
  }

  async close(): Promise<void> {
    this.connection.closeSync();
    this.instance.closeSync();
  }
}

/** A JS parameter as a DuckDB value and its type. */
function toDuck(v: unknown): [DuckDBValue, DuckDBType] {
  if (v === null || v === undefined) return [null, SQLNULL];
  if (typeof v === 'string') return [v, VARCHAR];
  if (typeof v === 'boolean') return [v, BOOLEAN];
  if (typeof v === 'bigint') return [v, HUGEINT];
  if (typeof v === 'number') return Number.isSafeInteger(v) ? [BigInt(v), BIGINT] : [v, DOUBLE];
  if (v instanceof Date) return [v.toISOString(), VARCHAR];
  if (Array.isArray(v)) {
    // One element type for the list: numbers are BIGINT unless one is fractional, anything else VARCHAR.
    const items = v.filter((x) => x !== null && x !== undefined);
    const allNumbers = items.length > 0 && items.every((x) => typeof x === 'number');
    const type = !allNumbers ? VARCHAR : items.every((x) => Number.isSafeInteger(x)) ? BIGINT : DOUBLE;
    const converted = v.map((x): DuckDBValue => {
      if (x === null || x === undefined) return null;
      if (type === BIGINT) return BigInt(x as number);
      if (type === DOUBLE) return x as number;
      return typeof x === 'string' ? x : JSON.stringify(x);
    });
    return [listValue(converted), LIST(type)];
  }
  return [JSON.stringify(v), VARCHAR];
}

/** The shortest decimal that reads back as the same float4: what PostgreSQL prints for a real. */
export function float4Number(x: number): number {
  if (!Number.isFinite(x) || x === 0) return x;
  for (let digits = 1; digits <= 9; digits++) {
    const candidate = Number(x.toPrecision(digits));
    if (Math.fround(candidate) === x) return candidate;
  }
  return x;
}

/** A DuckDB value in src/db/values.ts's representation (also for `hcpgen sql --files`' streamed rows). */
export function fromDuck(v: DuckDBValue, type: DuckDBType): unknown {
  if (v === null) return null;
  switch (type.typeId) {
    case DuckDBTypeId.BOOLEAN:
    case DuckDBTypeId.TINYINT:
    case DuckDBTypeId.SMALLINT:
    case DuckDBTypeId.INTEGER:
    case DuckDBTypeId.UTINYINT:
    case DuckDBTypeId.USMALLINT:
    case DuckDBTypeId.UINTEGER:
    case DuckDBTypeId.DOUBLE:
      return v;
    case DuckDBTypeId.BIGINT:
    case DuckDBTypeId.UBIGINT:
    case DuckDBTypeId.HUGEINT:
    case DuckDBTypeId.UHUGEINT:
      return parseInt8(String(v));
    case DuckDBTypeId.FLOAT:
      return float4Number(v as number);
    case DuckDBTypeId.DECIMAL:
      return Number(String(v));
    case DuckDBTypeId.TIMESTAMP_TZ:
      return new Date(Number((v as { micros: bigint }).micros / 1000n));
    case DuckDBTypeId.BLOB:
      return Buffer.from((v as { bytes: Uint8Array }).bytes);
    case DuckDBTypeId.LIST:
    case DuckDBTypeId.ARRAY: {
      const child = (type as unknown as { valueType: DuckDBType }).valueType;
      return (v as { items: readonly DuckDBValue[] }).items.map((x) => fromDuck(x, child));
    }
    case DuckDBTypeId.STRUCT: {
      const t = type as unknown as { entryNames: string[]; entryTypes: DuckDBType[] };
      const entries = (v as { entries: Record<string, DuckDBValue> }).entries;
      return Object.fromEntries(
        t.entryNames.map((n, i) => [n, fromDuck(entries[n] ?? null, t.entryTypes[i]!)]),
      );
    }
    default:
      // DATE and TIMESTAMP print as PostgreSQL does ('YYYY-MM-DD', 'YYYY-MM-DD HH:MM:SS[.ffffff]'); VARCHAR,
      // UUID, ENUM, TIME and INTERVAL as text.
      return String(v);
  }
}
