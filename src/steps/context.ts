// Everything a chunk of HCPs needs that is the same for every HCP: keys, pre-normalised tables, the
// campaign list and its eligibility index, compiled samplers, and lazily a seeded faker instance. Built once
// per worker from the plan; never shared mutable state between HCPs (each HCP re-keys its own streams).
import type { Plan } from '../plan/types.js';
import { fieldKey, KeyedRng, seedKey } from '../random/keyed.js';
import { compileDistribution, type Sampler } from '../random/distributions.js';
import { RendezvousPool } from '../random/rendezvous.js';
import { buildCampaigns, type Campaign } from './campaigns.js';
import { monthDays, type MonthDays } from './month-days.js';

export const FIELD = {
  faker: fieldKey('hcp', 'faker'),
  profile: fieldKey('hcp', 'profile'),
  territory: fieldKey('hcp', 'territory'),
  territoryJump: fieldKey('hcp', 'territory-jump'),
  stimuliMonth: fieldKey('stimuli', 'month'),
  outcome: fieldKey('outcomes', 'response'),
  rx: fieldKey('rx_history', 'month'),
  rep: fieldKey('reps', 'name'),
} as const;

export interface GenerationContext {
  plan: Plan;
  seedK: number;
  rng: KeyedRng;
  channelWeights: number[];
  campaigns: Campaign[];
  /** Per window month: its days split into weekdays and weekend days. */
  days: MonthDays[];
  /** Stimulus-count sampler per (tier, month). */
  stimulusSampler(tier: string, month: number): Sampler;
  /**
   * Campaign pools for one targeting class (specialty, tier, segment), indexed month * channels + channel;
   * an entry is null when no campaign is eligible. Cached: there are few classes.
   */
  campaignPools(specialty: string, tier: string, segment: string): (RendezvousPool | null)[];
}

export function createContext(plan: Plan): GenerationContext {
  const seedK = seedKey(plan.params.seed);
  const campaigns = buildCampaigns(plan, seedK);
  const samplers = new Map<string, Sampler>();
  const poolsByClass = new Map<string, (RendezvousPool | null)[]>();
  const days = plan.window.months.map((m) => monthDays(m));

  return {
    plan,
    seedK,
    rng: new KeyedRng(),
    channelWeights: plan.channels.map((c) => c.weight),
    campaigns,
    days,
    stimulusSampler(tier, month) {
      const key = `${tier}|${month}`;
      let s = samplers.get(key);
      if (!s) {
        const mean =
          plan.stimuli.perHcpMonth *
          (plan.stimuli.intensityByTier[tier] ?? 1) *
          (plan.stimuli.monthFactors[month] ?? 0);
        s = compileDistribution({ type: 'negative_binomial', mean, dispersion: plan.stimuli.dispersion });
        samplers.set(key, s);
      }
      return s;
    },
    campaignPools(specialty, tier, segment) {
      const key = `${specialty}|${tier}|${segment}`;
      let pools = poolsByClass.get(key);
      if (pools === undefined) {
        const targeted = campaigns.filter(
          (c) =>
            (c.specialties === null || c.specialties.includes(specialty)) &&
            (c.tiers === null || c.tiers.includes(tier)) &&
            (c.segments === null || c.segments.includes(segment)),
        );
        pools = [];
        for (let month = 0; month < plan.window.months.length; month++) {
          for (const channel of plan.channels) {
            const list = targeted
              .filter((c) => c.firstMonth <= month && month <= c.lastMonth && c.channels.includes(channel.id))
              .map((c) => ({ id: c.id }));
            pools.push(list.length > 0 ? new RendezvousPool(list, plan.params.seed, 'campaign') : null);
          }
        }
        poolsByClass.set(key, pools);
      }
      return pools;
    },
  };
}
