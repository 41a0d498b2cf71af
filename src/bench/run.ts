// `hcpgen bench`: generate into a scratch database with the real `hcpgen generate` (a child process), then in the
// same run measure the ingest ceiling (COPY of the same rows from CSV files) and the naive baseline (TypeORM
// insert() in 500-row batches), and judge the targets. The scratch database (or embedded directory) is
// removed at the end, also when something fails or the run is interrupted.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { UserError } from '../lib/errors.js';
import { TABLES } from '../plan/types.js';
import { DEFAULT_AS_OF, DEFAULT_SEED } from '../plan/limits.js';
import { planFor } from '../scenario/plan-for.js';
import { measureBaseline } from './baseline.js';
import { measureCeiling } from './ceiling.js';
import { FILES_METHOD, formatsOf, measureFiles } from './files.js';
import { pgliteIngest, postgresIngest, type Ingest } from './ingest.js';
import { describeMachine, duckdbVersion, loadAverage } from './machine.js';
import { CLI_KIND, embeddedInit, runGenerate, type GenerateRun } from './run-generate.js';
import { createScratchEmbedded, createScratchPostgres } from './scratch.js';
import { judge } from './targets.js';
import type { BenchOptions, BenchResult, CeilingFigures, GenerateFigures } from './types.js';
import { defaultWorkers } from '../db/target-choice.js';

export const DEFAULT_BASELINE_HCPS = 2000;

export const METHOD =
  'generate runs as a child process (`hcpgen generate --json --no-seed-data`, validation on) into a scratch ' +
  'database; wall = spawn to exit; peak RSS = the child process maxRSS (getrusage, worker threads included); ' +
  'ceiling = COPY FROM of the exported CSV files into empty tables with the same keys and indexes in place ' +
  '(and, for comparison, with keys added after the load), one transaction each; baseline = TypeORM ' +
  'repository.insert() of 500-entity batches, autocommit, into tables with keys and indexes.';

