// runValidation: every check of the run, one after another, each inside its own savepoint when there is a
// transaction, so that a check whose SQL hits damage (a dropped column, a table a migration renamed, text
// where a number belongs) fails on its own and the others still run. Nothing here writes to the database.
import type { Plan, TableName } from '../plan/types.js';
import { readLatestRun, type RunRecord } from '../db/swap.js';
import { openTarget, type OpenTargetOptions } from '../db/open-target.js';
import type { Target } from '../db/target.js';
import { UserError } from '../lib/errors.js';
import { buildChecks } from './checks.js';
import { countTables } from './checks-run.js';
import { loadPass } from './passes.js';
import type { Facts, PassName, StatedModel } from './types.js';
import { num } from './sql.js';
import { dialectOf } from './dialect.js';
import type { StatedFacts } from './stated/merge.js';
import {
  claimOf,
  type Check,
  type CheckContext,
  type CheckResult,
  type Queryable,
  type RunClaim,
  type ValidationReport,
} from './types.js';

export interface RunValidationOptions {
  /** The plan to validate against; default: the one stored with the latest successful run in hcpgen_runs. */
  plan?: Plan;
  /** With `plan`: the run record, if there is one yet (inside the generation transaction there is not). */
  run?: RunRecord | null;
  /** With `plan`, instead of `run`: what else the data claims to be (file output: its manifests). */
  claim?: RunClaim;
  /** For messages: where the data lives (Target.description). */
  database?: string;
  /**
   * Set only by generate: the keys, uniques and foreign keys were added (and so validated by PostgreSQL) in
   * this transaction, so the checks they prove pass by constraint instead of scanning. `hcpgen validate` never
   * sets it: there, constraints may be missing or bypassed.
   */
  constraintsJustAdded?: boolean;
  /** work_mem for the validation queries (PostgreSQL only; restored afterwards), e.g. '256MB'. */
  workMem?: string;
  /**
   * Set by generate on a PostgreSQL server: the passes may set planner settings measured for just-loaded
   * tables (passes.ts, plannerHints), each put back right after its query.
   */
  plannerHints?: boolean;
  /**
   * false: every check runs its own query, none reads the shared passes (src/validation/passes.ts). Slower;
   * the tests use it to prove that both ways give the same report.
   */
  sharedPasses?: boolean;
  /**
   * Set by generate (with constraintsJustAdded): the facts the generator stated about the rows it loaded
   * (src/validation/stated/). When every table's fingerprint agrees with what the database holds, the passes
   * they cover are taken from them instead of scanned for; every check still reads them the same way, and
   * runs its own query whenever a fact does not prove it clean.
   */
  stated?: StatedFacts;
}

/** SQLSTATE classes that mean "the data or its shape is damaged", not "the database is unreachable". */
const DATA_ERROR = /^(42|22)/;

