// Step 4: stimuli, the channel interactions with HCP #k. Per window month a count is drawn (negative
// binomial around per_hcp_month x the HCP's intensity (tier and targeting factors) x seasonality); each stimulus
// gets a channel from the HCP's targeting class mix for that month, a day (weekday or weekend at the channel's
// declared share; rep channels skip federal holidays) and a local time in the channel's hours. A rep-delivered
// stimulus is made by the HCP's rep of the channel's role. An HCP gets at most one in-person call a day (a
// colliding draw moves to the next free day of the same list), and a rep at most daily_capacity in-person calls
// a day (src/steps/rep-schedule.ts decides which calls of a full day become over-capacity calls). Then, and
// only then, a campaign: the rendezvous winner among campaigns eligible for that channel, month and HCP.
// Because nothing else depends on the campaign, a run with more campaigns changes only campaign_id, and only
// for the share of stimuli the new campaigns must take.
import type { GenerationContext } from './context.js';
import { FIELD } from './context.js';
import type { HcpAttributes } from './hcp-attributes.js';
import { drawTerritories, type TerritoryDraw } from './territory-assignments.js';
import { drawAttributes } from './hcp-attributes.js';
import {
  KeptCalls,
  RepCapacity,
  type CallRequest,
  type CapacityState,
  type HcpReps,
} from './rep-schedule.js';
import { KeyedRng } from '../random/keyed.js';
import { pickCumulative } from './choice.js';
import type { Plan } from '../plan/types.js';

export interface Stimulus {
  id: number;
  month: number;
  channel: number;
  ms: number;
  campaignId: number | null;
  /** Global rep index (src/steps/rep-schedule.ts), -1 for channels no rep delivers. */
  rep: number;
  /** The rep's id and role as territory_assignments has them; null for non-rep channels. */
  repId: string | null;
  repRole: string | null;
  /** Draw number within the HCP (before time ordering): the capacity rule's key. */
  draw: number;
}

/** Stimulus ids are hcp_id * STIMULUS_ID_BASE + j (j counts the HCP's stimuli in time order from 1). */
export const STIMULUS_ID_BASE = 10_000;

const HOUR_MS = 3_600_000;

export type { HcpReps } from './rep-schedule.js';

/** How the capacity rule treats this HCP: generated HCPs by the pre-pass verdict; fixtures are exempt. */
export type CapacityMode = 'generated' | 'fixture';

export function drawStimuli(
  ctx: GenerationContext,
  hcpId: number,
  attrs: HcpAttributes,
  withCampaigns: boolean,
  territory: TerritoryDraw,
  mode: CapacityMode = 'generated',
): Stimulus[] {
  // Before any draw: the first call runs the pre-pass on its own streams. Fixture HCPs skip the rule: the
  // generated HCPs leave room for their calls (PlanFixtures.reservedCalls).
  const capacity = mode === 'generated' ? repCapacity(ctx) : null;
  const { plan } = ctx;
  const reps = ctx.hcpReps(attrs, territory);
  const drawn = drawRawStimuli(ctx, hcpId, attrs, reps);
  const over = plan.territories.overCapacityChannel;
  const out: Stimulus[] = [];
  for (const s of drawn) {
    if (capacity && plan.channels[s.channel]!.inPerson && s.rep >= 0) {
      if (!capacity.keeps(hcpId, s)) {
        if (over < 0) continue;
        s.channel = over;
      }
    }
    out.push(s);
  }
  const specialty = plan.population.specialties[attrs.specialtyIndex]!.code;
  const pools = withCampaigns ? ctx.campaignPools(specialty, attrs.tier, attrs.segment) : [];
  const channels = plan.channels.length;
  for (let j = 0; j < out.length; j++) {
    const s = out[j]!;
    s.id = hcpId * STIMULUS_ID_BASE + j + 1;
    if (withCampaigns) {
      const pool = pools[s.month * channels + s.channel];
      if (pool) s.campaignId = pool.pick(s.id);
    }
  }
  return out;
}

