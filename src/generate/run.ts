// `hcpgen generate`: scenario -> plan -> rows -> COPY into key-less staging tables -> keys and indexes ->
// validation -> atomic swap, all in one transaction (src/db/swap.ts), so a failed or interrupted run leaves
// the database exactly as it was. With keepFailed, a run whose only fault is failed checks is committed anyway,
// marked failed in hcpgen_runs, for a person to look at; every other error still rolls back.
import type { Plan, RunParams, TableName } from '../plan/types.js';
import { TABLES } from '../plan/types.js';
import type { RequestedParams } from '../scenario/plan-for.js';
import { planWithChecks } from '../validation/plan-with-checks.js';
import { openTarget } from '../db/open-target.js';
import type { Target } from '../db/target.js';
import { readLatestRun, withAtomicRegeneration, type RunRecord, type Stage } from '../db/swap.js';
import { UserError } from '../lib/errors.js';
import { StageSink } from '../db/stage-sink.js';
import { produce, startChunks, withWorkers, type StartedChunks } from './produce.js';
import type { PrestartedWorkers } from './chunk-source.js';
import { DEFAULT_HCPS } from '../plan/limits.js';
import {
  expectedWithFixtures,
  loadSeedData,
  planFixtures,
  seedDataSummary,
  type SeedData,
} from '../fixtures/seed-data.js';
import { Progress, fmt, type TableTiming } from './progress.js';
import { ValidationFailedError } from '../validation/in-generate.js';
import { StatedFacts } from '../validation/stated/merge.js';
import { prepareModelChecks } from '../validation/checks-model.js';

export interface GenerateOptions extends RequestedParams {
  scenario: string;
  db?: string;
  wipe?: boolean;
  force?: boolean;
  /** Worker threads generating rows; default: one per core. 0 generates on the main thread. */
  workers?: number;
  /** HCPs per chunk handed to a worker. Output does not depend on it. */
  chunkSize?: number;
  /**
   * Runs inside the transaction after keys exist; throwing rolls everything back (but see keepFailed). `stated`:
   * the facts the generator stated about the rows it loaded (src/validation/stated/), for runValidation.
   */
  validate?: (stage: Stage, plan: Plan, stated: StatedFacts) => Promise<void>;
  /**
   * When `validate` throws ValidationFailedError (checks failed, nothing else went wrong), commit the run
   * anyway, recorded with status 'failed' in hcpgen_runs (`--keep-failed`). Any other error still rolls back.
   */
  keepFailed?: boolean;
  /** Progress on stderr (default) or nowhere. */
  quiet?: boolean;
  signal?: AbortSignal;
  /** Folder of seed-data fixture files loaded before the random data (docs/fixtures.md); omitted: none. */
  seedData?: string | undefined;
}

/** What `--json` reports of the fixtures: the seed data's summary, with row counts instead of the rows. */
export type GenerateFixtures = Omit<SeedData, 'rows'> & { rows: Record<TableName, number> };

export interface GenerateResult {
  status: 'generated' | 'exists';
  scenario: { name: string; file: string; hash: string };
  params: RunParams;
  target: string;
  runId: number | null;
  /**
   * true: the data in the target failed its checks and was kept (`--keep-failed`; hcpgen_runs status 'failed',
   * or a file output's manifest status 'failed'), by this run or, with status 'exists', an earlier one.
   */
  kept: boolean;
  counts: Record<TableName, number>;
  /** The rows the run writes per table: the random data's expected volume plus the fixtures' exact rows. */
  expected: Record<TableName, number>;
  /** The random data's expected volume alone (plan.expected; `expected` minus `fixtures.rows`). */
  expectedGenerated: Record<TableName, number>;
  /** The seed-data fixtures of this run (their rows come on top of `expected`); null without --seed-data. */
  fixtures: GenerateFixtures | null;
  timings: {
    tables: Record<TableName, TableTiming>;
    /** Wall seconds per phase: plan, generate + COPY, keys and indexes, validation, swap and commit. */
    phases: Record<Phase, number>;
    totalSeconds: number;
    rowsPerSecond: number;
  };
  message: string;
}

export type Phase = 'plan' | 'load' | 'keys' | 'validate' | 'commit';

export { DEFAULT_CHUNK, workerCount } from './produce.js';

/** Wall time per phase, each lap measured from the previous one. */
class PhaseClock {
  readonly phases: Record<Phase, number> = { plan: 0, load: 0, keys: 0, validate: 0, commit: 0 };
  private last: number;
  constructor(start: number) {
    this.last = start;
  }
  lap(phase: Phase): void {
    const now = performance.now();
    this.phases[phase] = Math.round(now - this.last) / 1000;
    this.last = now;
  }
}

