// Shared passes: one aggregate query per big table (or join) that computes the numbers many checks need at
// once, instead of one scan per check. A pass yields named counts ("facts"); a check reads them as a proof that
// it has no offender. Only when that proof does not hold does the check run its own exact query, which finds
// the offending count and the sample ids (so a failure reports exactly what it always did). A fact may be
// conservative (non-zero when the exact query finds nothing) but never optimistic.
import { STIMULUS_ID_BASE } from '../steps/stimuli.js';
import type { CheckContext, Facts, PassName, Queryable } from './types.js';
import { dialectOf, type Dialect } from './dialect.js';
import { ident, num, windowBounds } from './sql.js';
import { campaignTargets, hcpValuesBroken, npiBroken, Params } from './row-rules.js';

const B = STIMULUS_ID_BASE;

/**
 * stimuli joined to their campaign and HCP, one parallel scan: row rules on stimuli and the campaign rules.
 * A LEFT JOIN repeats a stimulus for a repeated parent id, as the checks' own inner joins do, so every count
 * here is zero exactly when the check's own query finds nothing.
 */
function stimuliPass(ctx: CheckContext, dialect: Dialect): [string, unknown[]] {
  const p = new Params();
  const [start, end] = windowBounds(ctx);
  const s = p.add(start);
  const e = p.add(end);
  const channels = p.add(ctx.plan.channels.map((c) => c.id));
  const facts = new Map([...stimuliDistribution(ctx, p), ...stimuliPromotion(ctx, p)]);
  const extra = [...facts].map(([alias, sql]) => `${sql} AS ${ident(alias)},`);
  return [
    `SELECT ${extra.join('\n       ')}
       count(*) FILTER (WHERE NOT coalesce(s.occurred_at >= ${s}::date AND s.occurred_at < ${e}::date, false))
         AS outside_window,
       count(*) FILTER (WHERE NOT coalesce(s.channel = ANY(${channels}::text[]), false)) AS undeclared_channel,
       count(*) FILTER (WHERE s.id / ${B} IS DISTINCT FROM s.hcp_id OR s.id % ${B} = 0) AS id_rule_broken,
       count(*) FILTER (WHERE h.id IS NULL) AS orphan_hcp,
       count(*) FILTER (WHERE s.campaign_id IS NOT NULL AND c.id IS NULL) AS orphan_campaign,
       count(*) FILTER (WHERE c.id IS NOT NULL
                          AND NOT coalesce(s.occurred_at >= c.start_date AND s.occurred_at < c.end_date + 1, false))
         AS outside_campaign,
       count(*) FILTER (WHERE c.id IS NOT NULL AND h.id IS NOT NULL
                          AND NOT coalesce(${campaignTargets(dialect)}, false))
         AS untargeted
     FROM stimuli s
     LEFT JOIN campaigns c ON c.id = s.campaign_id
     LEFT JOIN hcp_profiles h ON h.id = s.hcp_id`,
    p.values,
  ];
}

/** Whether the plan has the promotion fields (runs recorded before them do not: their checks are skipped). */
export function promotionPlan(plan: CheckContext['plan']): boolean {
  return (
    plan.targeting !== undefined && plan.holidays !== undefined && plan.channels.every((c) => 'inPerson' in c)
  );
}

/**
 * The promotion row rules on stimuli (src/validation/checks-promotion.ts), as counts of the same scan: each is
 * the rule's own predicate, so it is zero exactly when the rule's query finds nothing (the joins here repeat a
 * stimulus only where the rule's inner join to hcp_profiles would too, and the channel-hours table has one row
 * per declared channel). The non-target specialty share's two counts are exact only without repeats.
 */
