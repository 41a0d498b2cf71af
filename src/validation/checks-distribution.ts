// The scenario's declared distribution checks (validation.checks), one Check per range to hold: a share check
// over tier gives one result per tier value. Each declared check is one SQL query that returns a handful of
// numbers; checks that give several results share it through a per-validation cache.
import type { Check as DeclaredCheck, Range } from '../scenario/scenario-types.js';
import type { Plan } from '../plan/types.js';
import type { Check, CheckContext, CheckResult, Queryable } from './types.js';
import { fmt, formatRange, ident, inRange, num } from './sql.js';
import { oncePer } from '../lib/once-per.js';
import { oneOutcomePerStimulus, stimuliCounts } from './passes.js';

type Outcome = Omit<CheckResult, 'name' | 'category'>;

/** One SQL round trip per declared check and validation, however many results read it. */
function shared<T>(
  load: (q: Queryable, ctx: CheckContext) => Promise<T>,
): (q: Queryable, ctx: CheckContext) => Promise<T> {
  return oncePer((_q: Queryable, ctx: CheckContext) => ctx, load);
}

function judge(x: number, range: Range, what: string, extra = ''): Outcome {
  const expected = formatRange(range);
  if (!Number.isFinite(x)) {
    return {
      status: 'fail',
      expected,
      actual: 'no data',
      detail: `${what} cannot be computed: there is nothing to measure.`,
    };
  }
  const actual = fmt(x) + extra;
  if (inRange(x, range)) return { status: 'pass', expected, actual };
  return {
    status: 'fail',
    expected,
    actual,
    detail: `${what} is outside the scenario's range; if the data is right, adjust this check in the scenario's validation.checks.`,
  };
}

/** Share of rows per value of `column` in `table`, as a Map value -> share (0..1). */
function sharesOf(table: string, column: string) {
  return shared(async (q) => {
    const { rows } = await q.query<{ v: unknown; share: unknown }>(
      `SELECT ${ident(column)}::text AS v, count(*)::float8 / sum(count(*)) OVER () AS share FROM ${table} GROUP BY 1`,
    );
    return new Map(rows.map((r) => [String(r.v), num(r.share)]));
  });
}

/** A channel's share of stimuli from the stimuli pass (undefined: ask the table). */
async function passShare(ctx: CheckContext, table: string, value: string): Promise<number | undefined> {
  // 'null' would also name the NULL group of the GROUP BY: leave that corner to the query.
  if (table !== 'stimuli' || value === 'null') return undefined;
  const f = await stimuliCounts(ctx);
  const n = f?.[`channel:${value}`];
  if (!f || n === undefined || f.rows === undefined) return undefined;
  return f.rows === 0 ? 0 : n / f.rows;
}

function perValue(
  prefix: string,
  expected: Record<string, Range>,
  table: string,
  column: string,
  what: string,
): Check[] {
  const load = sharesOf(table, column);
  return Object.entries(expected).map(([value, range]) => ({
    name: `${prefix}.${value}`,
    category: 'distribution' as const,
    async run(q, ctx) {
      const share = (await passShare(ctx, table, value)) ?? (await load(q, ctx)).get(value) ?? 0;
      return judge(share, range, `the share of ${what} with ${column} = ${value}`);
    },
  }));
}

/**
 * A check whose one number comes from one query returning a column `x`, unless `fromPass` finds it among the
 * shared passes' facts (the same expression over the same rows).
 */
function scalar(
  name: string,
  range: Range,
  what: string,
  sql: (plan: Plan) => [string, unknown[]],
  extra?: (row: Record<string, unknown>) => string,
  fromPass?: (ctx: CheckContext) => Promise<number | { x: number; extra: string } | undefined>,
): Check {
  return {
    name,
    category: 'distribution',
    async run(q, ctx) {
      const x = await fromPass?.(ctx);
      if (typeof x === 'number') return judge(x, range, what);
      if (x !== undefined) return judge(x.x, range, what, x.extra);
      const [text, params] = sql(ctx.plan);
      const row = (await q.query(text, params)).rows[0] ?? {};
      return judge(num(row.x), range, what, extra?.(row) ?? '');
    },
  };
}

