// Where the rows go: PostgreSQL (a URL) or the embedded PGlite database, behind one small interface. Steps and
// commands never open connections themselves; they get a Target from openTarget() (open-target.ts, kept apart so
// the two implementations can import this interface without an import cycle).
import type { CopyChunk, CopyFormat } from './copy-format.js';

export type { CopyChunk };

export type Row = Record<string, unknown>;

export interface QueryResult<R extends Row = Row> {
  rows: R[];
  /** Column names in result order (also for zero rows). */
  fields: string[];
  /** Rows affected (INSERT/UPDATE/DELETE/COPY) or returned; null when the statement reports none. */
  rowCount: number | null;
}

export interface Target {
  readonly kind: 'postgres' | 'pglite';
  /** Where this target points, safe to print: `postgres://user@host:port/db` (never the password) or a directory. */
  readonly description: string;
  /**
   * Runs one SQL statement with `$1`-style parameters. Results use one representation on both targets (see
   * src/db/values.ts): int8 as number (string past 2^53), numeric as number, date / timestamp as text.
   */
  query<R extends Row = Row>(sql: string, params?: readonly unknown[]): Promise<QueryResult<R>>;
  /**
   * Loads rows into `table` (one identifier, resolved through search_path) with `COPY table (columns) FROM ...
   * WITH (FORMAT csv | binary)`. `source` yields chunks of whole rows. CSV (the default, src/db/csv.ts:
   * `csvRow`): every chunk ends with the newline of its last row. Binary: bare tuples (src/db/copy-format.ts);
   * the target adds the format's header and trailer to each COPY statement. Pulls chunks only as fast as the
   * database takes them. Returns the number of rows loaded.
   */
  copyFrom(
    table: string,
    columns: readonly string[],
    source: CopySource,
    format?: CopyFormat,
  ): Promise<number>;
  begin(): Promise<void>;
  commit(): Promise<void>;
  rollback(): Promise<void>;
  /**
   * For Ctrl-C: stops the statement in progress (PostgreSQL: a cancel request from a second, short-lived
   * connection; PGlite runs statements on this thread, so the one in progress finishes first) and makes every
   * later query and COPY fail with SQLSTATE 57014, so the caller unwinds to its rollback at once. rollback() and
   * close() still work. Never throws.
   */
  cancel(): Promise<void>;
  close(): Promise<void>;
}

/** What query() and copyFrom() throw after cancel(): shaped like the server's own "query canceled" error. */
export class CancelledError extends Error {
  readonly code = '57014';
  constructor() {
    super('canceling statement due to user request');
    this.name = 'CancelledError';
  }
}

export type CopySource = AsyncIterable<CopyChunk> | Iterable<CopyChunk>;
