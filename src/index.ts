// The library API (`import { generate } from 'hcpgen'`): the CLI's commands as functions. Options are the CLI's
// flags, typed; results are what the command prints with --json; errors are the CLI's, as HcpgenError subclasses
// with stable codes. Nothing here prints unless asked (`quiet: false` writes progress to stderr), reads flags or
// exits the process. The TypeORM entities are in `hcpgen/entities` (src/entities.ts).
import { generate as generateDatabase, type GenerateResult as RunResult } from './generate/run.js';
import { generateFiles, type FilesResult } from './files/generate-files.js';
import { validateFiles } from './files/validate-files.js';
import { loadFiles } from './files/load-files.js';
import { seedDataDir } from './fixtures/seed-data-flag.js';
import { BadInputError, HcpgenError, InterruptedError } from './lib/errors.js';
import { DEFAULT_AS_OF, DEFAULT_SEED, MAX_HCPS, MAX_MONTHS } from './plan/limits.js';
import type { TableName } from './plan/types.js';
import { planWithChecks } from './validation/plan-with-checks.js';
import { isValidDate } from './time/calendar.js';
import { validationHook } from './validation/in-generate.js';
import { validateDatabase } from './validation/run.js';
import type { ValidationReport } from './validation/types.js';
import { defaultWorkers } from './db/target-choice.js';

export {
  BadInputError,
  HcpgenError,
  InterruptedError,
  UserError,
  type HcpgenErrorCode,
} from './lib/errors.js';
export { ValidationFailedError } from './validation/in-generate.js';
export { FilesValidationFailedError } from './files/generate-files.js';
export { ScenarioError } from './scenario/problems.js';
export { FixtureError } from './fixtures/files.js';
export { DATA_VERSION } from './lib/data-version.js';
export type { CheckResult, ValidationReport } from './validation/types.js';
export type { RunParams, TableName } from './plan/types.js';
export type { GenerateFixtures, Phase } from './generate/run.js';
export type { TableTiming } from './generate/progress.js';
export type { ManifestFile } from './files/manifest-read.js';

/** `--shard K/N`: shard `index` of `count` (1 <= index <= count <= 10,000). */
export interface Shard {
  index: number;
  count: number;
}

export interface PlanOptions {
  /** A name under the package's scenarios/ (`default`, `oncology-launch`) or a path to a YAML file. Default: `default`. */
  scenario?: string;
  /** Default 42. The same seed and options give identical data. */
  seed?: number;
  /** Generated HCP profiles, 1 to 10,000,000. Default: the scenario's defaults.hcps, else 2,000. */
  hcps?: number;
  /** History window in months ending at `asOf`, 1 to 60. Default: the scenario's defaults.months, else 12. */
  months?: number;
  /** Last day of the window, YYYY-MM-DD. Default 2025-12-31. */
  asOf?: string;
}

export interface GenerateOptions extends PlanOptions {
  /** A PostgreSQL URL. Default: $DATABASE_URL, else the embedded database ($HCPGEN_DATA_DIR or ./.hcpgen/pglite). */
  db?: string;
  /** Write files into this directory instead of a database (excludes `db`). */
  out?: string;
  /** With `out`: default `parquet`. */
  format?: 'parquet' | 'csv';
  /** With `out`: only this shard of the run. A `'K/N'` string works too. */
  shard?: Shard | `${number}/${number}`;
  /** Replace the generator's existing data with this run. */
  wipe?: boolean;
  /** With `wipe`: replace same-named tables (or files) hcpgen did not create. */
  force?: boolean;
  /** Validate before committing; a failing check throws ValidationFailedError and changes nothing. Default true. */
  validate?: boolean;
  /**
   * When checks fail, commit the run anyway instead of throwing (hcpgen_runs status 'failed'; with `out`, the
   * manifest's status 'failed'): the result has `kept: true` and the failures in `validation`. Default false.
   */
  keepFailed?: boolean;
  /** Worker threads generating rows (0: the calling thread). Default: one per core. Output does not depend on it. */
  workers?: number;
  /** HCPs per work unit. Output does not depend on it. */
  chunkSize?: number;
  /** A folder of seed-data fixture files; `false` for none. Default: ./seed-data when it exists. */
  seedData?: string | false;
  /** Aborting it stops the run (InterruptedError) and rolls back everything it wrote. */
  signal?: AbortSignal;
  /** Default true: no progress. false writes the CLI's progress lines to stderr. */
  quiet?: boolean;
}