function monthShare(name: string, month: number, range: Range): Check {
  return {
    name,
    category: 'distribution',
    async run(q, ctx) {
      const months = ctx.plan.window.months;
      const days = months.filter((m) => m.calendarMonth === month).reduce((a, m) => a + m.days, 0);
      const windowDays = months.reduce((a, m) => a + m.days, 0);
      if (days === 0) {
        return {
          status: 'skip',
          expected: formatRange(range),
          actual: `n/a (month ${month} is not in the window ${ctx.plan.window.start}..${ctx.plan.window.end})`,
        };
      }
      const f = await stimuliCounts(ctx);
      const counted = f?.[`month:${month}`];
      const { inside, total } =
        f && counted !== undefined
          ? { inside: counted, total: f.rows ?? NaN }
          : await (async () => {
              const { rows } = await q.query(
                `SELECT count(*) FILTER (WHERE date_part('month', occurred_at) = $1) AS inside, count(*) AS total
                   FROM stimuli`,
                [month],
              );
              return { inside: num(rows[0]?.inside), total: num(rows[0]?.total) };
            })();
      const perDay = inside / days;
      const average = total / windowDays;
      return judge(
        average > 0 ? perDay / average : NaN,
        range,
        `stimuli per day in month ${month} against the window average`,
      );
    },
  };
}

/**
 * The ten decile shares from the hcps pass (the query's rows: decile, TRx share), or null when it has no facts.
 * The total is every joined profile's TRx, deciles outside 1..10 included, as the query's sum over its groups.
 */
async function decileSharesFromPass(
  ctx: CheckContext,
): Promise<{ rows: { decile: unknown; share: unknown }[] } | null> {
  const f = await ctx.facts('hcps');
  const total = f?.decile_trx_total;
  if (!f || total === undefined) return null;
  const rows: { decile: number; share: number }[] = [];
  for (let d = 1; d <= 10; d++) {
    const trx = f[`decile_trx:${d}`];
    if (trx === undefined) return null;
    rows.push({ decile: d, share: total === 0 || !Number.isFinite(total) ? NaN : trx / total });
  }
  return { rows };
}

function decileVolumeShare(name: string, range: Range): Check {
  return {
    name,
    category: 'distribution',
    async run(q, ctx) {
      const { rows } =
        (await decileSharesFromPass(ctx)) ??
        (await q.query<{ decile: unknown; share: unknown }>(
          `WITH d AS (SELECT h.decile, sum(r.trx) AS trx FROM hcp_profiles h JOIN rx_history r ON r.hcp_id = h.id
                     GROUP BY h.decile)
         SELECT g.decile, coalesce(d.trx, 0)::float8 / nullif((SELECT sum(trx) FROM d), 0) AS share
           FROM generate_series(1, 10) AS g(decile) LEFT JOIN d ON d.decile = g.decile ORDER BY g.decile`,
        ));
      const shares = rows.map((r) => ({ decile: num(r.decile), share: num(r.share) }));
      const lo = Math.min(...shares.map((s) => s.share));
      const hi = Math.max(...shares.map((s) => s.share));
      const expected = `every decile ${formatRange(range)}`;
      if (!Number.isFinite(lo) || !Number.isFinite(hi)) {
        return {
          status: 'fail',
          expected,
          actual: 'no TRx',
          detail: 'rx_history holds no TRx to split into deciles.',
        };
      }
      const actual = `min ${fmt(lo)}, max ${fmt(hi)}`;
      const bad = shares.filter((s) => !inRange(s.share, range)).map((s) => s.decile);
      if (bad.length === 0) return { status: 'pass', expected, actual };
      return {
        status: 'fail',
        expected,
        actual,
        offending: bad.length,
        samples: bad,
        detail: "these deciles' share of TRx is outside the scenario's range (samples are deciles).",
      };
    },
  };
}

