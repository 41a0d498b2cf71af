// The derived statistics, by family: for each, how the reference samples give the model's value (moments per
// key, src/validation/model/moments.ts), which scenario field sets it, and which query measures it on the data.
// A family's keys are its values (channel ids, months, tiers...). The data side is one grouped query per table
// (shared by the families that read it), over the generated HCPs only (fixture rows are hand-written, not
// drawn) and over at most the first DATA_HCPS of them: beyond that the reference sample's own noise dominates
// the tolerance, so more rows would cost scans without sharpening any check.
import type { CategoricalPlan, Plan } from '../../plan/types.js';
import type { HcpAttributes } from '../../steps/hcp-attributes.js';
import { attributeValue, isTarget } from '../../steps/targeting.js';
import { columnIndex } from '../../tables/model.js';
import {
  ENGAGEMENT_SCORES,
  HCP_ATTRIBUTE_COLUMNS,
  OUTCOMES,
  RX_HISTORY,
  STIMULI,
} from '../../tables/tables.js';
import { MS_PER_DAY } from '../../time/calendar.js';
import { STIMULUS_ID_BASE } from '../../steps/stimuli.js';
import type { CheckContext, Queryable, StatedModel } from '../types.js';
import { num } from '../sql.js';
import { oncePer } from '../../lib/once-per.js';
import { Moments, type MomentSums } from './moments.js';
import type { Reference } from './reference.js';

/** The data's sums for one key: the statistic is x / t. */
export interface Sums {
  x: number;
  t: number;
}

export interface FamilyReference {
  moments: Map<string, MomentSums>;
  exact?: Map<string, number>;
  params?: unknown;
}

export interface Family {
  /** Check name, e.g. model.stimuli.channel; a key's name is `${name}.${key}`. */
  name: string;
  /** 'share': x <= t (a share of HCPs, stimuli, TRx); 'rate': x per t unit (stimuli per HCP-month). */
  kind: 'share' | 'rate';
  /** What one key's ratio is, for messages: `the share of stimuli on channel ${key}`. */
  what(key: string): string;
  /** The expected value as `plan` prints it, where a share would say little (a lag: its median in hours). */
  show?(key: string, mean: number, params: unknown): { text: string; value: number };
  /** The scenario field that sets a key's value, as a path into the scenario. */
  parameter(plan: Plan, key: string): string;
  /**
   * The reference moments per key, the exact model value where the plan has one, and what the data side needs
   * of the reference (`params`, plain data: the reference may be drawn in a worker thread).
   */
  reference(plan: Plan, ref: Reference): FamilyReference;
  /**
   * The data's sums per key, over generated HCPs 1..hcps (at most DATA_HCPS); `keys` are the reference's (a key
   * the data lacks is a zero share where its denominator is known).
   */
  measure(
    q: Queryable,
    ctx: CheckContext,
    hcps: number,
    params: unknown,
    keys: readonly string[],
  ): Promise<Map<string, Sums>>;
}

export { DATA_HCPS } from './data-hcps.js';

/** The first id past HCP `hcps`'s stimuli and outcomes. */
const idLimit = (hcps: number): number => (hcps + 1) * STIMULUS_ID_BASE;

// ---------------------------------------------------------------------------------------------------------------
// Shared data queries: one per table and validation.

/**
 * A query shared by families, run once per validation; where the generator stated its answer (ctx.model, for
 * the same HCPs), read from there instead (`stated`: the same rows in the query's shape).
 */
function shared<T>(
  load: (q: Queryable, ctx: CheckContext, hcps: number) => Promise<T>,
  stated: (m: StatedModel) => T,
) {
  return oncePer(
    (_q: Queryable, ctx: CheckContext, _hcps: number) => ctx,
    (q: Queryable, ctx: CheckContext, hcps: number) => {
      const m = statedFor(ctx, hcps);
      return m ? Promise.resolve(stated(m)) : load(q, ctx, hcps);
    },
  );
}

/** The generator's stated data, when it was counted for these HCPs. */
const statedFor = (ctx: CheckContext, hcps: number): StatedModel | null =>
  ctx.model && ctx.model.limit === hcps ? ctx.model : null;

/** A stated key's parts (joined with \u0000). */
const parts = (key: string): string[] => key.split('\u0000');

type Row = Record<string, unknown>;
const text = (v: unknown): string => (v === null || v === undefined ? '' : String(v));

/** hcp_profiles: the count per value of each attribute column and per (by, value) pair of each conditional one. */
const HCP_COLUMNS = HCP_ATTRIBUTE_COLUMNS;
type HcpAttr = keyof typeof HCP_COLUMNS;