/** `generate --json` into a database: the run, its counts and timings, and its validation report. */
export type DatabaseGenerateResult = RunResult & { validation: ValidationReport | null };
/** `generate --out --json`: the same, plus the files written (`runId` is null). */
export type FilesGenerateResult = FilesResult;
export type GenerateResult = DatabaseGenerateResult | FilesGenerateResult;

/** `plan --json`. */
export interface PlanResult {
  scenario: string;
  hcps: number;
  months: number;
  seed: number;
  asOf: string;
  expected: Record<TableName, number>;
}

export interface ValidateOptions {
  /** A PostgreSQL URL (default as for generate), or ... */
  db?: string;
  /** ... a file output directory (what generate `out` wrote). */
  files?: string;
}

export interface LoadOptions {
  /** A complete file output directory. */
  dir: string;
  db?: string;
  wipe?: boolean;
  force?: boolean;
  /** Default true. */
  validate?: boolean;
  signal?: AbortSignal;
  /** Default true. */
  quiet?: boolean;
}

export type LoadResult = DatabaseGenerateResult;

function wholeNumber(name: string, value: number | undefined, min: number, max: number): void {
  if (value === undefined) return;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new BadInputError(
      `${name} must be a whole number from ${min.toLocaleString('en-US')} to ${max.toLocaleString('en-US')}, ` +
        `got ${String(value)}.`,
    );
  }
}

function runParams(o: PlanOptions): {
  scenario: string;
  seed: number;
  hcps?: number;
  months?: number;
  asOf: string;
} {
  wholeNumber('seed', o.seed, 0, Number.MAX_SAFE_INTEGER);
  wholeNumber('hcps', o.hcps, 1, MAX_HCPS);
  wholeNumber('months', o.months, 1, MAX_MONTHS);
  const asOf = o.asOf ?? DEFAULT_AS_OF;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(asOf) || !isValidDate(asOf) || asOf < '1900' || asOf > '2201') {
    throw new BadInputError(`asOf must be a calendar date YYYY-MM-DD from 1900 to 2200, got "${asOf}".`);
  }
  return {
    scenario: o.scenario ?? 'default',
    seed: o.seed ?? DEFAULT_SEED,
    ...(o.hcps !== undefined ? { hcps: o.hcps } : {}),
    ...(o.months !== undefined ? { months: o.months } : {}),
    asOf,
  };
}

function parseShard(shard: GenerateOptions['shard']): Shard | undefined {
  if (shard === undefined) return undefined;
  const m = typeof shard === 'string' ? /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(shard) : null;
  const s = typeof shard === 'string' ? { index: Number(m?.[1]), count: Number(m?.[2]) } : shard;
  if (!Number.isInteger(s.index) || !Number.isInteger(s.count) || s.count < 1 || s.count > 10_000) {
    throw new BadInputError(`shard must be K/N with 1 <= K <= N <= 10000, got ${JSON.stringify(shard)}.`);
  }
  if (s.index < 1 || s.index > s.count) {
    throw new BadInputError(`shard must be K/N with 1 <= K <= N <= 10000, got ${JSON.stringify(shard)}.`);
  }
  return { index: s.index, count: s.count };
}

/**
 * The caller's AbortSignal, as the CLI's Ctrl-C: the run stops with an InterruptedError (the caller's reason as
 * its cause) and rolls back.
 */
function interruption(signal: AbortSignal | undefined, what: string): { signal?: AbortSignal; done(): void } {
  if (!signal) return { done: () => undefined };
  const controller = new AbortController();
  const abort = (): void =>
    controller.abort(
      signal.reason instanceof HcpgenError
        ? signal.reason
        : new InterruptedError(`interrupted: the ${what} was rolled back and nothing was changed.`, {
            cause: signal.reason,
          }),
    );
  if (signal.aborted) abort();
  else signal.addEventListener('abort', abort, { once: true });
  return { signal: controller.signal, done: () => signal.removeEventListener('abort', abort) };
}

