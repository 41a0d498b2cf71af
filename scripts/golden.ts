// Golden output: what each shipped scenario generates at a small size, pinned per table as the SHA-256 of one
// canonical rendering of its rows, plus a few readable rows. The canonical rendering is the file sink's CSV
// encoding (src/tables/encode-csv.ts) of the rows in primary-key order, without the header line: the CSV sink's
// own data lines, and what any other sink's rows re-encode to once read back (canonicalTables below), so the
// database and Parquet sinks are checked against the same record. test/golden/golden.test.ts compares;
// `npm run golden:update` (scripts/golden-update.ts) rewrites the records after a deliberate change.
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateFiles, type FilesResult } from '../src/files/generate-files.js';
import { openFiles } from '../src/files/validate-files.js';
import type { FileFormat } from '../src/files/views.js';
import { DATA_VERSION } from '../src/lib/data-version.js';
import { DEFAULT_AS_OF } from '../src/plan/limits.js';
import { TableBatch } from '../src/tables/batch.js';
import { encodeCsv } from '../src/tables/encode-csv.js';
import type { TableDef } from '../src/tables/model.js';
import { DATA_TABLE_DEFS, type DataTableName } from '../src/tables/tables.js';
import { MS_PER_DAY } from '../src/time/calendar.js';
import type { Queryable } from '../src/validation/types.js';

export const GOLDEN_DIR = fileURLToPath(new URL('../test/golden/', import.meta.url));
export const UPDATE_COMMAND = 'npm run golden:update';

export interface GoldenCase {
  scenario: string;
  hcps: number;
  months: number;
  seed: number;
  asOf: string;
}

const BASE = { hcps: 300, seed: 42, asOf: DEFAULT_AS_OF } as const;

/** Each shipped scenario at 300 HCPs, seed 42, 3 and 12 months. */
export const GOLDEN_CASES: readonly GoldenCase[] = ['default', 'oncology-launch'].flatMap((scenario) =>
  [3, 12].map((months) => ({ scenario, months, ...BASE })),
);

export interface GoldenTable {
  rows: number;
  /** SHA-256 of the canonical CSV data lines (hex). */
  sha256: string;
  /** The header and the first rows, as CSV lines: for a person reading a diff. */
  sample: string[];
}

export interface GoldenRecord {
  /** DATA_VERSION of the build that wrote the record. */
  dataVersion: number;
  /** The command whose output this is (its CSV data lines are what the hashes cover). */
  command: string;
  params: GoldenCase;
  /** SHA-256 of the scenario file: when it changed, the data was meant to change with it. */
  scenarioHash: string;
  tables: Record<DataTableName, GoldenTable>;
}

const SAMPLE_ROWS = 3;

export function caseName(c: GoldenCase): string {
  return `${c.scenario}-${c.hcps}x${c.months}`;
}

export function goldenFile(c: GoldenCase): string {
  return path.join(GOLDEN_DIR, `${caseName(c)}.json`);
}

export function commandOf(c: GoldenCase, format: FileFormat = 'csv'): string {
  return (
    `hcpgen generate --scenario ${c.scenario} --seed ${c.seed} --hcps ${c.hcps} --months ${c.months} ` +
    `--as-of ${c.asOf} --no-seed-data --out DIR --format ${format}`
  );
}

export function readGolden(c: GoldenCase): GoldenRecord | null {
  try {
    return JSON.parse(readFileSync(goldenFile(c), 'utf8')) as GoldenRecord;
  } catch {
    return null;
  }
}

/** One case into a file output in a temporary directory (no fixtures, no validation); remove() deletes it. */
export async function generateCase(
  c: GoldenCase,
  format: FileFormat,
): Promise<{ dir: string; result: FilesResult; remove(): void }> {
  const parent = mkdtempSync(path.join(os.tmpdir(), 'hcpgen-golden-'));
  const dir = path.join(parent, 'out');
  try {
    const result = await generateFiles({ ...c, out: dir, format, workers: 0, quiet: true });
    return { dir, result, remove: () => rmSync(parent, { recursive: true, force: true }) };
  } catch (err) {
    rmSync(parent, { recursive: true, force: true });
    throw err;
  }
}

function summarise(header: string, lines: Buffer): GoldenTable {
  const text = lines.toString('utf8');
  let rows = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) rows++;
  const sample = [header];
  let start = 0;
  for (let k = 0; k < SAMPLE_ROWS && start < text.length; k++) {
    const end = text.indexOf('\n', start);
    sample.push(text.slice(start, end));
    start = end + 1;
  }
  return { rows, sha256: createHash('sha256').update(lines).digest('hex'), sample };
}

/**
 * The CSV sink's own data lines per table (every file in manifest order, header lines dropped), sorted as text:
 * equal to the canonical lines sorted the same way exactly when the files hold the canonical encoding of the rows.
 */
export function csvLineSets(result: FilesResult): Record<DataTableName, string> {
  const out = {} as Record<DataTableName, string>;
  for (const def of DATA_TABLE_DEFS) {
    const lines = result.output.files
      .filter((f) => f.table === def.name)
      .flatMap((f) => readFileSync(path.join(result.output.dir, f.path), 'utf8').split('\n').slice(1, -1));
    out[def.name] = sortedHash(lines);
  }
  return out;
}