function sqlState(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

async function latestRun(q: Queryable, database: string): Promise<{ plan: Plan; run: RunRecord }> {
  const { rows } = await q.query<{ schema: string }>('SELECT current_schema() AS schema');
  const run = await readLatestRun(q as Target, rows[0]?.schema ?? 'public');
  if (!run) {
    throw new UserError(`No generated data found in ${database}: run \`hcpgen generate\` first.`, {
      hint: 'Point --db (or DATABASE_URL) at the database hcpgen generated into.',
    });
  }
  const plan = run.plan as Partial<Plan> | null;
  if (plan?.planVersion !== 1 || !plan.validation || !plan.expected || !plan.window) {
    throw new UserError(
      `Run #${run.id} in ${database} was recorded by hcpgen ${run.generatorVersion}, whose plan this version cannot ` +
        'read, so there is nothing to validate against. Regenerate the data with this version (`hcpgen generate`).',
    );
  }
  return { plan: plan as Plan, run };
}

/** Sets work_mem for the rest of the transaction; returns the value it had. */
async function setWorkMem(q: Queryable, value: string): Promise<string> {
  const { rows } = await q.query<{ old: string }>(
    `SELECT current_setting('work_mem') AS old, set_config('work_mem', $1, true) AS new`,
    [value],
  );
  return rows[0]?.old ?? value;
}

/** Savepoints work only inside a transaction block; outside one each query stands alone anyway. */
async function trySavepoint(q: Queryable): Promise<boolean> {
  try {
    await q.query('SAVEPOINT hcpgen_validate');
    await q.query('RELEASE SAVEPOINT hcpgen_validate');
    return true;
  } catch (err) {
    if (sqlState(err) === '25P01') return false;
    throw err;
  }
}

async function runOne(
  q: Queryable,
  check: Check,
  ctx: CheckContext,
  savepoints: boolean,
): Promise<CheckResult> {
  const started = performance.now();
  const ms = () => Math.round(performance.now() - started);
  try {
    const result = await isolated(q, savepoints, 'hcpgen_check', () => check.run(q, ctx));
    return { name: check.name, category: check.category, ...result, ms: ms() };
  } catch (err) {
    if (!isDataError(err)) throw err;
    return {
      name: check.name,
      category: check.category,
      status: 'fail',
      expected: 'a query that runs',
      actual: 'query failed',
      detail: `the check's query failed: ${(err as Error).message} (the table no longer has the shape hcpgen generated).`,
      ms: ms(),
    };
  }
}

function isDataError(err: unknown): boolean {
  return DATA_ERROR.test(sqlState(err) ?? '');
}

/** Runs `body` inside its own savepoint, so that a query it breaks leaves the transaction usable. */
async function isolated<T>(
  q: Queryable,
  savepoints: boolean,
  name: string,
  body: () => Promise<T>,
): Promise<T> {
  if (savepoints) await q.query(`SAVEPOINT ${name}`);
  try {
    const result = await body();
    if (savepoints) await q.query(`RELEASE SAVEPOINT ${name}`);
    return result;
  } catch (err) {
    if (savepoints && isDataError(err)) {
      await q.query(`ROLLBACK TO SAVEPOINT ${name}`);
      await q.query(`RELEASE SAVEPOINT ${name}`);
    }
    throw err;
  }
}

/** What the catalog says about the current schema's constraints (read once, in constraintsJustAdded mode). */
async function readConstraints(q: Queryable): Promise<{ validated: Set<string>; notNull: Set<string> }> {
  const cons = await q.query<{ k: string }>(
    `SELECT r.relname || '.' || c.conname AS k FROM pg_constraint c JOIN pg_class r ON r.oid = c.conrelid
      WHERE r.relnamespace = current_schema()::regnamespace AND c.convalidated`,
  );
  const cols = await q.query<{ k: string }>(
    `SELECT r.relname || '.' || a.attname AS k FROM pg_attribute a JOIN pg_class r ON r.oid = a.attrelid
      WHERE r.relnamespace = current_schema()::regnamespace AND a.attnum > 0 AND a.attnotnull AND NOT a.attisdropped`,
  );
  return { validated: new Set(cons.rows.map((r) => r.k)), notNull: new Set(cols.rows.map((r) => r.k)) };
}

/** The seven row counts from the passes' facts (they count every row anyway), or null if a pass failed. */
async function countsFromPasses(q: Queryable, ctx: CheckContext): Promise<Record<TableName, number> | null> {
  const h = await ctx.facts('hcps');
  const e = await ctx.facts('engagement');
  if (!h || !e) return null;
  const { rows } = await q.query('SELECT count(*) AS n FROM campaigns');
  const counts: Record<TableName, number> = {
    hcp_profiles: h.hcp_rows ?? NaN,
    territory_assignments: h.assignment_rows ?? NaN,
    campaigns: num(rows[0]?.n),
    stimuli: e.stimulus_rows ?? NaN,
    outcomes: e.outcome_rows ?? NaN,
    rx_history: h.rx_rows ?? NaN,
    engagement_scores: e.score_rows ?? NaN,
  };
  return Object.values(counts).every(Number.isFinite) ? counts : null;
}

function makeContext(
  q: Queryable,
  plan: Plan,
  run: RunClaim | null,
  savepoints: boolean,
  constraintsJustAdded: boolean,
  sharedPasses: boolean,
  plannerHints = false,
  stated: Partial<Record<PassName, Facts>> = {},
  model: StatedModel | null = null,
): CheckContext {
  const passes = new Map<PassName, Promise<Facts | null>>();
  let catalog: ReturnType<typeof readConstraints> | undefined;
  let counts: Promise<Record<TableName, number>> | undefined;
  // A shared query that breaks on damaged data is not an error: the checks fall back to their own queries
  // (orNullData).
  const ctx: CheckContext = {
    plan,
    run,
    constraintsJustAdded,
    counts: () =>
      (counts ??= orNullData(isolated(q, savepoints, 'hcpgen_counts', () => countsFromPasses(q, ctx))).then(
        (c) => c ?? countTables(q),
      )),
    facts: (pass) => {
      if (!sharedPasses) return Promise.resolve(null);
      let p = passes.get(pass);
      const given = stated[pass];
      if (!p && given) passes.set(pass, (p = Promise.resolve(given)));
      if (!p) {
        p = orNullData(isolated(q, savepoints, 'hcpgen_pass', () => loadPass(q, pass, ctx, plannerHints)));
        passes.set(pass, p);
      }
      return p;
    },
    enforced: async (table, constraint, notNull = []) => {
      if (!constraintsJustAdded) return false;
      const { validated, notNull: nn } = await (catalog ??= readConstraints(q));
      return validated.has(`${table}.${constraint}`) && notNull.every((c) => nn.has(`${table}.${c}`));
    },
  };
  if (model) ctx.model = model;
  return ctx;
}

/**
 * One shared pass's facts as validation scans for them (null when its query breaks on damaged data); what the
 * generator's stated facts must equal (test/validation/stated-facts.test.ts).
 */
export function scannedFacts(
  q: Queryable,
  plan: Plan,
  pass: PassName,
  constraintsJustAdded: boolean,
): Promise<Facts | null> {
  return makeContext(q, plan, null, false, constraintsJustAdded, true).facts(pass);
}

export function summarise(
  results: readonly CheckResult[],
): Pick<ValidationReport, 'passed' | 'failed' | 'skipped' | 'summary'> {
  const passed = results.filter((r) => r.status === 'pass').length;
  const failed = results.filter((r) => r.status === 'fail').length;
  const skipped = results.filter((r) => r.status === 'skip').length;
  const summary = `Validation: ${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}`;
  return { passed, failed, skipped, summary };
}

/**
 * Runs every check against the tables `q` resolves through its search_path. Throws a UserError when there is
 * no run metadata to validate against; a failing check is a result, not an error.
 */
export async function runValidation(
  q: Queryable,
  options: RunValidationOptions = {},
): Promise<ValidationReport> {
  const database = options.database ?? (q as Partial<Target>).description ?? 'this database';
  // DuckDB (file output, src/validation/dialect.ts): no transaction, no settings, no constraint catalog.
  const postgres = dialectOf(q) === 'postgres';
  if (!postgres && !options.plan)
    throw new Error('runValidation on DuckDB needs the plan (from the manifests)');
  const { plan, run } = options.plan
    ? { plan: options.plan, run: options.claim ?? (options.run ? claimOf(options.run) : null) }
    : await latestRun(q, database).then((r) => ({ plan: r.plan, run: claimOf(r.run) }));
  const savepoints = postgres && (await trySavepoint(q));
  const justAdded = postgres && (options.constraintsJustAdded ?? false);
  // The generator's facts stand in for the scans only where the keys were just added (they prove the ids
  // unique) and every table is, by its fingerprint, the rows they are about.
  const agreed =
    justAdded && options.stated && (options.sharedPasses ?? true)
      ? (await orNullData(isolated(q, savepoints, 'hcpgen_stated', () => options.stated!.agrees(q)))) === true
      : false;
  const stated = agreed ? options.stated!.facts() : {};
  const model = agreed ? options.stated!.model() : null;
  const ctx = makeContext(
    q,
    plan,
    run,
    savepoints,
    justAdded,
    options.sharedPasses ?? true,
    postgres && (options.plannerHints ?? false),
    stated,
    model,
  );
  const restore = postgres && options.workMem ? await setWorkMem(q, options.workMem) : undefined;
  const results: CheckResult[] = [];
  try {
    for (const check of buildChecks(plan, run !== null))
      results.push(await runOne(q, check, ctx, savepoints));
  } finally {
    if (restore !== undefined) await setWorkMem(q, restore);
  }
  const report: ValidationReport = { database, runId: run?.id ?? null, results, ...summarise(results) };
  const statedPasses = Object.keys(stated) as PassName[];
  if (statedPasses.length > 0) report.statedPasses = statedPasses;
  if (model) report.statedModel = true;
  return report;
}

/** A promise's value, or null when it failed on damaged data (as the shared passes' queries are treated). */
function orNullData<T>(p: Promise<T>): Promise<T | null> {
  return p.catch((err: unknown) => {
    if (isDataError(err)) return null;
    throw err;
  });
}

/**
 * `hcpgen validate`: opens the target, validates the latest run in one read-only snapshot (every check sees the
 * same data, and the database refuses any write), closes the target.
 */
export async function validateDatabase(options: OpenTargetOptions = {}): Promise<ValidationReport> {
  const target = await openTarget(options);
  try {
    await target.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    // Per-HCP aggregates over stimuli hash millions of groups: let them stay in memory (this transaction only).
    // PGlite runs in WASM memory, so it keeps its default.
    if (target.kind === 'postgres') await target.query(`SET LOCAL work_mem = '256MB'`);
    try {
      return await runValidation(target);
    } finally {
      await target.rollback().catch(() => undefined);
    }
  } finally {
    await target.close();
  }
}
