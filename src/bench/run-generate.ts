// Runs the real `hcpgen generate --json` (and `hcpgen validate --files --json`) as a child process and measures it: wall time from spawn to exit, and
// the child's peak RSS and CPU time (rusage-preload.ts writes them as it exits). A child process keeps the
// figures clean: the bench's own memory (CSV exports, the baseline's rows) never shows in the generator's peak,
// and a first embedded run really is a fresh process, as a user's first `hcpgen generate` is.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { TABLES, type TableName } from '../plan/types.js';
import type { GenerateJson } from '../cli/generate-json.js';
import type { FilesResult } from '../files/generate-files.js';
import { UserError } from '../lib/errors.js';
import type { ValidationReport } from '../validation/types.js';
import type { GenerateFigures, ProcessFigures } from './types.js';

export interface GenerateRun {
  scenario: string;
  hcps: number;
  months?: number | undefined;
  seed?: number | undefined;
  asOf?: string | undefined;
  workers: number;
  /**
   * Scratch PostgreSQL database URL (passed by environment, never on the command line), an embedded dir, or a
   * file output (`--out DIR --format parquet|csv`; DIR should not exist yet).
   */
  where: { url: string } | { dataDir: string } | { out: string; format: 'parquet' | 'csv' };
  wipe?: boolean;
  validate?: boolean;
  signal?: AbortSignal | undefined;
}

export interface GenerateOutcome {
  figures: GenerateFigures;
  /** With `where.out`, also the file output's `output` (directory, format, the manifest's files). */
  json: GenerateJson & { output?: FilesResult['output'] };
}

/** A child process's peak RSS and CPU time, as rusage-preload.ts writes them when it exits. */
interface Usage {
  maxRssKiB: number;
  userMicros: number;
  systemMicros: number;
}

interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Spawn to exit. */
  wallSeconds: number;
  usage: Usage | null;
}

/** Runs `hcpgen <args>` as this process runs the CLI (built or from source), with rusage-preload.ts loaded. */
async function runCli(
  args: string[],
  env: NodeJS.ProcessEnv,
  signal: AbortSignal | undefined,
): Promise<CliRun> {
  const rusageFile = path.join(
    os.tmpdir(),
    `hcpgen-bench-rusage-${process.pid}-${randomBytes(4).toString('hex')}.json`,
  );
  // Every measured run starts with an empty reference cache of its own (the build's entries for the shipped
  // default runs aside): a figure never depends on what an earlier run or bench left in ~/.cache/hcpgen.
  const cacheDir = mkdtempSync(path.join(os.tmpdir(), 'hcpgen-bench-cache-'));
  const started = performance.now();
  try {
    const { code, stdout, stderr } = await spawnCollect(
      process.execPath,
      [...cliArgs(), ...args],
      { ...env, HCPGEN_BENCH_RUSAGE: rusageFile, HCPGEN_CACHE_DIR: cacheDir },
      signal,
    );
    const wallSeconds = (performance.now() - started) / 1000;
    const usage = existsSync(rusageFile) ? (JSON.parse(readFileSync(rusageFile, 'utf8')) as Usage) : null;
    return { code, stdout, stderr, wallSeconds, usage };
  } finally {
    rmSync(rusageFile, { force: true });
    rmSync(cacheDir, { recursive: true, force: true });
  }
}

/** The environment of a child: no database of the user's, unless the run names one. */
function childEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.DATABASE_URL;
  delete env.HCPGEN_DATA_DIR;
  return env;
}

function failure(what: string, code: number | null, json: unknown, stderr: string): UserError {
  const reason = (
    json && typeof json === 'object' && 'error' in json
      ? (json as { error: { message: string } }).error.message
      : stderr.trim()
  ).replace(/\.$/, '');
  return new UserError(
    `the benchmark's \`hcpgen ${what}\` run failed (exit code ${code}): ${reason || 'no output'}. Nothing ` +
      `was measured; fix that error (run the same ${what} by hand to see it in full) and run the bench again.`,
  );
}

const here = fileURLToPath(import.meta.url);
/** .ts when running from source (tsx), .js when built. */
const ext = path.extname(here);
const root = path.resolve(path.dirname(here), '..', '..');

/** Built (dist/, bin/run.js) or from source through tsx, whose start-up adds seconds to every wall time. */
export const CLI_KIND: 'built' | 'source' = ext === '.ts' ? 'source' : 'built';

/** The node arguments that start the hcpgen CLI as this process runs it: built (bin/run.js) or from source. */
function cliArgs(): string[] {
  const preload = new URL(`./rusage-preload${ext}`, import.meta.url).href;
  if (ext === '.ts') {
    // tsx's ESM loader, found from this file (a bare `--import tsx` would resolve from the working directory).
    const tsxRoot = path.dirname(createRequire(import.meta.url).resolve('tsx/package.json'));
    const tsx = pathToFileURL(path.join(tsxRoot, 'dist', 'loader.mjs')).href;
    return ['--import', tsx, '--import', preload, path.join(root, 'bin', 'dev.js')];
  }
  return ['--import', preload, path.join(root, 'bin', 'run.js')];
}