export async function generate(options: GenerateOptions): Promise<GenerateResult> {
  const started = performance.now();
  return withWorkers(options, options.hcps ?? DEFAULT_HCPS, (prestarted) =>
    generateWith(options, started, prestarted),
  );
}

async function generateWith(
  options: GenerateOptions,
  started: number,
  prestarted: PrestartedWorkers,
): Promise<GenerateResult> {
  const clock = new PhaseClock(started);
  const { plan } = await planWithChecks(options.scenario, options);
  // Fixtures are checked before the database is touched: a bad fixture file changes nothing anywhere.
  const seed = options.seedData === undefined ? null : loadSeedData(options.seedData, plan);
  const fixtures = seed ? planFixtures(seed) : undefined;
  if (fixtures) plan.fixtures = fixtures;
  const params = plan.params;
  const signal = options.signal;
  signal?.throwIfAborted();
  // The generator states facts about its rows only for a run that validates them.
  const stated = options.validate ? new StatedFacts(plan) : undefined;
  const chunks = startChunks(plan, StageSink.ENCODING, options, prestarted, {
    from: 1,
    to: plan.params.hcps,
    stated: stated !== undefined,
  });
  const target = await openTarget(options.db === undefined ? {} : { db: options.db });
  // Ctrl-C: stop the statement in progress (a long COPY, an index build, a validation query) instead of waiting
  // for the next check between chunks; the transaction then rolls back.
  const cancel = (): void => void target.cancel();
  signal?.addEventListener('abort', cancel, { once: true });
  try {
    signal?.throwIfAborted();
    const existing = await readLatestRun(target);
    if (existing && !options.wipe) return alreadyThere(existing, plan, target, started, seed);

    const progress = new Progress(params.hcps, options.quiet ? null : process.stderr);
    progress.note(
      `hcpgen: generating scenario ${plan.scenario.name} (seed ${params.seed}, ${fmt(params.hcps)} HCPs, ` +
        `${params.months} months to ${params.asOf}) into ${target.description}`,
    );
    const result = await withAtomicRegeneration(target, {
      force: options.force ?? false,
      run: {
        scenarioName: plan.scenario.name,
        scenarioHash: plan.scenario.hash,
        seed: params.seed,
        hcps: params.hcps,
        months: params.months,
        asOf: params.asOf,
        generatorVersion: plan.generatorVersion,
        plan,
        fixturesHash: fixtures?.hash ?? null,
      },
      load: async (stage) => {
        clock.lap('plan');
        const counts = await load(stage, plan, seed, progress, chunks, stated);
        clock.lap('load');
        if (options.validate) prepareModelChecks(plan);
        progress.note('hcpgen: adding keys and indexes');
        return counts;
      },
      validate: async (stage) => {
        clock.lap('keys');
        progress.note('hcpgen: validating');
        try {
          if (options.validate) await options.validate(countingQueries(stage, progress), plan, stated!);
        } catch (err) {
          // Failed checks are a result, not damage: the transaction is intact (each check ran in its own
          // savepoint), so the run can be committed for a person to look at.
          if (!(options.keepFailed && err instanceof ValidationFailedError)) throw err;
          clock.lap('validate');
          progress.note('hcpgen: validation failed; keeping the run (--keep-failed)');
          return 'failed';
        }
        clock.lap('validate');
      },
      onStep: (label) => progress.step(`keys and indexes: ${label}`),
    });
    clock.lap('commit');
    progress.summary();
    const totalSeconds = (performance.now() - started) / 1000;
    const counts = result.counts as Record<TableName, number>;
    const rows = TABLES.reduce((a, t) => a + (counts[t] ?? 0), 0);
    const kept = result.status === 'failed';
    return {
      status: 'generated',
      scenario: { name: plan.scenario.name, file: plan.scenario.file, hash: plan.scenario.hash },
      params,
      target: target.description,
      runId: result.runId,
      kept,
      counts,
      expected: expectedWithFixtures(plan),
      expectedGenerated: plan.expected,
      fixtures: fixturesResult(seed),
      timings: {
        tables: progress.timings(),
        phases: clock.phases,
        totalSeconds: Math.round(totalSeconds * 1000) / 1000,
        rowsPerSecond: Math.round(rows / totalSeconds),
      },
      message:
        `Generated ${fmt(rows)} rows in ${totalSeconds.toFixed(1)} s (${fmt(Math.round(rows / totalSeconds))} rows/s).` +
        (kept ? ` ${keptMessage(result.runId)}` : ''),
    };
  } catch (err) {
    // Whatever the cancelled statement threw, the reason the run stopped is the interruption.
    if (signal?.aborted) throw signal.reason;
    throw err;
  } finally {
    signal?.removeEventListener('abort', cancel);
    await target.close();
  }
}

