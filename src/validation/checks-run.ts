// Volumes against the plan, and the data against its run metadata: what hcpgen_runs says was generated
// (HCP count, months, as-of, seed, row counts) must be what the tables hold. A migration or a manual edit that
// adds or removes rows after the fact shows up here even when every row on its own looks fine.
import { TABLES, type TableName } from '../plan/types.js';
import { npiForIndex } from '../random/npi.js';
import type { Check, CheckContext, Queryable, RunClaim } from './types.js';
import { fmt, num, offenders, zeroResult } from './sql.js';

/** Row counts of the seven tables in one query. */
export async function countTables(q: Queryable): Promise<Record<TableName, number>> {
  const { rows } = await q.query(
    `SELECT ${TABLES.map((t) => `(SELECT count(*) FROM ${t}) AS ${t}`).join(', ')}`,
  );
  const row = rows[0] ?? {};
  return Object.fromEntries(TABLES.map((t) => [t, num(row[t])])) as Record<TableName, number>;
}

function pct(x: number): string {
  return `${fmt(Math.round(x * 1000) / 10)}%`;
}

/** How many standard deviations of sampling noise a volume may stray before it fails (6e-5 false alarms). */
const NOISE_SDS = 4;

function volumeCheck(table: TableName): Check {
  return {
    name: `volume.${table}`,
    category: 'volume',
    async run(_q, ctx) {
      // Seed-data fixtures add an exact number of rows on top of the random data's expected volume.
      const fixed = ctx.plan.fixtures?.rows[table] ?? 0;
      const expected = ctx.plan.expected[table] + fixed;
      const tolerance = ctx.plan.validation.tolerances[table] ?? 0;
      const actual = (await ctx.counts())[table];
      // The scenario's relative tolerance, or the sampling noise of a run this size (4 standard deviations),
      // whichever is wider: a 200-HCP run scatters far more than 5% without anything being wrong.
      const random = expected - fixed;
      const noise = NOISE_SDS * (ctx.plan.expectedSd?.[table] ?? 0);
      const slack = Math.max(random * tolerance, noise);
      const lo = Math.ceil(random - slack - 1e-9) + fixed;
      const hi = Math.floor(random + slack + 1e-9) + fixed;
      const band =
        noise > random * tolerance
          ? `±${fmt(Math.round(slack))} (4 SD of sampling noise)`
          : `±${pct(tolerance)}`;
      const exp = slack === 0 ? `${expected} rows` : `${expected} rows ${band} (${lo}..${hi})`;
      const off = expected === 0 ? 0 : (actual - expected) / expected;
      const act = `${actual}${expected > 0 && actual !== expected ? ` (${off > 0 ? '+' : ''}${pct(off)})` : ''}`;
      if (actual >= lo && actual <= hi) return { status: 'pass', expected: exp, actual: act };
      return {
        status: 'fail',
        expected: exp,
        actual: act,
        detail:
          `${table} has ${actual} rows, the plan for this run expects ${expected} within ${lo}..${hi}; ` +
          `if the data is right, loosen validation.table_tolerances.${table} in the scenario.`,
      };
    },
  };
}

export const VOLUME_CHECKS: readonly Check[] = TABLES.map(volumeCheck);

/** Where the claim's values are written: `run #3's columns`, or `the manifests of run 3f2a9c01b7d4`. */
function columnsOf(r: RunClaim): string {
  return r.manifests ? r.label : `${r.label}'s columns`;
}

/** What the data must match: the run record's values, which must also be its plan's. */
function claimed(ctx: CheckContext): {
  hcps: number;
  months: number;
  asOf: string;
  seed: string;
  mismatch?: string;
} {
  const p = ctx.plan.params;
  const r = ctx.run;
  const out = {
    hcps: r?.hcps ?? p.hcps,
    months: r?.months ?? p.months,
    asOf: r?.asOf ?? p.asOf,
    seed: String(r?.seed ?? p.seed),
  };
  if (r) {
    const diffs: string[] = [];
    if (r.hcps !== p.hcps) diffs.push(`hcps ${r.hcps} vs ${p.hcps}`);
    if (r.months !== p.months) diffs.push(`months ${r.months} vs ${p.months}`);
    if (r.asOf !== p.asOf) diffs.push(`as_of ${r.asOf} vs ${p.asOf}`);
    if (String(r.seed) !== String(p.seed)) diffs.push(`seed ${r.seed} vs ${p.seed}`);
    if (diffs.length > 0)
      return { ...out, mismatch: `${columnsOf(r)} disagree with its plan: ${diffs.join(', ')}` };
  }
  return out;
}

