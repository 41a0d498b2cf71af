// The promotion part of compile(): targeting (the target rule, intensity and channel-mix multipliers), the
// channels' own seasonality, and the rep rules (capacity, over-capacity channel), checked against the scenario
// and normalised against the compiler's fixed sample of the population model, so that the default volumes
// (stimuli per HCP, outcomes) stay what per_hcp_month and the channel rates promise.
import type { Scenario } from './scenario-types.js';
import type { Plan, PlanChannel, TargetingAttribute, WindowMonth } from '../plan/types.js';
import type { WindowMonth as CalendarWindowMonth } from '../time/calendar.js';
import type { HcpAttributes } from '../steps/hcp-attributes.js';
import { channelWeightsOf, classKey, intensityOf, isTarget } from '../steps/targeting.js';

type Fail = (pointer: string, message: string, hint?: string) => void;

export interface Promotion {
  targeting: Plan['targeting'];
  intensity: Plan['stimuli']['intensity'];
  channelMix: Plan['stimuli']['channelMix'];
  intensityByTier: Record<string, number>;
  /** Population count of each intensity multiplier in the model sample. */
  intensityCounts: Map<number, number>;
  /** Each channel's expected share of all stimuli (targeting and channel mixes included). */
  channelShares: number[];
  overCapacityChannel: number;
}

/** A channel's weight multiplier per window month: its seasonality, normalised over the calendar year. */
export function channelMonthFactors(
  seasonality: Record<string, number> | undefined,
  months: readonly CalendarWindowMonth[],
): number[] {
  const seasonal = (m: number): number => seasonality?.[String(m)] ?? 1;
  let mean = 0;
  for (let m = 1; m <= 12; m++) mean += seasonal(m) / 12;
  return months.map((m) => (mean > 0 ? seasonal(Number(m.ym.slice(5, 7))) / mean : 1));
}