/**
 * The stage, with each validation query counted on the progress line (the checks run one query at a time).
 * Before each query the event loop gets a turn: the embedded database runs its queries on this thread, so a
 * Ctrl-C would otherwise wait for the last check, and the run (kept with --keep-failed) could commit first.
 */
function countingQueries(stage: Stage, progress: Progress): Stage {
  const started = performance.now();
  let queries = 0;
  return {
    ...stage,
    query: async (sql, params) => {
      await new Promise((resolve) => setImmediate(resolve));
      progress.step(
        `validating: ${++queries} queries, ${((performance.now() - started) / 1000).toFixed(0)} s`,
      );
      return stage.query(sql, params);
    },
  };
}

function load(
  stage: Stage,
  plan: Plan,
  seed: SeedData | null,
  progress: Progress,
  chunks: StartedChunks,
  stated: StatedFacts | undefined,
): Promise<Record<TableName, number>> {
  return produce(plan, seed, new StageSink(stage), {
    ...chunks,
    shared: true,
    progress,
    ...(stated ? { collect: stated } : {}),
  });
}

function sameRun(run: RunRecord, plan: Plan): boolean {
  const p = plan.params;
  return (
    run.scenarioHash === plan.scenario.hash &&
    String(run.seed) === String(p.seed) &&
    run.hcps === p.hcps &&
    run.months === p.months &&
    run.asOf === p.asOf &&
    (run.fixturesHash ?? null) === (plan.fixtures?.hash ?? null)
  );
}

export function fixturesResult(seed: SeedData | null): GenerateFixtures | null {
  return seed ? seedDataSummary(seed) : null;
}

/** What a run kept with failed checks says: kept, not rolled back, and how to look at it. */
function keptMessage(runId: number): string {
  return (
    `The checks failed and --keep-failed kept the run: run #${runId} is committed (not rolled back) and marked ` +
    'failed in hcpgen_runs. Look at it with hcpgen report, hcpgen sql "<query>" and hcpgen runs (on the same ' +
    'database); hcpgen validate and generate --validate-only exit 1 on it until a run whose checks pass ' +
    'replaces it (hcpgen generate --wipe).'
  );
}

function describeRun(run: RunRecord): string {
  const fixtures = run.fixturesHash
    ? `, seed-data fixtures ${run.fixturesHash.slice(0, 12)}`
    : ', no fixtures';
  const failed = run.status === 'failed' ? ', kept with failed checks' : '';
  return `${fmt(run.hcps)} HCPs, seed ${run.seed}, scenario ${run.scenarioName}, ${run.months} months to ${run.asOf}${fixtures}${failed}`;
}

function alreadyThere(
  run: RunRecord,
  plan: Plan,
  target: Target,
  started: number,
  seed: SeedData | null,
): GenerateResult {
  if (!sameRun(run, plan)) {
    throw new UserError(
      `${target.description} already holds different generated data (${describeRun(run)}; generated by hcpgen ` +
        `${run.generatorVersion}). Nothing was changed. Pass --wipe to replace it with this run ` +
        `(${fmt(plan.params.hcps)} HCPs, seed ${plan.params.seed}, scenario ${plan.scenario.name}` +
        `${plan.fixtures ? `, seed-data fixtures ${plan.fixtures.hash.slice(0, 12)}` : ', no fixtures'}), or point --db ` +
        'at another database.',
      { exitCode: 2 },
    );
  }
  const counts = (run.counts ?? {}) as Record<TableName, number>;
  const kept = run.status === 'failed';
  const tables = Object.fromEntries(
    TABLES.map((t) => [t, { rows: counts[t] ?? 0, seconds: 0, rowsPerSecond: 0 }]),
  ) as Record<TableName, TableTiming>;
  return {
    status: 'exists',
    scenario: { name: plan.scenario.name, file: plan.scenario.file, hash: plan.scenario.hash },
    params: plan.params,
    target: target.description,
    runId: run.id,
    kept,
    counts,
    expected: expectedWithFixtures(plan),
    expectedGenerated: plan.expected,
    fixtures: fixturesResult(seed),
    timings: {
      tables,
      phases: { plan: 0, load: 0, keys: 0, validate: 0, commit: 0 },
      totalSeconds: Math.round(performance.now() - started) / 1000,
      rowsPerSecond: 0,
    },
    message: kept
      ? `Data already exists (${fmt(run.hcps)} HCPs, seed ${run.seed}, scenario ${run.scenarioName}), but its checks ` +
        `failed: run #${run.id} was kept by --keep-failed and is marked failed in hcpgen_runs. Nothing was changed; ` +
        'use --wipe to regenerate'
      : `Data already exists (${fmt(run.hcps)} HCPs, seed ${run.seed}, scenario ${run.scenarioName}); use --wipe to regenerate`,
  };
}