function nameOf(c: DeclaredCheck): string {
  switch (c.kind) {
    case 'share':
      return `dist.share.${c.column}`;
    case 'outcome_rate':
      return `dist.outcome_rate.${c.channel}${c.outcome_types ? `.${c.outcome_types.join('+')}` : ''}`;
    case 'top_prescriber_share':
      return `dist.top_prescriber_share.${fmt(c.top)}`;
    case 'month_share':
      return `dist.month_share.${c.month}`;
    default:
      return `dist.${c.kind}`;
  }
}

/**
 * The top prescribers' TRx share from the hcps pass. Its query ranks HCPs grouped by id, the pass ranks profile
 * rows: the same when ids are unique (the primary key just added, or no repeated or NULL id counted).
 */
async function passTopShare(ctx: CheckContext, index: number): Promise<number | undefined> {
  const f = await ctx.facts('hcps');
  const x = f?.[`top_share:${index}`];
  if (!f || x === undefined) return undefined;
  const unique =
    (await ctx.enforced('hcp_profiles', 'hcp_profiles_pkey')) ||
    (f.hcp_distinct_ids !== undefined && f.hcp_distinct_ids === f.hcp_rows);
  return unique ? x : undefined;
}

/** The outcome rate from the passes: responses over the channel's stimuli (one outcome per stimulus at most). */
async function passOutcomeRate(
  ctx: CheckContext,
  index: number,
  channel: string,
): Promise<number | undefined> {
  const s = await stimuliCounts(ctx);
  const o = await ctx.facts('outcomes');
  const responses = o?.[`responses:${index}`];
  const stimuli = s?.[`on_channel:${channel}`];
  if (responses === undefined || stimuli === undefined || !(await oneOutcomePerStimulus(ctx)))
    return undefined;
  return stimuli === 0 ? NaN : responses / stimuli;
}