function stimuliPromotion(ctx: CheckContext, p: Params): [string, string][] {
  const { plan } = ctx;
  if (!promotionPlan(plan)) return [];
  const rep = p.add(plan.channels.filter((c) => c.repDelivered).map((c) => c.id));
  const hour = "date_part('hour', s.occurred_at)";
  // The channel's hours by CASE rather than by joining a channel table: half the cost in one scan of stimuli.
  const ids = plan.channels.map((c) => p.add(c.id));
  const hoursBy = (bound: (c: (typeof plan.channels)[number]) => number): string =>
    `CASE s.channel ${plan.channels.map((c, i) => `WHEN ${ids[i]}::text THEN ${p.add(bound(c))}::integer`).join(' ')} END`;
  const out: [string, string][] = [
    [
      'off_hours',
      `count(*) FILTER (WHERE s.channel = ANY(${p.add(plan.channels.map((c) => c.id))}::text[])
                          AND NOT coalesce(${hour} >= ${hoursBy((c) => c.hours.start)}
                                           AND ${hour} < ${hoursBy((c) => c.hours.end)}, false))`,
    ],
  ];
  if (plan.holidays.length > 0) {
    out.push([
      'rep_on_holiday',
      `count(*) FILTER (WHERE s.channel = ANY(${rep}::text[])
                          AND CAST(CAST(s.occurred_at AS date) AS text) = ANY(${p.add(plan.holidays)}::text[]))`,
    ]);
  }
  const tg = plan.targeting;
  if (tg.declared && !tg.repCallsToNonTargets) {
    out.push([
      'rep_to_non_target',
      `count(*) FILTER (WHERE s.channel = ANY(${rep}::text[]) AND h.is_target = 0)`,
    ]);
  }
  if (tg.declared && tg.specialties !== null) {
    const specialties = p.add(tg.specialties);
    out.push(
      ['rep_details', `count(*) FILTER (WHERE h.id IS NOT NULL AND s.channel = ANY(${rep}::text[]))`],
      [
        'rep_details_outside',
        `count(*) FILTER (WHERE h.id IS NOT NULL AND s.channel = ANY(${rep}::text[])
                            AND NOT coalesce(h.taxonomy_code = ANY(${specialties}::text[]), false))`,
      ],
      ...REPEAT_FACTS,
    );
  }
  return out;
}

/**
 * The per-day rules on in-person calls in one scan: HCP-days with two in-person calls (unless the scenario
 * allows it) and rep-days over the daily capacity, as two grouping sets of the in-person stimuli. Each count is
 * the number of groups the rule's own GROUP BY ... HAVING query returns.
 */
function callsPass(ctx: CheckContext): [string, unknown[]] {
  const { plan } = ctx;
  const p = new Params();
  const inPerson = p.add(plan.channels.filter((c) => c.inPerson && c.repDelivered).map((c) => c.id));
  const capacity = p.add(plan.territories.dailyCapacity);
  return [
    `SELECT count(*) FILTER (WHERE by_hcp = 0 AND n > 1) AS same_day_in_person,
            count(*) FILTER (WHERE by_rep = 0 AND rep_id IS NOT NULL AND n > ${capacity}::integer) AS over_capacity
       FROM (SELECT GROUPING(hcp_id) AS by_hcp, GROUPING(rep_id) AS by_rep, rep_id, count(*) AS n
               FROM stimuli WHERE channel = ANY(${inPerson}::text[])
              GROUP BY GROUPING SETS ((hcp_id, CAST(occurred_at AS date)), (rep_id, CAST(occurred_at AS date)))) g`,
    p.values,
  ];
}

/** Whether the stimuli pass's joins can repeat a stimulus (a repeated campaign or HCP id): its counts are exact at 0. */
const REPEAT_FACTS: [string, string][] = [
  ['campaign_repeats', '(SELECT count(id) - count(DISTINCT id) FROM campaigns)'],
  ['hcp_repeats', '(SELECT count(id) - count(DISTINCT id) FROM hcp_profiles)'],
];

/**
 * What the declared distribution checks need from one scan of stimuli: row and per-value counts, exact when
 * no stimulus is repeated by the joins (campaign and HCP ids unique: facts campaign_repeats, hcp_repeats).
 */
