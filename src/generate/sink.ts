// Where a run's rows go, behind one small interface: the PostgreSQL and embedded databases (src/db/stage-sink.ts:
// binary COPY into the staging schema) and files (src/files/file-sink.ts: Parquet or CSV). A sink says which
// encoding the worker threads should produce for it, and then receives each table's rows in order: the shared
// rows first (fixtures, campaigns), then chunk after chunk of HCPs in id order.
import type { TableName } from '../plan/types.js';
import type { BatchData } from '../tables/batch.js';

/** What the workers encode chunk rows as: binary COPY tuples, CSV lines, or the batches themselves. */
export type SinkEncoding = 'copy-binary' | 'csv' | 'batch';

export interface SinkRows {
  table: TableName;
  rows: number;
  /** Bytes in the sink's encoding, or the batch itself for a 'batch' sink. */
  data: Uint8Array | BatchData;
  /**
   * The first HCP id of the chunk these rows belong to; null for rows that belong to no generated HCP
   * (campaigns and seed-data fixtures), which always come first.
   */
  firstHcp: number | null;
}

export interface Sink {
  readonly encoding: SinkEncoding;
  write(rows: SinkRows): Promise<void>;
  /** Everything is written: flush what is buffered. */
  finish(): Promise<void>;
}
