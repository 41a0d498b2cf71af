// The file sink: each table's rows into files under a (temporary) output directory, Parquet or CSV, one file
// after another at the layout's HCP boundaries (src/files/layout.ts). CSV files take the CSV lines the workers
// encoded; Parquet files take the batches themselves and DuckDB encodes them (src/files/parquet-file.ts), on its
// own threads, while the next rows are generated. A Parquet file is written as parts (one row group each, so
// DuckDB stages one part at a time) that are joined into the file once its last part is written
// (src/files/parquet-concat.ts). Every file is written under its final name inside the temporary directory; the
// caller moves the whole set into place once it is complete.
import { createHash } from 'node:crypto';
import { closeSync, openSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';
import type { DuckDBInstance } from '@duckdb/node-api';
import type { TableName } from '../plan/types.js';
import { TABLES } from '../plan/types.js';
import type { Sink, SinkRows } from '../generate/sink.js';
import type { BatchData } from '../tables/batch.js';
import { csvHeader } from '../tables/encode-csv.js';
import { tableDef } from '../tables/tables.js';
import { dataFileName, type Shard } from './layout.js';
import { concatParquet } from './parquet-concat.js';
import { ParquetTableFile } from './parquet-file.js';
import type { ManifestFile } from './manifest-read.js';
import type { FileFormat } from './views.js';
import { makeDirs } from '../lib/make-dirs.js';

interface TableFile {
  readonly rows: number;
  /** No more rows will come (releases what appending needs). */
  seal(): void;
  append(data: Uint8Array | BatchData, rows: number): void;
  /** Writes what is left and closes; resolves to the file's size and SHA-256. */
  close(): Promise<{ bytes: number; sha256: string }>;
}

class CsvTableFile implements TableFile {
  rows = 0;
  private bytes = 0;
  private readonly fd: number;
  private readonly hash = createHash('sha256');

  constructor(file: string, table: TableName) {
    this.fd = openSync(file, 'wx');
    this.put(csvHeader(tableDef(table)));
  }

  append(data: Uint8Array | BatchData, rows: number): void {
    if (!(data instanceof Uint8Array)) throw new Error('CSV files take encoded rows');
    this.put(data);
    this.rows += rows;
  }

  private put(bytes: Uint8Array): void {
    let done = 0;
    while (done < bytes.length) done += writeSync(this.fd, bytes, done);
    this.hash.update(bytes);
    this.bytes += bytes.length;
  }

  seal(): void {}

  close(): Promise<{ bytes: number; sha256: string }> {
    closeSync(this.fd);
    return Promise.resolve({ bytes: this.bytes, sha256: this.hash.digest('hex') });
  }
}

/** A Parquet file as parts: one staged in DuckDB at a time, each written (COPY) while the next is staged. */
class ParquetFile implements TableFile {
  private current: ParquetTableFile | null = null;
  private readonly parts: string[] = [];
  private done = 0;

  private constructor(
    private readonly db: DuckDBInstance,
    private readonly absolute: string,
    private readonly table: TableName,
    private readonly name: string,
  ) {}

  static async open(
    db: DuckDBInstance,
    absolute: string,
    table: TableName,
    name: string,
  ): Promise<ParquetFile> {
    const f = new ParquetFile(db, absolute, table, name);
    await f.startPart();
    return f;
  }

  get rows(): number {
    return this.done + (this.current?.rows ?? 0);
  }

  /** Starts staging the next part. */
  async startPart(): Promise<void> {
    // A connection per part: a finished part's COPY runs on DuckDB's threads while the next is appended to.
    const con = await this.db.connect();
    const part = `${this.absolute}.part-${String(this.parts.length).padStart(5, '0')}`;
    this.parts.push(part);
    this.current = await ParquetTableFile.open(
      con,
      tableDef(this.table),
      part,
      `${this.name}_${this.parts.length}`,
    );
  }

  append(data: Uint8Array | BatchData): void {
    if (data instanceof Uint8Array) throw new Error('Parquet files take batches');
    this.current!.append(data);
  }

  seal(): void {
    this.current?.seal();
  }

  /** Writes the part being staged (resolves when its COPY is done); startPart() may follow at once. */
  endPart(): Promise<void> {
    const part = this.current!;
    this.current = null;
    part.seal();
    this.done += part.rows;
    return part.close();
  }

  /** Joins the written parts into the file (every endPart() must have resolved). */
  async close(): Promise<{ bytes: number; sha256: string }> {
    try {
      return await concatParquet(this.parts, this.absolute);
    } finally {
      for (const p of this.parts) rmSync(p, { force: true });
    }
  }
}

export interface FileSinkOptions {
  /** The directory files are written into (the run's temporary directory). */
  dir: string;
  format: FileFormat;
  shard: Shard;
  /** Per HCP table: the HCP ids where its next file starts. */
  breaks: Record<TableName, readonly number[]>;
  /** Parquet, per HCP table: the HCP ids where the next part of a file starts (file starts included or not). */
  partBreaks?: Record<TableName, readonly number[]>;
  /** Whether this shard holds the campaigns (shard 1). */
  shared: boolean;
  /** The DuckDB instance that writes Parquet (format parquet). */
  duckdb?: DuckDBInstance;
}

export class FileSink implements Sink {
  readonly encoding: 'csv' | 'batch';

  /** What the workers encode rows as for a format: CSV text, or the batches Parquet is written from. */
  static encodingFor(format: FileFormat): 'csv' | 'batch' {
    return format === 'csv' ? 'csv' : 'batch';
  }
  /** Every file written, in table and part order, once finish() resolved. */
  readonly files: ManifestFile[] = [];
  private readonly open = new Map<TableName, { file: TableFile; path: string }>();
  private readonly parts = new Map<TableName, number>();
  private readonly breaks: Map<TableName, Set<number>>;
  private readonly partBreaks: Map<TableName, Set<number>>;

  private opened = 0;
  /** The file being written (Parquet: DuckDB's COPY), if any. */
  private pending: Promise<void> = Promise.resolve();

  constructor(private readonly options: FileSinkOptions) {
    this.encoding = FileSink.encodingFor(options.format);
    this.breaks = new Map(TABLES.map((t) => [t, new Set(options.breaks[t] ?? [])]));
    this.partBreaks = new Map(TABLES.map((t) => [t, new Set(options.partBreaks?.[t] ?? [])]));
    for (const t of TABLES) makeDirs(path.join(options.dir, t));
  }

  async write(rows: SinkRows): Promise<void> {
    const current = this.open.get(rows.table);
    const starts = rows.firstHcp !== null && this.breaks.get(rows.table)!.has(rows.firstHcp);
    if (current && starts) await this.close(rows.table);
    else if (current?.file instanceof ParquetFile && this.partBreaks.get(rows.table)!.has(rows.firstHcp!)) {
      await this.nextPart(current.file);
    }
    const target = this.open.get(rows.table) ?? (await this.next(rows.table));
    target.file.append(rows.data, rows.rows);
  }

  async finish(): Promise<void> {
    // Every table has at least one file (an empty one says "no rows", with the schema): HCP tables in every
    // shard, campaigns in the shard that holds them.
    for (const t of TABLES) {
      if (t === 'campaigns' && !this.options.shared) continue;
      if (!this.open.has(t) && !this.parts.has(t)) await this.next(t);
    }
    for (const t of [...this.open.keys()]) await this.close(t);
    await this.pending;
    const order = new Map(TABLES.map((t, i) => [t, i]));
    this.files.sort(
      (a, b) =>
        order.get(a.table as TableName)! - order.get(b.table as TableName)! || (a.path < b.path ? -1 : 1),
    );
  }

  /** Closes everything still open after a failure (the caller deletes the directory). */
  async abandon(): Promise<void> {
    for (const t of [...this.open.keys()]) await this.close(t).catch(() => undefined);
    await this.pending.catch(() => undefined);
  }

  private async next(table: TableName): Promise<{ file: TableFile; path: string }> {
    const part = this.parts.get(table) ?? 0;
    this.parts.set(table, part + 1);
    const rel = dataFileName(table, this.options.shard, part, this.options.format);
    const absolute = path.join(this.options.dir, rel);
    const file =
      this.options.format === 'csv'
        ? new CsvTableFile(absolute, table)
        : await ParquetFile.open(this.options.duckdb!, absolute, table, `f${this.opened++}`);
    const entry = { file, path: rel };
    this.open.set(table, entry);
    return entry;
  }

  /**
   * Writes the part being staged and starts the next. One part (of any table) is written at a time while the
   * next rows are staged: writing overlaps generation, and staging memory stays bounded (one part a table, plus
   * the one being written).
   */
  private async nextPart(file: ParquetFile): Promise<void> {
    await this.pending;
    this.pending = file.endPart();
    // A failure surfaces at the next part or file, or at finish(); until then it must not count as unhandled.
    this.pending.catch(() => undefined);
    await file.startPart();
  }

  /** Starts writing a finished file (Parquet: its last part, then the parts joined), in the same order. */
  private async close(table: TableName): Promise<void> {
    const entry = this.open.get(table);
    if (!entry) return;
    this.open.delete(table);
    await this.pending;
    const file = entry.file;
    const written = file instanceof ParquetFile ? file.endPart() : Promise.resolve();
    this.pending = written
      .then(() => file.close())
      .then(({ bytes, sha256 }) => {
        this.files.push({ table, path: entry.path, rows: file.rows, bytes, sha256 });
      });
    this.pending.catch(() => undefined);
  }
}
