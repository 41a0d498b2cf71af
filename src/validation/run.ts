// runValidation: every check of the run, one after another, each inside its own savepoint when there is a
// transaction, so that a check whose SQL hits damage (a dropped column, a table a migration renamed, text
// where a number belongs) fails on its own and the others still run. Nothing here writes to the database.
import type { Plan, TableName } from '../plan/types.js';
import { readLatestRun, type RunRecord } from '../db/swap.js';
import { openTarget, type OpenTargetOptions, type Target } from '../db/target.js';
import { UserError } from '../lib/errors.js';
import { buildChecks } from './checks.js';
import { countTables } from './checks-run.js';
import type { Check, CheckContext, CheckResult, Queryable, ValidationReport } from './types.js';

export interface RunValidationOptions {
  /** The plan to validate against; default: the one stored with the latest successful run in hcpgen_runs. */
  plan?: Plan;
  /** With `plan`: the run record, if there is one yet (inside the generation transaction there is not). */
  run?: RunRecord | null;
  /** For messages: where the data lives (Target.description). */
  database?: string;
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
  if (savepoints) await q.query('SAVEPOINT hcpgen_check');
  try {
    const result = await check.run(q, ctx);
    if (savepoints) await q.query('RELEASE SAVEPOINT hcpgen_check');
    return { name: check.name, category: check.category, ...result, ms: ms() };
  } catch (err) {
    if (!DATA_ERROR.test(sqlState(err) ?? '')) throw err;
    if (savepoints) {
      await q.query('ROLLBACK TO SAVEPOINT hcpgen_check');
      await q.query('RELEASE SAVEPOINT hcpgen_check');
    }
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
  const { plan, run } = options.plan
    ? { plan: options.plan, run: options.run ?? null }
    : await latestRun(q, database);
  let counts: Promise<Record<TableName, number>> | undefined;
  const ctx: CheckContext = { plan, run, counts: () => (counts ??= countTables(q)) };
  const savepoints = await trySavepoint(q);
  const results: CheckResult[] = [];
  for (const check of buildChecks(plan, run !== null)) results.push(await runOne(q, check, ctx, savepoints));
  return { database, runId: run?.id ?? null, results, ...summarise(results) };
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