const hcpCounts = shared(
  async (q, ctx, hcps) => {
    const { plan } = ctx;
    const selects = Object.entries(HCP_COLUMNS).map(
      ([f, col]) => `SELECT '${f}' AS f, ${col}::text AS k, count(*)::float8 AS n FROM hcp_profiles
                    WHERE id <= $1 GROUP BY ${col}`,
    );
    for (const [attr, c] of conditionals(plan)) {
      const by = HCP_COLUMNS[c.by as HcpAttr];
      const col = HCP_COLUMNS[attr];
      selects.push(`SELECT 'cell:${attr}' AS f, ${by}::text || '|' || ${col}::text AS k, count(*)::float8 AS n
                  FROM hcp_profiles WHERE id <= $1 GROUP BY ${by}, ${col}`);
    }
    selects.push(`SELECT '_all' AS f, '' AS k, count(*)::float8 AS n FROM hcp_profiles WHERE id <= $1`);
    const { rows } = await q.query<Row>(selects.join(' UNION ALL '), [hcps]);
    const out = new Map<string, Map<string, number>>();
    for (const r of rows) {
      const f = text(r.f);
      let m = out.get(f);
      if (!m) out.set(f, (m = new Map()));
      m.set(text(r.k), (m.get(text(r.k)) ?? 0) + num(r.n));
    }
    return out;
  },
  (m) => m.hcps as Map<string, Map<string, number>>,
);

/** stimuli: counts per (channel, month, weekend). */
const stimuliCounts = shared(
  async (q, _ctx, hcps) => {
    const { rows } = await q.query<Row>(
      `SELECT channel::text AS c, date_trunc('month', occurred_at)::date::text AS m,
            CASE WHEN date_part('isodow', occurred_at) >= 6 THEN 1 ELSE 0 END AS w, count(*)::float8 AS n
       FROM stimuli WHERE id < $2 AND hcp_id <= $1 GROUP BY 1, 2, 3`,
      [hcps, idLimit(hcps)],
    );
    return rows.map((r) => ({ c: text(r.c), m: text(r.m).slice(0, 7), w: num(r.w) === 1, n: num(r.n) }));
  },
  (m) =>
    [...m.stimuli].map(([key, n]) => {
      const [c, month, w] = parts(key);
      return { c: c!, m: month!, w: w === '1', n };
    }),
);

/** Stimuli per HCP by tier, from engagement_scores (whose stimuli_count the aggregate checks tie to stimuli). */
const stimuliByTier = shared(
  async (q, _ctx, hcps) => {
    const { rows } = await q.query<Row>(
      `SELECT h.tier::text AS k, sum(e.stimuli_count)::float8 AS x, count(*)::float8 AS hcps
       FROM hcp_profiles h JOIN engagement_scores e ON e.hcp_id = h.id WHERE h.id <= $1 GROUP BY h.tier`,
      [hcps],
    );
    return rows.map((r) => ({ k: text(r.k), x: num(r.x), hcps: num(r.hcps) }));
  },
  (m) => [...m.tiers].map(([k, [x, hcps]]) => ({ k, x, hcps })),
);

const outcomeCounts = shared(
  async (q, _ctx, hcps) => {
    const { rows } = await q.query<Row>(
      `SELECT channel::text AS c, outcome_type::text AS t, count(*)::float8 AS n FROM outcomes
      WHERE id < $2 AND hcp_id <= $1 GROUP BY 1, 2`,
      [hcps, idLimit(hcps)],
    );
    return rows.map((r) => ({ c: text(r.c), t: text(r.t), n: num(r.n) }));
  },
  (m) =>
    [...m.outcomes].map(([key, n]) => {
      const [c, t] = parts(key);
      return { c: c!, t: t!, n };
    }),
);

const rxSums = shared(
  async (q, _ctx, hcps) => {
    const { rows } = await q.query<Row>(
      `SELECT product::text AS p, month::text AS m, sum(trx)::float8 AS trx, sum(nrx)::float8 AS nrx,
            sum(nbrx)::float8 AS nbrx
       FROM rx_history WHERE hcp_id <= $1 GROUP BY 1, 2`,
      [hcps],
    );
    return rows.map((r) => ({
      p: text(r.p),
      m: text(r.m).slice(0, 7),
      trx: num(r.trx),
      nrx: num(r.nrx),
      nbrx: num(r.nbrx),
    }));
  },
  (m) =>
    [...m.rx].map(([key, [trx, nrx, nbrx]]) => {
      const [p, month] = parts(key);
      return { p: p!, m: month!, trx, nrx, nbrx };
    }),
);

function add(m: Map<string, Sums>, key: string, x: number, t: number): void {
  const s = m.get(key);
  if (s) {
    s.x += x;
    s.t += t;
  } else m.set(key, { x, t });
}

// ---------------------------------------------------------------------------------------------------------------
// Reference helpers.

const S = columnIndex(STIMULI);
const O = columnIndex(OUTCOMES);
const R = columnIndex(RX_HISTORY);
const E = columnIndex(ENGAGEMENT_SCORES);

function dictOf(col: unknown): { codes: Uint16Array; dict: string[] } {
  return col as { codes: Uint16Array; dict: string[] };
}

/** ISO day of week (1 = Monday) of a wall-clock epoch-ms time: 1970-01-01 was a Thursday. */
function isoDow(ms: number): number {
  return ((((Math.floor(ms / MS_PER_DAY) + 3) % 7) + 7) % 7) + 1;
}

/** The simulated stimuli, one entry per row: HCP index, channel id, month, weekend flag, time. */
function simulatedStimuli(plan: Plan, ref: Reference) {
  const b = ref.batches.stimuli;
  const ids = b.num(S.id);
  const hcp = b.num(S.hcp_id);
  const channel = b.codes(S.channel);
  const at = b.num(S.occurred_at);
  return { rows: b.rows, ids, hcp, channel, at, channels: plan.channels.map((c) => c.id) };
}