function stimuliDistribution(ctx: CheckContext, p: Params): [string, string][] {
  const declared = ctx.plan.validation.checks;
  if (declared.length === 0) return [];
  const out: [string, string][] = [['rows', 'count(*)'], ...REPEAT_FACTS];
  const seen = new Set<string>();
  const add = (alias: string, sql: () => string) => {
    if (seen.has(alias)) return;
    seen.add(alias);
    out.push([alias, sql()]);
  };
  for (const c of declared) {
    if (c.kind === 'channel_mix') {
      for (const v of Object.keys(c.expected)) {
        add(`channel:${v}`, () => `count(*) FILTER (WHERE s.channel::text = ${p.add(v)}::text)`);
      }
    } else if (c.kind === 'outcome_rate') {
      add(`on_channel:${c.channel}`, () => `count(*) FILTER (WHERE s.channel = ${p.add(c.channel)}::text)`);
    } else if (c.kind === 'weekend_share') {
      add(
        'weekend_share',
        () => "avg(CASE WHEN date_part('isodow', s.occurred_at) >= 6 THEN 1 ELSE 0 END)::float8",
      );
    } else if (c.kind === 'month_share') {
      add(
        `month:${c.month}`,
        () => `count(*) FILTER (WHERE date_part('month', s.occurred_at) = ${p.add(c.month)})`,
      );
    }
  }
  return out;
}

/** The outcome_rate numerators and the outcome lag median, over the same join. */
function outcomesDistribution(ctx: CheckContext, p: Params): [string, string][] {
  const out: [string, string][] = [];
  ctx.plan.validation.checks.forEach((c, i) => {
    if (c.kind === 'outcome_rate') {
      const types = p.add(c.outcome_types ?? null);
      out.push([
        `responses:${i}`,
        `count(o.id) FILTER (WHERE s.channel = ${p.add(c.channel)}::text
                               AND (${types}::text[] IS NULL OR o.outcome_type = ANY(${types}::text[])))`,
      ]);
    } else if (c.kind === 'outcome_lag_hours' && !out.some(([a]) => a === 'lag_median')) {
      out.push([
        'lag_median',
        `percentile_cont(0.5) WITHIN GROUP
           (ORDER BY date_part('epoch', o.occurred_at - s.occurred_at) / 3600)`,
      ]);
    }
  });
  return out;
}

/** Outcomes joined to the stimulus they answer: the same inner join the checks use, so counts are exact. */
function outcomesPass(ctx: CheckContext): [string, unknown[]] {
  const p = new Params();
  const extra = outcomesDistribution(ctx, p).map(([alias, sql]) => `${sql} AS ${ident(alias)},`);
  return [
    `SELECT ${extra.join('\n            ')}
            count(*) AS joined,
            count(*) FILTER (WHERE o.hcp_id IS DISTINCT FROM s.hcp_id OR o.channel IS DISTINCT FROM s.channel)
              AS mismatched,
            count(*) FILTER (WHERE NOT coalesce(o.occurred_at >= s.occurred_at, false)) AS before_stimulus
       FROM outcomes o JOIN stimuli s ON s.id = o.stimulus_id`,
    p.values,
  ];
}

/**
 * Per HCP: territory assignments, Rx rows and the score row, joined to hcp_profiles (completeness), plus the
 * row rules of hcp_profiles and rx_history. The per-HCP groups are unique per hcp_id, so the join repeats no
 * profile and the row counts are the tables' own.
 */