/**
 * File output has no hcpgen_runs: its run is complete when every shard's manifest is there (validateFiles
 * refuses to get this far otherwise, and says which shard to generate).
 */
function manifestsComplete(m: NonNullable<RunClaim['manifests']>): ReturnType<Check['run']> {
  const expected = `manifests of all ${m.count} shards of run ${m.runKey.slice(0, 12)}`;
  const present = new Set(m.present);
  const missing = Array.from({ length: m.count }, (_, i) => i + 1).filter((k) => !present.has(k));
  const actual = `${present.size} of ${m.count}`;
  if (missing.length === 0 && present.size === m.count)
    return Promise.resolve({ status: 'pass', expected, actual });
  return Promise.resolve({
    status: 'fail',
    expected,
    actual,
    offending: missing.length,
    samples: missing,
    detail: 'these shards of the run are missing: generate them into the same directory (--shard K/N).',
  });
}

/** Checks that need the run record (they are left out while validating inside the generation transaction). */
export const RUN_RECORD_CHECKS: readonly Check[] = [
  {
    name: 'run.status',
    category: 'run',
    async run(q, ctx) {
      if (ctx.run?.manifests) return manifestsComplete(ctx.run.manifests);
      const { rows } = await q.query<{ id: unknown; status: unknown }>(
        'SELECT id, status FROM hcpgen_runs ORDER BY id DESC LIMIT 1',
      );
      const latest = rows[0];
      const id = num(latest?.id);
      const status = String(latest?.status ?? 'none');
      const expected = `succeeded (run #${ctx.run?.id})`;
      if (id === ctx.run?.id && status === 'succeeded')
        return { status: 'pass', expected, actual: `${status} (run #${id})` };
      // `generate --keep-failed` committed a run whose checks failed, for a person to look at: the tables hold
      // its data, but it is not data to use, so this check fails until a run whose checks pass replaces it.
      if (id === ctx.run?.id && status === 'failed') {
        return {
          status: 'fail',
          expected,
          actual: `failed (run #${id}, kept with failed checks by --keep-failed)`,
          detail:
            `run #${id} failed its validation checks and was kept anyway (generate --keep-failed), so the tables ` +
            'hold it for inspection, not for use; replace it with a run whose checks pass (`hcpgen generate --wipe`).',
        };
      }
      return {
        status: 'fail',
        expected,
        actual: `${status} (run #${id})`,
        detail: `the last generation (run #${id}) did not succeed, so the tables may not hold the data it was meant to; run \`hcpgen generate\` again.`,
      };
    },
  },
  {
    name: 'run.counts',
    category: 'run',
    async run(_q, ctx) {
      const recorded = ctx.run?.counts ?? {};
      const actual = await ctx.counts();
      const differ = TABLES.filter((t) => num(recorded[t]) !== actual[t]);
      const expected = 'row counts as recorded by the run';
      if (differ.length === 0) return { status: 'pass', expected, actual: 'all 7 tables match' };
      return {
        status: 'fail',
        expected,
        actual: differ.map((t) => `${t} ${actual[t]} (recorded ${recorded[t] ?? 'nothing'})`).join(', '),
        offending: differ.length,
        samples: differ,
        detail: 'rows were added or removed after generation (a migration, a manual edit, another tool).',
      };
    },
  },
  {
    name: 'run.scenario',
    category: 'run',
    async run(_q, ctx) {
      const r = ctx.run!;
      const s = ctx.plan.scenario;
      const expected = `scenario ${s.name} ${s.hash.slice(0, 12)}, generator ${ctx.plan.generatorVersion}`;
      const actual = `scenario ${r.scenarioName} ${r.scenarioHash.slice(0, 12)}, generator ${r.generatorVersion}`;
      if (actual === expected) return { status: 'pass', expected, actual };
      return {
        status: 'fail',
        expected,
        actual,
        detail: `${columnsOf(r)} disagree with its stored plan.`,
      };
    },
  },
];

/** Generated HCPs whose NPIs are compared with what the recorded seed produces. */
const SEED_PROBES = 5;

