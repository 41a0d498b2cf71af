// Step 3: campaigns. Campaign #i depends only on (seed, i) and the window, so a run with more campaigns
// keeps campaigns 1..N identical. Active windows are whole months, clamped to the generation window.
import type { Plan } from '../plan/types.js';
import { fieldKey, KeyedRng } from '../random/keyed.js';
import { sample } from '../random/distributions.js';
import { pickIndex } from './choice.js';
import { csvField } from '../db/csv.js';

/** What a campaigns row holds, for generated and fixture campaigns alike. */
export interface CampaignRow {
  id: number;
  name: string;
  type: string;
  product: string;
  channels: string[];
  specialties: string[] | null;
  tiers: string[] | null;
  segments: string[] | null;
  /** 'YYYY-MM-DD', first and last active day. */
  startDate: string;
  endDate: string;
}

export interface Campaign extends CampaignRow {
  /** Window month indexes (inclusive) the campaign is active in. */
  firstMonth: number;
  lastMonth: number;
}

const CAMPAIGN_FIELD = fieldKey('campaigns', 'attributes');

export function buildCampaigns(plan: Plan, seedK: number): Campaign[] {
  const types = plan.campaigns.types;
  const total = types.reduce((a, t) => a + t.weight, 0);
  const typeWeights = types.map((t) => t.weight / total);
  const months = plan.window.months;
  const rng = new KeyedRng();
  const out: Campaign[] = [];
  for (let id = 1; id <= plan.campaigns.count; id++) {
    rng.reset(seedK, CAMPAIGN_FIELD, id);
    const type = types[pickIndex(typeWeights, rng.next())]!;
    const duration = Math.max(1, Math.round(sample(type.durationMonths, rng)));
    // A campaign may have started before the window or run past it; only its part inside the window counts.
    const start = rng.int(-(duration - 1), months.length - 1);
    const firstMonth = Math.max(0, start);
    const lastMonth = Math.min(months.length - 1, start + duration - 1);
    const first = months[firstMonth]!;
    const last = months[lastMonth]!;
    out.push({
      id,
      name: `${type.name} ${first.ym} #${id}`,
      type: type.name,
      product: type.product,
      channels: type.channels,
      specialties: type.specialties,
      tiers: type.tiers,
      segments: type.segments,
      firstMonth,
      lastMonth,
      startDate: first.start,
      endDate: last.end,
    });
  }
  return out;
}

export const CAMPAIGN_COLUMNS = [
  'id',
  'name',
  'campaign_type',
  'product',
  'channels',
  'target_specialties',
  'target_tiers',
  'target_segments',
  'start_date',
  'end_date',
] as const;

export function campaignRows(campaigns: readonly CampaignRow[]): string {
  let out = '';
  for (const c of campaigns) {
    out +=
      `${c.id},${csvField(c.name)},${csvField(c.type)},${csvField(c.product)},${csvField(c.channels)},` +
      `${csvField(c.specialties)},${csvField(c.tiers)},${csvField(c.segments)},${c.startDate},${c.endDate}\n`;
  }
  return out;
}
