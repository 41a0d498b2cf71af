// Measures copyFrom throughput: ~2M simple rows into PostgreSQL and into PGlite.
// Run: npx tsx scripts/bench-copy.ts [rows] [postgres-admin-url]. Creates and drops its own database / temp dir.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { csvRow } from '../src/db/csv.js';
import { PgTarget } from '../src/db/pg-target.js';
import { PgliteTarget } from '../src/db/pglite-target.js';
import type { Target } from '../src/db/target.js';

const rows = Number(process.argv[2] ?? 2_000_000);
const adminUrl = process.argv[3] ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const ROWS_PER_CHUNK = 5_000;

/** Stimulus-like rows, generated as they would be: chunks of whole rows. */
function* chunks(): Generator<string> {
  for (let start = 0; start < rows; start += ROWS_PER_CHUNK) {
    let text = '';
    for (let i = start; i < Math.min(rows, start + ROWS_PER_CHUNK); i++) {
      text += csvRow([
        i,
        (i % 50_000) + 1,
        i % 7 === 0 ? null : i % 40,
        'email',
        '2024-03-01 10:00:00',
        `R${i % 300}`,
      ]);
    }
    yield text;
  }
}

async function bench(name: string, target: Target): Promise<void> {
  await target.query(
    'CREATE TABLE stimuli (id bigint, hcp_id integer, campaign_id integer, channel text, occurred_at timestamp, rep_id text)',
  );
  const heapBefore = process.memoryUsage().rss;
  const t0 = performance.now();
  await target.begin();
  const n = await target.copyFrom(
    'stimuli',
    ['id', 'hcp_id', 'campaign_id', 'channel', 'occurred_at', 'rep_id'],
    chunks(),
  );
  await target.commit();
  const s = (performance.now() - t0) / 1000;
  const rss = Math.round((process.memoryUsage().rss - heapBefore) / 2 ** 20);
  console.log(
    `${name}: ${n} rows in ${s.toFixed(1)} s = ${Math.round(n / s).toLocaleString('en')} rows/s (rss +${rss} MiB)`,
  );
}

const dbName = `hcpgen_bench_${randomBytes(4).toString('hex')}`;
const admin = new pg.Client(adminUrl);
await admin.connect();
await admin.query(`CREATE DATABASE "${dbName}"`);
try {
  const u = new URL(adminUrl);
  u.pathname = `/${dbName}`;
  const pgTarget = await PgTarget.connect(u.toString());
  await bench('postgres', pgTarget);
  await pgTarget.close();
} finally {
  await admin.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
  await admin.end();
}

const dir = mkdtempSync(path.join(os.tmpdir(), 'hcpgen-bench-'));
try {
  const lite = await PgliteTarget.open(path.join(dir, 'data'));
  await bench('pglite', lite);
  await lite.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
