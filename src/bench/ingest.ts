// Raw CSV in and out of a database, for the ingest ceiling: the fastest way each database kind takes rows, with
// nothing of hcpgen's in between. PostgreSQL: COPY ... TO STDOUT into a file, and COPY ... FROM STDIN streamed
// from the file (pg-copy-streams). Embedded: COPY through PGlite's /dev/blob, in batches of whole rows of the same
// size the embedded target uses.
import { createReadStream, createWriteStream } from 'node:fs';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import copyStreams from 'pg-copy-streams';
import { quoteIdent } from '../db/ddl.js';
import { acquireDataDirLock } from '../db/pglite-lock.js';
import { DEFAULT_COPY_BATCH_CHARS } from '../db/pglite-target.js';

export interface Ingest {
  query(sql: string): Promise<void>;
  /** `SHOW server_version` */
  serverVersion(): Promise<string>;
  /** Writes `table (columns)` as CSV to `file`; returns its size in bytes. `table` is already qualified. */
  exportCsv(table: string, columns: readonly string[], file: string): Promise<number>;
  /** Loads the CSV `file` into `table (columns)`; returns the rows loaded. */
  importCsv(table: string, columns: readonly string[], file: string, signal?: AbortSignal): Promise<number>;
  close(): Promise<void>;
}

const cols = (columns: readonly string[]): string => columns.map(quoteIdent).join(', ');

export async function postgresIngest(url: string): Promise<Ingest> {
  const client = new pg.Client({
    connectionString: url,
    application_name: `hcpgen bench pid ${process.pid}`,
  });
  await client.connect();
  return {
    query: async (sql) => void (await client.query(sql)),
    serverVersion: async () =>
      (await client.query<{ server_version: string }>('SHOW server_version')).rows[0]?.server_version ??
      'unknown',
    exportCsv: async (table, columns, file) => {
      const copy = client.query(
        copyStreams.to(`COPY ${table} (${cols(columns)}) TO STDOUT WITH (FORMAT csv)`),
      );
      await pipeline(copy, createWriteStream(file));
      return (await stat(file)).size;
    },
    importCsv: async (table, columns, file, signal) => {
      const copy = client.query(
        copyStreams.from(`COPY ${table} (${cols(columns)}) FROM STDIN WITH (FORMAT csv)`),
      );
      // An abort destroys the COPY stream mid-table: the server gets CopyFail and the transaction is rolled back.
      await pipeline(createReadStream(file, { highWaterMark: 1024 * 1024 }), copy, signal ? { signal } : {});
      return copy.rowCount;
    },
    close: () => client.end(),
  };
}

export async function pgliteIngest(dataDir: string): Promise<Ingest> {
  const lock = acquireDataDirLock(dataDir);
  let db: PGlite;
  try {
    db = await PGlite.create(dataDir);
  } catch (err) {
    lock.release();
    throw err;
  }
  return {
    query: async (sql) => void (await db.exec(sql)),
    serverVersion: async () =>
      (await db.query<{ server_version: string }>('SHOW server_version')).rows[0]?.server_version ??
      'unknown',
    exportCsv: async (table, columns, file) => {
      const r = await db.query(`COPY ${table} (${cols(columns)}) TO '/dev/blob' WITH (FORMAT csv)`);
      const bytes = r.blob ? new Uint8Array(await r.blob.arrayBuffer()) : new Uint8Array();
      await writeFile(file, bytes);
      return bytes.length;
    },
    importCsv: async (table, columns, file, signal) => {
      const sql = `COPY ${table} (${cols(columns)}) FROM '/dev/blob' WITH (FORMAT csv)`;
      const bytes = await readFile(file);
      let rows = 0;
      for (const batch of wholeRowBatches(bytes, DEFAULT_COPY_BATCH_CHARS)) {
        signal?.throwIfAborted();
        const r = await db.query(sql, [], { blob: new Blob([batch]) });
        rows += r.affectedRows ?? 0;
      }
      return rows;
    },
    close: async () => {
      try {
        await db.close();
      } finally {
        lock.release();
      }
    },
  };
}

/**
 * Splits CSV bytes into batches of whole rows of at least `size` bytes (the last may be smaller). A newline
 * inside a quoted field is not a row end: quotes are counted (an escaped quote is two, so parity holds).
 */
export function* wholeRowBatches(bytes: Uint8Array, size: number): Generator<Uint8Array> {
  let start = 0;
  let quoted = false;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (b === 0x22) quoted = !quoted;
    else if (b === 0x0a && !quoted && i + 1 - start >= size) {
      yield bytes.subarray(start, i + 1);
      start = i + 1;
    }
  }
  if (start < bytes.length) yield bytes.subarray(start);
}
