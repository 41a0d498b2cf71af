// A file output built without the writer: each table of a PostgreSQL database exported with
// `COPY (SELECT * FROM t WHERE <its HCP in the shard> ORDER BY key) TO STDOUT WITH (FORMAT csv, HEADER)` into the
// layout of `hcpgen generate --out` (DIR/<table>/part-K-of-N-P.csv, one manifest per shard), and the same files
// as Parquet written by DuckDB from the typed CSV views. The manifest's plan and params are the database's run.
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { RESULT_PARSERS } from '../../src/db/values.js';
import { DuckDb } from '../../src/files/duckdb.js';
import { manifestName, type Manifest, type ManifestFile } from '../../src/files/manifest-read.js';
import { sqlString, viewSelect, TEXT_ARRAY_MACRO, type FileFormat } from '../../src/files/views.js';
import type { Plan } from '../../src/plan/types.js';
import { DATA_TABLE_DEFS } from '../../src/tables/tables.js';
import type { TableDef } from '../../src/tables/model.js';
import type { CheckResult, Queryable, ValidationReport } from '../../src/validation/types.js';

/** A pg client with hcpgen's result parsers (src/db/values.ts), usable as a Queryable. */
export async function connect(url: string): Promise<pg.Client & Queryable> {
  const getTypeParser = (oid: number, format?: string) =>
    (format !== 'binary' && RESULT_PARSERS[oid]) ||
    (pg.types.getTypeParser as (oid: number, format?: string) => (t: string) => unknown)(oid, format);
  const client = new pg.Client({
    connectionString: url,
    types: { getTypeParser } as unknown as pg.CustomTypesConfig,
  });
  await client.connect();
  return client as pg.Client & Queryable;
}

/** What must be equal between engines: everything but timings and the run.status wording (no hcpgen_runs). */
export function comparable(report: ValidationReport): Omit<CheckResult, 'ms'>[] {
  return report.results.filter((r) => r.name !== 'run.status').map(({ ms: _ms, ...rest }) => rest);
}

const pad = (n: number, w: number) => String(n).padStart(w, '0');

/** The column that puts a row in a shard (HCP-major sharding); campaigns go to shard 1. */
function hcpColumn(t: TableDef): string | null {
  if (t.name === 'hcp_profiles') return 'id';
  return t.columns.some((c) => c.name === 'hcp_id') ? 'hcp_id' : null;
}

export function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export async function fileEntry(
  dir: string,
  table: string,
  rel: string,
  rows: number,
): Promise<ManifestFile> {
  const bytes = await readFile(path.join(dir, rel));
  return { table, path: rel, rows, bytes: bytes.length, sha256: sha256(bytes) };
}

interface RunRow {
  scenario_name: string;
  scenario_hash: string;
  seed: number;
  hcps: number;
  months: number;
  as_of: string;
  generator_version: string;
  plan: Plan;
  fixtures_hash: string | null;
}

export interface ExportOptions {
  shards?: number;
  /** Changes the run key (another run's manifest). */
  runSalt?: string;
}

/**
 * Exports the database `client` is connected to (inside its transaction, if one is open) as CSV into `dir`.
 * Returns the manifests written.
 */
export async function exportCsv(
  client: pg.Client,
  dir: string,
  options: ExportOptions = {},
): Promise<Manifest[]> {
  const n = options.shards ?? 1;
  const { rows } = await client.query<RunRow>(
    `SELECT * FROM hcpgen_runs WHERE status = 'succeeded' ORDER BY id DESC LIMIT 1`,
  );
  const run = rows[0]!;
  const hcps = run.hcps;
  const identity = {
    scenarioHash: run.scenario_hash,
    params: { seed: Number(run.seed), hcps, months: run.months, asOf: run.as_of },
    fixturesHash: run.fixtures_hash,
    generatorVersion: run.generator_version,
    format: 'csv',
    shards: n,
    salt: options.runSalt ?? '',
  };
  const runKey = createHash('sha256').update(JSON.stringify(identity)).digest('hex');
  const manifests: Manifest[] = [];
  for (let k = 1; k <= n; k++) {
    const from = Math.floor(((k - 1) * hcps) / n) + 1;
    const to = k === n ? Number.MAX_SAFE_INTEGER : Math.floor((k * hcps) / n);
    const files: ManifestFile[] = [];
    const counts: Record<string, number> = {};
    for (const t of DATA_TABLE_DEFS) {
      const col = hcpColumn(t);
      if (!col && k > 1) {
        counts[t.name] = 0;
        continue;
      }
      const where = col ? `WHERE ${col} BETWEEN ${from} AND ${to}` : '';
      const rel = `${t.name}/part-${pad(k, 4)}-of-${pad(n, 4)}-00000.csv`;
      await mkdir(path.join(dir, t.name), { recursive: true });
      const stream = client.query(
        copyTo(
          `COPY (SELECT * FROM ${t.name} ${where} ORDER BY ${t.primaryKey.join(', ')}) TO STDOUT WITH (FORMAT csv, HEADER)`,
        ),
      );
      await pipeline(stream, createWriteStream(path.join(dir, rel)));
      const rowCount = stream.rowCount;
      counts[t.name] = rowCount;
      if (rowCount === 0 && k > 1) {
        await rm(path.join(dir, rel));
        continue;
      }
      files.push(await fileEntry(dir, t.name, rel, rowCount));
    }
    const manifest: Manifest = {
      kind: 'hcpgen-file-output',
      manifestVersion: 1,
      generatorVersion: run.generator_version,
      format: 'csv',
      scenario: { name: run.scenario_name, file: run.scenario_name, hash: run.scenario_hash },
      params: identity.params,
      fixturesHash: run.fixtures_hash,
      shard: { index: k, count: n, hcpFrom: from, hcpTo: Math.min(to, hcps) },
      runKey,
      plan: run.plan,
      counts,
      files,
    };
    await writeManifest(dir, manifest);
    manifests.push(manifest);
  }
  return manifests;
}

export async function writeManifest(dir: string, m: Manifest): Promise<void> {
  await writeFile(
    path.join(dir, manifestName(m.shard.index, m.shard.count)),
    `${JSON.stringify(m, null, 2)}\n`,
  );
}

/** The same output as Parquet, written by DuckDB from the CSV output's typed views: `csvDir` -> `dir`. */
export async function csvToParquet(csvDir: string, manifests: Manifest[], dir: string): Promise<Manifest[]> {
  const db = await DuckDb.open({ description: csvDir });
  try {
    await db.query(TEXT_ARRAY_MACRO);
    const out: Manifest[] = [];
    for (const m of manifests) {
      const files: ManifestFile[] = [];
      for (const f of m.files) {
        const t = DATA_TABLE_DEFS.find((d) => d.name === f.table)!;
        const rel = f.path.replace(/\.csv$/, '.parquet');
        await mkdir(path.join(dir, t.name), { recursive: true });
        const select = viewSelect(t, [path.join(csvDir, f.path)], 'csv');
        await db.query(`COPY (${select}) TO ${sqlString(path.join(dir, rel))} (FORMAT parquet)`);
        files.push(await fileEntry(dir, t.name, rel, f.rows));
      }
      const format: FileFormat = 'parquet';
      const runKey = createHash('sha256').update(`${m.runKey} parquet`).digest('hex');
      const parquet: Manifest = { ...m, format, runKey, files };
      await writeManifest(dir, parquet);
      out.push(parquet);
    }
    return out;
  } finally {
    await db.close();
  }
}

export async function size(file: string): Promise<number> {
  return (await stat(file)).size;
}
