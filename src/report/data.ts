// What the report shows, as numbers: every figure is one SQL aggregate over the seven tables (grouped to a few
// dozen rows at most; no query returns rows per HCP or per event), plus what the plan declared. The SQL is the
// subset PostgreSQL, PGlite and DuckDB (file output, with integer_division on: src/validation/dialect.ts) read
// alike: date_part, least, CASE, ntile() over (...), count/sum, ::float8 casts.
import type { CategoricalPlan, Plan, TableName } from '../plan/types.js';
import { TABLES } from '../plan/types.js';
import { HCP_ATTRIBUTE_COLUMNS } from '../tables/tables.js';
import type { Queryable } from '../validation/types.js';

export interface Mix {
  /** The attribute, e.g. specialty. */
  attribute: string;
  /** The value, its observed share and the share the plan declared (given the observed parent, if conditional). */
  values: { value: string; observed: number; declared: number; n: number }[];
  /** The attribute the declared weights depend on, if any. */
  by?: string;
}

export interface ReportData {
  counts: Record<TableName, number>;
  generatedHcps: number;
  mixes: Mix[];
  deciles: { decile: number; hcps: number; volumeShare: number; hcpShare: number }[];
  /** Cumulative share of volume held by the top x share of HCPs (x ascending, from 0 to 1). */
  lorenz: { x: number; y: number }[];
  /** Month keys YYYY-MM in window order. */
  months: string[];
  channelByMonth: { channel: string; counts: number[] }[];
  /** Share of HCP-months with k stimuli (k = 0..K, the last bucket K or more), per tier. */
  stimuliPerHcpMonth: { tier: string; shares: number[] }[];
  stimuliBuckets: string[];
  funnel: {
    channel: string;
    stimuli: number;
    outcomes: { type: string; observed: number; declared: number; n: number }[];
  }[];
  lagBuckets: string[];
  lags: { type: string; shares: number[]; n: number }[];
  rx: { product: string; nrx: number[]; trx: number[] }[];
  lift: { segment: string; hcps: number; nrxPerHcpMonth: number; nrxPerBaselineTrx: number }[];
  scoreHistogram: number[];
  segments: { segment: string; hcps: number; min: number; max: number }[];
  regions: { region: string; hcps: number; roles: { role: string; reps: number; territories: number }[] }[];
  states: { state: string; hcps: number; declared: number; observed: number }[];
}

const num = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));
const str = (v: unknown): string => (v === null || v === undefined ? '(none)' : String(v));

async function rows(q: Queryable, sql: string): Promise<Record<string, unknown>[]> {
  return (await q.query(sql)).rows;
}

const YM = `cast(date_part('year', occurred_at) as integer) * 100 + cast(date_part('month', occurred_at) as integer)`;

async function simpleMix(q: Queryable, attribute: string, declared: Map<string, number>): Promise<Mix> {
  const r = await rows(
    q,
    `SELECT ${attribute} AS v, count(*) AS n FROM hcp_profiles WHERE source = 'generated' GROUP BY 1`,
  );
  const total = r.reduce((a, x) => a + num(x.n), 0) || 1;
  const observed = new Map(r.map((x) => [str(x.v), num(x.n)]));
  const keys = [...new Set([...declared.keys(), ...observed.keys()])];
  const values = keys.map((value) => ({
    value,
    n: observed.get(value) ?? 0,
    observed: (observed.get(value) ?? 0) / total,
    declared: declared.get(value) ?? 0,
  }));
  values.sort((a, b) => b.declared - a.declared || b.observed - a.observed);
  return { attribute, values };
}

/** A conditional attribute: declared share = sum over observed parent values of P(parent) x P(value | parent). */
async function conditionalMix(q: Queryable, attribute: string, plan: CategoricalPlan): Promise<Mix> {
  const declared = new Map<string, number>();
  if (plan.by) {
    const parent = HCP_ATTRIBUTE_COLUMNS[plan.by];
    const r = await rows(
      q,
      `SELECT ${parent} AS p, count(*) AS n FROM hcp_profiles WHERE source = 'generated' GROUP BY 1`,
    );
    const total = r.reduce((a, x) => a + num(x.n), 0) || 1;
    for (const x of r) {
      const choice = plan.cases[String(x.p)] ?? plan.default;
      choice.values.forEach((v, i) =>
        declared.set(v, (declared.get(v) ?? 0) + (num(x.n) / total) * (choice.weights[i] ?? 0)),
      );
    }
  } else {
    plan.default.values.forEach((v, i) => declared.set(v, plan.default.weights[i] ?? 0));
  }
  const mix = await simpleMix(q, attribute, declared);
  return plan.by ? { ...mix, by: plan.by } : mix;
}

const STIMULI_MAX = 20;
const LAGS: [string, number][] = [
  ['< 1 h', 1],
  ['1-4 h', 4],
  ['4-12 h', 12],
  ['12-24 h', 24],
  ['1-3 d', 72],
  ['3-7 d', 168],
  ['7-14 d', 336],
  ['14-30 d', 720],
];

