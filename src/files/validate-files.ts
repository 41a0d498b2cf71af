// `hcpgen validate --files DIR` and `hcpgen sql --files DIR`: the manifests prove the directory is one complete
// run as written (manifest-read.ts), one typed scan per table proves every file has the model's columns and the
// rows its manifest lists, then DuckDB views present the seven tables and the same checks as on a database run
// (src/validation/) against them, with the manifests as the run record.
import { open } from 'node:fs/promises';
import path from 'node:path';
import { UserError } from '../lib/errors.js';
import type { TableDef } from '../tables/model.js';
import { DATA_TABLE_DEFS } from '../tables/tables.js';
import { DUCKDB_VALIDATION_SETUP } from '../validation/dialect.js';
import { runValidation } from '../validation/run.js';
import type { RunClaim, ValidationReport } from '../validation/types.js';
import { DuckDb } from './duckdb.js';
import { readFileOutput, type FileOutput, type ReadOptions } from './manifest-read.js';
import { createViews, csvSource, duckType, sqlIdent, sqlString } from './views.js';

export interface OpenFilesOptions extends ReadOptions {
  /** Run DuckDB with the settings under which it reads the checks' SQL as PostgreSQL does (dialect.ts). */
  validationSettings?: boolean;
}

export interface OpenedFiles {
  /** The seven tables as views. */
  db: DuckDb;
  output: FileOutput;
  close(): Promise<void>;
}

/** Proves the output complete and as written, then opens an in-memory DuckDB with one view per table. */
export async function openFiles(dir: string, options: OpenFilesOptions = {}): Promise<OpenedFiles> {
  const output = await readFileOutput(dir, options);
  const db = await DuckDb.open({
    description: dir,
    setup: options.validationSettings ? DUCKDB_VALIDATION_SETUP : [],
  });
  try {
    const paths = new Map([...output.files].map(([t, list]) => [t, list.map((f) => f.absolute)]));
    for (const table of DATA_TABLE_DEFS) await checkContents(db, output, table, dir);
    await createViews(db, DATA_TABLE_DEFS, paths, output.format);
  } catch (err) {
    await db.close();
    throw err;
  }
  return { db, output, close: () => db.close() };
}

/** What the manifests claim, for the 'run' checks: their params and scenario, their counts summed. */
export function manifestClaim(output: FileOutput): RunClaim {
  const m = output.manifests[0]!.manifest;
  const key = output.runKey.slice(0, 12);
  return {
    id: null,
    label: `the manifests of run ${key}`,
    scenarioName: m.scenario.name,
    scenarioHash: m.scenario.hash,
    seed: m.params.seed,
    hcps: m.params.hcps,
    months: m.params.months,
    asOf: m.params.asOf,
    generatorVersion: m.generatorVersion,
    counts: output.counts,
    manifests: {
      runKey: output.runKey,
      count: m.shard.count,
      present: output.manifests.map((x) => x.manifest.shard.index),
    },
  };
}

export interface ValidateFilesOptions extends ReadOptions {
  /** false: every check runs its own query (see RunValidationOptions.sharedPasses). */
  sharedPasses?: boolean;
}

/** Validates a file output; a failing check is a result (report.failed > 0), bad input a UserError. */
export async function validateFiles(
  dir: string,
  options: ValidateFilesOptions = {},
): Promise<ValidationReport> {
  const opened = await openFiles(dir, { ...options, validationSettings: true });
  try {
    return await runValidation(opened.db, {
      plan: opened.output.plan,
      claim: manifestClaim(opened.output),
      database: dir,
      ...(options.sharedPasses === undefined ? {} : { sharedPasses: options.sharedPasses }),
    });
  } finally {
    await opened.close();
  }
}

/** The first line of a file (a CSV header), at most 64 KiB. */
async function firstLine(file: string): Promise<string> {
  const handle = await open(file, 'r');
  try {
    const buf = Buffer.alloc(65536);
    const { bytesRead } = await handle.read(buf, 0, buf.length, 0);
    const text = buf.subarray(0, bytesRead).toString('utf8');
    const end = text.indexOf('\n');
    return (end < 0 ? text : text.slice(0, end)).replace(/\r$/, '');
  } finally {
    await handle.close();
  }
}

/**
 * One typed scan of a table's files: the model's columns (Parquet: names and types; CSV: the header), the rows
 * each file's manifest entry lists, and no NULL where the model allows none. A CSV value that does not parse as
 * its column's type fails here, naming the file and line.
 */
async function checkContents(db: DuckDb, output: FileOutput, table: TableDef, dirArg: string): Promise<void> {
  const files = output.files.get(table.name) ?? [];
  if (files.length === 0) return;
  const shown = (absolute: string) => path.join(dirArg, path.relative(output.dir, absolute));
  const names = table.columns.map((c) => c.name);
  for (const f of files) {
    if (output.format === 'csv') {
      const header = await firstLine(f.absolute);
      if (header !== names.join(',')) {
        throw new UserError(
          `${shown(f.absolute)} starts with the header "${header.slice(0, 200)}", not the ${table.name} columns ` +
            `"${names.join(',')}": it was not written by this hcpgen version for this table. Regenerate the shard.`,
        );
      }
    } else {
      const { rows } = await db.query<{ column_name: string; column_type: string }>(
        `DESCRIBE SELECT * FROM read_parquet(${sqlString(f.absolute)})`,
      );
      const found = rows.map((r) => `${r.column_name} ${r.column_type}`);
      const expected = table.columns.map((c) => `${c.name} ${duckType(c)}`);
      if (found.join(', ') !== expected.join(', ')) {
        throw new UserError(
          `${shown(f.absolute)} has the columns (${found.join(', ')}), not the ${table.name} columns ` +
            `(${expected.join(', ')}): it was not written by this hcpgen version for this table. Regenerate the shard.`,
        );
      }
    }
  }
  const list = files.map((f) => f.absolute);
  const source =
    output.format === 'csv'
      ? csvSource(table, list, ', filename = true')
      : `read_parquet([${list.map(sqlString).join(', ')}], filename = true)`;
  const required = table.columns.filter((c) => !c.nullable);
  const counts = required.map((c, i) => `count(${sqlIdent(c.name)}) AS c${i}`);
  let rows;
  try {
    ({ rows } = await db.query(
      `SELECT filename, count(*) AS n${counts.map((c) => `, ${c}`).join('')} FROM ${source} GROUP BY filename`,
    ));
  } catch (err) {
    throw new UserError(
      `The ${table.name} files of ${dirArg} do not read as ${output.format.toUpperCase()} with the ${table.name} ` +
        `columns: ${(err as Error).message.split('\n')[0]} Regenerate the shard that wrote the file.`,
      { cause: err },
    );
  }
  const byFile = new Map(rows.map((r) => [String(r.filename), r]));
  for (const f of files) {
    const r = byFile.get(f.absolute);
    const n = r ? Number(r.n) : 0;
    if (n !== f.rows) {
      throw new UserError(
        `${shown(f.absolute)} holds ${n} rows, ${f.manifest} says ${f.rows}: the file does not hold what was ` +
          'written. Regenerate that shard.',
      );
    }
    const nulls = required.filter((_, i) => r && Number(r[`c${i}`]) !== n).map((c) => c.name);
    if (nulls.length > 0) {
      throw new UserError(
        `${shown(f.absolute)} has NULLs in ${nulls.join(', ')}, which ${table.name} never leaves empty: the file ` +
          'was edited or written by another tool. Regenerate that shard.',
      );
    }
  }
}
