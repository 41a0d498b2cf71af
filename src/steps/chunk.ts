// One pass over a range of HCP ids produces the rows of every per-HCP table (all steps but campaigns, which
// is one small table generated up front). Each HCP is generated from its own keyed streams, in the order of
// the seven steps: profile, territories, stimuli, outcomes, Rx, engagement score. Rows come out as CSV text
// ready for COPY, one string per table.
import type { TableName } from '../plan/types.js';
import type { GenerationContext } from './context.js';
import { drawAttributes } from './hcp-attributes.js';
import { writeHcpProfile } from './hcp-profiles.js';
import { writeTerritories } from './territory-assignments.js';
import { digitsOf, encodeField, RowWriter } from './row-writer.js';
import { drawStimuli, STIMULUS_ID_BASE } from './stimuli.js';
import { drawOutcomes } from './outcomes.js';
import { drawRx } from './rx-history.js';
import { scoreEngagement } from './engagement-scores.js';

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
  /** UTF-8 CSV rows per table (whole rows). */
  csv: Record<HcpTable, Uint8Array>;
  rows: Record<HcpTable, number>;
}

/** Constant fields encoded once per context. */
interface Encoded {
  channels: Uint8Array[];
  outcomeTypes: Uint8Array[][];
  products: Uint8Array[];
  months: Uint8Array[];
  segments: Map<string, Uint8Array>;
  asOf: Uint8Array;
}
const encodedFor = new WeakMap<GenerationContext, Encoded>();

function encoded(ctx: GenerationContext): Encoded {
  let e = encodedFor.get(ctx);
  if (!e) {
    const { plan } = ctx;
    e = {
      channels: plan.channels.map((c) => encodeField(c.id)),
      outcomeTypes: plan.channels.map((c) => c.outcomes.map((o) => encodeField(o.type))),
      products: plan.products.map((p) => encodeField(p.id)),
      months: plan.window.months.map((m) => encodeField(m.start)),
      segments: new Map(plan.engagement.segments.map((s) => [s.name, encodeField(s.name)])),
      asOf: encodeField(plan.window.end),
    };
    encodedFor.set(ctx, e);
  }
  return e;
}

/** Bytes per row of each table, for sizing buffers up front. */
const ROW_BYTES: Record<HcpTable, number> = {
  hcp_profiles: 220,
  territory_assignments: 110,
  stimuli: 60,
  outcomes: 70,
  rx_history: 40,
  engagement_scores: 90,
};

/** Generates HCPs from..to (inclusive). */
export function generateChunk(ctx: GenerationContext, from: number, to: number): ChunkResult {
  const { plan } = ctx;
  const enc = encoded(ctx);
  const n = to - from + 1;
  const perHcp = plan.stimuli.perHcpMonth * plan.window.months.length;
  const writer = (table: HcpTable, rowsPerHcp: number): RowWriter =>
    new RowWriter(Math.ceil(n * rowsPerHcp * 1.3 * ROW_BYTES[table]) + 1024);
  const hcp = writer('hcp_profiles', 1);
  const territory = writer('territory_assignments', 2);
  const stim = writer('stimuli', perHcp);
  const out = writer('outcomes', perHcp * 0.3);
  const rx = writer('rx_history', plan.window.months.length * plan.products.length);
  const eng = writer('engagement_scores', 1);
  let nTerritory = 0;
  let nStim = 0;
  let nOut = 0;
  for (let id = from; id <= to; id++) {
    const attrs = drawAttributes(plan.population, ctx.seedK, id, ctx.rng);
    writeHcpProfile(hcp, ctx, id, attrs);
    nTerritory += writeTerritories(territory, ctx, id, attrs);
    const stimuli = drawStimuli(ctx, id, attrs, true);
    // Stimulus and outcome ids are hcp_id * 10000 + j: the HCP's digits, then j in four digits.
    const idDigits = digitsOf(id);
    for (const s of stimuli) {
      stim
        .derivedId(idDigits, s.id - id * STIMULUS_ID_BASE, 4)
        .comma()
        .bytes(idDigits)
        .comma();
      if (s.campaignId !== null) stim.int(s.campaignId);
      stim.comma().bytes(enc.channels[s.channel]!).comma().dateTime(s.ms).newline();
    }
    nStim += stimuli.length;
    const outcomes = drawOutcomes(ctx, stimuli);
    for (const o of outcomes) {
      const c = o.stimulus.channel;
      const j = o.stimulus.id - id * STIMULUS_ID_BASE;
      out.derivedId(idDigits, j, 4).comma().derivedId(idDigits, j, 4).comma().bytes(idDigits).comma();
      out.text(o.type).comma();
      out.bytes(enc.channels[c]!).comma().dateTime(o.ms).newline();
    }
    nOut += outcomes.length;
    for (const r of drawRx(ctx, id, attrs, stimuli)) {
      rx.int(id).comma().bytes(enc.months[r.month]!).comma().bytes(enc.products[r.product]!).comma();
      rx.int(r.nrx).comma().int(r.trx).newline();
    }
    const e = scoreEngagement(ctx, stimuli, outcomes);
    eng.int(id).comma().bytes(enc.asOf).comma().int(e.stimuliCount).comma().int(e.responseCount).comma();
    eng.num(e.responseRate).comma();
    if (e.lastStimulusMs !== null) eng.dateTime(e.lastStimulusMs);
    eng.comma();
    if (e.recencyDays !== null) eng.int(e.recencyDays);
    eng.comma().int(e.frequency90d).comma().num(e.score).comma();
    eng.bytes(enc.segments.get(e.segment) ?? encodeField(e.segment)).newline();
  }
  return {
    from,
    to,
    csv: {
      hcp_profiles: hcp.finish(),
      territory_assignments: territory.finish(),
      stimuli: stim.finish(),
      outcomes: out.finish(),
      rx_history: rx.finish(),
      engagement_scores: eng.finish(),
    },
    rows: {
      hcp_profiles: n,
      territory_assignments: nTerritory,
      stimuli: nStim,
      outcomes: nOut,
      rx_history: n * plan.window.months.length * plan.products.length,
      engagement_scores: n,
    },
  };
}