export async function collectReportData(q: Queryable, plan: Plan): Promise<ReportData> {
  const countRow = (
    await rows(q, `SELECT ${TABLES.map((t) => `(SELECT count(*) FROM ${t}) AS ${t}`).join(', ')}`)
  )[0]!;
  const counts = Object.fromEntries(TABLES.map((t) => [t, num(countRow[t])])) as Record<TableName, number>;
  const generatedHcps = num(
    (await rows(q, `SELECT count(*) AS n FROM hcp_profiles WHERE source = 'generated'`))[0]?.n,
  );
  const pop = plan.population;

  const mixes: Mix[] = [
    await simpleMix(
      q,
      'specialty',
      new Map(pop.specialties.map((s, i) => [s.name, pop.specialtyWeights[i] ?? 0])),
    ),
    await conditionalMix(q, 'tier', pop.tier),
    await conditionalMix(q, 'segment', pop.segment),
    await simpleMix(q, 'region', new Map(pop.regions.map((r) => [r.name, r.share]))),
    await conditionalMix(q, 'credential', pop.credential),
  ];

  const dec = await rows(
    q,
    `SELECT decile, count(*) AS n, sum(monthly_trx_baseline)::float8 AS v FROM hcp_profiles
      WHERE source = 'generated' GROUP BY 1 ORDER BY 1`,
  );
  const volume = dec.reduce((a, x) => a + num(x.v), 0) || 1;
  const deciles = dec.map((x) => ({
    decile: num(x.decile),
    hcps: num(x.n),
    volumeShare: num(x.v) / volume,
    hcpShare: num(x.n) / (generatedHcps || 1),
  }));
  const lz = await rows(
    q,
    `SELECT b, count(*) AS n, sum(v)::float8 AS v FROM (
       SELECT monthly_trx_baseline AS v, ntile(50) OVER (ORDER BY monthly_trx_baseline DESC) AS b
         FROM hcp_profiles WHERE source = 'generated') t
      GROUP BY b ORDER BY b`,
  );
  const lorenz = [{ x: 0, y: 0 }];
  let cx = 0;
  let cy = 0;
  for (const x of lz) {
    cx += num(x.n);
    cy += num(x.v);
    lorenz.push({ x: cx / (generatedHcps || 1), y: cy / volume });
  }

  const months = plan.window.months.map((m) => m.ym);
  const ymIndex = new Map(months.map((ym, i) => [Number(ym.replace('-', '')), i]));
  const cm = await rows(q, `SELECT ${YM} AS ym, channel, count(*) AS n FROM stimuli GROUP BY 1, 2`);
  const channels = [...new Set([...plan.channels.map((c) => c.id), ...cm.map((x) => str(x.channel))])];
  const channelByMonth = channels.map((channel) => {
    const counts = months.map(() => 0);
    for (const x of cm) {
      const i = ymIndex.get(num(x.ym));
      if (str(x.channel) === channel && i !== undefined) counts[i] = num(x.n);
    }
    return { channel, counts };
  });

  const perTier = await rows(
    q,
    `WITH c AS (SELECT hcp_id, ${YM} AS ym, count(*) AS n FROM stimuli GROUP BY 1, 2)
     SELECT h.tier, least(c.n, ${STIMULI_MAX}) AS k, count(*) AS pairs
       FROM c JOIN hcp_profiles h ON h.id = c.hcp_id WHERE h.source = 'generated' GROUP BY 1, 2`,
  );
  const tierHcps = await rows(
    q,
    `SELECT tier, count(*) AS n FROM hcp_profiles WHERE source = 'generated' GROUP BY 1 ORDER BY 1`,
  );
  const stimuliPerHcpMonth = tierHcps.map((t) => {
    const tier = str(t.tier);
    const cells = num(t.n) * months.length || 1;
    const shares = Array.from({ length: STIMULI_MAX + 1 }, () => 0);
    let nonZero = 0;
    for (const x of perTier) {
      if (str(x.tier) !== tier) continue;
      shares[num(x.k)] = num(x.pairs) / cells;
      nonZero += num(x.pairs);
    }
    shares[0] = (cells - nonZero) / cells;
    return { tier, shares };
  });
  const stimuliBuckets = Array.from({ length: STIMULI_MAX + 1 }, (_, k) =>
    k === STIMULI_MAX ? `${k}+` : String(k),
  );

  const sc = await rows(q, `SELECT channel, count(*) AS n FROM stimuli GROUP BY 1`);
  const oc = await rows(q, `SELECT channel, outcome_type, count(*) AS n FROM outcomes GROUP BY 1, 2`);
  const funnel = plan.channels.map((c) => {
    const stimuli = num(sc.find((x) => x.channel === c.id)?.n);
    return {
      channel: c.id,
      stimuli,
      outcomes: c.outcomes.map((o) => {
        const n = num(oc.find((x) => x.channel === c.id && x.outcome_type === o.type)?.n);
        return { type: o.type, n, observed: stimuli ? n / stimuli : 0, declared: o.rate };
      }),
    };
  });

  const hours = `date_part('epoch', o.occurred_at - s.occurred_at) / 3600.0`;
  const bucket = `CASE ${LAGS.map(([, h], i) => `WHEN ${hours} < ${h} THEN ${i}`).join(' ')} ELSE ${LAGS.length} END`;
  const lg = await rows(
    q,
    `SELECT o.outcome_type AS t, ${bucket} AS b, count(*) AS n
       FROM outcomes o JOIN stimuli s ON s.id = o.stimulus_id GROUP BY 1, 2`,
  );
  const lagBuckets = [...LAGS.map(([l]) => l), '> 30 d'];
  const types = [...new Set(lg.map((x) => str(x.t)))].sort();
  const lags = types.map((type) => {
    const mine = lg.filter((x) => str(x.t) === type);
    const n = mine.reduce((a, x) => a + num(x.n), 0) || 1;
    const shares = lagBuckets.map(() => 0);
    for (const x of mine) shares[num(x.b)] = num(x.n) / n;
    return { type, shares, n };
  });

  const rxRows = await rows(
    q,
    `SELECT cast(date_part('year', month) as integer) * 100 + cast(date_part('month', month) as integer) AS ym,
            product, sum(nrx)::float8 AS nrx, sum(trx)::float8 AS trx FROM rx_history GROUP BY 1, 2`,
  );
  const products = [...new Set([...plan.products.map((p) => p.id), ...rxRows.map((x) => str(x.product))])];
  const rx = products.map((product) => {
    const nrx = months.map(() => 0);
    const trx = months.map(() => 0);
    for (const x of rxRows) {
      const i = ymIndex.get(num(x.ym));
      if (str(x.product) !== product || i === undefined) continue;
      nrx[i] = num(x.nrx);
      trx[i] = num(x.trx);
    }
    return { product, nrx, trx };
  });

  const lf = await rows(
    q,
    `SELECT e.engagement_segment AS seg, count(*) AS hcps, sum(r.nrx)::float8 AS nrx,
            sum(h.monthly_trx_baseline)::float8 AS base
       FROM engagement_scores e JOIN hcp_profiles h ON h.id = e.hcp_id
       JOIN (SELECT hcp_id, sum(nrx) AS nrx FROM rx_history GROUP BY 1) r ON r.hcp_id = e.hcp_id
      WHERE h.source = 'generated' GROUP BY 1`,
  );
  const segOrder = plan.engagement.segments.map((s) => s.name);
  const bySegment = (a: { segment: string }, b: { segment: string }) =>
    segOrder.indexOf(a.segment) - segOrder.indexOf(b.segment);
  const lift = lf
    .map((x) => ({
      segment: str(x.seg),
      hcps: num(x.hcps),
      nrxPerHcpMonth: num(x.nrx) / (num(x.hcps) * months.length || 1),
      nrxPerBaselineTrx: num(x.nrx) / (num(x.base) * months.length || 1),
    }))
    .sort(bySegment);

  const sh = await rows(
    q,
    `SELECT least(cast(floor(score / 5.0) as integer), 19) AS b, count(*) AS n FROM engagement_scores GROUP BY 1`,
  );
  const scoreHistogram = Array.from({ length: 20 }, () => 0);
  for (const x of sh) scoreHistogram[Math.max(0, num(x.b))] = num(x.n);
  const sg = await rows(
    q,
    `SELECT engagement_segment AS seg, count(*) AS n, min(score)::float8 AS lo, max(score)::float8 AS hi
       FROM engagement_scores GROUP BY 1`,
  );
  const segments = sg
    .map((x) => ({ segment: str(x.seg), hcps: num(x.n), min: num(x.lo), max: num(x.hi) }))
    .sort(bySegment);

  const rh = await rows(q, `SELECT region, count(*) AS n FROM hcp_profiles GROUP BY 1 ORDER BY 2 DESC`);
  const rr = await rows(
    q,
    `SELECT region, role, count(DISTINCT rep_id) AS reps, count(DISTINCT territory_id) AS terr
       FROM territory_assignments GROUP BY 1, 2 ORDER BY 1, 2`,
  );
  const regions = rh.map((x) => ({
    region: str(x.region),
    hcps: num(x.n),
    roles: rr
      .filter((y) => str(y.region) === str(x.region))
      .map((y) => ({ role: str(y.role), reps: num(y.reps), territories: num(y.terr) })),
  }));
  const st = await rows(
    q,
    `SELECT state, count(*) AS n FROM hcp_profiles WHERE source = 'generated' GROUP BY 1 ORDER BY 2 DESC, 1`,
  );
  const stateDeclared = new Map(pop.states.map((s, i) => [s.code, pop.stateWeights[i] ?? 0]));
  const states = st.map((x) => ({
    state: str(x.state),
    hcps: num(x.n),
    observed: num(x.n) / (generatedHcps || 1),
    declared: stateDeclared.get(str(x.state)) ?? 0,
  }));

  return {
    counts,
    generatedHcps,
    mixes,
    deciles,
    lorenz,
    months,
    channelByMonth,
    stimuliPerHcpMonth,
    stimuliBuckets,
    funnel,
    lagBuckets,
    lags,
    rx,
    lift,
    scoreHistogram,
    segments,
    regions,
    states,
  };
}