function hcpsPass(ctx: CheckContext): [string, unknown[]] {
  const { plan } = ctx;
  const p = new Params();
  const primary = p.add(plan.territories.primaryRole);
  const months = p.add(plan.window.months.map((m) => m.start));
  const products = p.add(plan.products.map((x) => x.id));
  const grid = p.add(plan.window.months.length * plan.products.length);
  const distinct = ctx.constraintsJustAdded ? '' : ', count(DISTINCT h.id) AS hcp_distinct_ids';
  const rx = rxDistribution(ctx, p);
  const orphan = (table: string, column: string) =>
    `NOT EXISTS (SELECT 1 FROM hcp_profiles p WHERE p.id = ${table}.${column})`;
  return [
    `WITH t AS (SELECT hcp_id, count(*) AS n, count(*) FILTER (WHERE role = ${primary}) AS primaries
                  FROM territory_assignments GROUP BY hcp_id),
          r AS (SELECT hcp_id, count(*) AS total,
                       count(*) FILTER (WHERE month = ANY(${months}::date[]) AND product = ANY(${products}::text[]))
                         AS grid,
                       count(*) FILTER (WHERE NOT coalesce(trx >= nrx AND nrx >= 0, false)) AS trx_below_nrx,
                       count(*) FILTER (WHERE NOT coalesce(month = ANY(${months}::date[]), false)) AS outside_window
                       ${rx.columns.map((c) => `,${c}`).join('')}
                  FROM rx_history GROUP BY hcp_id),
          e AS (SELECT DISTINCT hcp_id FROM engagement_scores)${rx.ctes
            .map(
              (c) => `,
          ${c}`,
            )
            .join('')}
     SELECT count(*) AS hcp_rows, count(h.id) AS hcp_ids${distinct},
            count(*) FILTER (WHERE ${npiBroken('h.npi')}) AS invalid_npi,
            count(*) FILTER (WHERE ${hcpValuesBroken(plan, p.add)}) AS values_outside_scenario,
            count(*) FILTER (WHERE coalesce(t.primaries, 0) <> 1) AS without_primary,
            count(*) FILTER (WHERE coalesce(r.grid, 0) <> ${grid} OR coalesce(r.total, 0) <> ${grid})
              AS incomplete_rx,
            count(*) FILTER (WHERE e.hcp_id IS NULL) AS without_score,
            (SELECT coalesce(sum(n), 0) FROM t) AS assignment_rows,
            (SELECT coalesce(sum(n), 0) FROM t WHERE ${orphan('t', 'hcp_id')}) AS orphan_assignments,
            (SELECT coalesce(sum(total), 0) FROM r) AS rx_rows,
            (SELECT coalesce(sum(total), 0) FROM r WHERE ${orphan('r', 'hcp_id')}) AS orphan_rx,
            (SELECT coalesce(sum(trx_below_nrx), 0) FROM r) AS trx_below_nrx,
            (SELECT coalesce(sum(outside_window), 0) FROM r) AS rx_outside_window,
            (SELECT count(*) FROM engagement_scores x WHERE ${orphan('x', 'hcp_id')}) AS orphan_scores
            ${rx.facts.map(([alias, sql]) => `, ${sql} AS ${ident(alias)}`).join('\n            ')}
       FROM hcp_profiles h
       LEFT JOIN t ON t.hcp_id = h.id
       LEFT JOIN r ON r.hcp_id = h.id
       LEFT JOIN e ON e.hcp_id = h.id`,
    p.values,
  ];
}

/**
 * What the declared Rx distribution checks need, from the per-HCP Rx groups the hcps pass builds anyway (one
 * grouping of rx_history instead of one per check). Each fact is the check's own expression over the same rows:
 * joining a profile to its hcp_id group gives the same sums as joining it to each of that HCP's Rx rows.
 *   decile_trx:<d>, decile_trx_total: TRx of decile d's HCPs, and of all (decile_volume_share);
 *   top_share:<i>: the TRx share of the top prescribers (exact only when HCP ids are unique: the check's own
 *     query groups by id, so the caller proves uniqueness before reading it);
 *   rx_lift:<i>, rx_lift_deciles:<i>: the NRx lift of engaged HCPs and how many deciles it averages.
 */