export function compilePromotion(
  scenario: Scenario,
  channels: PlanChannel[],
  population: Plan['population'],
  months: readonly CalendarWindowMonth[],
  sampled: readonly HcpAttributes[],
  fail: Fail,
): Promotion {
  const ids = channels.map((c) => c.id);
  scenario.channels.forEach((c, i) => {
    if (c.in_person && !c.rep_delivered) {
      fail(
        `/channels/${i}/in_person`,
        `channel ${c.id} is in_person but not rep_delivered`,
        'set rep_delivered: true',
      );
    }
    if (c.rep_role && !c.rep_delivered) {
      fail(
        `/channels/${i}/rep_role`,
        `channel ${c.id} names a rep_role but is not rep_delivered`,
        'set rep_delivered: true',
      );
    }
  });

  // The channel an in-person call becomes when its rep's day is full: rep-delivered, remote, and open at
  // every hour an in-person call can be at (the call keeps its time).
  const inPerson = channels.filter((c) => c.inPerson);
  const covers = (c: PlanChannel): boolean =>
    inPerson.every((p) => c.hours.start <= p.hours.start && c.hours.end >= p.hours.end);
  let overCapacityChannel = -1;
  const named = scenario.territories.over_capacity_channel;
  if (named !== undefined) {
    const c = channels.find((x) => x.id === named);
    if (!c) {
      fail(
        '/territories/over_capacity_channel',
        `over_capacity_channel ${JSON.stringify(named)} is not a declared channel`,
        `use one of: ${ids.join(', ')}`,
      );
    } else if (!c.repDelivered || c.inPerson) {
      fail(
        '/territories/over_capacity_channel',
        `over_capacity_channel ${named} must be rep_delivered and not in_person`,
      );
    } else if (!covers(c)) {
      fail(
        '/territories/over_capacity_channel',
        `over_capacity_channel ${named}'s hours do not cover the in-person channels' hours`,
        'widen its hours',
      );
    } else overCapacityChannel = c.index;
  } else {
    overCapacityChannel = channels.find((c) => c.repDelivered && !c.inPerson && covers(c))?.index ?? -1;
  }

  const rule = scenario.targeting;
  const codes = new Set(population.specialties.map((s) => s.code));
  for (const [j, code] of (rule?.target.specialties ?? []).entries()) {
    if (!codes.has(code))
      fail(
        `/targeting/target/specialties/${j}`,
        `specialty ${code} is not declared under population.specialties`,
      );
  }
  const targeting: Plan['targeting'] = {
    declared: rule !== undefined,
    specialties: rule?.target.specialties ? [...rule.target.specialties] : null,
    tiers: rule?.target.tiers ? [...rule.target.tiers] : null,
    segments: rule?.target.segments ? [...rule.target.segments] : null,
    repCallsToNonTargets: rule?.rep_calls_to_non_targets ?? false,
  };
  const intensity = (scenario.stimuli.intensity ?? []).map((f) => ({
    by: f.by as TargetingAttribute,
    factors: { ...f.factors },
  }));
  const channelMix = (scenario.stimuli.channel_mix ?? []).map((f, i) => {
    for (const [value, mult] of Object.entries(f.cases)) {
      for (const id of Object.keys(mult)) {
        if (!ids.includes(id)) {
          fail(
            `/stimuli/channel_mix/${i}/cases/${value}`,
            `channel_mix names channel ${JSON.stringify(id)}, which is not declared`,
            `use one of: ${ids.join(', ')}`,
          );
        }
      }
    }
    return { by: f.by as TargetingAttribute, cases: structuredClone(f.cases) };
  });

  // Normalise the count multipliers so their population mean is 1 (the default keeps ~40 stimuli a year).
  const raw = scenario.stimuli.intensity_by_tier;
  const planMonths = months as unknown as WindowMonth[];
  const partial = (intensityByTier: Record<string, number>): Plan =>
    ({
      population,
      targeting,
      channels,
      window: { months: planMonths },
      stimuli: { intensityByTier, intensity, channelMix },
    }) as unknown as Plan;
  const rawPlan = partial({ ...raw });
  let meanIntensity = 0;
  for (const a of sampled) meanIntensity += intensityOf(rawPlan, a, isTarget(rawPlan, a)) / sampled.length;
  const intensityByTier: Record<string, number> = {};
  for (const tier of new Set([...Object.keys(raw), ...sampled.map((a) => a.tier)])) {
    intensityByTier[tier] = (raw[tier] ?? 1) / (meanIntensity || 1);
  }
  const plan = partial(intensityByTier);

  // Expected channel shares: each sampled HCP's annual channel mix, weighted by its intensity; the secondary
  // role's channels reach the share of HCPs that have such a rep.
  const assignments = Number(scenario.territories.assignments_per_hcp);
  // A formula (it may depend on hcps) counts as the default's quarter: this only weighs the expected mix.
  const secondaryShare = Number.isFinite(assignments) ? Math.max(0, Math.min(1, assignments - 1)) : 0.25;
  const shares = channels.map(() => 0);
  const intensityCounts = new Map<number, number>();
  const annual = new Map<string, number[]>();
  const annualOf = (a: HcpAttributes, target: boolean, hasSecondary: boolean): number[] => {
    const key = classKey(plan, a, target, hasSecondary);
    let w = annual.get(key);
    if (!w) {
      const perMonth = channelWeightsOf(plan, a, target, hasSecondary);
      w = channels.map((_, c) => perMonth.reduce((acc, m) => acc + m[c]!, 0) / Math.max(1, perMonth.length));
      annual.set(key, w);
    }
    return w;
  };
  let total = 0;
  for (const a of sampled) {
    const target = isTarget(plan, a);
    const x = intensityOf(plan, a, target);
    intensityCounts.set(x, (intensityCounts.get(x) ?? 0) + 1);
    const without = annualOf(a, target, false);
    const withSecondary = annualOf(a, target, true);
    for (let c = 0; c < channels.length; c++) {
      shares[c]! += x * ((1 - secondaryShare) * without[c]! + secondaryShare * withSecondary[c]!);
    }
    total += x;
  }
  const channelShares = shares.map((v) => (total > 0 ? v / total : 0));
  return {
    targeting,
    intensity,
    channelMix,
    intensityByTier,
    intensityCounts,
    channelShares,
    overCapacityChannel,
  };
}
