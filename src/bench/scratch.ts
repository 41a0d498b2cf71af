// Where a benchmark writes: its own database on the PostgreSQL server it was given (hcpgen_bench_<random>,
// dropped afterwards, also after a failure), a fresh embedded data directory in a temp folder, or (--files) a
// temp folder for the file outputs. The user's own
// databases are never written to.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { connectionError, parseDatabaseUrl } from '../db/connection-errors.js';

export interface ScratchPostgres {
  kind: 'postgres';
  name: string;
  /** The scratch database's URL (with the password of the given URL, if any: pass it by environment only). */
  url: string;
  /** postgres://user@host:port/name, safe to print. */
  description: string;
  drop(): Promise<void>;
}

export interface ScratchEmbedded {
  kind: 'pglite';
  /** Data directory for the embedded database (does not exist yet: the first run creates it). */
  dataDir: string;
  /** Where CSV files go. */
  workDir: string;
  drop(): Promise<void>;
}

async function withClient<T>(url: string, body: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 15_000 });
  try {
    await client.connect();
  } catch (err) {
    await client.end().catch(() => undefined);
    throw connectionError(parseDatabaseUrl(url), err);
  }
  try {
    return await body(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

export async function createScratchPostgres(serverUrl: string): Promise<ScratchPostgres> {
  const name = `hcpgen_bench_${randomBytes(6).toString('hex')}`;
  await withClient(serverUrl, (c) => c.query(`CREATE DATABASE "${name}"`));
  const u = new URL(serverUrl);
  u.pathname = `/${name}`;
  const info = parseDatabaseUrl(u.toString());
  let dropped = false;
  return {
    kind: 'postgres',
    name,
    url: u.toString(),
    description: `postgres://${encodeURIComponent(info.user)}@${info.host}:${info.port}/${name}`,
    drop: async () => {
      if (dropped) return;
      dropped = true;
      // FORCE ends sessions still connected (a generate child killed mid-run leaves none for long, but may).
      await withClient(serverUrl, (c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
    },
  };
}

export function createScratchEmbedded(): ScratchEmbedded {
  const workDir = mkdtempSync(path.join(os.tmpdir(), 'hcpgen-bench-'));
  return {
    kind: 'pglite',
    dataDir: path.join(workDir, 'pglite'),
    workDir,
    drop: async () => rmSync(workDir, { recursive: true, force: true }),
  };
}

export interface ScratchFiles {
  kind: 'files';
  /** A fresh temp directory; each format's output goes into a new subdirectory of it. */
  dir: string;
  drop(): Promise<void>;
}

/**
 * A temp directory for file outputs. Removed by drop() (the bench calls it in finally, also after Ctrl-C) and,
 * should the bench process exit before that (a second Ctrl-C exits at once), by an exit hook.
 */
export function createScratchFiles(): ScratchFiles {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'hcpgen-bench-files-'));
  const remove = (): void => rmSync(dir, { recursive: true, force: true });
  process.once('exit', remove);
  return {
    kind: 'files',
    dir,
    drop: async () => {
      process.off('exit', remove);
      remove();
    },
  };
}

/** `SHOW server_version` on a PostgreSQL URL. */
export function serverVersion(url: string): Promise<string> {
  return withClient(url, async (c) => {
    const r = await c.query<{ server_version: string }>('SHOW server_version');
    return r.rows[0]?.server_version ?? 'unknown';
  });
}
