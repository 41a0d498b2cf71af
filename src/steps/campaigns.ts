// Step 3: campaigns. Campaign #i depends only on (seed, i) and the window, so a run with more campaigns
// keeps campaigns 1..N identical. Active windows are whole months, clamped to the generation window.
import type { Plan } from '../plan/types.js';
import { fieldKey, KeyedRng } from '../random/keyed.js';
import { sample } from '../random/distributions.js';
import { pickIndex } from './choice.js';
import type { TableBatch } from '../tables/batch.js';
import { columnIndex } from '../tables/model.js';
import { CAMPAIGNS } from '../tables/tables.js';
import { parseDate, MS_PER_DAY } from '../time/calendar.js';

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

const C = columnIndex(CAMPAIGNS);

/** campaigns rows, for generated and fixture campaigns alike. */
export function addCampaignRows(b: TableBatch, campaigns: readonly CampaignRow[]): void {
  for (const c of campaigns) {
    const r = b.row();
    b.setNum(C.id, r, c.id);
    b.setText(C.name, r, c.name);
    b.setText(C.campaign_type, r, c.type);
    b.setText(C.product, r, c.product);
    b.setList(C.channels, r, c.channels);
    b.setList(C.target_specialties, r, c.specialties);
    b.setList(C.target_tiers, r, c.tiers);
    b.setList(C.target_segments, r, c.segments);
    b.setNum(C.start_date, r, parseDate(c.startDate) / MS_PER_DAY);
    b.setNum(C.end_date, r, parseDate(c.endDate) / MS_PER_DAY);
  }
}
