// PostgreSQL through one `pg` Client (one session: transactions, SET LOCAL and advisory locks all need the same
// connection) and `pg-copy-streams` for COPY FROM STDIN.
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import copyStreams from 'pg-copy-streams';
import {
  connectionError,
  isLostConnection,
  lostConnectionError,
  parseDatabaseUrl,
  type ConnectionInfo,
} from './connection-errors.js';
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

type TypeParser = (text: string) => unknown;

function getTypeParser(oid: number, format?: string): TypeParser {
  const custom = RESULT_PARSERS[oid];
  if (custom && format !== 'binary') return custom;
  return (pg.types.getTypeParser as (oid: number, format?: string) => TypeParser)(oid, format);
}

function describe(info: ConnectionInfo): string {
  return `postgres://${encodeURIComponent(info.user)}@${info.host}:${info.port}/${encodeURIComponent(info.database)}`;
}

export class PgTarget implements Target {
  readonly kind = 'postgres' as const;
  /** A connection error the server sent while we were idle; reported by the next call instead of crashing. */
  private lostConnection: Error | undefined;
  private cancelled = false;
  /** Statements (queries and COPYs) in flight: cancel() only asks the server to stop one when there is one. */
  private active = 0;

  private constructor(
    private readonly client: pg.Client,
    readonly description: string,
    private readonly url: string,
    private readonly backendPid: number,
  ) {
    client.on('error', (err) => {
      this.lostConnection = lostConnectionError(description, err);
    });
  }

  /** Connects to `url`; any failure becomes a UserError naming host, port and database (never the password). */
  static async connect(url: string): Promise<PgTarget> {
    const info = parseDatabaseUrl(url);
    const client = new pg.Client({
      connectionString: url,
      // Shows up in pg_stat_activity: the lock-refusal message in swap.ts names the other run's pid from it.
      application_name: `hcpgen pid ${process.pid}`,
      connectionTimeoutMillis: 15_000,
      types: { getTypeParser } as unknown as pg.CustomTypesConfig,
    });
    try {
      await client.connect();
    } catch (err) {
      await client.end().catch(() => undefined);
      throw connectionError(info, err);
    }
    // PostgreSQL 14+: if this process dies (SIGKILL, a crash), the server notices within a second even in the
    // middle of a long statement, rolls back and releases the writer lock, instead of finishing an index
    // build nobody will commit. Older servers do not know the setting; they notice at the statement's end.
    await client.query(`SET client_connection_check_interval = '1s'`).catch(() => undefined);
    // The backend's pid, for cancel(); asked for after the SET so that a failed SET cannot leave it unread.
    let backendPid: number;
    try {
      const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      backendPid = rows[0]?.pid ?? 0;
    } catch (err) {
      await client.end().catch(() => undefined);
      throw connectionError(info, err);
    }
    return new PgTarget(client, describe(info), url, backendPid);
  }

  async query<R extends Row = Row>(sql: string, params: readonly unknown[] = []): Promise<QueryResult<R>> {
    this.usable();
    const result = (await this.tracked(this.client.query({ text: sql, values: [...params] }))) as
      pg.QueryResult | pg.QueryResult[];
    // Several statements in one parameterless string give one result each; the last one is the answer.
    const last = Array.isArray(result) ? result[result.length - 1] : result;
    if (!last) return { rows: [], fields: [], rowCount: null };
    return {
      rows: last.rows as R[],
      fields: (last.fields ?? []).map((f) => f.name),
      rowCount: last.rowCount ?? null,
    };
  }

  async copyFrom(
    table: string,
    columns: readonly string[],
    source: CopySource,
    format: CopyFormat = 'csv',
  ): Promise<number> {
    this.usable();
    const copy = this.client.query(copyStreams.from(copyStatement(table, columns, 'STDIN', format)));
    // pipeline() writes a chunk only when the COPY stream has room, so at most a couple of chunks are in memory,
    // and it destroys the COPY stream (the server gets CopyFail) if the source throws.
    await this.tracked(pipeline(Readable.from(wholeRows(source, table, format, () => this.usable())), copy));
    return copy.rowCount;
  }

  async begin(): Promise<void> {
    await this.query('BEGIN');
  }

  async commit(): Promise<void> {
    await this.query('COMMIT');
  }

  async rollback(): Promise<void> {
    // Not through query(): after cancel() the rollback is exactly what still has to run.
    if (this.lostConnection) throw this.lostConnection;
    await this.client.query('ROLLBACK');
  }

  async cancel(): Promise<void> {
    this.cancelled = true;
    if (this.active === 0 || this.lostConnection) return;
    // A cancel request must come from outside the busy session. The short-lived connection uses the same URL
    // (same user, so pg_cancel_backend is allowed); if it cannot connect, the statement simply runs to its end.
    const side = new pg.Client({
      connectionString: this.url,
      application_name: `hcpgen pid ${process.pid} cancel`,
      connectionTimeoutMillis: 5_000,
    });
    try {
      await side.connect();
      await side.query('SELECT pg_cancel_backend($1)', [this.backendPid]);
    } catch {
      // Nothing better to do: the statement finishes, and the next one fails on the cancelled flag.
    } finally {
      await side.end().catch(() => undefined);
    }
  }

  async close(): Promise<void> {
    await this.client.end();
  }

  /** Throws what makes this session unusable: a lost connection, or cancel(). */
  private usable(): void {
    if (this.lostConnection) throw this.lostConnection;
    if (this.cancelled) throw new CancelledError();
  }

  private async tracked<T>(statement: Promise<T>): Promise<T> {
    this.active++;
    try {
      return await statement;
    } catch (err) {
      throw isLostConnection(err) ? lostConnectionError(this.description, err) : err;
    } finally {
      this.active--;
    }
  }
}

async function* wholeRows(
  source: CopySource,
  table: string,
  format: CopyFormat,
  usable: () => void,
): AsyncGenerator<CopyChunk> {
  if (format === 'binary') yield BINARY_HEADER;
  for await (const chunk of source) {
    // A long COPY stops at the next chunk after cancel(), even if the cancel request could not be sent.
    usable();
    checkChunk(chunk, table, format);
    if (chunk.length > 0) yield chunk;
  }
  if (format === 'binary') yield BINARY_TRAILER;
}