/** Generates a scenario's tables into a database (default) or, with `out`, into Parquet or CSV files. */
export async function generate(options: GenerateOptions & { out: string }): Promise<FilesGenerateResult>;
export async function generate(
  options?: GenerateOptions & { out?: undefined },
): Promise<DatabaseGenerateResult>;
export async function generate(options?: GenerateOptions): Promise<GenerateResult>;
export async function generate(options: GenerateOptions = {}): Promise<GenerateResult> {
  const params = runParams(options);
  wholeNumber('workers', options.workers, 0, 64);
  wholeNumber('chunkSize', options.chunkSize, 1, 100_000);
  if (options.db !== undefined && options.out !== undefined) {
    throw new BadInputError(
      'db and out exclude each other: generate into a database or into files, not both.',
    );
  }
  const shard = parseShard(options.shard);
  if ((shard || options.format) && options.out === undefined) {
    throw new BadInputError('format and shard describe a file output: use them with out.');
  }
  if (options.format !== undefined && options.format !== 'parquet' && options.format !== 'csv') {
    throw new BadInputError(`format must be parquet or csv, got "${String(options.format)}".`);
  }
  const seedData =
    options.seedData === false ? undefined : seedDataDir(options.seedData, false, process.cwd());
  const stop = interruption(options.signal, 'run');
  const common = {
    ...params,
    wipe: options.wipe ?? false,
    force: options.force ?? false,
    keepFailed: options.keepFailed ?? false,
    workers: options.workers ?? defaultWorkers({ db: options.db, out: options.out }),
    ...(options.chunkSize !== undefined ? { chunkSize: options.chunkSize } : {}),
    quiet: options.quiet ?? true,
    seedData,
    ...(stop.signal ? { signal: stop.signal } : {}),
  };
  try {
    if (options.out !== undefined) {
      return await generateFiles({
        ...common,
        out: options.out,
        format: options.format ?? 'parquet',
        ...(shard ? { shard } : {}),
        ...(options.validate !== false ? { validate: (dir: string) => validateFiles(dir) } : {}),
      });
    }
    const validation = options.validate !== false ? validationHook() : null;
    const result = await generateDatabase({
      ...common,
      ...(options.db !== undefined ? { db: options.db } : {}),
      ...(validation ? { validate: validation.hook } : {}),
    });
    return { ...result, validation: validation?.report() ?? null };
  } finally {
    stop.done();
  }
}

/** The expected volume per table for a scenario and parameters; touches no database. */
export async function plan(options: PlanOptions = {}): Promise<PlanResult> {
  const { scenario, ...requested } = runParams(options);
  const { plan: p } = await planWithChecks(scenario, requested);
  return {
    scenario: p.scenario.name,
    hcps: p.params.hcps,
    months: p.params.months,
    seed: p.params.seed,
    asOf: p.params.asOf,
    expected: p.expected,
  };
}

/**
 * Runs the checks on generated data (a database, or with `files` a file output), read-only. A failing check
 * does not throw: the report counts it (`failed > 0`), as `hcpgen validate` exits 1.
 */
export async function validate(options: ValidateOptions = {}): Promise<ValidationReport> {
  if (options.db !== undefined && options.files !== undefined) {
    throw new BadInputError('db and files name two different things to validate: pass one of them.');
  }
  if (options.files !== undefined) return validateFiles(options.files);
  return validateDatabase(options.db !== undefined ? { db: options.db } : {});
}

/** Loads a complete file output into PostgreSQL or the embedded database (`hcpgen load DIR`). */
export async function load(options: LoadOptions): Promise<LoadResult> {
  const validation = options.validate !== false ? validationHook() : null;
  const stop = interruption(options.signal, 'load');
  try {
    const result = await loadFiles({
      dir: options.dir,
      ...(options.db !== undefined ? { db: options.db } : {}),
      wipe: options.wipe ?? false,
      force: options.force ?? false,
      quiet: options.quiet ?? true,
      ...(stop.signal ? { signal: stop.signal } : {}),
      ...(validation ? { validate: validation.hook } : {}),
    });
    return { ...result, validation: validation?.report() ?? null };
  } finally {
    stop.done();
  }
}