function rxDistribution(
  ctx: CheckContext,
  p: Params,
): { columns: string[]; ctes: string[]; facts: [string, string][] } {
  const columns: string[] = [];
  const ctes: string[] = [];
  const facts: [string, string][] = [];
  const declared = ctx.plan.validation.checks;
  if (declared.some((c) => c.kind === 'decile_volume_share' || c.kind === 'top_prescriber_share')) {
    columns.push('sum(trx) AS trx_sum');
  }
  if (declared.some((c) => c.kind === 'decile_volume_share')) {
    for (let d = 1; d <= 10; d++) {
      facts.push([`decile_trx:${d}`, `coalesce(sum(r.trx_sum) FILTER (WHERE h.decile = ${d}), 0)`]);
    }
    facts.push(['decile_trx_total', 'sum(r.trx_sum)']);
  }
  let lift = false;
  declared.forEach((c, i) => {
    if (c.kind === 'top_prescriber_share') {
      facts.push([
        `top_share:${i}`,
        `(SELECT (sum(trx) FILTER (WHERE rn <= ceil(${p.add(c.top)}::float8 * n)))::float8 / nullif(sum(trx), 0)
            FROM (SELECT trx, row_number() OVER (ORDER BY trx DESC, id) AS rn, count(*) OVER () AS n
                    FROM (SELECT h2.id, coalesce(r2.trx_sum, 0) AS trx
                            FROM hcp_profiles h2 LEFT JOIN r r2 ON r2.hcp_id = h2.id) x) y)`,
      ]);
    } else if (c.kind === 'engagement_rx_lift') {
      if (!lift) {
        const product = p.add(ctx.plan.products[ctx.plan.prescribing.leadProduct]?.id ?? null);
        columns.push(
          `count(*) FILTER (WHERE product = ${product}) AS lift_rows`,
          `(avg(nrx) FILTER (WHERE product = ${product}))::float8 AS lift_nrx`,
        );
        lift = true;
      }
      const engaged = p.add(ctx.plan.engagement.segments.slice(0, 2).map((x) => x.name));
      // One CTE per lift check (read twice below, so computed once).
      ctes.push(`lift_${i} AS (
          SELECT sum(n * engaged / other) / sum(n) AS x, count(*) AS deciles
            FROM (SELECT count(*) AS n, avg(nrx) FILTER (WHERE engaged) AS engaged,
                         avg(nrx) FILTER (WHERE NOT engaged) AS other
                    FROM (SELECT h3.decile, e3.engagement_segment = ANY(${engaged}::text[]) AS engaged,
                                 r3.lift_nrx AS nrx
                            FROM hcp_profiles h3
                            JOIN engagement_scores e3 ON e3.hcp_id = h3.id
                            JOIN r r3 ON r3.hcp_id = h3.id AND r3.lift_rows > 0) hcp
                   GROUP BY decile) d
           WHERE engaged IS NOT NULL AND other > 0)`);
      facts.push([`rx_lift:${i}`, `(SELECT x FROM lift_${i})`]);
      facts.push([`rx_lift_deciles:${i}`, `(SELECT deciles FROM lift_${i})`]);
    }
  });
  return { columns, ctes, facts };
}

/**
 * engagement_scores against what it summarises: stimuli and outcomes grouped per HCP (one pass over each),
 * plus the row rules of engagement_scores and outcomes. The stimuli groups also prove the time order of each
 * HCP's stimulus ids: ordering its ids by (occurred_at, id) gives id order exactly when no stimulus is earlier
 * than the one before it. Outside the generation transaction the groups also count repeated and NULL ids.
 */
