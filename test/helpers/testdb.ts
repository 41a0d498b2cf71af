// Test databases: a fresh PostgreSQL database per suite (created on the server named by TEST_DATABASE_URL,
// DATABASE_URL or the local default, dropped after), and a fresh PGlite data directory per suite.
import { randomBytes } from 'node:crypto';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { PgTarget } from '../../src/db/pg-target.js';
import { PgliteTarget } from '../../src/db/pglite-target.js';
import type { Target } from '../../src/db/target.js';

export const ADMIN_URL =
  process.env.TEST_DATABASE_URL || process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TestDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

async function admin<T>(body: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    return await body(client);
  } finally {
    await client.end();
  }
}

/** Creates `hcpgen_test_<random>`; drop() removes it (closing any connection still open to it). */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `hcpgen_test_${randomBytes(6).toString('hex')}`;
  await admin((c) => c.query(`CREATE DATABASE "${name}"`));
  return {
    name,
    url: withDatabase(ADMIN_URL, name),
    drop: () => admin(async (c) => void (await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`))),
  };
}

/** Runs SQL as the admin user on the server (roles, grants). */
export function adminQuery(sql: string): Promise<pg.QueryResult> {
  return admin((c) => c.query(sql));
}

let template: string | undefined;

/**
 * A fresh, empty PGlite data directory in a temp dir. The first call per process runs initdb (~10 s) into a
 * template; later calls copy it (~1 s).
 */
export async function createPgliteDir(): Promise<{ dir: string; remove(): void }> {
  if (!template) {
    const dir = path.join(mkdtempSync(path.join(os.tmpdir(), 'hcpgen-pglite-template-')), 'data');
    const t = await PgliteTarget.open(dir);
    await t.close();
    template = dir;
    process.once('exit', () => rmSync(path.dirname(dir), { recursive: true, force: true }));
  }
  const parent = mkdtempSync(path.join(os.tmpdir(), 'hcpgen-pglite-'));
  const dir = path.join(parent, 'data');
  cpSync(template, dir, { recursive: true });
  return { dir, remove: () => rmSync(parent, { recursive: true, force: true }) };
}

/**
 * Runs `body` with HCPGEN_DATA_DIR naming `dir` (the generator opens the embedded database it names, and closes
 * it before returning), restoring the variable after.
 */
export async function withDataDir<T>(dir: string, body: () => Promise<T>): Promise<T> {
  const saved = process.env.HCPGEN_DATA_DIR;
  process.env.HCPGEN_DATA_DIR = dir;
  try {
    return await body();
  } finally {
    if (saved === undefined) delete process.env.HCPGEN_DATA_DIR;
    else process.env.HCPGEN_DATA_DIR = saved;
  }
}

/** A fresh PGlite target in a temp dir; cleanup() closes it and removes the directory. */
export async function createPgliteTarget(
  options: { copyBatchChars?: number } = {},
): Promise<{ target: PgliteTarget; dir: string; cleanup(): Promise<void> }> {
  const { dir, remove } = await createPgliteDir();
  const target = await PgliteTarget.open(dir, options);
  return {
    target,
    dir,
    cleanup: async () => {
      await target.close();
      remove();
    },
  };
}

export type TargetKind = 'postgres' | 'pglite';

export interface TargetHarness {
  readonly kind: TargetKind;
  /** The suite's target (opened in before(), closed in after()). */
  target(): Target;
  /** PostgreSQL only: the suite database's URL. */
  url(): string;
}

/**
 * The database the suite runs against: PostgreSQL when TEST_DATABASE_URL (or DATABASE_URL) is set, else the
 * embedded PGlite database, so `npm test` passes on a machine with nothing but Node. CI runs the suite both
 * ways (.ci/run). Never skipped: a PostgreSQL that is configured but down fails the suite.
 */
export const TEST_TARGET: TargetKind =
  process.env.TEST_DATABASE_URL || process.env.DATABASE_URL ? 'postgres' : 'pglite';

/** Declares a suite on a fresh database of the TEST_TARGET kind. */
export function describeOnTestTarget(title: string, body: (h: TargetHarness) => void): void {
  const kind = TEST_TARGET;
  describe(`${title} [${kind}]`, function () {
    let target: Target | undefined;
    let cleanup: (() => Promise<void>) | undefined;
    let url: string | undefined;
    before(async function () {
      if (kind === 'postgres') {
        const db = await createTestDatabase();
        url = db.url;
        target = await PgTarget.connect(db.url);
        cleanup = async () => {
          await target?.close();
          await db.drop();
        };
      } else {
        const p = await createPgliteTarget();
        target = p.target;
        cleanup = p.cleanup;
      }
    });
    after(async function () {
      await cleanup?.();
    });
    body({
      kind,
      target: () => {
        if (!target) throw new Error('target not open yet (use it inside a test or hook)');
        return target;
      },
      url: () => {
        if (!url) throw new Error('no URL: not a PostgreSQL suite');
        return url;
      },
    });
  });
}