export async function runGenerate(run: GenerateRun): Promise<GenerateOutcome> {
  const args = [
    'generate',
    '--json',
    '--no-seed-data',
    `--scenario=${run.scenario}`,
    `--hcps=${run.hcps}`,
    `--workers=${run.workers}`,
    ...(run.months === undefined ? [] : [`--months=${run.months}`]),
    ...(run.seed === undefined ? [] : [`--seed=${run.seed}`]),
    ...(run.asOf === undefined ? [] : [`--as-of=${run.asOf}`]),
    ...(run.wipe ? ['--wipe'] : []),
    ...(run.validate === false ? ['--no-validate'] : []),
    ...('out' in run.where ? [`--out=${run.where.out}`, `--format=${run.where.format}`] : []),
  ];
  const env = childEnv();
  if ('url' in run.where) env.DATABASE_URL = run.where.url;
  else if ('dataDir' in run.where) env.HCPGEN_DATA_DIR = run.where.dataDir;

  const { code, stdout, stderr, wallSeconds, usage } = await runCli(args, env, run.signal);
  const json = parseJson<GenerateOutcome['json']>(stdout);
  if (code !== 0 || !json || 'error' in json || !usage) throw failure('generate', code, json, stderr);
  if ('out' in run.where && !json.output) {
    throw new Error('bench: `hcpgen generate --out --json` reported no output files');
  }
  return { json, figures: figuresOf(json, wallSeconds, usage) };
}

export interface ValidateFilesRun {
  dir: string;
  signal?: AbortSignal | undefined;
}

/**
 * `hcpgen validate --files DIR --json` as a child process: wall (spawn to exit, manifests and checksums
 * included), peak RSS and CPU, and the report's counts. Failed checks are a result (exit code 1), not an error.
 */
export async function runValidateFiles(
  run: ValidateFilesRun,
): Promise<{ figures: ProcessFigures; report: ValidationReport }> {
  const { code, stdout, stderr, wallSeconds, usage } = await runCli(
    ['validate', '--json', `--files=${run.dir}`],
    childEnv(),
    run.signal,
  );
  const json = parseJson<ValidationReport>(stdout);
  if ((code !== 0 && code !== 1) || !json || 'error' in json || !usage) {
    throw failure('validate --files', code, json, stderr);
  }
  return {
    report: json,
    figures: {
      wallSeconds: round3(wallSeconds),
      peakRssBytes: usage.maxRssKiB * 1024,
      cpuSeconds: round3((usage.userMicros + usage.systemMicros) / 1e6),
    },
  };
}

function figuresOf(json: GenerateJson, wallSeconds: number, usage: Usage): GenerateFigures {
  const rows = TABLES.reduce((a, t) => a + (json.counts[t] ?? 0), 0);
  const tables = Object.fromEntries(
    TABLES.map((t: TableName) => {
      const timing = json.timings.tables[t];
      return [t, { rows: json.counts[t] ?? 0, seconds: timing.seconds, rowsPerSecond: timing.rowsPerSecond }];
    }),
  ) as GenerateFigures['tables'];
  return {
    wallSeconds: round3(wallSeconds),
    inProcessSeconds: json.timings.totalSeconds,
    rows,
    // From the reported (rounded) wall time, so the JSON's figures agree with each other exactly.
    rowsPerSecond: Math.round(rows / round3(wallSeconds)),
    tables,
    phases: json.timings.phases,
    peakRssBytes: usage.maxRssKiB * 1024,
    cpuSeconds: round3((usage.userMicros + usage.systemMicros) / 1e6),
    validation: json.validation ? { passed: json.validation.passed, failed: json.validation.failed } : null,
  };
}

function parseJson<T>(stdout: string): T | { error: unknown } | null {
  try {
    return JSON.parse(stdout) as T | { error: unknown };
  } catch {
    return null;
  }
}

function spawnCollect(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  signal: AbortSignal | undefined,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    // An abort sends SIGTERM: generate rolls its transaction back and exits.
    const child = spawn(command, args, {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(signal ? { signal, killSignal: 'SIGTERM' as const } : {}),
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    // On abort, 'error' comes first; wait for 'close' so the child has exited (and written its usage file)
    // before the caller cleans up.
    child.on('error', (e) => {
      if (!signal?.aborted) reject(e);
    });
    child.on('close', (code) => {
      if (signal?.aborted) reject(signal.reason);
      else
        resolve({
          code,
          stdout: Buffer.concat(out).toString('utf8'),
          stderr: Buffer.concat(err).toString('utf8'),
        });
    });
  });
}

function round3(n: number): number {
  return Math.round(n * 1000) / 1000;
}

/** How a fresh embedded database starts in the child: a built CLI unpacks its template, from source runs initdb. */
export function embeddedInit(): 'initdb' | 'template' {
  return ext === '.js' && existsSync(path.join(root, 'dist', 'pglite-template.tar.gz'))
    ? 'template'
    : 'initdb';
}