function engagementPass(ctx: CheckContext, dialect: Dialect): [string, unknown[]] {
  const { plan } = ctx;
  const p = new Params();
  const [start, end] = windowBounds(ctx);
  const s = p.add(start);
  const e = p.add(end);
  const asOf = p.add(plan.params.asOf);
  const pairs = plan.channels.flatMap((c) => c.outcomes.map((o) => [c.id, o.type] as const));
  const pairChannels = p.add(pairs.map((x) => x[0]));
  const pairTypes = p.add(pairs.map((x) => x[1]));
  const segments = plan.engagement.segments;
  const whens = segments
    .slice(0, -1)
    .map((x) => `WHEN e.score >= ${p.add(x.minScore)}::real THEN ${p.add(x.name)}::text`);
  const lastSegment = p.add(segments[segments.length - 1]?.name ?? null);
  const byQuery = !ctx.constraintsJustAdded;
  return [
    `WITH s AS (SELECT hcp_id, count(*) AS n, count(id) AS ids, max(occurred_at) AS last,
                       count(*) FILTER (WHERE occurred_at >= ${e}::timestamp - interval '90 days') AS recent,
                       ${byQuery ? 'count(DISTINCT id) AS distinct_ids,' : ''}
                       ${orderedExpression(dialect)} AS ordered
                  FROM ${dialect === 'duckdb' ? STIMULI_WITH_PREVIOUS : 'stimuli'} GROUP BY hcp_id),
          o AS (SELECT o.hcp_id, count(*) AS n, count(o.id) AS ids,
                       ${byQuery ? 'count(DISTINCT o.id) AS distinct_ids,' : ''}
                       count(*) FILTER (WHERE NOT coalesce(o.occurred_at >= ${s}::date
                                                           AND o.occurred_at < ${e}::date, false)) AS outside_window,
                       count(*) FILTER (WHERE o.id IS DISTINCT FROM o.stimulus_id) AS id_rule_broken,
                       count(*) FILTER (WHERE d.channel IS NULL) AS undeclared_type
                  FROM outcomes o
                  LEFT JOIN (SELECT DISTINCT channel, type
                               FROM (SELECT unnest(${pairChannels}::text[]) AS channel, unnest(${pairTypes}::text[]) AS type) x) d
                    ON d.channel = o.channel AND d.type = o.outcome_type
                 GROUP BY o.hcp_id)
     SELECT (SELECT count(*) FROM s WHERE ordered IS NOT TRUE) AS unordered_hcps,
            (SELECT coalesce(sum(n), 0) FROM s) AS stimulus_rows,
            (SELECT coalesce(sum(n - ids), 0) FROM s) AS null_stimulus_ids,
            ${byQuery ? '(SELECT coalesce(sum(ids - distinct_ids), 0) FROM s) AS repeated_stimulus_ids,' : ''}
            (SELECT coalesce(sum(n), 0) FROM o) AS outcome_rows,
            (SELECT coalesce(sum(n - ids), 0) FROM o) AS null_outcome_ids,
            ${byQuery ? '(SELECT coalesce(sum(ids - distinct_ids), 0) FROM o) AS repeated_outcome_ids,' : ''}
            (SELECT coalesce(sum(outside_window), 0) FROM o) AS outcomes_outside_window,
            (SELECT coalesce(sum(id_rule_broken), 0) FROM o) AS outcome_id_rule_broken,
            (SELECT coalesce(sum(undeclared_type), 0) FROM o) AS undeclared_outcome_type,
            count(*) AS score_rows,
            count(*) - count(e.hcp_id) AS null_score_ids,
            ${byQuery ? 'count(e.hcp_id) - count(DISTINCT e.hcp_id) AS repeated_score_ids,' : ''}
            count(*) FILTER (WHERE e.as_of IS DISTINCT FROM ${asOf}::date) AS wrong_as_of,
            count(*) FILTER (WHERE NOT coalesce(e.score BETWEEN 0 AND 100 AND e.response_rate BETWEEN 0 AND 1, false))
              AS score_out_of_range,
            count(*) FILTER (WHERE e.stimuli_count IS DISTINCT FROM coalesce(s.n, 0)) AS wrong_stimuli_count,
            count(*) FILTER (WHERE e.response_count IS DISTINCT FROM coalesce(o.n, 0)) AS wrong_response_count,
            count(*) FILTER (WHERE e.last_stimulus_at IS DISTINCT FROM s.last) AS wrong_last_stimulus_at,
            count(*) FILTER (
              WHERE NOT coalesce(abs(e.response_rate - CASE WHEN e.stimuli_count > 0
                                         THEN e.response_count::float8 / e.stimuli_count ELSE 0 END) < 0.0001, false)
                 OR e.recency_days IS DISTINCT FROM
                    floor(extract(epoch FROM (${e}::timestamp - e.last_stimulus_at)) / 86400)::int
                 OR e.frequency_90d IS DISTINCT FROM coalesce(s.recent, 0)) AS wrong_derived,
            count(*) FILTER (WHERE e.engagement_segment IS DISTINCT FROM
                                   (CASE ${whens.join(' ')} ELSE ${lastSegment}::text END)) AS wrong_segment
       FROM engagement_scores e
       LEFT JOIN s ON s.hcp_id = e.hcp_id
       LEFT JOIN o ON o.hcp_id = e.hcp_id`,
    p.values,
  ];
}