/** The value of an HCP attribute as hcp_profiles stores it. */
function attrValue(plan: Plan, a: HcpAttributes, attr: HcpAttr): string {
  // hcp_profiles stores the region's name and the target flag as 0/1; the rest as the scenario spells them.
  if (attr === 'target') return isTarget(plan, a) ? '1' : '0';
  const value = attributeValue(plan, a, attr, false);
  if (attr !== 'region') return value;
  return plan.population.regions.find((r) => r.code === value)?.name ?? value;
}

/** The conditional attributes (declared with by:), each with its plan. */
function conditionals(plan: Plan): [HcpAttr, CategoricalPlan][] {
  const pop = plan.population;
  const list: [HcpAttr, CategoricalPlan][] = [
    ['credential', pop.credential],
    ['tier', pop.tier],
    ['segment', pop.segment],
  ];
  return list.filter(([, c]) => c.by !== undefined && c.by in HCP_COLUMNS);
}

/** A by-value as the plan's cases spell it, from the stored column value (regions: name -> code). */
function planByValue(plan: Plan, by: string, stored: string): string {
  if (by !== 'region') return stored;
  return plan.population.regions.find((r) => r.name === stored)?.code ?? stored;
}

// ---------------------------------------------------------------------------------------------------------------
// The families.

const population = (
  attr: HcpAttr,
  what: string,
  parameter: (plan: Plan, key: string) => string,
  exact?: (plan: Plan) => Map<string, number>,
): Family => ({
  name: `model.hcp_profiles.${attr}`,
  kind: 'share',
  what: (key) => `the share of HCPs with ${HCP_COLUMNS[attr]} = ${key} (${what})`,
  parameter,
  reference(plan, ref) {
    const counts = new Map<string, number>();
    for (const a of ref.population) {
      const v = attrValue(plan, a, attr);
      counts.set(v, (counts.get(v) ?? 0) + 1);
    }
    const n = ref.population.length;
    const ex = exact?.(plan);
    for (const k of ex?.keys() ?? []) if (!counts.has(k)) counts.set(k, 0);
    const moments = new Map([...counts].map(([k, c]) => [k, Moments.ofCounts(c, n, n)]));
    return ex ? { moments, exact: ex } : { moments };
  },
  async measure(q, ctx, hcps, _ref, keys) {
    const counts = await hcpCounts(q, ctx, hcps);
    const all = counts.get('_all')?.get('') ?? 0;
    const out = new Map<string, Sums>(keys.map((k) => [k, { x: 0, t: all }]));
    for (const [k, n] of counts.get(attr) ?? []) out.set(k, { x: n, t: all });
    return out;
  },
});

/** Cells of a conditional attribute: the share of each value among HCPs with one by-value (`by=b|value`). */
const cells = (attr: HcpAttr): Family => ({
  name: `model.hcp_profiles.${attr}_by`,
  kind: 'share',
  what: (key) => {
    const [b, v] = key.split('|');
    return `the share of ${attr} ${v} among HCPs with that ${b}`;
  },
  parameter: (plan, key) => {
    const c = categoricalOf(plan, attr);
    const b = planByValue(plan, c.by ?? '', key.split('|')[0] ?? '');
    return c.cases[b] ? `population.${attr}.cases.${b}` : `population.${attr}.weights`;
  },
  reference(plan, ref) {
    const c = categoricalOf(plan, attr);
    const by = c.by as HcpAttr;
    const byCounts = new Map<string, number>();
    const cellCounts = new Map<string, number>();
    const values = new Set<string>([...c.default.values, ...Object.values(c.cases).flatMap((x) => x.values)]);
    for (const a of ref.population) {
      const b = attrValue(plan, a, by);
      byCounts.set(b, (byCounts.get(b) ?? 0) + 1);
      const key = `${b}|${attrValue(plan, a, attr)}`;
      cellCounts.set(key, (cellCounts.get(key) ?? 0) + 1);
    }
    const n = ref.population.length;
    const moments = new Map<string, Moments>();
    const exact = new Map<string, number>();
    for (const [b, nb] of byCounts) {
      const choice = c.cases[planByValue(plan, by, b)] ?? c.default;
      for (const v of values) {
        const key = `${b}|${v}`;
        const i = choice.values.indexOf(v);
        exact.set(key, i >= 0 ? choice.weights[i]! : 0);
        moments.set(key, Moments.ofCounts(cellCounts.get(key) ?? 0, nb, n));
      }
    }
    return { moments, exact };
  },
  async measure(q, ctx, hcps, _ref, keys) {
    const counts = (await hcpCounts(q, ctx, hcps)).get(`cell:${attr}`) ?? new Map<string, number>();
    const byTotals = new Map<string, number>();
    for (const [k, n] of counts) {
      const b = k.slice(0, k.lastIndexOf('|'));
      byTotals.set(b, (byTotals.get(b) ?? 0) + n);
    }
    const byOf = (k: string): string => k.slice(0, k.lastIndexOf('|'));
    const out = new Map<string, Sums>();
    // Cells the data lacks are zero shares of their by-value's HCPs.
    for (const k of keys) out.set(k, { x: 0, t: byTotals.get(byOf(k)) ?? 0 });
    for (const [k, n] of counts) out.set(k, { x: n, t: byTotals.get(byOf(k)) ?? 0 });
    return out;
  },
});

