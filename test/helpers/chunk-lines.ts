// A chunk's rows of one table as CSV lines (chunks generated with encoding 'csv'), and a batch's rows as CSV
// lines (src/tables/encode-csv.ts: the file sink's encoding, the same values as the binary COPY tuples).
import type { HcpTable } from '../../src/steps/chunk.js';
import type { ChunkResult } from '../../src/steps/chunk-encode.js';
import type { BatchData } from '../../src/tables/batch.js';
import { encodeCsv } from '../../src/tables/encode-csv.js';
import { tableDef } from '../../src/tables/tables.js';

function lines(bytes: Uint8Array): string[] {
  const csv = new TextDecoder().decode(bytes);
  return csv.length > 0 ? csv.trimEnd().split('\n') : [];
}

export function chunkLines(chunk: ChunkResult, table: HcpTable): string[] {
  const data = chunk.data[table];
  if (!(data instanceof Uint8Array)) return batchLines(data);
  return lines(data);
}

export function batchLines(batch: BatchData): string[] {
  return lines(encodeCsv(tableDef(batch.table), batch));
}
