// A chunk's rows of one table as CSV lines, whichever COPY format the table is generated in: binary tuples are
// decoded to the CSV text the same values have (src/db/copy-format.ts: binaryToCsvLines).
import { binaryToCsvLines } from '../../src/db/copy-format.js';
import { BINARY_TYPES, type ChunkResult, type HcpTable } from '../../src/steps/chunk.js';

export function chunkLines(chunk: ChunkResult, table: HcpTable): string[] {
  const data = chunk.data[table];
  const types = BINARY_TYPES[table];
  if (types) return binaryToCsvLines(data, types);
  const csv = new TextDecoder().decode(data);
  return csv.length > 0 ? csv.trimEnd().split('\n') : [];
}
