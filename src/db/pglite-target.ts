// The embedded database: PGlite (PostgreSQL compiled to WASM) in a data directory on disk.
//
// COPY goes through PGlite's virtual `/dev/blob` file: `COPY t (cols) FROM '/dev/blob' WITH (FORMAT csv)` with
// the CSV text passed as a Blob. (COPY FROM STDIN is known to hang or crash PGlite, so it is never used.) The
// source is read in batches of about `copyBatchBytes`, one COPY statement per batch, so memory stays bounded.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { UserError } from '../lib/errors.js';
import { acquireDataDirLock, type DataDirLock } from './pglite-lock.js';
import { BINARY_HEADER, BINARY_TRAILER, checkChunk, copyStatement, type CopyFormat } from './copy-format.js';
import {
  CancelledError,
  type CopyChunk,
  type CopySource,
  type QueryResult,
  type Row,
  type Target,
} from './target.js';
import { RESULT_PARSERS } from './values.js';
import { makeDirs } from '../lib/make-dirs.js';
import { unpackTarGz } from './tar-unpack.js';

/**
 * The empty database that `npm run build` initialised (dist/pglite-template.tar.gz), if this is a build that
 * has it: unpacking it takes ~0.3 s (PGlite's own loading of it ~0.9 s), initdb inside WASM ~7 s. From source (tsx) there is none: PGlite runs initdb.
 */
function initialisedTemplate(): Buffer | undefined {
  const file = new URL('../pglite-template.tar.gz', import.meta.url);
  return existsSync(file) ? readFileSync(file) : undefined;
}

/** Rows are loaded in COPY statements of about this many characters of CSV (~4 MB of mostly-ASCII text). */
export const DEFAULT_COPY_BATCH_CHARS = 4 * 1024 * 1024;

export class PgliteTarget implements Target {
  readonly kind = 'pglite' as const;
  private cancelled = false;

  private constructor(
    private readonly db: PGlite,
    private readonly lock: DataDirLock,
    readonly description: string,
    private readonly copyBatchChars: number,
  ) {}

  /** Opens (creating on first use) the database in `dataDir`; refuses if another process has it open. */
  static async open(dataDir: string, options: { copyBatchChars?: number } = {}): Promise<PgliteTarget> {
    const dir = path.resolve(dataDir);
    const lock = acquireDataDirLock(dir);
    try {
      const fresh = !existsSync(path.join(dir, 'PG_VERSION'));
      makeDirs(dir);
      const template = fresh ? initialisedTemplate() : undefined;
      // Unpacked here when it can be (tar-unpack.ts: ~0.5 s sooner); otherwise PGlite loads the tarball.
      const load = template && !unpackTarGz(template, dir) ? new Blob([template]) : undefined;
      const db = await PGlite.create(dir, {
        parsers: RESULT_PARSERS,
        ...(load ? { loadDataDir: load } : {}),
      });
      return new PgliteTarget(db, lock, dir, options.copyBatchChars ?? DEFAULT_COPY_BATCH_CHARS);
    } catch (err) {
      lock.release();
      throw new UserError(
        `Could not open the embedded database at ${dir}: ${(err as Error).message}. If it was written by a ` +
          'different hcpgen or PGlite version, or a run was killed mid-write, delete that directory (it holds only ' +
          'generated data) and run again, or set HCPGEN_DATA_DIR to another directory.',
        { cause: err },
      );
    }
  }

  async query<R extends Row = Row>(sql: string, params: readonly unknown[] = []): Promise<QueryResult<R>> {
    if (this.cancelled) throw new CancelledError();
    const r = await this.db.query<R>(sql, [...params]);
    // Like pg: a statement that returns rows counts them; others report the rows they changed.
    const rowCount = r.fields.length > 0 ? r.rows.length : (r.affectedRows ?? null);
    return { rows: r.rows, fields: r.fields.map((f) => f.name), rowCount };
  }

  async copyFrom(
    table: string,
    columns: readonly string[],
    source: CopySource,
    format: CopyFormat = 'csv',
  ): Promise<number> {
    const sql = copyStatement(table, columns, "'/dev/blob'", format);
    let parts: CopyChunk[] = [];
    let size = 0;
    let loaded = 0;
    const flush = async (): Promise<void> => {
      if (size === 0) return;
      if (this.cancelled) throw new CancelledError();
      const blob = new Blob(format === 'binary' ? [BINARY_HEADER, ...parts, BINARY_TRAILER] : parts);
      parts = [];
      size = 0;
      const r = await this.db.query(sql, [], { blob });
      loaded += r.affectedRows ?? 0;
    };
    for await (const chunk of source) {
      if (this.cancelled) throw new CancelledError();
      checkChunk(chunk, table, format);
      parts.push(chunk);
      size += chunk.length;
      // Awaiting the flush is the backpressure: the source is not pulled while a batch loads.
      if (size >= this.copyBatchChars) await flush();
    }
    await flush();
    return loaded;
  }

  async begin(): Promise<void> {
    await this.query('BEGIN');
  }

  async commit(): Promise<void> {
    // Through query(): a run cancelled after its last statement must not commit.
    await this.query('COMMIT');
  }

  async rollback(): Promise<void> {
    await this.db.query('ROLLBACK');
  }

  // PGlite runs each statement on this thread, so there is never one to interrupt by the time this runs: the
  // flag makes the next statement fail instead, and the caller's rollback (which bypasses query()) undoes it.
  cancel(): Promise<void> {
    this.cancelled = true;
    return Promise.resolve();
  }

  async close(): Promise<void> {
    try {
      if (!this.db.closed) await this.db.close();
    } finally {
      this.lock.release();
    }
  }
}
