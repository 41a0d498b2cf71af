// `hcpgen generate --out DIR --format parquet|csv [--shard K/N]`: the run's rows (or one shard's) into files,
// no database touched. Scenario -> plan -> rows (worker threads) -> files in a temporary directory -> manifest ->
// validation (of the whole run, when this process wrote all of it) -> files moved into DIR, manifest last.
// Files that fail their checks are deleted, unless keepFailed (`--keep-failed`): then they are moved into DIR
// all the same, with `"status": "failed"` in the manifest, for a person to look at.
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import type { Plan, TableName } from '../plan/types.js';
import { TABLES } from '../plan/types.js';
import { planWithChecks } from '../validation/plan-with-checks.js';
import { UserError } from '../lib/errors.js';
import { DATA_VERSION } from '../lib/data-version.js';
import { expectedWithFixtures, loadSeedData, planFixtures } from '../fixtures/seed-data.js';
import { renderDdl } from '../db/ddl.js';
import { DATA_TABLES } from '../db/table-names.js';
import { produce, startChunks, withWorkers } from '../generate/produce.js';
import { Progress, fmt } from '../generate/progress.js';
import { fixturesResult, type GenerateOptions, type GenerateResult } from '../generate/run.js';
import type { PrestartedWorkers } from '../generate/chunk-source.js';
import { DEFAULT_HCPS } from '../plan/limits.js';
import { renderDictionary } from '../tables/dictionary.js';
import type { ValidationReport } from '../validation/types.js';
import { ValidationFailedError } from '../validation/in-generate.js';
import { FileSink } from './file-sink.js';
import { fileBreaks, partBreaks, runKey, shardRange, type Shard } from './layout.js';
import { MANIFEST_KIND, MANIFEST_VERSION, manifestName, type Manifest } from './manifest-read.js';
import { commitShard, makeTempDir, prepareOutputDir, removeTempDir, wipeOld } from './output-dir.js';
import type { FileFormat } from './views.js';

export interface GenerateFilesOptions extends Omit<GenerateOptions, 'db' | 'validate'> {
  out: string;
  format: FileFormat;
  shard?: Shard;
  /** Validates a complete output directory (the temporary one, before it is moved into place). */
  validate?: (dir: string) => Promise<ValidationReport>;
  /**
   * Bytes DuckDB stages per Parquet part (default PARQUET_STAGE_BYTES): tests make files of many parts in a
   * small run with it. Part of the layout, so it changes the files' bytes.
   */
  parquetPartBytes?: number;
}

export interface FilesResult extends GenerateResult {
  output: { dir: string; format: FileFormat; shard: Shard; manifest: string; files: Manifest['files'] };
  validation: ValidationReport | null;
}

export async function generateFiles(options: GenerateFilesOptions): Promise<FilesResult> {
  const started = performance.now();
  return withWorkers(options, (options.hcps ?? DEFAULT_HCPS) / (options.shard?.count ?? 1), (prestarted) =>
    generateFilesWith(options, started, prestarted),
  );
}