export const RUN_DATA_CHECKS: readonly Check[] = [
  {
    name: 'run.hcps',
    category: 'run',
    async run(q, ctx) {
      const c = claimed(ctx);
      const { rows } = await q.query(
        `SELECT count(*) AS n, min(id) AS lo, max(id) AS hi FROM hcp_profiles WHERE source = 'generated'`,
      );
      const n = num(rows[0]?.n);
      const lo = num(rows[0]?.lo);
      const hi = num(rows[0]?.hi);
      const expected = `${c.hcps} generated HCPs, ids 1..${c.hcps}`;
      const actual = n === 0 ? '0 generated HCPs' : `${n} generated HCPs, ids ${lo}..${hi}`;
      if (!c.mismatch && n === c.hcps && lo === 1 && hi === c.hcps)
        return { status: 'pass', expected, actual };
      return {
        status: 'fail',
        expected,
        actual,
        detail: c.mismatch ?? 'hcp_profiles does not hold the HCPs the run generated.',
      };
    },
  },
  {
    name: 'run.months',
    category: 'run',
    async run(q, ctx) {
      const c = claimed(ctx);
      const w = ctx.plan.window;
      const { rows } = await q.query(
        'SELECT count(DISTINCT month) AS n, min(month) AS lo, max(month) AS hi FROM rx_history',
      );
      const n = num(rows[0]?.n);
      const first = w.months[0]?.start;
      const last = w.months[w.months.length - 1]?.start;
      const expected = `${c.months} months, ${first}..${last}`;
      const actual = `${n} months, ${String(rows[0]?.lo ?? '-')}..${String(rows[0]?.hi ?? '-')}`;
      if (!c.mismatch && n === c.months && actual === `${n} months, ${first}..${last}`) {
        return { status: 'pass', expected, actual };
      }
      return {
        status: 'fail',
        expected,
        actual,
        detail: c.mismatch ?? 'rx_history does not cover the months the run generated.',
      };
    },
  },
  {
    name: 'run.as_of',
    category: 'run',
    async run(q, ctx) {
      const c = claimed(ctx);
      // The engagement pass counts scores not as of the plan's as-of: proof enough when that is the claimed one.
      const facts = c.asOf === ctx.plan.params.asOf ? await ctx.facts('engagement') : null;
      const found =
        facts?.wrong_as_of === 0
          ? { n: 0, samples: [] }
          : await offenders(
              q,
              'SELECT hcp_id AS sample FROM engagement_scores WHERE as_of IS DISTINCT FROM $1::date',
              [c.asOf],
            );
      const result = zeroResult(
        found,
        `scores not as of ${c.asOf}`,
        "engagement_scores.as_of must be the run's as-of.",
      );
      if (c.mismatch || ctx.plan.window.end !== c.asOf) {
        return {
          ...result,
          status: 'fail',
          detail: c.mismatch ?? `the plan's window ends ${ctx.plan.window.end}.`,
        };
      }
      return result;
    },
  },
  {
    name: 'run.seed',
    category: 'run',
    async run(q, ctx) {
      const c = claimed(ctx);
      const ids = Array.from({ length: Math.min(SEED_PROBES, c.hcps) }, (_, i) => i + 1);
      const { rows } = await q.query<{ id: unknown; npi: unknown }>(
        `SELECT id, npi FROM hcp_profiles WHERE id = ANY($1::int[]) AND source = 'generated'`,
        [ids],
      );
      const npi = new Map(rows.map((r) => [num(r.id), String(r.npi)]));
      // The NPI is a keyed permutation of (id, seed): data generated with another seed has other NPIs.
      const seed = Number(c.seed);
      const wrong = ids.filter((id) => npi.get(id) !== npiForIndex(id, seed));
      const expected = `NPIs of HCPs 1..${ids.length} as seed ${c.seed} generates them`;
      if (!c.mismatch && wrong.length === 0)
        return { status: 'pass', expected, actual: `${ids.length} of ${ids.length} match` };
      return {
        status: 'fail',
        expected,
        actual: `${ids.length - wrong.length} of ${ids.length} match`,
        offending: wrong.length,
        samples: wrong,
        detail: c.mismatch ?? `these HCPs were not generated with seed ${c.seed} (or their NPI was changed).`,
      };
    },
  },
];
