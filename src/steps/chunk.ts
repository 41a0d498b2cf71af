// One pass over a range of HCP ids produces the rows of every per-HCP table (all steps but campaigns, which
// is one small table generated up front). Each HCP is generated from its own keyed streams, in the order of
// the seven steps: profile, territories, stimuli, outcomes, Rx, engagement score. Rows go into one columnar
// batch per table (src/tables/batch.ts); the sink's encoder turns them into bytes (src/steps/chunk-encode.ts).
import type { TableName } from '../plan/types.js';
import type { GenerationContext } from './context.js';
import { drawAttributes, hcpTimeZone } from './hcp-attributes.js';
import { addHcpProfile } from './hcp-profiles.js';
import { addTerritoryRows, drawTerritories } from './territory-assignments.js';
import { drawStimuli, type Stimulus } from './stimuli.js';
import { drawOutcomes, type Outcome } from './outcomes.js';
import { drawRx, type RxRow } from './rx-history.js';
import { scoreEngagement, type EngagementScore } from './engagement-scores.js';
import { TableBatch } from '../tables/batch.js';
import { columnIndex } from '../tables/model.js';
import {
  ENGAGEMENT_SCORES,
  HCP_PROFILES,
  OUTCOMES,
  RX_HISTORY,
  STIMULI,
  TERRITORY_ASSIGNMENTS,
} from '../tables/tables.js';
import { MS_PER_DAY } from '../time/calendar.js';

export type HcpTable = Exclude<TableName, 'campaigns'>;

/** The tables a chunk of HCPs fills, in load order. */
export const HCP_TABLES: readonly HcpTable[] = [
  'hcp_profiles',
  'territory_assignments',
  'stimuli',
  'outcomes',
  'rx_history',
  'engagement_scores',
];

export type ChunkBatches = Record<HcpTable, TableBatch>;

const S = columnIndex(STIMULI);
const O = columnIndex(OUTCOMES);
const R = columnIndex(RX_HISTORY);
const E = columnIndex(ENGAGEMENT_SCORES);

/** Empty batches for a chunk of `n` HCPs, sized from the plan, with the plan's vocabularies as dictionaries. */
export function chunkBatches(ctx: GenerationContext, n: number): ChunkBatches {
  const { plan } = ctx;
  const months = plan.window.months.length;
  const perHcp = plan.stimuli.perHcpMonth * months;
  const channels = plan.channels.map((c) => c.id);
  const outcomeTypes = [...new Set(plan.channels.flatMap((c) => c.outcomes.map((o) => o.type)))];
  return {
    hcp_profiles: new TableBatch(HCP_PROFILES, n),
    territory_assignments: new TableBatch(TERRITORY_ASSIGNMENTS, Math.ceil(n * 2)),
    stimuli: new TableBatch(STIMULI, Math.ceil(n * perHcp * 1.3) + 16).dictionary(S.channel, channels),
    outcomes: new TableBatch(OUTCOMES, Math.ceil(n * perHcp * 0.35) + 16)
      .dictionary(O.outcome_type, outcomeTypes)
      .dictionary(O.channel, channels),
    rx_history: new TableBatch(RX_HISTORY, n * months * plan.products.length).dictionary(
      R.product,
      plan.products.map((p) => p.id),
    ),
    engagement_scores: new TableBatch(ENGAGEMENT_SCORES, n).dictionary(
      E.engagement_segment,
      plan.engagement.segments.map((s) => s.name),
    ),
  };
}

/** Generates HCPs from..to (inclusive) into fresh batches. */
export function generateChunk(ctx: GenerationContext, from: number, to: number): ChunkBatches {
  const { plan } = ctx;
  const b = chunkBatches(ctx, to - from + 1);
  const outcomeCode = new Map(
    (b.outcomes.columns[O.outcome_type] as { dict: string[] }).dict.map((t, i) => [t, i]),
  );
  for (let id = from; id <= to; id++) {
    const attrs = drawAttributes(plan.population, ctx.seedK, id, ctx.rng);
    addHcpProfile(b.hcp_profiles, ctx, id, attrs);
    const territory = drawTerritories(ctx, id, attrs);
    addTerritoryRows(b.territory_assignments, ctx, id, attrs, territory);
    const stimuli = drawStimuli(ctx, id, attrs, true, territory);
    addStimuli(b.stimuli, id, stimuli);
    const outcomes = drawOutcomes(ctx, stimuli, timeZoneOf(ctx, attrs));
    addOutcomes(b.outcomes, id, outcomes, outcomeCode);
    addRx(b.rx_history, ctx, id, drawRx(ctx, id, attrs, stimuli));
    addEngagement(b.engagement_scores, ctx, id, scoreEngagement(ctx, stimuli, outcomes));
  }
  return b;
}