async function generateFilesWith(
  options: GenerateFilesOptions,
  started: number,
  prestarted: PrestartedWorkers,
): Promise<FilesResult> {
  const { plan } = await planWithChecks(options.scenario, options);
  const seed = options.seedData === undefined ? null : loadSeedData(options.seedData, plan);
  const fixtures = seed ? planFixtures(seed) : undefined;
  if (fixtures) plan.fixtures = fixtures;
  const shard = options.shard ?? { index: 1, count: 1 };
  if (shard.count > plan.params.hcps) {
    throw new UserError(
      `--shard ${shard.index}/${shard.count} splits ${fmt(plan.params.hcps)} HCPs into more shards than there are HCPs. ` +
        `Use at most ${fmt(plan.params.hcps)} shards.`,
    );
  }
  const dir = path.resolve(options.out);
  const key = runKey(plan, options.format, shard.count);
  const existing = prepareOutputDir(dir, options.force ?? false);
  const mine = existing.manifests.get(manifestName(shard.index, shard.count));
  if (!options.wipe) {
    const other = [...existing.manifests.entries()].find(([, m]) => m.runKey !== key);
    if (other) {
      throw new UserError(
        `${dir} already holds a different hcpgen output (${other[0]}: scenario ${other[1].scenario?.name}, seed ` +
          `${other[1].params?.seed}, ${fmt(other[1].params?.hcps ?? 0)} HCPs, ${other[1].format}, ` +
          `${other[1].shard?.count ?? 1} shard(s)). Nothing was changed. Pass --wipe to replace it with this run, or ` +
          'choose another --out.',
        { exitCode: 2 },
      );
    }
    if (mine) return alreadyThere(plan, dir, options.format, shard, mine, started);
  }

  const signal = options.signal;
  signal?.throwIfAborted();
  const { from, to } = shardRange(plan.params.hcps, shard);
  const shared = shard.index === 1;
  const breaks = Object.fromEntries(
    TABLES.map((t) => [
      t,
      t === 'campaigns' ? [] : fileBreaks(plan, t, from, to, options.format, options.parquetPartBytes),
    ]),
  ) as Record<TableName, number[]>;
  const parts = Object.fromEntries(
    TABLES.map((t) => [
      t,
      t === 'campaigns' ? [] : partBreaks(plan, t, from, to, options.format, options.parquetPartBytes),
    ]),
  ) as Record<TableName, number[]>;
  const chunks = startChunks(plan, FileSink.encodingFor(options.format), options, prestarted, {
    from,
    to,
    breaks: [...new Set(Object.values(parts).flat())],
  });
  const progress = new Progress(to - from + 1, options.quiet ? null : process.stderr);
  progress.note(
    `hcpgen: generating scenario ${plan.scenario.name} (seed ${plan.params.seed}, ${fmt(plan.params.hcps)} HCPs` +
      `${shard.count > 1 ? `, shard ${shard.index}/${shard.count}: HCPs ${fmt(from)}..${fmt(to)}` : ''}, ` +
      `${plan.params.months} months to ${plan.params.asOf}) into ${dir} as ${options.format}`,
  );
  const tmp = makeTempDir(dir, shard);
  let db: DuckDBInstance | undefined;
  let sink: FileSink | undefined;
  const phases = { plan: (performance.now() - started) / 1000, load: 0, keys: 0, validate: 0, commit: 0 };
  try {
    db =
      options.format === 'parquet'
        ? await DuckDBInstance.create(':memory:', {
            threads: String(Math.max(1, os.availableParallelism())),
            preserve_insertion_order: 'true',
            // Staging is bounded by the layout (PARQUET_STAGE_BYTES a part, one part a table at a time).
            memory_limit: process.env.HCPGEN_DUCKDB_MEMORY ?? '448MB',
            temp_directory: path.join(tmp, '.duckdb-tmp'),
            autoinstall_known_extensions: 'false',
          })
        : undefined;
    sink = new FileSink({
      dir: tmp,
      format: options.format,
      shard,
      breaks,
      partBreaks: parts,
      shared,
      ...(db ? { duckdb: db } : {}),
    });
    const t0 = performance.now();
    const counts = await produce(plan, seed, sink, { ...chunks, shared, progress });
    phases.load = (performance.now() - t0) / 1000;
    const manifest: Manifest = {
      kind: MANIFEST_KIND,
      manifestVersion: MANIFEST_VERSION,
      generatorVersion: plan.generatorVersion,
      dataVersion: DATA_VERSION,
      format: options.format,
      scenario: { name: plan.scenario.name, file: plan.scenario.file, hash: plan.scenario.hash },
      params: plan.params,
      fixturesHash: plan.fixtures?.hash ?? null,
      shard: { index: shard.index, count: shard.count, hcpFrom: from, hcpTo: to },
      runKey: key,
      plan,
      counts,
      files: sink.files,
    };
    const manifestText = JSON.stringify(manifest, null, 2) + '\n';
    let report: ValidationReport | null = null;
    let kept = false;
    if (options.validate && shard.count === 1) {
      const t1 = performance.now();
      progress.note('hcpgen: validating');
      writeFileSync(path.join(tmp, manifestName(1, 1)), manifestText);
      report = await options.validate(tmp);
      phases.validate = (performance.now() - t1) / 1000;
      if (report.failed > 0 && !options.keepFailed) throw new FilesValidationFailedError(report, dir);
      if (report.failed > 0) {
        progress.note('hcpgen: validation failed; keeping the files (--keep-failed)');
        manifest.status = 'failed';
        kept = true;
      }
    }
    signal?.throwIfAborted();
    const t2 = performance.now();
    if (options.wipe) wipeOld(dir, existing, key, shard);
    const ddl = await renderDdl({ tables: DATA_TABLES });
    commitShard(dir, tmp, manifest, {
      'schema.sql': [...ddl.createTables, ...ddl.keysAndIndexes].map((s) => `${s};`).join('\n') + '\n',
      'dictionary.md': renderDictionary(),
    });
    phases.commit = (performance.now() - t2) / 1000;
    progress.summary();
    const totalSeconds = (performance.now() - started) / 1000;
    const rows = TABLES.reduce((a, t) => a + counts[t], 0);
    const bytes = sink.files.reduce((a, f) => a + f.bytes, 0);
    return {
      status: 'generated',
      scenario: manifest.scenario,
      params: plan.params,
      target: dir,
      runId: null,
      kept,
      counts,
      expected: expectedWithFixtures(plan),
      expectedGenerated: plan.expected,
      fixtures: fixturesResult(seed),
      timings: {
        tables: progress.timings(),
        phases: round(phases),
        totalSeconds: Math.round(totalSeconds * 1000) / 1000,
        rowsPerSecond: Math.round(rows / totalSeconds),
      },
      message:
        `Wrote ${fmt(rows)} rows in ${sink.files.length} ${options.format} files (${(bytes / 2 ** 20).toFixed(1)} MiB) ` +
        `to ${dir} in ${totalSeconds.toFixed(1)} s (${fmt(Math.round(rows / totalSeconds))} rows/s).` +
        (shard.count > 1
          ? ` Shard ${shard.index}/${shard.count} is complete; validate the directory once every shard is: hcpgen validate --files ${dir}`
          : '') +
        (kept
          ? ' The checks failed and --keep-failed kept the files (not deleted): their manifest says "status": ' +
            `"failed". Look at them with hcpgen report --files ${dir}, hcpgen sql --files ${dir} "<query>"; ` +
            `hcpgen validate --files ${dir} exits 1 on them until a run whose checks pass replaces them ` +
            '(hcpgen generate --out ... --wipe).'
          : ''),
      output: {
        dir,
        format: options.format,
        shard,
        manifest: manifestName(shard.index, shard.count),
        files: sink.files,
      },
      validation: report,
    };
  } catch (err) {
    await sink?.abandon().catch(() => undefined);
    removeTempDir(tmp);
    if (signal?.aborted) throw signal.reason;
    throw explainFileError(err, dir);
  } finally {
    db?.closeSync();
  }
}