/**
 * Whether an HCP's stimulus ids follow time. PostgreSQL compares the ids in time order with the ids in id order
 * (two ordered aggregates per HCP: fastest there). DuckDB cannot spill ordered aggregates (40M stimuli needed over
 * 10 GB), so it checks each stimulus against the one before it in id order (a window, which sorts on disk):
 * ordered when every stimulus is the HCP's first or not earlier than the previous one. Where the two could
 * differ (NULL times, only in damaged data) the window form says "unordered": a fact may be conservative.
 */
function orderedExpression(dialect: Dialect): string {
  if (dialect === 'postgres') return 'array_agg(id ORDER BY occurred_at, id) = array_agg(id ORDER BY id)';
  return 'bool_and(previous_id IS NULL OR coalesce(occurred_at >= previous_at, false))';
}

const STIMULI_WITH_PREVIOUS = `(SELECT *, lag(id) OVER w AS previous_id, lag(occurred_at) OVER w AS previous_at
                                  FROM stimuli WINDOW w AS (PARTITION BY hcp_id ORDER BY id)) stimuli`;

const PASSES: Record<PassName, (ctx: CheckContext, dialect: Dialect) => [string, unknown[]]> = {
  stimuli: stimuliPass,
  calls: callsPass,
  outcomes: outcomesPass,
  hcps: hcpsPass,
  engagement: engagementPass,
};

/**
 * Planner settings for a pass on just-loaded tables (inside generate, right after the keys were built). The
 * outcomes join hashes stimuli there, the larger side (5x the rows at 40 stimuli per HCP): the tables have no
 * statistics yet, and ANALYZE does not change that plan. Without hash joins it becomes a merge join over the
 * fresh stimuli primary key (read in heap order: the rows were loaded in id order) and a sort of outcomes, half
 * the time at 50,000 and 300,000 HCPs (docs/performance.md). `hcpgen validate` assumes no index exists, so it
 * keeps the planner's choice.
 */
function plannerHints(name: PassName, ctx: CheckContext, dialect: Dialect): Record<string, string> {
  if (dialect !== 'postgres' || !ctx.constraintsJustAdded) return {};
  return name === 'outcomes' ? { enable_hashjoin: 'off' } : {};
}

/**
 * Runs one pass; every column comes back as a number. `hints`: apply plannerHints (generate on a PostgreSQL
 * server, where they were measured; the embedded database keeps the planner's choice).
 */
