// `hcpgen generate`: scenario -> plan -> rows -> COPY into key-less staging tables -> keys and indexes ->
// validation -> atomic swap, all in one transaction (src/db/swap.ts), so a failed or interrupted run leaves
// the database exactly as it was.
import os from 'node:os';
import type { Plan, RunParams, TableName } from '../plan/types.js';
import { TABLES } from '../plan/types.js';
import { planFor, type RequestedParams } from '../scenario/plan-for.js';
import { openTarget, type Target } from '../db/target.js';
import { readLatestRun, withAtomicRegeneration, type RunRecord, type Stage } from '../db/swap.js';
import { UserError } from '../lib/errors.js';
import { buildCampaigns, CAMPAIGN_COLUMNS, campaignRows } from '../steps/campaigns.js';
import { seedKey } from '../random/keyed.js';
import {
  ENGAGEMENT_COLUMNS,
  OUTCOME_COLUMNS,
  RX_COLUMNS,
  STIMULUS_COLUMNS,
  type HcpTable,
} from '../steps/chunk.js';
import { HCP_COLUMNS } from '../steps/hcp-profiles.js';
import { TERRITORY_COLUMNS } from '../steps/territory-assignments.js';
import { generateChunks } from './chunk-source.js';
import { Progress, fmt, type TableTiming } from './progress.js';

export interface GenerateOptions extends RequestedParams {
  scenario: string;
  db?: string;
  wipe?: boolean;
  force?: boolean;
  /** Worker threads generating rows; default: one per core. 0 generates on the main thread. */
  workers?: number;
  /** HCPs per chunk handed to a worker. Output does not depend on it. */
  chunkSize?: number;
  /** Runs inside the transaction after keys exist; throwing rolls everything back. */
  validate?: (stage: Stage, plan: Plan) => Promise<void>;
  /** Progress on stderr (default) or nowhere. */
  quiet?: boolean;
  signal?: AbortSignal;
}

export interface GenerateResult {
  status: 'generated' | 'exists';
  scenario: { name: string; file: string; hash: string };
  params: RunParams;
  target: string;
  runId: number | null;
  counts: Record<TableName, number>;
  expected: Record<TableName, number>;
  timings: { tables: Record<TableName, TableTiming>; totalSeconds: number; rowsPerSecond: number };
  message: string;
}

export const COLUMNS: Record<TableName, readonly string[]> = {
  hcp_profiles: HCP_COLUMNS,
  territory_assignments: TERRITORY_COLUMNS,
  campaigns: CAMPAIGN_COLUMNS,
  stimuli: STIMULUS_COLUMNS,
  outcomes: OUTCOME_COLUMNS,
  rx_history: RX_COLUMNS,
  engagement_scores: ENGAGEMENT_COLUMNS,
};

const HCP_TABLES = TABLES.filter((t): t is HcpTable => t !== 'campaigns');
/** COPY a table's buffered rows once this much text has built up: few statements, bounded memory. */
const FLUSH_CHARS = 4 * 1024 * 1024;
const DEFAULT_CHUNK = 500;

export async function generate(options: GenerateOptions): Promise<GenerateResult> {
  const started = performance.now();
  const { plan } = await planFor(options.scenario, options);
  const params = plan.params;
  const target = await openTarget(options.db === undefined ? {} : { db: options.db });
  try {
    const existing = await readLatestRun(target);
    if (existing && !options.wipe) return alreadyThere(existing, plan, target, started);

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
      },
      load: (stage) => load(stage, plan, options, progress),
      validate: async (stage) => {
        progress.note('hcpgen: validating');
        await options.validate?.(stage, plan);
      },
    });
    progress.summary();
    const totalSeconds = (performance.now() - started) / 1000;
    const counts = result.counts as Record<TableName, number>;
    const rows = TABLES.reduce((a, t) => a + (counts[t] ?? 0), 0);
    return {
      status: 'generated',
      scenario: { name: plan.scenario.name, file: plan.scenario.file, hash: plan.scenario.hash },
      params,
      target: target.description,
      runId: result.runId,
      counts,
      expected: plan.expected,
      timings: {
        tables: progress.timings(),
        totalSeconds: Math.round(totalSeconds * 1000) / 1000,
        rowsPerSecond: Math.round(rows / totalSeconds),
      },
      message: `Generated ${fmt(rows)} rows in ${totalSeconds.toFixed(1)} s (${fmt(Math.round(rows / totalSeconds))} rows/s).`,
    };
  } finally {
    await target.close();
  }
}

