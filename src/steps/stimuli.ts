// Step 4: stimuli, the channel interactions with HCP #k. Per window month a count is drawn (negative
// binomial around per_hcp_month x tier intensity x seasonality); each stimulus gets a channel, a day (weekday
// or weekend at the channel's declared share) and a time in the channel's hours. Then, and only then, a
// campaign: the rendezvous winner among campaigns eligible for that channel, month and HCP. Because nothing
// else depends on the campaign, a run with more campaigns changes only campaign_id, and only for the share
// of stimuli the new campaigns must take.
import type { GenerationContext } from './context.js';
import { FIELD } from './context.js';
import type { HcpAttributes } from './hcp-attributes.js';
import { pickIndex } from './choice.js';

export interface Stimulus {
  id: number;
  month: number;
  channel: number;
  ms: number;
  campaignId: number | null;
}

/** Stimulus ids are hcp_id * STIMULUS_ID_BASE + j (j counts the HCP's stimuli in time order from 1). */
export const STIMULUS_ID_BASE = 10_000;

const HOUR_MS = 3_600_000;

export function drawStimuli(
  ctx: GenerationContext,
  hcpId: number,
  attrs: HcpAttributes,
  withCampaigns: boolean,
): Stimulus[] {
  const { plan, rng, seedK } = ctx;
  const specialty = plan.population.specialties[attrs.specialtyIndex]!.code;
  const cap = plan.stimuli.maxPerHcpMonth;
  const out: Stimulus[] = [];
  for (let m = 0; m < plan.window.months.length; m++) {
    rng.reset(seedK, FIELD.stimuliMonth, hcpId, m);
    const n = Math.min(cap, ctx.stimulusSampler(attrs.tier, m)(rng));
    if (n === 0) continue;
    const days = ctx.days[m]!;
    const monthStart = out.length;
    for (let j = 0; j < n; j++) {
      const channel = pickIndex(ctx.channelWeights, rng.next());
      const c = plan.channels[channel]!;
      const list = days.weekend.length > 0 && rng.next() < c.weekendShare ? days.weekend : days.weekdays;
      const day = list[Math.floor(rng.next() * list.length)]!;
      const seconds = Math.floor(rng.next() * (c.hours.end - c.hours.start) * 3600);
      out.push({
        id: 0,
        month: m,
        channel,
        ms: day + c.hours.start * HOUR_MS + seconds * 1000,
        campaignId: null,
      });
    }
    // Ids follow time order within the HCP; ties keep draw order (the sort is stable).
    const monthSlice = out.slice(monthStart).sort((a, b) => a.ms - b.ms);
    for (let j = 0; j < monthSlice.length; j++) out[monthStart + j] = monthSlice[j]!;
  }
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