export async function loadPass(
  q: Queryable,
  name: PassName,
  ctx: CheckContext,
  hints = false,
): Promise<Facts> {
  const dialect = dialectOf(q);
  const [text, params] = PASSES[name](ctx, dialect);
  const settings = Object.entries(hints ? plannerHints(name, ctx, dialect) : {});
  // set_config(..., true) lasts for the transaction: each setting is put back as it was right after the pass.
  const previous: [string, string][] = [];
  for (const [setting, value] of settings) {
    const { rows } = await q.query<{ old: string }>(
      'SELECT current_setting($1) AS old, set_config($1, $2, true) AS new',
      [setting, value],
    );
    previous.push([setting, String(rows[0]?.old)]);
  }
  try {
    const { rows } = await q.query(text, params);
    const row = rows[0] ?? {};
    return Object.fromEntries(Object.entries(row).map(([k, v]) => [k, num(v)]));
  } finally {
    // After a failed query the transaction refuses statements until the caller rolls back to its savepoint,
    // which puts the settings back by itself.
    for (const [setting, old] of previous)
      await q.query('SELECT set_config($1, $2, true)', [setting, old]).catch(() => undefined);
  }
}

/** A proof from one pass: every named fact is zero. False when the pass could not run or a fact is missing. */
export function zeroIn(pass: PassName, ...facts: string[]): (ctx: CheckContext) => Promise<boolean> {
  return async (ctx) => {
    const f = await ctx.facts(pass);
    return f !== null && facts.every((k) => f[k] === 0);
  };
}

/** Every proof holds (evaluated in order, stopping at the first that does not). */
export function allOf(
  ...proofs: ((ctx: CheckContext) => Promise<boolean>)[]
): (ctx: CheckContext) => Promise<boolean> {
  return async (ctx) => {
    for (const proof of proofs) if (!(await proof(ctx))) return false;
    return true;
  };
}

/**
 * stimuli.id is unique and never NULL: by its primary key when that was just added, else by the per-HCP
 * groups (ids whose id / 10000 is their hcp_id can only repeat inside one HCP's group).
 */
export async function stimulusIdsUnique(ctx: CheckContext): Promise<boolean> {
  if (await ctx.enforced('stimuli', 'stimuli_pkey')) return true;
  return allOf(
    zeroIn('stimuli', 'id_rule_broken'),
    zeroIn('engagement', 'null_stimulus_ids', 'repeated_stimulus_ids'),
  )(ctx);
}

/** Every outcome joins exactly one stimulus: stimulus ids are unique and the join keeps every outcome. */
export async function outcomesJoined(ctx: CheckContext): Promise<boolean> {
  if (!(await stimulusIdsUnique(ctx))) return false;
  const o = await ctx.facts('outcomes');
  const e = await ctx.facts('engagement');
  return o !== null && e !== null && o.joined === e.outcome_rows;
}

/**
 * outcomes.id is unique and never NULL (by query). Two outcomes with one id answer one stimulus (id =
 * stimulus_id), so, each having that stimulus's HCP, they meet in one per-HCP group.
 */
export const outcomeIdsUnique = allOf(
  zeroIn('engagement', 'null_outcome_ids', 'repeated_outcome_ids', 'outcome_id_rule_broken'),
  zeroIn('outcomes', 'mismatched'),
  outcomesJoined,
);

/** At most one outcome per stimulus: outcome ids are unique (by constraint or query) and equal stimulus_id. */
export async function oneOutcomePerStimulus(ctx: CheckContext): Promise<boolean> {
  const unique = (await ctx.enforced('outcomes', 'outcomes_pkey')) || (await outcomeIdsUnique(ctx));
  return unique && (await zeroIn('engagement', 'outcome_id_rule_broken', 'null_outcome_ids')(ctx));
}

/**
 * The stimuli pass's counts, when no join repeated a stimulus and the pass has the `needed` facts (else null:
 * query instead). By default the distribution counts (`rows` and the per-value counts beside it).
 */
export async function stimuliCounts(ctx: CheckContext, ...needed: string[]): Promise<Facts | null> {
  const f = await ctx.facts('stimuli');
  const has = (needed.length > 0 ? needed : ['rows']).every((k) => Number.isFinite(f?.[k]));
  return f && f.campaign_repeats === 0 && f.hcp_repeats === 0 && has ? f : null;
}