async function load(
  stage: Stage,
  plan: Plan,
  options: GenerateOptions,
  progress: Progress,
): Promise<Record<TableName, number>> {
  const counts = Object.fromEntries(TABLES.map((t) => [t, 0])) as Record<TableName, number>;
  const copy = async (table: TableName, csv: string, rows: number): Promise<void> => {
    if (rows === 0) return;
    options.signal?.throwIfAborted();
    const t0 = performance.now();
    await stage.copyFrom(table, COLUMNS[table], [csv]);
    progress.add(table, rows, performance.now() - t0);
    counts[table] += rows;
  };

  const campaigns = buildCampaigns(plan, seedKey(plan.params.seed));
  await copy('campaigns', campaignRows(campaigns), campaigns.length);

  const buffers = Object.fromEntries(HCP_TABLES.map((t) => [t, { csv: [] as string[], chars: 0, rows: 0 }]));
  const flush = async (table: HcpTable): Promise<void> => {
    const b = buffers[table]!;
    const csv = b.csv.join('');
    const rows = b.rows;
    b.csv = [];
    b.chars = 0;
    b.rows = 0;
    await copy(table, csv, rows);
  };
  const workers = options.workers ?? os.availableParallelism();
  for await (const chunk of generateChunks(plan, {
    workers,
    chunkSize: options.chunkSize ?? DEFAULT_CHUNK,
    from: 1,
    to: plan.params.hcps,
  })) {
    options.signal?.throwIfAborted();
    for (const table of HCP_TABLES) {
      const b = buffers[table]!;
      b.csv.push(chunk.csv[table]);
      b.chars += chunk.csv[table].length;
      b.rows += chunk.rows[table];
      if (b.chars >= FLUSH_CHARS) await flush(table);
    }
    progress.tick();
  }
  for (const table of HCP_TABLES) await flush(table);
  return counts;
}

function sameRun(run: RunRecord, plan: Plan): boolean {
  const p = plan.params;
  return (
    run.scenarioHash === plan.scenario.hash &&
    String(run.seed) === String(p.seed) &&
    run.hcps === p.hcps &&
    run.months === p.months &&
    run.asOf === p.asOf
  );
}

function describeRun(run: RunRecord): string {
  return `${fmt(run.hcps)} HCPs, seed ${run.seed}, scenario ${run.scenarioName}, ${run.months} months to ${run.asOf}`;
}

function alreadyThere(run: RunRecord, plan: Plan, target: Target, started: number): GenerateResult {
  if (!sameRun(run, plan)) {
    throw new UserError(
      `${target.description} already holds different generated data (${describeRun(run)}; generated by hcpgen ` +
        `${run.generatorVersion}). Nothing was changed. Pass --wipe to replace it with this run ` +
        `(${fmt(plan.params.hcps)} HCPs, seed ${plan.params.seed}, scenario ${plan.scenario.name}), or point --db ` +
        'at another database.',
      { exitCode: 2 },
    );
  }
  const counts = (run.counts ?? {}) as Record<TableName, number>;
  const tables = Object.fromEntries(
    TABLES.map((t) => [t, { rows: counts[t] ?? 0, seconds: 0, rowsPerSecond: 0 }]),
  ) as Record<TableName, TableTiming>;
  return {
    status: 'exists',
    scenario: { name: plan.scenario.name, file: plan.scenario.file, hash: plan.scenario.hash },
    params: plan.params,
    target: target.description,
    runId: run.id,
    counts,
    expected: plan.expected,
    timings: { tables, totalSeconds: Math.round(performance.now() - started) / 1000, rowsPerSecond: 0 },
    message: `Data already exists (${fmt(run.hcps)} HCPs, seed ${run.seed}, scenario ${run.scenarioName}); use --wipe to regenerate`,
  };
}
