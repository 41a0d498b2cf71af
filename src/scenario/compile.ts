// compile(scenario, params) -> Plan: every formula evaluated at this run's --hcps/--months, every weight
// normalised, decile thresholds and expected table volumes derived. Pure: same input, same plan.
import type { Scenario } from './scenario-types.js';
import type { Problem } from './problems.js';
import { ScenarioError } from './problems.js';
import { compileFormula, FormulaError } from '../expr/formula.js';
import { mean } from '../random/distributions.js';
import { daysInMonth, parseDate, windowFor } from '../time/calendar.js';
import { marketMonths } from '../steps/market.js';
import { KeyedRng, seedKey } from '../random/keyed.js';
import { drawAttributes, type HcpAttributes } from '../steps/hcp-attributes.js';
import { holidaysBetween } from '../time/holidays.js';
import { isKnownZone, STATE_ZONES, ZONES } from '../time/zones.js';
import { channelMonthFactors, compilePromotion } from './compile-promotion.js';
import { normalise, toChoice } from '../steps/choice.js';
import { STIMULUS_ID_BASE } from '../steps/stimuli.js';
import type {
  AttributeName,
  CategoricalPlan,
  Plan,
  PlanChannel,
  PlanRegion,
  PlanState,
  PlanStep,
  RunParams,
  TableName,
} from '../plan/types.js';
import { TABLES } from '../plan/types.js';
import type { Categorical } from './scenario-types.js';

export interface ScenarioSource {
  name: string;
  file: string;
  hash: string;
  /** Position of character `offset` of the value at a JSON pointer (e.g. /campaigns/count), for errors. */
  locate?: (pointer: string, offset: number) => { line: number; col: number };
}

const DEFAULT_MAX_PER_HCP_MONTH = 200;
/** In-person calls a field rep makes in a day (industry figures: about 6-10). */
const DEFAULT_DAILY_CAPACITY = 8;
/** Weekdays in an average month (261 a year). */
const AVERAGE_BUSINESS_DAYS = 261 / 12;

/** Size of the fixed sample of the population model used for decile thresholds and tier shares. */
const MODEL_SAMPLE = 60_000;
/** The model sample has its own seed: decile thresholds belong to the scenario, not to a run's --seed. */
const MODEL_SEED = 0x5eed_dec1;

const STEP_DESCRIPTIONS: Record<TableName, string> = {
  hcp_profiles:
    'HCP profiles: specialty, credential, practice address, prescribing volume, decile, tier, segment',
  territory_assignments: 'Territory assignments: rep-to-HCP by region (primary, some secondary)',
  campaigns: 'Campaigns: type, channels, targeting rules, active window',
  stimuli: 'Stimuli: channel interactions per HCP-month, linked to an eligible active campaign',
  outcomes: 'Outcomes: the deepest response to a stimulus, after a realistic lag',
  rx_history: 'Prescribing history: NBRx/NRx/TRx per HCP, month and product, lifted by engagement',
  engagement_scores: 'Aggregations: recency, frequency and response into an engagement score',
};

