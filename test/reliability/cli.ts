// The CLI as a user runs it (a child process from source, real argv, signals, exit codes), and "the database"
// as these tests compare it: one md5 per table over every row, plus the schemas that exist.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import path from 'node:path';
import { PgTarget } from '../../src/db/pg-target.js';
import { PgliteTarget } from '../../src/db/pglite-target.js';
import { DATA_TABLES, RUNS_TABLE } from '../../src/db/entities.js';
import type { Target } from '../../src/db/target.js';
import { packageRoot } from '../../src/scenario/resolve.js';

export const ROOT = packageRoot();
const ENTRY = path.join(ROOT, 'bin', 'dev.js');

export interface Finished {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** A running `hcpgen` child: its output so far, and promises for a line of stderr and for its exit. */
export class Hcpgen {
  readonly child: ChildProcessWithoutNullStreams;
  stdout = '';
  stderr = '';
  readonly exited: Promise<Finished>;

  constructor(args: readonly string[], env: NodeJS.ProcessEnv = {}) {
    const merged: NodeJS.ProcessEnv = { ...process.env, ...env };
    if (!('DEBUG' in env)) delete merged.DEBUG;
    // The tests pass --db explicitly, or mean the embedded database: never a DATABASE_URL from outside.
    delete merged.DATABASE_URL;
    this.child = spawn(process.execPath, ['--import', 'tsx', ENTRY, ...args], { cwd: ROOT, env: merged });
    this.child.stdout.setEncoding('utf8').on('data', (d: string) => (this.stdout += d));
    this.child.stderr.setEncoding('utf8').on('data', (d: string) => (this.stderr += d));
    this.exited = new Promise((resolve) =>
      this.child.on('close', (status, signal) =>
        resolve({ status, signal, stdout: this.stdout, stderr: this.stderr }),
      ),
    );
  }

  get pid(): number {
    return this.child.pid ?? 0;
  }

  /** Resolves when stderr contains `text`; rejects if the process exits first. */
  async waitForStderr(text: string): Promise<void> {
    while (!this.stderr.includes(text)) {
      const exited = await Promise.race([this.exited.then(() => true), delay(20).then(() => false)]);
      if (exited && !this.stderr.includes(text)) {
        throw new Error(`hcpgen exited before printing "${text}":\n${this.stderr}`);
      }
    }
  }
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export function hcpgen(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<Finished> {
  return new Hcpgen(args, env).exited;
}

/** Lines that look like a stack frame: `    at fn (file:1:2)`. */
export const STACK_FRAME = /^\s+at /m;

/** Every hcpgen table (data tables and run metadata) as one md5 each, plus the list of schemas. */
export async function fingerprint(target: Target): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const present = await target.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND c.relkind = 'r'`,
  );
  const tables = new Set(present.rows.map((r) => r.name));
  for (const table of [...DATA_TABLES, RUNS_TABLE]) {
    if (!tables.has(table)) {
      out[table] = 'absent';
      continue;
    }
    const { rows } = await target.query<{ md5: string; n: number }>(
      `SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) AS md5, count(*)::int AS n
         FROM public."${table}" t`,
    );
    out[table] = `${rows[0]?.n} rows ${rows[0]?.md5}`;
  }
  const schemas = await target.query<{ names: string }>(
    `SELECT string_agg(nspname, ',' ORDER BY nspname) AS names FROM pg_namespace`,
  );
  out.schemas = schemas.rows[0]?.names ?? '';
  return out;
}

export async function fingerprintPostgres(url: string): Promise<Record<string, string>> {
  const target = await PgTarget.connect(url);
  try {
    return await fingerprint(target);
  } finally {
    await target.close();
  }
}

/** Opens the data directory (no hcpgen may be running on it), fingerprints it, closes it. */
export async function fingerprintPglite(dir: string): Promise<Record<string, string>> {
  const target = await PgliteTarget.open(dir);
  try {
    return await fingerprint(target);
  } finally {
    await target.close();
  }
}