function sortedHash(lines: string[]): string {
  const hash = createHash('sha256');
  for (const line of lines.sort()) hash.update(`${line}\n`);
  return hash.digest('hex');
}

/** What canonicalTables gives, in the form csvLineSets compares. */
export function canonicalLineSets(tables: Record<DataTableName, Buffer>): Record<DataTableName, string> {
  const out = {} as Record<DataTableName, string>;
  for (const def of DATA_TABLE_DEFS)
    out[def.name] = sortedHash(tables[def.name].toString('utf8').split('\n').slice(0, -1));
  return out;
}

export function recordOf(
  c: GoldenCase,
  scenarioHash: string,
  tables: Record<DataTableName, GoldenTable>,
): GoldenRecord {
  return { dataVersion: DATA_VERSION, command: commandOf(c), params: c, scenarioHash, tables };
}

/** Primary-key order by code points and numbers: the same on every engine, whatever its collation. */
function compareKeys(def: TableDef): (a: Record<string, unknown>, b: Record<string, unknown>) => number {
  return (a, b) => {
    for (const k of def.primaryKey) {
      const x = a[k];
      const y = b[k];
      if (x === y) continue;
      if (typeof x === 'number' && typeof y === 'number') return x - y;
      return String(x) < String(y) ? -1 : 1;
    }
    return 0;
  };
}

const dayOf = (d: string): number => Date.parse(`${d.slice(0, 10)}T00:00:00Z`) / MS_PER_DAY;
const msOf = (t: string): number => Date.parse(`${t.replace(' ', 'T')}Z`);

/** Rows as read back by a Queryable (src/db/values.ts representation) into a batch, for the CSV encoder. */
function toBatch(def: TableDef, rows: readonly Record<string, unknown>[]): TableBatch {
  const batch = new TableBatch(def, rows.length);
  for (const r of rows) {
    const row = batch.row();
    def.columns.forEach((c, i) => {
      const v = r[c.name];
      if (v === null || v === undefined) return batch.setNull(i, row);
      switch (c.type) {
        case 'date':
          return batch.setNum(i, row, dayOf(String(v)));
        case 'timestamp':
          return batch.setNum(i, row, msOf(String(v)));
        case 'text_list':
          return batch.setList(i, row, (v as unknown[]).map(String));
        case 'text':
        case 'char':
          return batch.setText(i, row, String(v));
        default:
          return batch.setNum(i, row, Number(v));
      }
    });
  }
  return batch;
}

/**
 * The canonical rendering of every table another sink holds: `SELECT *` through `q` (a database target, or
 * DuckDB views over a file output), sorted by primary key, encoded by the CSV sink's encoder.
 */
export async function canonicalTables(q: Queryable): Promise<Record<DataTableName, GoldenTable>> {
  return summariseAll(await canonicalLines(q));
}

/** The canonical CSV data lines of every table (see canonicalTables). */
export async function canonicalLines(q: Queryable): Promise<Record<DataTableName, Buffer>> {
  const out = {} as Record<DataTableName, Buffer>;
  for (const def of DATA_TABLE_DEFS) {
    const { rows } = await q.query(`SELECT * FROM ${def.name}`);
    rows.sort(compareKeys(def));
    out[def.name] = Buffer.from(encodeCsv(def, toBatch(def, rows).data()));
  }
  return out;
}

/** The tables whose rows differ from the record (count or hash). */
export function changedTables(
  expected: GoldenRecord,
  actual: Record<DataTableName, GoldenTable>,
): DataTableName[] {
  return DATA_TABLE_DEFS.map((d) => d.name).filter((t) => {
    const e = expected.tables[t];
    const a = actual[t];
    return !e || e.rows !== a.rows || e.sha256 !== a.sha256;
  });
}

/** The canonical tables of a file output (CSV or Parquet), read back through DuckDB's views. */
export async function fileTables(dir: string): Promise<Record<DataTableName, Buffer>> {
  const files = await openFiles(dir);
  try {
    return await canonicalLines(files.db);
  } finally {
    await files.close();
  }
}

export function summariseAll(lines: Record<DataTableName, Buffer>): Record<DataTableName, GoldenTable> {
  const out = {} as Record<DataTableName, GoldenTable>;
  for (const def of DATA_TABLE_DEFS) {
    out[def.name] = summarise(def.columns.map((c) => c.name).join(','), lines[def.name]);
  }
  return out;
}

/**
 * One case through the CSV sink: its record, and the tables whose files do not hold exactly the canonical lines
 * (their bytes are not the CSV encoding of the rows they decode to).
 */
export async function recordCase(
  c: GoldenCase,
): Promise<{ record: GoldenRecord; notCanonical: DataTableName[] }> {
  const out = await generateCase(c, 'csv');
  try {
    const lines = await fileTables(out.dir);
    const raw = csvLineSets(out.result);
    const canonical = canonicalLineSets(lines);
    const notCanonical = DATA_TABLE_DEFS.map((d) => d.name).filter((t) => raw[t] !== canonical[t]);
    return { record: recordOf(c, out.result.scenario.hash, summariseAll(lines)), notCanonical };
  } finally {
    out.remove();
  }
}
