// A chunk as generate makes it: its rows in the sink's encoding and, when asked, the facts the generator states
// about them (src/validation/stated/): the passes' counts over the chunk's batches and each table's
// fingerprint, computed where the batches are (a worker), before they are encoded and handed over.
import type { Plan } from '../plan/types.js';
import type { GenerationContext } from '../steps/context.js';
import { generateChunk, HCP_TABLES, type HcpTable } from '../steps/chunk.js';
import { encodeChunk, type ChunkEncoding, type ChunkResult } from '../steps/chunk-encode.js';
import { addCampaignRows, buildCampaigns } from '../steps/campaigns.js';
import { seedKey } from '../random/keyed.js';
import { TableBatch, type BatchData } from '../tables/batch.js';
import { CAMPAIGNS, tableDef } from '../tables/tables.js';
import { campaignLookup, groupFacts, type GroupFacts } from '../validation/stated/group-facts.js';
import { batchFingerprint, type TableFingerprint } from '../validation/stated/fingerprint.js';

export interface StatedChunk {
  facts: GroupFacts;
  fingerprints: Record<HcpTable, TableFingerprint>;
}

export interface GeneratedChunk extends ChunkResult {
  stated?: StatedChunk;
}

/** The run's generated campaigns, as rows (what the campaigns table gets from produce()). */
export function campaignBatch(plan: Plan): BatchData {
  const b = new TableBatch(CAMPAIGNS, plan.campaigns.count);
  addCampaignRows(b, buildCampaigns(plan, seedKey(plan.params.seed)));
  return b.data();
}

/** What stating facts needs once per worker: the campaigns the chunks' stimuli join. */
export type StatedSetup = ReturnType<typeof campaignLookup>;

export function statedSetup(plan: Plan): StatedSetup {
  return campaignLookup([campaignBatch(plan)]);
}

/** The facts and fingerprints of one group of per-HCP batches. */
export function stateGroup(
  plan: Plan,
  batches: Record<HcpTable, BatchData>,
  campaigns: StatedSetup,
): StatedChunk {
  const fingerprints = {} as Record<HcpTable, TableFingerprint>;
  for (const t of HCP_TABLES) fingerprints[t] = batchFingerprint(tableDef(t), batches[t]);
  return { facts: groupFacts(plan, batches, campaigns), fingerprints };
}

/** Generates and encodes HCPs from..to; with `stated`, states the facts about them first. */
export function makeChunk(
  ctx: GenerationContext,
  from: number,
  to: number,
  encoding: ChunkEncoding,
  stated: StatedSetup | undefined,
): GeneratedChunk {
  const batches = generateChunk(ctx, from, to);
  let facts: StatedChunk | undefined;
  if (stated !== undefined) {
    const data = {} as Record<HcpTable, BatchData>;
    for (const t of HCP_TABLES) data[t] = batches[t].data();
    facts = stateGroup(ctx.plan, data, stated);
  }
  const result: GeneratedChunk = encodeChunk(from, to, batches, encoding);
  if (facts) result.stated = facts;
  return result;
}
