// One SQL statement, its rows streamed page by page into a ResultRenderer (src/db/render-table.ts): what
// `hcpgen sql` runs. Rows come as arrays in column order (pg and PGlite `rowMode: 'array'`, DuckDB's positional
// rows), so repeated and unnamed columns stay apart, and through a cursor, so that any result size runs in
// constant memory:
//
// - PostgreSQL and PGlite: BEGIN; DECLARE hcpgen_sql NO SCROLL CURSOR FOR <statement>; FETCH 1000 ... until
//   done or the row limit; CLOSE; COMMIT. A statement a cursor cannot hold (INSERT, SHOW, EXPLAIN, several
//   statements...) fails the DECLARE: the transaction rolls back and the statement runs on its own, plainly.
// - DuckDB (file output): a streaming result, read one data chunk (2,048 rows) at a time.
// - `COPY ... TO STDOUT`: PostgreSQL streams the COPY data itself (pg-copy-streams); the embedded database and
//   DuckDB have no COPY protocol, so it is refused with the --csv equivalent.
//
// The targets keep their drivers private (their query() returns rows as objects, keyed by name), so this module
// reaches the driver through the one field each holds it in, checked at run time.
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { DuckDBConnection, DuckDBResult } from '@duckdb/node-api';
import pg from 'pg';
const pgTypes = pg.types;
import copyStreams from 'pg-copy-streams';
import type { PGlite } from '@electric-sql/pglite';
import { DuckDb, DuckDbError, fromDuck } from '../files/duckdb.js';
import { UserError } from '../lib/errors.js';
import type { Cells, ResultRenderer } from './render-table.js';
import type { Target } from './target.js';
import { JsonText } from './json-text.js';
import { RESULT_PARSERS } from './values.js';

const JSON_OIDS = [114, 3802];
const rawJson = (text: string): JsonText => new JsonText(text);

type TypeParser = (text: string) => unknown;

/** hcpgen's result parsers (values.ts), with json and jsonb kept as text. */
function pgTypeParser(oid: number, format?: string): TypeParser {
  if (JSON_OIDS.includes(oid) && format !== 'binary') return rawJson;
  const custom = RESULT_PARSERS[oid];
  if (custom && format !== 'binary') return custom;
  return (pgTypes.getTypeParser as (oid: number, format?: string) => TypeParser)(oid, format);
}

/** Statements whose row count PGlite reports (it says 0 for DDL too, where pg says nothing). */
const COUNTS_ROWS = /^\s*(insert|update|delete|merge|copy)\b/i;

/** Rows per FETCH. */
export const PAGE_ROWS = 1000;

export type QuerySource = Target | DuckDb;

export interface StreamOptions {
  /** Stop after this many rows (0 = no limit); the renderer is told that rows were left unread. */
  limit: number;
  /** Where `COPY ... TO STDOUT` data goes (PostgreSQL only), verbatim. */
  copyOut?: Writable;
}