export async function bench(options: BenchOptions): Promise<BenchResult> {
  const started = performance.now();
  const startedAt = new Date().toISOString();
  const loadStart = loadAverage();
  const log = options.log ?? (() => undefined);
  if (options.files && options.db) {
    throw new UserError(
      '--files and --db name two different things to benchmark: --files the file output, --db a database. Pass one of them.',
    );
  }
  // The scenario and flags are checked before any database is touched.
  const { plan } = await planFor(options.scenario, {
    seed: options.seed ?? DEFAULT_SEED,
    hcps: options.hcps,
    months: options.months,
    asOf: options.asOf ?? DEFAULT_AS_OF,
  });
  const p = plan.params;
  // What a user's run gets unless told (the bench's own target decides, not DATABASE_URL).
  const workers =
    options.workers ?? defaultWorkers({ db: options.db, out: options.files ? 'files' : undefined }, {});
  const baselineHcps = Math.min(options.baselineHcps ?? DEFAULT_BASELINE_HCPS, p.hcps);
  const run: Omit<GenerateRun, 'where'> = {
    scenario: options.scenario,
    hcps: p.hcps,
    months: p.months,
    seed: p.seed,
    asOf: p.asOf,
    workers,
    validate: options.validate ?? true,
    signal: options.signal,
  };
  const skipped: BenchResult['skipped'] = {};
  if (options.skipCeiling) skipped.ceiling = '--skip-ceiling';
  if (options.skipBaseline) skipped.baseline = '--skip-baseline';

  if (options.files) {
    const validateFiles = options.validate ?? true;
    let measured: Awaited<ReturnType<typeof measureFiles>>;
    try {
      measured = await measureFiles(run, formatsOf(options.files), {
        validate: validateFiles,
        log,
        signal: options.signal,
      });
    } catch (err) {
      throw options.signal?.aborted ? options.signal.reason : err;
    }
    skipped.ceiling ??= 'a database measurement: not run with --files';
    skipped.baseline ??= 'a database measurement: not run with --files';
    const partial = {
      version: 1 as const,
      startedAt,
      // generate ran without its validation; `validate` says whether validate --files was measured.
      params: { scenario: options.scenario, ...p, workers, validate: validateFiles },
      target: { kind: 'files' as const, description: measured.description },
      machine: describeMachine(`DuckDB (node-api ${duckdbVersion()})`, loadStart),
      method: FILES_METHOD,
      cli: CLI_KIND,
      generate: measured.primary,
      embeddedFirstRun: null,
      embeddedFirstRunInit: null,
      ceiling: null,
      baseline: null,
      skipped,
      files: measured.files,
    };
    const totalSeconds = Math.round(performance.now() - started) / 1000;
    return { ...partial, ...judge(partial), totalSeconds };
  }

  let generate: GenerateFigures;
  let embeddedFirstRun: GenerateFigures | null = null;
  let ceiling: CeilingFigures | null = null;
  let baseline: BenchResult['baseline'] = null;
  let serverVersion: string;
  let description: string;
  const csvDir = mkdtempSync(path.join(os.tmpdir(), 'hcpgen-bench-csv-'));
  const withIngest = async (open: () => Promise<Ingest>): Promise<string> => {
    const ingest = await open();
    try {
      if (!options.skipCeiling) {
        log('bench: measuring the ingest ceiling (export to CSV, then COPY FROM the files)');
        ceiling = await measureCeiling(ingest, csvDir, options.signal);
      }
      return await ingest.serverVersion();
    } finally {
      await ingest.close();
    }
  };

  try {
    if (options.db) {
      const scratch = await createScratchPostgres(options.db);
      description = scratch.description;
      try {
        log(`bench: generating ${fmt(p.hcps)} HCPs x ${p.months} months into ${scratch.description}`);
        generate = (await runGenerate({ ...run, where: { url: scratch.url } })).figures;
        serverVersion = await withIngest(() => postgresIngest(scratch.url));
        if (!options.skipBaseline) {
          log(`bench: naive baseline (TypeORM insert(), ${fmt(baselineHcps)} HCPs' rows)`);
          baseline = await measureBaseline(scratch.url, baselineHcps, options.signal);
        }
      } finally {
        await scratch.drop();
      }
    } else {
      const scratch = createScratchEmbedded();
      description = `embedded (PGlite) in ${scratch.dataDir}`;
      try {
        log(`bench: first run, ${fmt(p.hcps)} HCPs into a fresh embedded database`);
        embeddedFirstRun = (await runGenerate({ ...run, where: { dataDir: scratch.dataDir } })).figures;
        log('bench: warm run (--wipe into the same embedded database)');
        generate = (await runGenerate({ ...run, wipe: true, where: { dataDir: scratch.dataDir } })).figures;
        serverVersion = await withIngest(() => pgliteIngest(scratch.dataDir));
        skipped.baseline ??= 'TypeORM has no driver for the embedded database: run the bench with --db';
      } finally {
        await scratch.drop();
      }
    }
  } catch (err) {
    // An interrupted stream throws a bare AbortError; the reason says what happened.
    throw options.signal?.aborted ? options.signal.reason : err;
  } finally {
    rmSync(csvDir, { recursive: true, force: true });
  }

  const partial = {
    version: 1 as const,
    startedAt,
    params: { scenario: options.scenario, ...p, workers, validate: options.validate ?? true },
    target: { kind: options.db ? ('postgres' as const) : ('pglite' as const), description },
    machine: describeMachine(serverVersion, loadStart),
    method: METHOD,
    cli: CLI_KIND,
    generate,
    embeddedFirstRun,
    embeddedFirstRunInit: embeddedFirstRun ? embeddedInit() : null,
    ceiling: ceiling as CeilingFigures | null,
    baseline,
    skipped,
  };
  assertConsistent(partial);
  const totalSeconds = Math.round(performance.now() - started) / 1000;
  return { ...partial, ...judge(partial), totalSeconds };
}

/** The ceiling loads exactly the rows generate wrote; anything else is a bug in the bench, not a measurement. */
function assertConsistent(r: Pick<BenchResult, 'generate' | 'ceiling'>): void {
  if (!r.ceiling) return;
  for (const run of [r.ceiling.indexesInPlace, r.ceiling.keysAfterLoad]) {
    for (const t of TABLES) {
      if (run.tables[t].rows !== r.generate.tables[t].rows) {
        throw new Error(
          `bench: the ceiling loaded ${run.tables[t].rows} rows into ${t}, generate wrote ${r.generate.tables[t].rows}`,
        );
      }
    }
  }
}

function fmt(n: number): string {
  return n.toLocaleString('en-US');
}
