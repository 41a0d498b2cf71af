// Run history: what hcpgen_runs holds (one row per successful generate or load), and the differences between
// two runs' parameters and row counts. Read-only; the plan column (large) is read only for a comparison.
import { qualify } from '../db/ddl.js';
import { RUNS_TABLE } from '../db/table-names.js';
import { DEFAULT_SCHEMA } from '../db/swap.js';
import type { Row, Target } from '../db/target.js';
import { UserError } from '../lib/errors.js';
import { TABLES } from '../plan/types.js';

export interface RunSummary {
  id: number;
  scenarioName: string;
  scenarioHash: string;
  seed: number | string;
  hcps: number;
  months: number;
  asOf: string;
  generatorVersion: string;
  startedAt: string;
  finishedAt: string | null;
  status: string;
  fixturesHash: string | null;
  counts: Record<string, number> | null;
  /** Sum of the seven tables' counts. */
  rows: number | null;
  /** finished_at - started_at. */
  durationSeconds: number | null;
}

const iso = (v: unknown): string | null =>
  v === null || v === undefined ? null : v instanceof Date ? v.toISOString() : String(v);

function summary(r: Row): RunSummary {
  const counts = (r.counts as Record<string, number> | null) ?? null;
  const started = iso(r.started_at) ?? '';
  const finished = iso(r.finished_at);
  return {
    id: Number(r.id),
    scenarioName: String(r.scenario_name),
    scenarioHash: String(r.scenario_hash),
    seed: r.seed as number | string,
    hcps: Number(r.hcps),
    months: Number(r.months),
    asOf: String(r.as_of),
    generatorVersion: String(r.generator_version),
    startedAt: started,
    finishedAt: finished,
    status: String(r.status),
    fixturesHash: (r.fixtures_hash as string | null) ?? null,
    counts,
    rows: counts ? TABLES.reduce((a, t) => a + (Number(counts[t]) || 0), 0) : null,
    durationSeconds: finished ? Math.round((Date.parse(finished) - Date.parse(started)) / 100) / 10 : null,
  };
}

async function hasRunsTable(target: Target, schema: string): Promise<boolean> {
  const { rows } = await target.query(
    `SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relname = $2`,
    [schema, RUNS_TABLE],
  );
  return rows.length > 0;
}

const COLUMNS =
  'id, scenario_name, scenario_hash, seed, hcps, months, as_of, generator_version, started_at, finished_at, ' +
  'status, counts, fixtures_hash';

/** Every recorded run, oldest first; [] when hcpgen has not written to this database. */
export async function listRuns(target: Target, schema = DEFAULT_SCHEMA): Promise<RunSummary[]> {
  if (!(await hasRunsTable(target, schema))) return [];
  const { rows } = await target.query(`SELECT ${COLUMNS} FROM ${qualify(RUNS_TABLE, schema)} ORDER BY id`);
  return rows.map(summary);
}

export interface Difference {
  field: string;
  a: unknown;
  b: unknown;
}

export interface RunComparison {
  a: RunSummary;
  b: RunSummary;
  /** Parameters that differ (scenario, hash, seed, hcps, months, as-of, version, fixtures). */
  params: Difference[];
  /** Every table: both counts, B - A and the relative change. */
  counts: { table: string; a: number | null; b: number | null; diff: number | null; pct: number | null }[];
  /** Plan expectations that differ, per table. */
  expected: Difference[];
}

async function runById(
  target: Target,
  schema: string,
  id: number,
): Promise<{ run: RunSummary; plan: unknown }> {
  const { rows } = await target.query(
    `SELECT ${COLUMNS}, plan FROM ${qualify(RUNS_TABLE, schema)} WHERE id = $1`,
    [id],
  );
  const r = rows[0];
  if (!r) {
    const all = await listRuns(target, schema);
    throw new UserError(
      `${target.description} has no run #${id}` +
        (all.length > 0
          ? ` (it has runs ${all.map((x) => `#${x.id}`).join(', ')}).`
          : ' (it has no runs at all).'),
      { hint: 'hcpgen runs lists them.' },
    );
  }
  return { run: summary(r), plan: r.plan };
}

const PARAMS: [string, keyof RunSummary][] = [
  ['scenario', 'scenarioName'],
  ['scenario hash', 'scenarioHash'],
  ['seed', 'seed'],
  ['hcps', 'hcps'],
  ['months', 'months'],
  ['as-of', 'asOf'],
  ['generator version', 'generatorVersion'],
  ['fixtures hash', 'fixturesHash'],
  ['status', 'status'],
];

export async function compareRuns(
  target: Target,
  idA: number,
  idB: number,
  schema = DEFAULT_SCHEMA,
): Promise<RunComparison> {
  if (!(await hasRunsTable(target, schema))) {
    throw new UserError(
      `${target.description} has no hcpgen_runs table: hcpgen has not generated into it yet.`,
    );
  }
  const A = await runById(target, schema, idA);
  const B = await runById(target, schema, idB);
  const params = PARAMS.filter(([, k]) => String(A.run[k]) !== String(B.run[k])).map(([field, k]) => ({
    field,
    a: A.run[k],
    b: B.run[k],
  }));
  const counts = TABLES.map((table) => {
    const a = A.run.counts?.[table] ?? null;
    const b = B.run.counts?.[table] ?? null;
    const diff = a !== null && b !== null ? b - a : null;
    const pct = diff !== null && a ? Math.round((diff / a) * 10000) / 100 : null;
    return { table, a, b, diff, pct };
  });
  const ea = (A.plan as { expected?: Record<string, number> } | null)?.expected ?? {};
  const eb = (B.plan as { expected?: Record<string, number> } | null)?.expected ?? {};
  const expected = TABLES.filter((t) => ea[t] !== eb[t]).map((t) => ({
    field: `expected ${t}`,
    a: ea[t] ?? null,
    b: eb[t] ?? null,
  }));
  return { a: A.run, b: B.run, params, counts, expected };
}