/** `COPY ... TO STDOUT` / `COPY ... FROM STDIN`, by their first and last words (comments aside). */
export function copyDirection(sql: string): 'to-stdout' | 'from-stdin' | null {
  const text = sql.replace(/--[^\n]*|\/\*[\s\S]*?\*\//g, ' ');
  if (!/^\s*copy\b/i.test(text)) return null;
  if (/\bto\s+stdout\b/i.test(text)) return 'to-stdout';
  if (/\bfrom\s+stdin\b/i.test(text)) return 'from-stdin';
  return null;
}

function driver<T>(owner: object, field: string, what: string): T {
  const value = (owner as Record<string, unknown>)[field];
  if (value === undefined || value === null) throw new Error(`${what}: no driver in field "${field}"`);
  return value as T;
}

/** The statement without trailing semicolons and whitespace, for wrapping in DECLARE. */
function bare(sql: string): string {
  return sql.replace(/[\s;]+$/, '');
}

/** Feeds rows to the renderer up to the limit; returns false once the limit is reached. */
class Counter {
  rows = 0;
  truncated = false;
  constructor(
    private readonly renderer: ResultRenderer,
    private readonly limit: number,
  ) {}

  async page(rows: readonly Cells[]): Promise<boolean> {
    if (this.limit > 0 && this.rows + rows.length > this.limit) {
      const keep = rows.slice(0, this.limit - this.rows);
      this.rows += keep.length;
      this.truncated = true;
      if (keep.length > 0) await this.renderer.rows(keep);
      return false;
    }
    this.rows += rows.length;
    if (rows.length > 0) await this.renderer.rows(rows);
    return true;
  }
}

/** Runs `sql` on `source` and renders its result. Errors from the database are rethrown as they came. */
export async function streamQuery(
  source: QuerySource,
  sql: string,
  renderer: ResultRenderer,
  options: StreamOptions,
): Promise<void> {
  const copy = copyDirection(sql);
  const kind = source instanceof DuckDb ? 'duckdb' : source.kind;
  if (copy === 'from-stdin') {
    throw new UserError(
      'COPY ... FROM STDIN needs data on standard input, which hcpgen sql does not send. To load files, use ' +
        "hcpgen load DIR, or psql's \\copy against a PostgreSQL server.",
    );
  }
  if (copy === 'to-stdout') {
    if (kind !== 'postgres' || !options.copyOut) {
      throw new UserError(
        `COPY ... TO STDOUT works only against a PostgreSQL server (--db), not ${kind === 'duckdb' ? 'file output (DuckDB)' : 'the embedded database'}. ` +
          'Run the query itself with --csv instead: hcpgen sql --csv --out FILE "select ..." writes RFC 4180 CSV ' +
          'with a header, NULLs as empty fields, which COPY ... FROM ... WITH (FORMAT csv, HEADER) reads back.',
      );
    }
    const client = driver<pg.Client>(source, 'client', 'PostgreSQL target');
    await pipeline(client.query(copyStreams.to(sql)), options.copyOut, { end: false });
    return;
  }
  if (source instanceof DuckDb) return streamDuck(source, sql, renderer, options.limit);
  if (source.kind === 'postgres') {
    const client = driver<pg.Client>(source, 'client', 'PostgreSQL target');
    return streamCursor(
      async (text, extended) => {
        const r = (await client.query({
          text,
          rowMode: 'array',
          types: { getTypeParser: pgTypeParser },
          ...(extended ? { queryMode: 'extended' } : {}),
        } as pg.QueryArrayConfig)) as pg.QueryArrayResult | pg.QueryArrayResult[];
        // Several statements in one string give one result each; the last one is the answer.
        const last = Array.isArray(r) ? r[r.length - 1] : r;
        if (!last) return { names: null, rows: [], count: null };
        const names = last.fields?.length ? last.fields.map((f) => f.name) : null;
        return { names, rows: last.rows, count: last.rowCount ?? null };
      },
      sql,
      renderer,
      options.limit,
    );
  }
  const db = driver<PGlite>(source, 'db', 'embedded target');
  return streamCursor(
    async (text) => {
      const r = await db.query<unknown[]>(text, [], {
        rowMode: 'array',
        parsers: { ...RESULT_PARSERS, 114: rawJson, 3802: rawJson },
      });
      const names = r.fields.length > 0 ? r.fields.map((f) => f.name) : null;
      const count = names ? r.rows.length : COUNTS_ROWS.test(text) ? (r.affectedRows ?? null) : null;
      return { names, rows: r.rows, count };
    },
    sql,
    renderer,
    options.limit,
  );
}

interface Answer {
  /** null: the statement returns no rows. */
  names: string[] | null;
  rows: Cells[];
  count: number | null;
}

type Run = (sql: string, extended?: boolean) => Promise<Answer>;

async function streamCursor(run: Run, sql: string, renderer: ResultRenderer, limit: number): Promise<void> {
  await run('BEGIN');
  try {
    // The extended protocol refuses several statements in one string, so "DECLARE ...; DELETE ..." cannot
    // slip a second statement past the cursor.
    await run(`DECLARE hcpgen_sql NO SCROLL CURSOR FOR\n${bare(sql)}\n`, true);
  } catch {
    // Not a statement a cursor can hold (or a broken one): run it on its own, which also reports its error
    // with the right position.
    await run('ROLLBACK');
    const r = await run(sql);
    if (!r.names) return renderer.end(r.count, false);
    await renderer.columns(r.names);
    const counter = new Counter(renderer, limit);
    await counter.page(r.rows);
    return renderer.end(counter.rows, counter.truncated);
  }
  try {
    const counter = new Counter(renderer, limit);
    let started = false;
    for (;;) {
      // One row past the limit tells whether it cut anything.
      const want = limit > 0 ? Math.min(PAGE_ROWS, limit - counter.rows + 1) : PAGE_ROWS;
      const page = await run(`FETCH ${want} FROM hcpgen_sql`);
      if (!started) {
        await renderer.columns(page.names ?? []);
        started = true;
      }
      const more = await counter.page(page.rows);
      if (!more || page.rows.length < want) break;
    }
    await run('CLOSE hcpgen_sql');
    await run('COMMIT');
    await renderer.end(counter.rows, counter.truncated);
  } catch (err) {
    await run('ROLLBACK').catch(() => undefined);
    throw err;
  }
}

async function streamDuck(db: DuckDb, sql: string, renderer: ResultRenderer, limit: number): Promise<void> {
  const connection = driver<DuckDBConnection>(db, 'connection', 'DuckDB');
  let result: DuckDBResult;
  try {
    result = await connection.stream(sql);
  } catch (err) {
    throw new DuckDbError(err instanceof Error ? err.message : String(err), undefined);
  }
  const names = result.columnNames();
  if (names.length === 0) return renderer.end(result.rowsChanged, false);
  const types = result.columnTypes();
  await renderer.columns(names);
  const counter = new Counter(renderer, limit);
  for (;;) {
    const chunk = await result.fetchChunk();
    if (!chunk || chunk.rowCount === 0) break;
    const rows = chunk.getRows().map((row) => row.map((v, i) => fromDuck(v, types[i]!)));
    if (!(await counter.page(rows))) break;
  }
  await renderer.end(counter.rows, counter.truncated);
}

/** Writes to a stream, waiting for 'drain' when its buffer is full. */
export function writerFor(out: Writable): (text: string) => Promise<void> {
  return (text) =>
    new Promise<void>((resolve, reject) => {
      if (out.write(text)) return resolve();
      const done = (err?: Error) => {
        out.off('drain', ok);
        out.off('error', done);
        if (err) reject(err);
        else resolve();
      };
      const ok = () => done();
      out.once('drain', ok);
      out.once('error', done);
    });
}
