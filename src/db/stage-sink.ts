// The database sink: rows as binary COPY tuples into the key-less staging tables of a regeneration (both the
// PostgreSQL and the embedded target load binary). Each table's chunks are buffered and COPYed in statements
// of a few MB: few statements, bounded memory.
import type { TableName } from '../plan/types.js';
import type { Sink, SinkRows } from '../generate/sink.js';
import { columnNames } from '../tables/tables.js';
import type { Stage } from './swap.js';

/** COPY a table's buffered rows once this many bytes have built up. */
const FLUSH_BYTES = 4 * 1024 * 1024;

export class StageSink implements Sink {
  /** The encoding of every StageSink: known before the stage exists, so chunks can be started early. */
  static readonly ENCODING = 'copy-binary' as const;
  readonly encoding = StageSink.ENCODING;
  private readonly buffers = new Map<TableName, { data: Uint8Array[]; bytes: number }>();

  constructor(private readonly stage: Stage) {}

  async write(rows: SinkRows): Promise<void> {
    if (!(rows.data instanceof Uint8Array)) throw new Error('StageSink takes encoded rows');
    let b = this.buffers.get(rows.table);
    if (!b) this.buffers.set(rows.table, (b = { data: [], bytes: 0 }));
    b.data.push(rows.data);
    b.bytes += rows.data.length;
    if (b.bytes >= FLUSH_BYTES) await this.flush(rows.table);
  }

  async finish(): Promise<void> {
    for (const table of this.buffers.keys()) await this.flush(table);
  }

  private async flush(table: TableName): Promise<void> {
    const b = this.buffers.get(table);
    if (!b || b.data.length === 0) return;
    const data = b.data;
    b.data = [];
    b.bytes = 0;
    await this.stage.copyFrom(table, columnNames(table), data, 'binary');
  }
}