function categoricalOf(plan: Plan, attr: HcpAttr): CategoricalPlan {
  const pop = plan.population;
  return attr === 'credential' ? pop.credential : attr === 'tier' ? pop.tier : pop.segment;
}

function specialtyWeights(plan: Plan): Map<string, number> {
  const pop = plan.population;
  return new Map(pop.specialties.map((s, i) => [s.code, pop.specialtyWeights[i]!]));
}

function stateWeights(plan: Plan): Map<string, number> {
  const pop = plan.population;
  return new Map(pop.states.map((s, i) => [s.code, pop.stateWeights[i]!]));
}

function regionWeights(plan: Plan): Map<string, number> {
  const pop = plan.population;
  const out = new Map<string, number>(pop.regions.map((r) => [r.name, 0]));
  pop.states.forEach((s, i) => {
    const name = pop.regions.find((r) => r.code === s.region)?.name ?? s.region;
    out.set(name, (out.get(name) ?? 0) + pop.stateWeights[i]!);
  });
  return out;
}

/** The keys a family ranges over that the plan (and the reference population) fix. */
interface Keys {
  channels: string[];
  months: string[];
  products: string[];
  tiers: string[];
}
function keysOf(plan: Plan, ref?: Reference): Keys {
  return {
    channels: plan.channels.map((c) => c.id),
    months: plan.window.months.map((m) => m.ym),
    products: plan.products.map((p) => p.id),
    tiers: ref ? [...new Set(ref.population.map((a) => a.tier))].sort() : [],
  };
}

const channelIndexOf = (plan: Plan, id: string): number => plan.channels.findIndex((c) => c.id === id);

/**
 * The simulated stimuli counted once per reference: per HCP and channel (all, and on weekends), per HCP and
 * window month. Laid out [hcp * width + index].
 */
interface StimulusTally {
  channels: number;
  months: number;
  byChannel: Float64Array;
  weekendByChannel: Float64Array;
  byMonth: Float64Array;
  total: Float64Array;
}

const stimulusTally = oncePer(
  (ref: Reference) => ref,
  (ref: Reference): StimulusTally => {
    const plan = ref.plan;
    const C = plan.channels.length;
    const M = plan.window.months.length;
    const H = ref.simulated;
    const tally: StimulusTally = {
      channels: C,
      months: M,
      byChannel: new Float64Array(H * C),
      weekendByChannel: new Float64Array(H * C),
      byMonth: new Float64Array(H * M),
      total: new Float64Array(H),
    };
    const b = ref.batches.stimuli;
    const hcp = b.num(S.hcp_id);
    const channel = b.codes(S.channel);
    const at = b.num(S.occurred_at);
    const starts = plan.window.months.map((m) => m.startMs);
    for (let r = 0; r < b.rows; r++) {
      const h = hcp[r]! - 1;
      const c = channel[r]!;
      const ms = at[r]!;
      let m = M - 1;
      while (m > 0 && ms < starts[m]!) m--;
      tally.byChannel[h * C + c]!++;
      if (isoDow(ms) >= 6) tally.weekendByChannel[h * C + c]!++;
      tally.byMonth[h * M + m]!++;
      tally.total[h]!++;
    }
    return tally;
  },
);

/** Moments per key from per-HCP numerators x[h * keys + k] and denominators t(h, k). */
function momentsOf(
  keys: readonly string[],
  hcps: number,
  x: Float64Array,
  t: (h: number, k: number) => number,
): Map<string, Moments> {
  const out = new Map<string, Moments>();
  keys.forEach((key, k) => {
    const m = new Moments();
    m.hcps = hcps;
    for (let h = 0; h < hcps; h++) m.add(x[h * keys.length + k]!, t(h, k));
    out.set(key, m);
  });
  return out;
}

/** A family over the stimulus tally: the reference moments come from `moments`, the data from `measure`. */
function stimuliFamily(
  name: string,
  what: Family['what'],
  parameter: Family['parameter'],
  moments: (tally: StimulusTally, plan: Plan, hcps: number) => Map<string, Moments>,
  measure: (
    rows: Awaited<ReturnType<typeof stimuliCounts>>,
    out: Map<string, Sums>,
    keys: readonly string[],
  ) => void,
): Family {
  return {
    name,
    kind: 'share',
    what,
    parameter,
    reference(plan, ref) {
      return { moments: moments(stimulusTally(ref), plan, ref.simulated) };
    },
    async measure(q, ctx, hcps, _ref, keys) {
      const out = new Map<string, Sums>();
      measure(await stimuliCounts(q, ctx, hcps), out, keys);
      return out;
    },
  };
}

const channelShare = stimuliFamily(
  'model.stimuli.channel',
  (key) => `the share of stimuli on channel ${key}`,
  (plan, key) =>
    `channels[${channelIndexOf(plan, key)}].weight (with stimuli.channel_mix, targeting and the rep rules)`,
  (tally, plan, hcps) => momentsOf(keysOf(plan).channels, hcps, tally.byChannel, (h) => tally.total[h]!),
  shareOfTotal((r) => r.c),
);