function checksFor(c: DeclaredCheck, name: string, index: number): Check[] {
  switch (c.kind) {
    case 'share':
      return perValue(name, c.expected, 'hcp_profiles', c.column, 'HCPs');
    case 'channel_mix':
      return perValue(name, c.expected, 'stimuli', 'channel', 'stimuli');
    case 'outcome_rate':
      return [
        scalar(
          name,
          c.expected,
          `the response rate of ${c.channel}`,
          () => [
            `SELECT count(o.id) FILTER (WHERE $2::text[] IS NULL OR o.outcome_type = ANY($2::text[]))::float8
                  / nullif(count(*), 0) AS x
             FROM stimuli s LEFT JOIN outcomes o ON o.stimulus_id = s.id WHERE s.channel = $1`,
            [c.channel, c.outcome_types ?? null],
          ],
          undefined,
          (ctx) => passOutcomeRate(ctx, index, c.channel),
        ),
      ];
    case 'stimuli_per_hcp':
      return [
        scalar(
          name,
          c.expected,
          'stimuli per HCP per month',
          (plan) => [
            `SELECT (SELECT count(*) FROM stimuli)::float8 / nullif((SELECT count(*) FROM hcp_profiles), 0) / $1 AS x`,
            [plan.window.months.length],
          ],
          undefined,
          async (ctx) => {
            const n = await ctx.counts();
            return n.hcp_profiles === 0 ? NaN : n.stimuli / n.hcp_profiles / ctx.plan.window.months.length;
          },
        ),
      ];
    case 'weekend_share':
      return [
        scalar(
          name,
          c.expected,
          'the weekend share of stimuli',
          () => [
            `SELECT avg(CASE WHEN date_part('isodow', occurred_at) >= 6 THEN 1 ELSE 0 END)::float8 AS x FROM stimuli`,
            [],
          ],
          undefined,
          async (ctx) => (await stimuliCounts(ctx))?.weekend_share,
        ),
      ];
    case 'top_prescriber_share':
      return [
        scalar(
          name,
          c.expected,
          `the TRx share of the top ${fmt(c.top * 100)}% of prescribers`,
          () => [
            `WITH t AS (SELECT h.id, coalesce(sum(r.trx), 0) AS trx FROM hcp_profiles h
                        LEFT JOIN rx_history r ON r.hcp_id = h.id GROUP BY h.id),
                ranked AS (SELECT trx, row_number() OVER (ORDER BY trx DESC, id) AS rn, count(*) OVER () AS n FROM t)
           SELECT (sum(trx) FILTER (WHERE rn <= ceil($1::float8 * n)))::float8 / nullif(sum(trx), 0) AS x
             FROM ranked`,
            [c.top],
          ],
          undefined,
          (ctx) => passTopShare(ctx, index),
        ),
      ];
    case 'decile_volume_share':
      return [decileVolumeShare(name, c.expected)];
    case 'engagement_rx_lift':
      return [
        scalar(
          name,
          c.expected,
          'the NRx lift of engaged HCPs',
          (plan) => [
            // Engaged = the two highest engagement segments. Compared within deciles, so prescribing volume
            // does not pass for engagement; the per-decile ratios are averaged weighted by HCP counts. The
            // per-HCP mean is grouped by the integer hcp_id alone (a parallel aggregate), then joined: grouping
            // the joined rows by (id, decile, segment) took 2.4x as long.
            `WITH r AS (SELECT hcp_id, avg(nrx)::float8 AS nrx FROM rx_history WHERE product = $2 GROUP BY hcp_id),
             hcp AS (
               SELECT h.decile, e.engagement_segment = ANY($1::text[]) AS engaged, r.nrx
                 FROM hcp_profiles h
                 JOIN engagement_scores e ON e.hcp_id = h.id
                 JOIN r ON r.hcp_id = h.id),
             d AS (SELECT count(*) AS n, avg(nrx) FILTER (WHERE engaged) AS engaged,
                          avg(nrx) FILTER (WHERE NOT engaged) AS other
                     FROM hcp GROUP BY decile)
             SELECT sum(n * engaged / other) / sum(n) AS x, count(*) AS deciles
               FROM d WHERE engaged IS NOT NULL AND other > 0`,
            [
              plan.engagement.segments.slice(0, 2).map((s) => s.name),
              plan.products[plan.prescribing.leadProduct]?.id ?? null,
            ],
          ],
          (row) => ` (over ${num(row.deciles)} deciles)`,
          async (ctx) => {
            const f = await ctx.facts('hcps');
            const x = f?.[`rx_lift:${index}`];
            const deciles = f?.[`rx_lift_deciles:${index}`];
            if (x === undefined || deciles === undefined) return undefined;
            return { x, extra: ` (over ${deciles} deciles)` };
          },
        ),
      ];
    case 'month_share':
      return [monthShare(name, c.month, c.expected)];
    case 'outcome_lag_hours':
      return [
        scalar(
          name,
          c.expected,
          'the median hours from stimulus to outcome',
          () => [
            `SELECT percentile_cont(0.5) WITHIN GROUP
                    (ORDER BY date_part('epoch', o.occurred_at - s.occurred_at) / 3600) AS x
             FROM outcomes o JOIN stimuli s ON s.id = o.stimulus_id`,
            [],
          ],
          undefined,
          async (ctx) => (await ctx.facts('outcomes'))?.lag_median,
        ),
      ];
  }
}

/** The Checks for the plan's declared distribution checks; names are unique (a repeated kind gets #2, #3...). */
export function distributionChecks(plan: Plan): Check[] {
  const seen = new Map<string, number>();
  return plan.validation.checks.flatMap((c, index) => {
    const base = c.name ?? nameOf(c);
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    const minHcps = c.min_hcps ?? plan.validation.distributionsMinHcps ?? 0;
    return checksFor(c, n === 1 ? base : `${base}#${n}`, index).map((check) => needsHcps(check, minHcps));
  });
}

/**
 * A declared range holds for a sample of some size; a smaller run reports SKIP rather than failing on noise.
 * Only the count of generated HCPs decides, so the same run always gives the same verdict.
 */
function needsHcps(check: Check, minHcps: number): Check {
  if (minHcps <= 0) return check;
  return {
    ...check,
    async run(q, ctx) {
      const hcps = ctx.plan.params.hcps;
      if (hcps >= minHcps) return check.run(q, ctx);
      return {
        status: 'skip',
        expected: `a run of at least ${minHcps} HCPs`,
        actual: `n/a (${hcps} HCPs: too few for this range; the scenario sets min_hcps)`,
      };
    },
  };
}
