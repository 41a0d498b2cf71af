// Building blocks for checks. Most checks are "no row may break this rule": a query that selects the offending
// rows (one column, `sample`, an id) is wrapped so that the database counts them and returns a few, in one
// round trip, whatever the table size. Table names stay unqualified: search_path decides (staging or public).
import type { Range } from '../scenario/scenario-types.js';
import type { Category, Check, CheckContext, CheckResult, Queryable } from './types.js';
import { dialectOf, type Dialect } from './dialect.js';

/** How many offending ids a failure shows. */
export const SAMPLE_LIMIT = 5;

/** Counts from either driver: int8 may arrive as number or (past 2^53) string. */
export function num(v: unknown): number {
  return v === null || v === undefined ? NaN : Number(v);
}

export interface Offenders {
  n: number;
  samples: (string | number)[];
}

/** `badSql` selects the offending rows with their id in a column named `sample`. */
export async function offenders(
  q: Queryable,
  badSql: string,
  params: readonly unknown[] = [],
): Promise<Offenders> {
  const { rows } = await q.query<{ n: unknown; samples: unknown }>(
    `WITH bad AS (${badSql})
     SELECT (SELECT count(*) FROM bad) AS n,
            ARRAY(SELECT sample FROM bad ORDER BY sample LIMIT ${SAMPLE_LIMIT}) AS samples`,
    params,
  );
  const row = rows[0];
  const samples = Array.isArray(row?.samples) ? (row.samples as unknown[]) : [];
  return {
    n: num(row?.n),
    samples: samples.map((s) => (typeof s === 'number' || typeof s === 'string' ? s : String(s))),
  };
}

type RuleResult = Omit<CheckResult, 'name' | 'category'>;

/** The result of a zero-offender rule: `expected 0 <unit>, actual <n>`. */
export function zeroResult(found: Offenders, unit: string, detail: string): RuleResult {
  if (found.n === 0) return { status: 'pass', expected: `0 ${unit}`, actual: '0' };
  return {
    status: 'fail',
    expected: `0 ${unit}`,
    actual: String(found.n),
    offending: found.n,
    samples: found.samples,
    detail,
  };
}

/** A constraint that proves a rule when it was just added (CheckContext.enforced). */
export interface Enforcer {
  table: string;
  constraint: string;
  /** Columns whose NOT NULL the rule also needs (a foreign key lets NULL through). */
  notNull?: readonly string[];
}

export interface RuleProofs {
  /** The constraint that enforces the rule, trusted only inside the generation transaction that added it. */
  enforcedBy?: Enforcer;
  /** True only if the rule certainly has no offender (from the shared passes); may be false when it has none. */
  clean?: (ctx: CheckContext) => Promise<boolean>;
}

export function enforcedDetail(constraint: string): string {
  return `enforced by constraint ${constraint}, added and validated in this transaction`;
}

/**
 * A check that no row breaks a rule. `sql` gets the context (plan values go in as parameters, never spliced
 * into the text) and returns the offender query and its parameters. That query runs only when neither proof
 * holds, so the offending count and samples of a failure always come from it.
 */
export function rule(
  name: string,
  category: Category,
  unit: string,
  detail: string,
  sql: string | ((ctx: CheckContext, dialect: Dialect) => [string, unknown[]]),
  proofs: RuleProofs = {},
): Check {
  return {
    name,
    category,
    async run(q, ctx) {
      const by = proofs.enforcedBy;
      if (by && (await ctx.enforced(by.table, by.constraint, by.notNull))) {
        return { status: 'pass', expected: `0 ${unit}`, actual: '0', detail: enforcedDetail(by.constraint) };
      }
      if (proofs.clean && (await proofs.clean(ctx))) return zeroResult({ n: 0, samples: [] }, unit, detail);
      const [text, params] = typeof sql === 'string' ? [sql, []] : sql(ctx, dialectOf(q));
      return zeroResult(await offenders(q, text, params), unit, detail);
    },
  };
}

/** Exclusive end of the window as a date ('YYYY-MM-DD' of the day after as-of): events are `< end`. */
export function windowBounds(ctx: CheckContext): [string, string] {
  const w = ctx.plan.window;
  return [w.start, new Date(w.endMs).toISOString().slice(0, 10)];
}

export function inRange(x: number, r: Range): boolean {
  if (!Number.isFinite(x)) return false;
  return (r.min === undefined || x >= r.min) && (r.max === undefined || x <= r.max);
}

/** Numbers as a person reads them: integers bare, fractions to 4 significant digits. */
export function fmt(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (Number.isInteger(x)) return String(x);
  return String(Number(x.toPrecision(4)));
}

export function formatRange(r: Range): string {
  if (r.min !== undefined && r.max !== undefined) return `${fmt(r.min)}..${fmt(r.max)}`;
  if (r.min !== undefined) return `>= ${fmt(r.min)}`;
  if (r.max !== undefined) return `<= ${fmt(r.max)}`;
  return 'any';
}

/** Quotes a PostgreSQL identifier (for the fixed column names of a share check). */
export function ident(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
