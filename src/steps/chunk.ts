// One pass over a range of HCP ids produces the rows of every per-HCP table (all steps but campaigns, which
// is one small table generated up front). Each HCP is generated from its own keyed streams, in the order of
// the seven steps: profile, territories, stimuli, outcomes, Rx, engagement score. Rows come out ready for COPY,
// one byte buffer per table: CSV, except for the three big event tables, which are binary COPY tuples
// (src/db/copy-format.ts: half the server's parsing CPU).
import type { TableName } from '../plan/types.js';
import type { GenerationContext } from './context.js';
import { drawAttributes } from './hcp-attributes.js';
import { writeHcpProfile } from './hcp-profiles.js';
import { writeTerritories } from './territory-assignments.js';
import { encodeField, RowWriter } from './row-writer.js';
import {
  BinaryRowWriter,
  encodeDateField,
  encodeTextField,
  type BinaryType,
  type CopyFormat,
} from '../db/copy-format.js';
import { drawStimuli } from './stimuli.js';
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

/** The column types of the tables written as binary COPY tuples, in column order. */
export const BINARY_TYPES: Partial<Record<HcpTable, readonly BinaryType[]>> = {
  stimuli: ['int8', 'int4', 'int4', 'text', 'timestamp'],
  outcomes: ['int8', 'int8', 'int4', 'text', 'text', 'timestamp'],
  rx_history: ['int4', 'date', 'text', 'int4', 'int4'],
};

/** The COPY format of a table's chunk data. */
export function chunkFormat(table: HcpTable): CopyFormat {
  return BINARY_TYPES[table] ? 'binary' : 'csv';
}

export interface ChunkResult {
  from: number;
  to: number;
  /** Whole rows per table, in the table's chunkFormat(): UTF-8 CSV lines, or bare binary COPY tuples. */
  data: Record<HcpTable, Uint8Array>;
  rows: Record<HcpTable, number>;
}

/** Constant fields encoded once per context (binary fields for the binary tables). */
interface Encoded {
  channels: Uint8Array[];
  outcomeTypes: Map<string, Uint8Array>;
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
      channels: plan.channels.map((c) => encodeTextField(c.id)),
      outcomeTypes: new Map(
        plan.channels.flatMap((c) => c.outcomes.map((o) => [o.type, encodeTextField(o.type)])),
      ),
      products: plan.products.map((p) => encodeTextField(p.id)),
      months: plan.window.months.map((m) => encodeDateField(m.startMs)),
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
  const size = (table: HcpTable, rowsPerHcp: number): number =>
    Math.ceil(n * rowsPerHcp * 1.3 * ROW_BYTES[table]) + 1024;
  const hcp = new RowWriter(size('hcp_profiles', 1));
  const territory = new RowWriter(size('territory_assignments', 2));
  const stim = new BinaryRowWriter(size('stimuli', perHcp));
  const out = new BinaryRowWriter(size('outcomes', perHcp * 0.3));
  const rx = new BinaryRowWriter(size('rx_history', plan.window.months.length * plan.products.length));
  const eng = new RowWriter(size('engagement_scores', 1));
  let nTerritory = 0;
  let nStim = 0;
  let nOut = 0;
  for (let id = from; id <= to; id++) {
    const attrs = drawAttributes(plan.population, ctx.seedK, id, ctx.rng);
    writeHcpProfile(hcp, ctx, id, attrs);
    nTerritory += writeTerritories(territory, ctx, id, attrs);
    const stimuli = drawStimuli(ctx, id, attrs, true);
    for (const s of stimuli) {
      stim.row(5).int8(s.id).int4(id);
      if (s.campaignId !== null) stim.int4(s.campaignId);
      else stim.nul();
      stim.bytes(enc.channels[s.channel]!).timestamp(s.ms);
    }
    nStim += stimuli.length;
    const outcomes = drawOutcomes(ctx, stimuli);
    for (const o of outcomes) {
      out.row(6).int8(o.id).int8(o.stimulus.id).int4(id);
      const type = enc.outcomeTypes.get(o.type);
      if (type) out.bytes(type);
      else out.text(o.type);
      out.bytes(enc.channels[o.stimulus.channel]!).timestamp(o.ms);
    }
    nOut += outcomes.length;
    for (const r of drawRx(ctx, id, attrs, stimuli)) {
      rx.row(5).int4(id).bytes(enc.months[r.month]!).bytes(enc.products[r.product]!).int4(r.nrx).int4(r.trx);
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
    data: {
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