/** Failed checks on a file output: nothing was moved into the directory. */
export class FilesValidationFailedError extends ValidationFailedError {
  constructor(report: ValidationReport, dir: string) {
    super(report);
    this.message =
      `the generated files failed ${report.failed} of ${report.results.length} validation checks (listed above), so ` +
      `they were deleted and ${dir} still holds what it had before.`;
  }
}

function round(p: Record<string, number>): FilesResult['timings']['phases'] {
  return Object.fromEntries(
    Object.entries(p).map(([k, v]) => [k, Math.round(v * 1000) / 1000]),
  ) as FilesResult['timings']['phases'];
}

/** Disk errors a person can fix, as one paragraph; anything else passes through. */
function explainFileError(err: unknown, dir: string): unknown {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  const message = (err as Error | null)?.message ?? String(err);
  if (code === 'ENOSPC' || /No space left|disk is full|out of disk/i.test(message)) {
    return new UserError(
      `The disk under ${dir} ran full while writing (${message}). The unfinished files were removed and nothing ` +
        'already in the directory was changed. Free space there (a run needs about its total file size), or write ' +
        'to another --out.',
      { cause: err },
    );
  }
  if (/Out of Memory Error/.test(message)) {
    return new UserError(
      `DuckDB, which writes the Parquet files, ran out of its memory limit while writing to ${dir} (${message.split('\n')[0]}). ` +
        'The unfinished files were removed and nothing already in the directory was changed. Raise the limit with ' +
        'HCPGEN_DUCKDB_MEMORY (e.g. HCPGEN_DUCKDB_MEMORY=1GB; default 448MB), or write --format csv.',
      { cause: err },
    );
  }
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
    return new UserError(
      `Cannot write into ${dir}: ${message}. Choose a directory you can write to, or fix its permissions.`,
      { cause: err },
    );
  }
  return err;
}

function alreadyThere(
  plan: Plan,
  dir: string,
  format: FileFormat,
  shard: Shard,
  m: Manifest,
  started: number,
): FilesResult {
  const counts = m.counts as Record<TableName, number>;
  const kept = m.status === 'failed';
  return {
    status: 'exists',
    scenario: m.scenario,
    params: plan.params,
    target: dir,
    runId: null,
    kept,
    counts,
    expected: expectedWithFixtures(plan),
    expectedGenerated: plan.expected,
    fixtures: null,
    timings: {
      tables: Object.fromEntries(
        TABLES.map((t) => [t, { rows: counts[t] ?? 0, seconds: 0, rowsPerSecond: 0 }]),
      ) as FilesResult['timings']['tables'],
      phases: { plan: 0, load: 0, keys: 0, validate: 0, commit: 0 },
      totalSeconds: Math.round(performance.now() - started) / 1000,
      rowsPerSecond: 0,
    },
    message:
      `Data already exists (${fmt(m.params.hcps)} HCPs, seed ${m.params.seed}, scenario ${m.scenario.name}${shard.count > 1 ? `, shard ${shard.index}/${shard.count}` : ''}) in ${dir}` +
      (kept
        ? ', but its checks failed: an earlier run kept the files with --keep-failed (manifest status failed). ' +
          'Nothing was changed; use --wipe to regenerate'
        : '; use --wipe to regenerate'),
    output: { dir, format, shard, manifest: manifestName(shard.index, shard.count), files: m.files },
    validation: null,
  };
}