const monthShare = stimuliFamily(
  'model.stimuli.month',
  (key) => `the share of stimuli in ${key}`,
  () => "stimuli.seasonality and channels[].seasonality (and the month's business days)",
  (tally, plan, hcps) => momentsOf(keysOf(plan).months, hcps, tally.byMonth, (h) => tally.total[h]!),
  shareOfTotal((r) => r.m),
);

const weekendShare = stimuliFamily(
  'model.stimuli.weekend',
  (key) => `the weekend share of channel ${key}'s stimuli`,
  (plan, key) => `channels[${channelIndexOf(plan, key)}].weekend_share`,
  (tally, plan, hcps) =>
    momentsOf(
      keysOf(plan).channels,
      hcps,
      tally.weekendByChannel,
      (h, c) => tally.byChannel[h * tally.channels + c]!,
    ),
  (rows, out) => {
    for (const r of rows) add(out, r.c, r.w ? r.n : 0, r.n);
  },
);

/** Each key's count over all stimuli (keys the data lacks: none of them). */
function shareOfTotal(keyOf: (r: { c: string; m: string }) => string) {
  return (
    rows: { c: string; m: string; n: number }[],
    out: Map<string, Sums>,
    keys: readonly string[],
  ): void => {
    const total = rows.reduce((a, r) => a + r.n, 0);
    for (const k of keys) out.set(k, { x: 0, t: total });
    for (const r of rows) add(out, keyOf(r), r.n, 0);
    for (const v of out.values()) v.t = total;
  };
}

const perHcpMonth: Family = {
  name: 'model.stimuli.per_hcp_month',
  kind: 'rate',
  what: (key) => `stimuli per HCP and month, ${key}`,
  parameter: () => 'stimuli.per_hcp_month, stimuli.intensity_by_tier and stimuli.intensity',
  reference(plan, ref) {
    const tally = stimulusTally(ref);
    const tiers = keysOf(plan, ref).tiers;
    const months = plan.window.months.length;
    const x = new Float64Array(ref.simulated * tiers.length);
    const tierOf = ref.simulatedAttributes.map((a) => tiers.indexOf(a.tier));
    for (let h = 0; h < ref.simulated; h++) x[h * tiers.length + tierOf[h]!] = tally.total[h]!;
    const keys = tiers.map((t) => `tier=${t}`);
    return { moments: momentsOf(keys, ref.simulated, x, (h, k) => (tierOf[h] === k ? months : 0)) };
  },
  async measure(q, ctx, hcps) {
    const months = ctx.plan.window.months.length;
    const out = new Map<string, Sums>();
    for (const r of await stimuliByTier(q, ctx, hcps)) out.set(`tier=${r.k}`, { x: r.x, t: r.hcps * months });
    return out;
  },
};

type SimulatedOutcome = { h: number; key: string; lag: number };
/** The simulated outcomes with their stimulus's channel and the wall-clock lag in seconds (once per reference). */
const simulatedOutcomes = oncePer(
  (_plan: Plan, ref: Reference) => ref,
  (plan: Plan, ref: Reference): SimulatedOutcome[] => {
    const s = simulatedStimuli(plan, ref);
    const at = new Map<number, number>();
    for (let r = 0; r < s.rows; r++) at.set(s.ids[r]!, s.at[r]!);
    const b = ref.batches.outcomes;
    const ids = b.num(O.stimulus_id);
    const hcp = b.num(O.hcp_id);
    const oat = b.num(O.occurred_at);
    const type = dictOf(b.columns[O.outcome_type]);
    const channel = b.codes(O.channel);
    const out: SimulatedOutcome[] = [];
    for (let r = 0; r < b.rows; r++) {
      const key = `${s.channels[channel[r]!]!}.${type.dict[type.codes[r]!]!}`;
      out.push({ h: hcp[r]! - 1, key, lag: (oat[r]! - (at.get(ids[r]!) ?? NaN)) / 1000 });
    }
    return out;
  },
);

const outcomeRate: Family = {
  name: 'model.outcomes.rate',
  kind: 'share',
  what: (key) => `the response rate ${key.replace('.', ' ')} (outcomes per stimulus on the channel)`,
  parameter: (plan, key) => {
    const [channel, type] = key.split('.') as [string, string];
    const c = channelIndexOf(plan, channel);
    const o = plan.channels[c]?.outcomes.findIndex((x) => x.type === type) ?? -1;
    return `channels[${c}].outcomes[${o}].rate`;
  },
  reference(plan, ref) {
    const tally = stimulusTally(ref);
    const keys = plan.channels.flatMap((c) => c.outcomes.map((o) => `${c.id}.${o.type}`));
    const channelOf = plan.channels.flatMap((c, i) => c.outcomes.map(() => i));
    const index = new Map(keys.map((k, i) => [k, i]));
    const x = new Float64Array(ref.simulated * keys.length);
    for (const o of simulatedOutcomes(plan, ref)) {
      const k = index.get(o.key);
      if (k !== undefined) x[o.h * keys.length + k]!++;
    }
    const t = (h: number, k: number): number => tally.byChannel[h * tally.channels + channelOf[k]!]!;
    return { moments: momentsOf(keys, ref.simulated, x, t) };
  },
  async measure(q, ctx, hcps) {
    const perChannel = new Map<string, number>();
    for (const r of await stimuliCounts(q, ctx, hcps)) perChannel.set(r.c, (perChannel.get(r.c) ?? 0) + r.n);
    const out = new Map<string, Sums>();
    for (const c of ctx.plan.channels) {
      for (const o of c.outcomes) out.set(`${c.id}.${o.type}`, { x: 0, t: perChannel.get(c.id) ?? 0 });
    }
    for (const r of await outcomeCounts(q, ctx, hcps)) {
      const s = out.get(`${r.c}.${r.t}`);
      if (s) s.x += r.n;
    }
    return out;
  },
};