/** The IANA zone of an HCP (event times are local wall-clock times in it). */
export function timeZoneOf(ctx: GenerationContext, a: { stateIndex: number; cityIndex: number }): string {
  return hcpTimeZone(ctx.plan.population, a);
}

/** stimuli rows; the batch's channel dictionary is the plan's channel list. */
export function addStimuli(b: TableBatch, hcpId: number, stimuli: readonly Stimulus[]): void {
  // The hot loop of every run: the column arrays once, then plain stores.
  b.reserve(stimuli.length);
  const id = b.num(S.id);
  const hcp = b.num(S.hcp_id);
  const campaign = b.num(S.campaign_id);
  const channel = b.codes(S.channel);
  const at = b.num(S.occurred_at);
  let r = b.rowsAdded(stimuli.length);
  for (const s of stimuli) {
    id[r] = s.id;
    hcp[r] = hcpId;
    campaign[r] = s.campaignId ?? NaN;
    channel[r] = s.channel;
    at[r] = s.ms;
    b.setText(S.rep_id, r, s.repId);
    b.setText(S.rep_role, r, s.repRole);
    r++;
  }
}

/** outcomes rows; `codes` maps outcome types to the batch's dictionary codes (others are looked up). */
export function addOutcomes(
  b: TableBatch,
  hcpId: number,
  outcomes: readonly Outcome[],
  codes: ReadonlyMap<string, number>,
): void {
  for (const o of outcomes) {
    const r = b.row();
    b.setNum(O.id, r, o.id);
    b.setNum(O.stimulus_id, r, o.stimulus.id);
    b.setNum(O.hcp_id, r, hcpId);
    const code = codes.get(o.type);
    if (code === undefined) b.setText(O.outcome_type, r, o.type);
    else b.setCode(O.outcome_type, r, code);
    b.setCode(O.channel, r, o.stimulus.channel);
    b.setNum(O.occurred_at, r, o.ms);
  }
}

export function addRx(b: TableBatch, ctx: GenerationContext, hcpId: number, rows: readonly RxRow[]): void {
  const months = ctx.plan.window.months;
  b.reserve(rows.length);
  const hcp = b.num(R.hcp_id);
  const month = b.num(R.month);
  const product = b.codes(R.product);
  const nrx = b.num(R.nrx);
  const trx = b.num(R.trx);
  const nbrx = b.num(R.nbrx);
  let r = b.rowsAdded(rows.length);
  for (const x of rows) {
    hcp[r] = hcpId;
    month[r] = months[x.month]!.startMs / MS_PER_DAY;
    product[r] = x.product;
    nrx[r] = x.nrx;
    trx[r] = x.trx;
    nbrx[r] = x.nbrx;
    r++;
  }
}

export function addEngagement(
  b: TableBatch,
  ctx: GenerationContext,
  hcpId: number,
  e: EngagementScore,
): void {
  const r = b.row();
  b.setNum(E.hcp_id, r, hcpId);
  b.setNum(E.as_of, r, Math.floor(ctx.plan.window.endMs / MS_PER_DAY) - 1);
  b.setNum(E.stimuli_count, r, e.stimuliCount);
  b.setNum(E.response_count, r, e.responseCount);
  b.setNum(E.response_rate, r, e.responseRate);
  b.setNum(E.last_stimulus_at, r, e.lastStimulusMs ?? NaN);
  b.setNum(E.recency_days, r, e.recencyDays ?? NaN);
  b.setNum(E.frequency_90d, r, e.frequency90d);
  b.setNum(E.score, r, e.score);
  b.setText(E.engagement_segment, r, e.segment);
}
