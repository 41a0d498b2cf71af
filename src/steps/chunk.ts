// One pass over a range of HCP ids produces the rows of every per-HCP table (all steps but campaigns, which
// is one small table generated up front). Each HCP is generated from its own keyed streams, in the order of
// the seven steps: profile, territories, stimuli, outcomes, Rx, engagement score. Rows come out as CSV text
// ready for COPY, one string per table.
import type { TableName } from '../plan/types.js';
import type { GenerationContext } from './context.js';
import { drawAttributes } from './hcp-attributes.js';
import { hcpProfileRow } from './hcp-profiles.js';
import { territoryRows } from './territory-assignments.js';
import { drawStimuli } from './stimuli.js';
import { drawOutcomes } from './outcomes.js';
import { drawRx } from './rx-history.js';
import { scoreEngagement } from './engagement-scores.js';
import { formatDateTime } from '../time/calendar.js';
import { csvField } from '../db/csv.js';

export type HcpTable = Exclude<TableName, 'campaigns'>;

export const STIMULUS_COLUMNS = ['id', 'hcp_id', 'campaign_id', 'channel', 'occurred_at'] as const;
export const OUTCOME_COLUMNS = [
  'id',
  'stimulus_id',
  'hcp_id',
  'outcome_type',
  'channel',
  'occurred_at',
] as const;
export const RX_COLUMNS = ['hcp_id', 'month', 'product', 'nrx', 'trx'] as const;
export const ENGAGEMENT_COLUMNS = [
  'hcp_id',
  'as_of',
  'stimuli_count',
  'response_count',
  'response_rate',
  'last_stimulus_at',
  'recency_days',
  'frequency_90d',
  'score',
  'engagement_segment',
] as const;

export interface ChunkResult {
  from: number;
  to: number;
  csv: Record<HcpTable, string>;
  rows: Record<HcpTable, number>;
}

/** Generates HCPs from..to (inclusive). */
export function generateChunk(ctx: GenerationContext, from: number, to: number): ChunkResult {
  const { plan } = ctx;
  const channelIds = plan.channels.map((c) => csvField(c.id));
  const months = plan.window.months;
  const products = plan.products.map((p) => csvField(p.id));
  const asOf = plan.window.end;
  let hcp = '';
  let territory = '';
  let stim = '';
  let out = '';
  let rx = '';
  let eng = '';
  let nTerritory = 0;
  let nStim = 0;
  let nOut = 0;
  for (let id = from; id <= to; id++) {
    const attrs = drawAttributes(plan.population, ctx.seedK, id, ctx.rng);
    hcp += hcpProfileRow(ctx, id, attrs);
    const t = territoryRows(ctx, id, attrs);
    territory += t;
    nTerritory += countLines(t);
    const stimuli = drawStimuli(ctx, id, attrs, true);
    for (const s of stimuli) {
      stim += `${s.id},${id},${s.campaignId ?? ''},${channelIds[s.channel]},${formatDateTime(s.ms)}\n`;
    }
    nStim += stimuli.length;
    const outcomes = drawOutcomes(ctx, stimuli);
    for (const o of outcomes) {
      out += `${o.id},${o.stimulus.id},${id},${o.type},${channelIds[o.stimulus.channel]},${formatDateTime(o.ms)}\n`;
    }
    nOut += outcomes.length;
    for (const r of drawRx(ctx, id, attrs, stimuli)) {
      rx += `${id},${months[r.month]!.start},${products[r.product]},${r.nrx},${r.trx}\n`;
    }
    const e = scoreEngagement(ctx, stimuli, outcomes);
    eng +=
      `${id},${asOf},${e.stimuliCount},${e.responseCount},${e.responseRate},` +
      `${e.lastStimulusMs === null ? '' : formatDateTime(e.lastStimulusMs)},${e.recencyDays ?? ''},` +
      `${e.frequency90d},${e.score},${csvField(e.segment)}\n`;
  }
  const n = to - from + 1;
  return {
    from,
    to,
    csv: {
      hcp_profiles: hcp,
      territory_assignments: territory,
      stimuli: stim,
      outcomes: out,
      rx_history: rx,
      engagement_scores: eng,
    },
    rows: {
      hcp_profiles: n,
      territory_assignments: nTerritory,
      stimuli: nStim,
      outcomes: nOut,
      rx_history: n * months.length * products.length,
      engagement_scores: n,
    },
  };
}

function countLines(s: string): number {
  let n = 0;
  for (let i = s.indexOf('\n'); i !== -1; i = s.indexOf('\n', i + 1)) n++;
  return n;
}