/**
 * The lag of each (channel, outcome type), as the share of its outcomes faster than the reference's median:
 * 0.5 in the model, whatever the distribution, its cap or the censoring at --as-of (the reference has them too).
 */
const lagMedian: Family = {
  name: 'model.outcomes.lag_median',
  kind: 'share',
  what: (key) => `the share of ${key.replace('.', ' ')} outcomes faster than the model's median lag`,
  show: (key, _mean, params) => {
    const { keys, lags } = params as { keys: string[]; lags: number[] };
    const hours = (lags[keys.indexOf(key)] ?? NaN) / 3600;
    return {
      text: Number.isFinite(hours) ? `median ${Number(hours.toPrecision(3))} h` : 'n/a',
      value: hours,
    };
  },
  parameter: (plan, key) => {
    const [channel, type] = key.split('.') as [string, string];
    const c = channelIndexOf(plan, channel);
    const o = plan.channels[c]?.outcomes.findIndex((x) => x.type === type) ?? -1;
    return `channels[${c}].outcomes[${o}].lag_hours`;
  },
  reference(plan, ref) {
    const outcomes = simulatedOutcomes(plan, ref);
    const medians = lagMedians(outcomes);
    const keys = [...medians.keys()];
    const params = { keys, lags: keys.map((k) => medians.get(k)!) };
    const index = new Map(keys.map((k, i) => [k, i]));
    const x = new Float64Array(ref.simulated * keys.length);
    const t = new Float64Array(ref.simulated * keys.length);
    for (const o of outcomes) {
      const k = index.get(o.key);
      if (k === undefined) continue;
      t[o.h * keys.length + k]!++;
      if (o.lag < medians.get(o.key)!) x[o.h * keys.length + k]!++;
    }
    return { moments: momentsOf(keys, ref.simulated, x, (h, k) => t[h * keys.length + k]!), params };
  },
  async measure(q, ctx, hcps, params) {
    const { keys, lags } = params as { keys: string[]; lags: number[] };
    const stated = statedFor(ctx, hcps);
    if (stated) {
      const out = new Map<string, Sums>();
      keys.forEach((k, i) => {
        const l = stated.lags.get(k);
        if (!l || l.length === 0) return;
        let x = 0;
        for (let j = 0; j < l.length; j++) if (l[j]! < lags[i]!) x++;
        out.set(k, { x, t: l.length });
      });
      return out;
    }
    const { rows } = await q.query<Row>(
      `SELECT o.channel::text || '.' || o.outcome_type::text AS k,
              count(*) FILTER (WHERE date_part('epoch', o.occurred_at - s.occurred_at) < m.lag)::float8 AS x,
              count(*)::float8 AS t
         FROM outcomes o
         JOIN stimuli s ON s.id = o.stimulus_id
         JOIN (SELECT unnest($2::text[]) AS k, unnest($3::float8[]) AS lag) m
           ON m.k = o.channel::text || '.' || o.outcome_type::text
        WHERE o.id < $4 AND s.id < $4 AND o.hcp_id <= $1 AND s.hcp_id <= $1
        GROUP BY 1`,
      [hcps, keys, lags, idLimit(hcps)],
    );
    return new Map(rows.map((r) => [text(r.k), { x: num(r.x), t: num(r.t) }]));
  },
};

/** The reference's median lag per key, half a second above a whole second so ties cannot split. */
function lagMedians(outcomes: readonly { key: string; lag: number }[]): Map<string, number> {
  const lags = new Map<string, number[]>();
  for (const o of outcomes) {
    if (!Number.isFinite(o.lag)) continue;
    let l = lags.get(o.key);
    if (!l) lags.set(o.key, (l = []));
    l.push(o.lag);
  }
  const out = new Map<string, number>();
  for (const [k, l] of lags) {
    l.sort((a, b) => a - b);
    out.set(k, Math.floor(l[Math.floor((l.length - 1) / 2)]!) + 0.5);
  }
  return out;
}

/** The simulated Rx rows summed once per reference, per HCP: by month, by product and month, by product. */
interface RxTally {
  months: number;
  products: number;
  trxByMonth: Float64Array;
  /** [h * products * months + p * months + m] */
  trxByProductMonth: Float64Array;
  trxByProduct: Float64Array;
  nrxByProduct: Float64Array;
  nbrxByProduct: Float64Array;
  trx: Float64Array;
}