/**
 * The draw itself, before the capacity rule and campaigns: time-ordered within each month, ids not yet set.
 * Depends only on the HCP's own streams (and the plan), never on other HCPs. `callsOnly` (the capacity
 * pre-pass): the same draws, returning only the in-person rep calls, unsorted.
 */
export function drawRawStimuli(
  ctx: GenerationContext,
  hcpId: number,
  attrs: HcpAttributes,
  reps: HcpReps,
  callsOnly = false,
): Stimulus[] {
  const { plan, rng, seedK } = ctx;
  const cls = ctx.hcpClass(attrs, reps.secondary >= 0);
  const cap = plan.stimuli.maxPerHcpMonth;
  const oneADay = !plan.stimuli.sameDayInPerson;
  const out: Stimulus[] = [];
  let draw = 0;
  for (let m = 0; m < plan.window.months.length; m++) {
    rng.reset(seedK, FIELD.stimuliMonth, hcpId, m);
    const n = Math.min(cap, cls.samplers[m]!(rng));
    const cum = cls.cumulative[m]!;
    if (n === 0 || cum.length === 0) continue;
    const days = ctx.days[m]!;
    const monthStart = out.length;
    let visited: Set<number> | null = null;
    for (let j = 0; j < n; j++) {
      const channel = pickCumulative(cum, rng.next());
      const c = plan.channels[channel]!;
      const weekday = c.repDelivered ? days.repWeekdays : days.weekdays;
      const weekend = c.repDelivered ? days.repWeekend : days.weekend;
      const list = weekend.length > 0 && rng.next() < c.weekendShare ? weekend : weekday;
      let i = Math.floor(rng.next() * list.length);
      const seconds = Math.floor(rng.next() * (c.hours.end - c.hours.start) * 3600);
      // A month part with no day of this kind (a window ending on New Year's Day leaves rep channels no
      // weekday): the stimulus cannot happen. Its draws are spent all the same, so nothing else moves.
      if (list.length === 0) {
        draw++;
        continue;
      }
      let toChannel = channel;
      if (c.inPerson && oneADay) {
        // A second in-person call on a visited day moves to the next free day of the same list (no extra
        // draws, so nothing else of the HCP changes); a month with every day visited turns it into the
        // over-capacity channel's call.
        visited ??= new Set();
        let tries = 0;
        while (visited.has(list[i]!) && tries < list.length) {
          i = (i + 1) % list.length;
          tries++;
        }
        if (visited.has(list[i]!)) toChannel = plan.territories.overCapacityChannel;
        else visited.add(list[i]!);
      }
      const day = list[i]!;
      if (toChannel < 0 || (callsOnly && (toChannel !== channel || !c.inPerson || !c.repDelivered))) {
        draw++;
        continue;
      }
      // The rep is the one of the drawn channel's role, also when the call became an over-capacity one.
      const secondary = c.repRole === 'secondary';
      out.push({
        id: 0,
        month: m,
        channel: toChannel,
        ms: day + c.hours.start * HOUR_MS + seconds * 1000,
        campaignId: null,
        rep: c.repDelivered ? (secondary ? reps.secondary : reps.primary) : -1,
        repId: c.repDelivered ? (secondary ? reps.secondaryId : reps.primaryId) : null,
        repRole: c.repDelivered
          ? secondary
            ? plan.territories.secondaryRole
            : plan.territories.primaryRole
          : null,
        draw: draw++,
      });
    }
    if (callsOnly) continue;
    // Time order within the HCP; ties keep draw order. A month holds a few stimuli, so an insertion sort in
    // place (stable: only a strictly later one moves up) beats slicing and sorting with a comparator.
    for (let j = monthStart + 1; j < out.length; j++) {
      const x = out[j]!;
      let k = j - 1;
      while (k >= monthStart && out[k]!.ms > x.ms) {
        out[k + 1] = out[k]!;
        k--;
      }
      out[k + 1] = x;
    }
  }
  return out;
}

/** One capacity verdict per plan (a worker's, or the fixtures' with their reserved calls). */
const capacities = new WeakMap<Plan, RepCapacity>();

