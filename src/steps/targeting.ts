// Targeting: who is on the brand's target list (hcp_profiles.is_target) and, per targeting class of HCP, the
// stimulus intensity and the channel mix of each window month. A class is everything the multipliers look at
// (the attributes named by stimuli.intensity / channel_mix, the target flag, whether the HCP has a rep of the
// secondary role); there are few classes, so the mixes are computed once per class and cached.
import type { Plan, TargetingAttribute } from '../plan/types.js';
import type { HcpAttributes } from './hcp-attributes.js';
import { normalise } from './choice.js';

/** Whether HCP attributes match the plan's target rule (every HCP, when the scenario declares none). */
export function isTarget(plan: Plan, a: HcpAttributes): boolean {
  const t = plan.targeting;
  if (!t.declared) return true;
  const specialty = plan.population.specialties[a.specialtyIndex]!.code;
  return (
    (t.specialties === null || t.specialties.includes(specialty)) &&
    (t.tiers === null || t.tiers.includes(a.tier)) &&
    (t.segments === null || t.segments.includes(a.segment))
  );
}

/** The value of one targeting attribute, as the scenario's cases spell it. */
export function attributeValue(
  plan: Plan,
  a: HcpAttributes,
  by: TargetingAttribute,
  target: boolean,
): string {
  const pop = plan.population;
  switch (by) {
    case 'specialty':
      return pop.specialties[a.specialtyIndex]!.code;
    case 'credential':
      return a.credential;
    case 'region':
      return pop.states[a.stateIndex]!.region;
    case 'state':
      return pop.states[a.stateIndex]!.code;
    case 'decile':
      return String(a.decile);
    case 'tier':
      return a.tier;
    case 'segment':
      return a.segment;
    case 'target':
      return String(target);
  }
}

/** An HCP's stimulus-count multiplier: its tier's (normalised) factor times every matching intensity factor. */
export function intensityOf(plan: Plan, a: HcpAttributes, target: boolean): number {
  let x = plan.stimuli.intensityByTier[a.tier] ?? 1;
  for (const f of plan.stimuli.intensity) x *= f.factors[attributeValue(plan, a, f.by, target)] ?? 1;
  return x;
}

/**
 * Channel weights (normalised; all zero when no channel is open to the HCP) per window month for one HCP:
 * the declared weights times the channel's seasonality, times every matching channel_mix multiplier; channels
 * delivered by a role the HCP has no rep of, and rep channels for non-targets (unless allowed), get none.
 */
export function channelWeightsOf(
  plan: Plan,
  a: HcpAttributes,
  target: boolean,
  hasSecondary: boolean,
): number[][] {
  const base = plan.channels.map((c) => {
    let w = c.weight;
    if (c.repRole === 'secondary' && !hasSecondary) w = 0;
    if (c.repDelivered && !target && !plan.targeting.repCallsToNonTargets) w = 0;
    for (const mix of plan.stimuli.channelMix) {
      w *= mix.cases[attributeValue(plan, a, mix.by, target)]?.[c.id] ?? 1;
    }
    return w;
  });
  return plan.window.months.map((_, m) => {
    const w = base.map((x, c) => x * plan.channels[c]!.monthFactors[m]!);
    return w.some((x) => x > 0) ? normalise(w) : w;
  });
}

/** The cache key of an HCP's targeting class: the values every multiplier and rule looks at. */
export function classKey(plan: Plan, a: HcpAttributes, target: boolean, hasSecondary: boolean): string {
  let key = `${a.tier}|${target ? 1 : 0}|${hasSecondary ? 1 : 0}`;
  for (const f of plan.stimuli.intensity) key += `|${attributeValue(plan, a, f.by, target)}`;
  for (const f of plan.stimuli.channelMix) key += `|${attributeValue(plan, a, f.by, target)}`;
  return key;
}