export function compile(
  scenario: Scenario,
  source: ScenarioSource,
  params: RunParams,
  version: string,
): Plan {
  const problems: Problem[] = [];
  const fail = (pointer: string, message: string, hint?: string, offset = 0): void => {
    const pos = source.locate?.(pointer, offset) ?? { line: 1, col: 1 };
    problems.push({ file: source.file, line: pos.line, col: pos.col, message, ...(hint ? { hint } : {}) });
  };
  const vars = { hcps: params.hcps, months: params.months };

  /** Evaluates a formula field; whole = the result must be a whole number (a count). */
  const formula = (
    pointer: string,
    value: number | string,
    extra: Record<string, number> = {},
    whole = false,
  ): number => {
    const all = { ...vars, ...extra };
    let result: number;
    try {
      result = typeof value === 'number' ? value : compileFormula(value, Object.keys(all)).evaluate(all);
    } catch (err) {
      if (err instanceof FormulaError) {
        fail(pointer, `formula ${JSON.stringify(value)}: ${err.reason}`, undefined, err.offset);
        return NaN;
      }
      throw err;
    }
    const at = Object.entries(all)
      .map(([k, v]) => `${k}=${v}`)
      .join(', ');
    if (!Number.isFinite(result)) {
      fail(
        pointer,
        `formula ${JSON.stringify(value)} gives ${result} at ${at}`,
        'make it give a finite number',
      );
    } else if (result < 0) {
      fail(pointer, `formula ${JSON.stringify(value)} gives ${result} at ${at}, which is negative`);
    } else if (whole && !Number.isInteger(result)) {
      fail(
        pointer,
        `formula ${JSON.stringify(value)} gives ${result} at ${at}, but a whole number is needed`,
        'wrap it in round(), floor() or ceil()',
      );
    }
    return result;
  };

  const pop = scenario.population;
  const window = windowFor(params.asOf, params.months);

  // Geography: states flattened in declaration order, each knowing its region.
  const states: PlanState[] = [];
  const stateRaw: number[] = [];
  pop.regions.forEach((region, ri) => {
    region.states.forEach((state, si) => {
      // Event times are local: every state needs a zone hcpgen can convert (src/time/zones.ts).
      const zone = state.time_zone ?? STATE_ZONES[state.code];
      const at = `/population/regions/${ri}/states/${si}`;
      if (zone === undefined) {
        fail(
          `${at}/code`,
          `state ${state.code} has no known time zone`,
          'give the state a time_zone, e.g. America/Chicago',
        );
      } else if (!isKnownZone(zone)) {
        fail(
          `${at}/time_zone`,
          `time zone ${JSON.stringify(zone)} is not one hcpgen knows`,
          `use one of: ${Object.keys(ZONES).join(', ')}`,
        );
      }
      states.push({
        code: state.code,
        region: region.code,
        timeZone: zone ?? 'UTC',
        cities: state.cities.map((c, j) => {
          if (c.time_zone !== undefined && !isKnownZone(c.time_zone)) {
            fail(
              `${at}/cities/${j}/time_zone`,
              `time zone ${JSON.stringify(c.time_zone)} is not one hcpgen knows`,
              `use one of: ${Object.keys(ZONES).join(', ')}`,
            );
          }
          return { name: c.name, zip3: c.zip3, ...(c.time_zone ? { timeZone: c.time_zone } : {}) };
        }),
        cityWeights: normalise(state.cities.map((c) => c.weight ?? 1)),
      });
      stateRaw.push(state.weight);
    });
  });
  const stateWeights = normalise(stateRaw);
  const regions: PlanRegion[] = pop.regions.map((region, r) => {
    const share = states.reduce(
      (acc, s, i) => (s.region === region.code ? acc + (stateWeights[i] as number) : acc),
      0,
    );
    const reps = formula(
      '/territories/reps_per_region',
      scenario.territories.reps_per_region,
      { region_hcps: params.hcps * share },
      true,
    );
    const secondaryReps = formula(
      '/territories/secondary_reps_per_region',
      scenario.territories.secondary_reps_per_region ?? scenario.territories.reps_per_region,
      { region_hcps: params.hcps * share },
      true,
    );
    for (const [field, n] of [
      ['reps_per_region', reps],
      ['secondary_reps_per_region', secondaryReps],
    ] as const) {
      if (n === 0) fail(`/territories/${field}`, `gives 0 reps in region ${region.code} (regions/${r})`);
    }
    return { code: region.code, name: region.name, share, reps, secondaryReps };
  });

  const population: Plan['population'] = {
    specialties: pop.specialties.map((s) => ({
      code: s.code,
      name: s.name,
      trxMultiplier: s.trx_multiplier ?? 1,
    })),
    specialtyWeights: normalise(pop.specialties.map((s) => s.weight)),
    credential: categorical(pop.credential),
    regions,
    states,
    stateWeights,
    prescribingVolume: pop.prescribing_volume,
    decileBounds: [],
    tier: categorical(pop.tier),
    segment: categorical(pop.segment),
    emailDomains: [...pop.email_domains],
  };

  // Sample the population model once without deciles to find equal-volume thresholds, then again with them
  // to learn the tier mix (for normalising stimulus intensity).
  const modelSeed = seedKey(MODEL_SEED);
  const rng = new KeyedRng();
  const volumes = new Float64Array(MODEL_SAMPLE);
  for (let i = 0; i < MODEL_SAMPLE; i++)
    volumes[i] = drawAttributes(population, modelSeed, i + 1, rng, []).volume;
  population.decileBounds = equalVolumeBounds(volumes);
  const tierCounts = new Map<string, number>();
  const sampled: HcpAttributes[] = [];
  for (let i = 0; i < MODEL_SAMPLE; i++) {
    const a = drawAttributes(population, modelSeed, i + 1, rng);
    sampled.push(a);
    tierCounts.set(a.tier, (tierCounts.get(a.tier) ?? 0) + 1);
  }

  const channelTotal = scenario.channels.reduce((a, c) => a + c.weight, 0);
  const channels: PlanChannel[] = scenario.channels.map((c, index) => ({
    index,
    id: c.id,
    label: c.label,
    weight: channelTotal > 0 ? c.weight / channelTotal : 0,
    repDelivered: c.rep_delivered ?? false,
    weekendShare: c.weekend_share,
    hours: { start: c.hours.start, end: c.hours.end },
    nrxLift: c.nrx_lift ?? 0,
    outcomes: c.outcomes.map((o) => ({ type: o.type, rate: o.rate, lagHours: o.lag_hours })),
    inPerson: c.in_person ?? false,
    repRole: c.rep_delivered ? (c.rep_role ?? 'primary') : null,
    monthFactors: channelMonthFactors(c.seasonality, window.months),
  }));
  const promotion = compilePromotion(scenario, channels, population, window.months, sampled, fail);
  const { intensityByTier, channelShares, intensityCounts } = promotion;

  const campaignCount = formula('/campaigns/count', scenario.campaigns.count, {}, true);
  const perHcpMonth = formula('/stimuli/per_hcp_month', scenario.stimuli.per_hcp_month);
  const assignments = formula('/territories/assignments_per_hcp', scenario.territories.assignments_per_hcp);
  if (Number.isFinite(assignments) && (assignments < 1 || assignments > 2)) {
    fail(
      '/territories/assignments_per_hcp',
      `assignments_per_hcp is ${assignments}; it must be between 1 (primary rep only) and 2`,
    );
  }
  const maxStimuli = params.months * (scenario.stimuli.max_per_hcp_month ?? DEFAULT_MAX_PER_HCP_MONTH);
  if (maxStimuli >= STIMULUS_ID_BASE) {
    fail(
      '/stimuli/max_per_hcp_month',
      `${params.months} months x max_per_hcp_month could give an HCP ${maxStimuli} stimuli; ids allow at most ${STIMULUS_ID_BASE - 1}`,
      'lower max_per_hcp_month or --months',
    );
  }
  const productIds = scenario.products.map((p) => p.id);
  const leadId = scenario.prescribing.lead_product ?? productIds[0]!;
  if (!productIds.includes(leadId)) {
    fail(
      '/prescribing/lead_product',
      `lead_product ${JSON.stringify(leadId)} is not a declared product`,
      `declare it under products, or use one of: ${productIds.join(', ')}`,
    );
  }
  scenario.products.forEach((p, i) => {
    for (const [j, id] of (p.takes_share_from ?? []).entries()) {
      if (!productIds.includes(id) || id === p.id) {
        fail(
          `/products/${i}/takes_share_from/${j}`,
          `takes_share_from names ${JSON.stringify(id)}, which is not another declared product`,
          `use one of: ${productIds.filter((x) => x !== p.id).join(', ')}`,
        );
      }
    }
    for (const field of ['launch_date', 'exit_date'] as const) {
      const value = p[field];
      if (value === undefined) continue;
      try {
        parseDate(value);
      } catch (err) {
        fail(`/products/${i}/${field}`, (err as Error).message);
      }
    }
    if (p.launch_date && p.exit_date && p.exit_date < p.launch_date) {
      fail(`/products/${i}/exit_date`, `exit_date ${p.exit_date} is before launch_date ${p.launch_date}`);
    }
  });
  if (problems.length > 0) throw new ScenarioError(problems);

  // A month's share of activity: its seasonality (normalised over the calendar year) times its size relative
  // to an average month. Size is business days for stimuli (reps and sends work weekdays, so February is
  // short) and calendar days for prescriptions; a window that ends mid-month gets the part up to --as-of.
  const monthFactorsFor = (
    seasonality: Record<string, number> | undefined,
    size: 'business' | 'calendar',
  ): number[] => {
    const seasonal = (m: number): number => seasonality?.[String(m)] ?? 1;
    let calendarMean = 0;
    for (let m = 1; m <= 12; m++) calendarMean += seasonal(m) / 12;
    return window.months.map((m) => {
      const month = Number(m.ym.slice(5, 7));
      const relative =
        size === 'business'
          ? m.businessDays / AVERAGE_BUSINESS_DAYS
          : m.days / daysInMonth(Number(m.ym.slice(0, 4)), month);
      return (seasonal(month) / calendarMean) * relative;
    });
  };
  const stimulusMonthFactors = monthFactorsFor(scenario.stimuli.seasonality, 'business');
  const liftWeights = normalise(
    Array.from({ length: scenario.prescribing.lift_months }, (_, i) => scenario.prescribing.lift_decay ** i),
  );

  // Expected volumes. Stimuli: the per-HCP-month mean over the window; outcomes: each channel's response
  // rates, less the responses whose lag carries them past --as-of (events are spread evenly over the window).
  const hcps = params.hcps;
  const stimuliExpected = hcps * perHcpMonth * stimulusMonthFactors.reduce((a, b) => a + b, 0);
  const windowHours = (window.endMs - window.startMs) / 3_600_000;
  let responseRate = 0;
  for (const c of channels) {
    for (const o of c.outcomes) {
      const observed = 1 - Math.min(1, mean(o.lagHours) / windowHours);
      responseRate += channelShares[c.index]! * o.rate * observed;
    }
  }
  // Sampling noise of the random volumes (standard deviations), so validation can tell a small run's natural
  // scatter from real damage. Stimuli: negative-binomial months and the tier mix between HCPs.
  let perHcpMean = 0;
  let perHcpMeanSq = 0;
  let perHcpVar = 0;
  for (const [intensity, n] of intensityCounts) {
    const share = n / MODEL_SAMPLE;
    let m = 0;
    let v = 0;
    for (const f of stimulusMonthFactors) {
      const mu = perHcpMonth * intensity * f;
      m += mu;
      v += mu + (mu * mu) / scenario.stimuli.dispersion;
    }
    perHcpMean += share * m;
    perHcpMeanSq += share * m * m;
    perHcpVar += share * v;
  }
  const stimuliVar = hcps * (perHcpVar + perHcpMeanSq - perHcpMean * perHcpMean);
  const secondary = Math.max(0, assignments - 1);
  const expectedSd: Record<TableName, number> = {
    hcp_profiles: 0,
    territory_assignments: Math.sqrt(hcps * secondary * (1 - secondary)),
    campaigns: 0,
    stimuli: Math.sqrt(stimuliVar),
    outcomes: Math.sqrt(responseRate ** 2 * stimuliVar + stimuliExpected * responseRate * (1 - responseRate)),
    rx_history: 0,
    engagement_scores: 0,
  };
  const expected: Record<TableName, number> = {
    hcp_profiles: hcps,
    territory_assignments: Math.round(hcps * assignments),
    campaigns: campaignCount,
    stimuli: Math.round(stimuliExpected),
    outcomes: Math.round(stimuliExpected * responseRate),
    rx_history: hcps * params.months * scenario.products.length,
    engagement_scores: hcps,
  };
  const steps: PlanStep[] = TABLES.map((table, i) => ({
    order: i + 1,
    table,
    description: STEP_DESCRIPTIONS[table],
    expected: expected[table],
  }));

  const defaultProduct = leadId;
  const validation = scenario.validation ?? {};
  const market = marketMonths(scenario.products, window.months, scenario.prescribing.nbrx_share);
  const tolerances = Object.fromEntries(
    TABLES.map((t) => [
      t,
      // Without a scenario tolerance: exact where the plan fixes the count, 5% where a model approximates it.
      validation.table_tolerances?.[t] ?? validation.volume_tolerance ?? (expectedSd[t] === 0 ? 0 : 0.05),
    ]),
  ) as Record<TableName, number>;

  return {
    planVersion: 1,
    generatorVersion: version,
    scenario: {
      name: scenario.name,
      file: source.file,
      hash: source.hash,
      description: scenario.description,
    },
    params: { ...params },
    window: {
      start: window.start,
      end: window.end,
      startMs: window.startMs,
      endMs: window.endMs,
      months: window.months.map((m) => ({
        index: m.index,
        ym: m.ym,
        start: m.start,
        end: m.end,
        startMs: m.startMs,
        endMs: m.endMs,
        days: m.days,
        calendarMonth: Number(m.ym.slice(5, 7)),
      })),
    },
    products: scenario.products.map((p, i) => ({
      id: p.id,
      name: p.name,
      volumeShare: p.volume_share,
      uptake: market[i]!.uptake,
      ...(p.launch_date ? { launchDate: p.launch_date } : {}),
      ...(p.exit_date ? { exitDate: p.exit_date } : {}),
      available: market[i]!.available,
      monthShare: market[i]!.monthShare,
      nbrxShare: market[i]!.nbrxShare,
    })),
    population,
    territories: {
      secondaryShare: assignments - 1,
      primaryRole: scenario.territories.primary_role,
      secondaryRole: scenario.territories.secondary_role,
      dailyCapacity: scenario.territories.daily_capacity ?? DEFAULT_DAILY_CAPACITY,
      overCapacityChannel: promotion.overCapacityChannel,
    },
    targeting: promotion.targeting,
    holidays: holidaysBetween(window.startMs, window.endMs),
    channels,
    campaigns: {
      count: campaignCount,
      types: scenario.campaigns.types.map((t) => ({
        name: t.name,
        weight: t.weight,
        product: t.product ?? defaultProduct,
        channels: [...t.channels],
        specialties: t.targeting?.specialties ? [...t.targeting.specialties] : null,
        tiers: t.targeting?.tiers ? [...t.targeting.tiers] : null,
        segments: t.targeting?.segments ? [...t.targeting.segments] : null,
        durationMonths: t.duration_months,
      })),
    },
    stimuli: {
      perHcpMonth,
      dispersion: scenario.stimuli.dispersion,
      intensityByTier,
      monthFactors: stimulusMonthFactors,
      maxPerHcpMonth: scenario.stimuli.max_per_hcp_month ?? DEFAULT_MAX_PER_HCP_MONTH,
      intensity: promotion.intensity,
      channelMix: promotion.channelMix,
      sameDayInPerson: scenario.stimuli.same_day_in_person ?? false,
    },
    prescribing: {
      nrxShare: scenario.prescribing.nrx_share,
      leadProduct: productIds.indexOf(leadId),
      liftWeights,
      monthFactors: monthFactorsFor(scenario.prescribing.seasonality, 'calendar'),
    },
    engagement: {
      weights: { ...scenario.engagement.weights },
      recencyHalfLifeDays: scenario.engagement.recency_half_life_days,
      frequencySaturation90d: scenario.engagement.frequency_saturation_90d,
      responseSaturation: scenario.engagement.response_saturation,
      segments: scenario.engagement.segments
        .map((s) => ({ name: s.name, minScore: s.min_score }))
        .sort((a, b) => b.minScore - a.minScore),
    },
    steps,
    expected,
    expectedSd,
    validation: {
      tolerances,
      distributionsMinHcps: validation.distributions_min_hcps ?? 0,
      checks: [...(validation.checks ?? [])],
      ...(validation.derived ? { derived: structuredClone(validation.derived) } : {}),
    },
  };
}

function categorical(c: Categorical): CategoricalPlan {
  const cases: CategoricalPlan['cases'] = {};
  for (const [value, weights] of Object.entries(c.cases ?? {})) cases[value] = toChoice(weights);
  const plan: CategoricalPlan = { default: toChoice(c.weights), cases };
  if (c.by !== undefined) plan.by = c.by as AttributeName;
  return plan;
}

/** Nine thresholds splitting the sample into ten groups of equal total volume. */
export function equalVolumeBounds(volumes: Float64Array): number[] {
  const sorted = Float64Array.from(volumes).sort();
  let total = 0;
  for (const v of sorted) total += v;
  const bounds: number[] = [];
  let acc = 0;
  let next = 1;
  for (let i = 0; i < sorted.length && next <= 9; i++) {
    acc += sorted[i] as number;
    while (next <= 9 && acc >= (total * next) / 10) {
      bounds.push(sorted[i] as number);
      next++;
    }
  }
  while (bounds.length < 9) bounds.push(Number.POSITIVE_INFINITY);
  return bounds;
}
