// A chunk's batches turned into the bytes a sink loads: PostgreSQL binary COPY tuples (both database targets)
// or CSV lines (file output, tests). Runs in the worker that generated the chunk, so encoding is as parallel as
// generation, and only bytes cross to the main thread.
import { transferables, type BatchData } from '../tables/batch.js';
import { encodeCopyBinary } from '../tables/encode-copy.js';
import { encodeCsv } from '../tables/encode-csv.js';
import { tableDef } from '../tables/tables.js';
import { HCP_TABLES, type ChunkBatches, type HcpTable } from './chunk.js';

/** binary COPY tuples, CSV lines, or the batches as they are (for a sink that encodes them itself). */
export type ChunkEncoding = 'copy-binary' | 'csv' | 'batch';

export interface ChunkResult {
  from: number;
  to: number;
  /** Whole rows per table in the chunk's encoding: bare binary COPY tuples, CSV lines without a header, or batches. */
  data: Record<HcpTable, Uint8Array | BatchData>;
  rows: Record<HcpTable, number>;
}

/** Bytes per row of each table, for sizing buffers up front. */
const ROW_BYTES: Record<HcpTable, number> = {
  hcp_profiles: 240,
  territory_assignments: 140,
  stimuli: 64,
  outcomes: 80,
  rx_history: 48,
  engagement_scores: 110,
};

export function encodeBatch(batch: BatchData, encoding: Exclude<ChunkEncoding, 'batch'>): Uint8Array {
  const def = tableDef(batch.table);
  const perRow = ROW_BYTES[batch.table as HcpTable] ?? 128;
  return encoding === 'csv' ? encodeCsv(def, batch, perRow) : encodeCopyBinary(def, batch, perRow);
}

export function encodeChunk(
  from: number,
  to: number,
  batches: ChunkBatches,
  encoding: ChunkEncoding,
): ChunkResult {
  const data = {} as Record<HcpTable, Uint8Array | BatchData>;
  const rows = {} as Record<HcpTable, number>;
  for (const t of HCP_TABLES) {
    const batch = batches[t].data();
    data[t] = encoding === 'batch' ? batch : encodeBatch(batch, encoding);
    rows[t] = batches[t].rows;
  }
  return { from, to, data, rows };
}

/** The buffers of a chunk result to transfer to another thread instead of copying them. */
export function chunkTransferables(result: ChunkResult): ArrayBuffer[] {
  return Object.values(result.data).flatMap((d) =>
    d instanceof Uint8Array ? [d.buffer as ArrayBuffer] : transferables(d),
  );
}