const rxTally = oncePer(
  (ref: Reference) => ref,
  (ref: Reference): RxTally => {
    const plan = ref.plan;
    const M = plan.window.months.length;
    const P = plan.products.length;
    const H = ref.simulated;
    const tally: RxTally = {
      months: M,
      products: P,
      trxByMonth: new Float64Array(H * M),
      trxByProductMonth: new Float64Array(H * P * M),
      trxByProduct: new Float64Array(H * P),
      nrxByProduct: new Float64Array(H * P),
      nbrxByProduct: new Float64Array(H * P),
      trx: new Float64Array(H),
    };
    const b = ref.batches.rx_history;
    const hcp = b.num(R.hcp_id);
    const month = b.num(R.month);
    const product = b.codes(R.product);
    const trx = b.num(R.trx);
    const nrx = b.num(R.nrx);
    const nbrx = b.num(R.nbrx);
    const monthIndex = new Map(plan.window.months.map((m, i) => [m.startMs / MS_PER_DAY, i]));
    for (let r = 0; r < b.rows; r++) {
      const h = hcp[r]! - 1;
      const m = monthIndex.get(month[r]!) ?? 0;
      const p = product[r]!;
      tally.trxByMonth[h * M + m]! += trx[r]!;
      tally.trxByProductMonth[(h * P + p) * M + m]! += trx[r]!;
      tally.trxByProduct[h * P + p]! += trx[r]!;
      tally.nrxByProduct[h * P + p]! += nrx[r]!;
      tally.nbrxByProduct[h * P + p]! += nbrx[r]!;
      tally.trx[h]! += trx[r]!;
    }
    return tally;
  },
);

/** A family over the Rx tally: the reference moments come from `moments`, the data from `measure`. */
function rxFamily(
  name: string,
  what: Family['what'],
  parameter: Family['parameter'],
  moments: (tally: RxTally, plan: Plan, hcps: number) => Map<string, Moments>,
  measure: (rows: Awaited<ReturnType<typeof rxSums>>, out: Map<string, Sums>, keys: Keys) => void,
): Family {
  return {
    name,
    kind: 'share',
    what,
    parameter,
    reference(plan, ref) {
      return { moments: moments(rxTally(ref), plan, ref.simulated) };
    },
    async measure(q, ctx, hcps) {
      const out = new Map<string, Sums>();
      measure(await rxSums(q, ctx, hcps), out, keysOf(ctx.plan));
      return out;
    },
  };
}

const rxMonth = rxFamily(
  'model.rx_history.month',
  (key) => `the share of TRx written in ${key}`,
  () => "prescribing.seasonality (and the products' launch, uptake and exit)",
  (tally, plan, hcps) => momentsOf(keysOf(plan).months, hcps, tally.trxByMonth, (h) => tally.trx[h]!),
  (rows, out, keys) => {
    const total = rows.reduce((a, r) => a + r.trx, 0);
    for (const m of keys.months) out.set(m, { x: 0, t: total });
    for (const r of rows) add(out, r.m, r.trx, 0);
  },
);

const rxProduct = rxFamily(
  'model.rx_history.product',
  (key) => `${key.split('.')[0]}'s share of the TRx written in ${key.split('.')[1]}`,
  (plan, key) => {
    const i = plan.products.findIndex((p) => p.id === key.split('.')[0]);
    return `products[${i}].volume_share (with launch_date, uptake_months, takes_share_from, exit_date)`;
  },
  (tally, plan, hcps) => {
    const { products, months } = keysOf(plan);
    const keys = products.flatMap((p) => months.map((m) => `${p}.${m}`));
    const M = months.length;
    return momentsOf(keys, hcps, tally.trxByProductMonth, (h, k) => tally.trxByMonth[h * M + (k % M)]!);
  },
  (rows, out, keys) => {
    const monthTotals = new Map<string, number>();
    for (const r of rows) monthTotals.set(r.m, (monthTotals.get(r.m) ?? 0) + r.trx);
    for (const p of keys.products) for (const [m, t] of monthTotals) out.set(`${p}.${m}`, { x: 0, t });
    for (const r of rows) {
      const s = out.get(`${r.p}.${r.m}`);
      if (s) s.x += r.trx;
    }
  },
);

const nrxShare = rxFamily(
  'model.rx_history.nrx_share',
  (key) => `${key}'s NRx as a share of its TRx`,
  () => 'prescribing.nrx_share (and channels[].nrx_lift)',
  (tally, plan, hcps) =>
    momentsOf(
      keysOf(plan).products,
      hcps,
      tally.nrxByProduct,
      (h, p) => tally.trxByProduct[h * tally.products + p]!,
    ),
  (rows, out) => {
    for (const r of rows) add(out, r.p, r.nrx, r.trx);
  },
);

const nbrxShare = rxFamily(
  'model.rx_history.nbrx_share',
  (key) => `${key}'s NBRx as a share of its NRx`,
  (plan, key) =>
    `prescribing.nbrx_share or products[${plan.products.findIndex((p) => p.id === key)}].nbrx_share`,
  (tally, plan, hcps) =>
    momentsOf(
      keysOf(plan).products,
      hcps,
      tally.nbrxByProduct,
      (h, p) => tally.nrxByProduct[h * tally.products + p]!,
    ),
  (rows, out) => {
    for (const r of rows) add(out, r.p, r.nbrx, r.nrx);
  },
);