/** The pre-pass keeps at most this many calls (20 bytes each) for its gather; beyond, it sweeps again. */
const KEPT_CALLS = 8_000_000;

/** Whether the plan has calls the capacity rule applies to (else the pre-pass is skipped). */
export function hasCapacityRule(plan: Plan): boolean {
  return plan.channels.some((c) => c.inPerson && c.repDelivered);
}

/** A verdict with nothing counted yet, keyed on the generated HCPs' seed (fixtures change ctx.seedK). */
export function emptyCapacity(ctx: GenerationContext): RepCapacity {
  const { plan } = ctx;
  return new RepCapacity(plan, ctx.reps, plan.territories.dailyCapacity, ctx.generatedSeedK);
}

/**
 * Part of the capacity pre-pass (src/steps/rep-schedule.ts): the draws of generated HCPs from..to, on streams of
 * their own so the caller's are untouched. One share covers 1..hcps when a thread runs the pre-pass alone; the
 * worker threads each take a range and the generation's main thread merges their counts and contenders
 * (src/generate/chunk-source.ts), so the pre-pass runs once per run, not once per worker.
 */
export class CapacityShare {
  private readonly cap: RepCapacity;
  // The calls are kept while they fit a budget, so the gather rarely needs a second sweep.
  private readonly kept: KeptCalls;

  /** `shares`: how many shares split the pre-pass; together they keep at most KEPT_CALLS calls (~160 MB). */
  constructor(
    private readonly ctx: GenerationContext,
    private readonly from: number,
    private readonly to: number,
    shares = 1,
  ) {
    this.kept = new KeptCalls(Math.floor(KEPT_CALLS / Math.max(1, shares)));
    this.cap = emptyCapacity(ctx);
    this.sweep((id, calls) => {
      this.cap.count(calls);
      this.kept.add(id, calls);
    });
  }

  counts(): Uint16Array {
    return this.cap.counts();
  }

  /** This share's contenders for the rep-days that the merged counts `total` put over capacity. */
  gather(total: Uint16Array): Map<number, number[]> {
    this.cap.setCounts(total);
    if (this.kept.complete) this.kept.forEach((id, calls) => this.cap.gather(id, calls));
    else this.sweep((id, calls) => this.cap.gather(id, calls));
    return this.cap.takeContenders();
  }

  private sweep(visit: (id: number, calls: readonly CallRequest[]) => void): void {
    const seedK = this.ctx.generatedSeedK;
    const own: GenerationContext = { ...this.ctx, seedK, rng: new KeyedRng() };
    const attrRng = new KeyedRng();
    for (let id = this.from; id <= this.to; id++) {
      const a = drawAttributes(own.plan.population, seedK, id, attrRng);
      const t = drawTerritories(own, id, a);
      // Classes without an open in-person channel (non-targets in the default) cannot book a rep.
      if (!own.hcpClass(a, t.secondary !== null).inPerson) continue;
      const calls = drawRawStimuli(own, id, a, own.hcpReps(a, t), true);
      if (calls.length > 0) visit(id, calls);
    }
  }
}

/** Installs a verdict reached elsewhere (merged from every worker's share) for this context's plan. */
export function adoptCapacity(ctx: GenerationContext, state: CapacityState): void {
  const cap = emptyCapacity(ctx);
  cap.adopt(state);
  capacities.set(ctx.plan, cap);
}

/** The verdict of the plan: adopted, or from a pre-pass over every generated HCP in this thread. */
export function repCapacity(ctx: GenerationContext): RepCapacity {
  const { plan } = ctx;
  let cap = capacities.get(plan);
  if (cap) return cap;
  cap = emptyCapacity(ctx);
  capacities.set(plan, cap);
  if (!hasCapacityRule(plan)) return cap;
  const share = new CapacityShare(ctx, 1, plan.params.hcps);
  cap.addCounts(share.counts());
  if (cap.anyOver()) {
    cap.addContenders(share.gather(cap.counts()));
    cap.finish();
  }
  return cap;
}
