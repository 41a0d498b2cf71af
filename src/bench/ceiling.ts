// The ingest ceiling: how fast the database takes these very rows when nothing generates them. The generated
// tables are exported to CSV files, then loaded back from disk with COPY into empty copies of the tables, twice:
//   - indexes in place: the tables already have the same keys, foreign keys and indexes (issue 1's ceiling,
//     the 70% target; now shown as information);
//   - keys after load: bare tables, COPY, then the same keys and indexes as plain statements, the way a person
//     with these files would load them: the main ceiling figure (issue 17's 80% target). generate's own key
//     builds may be smarter (src/db/swap.ts); that is part of what it is measured for.
// Each load is one transaction that creates its tables in a scratch schema (as generate's staging schema is), with
// the same maintenance_work_mem as generate; the schema is dropped afterwards, outside the timing.
import path from 'node:path';
import { columnNames } from '../tables/tables.js';
import { loadSchemaModel, qualify, quoteIdent, renderCreateTables, renderKeysAndIndexes } from '../db/ddl.js';
import type { TableModel } from '../db/ddl.js';
import { DATA_TABLES } from '../db/entities.js';
import { TABLES, type TableName } from '../plan/types.js';
import type { Ingest } from './ingest.js';
import type { CeilingFigures, CeilingRun, TableFigure } from './types.js';

/** generate's setting for its key and index builds (src/db/swap.ts). */
const MAINTENANCE_WORK_MEM = '1GB';

export type CsvFiles = Record<TableName, string>;

/** Exports the seven generated tables (schema `from`) to `<dir>/<table>.csv`. */
export async function exportTables(
  ingest: Ingest,
  dir: string,
  from = 'public',
): Promise<{ files: CsvFiles; bytes: number; seconds: number }> {
  const started = performance.now();
  const files = {} as CsvFiles;
  let bytes = 0;
  for (const table of TABLES) {
    files[table] = path.join(dir, `${table}.csv`);
    bytes += await ingest.exportCsv(qualify(table, from), columnNames(table), files[table]);
  }
  return { files, bytes, seconds: seconds(started) };
}

export async function measureCeiling(
  ingest: Ingest,
  dir: string,
  signal?: AbortSignal,
): Promise<CeilingFigures> {
  const exported = await exportTables(ingest, dir);
  const model = await loadSchemaModel();
  signal?.throwIfAborted();
  const indexesInPlace = await loadRun(
    ingest,
    model,
    exported.files,
    'hcpgen_bench_ceiling_idx',
    true,
    signal,
  );
  const keysAfterLoad = await loadRun(
    ingest,
    model,
    exported.files,
    'hcpgen_bench_ceiling_keys',
    false,
    signal,
  );
  return { exportSeconds: exported.seconds, csvBytes: exported.bytes, indexesInPlace, keysAfterLoad };
}

async function loadRun(
  ingest: Ingest,
  model: TableModel[],
  files: CsvFiles,
  schema: string,
  indexesFirst: boolean,
  signal: AbortSignal | undefined,
): Promise<CeilingRun> {
  const tables = {} as Record<TableName, TableFigure>;
  let loadSeconds = 0;
  let keysSeconds = 0;
  const started = performance.now();
  await ingest.query('BEGIN');
  try {
    await ingest.query(`CREATE SCHEMA ${quoteIdent(schema)}`);
    for (const sql of renderCreateTables(model, schema, DATA_TABLES)) await ingest.query(sql);
    await ingest.query(`SET LOCAL maintenance_work_mem = '${MAINTENANCE_WORK_MEM}'`);
    const keys = renderKeysAndIndexes(model, schema, DATA_TABLES);
    if (indexesFirst) for (const sql of keys) await ingest.query(sql);
    for (const table of TABLES) {
      signal?.throwIfAborted();
      const t0 = performance.now();
      const rows = await ingest.importCsv(qualify(table, schema), columnNames(table), files[table], signal);
      const s = seconds(t0);
      loadSeconds += s;
      tables[table] = { rows, seconds: s, rowsPerSecond: perSecond(rows, s) };
    }
    if (!indexesFirst) {
      const t0 = performance.now();
      for (const sql of keys) await ingest.query(sql);
      keysSeconds = seconds(t0);
    }
    await ingest.query('COMMIT');
  } catch (err) {
    await ingest.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
  const total = seconds(started);
  await ingest.query(`DROP SCHEMA IF EXISTS ${quoteIdent(schema)} CASCADE`);
  const rows = TABLES.reduce((a, t) => a + tables[t].rows, 0);
  return {
    tables,
    loadSeconds: round3(loadSeconds),
    keysSeconds: round3(keysSeconds),
    seconds: total,
    rows,
    rowsPerSecond: perSecond(rows, total),
  };
}

function seconds(since: number): number {
  return round3((performance.now() - since) / 1000);
}

export function perSecond(rows: number, secs: number): number {
  return secs > 0 ? Math.round(rows / secs) : 0;
}

function round3(n: number): number {
  return Math.round(n * 1000) / 1000;
}
