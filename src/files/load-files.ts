// `hcpgen load DIR --db URL`: a complete file output (every shard, every file as its manifest says) into
// PostgreSQL or the embedded database, with the same protocol as `generate`: key-less staging tables, binary
// COPY, keys and indexes, validation, one atomic swap, the run recorded in hcpgen_runs. DuckDB reads the files
// (Parquet or CSV, through the same typed views validation uses); its result chunks become batches, which the
// database sink's encoder turns into COPY tuples.
import { DuckDBInstance, DuckDBListValue, type DuckDBValue } from '@duckdb/node-api';
import type { Plan, TableName } from '../plan/types.js';
import { TABLES } from '../plan/types.js';
import { openTarget } from '../db/open-target.js';
import { readLatestRun, withAtomicRegeneration, type Stage } from '../db/swap.js';
import { StageSink } from '../db/stage-sink.js';
import { UserError } from '../lib/errors.js';
import { Progress, fmt } from '../generate/progress.js';
import type { GenerateResult } from '../generate/run.js';
import { expectedWithFixtures } from '../fixtures/seed-data.js';
import { encodeBatch } from '../steps/chunk-encode.js';
import { TableBatch } from '../tables/batch.js';
import type { ColumnDef, TableDef } from '../tables/model.js';
import { DATA_TABLE_DEFS } from '../tables/tables.js';
import { readFileOutput } from './manifest-read.js';
import { TEXT_ARRAY_MACRO, sqlIdent, viewSelect } from './views.js';

export interface LoadOptions {
  dir: string;
  db?: string;
  wipe?: boolean;
  force?: boolean;
  /** Runs inside the transaction after keys exist; throwing rolls everything back. */
  validate?: (stage: Stage, plan: Plan) => Promise<void>;
  quiet?: boolean;
  signal?: AbortSignal;
}

/** Rows per batch handed to the database sink. */
const BATCH_ROWS = 65_536;

/** The SELECT expression that gives a column as a plain JS value: numbers (dates as days, timestamps as ms). */
function plainExpression(c: ColumnDef): string {
  const x = sqlIdent(c.name);
  switch (c.type) {
    case 'date':
      return `CAST(${x} - DATE '1970-01-01' AS DOUBLE)`;
    case 'timestamp':
      return `CAST(epoch_ms(${x}) AS DOUBLE)`;
    case 'int16':
    case 'int32':
    case 'int64':
    case 'float32':
      return `CAST(${x} AS DOUBLE)`;
    default:
      return x;
  }
}

function setCell(b: TableBatch, col: number, row: number, c: ColumnDef, v: DuckDBValue): void {
  if (v === null) return b.setNull(col, row);
  if (c.type === 'text_list')
    return b.setList(
      col,
      row,
      (v as DuckDBListValue).items.map((e) => String(e)),
    );
  if (typeof v === 'number') return b.setNum(col, row, v);
  b.setText(col, row, String(v));
}

async function* tableBatches(
  con: Awaited<ReturnType<DuckDBInstance['connect']>>,
  def: TableDef,
  files: readonly string[],
  format: 'parquet' | 'csv',
): AsyncGenerator<TableBatch> {
  const cols = def.columns.map((c) => `${plainExpression(c)} AS ${sqlIdent(c.name)}`).join(', ');
  const result = await con.stream(`SELECT ${cols} FROM (${viewSelect(def, files, format)})`);
  let batch = new TableBatch(def, BATCH_ROWS);
  for (;;) {
    const chunk = await result.fetchChunk();
    if (!chunk || chunk.rowCount === 0) break;
    const columns = def.columns.map((_, i) => chunk.getColumnValues(i));
    for (let r = 0; r < chunk.rowCount; r++) {
      const row = batch.row();
      def.columns.forEach((c, i) => setCell(batch, i, row, c, columns[i]![r]!));
    }
    if (batch.rows >= BATCH_ROWS) {
      yield batch;
      batch = new TableBatch(def, BATCH_ROWS);
    }
  }
  if (batch.rows > 0) yield batch;
}

