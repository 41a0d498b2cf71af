// PostgreSQL through one `pg` Client (one session: transactions, SET LOCAL and advisory locks all need the same
// connection) and `pg-copy-streams` for COPY FROM STDIN.
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import copyStreams from 'pg-copy-streams';
import { connectionError, parseDatabaseUrl, type ConnectionInfo } from './connection-errors.js';
import { quoteIdent } from './ddl.js';
import { assertWholeRows } from './csv.js';
import type { CopyChunk, CopySource, QueryResult, Row, Target } from './target.js';
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

  private constructor(
    private readonly client: pg.Client,
    readonly description: string,
  ) {
    client.on('error', (err) => {
      this.lostConnection = err;
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
    return new PgTarget(client, describe(info));
  }

  async query<R extends Row = Row>(sql: string, params: readonly unknown[] = []): Promise<QueryResult<R>> {
    if (this.lostConnection) throw this.lostConnection;
    const result = (await this.client.query({ text: sql, values: [...params] })) as
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

  async copyFrom(table: string, columns: readonly string[], source: CopySource): Promise<number> {
    if (this.lostConnection) throw this.lostConnection;
    const sql = `COPY ${quoteIdent(table)} (${columns.map(quoteIdent).join(', ')}) FROM STDIN WITH (FORMAT csv)`;
    const copy = this.client.query(copyStreams.from(sql));
    // pipeline() writes a chunk only when the COPY stream has room, so at most a couple of chunks are in memory,
    // and it destroys the COPY stream (the server gets CopyFail) if the source throws.
    await pipeline(Readable.from(wholeRows(source, table)), copy);
    return copy.rowCount;
  }

  async begin(): Promise<void> {
    await this.query('BEGIN');
  }

  async commit(): Promise<void> {
    await this.query('COMMIT');
  }

  async rollback(): Promise<void> {
    await this.query('ROLLBACK');
  }

  async close(): Promise<void> {
    await this.client.end();
  }
}

async function* wholeRows(source: CopySource, table: string): AsyncGenerator<CopyChunk> {
  for await (const chunk of source) {
    assertWholeRows(chunk, table);
    if (chunk.length > 0) yield chunk;
  }
}
