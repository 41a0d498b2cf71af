// Everything a chunk of HCPs needs that is the same for every HCP: keys, pre-normalised tables, the
// campaign list and its eligibility index, compiled samplers, and lazily a seeded faker instance. Built once
// per worker from the plan; never shared mutable state between HCPs (each HCP re-keys its own streams).
import type { Plan } from '../plan/types.js';
import { fieldKey, KeyedRng, seedKey } from '../random/keyed.js';
import { compileDistribution, type Sampler } from '../random/distributions.js';
import { RendezvousPool } from '../random/rendezvous.js';
import { buildCampaigns, type Campaign } from './campaigns.js';
import { monthDays, type MonthDays } from './month-days.js';
import type { HcpAttributes } from './hcp-attributes.js';
import { channelWeightsOf, classKey, intensityOf, isTarget } from './targeting.js';
import { repIndex, type HcpReps, type RepIndex } from './rep-schedule.js';

export const FIELD = {
  faker: fieldKey('hcp', 'faker'),
  profile: fieldKey('hcp', 'profile'),
  territory: fieldKey('hcp', 'territory'),
  territoryJump: fieldKey('hcp', 'territory-jump'),
  stimuliMonth: fieldKey('stimuli', 'month'),
  outcome: fieldKey('outcomes', 'response'),
  rx: fieldKey('rx_history', 'month'),
  rep: fieldKey('reps', 'name'),
  identity: fieldKey('hcp', 'identity'),
} as const;

/** What the stimulus step needs of an HCP's targeting class (src/steps/targeting.ts). */
export interface HcpClass {
  target: boolean;
  /** Stimulus-count multiplier (mean 1 over the population). */
  intensity: number;
  /** Per window month: cumulative channel weights up to the last open channel; empty = no channel open. */
  cumulative: number[][];
  /** Per window month: the stimulus-count sampler at this class's intensity. */
  samplers: Sampler[];
  /** Whether any in-person rep channel is open to the class (else the capacity pre-pass skips it). */
  inPerson: boolean;
}

export interface GenerationContext {
  plan: Plan;
  seedK: number;
  /** The generated HCPs' seed key, also in the fixtures' context (which replaces seedK). */
  generatedSeedK: number;
  rng: KeyedRng;
  campaigns: Campaign[];
  /** Per window month: its days split into weekdays and weekend days. */
  days: MonthDays[];
  /** Stimulus-count sampler per (intensity multiplier, month). */
  countSampler(intensity: number, month: number): Sampler;
  /** The targeting class of an HCP (cached per class). */
  hcpClass(a: HcpAttributes, hasSecondary: boolean): HcpClass;
  /** Global rep indexes and ids. */
  reps: RepIndex;
  /** An HCP's reps from its territory draw (buckets in the region's pools). */
  hcpReps(a: HcpAttributes, t: { primary: number; secondary: number | null }): HcpReps;
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
  const days = plan.window.months.map((m) => monthDays(m, plan.holidays));
  const classes = new Map<string, HcpClass>();
  const reps = repIndex(plan);

  return {
    plan,
    seedK,
    generatedSeedK: seedK,
    rng: new KeyedRng(),
    campaigns,
    days,
    countSampler(intensity, month) {
      const key = `${intensity}|${month}`;
      let s = samplers.get(key);
      if (!s) {
        const mean = plan.stimuli.perHcpMonth * intensity * (plan.stimuli.monthFactors[month] ?? 0);
        s = compileDistribution({ type: 'negative_binomial', mean, dispersion: plan.stimuli.dispersion });
        samplers.set(key, s);
      }
      return s;
    },
    hcpClass(a, hasSecondary) {
      const target = isTarget(plan, a);
      const key = classKey(plan, a, target, hasSecondary);
      let c = classes.get(key);
      if (!c) {
        const cumulative = channelWeightsOf(plan, a, target, hasSecondary).map((w) => {
          let last = -1;
          w.forEach((x, i) => (x > 0 ? (last = i) : 0));
          let acc = 0;
          return w.slice(0, last + 1).map((x) => (acc += x));
        });
        const intensity = intensityOf(plan, a, target);
        const inPerson = plan.channels.some(
          (ch, i) =>
            ch.inPerson &&
            ch.repDelivered &&
            cumulative.some((cum) => i < cum.length && cum[i]! > (cum[i - 1] ?? 0)),
        );
        const samplers = plan.window.months.map((_, m) => this.countSampler(intensity, m));
        c = { target, intensity, cumulative, samplers, inPerson };
        classes.set(key, c);
      }
      return c;
    },
    reps,
    hcpReps(a, t) {
      const state = plan.population.states[a.stateIndex]!;
      const r = plan.population.regions.findIndex((x) => x.code === state.region);
      const region = plan.population.regions[r]!;
      const id = (team: string, b: number): string =>
        `${region.code}-${team}${String(b + 1).padStart(3, '0')}`;
      // Listed fixture reps beyond the run's pool have no capacity slot (-1) but keep their ids.
      const inPool = (b: number, n: number, start: number): number => (b < n ? start + b : -1);
      return {
        primary: inPool(t.primary, region.reps, reps.primaryStart[r]!),
        primaryId: id('R', t.primary),
        secondary:
          t.secondary === null ? -1 : inPool(t.secondary, region.secondaryReps, reps.secondaryStart[r]!),
        secondaryId: t.secondary === null ? null : id('K', t.secondary),
      };
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