export async function loadFiles(options: LoadOptions): Promise<GenerateResult> {
  const started = performance.now();
  // Every manifest, shard and checksum is checked before the database is touched.
  const output = await readFileOutput(options.dir, { checksums: true });
  const plan = output.plan;
  const first = output.manifests[0]!.manifest;
  const target = await openTarget(options.db === undefined ? {} : { db: options.db });
  const cancel = (): void => void target.cancel();
  options.signal?.addEventListener('abort', cancel, { once: true });
  const duck = await DuckDBInstance.create(':memory:', {
    autoinstall_known_extensions: 'false',
    preserve_insertion_order: 'true',
  });
  try {
    const existing = await readLatestRun(target);
    if (existing && !options.wipe) {
      throw new UserError(
        `${target.description} already holds generated data (run #${existing.id}: scenario ${existing.scenarioName}, ` +
          `seed ${existing.seed}, ${fmt(existing.hcps)} HCPs). Nothing was changed. Pass --wipe to replace it with ` +
          `the files in ${options.dir}, or point --db at another database.`,
      );
    }
    const con = await duck.connect();
    await con.run(TEXT_ARRAY_MACRO);
    const progress = new Progress(plan.params.hcps, options.quiet ? null : process.stderr);
    progress.note(`hcpgen: loading ${output.format} files from ${options.dir} into ${target.description}`);
    const phases = { plan: 0, load: 0, keys: 0, validate: 0, commit: 0 };
    let lap = performance.now();
    const result = await withAtomicRegeneration(target, {
      force: options.force ?? false,
      run: {
        scenarioName: first.scenario.name,
        scenarioHash: first.scenario.hash,
        seed: plan.params.seed,
        hcps: plan.params.hcps,
        months: plan.params.months,
        asOf: plan.params.asOf,
        generatorVersion: first.generatorVersion,
        plan,
        fixturesHash: first.fixturesHash,
        // The files' data version, not this build's: the rows are the files' rows.
        dataVersion: first.dataVersion ?? null,
      },
      load: async (stage) => {
        const sink = new StageSink(stage);
        const counts = Object.fromEntries(TABLES.map((t) => [t, 0])) as Record<TableName, number>;
        for (const def of DATA_TABLE_DEFS) {
          const files = (output.files.get(def.name) ?? []).map((f) => f.absolute);
          for await (const batch of tableBatches(con, def, files, output.format)) {
            options.signal?.throwIfAborted();
            const t0 = performance.now();
            await sink.write({
              table: def.name,
              rows: batch.rows,
              data: encodeBatch(batch.data(), 'copy-binary'),
              firstHcp: null,
            });
            progress.add(def.name, batch.rows, performance.now() - t0);
            counts[def.name] += batch.rows;
            progress.tick();
          }
        }
        await sink.finish();
        phases.load = (performance.now() - lap) / 1000;
        lap = performance.now();
        progress.note('hcpgen: adding keys and indexes');
        return counts;
      },
      validate: async (stage) => {
        phases.keys = (performance.now() - lap) / 1000;
        lap = performance.now();
        progress.note('hcpgen: validating');
        await options.validate?.(stage, plan);
        phases.validate = (performance.now() - lap) / 1000;
        lap = performance.now();
      },
    });
    phases.commit = (performance.now() - lap) / 1000;
    progress.summary();
    const totalSeconds = (performance.now() - started) / 1000;
    const counts = result.counts as Record<TableName, number>;
    const rows = TABLES.reduce((a, t) => a + (counts[t] ?? 0), 0);
    return {
      status: 'generated',
      scenario: first.scenario,
      params: plan.params,
      target: target.description,
      runId: result.runId,
      kept: result.status === 'failed',
      counts,
      expected: expectedWithFixtures(plan),
      expectedGenerated: plan.expected,
      fixtures: null,
      timings: {
        tables: progress.timings(),
        phases: Object.fromEntries(
          Object.entries(phases).map(([k, v]) => [k, Math.round(v * 1000) / 1000]),
        ) as GenerateResult['timings']['phases'],
        totalSeconds: Math.round(totalSeconds * 1000) / 1000,
        rowsPerSecond: Math.round(rows / totalSeconds),
      },
      message: `Loaded ${fmt(rows)} rows from ${options.dir} in ${totalSeconds.toFixed(1)} s (${fmt(Math.round(rows / totalSeconds))} rows/s).`,
    };
  } catch (err) {
    if (options.signal?.aborted) throw options.signal.reason;
    throw err;
  } finally {
    options.signal?.removeEventListener('abort', cancel);
    duck.closeSync();
    await target.close();
  }
}