/** TRx per HCP-month: its denominator is months per HCP, known from the plan. */
const trxPerHcp: Family = {
  name: 'model.rx_history.trx_per_hcp_month',
  kind: 'rate',
  what: () => 'TRx per HCP and month (all products)',
  parameter: () =>
    'population.prescribing_volume and population.specialties[].trx_multiplier (and channels[].nrx_lift)',
  reference(plan, ref) {
    const months = plan.window.months.length;
    return { moments: momentsOf(['all'], ref.simulated, rxTally(ref).trx, () => months) };
  },
  async measure(q, ctx, hcps) {
    const rows = await rxSums(q, ctx, hcps);
    const generated = (await hcpCounts(q, ctx, hcps)).get('_all')?.get('') ?? 0;
    const trx = rows.reduce((a, r) => a + r.trx, 0);
    return new Map([['all', { x: trx, t: generated * ctx.plan.window.months.length }]]);
  },
};

const decileShare: Family = {
  name: 'model.rx_history.decile',
  kind: 'share',
  what: (key) => `decile ${key}'s share of all TRx`,
  parameter: () => 'population.prescribing_volume (deciles are equal-volume groups of the baseline)',
  reference(_plan, ref) {
    const trx = rxTally(ref).trx;
    const keys = Array.from({ length: 10 }, (_, i) => String(i + 1));
    const x = new Float64Array(ref.simulated * 10);
    ref.simulatedAttributes.forEach((a, h) => {
      if (a.decile >= 1 && a.decile <= 10) x[h * 10 + a.decile - 1] = trx[h]!;
    });
    return { moments: momentsOf(keys, ref.simulated, x, (h) => trx[h]!) };
  },
  async measure(q, ctx, hcps) {
    const stated = statedFor(ctx, hcps);
    const { rows } = stated
      ? { rows: [...stated.deciles].map(([k, x]) => ({ k, x }) as Row) }
      : await q.query<Row>(
          `WITH r AS (SELECT hcp_id, sum(trx) AS trx FROM rx_history WHERE hcp_id <= $1 GROUP BY hcp_id)
           SELECT h.decile::text AS k, sum(r.trx)::float8 AS x FROM r JOIN hcp_profiles h ON h.id = r.hcp_id
            GROUP BY h.decile`,
          [hcps],
        );
    const total = rows.reduce((a, r) => a + num(r.x), 0);
    const out = new Map<string, Sums>();
    for (let k = 1; k <= 10; k++) out.set(String(k), { x: 0, t: total });
    for (const r of rows) {
      const s = out.get(text(r.k));
      if (s) s.x = num(r.x);
    }
    return out;
  },
};

const engagementSegment: Family = {
  name: 'model.engagement_scores.segment',
  kind: 'share',
  what: (key) => `the share of HCPs in engagement segment ${key}`,
  parameter: () => 'engagement.segments and engagement.weights (and the stimuli and outcomes they score)',
  reference(plan, ref) {
    const b = ref.batches.engagement_scores;
    const seg = dictOf(b.columns[E.engagement_segment]);
    const hcp = b.num(E.hcp_id);
    const keys = plan.engagement.segments.map((s) => s.name);
    const x = new Float64Array(ref.simulated * keys.length);
    for (let r = 0; r < b.rows; r++) {
      const k = keys.indexOf(seg.dict[seg.codes[r]!] ?? '');
      if (k >= 0) x[(hcp[r]! - 1) * keys.length + k] = 1;
    }
    return { moments: momentsOf(keys, ref.simulated, x, () => 1) };
  },
  async measure(q, ctx, hcps) {
    const stated = statedFor(ctx, hcps);
    const { rows } = stated
      ? { rows: [...stated.segments].map(([k, n]) => ({ k, n }) as Row) }
      : await q.query<Row>(
          `SELECT engagement_segment::text AS k, count(*)::float8 AS n FROM engagement_scores
            WHERE hcp_id <= $1 GROUP BY 1`,
          [hcps],
        );
    const total = rows.reduce((a, r) => a + num(r.n), 0);
    const out = new Map<string, Sums>();
    for (const r of rows) out.set(text(r.k), { x: num(r.n), t: total });
    return out;
  },
};

/** The families that apply to a plan, in report order. */
export function familiesFor(plan: Plan): Family[] {
  const list: Family[] = [
    population(
      'specialty',
      'population.specialties',
      (p, k) => {
        const i = p.population.specialties.findIndex((s) => s.code === k);
        return `population.specialties[${i}].weight`;
      },
      specialtyWeights,
    ),
    population('credential', 'population.credential', () => 'population.credential'),
    population('region', 'population.regions', () => 'population.regions[].states[].weight', regionWeights),
    population(
      'state',
      'population.regions[].states',
      () => 'population.regions[].states[].weight',
      stateWeights,
    ),
    population('decile', 'population.prescribing_volume', () => 'population.prescribing_volume'),
    population('tier', 'population.tier', () => 'population.tier'),
    population('segment', 'population.segment', () => 'population.segment'),
    ...conditionals(plan).map(([attr]) => cells(attr)),
    channelShare,
    perHcpMonth,
    monthShare,
    weekendShare,
    outcomeRate,
    lagMedian,
    rxMonth,
    nrxShare,
    nbrxShare,
    trxPerHcp,
    decileShare,
    engagementSegment,
  ];
  if (plan.targeting.declared) {
    list.splice(
      7,
      0,
      population('target', 'targeting.target', () => 'targeting.target'),
    );
  }
  if (plan.products.length > 1) list.splice(list.indexOf(nrxShare), 0, rxProduct);
  return list;
}
