// Where a file output's rows go, as pure functions of the plan and the shard, so that the same inputs give the
// same files on any machine, whatever --workers or --chunk-size: which HCPs a shard holds, where each table's
// files start (file boundaries fall on HCP ids, sized from the plan's expected rows per HCP), the files' names,
// and the run key that says which manifests belong to one run.
import { createHash } from 'node:crypto';
import type { Plan, TableName } from '../plan/types.js';
import { columnKind } from '../tables/batch.js';
import { tableDef } from '../tables/tables.js';
import type { FileFormat } from './views.js';

export interface Shard {
  /** 1-based. */
  index: number;
  count: number;
}

/** Rows a CSV file holds at most (stimuli files of ~450 MB of CSV). */
export const ROWS_PER_FILE = 9_830_400;

/** Shard K of N holds HCPs floor((K-1) H / N) + 1 .. floor(K H / N): contiguous, disjoint, together 1..H. */
export function shardRange(hcps: number, shard: Shard): { from: number; to: number } {
  return {
    from: Math.floor(((shard.index - 1) * hcps) / shard.count) + 1,
    to: Math.floor((shard.index * hcps) / shard.count),
  };
}

/**
 * What DuckDB stages of a Parquet file at a time: one part, written as one row group (DuckDB's COPY writes from a
 * staged table; measured at 1M HCPs: parts of ~10M rows needed more than 1 GiB, and a disk-backed staging
 * database did not evict staged rows in time). Rows per part = this over the table's staged bytes per row.
 */
export const PARQUET_STAGE_BYTES = 32 * 2 ** 20;

/**
 * Rows a Parquet row group holds at most, and so a part too: a part is written as one row group (at 200,000
 * HCPs, stimuli parts of ~560k rows written as three groups peaked at 879 MiB, parts of one group at 734 MiB;
 * 1,000,000 HCPs: 1,059-1,102 -> 861 MiB, in the same time). Row groups still hold >= 100k rows where the
 * stage allows it (every table but the last part of a file).
 */
export const PARQUET_ROW_GROUP_ROWS = 262_144;

/**
 * The compressed size a Parquet file is cut at (estimated from the plan, so the same on every machine): files
 * of ~100-250 MB, as warehouses load best. A file is its parts joined (src/files/parquet-concat.ts).
 */
export const PARQUET_FILE_BYTES = 192 * 2 ** 20;

/** Bytes a row of the table takes staged in DuckDB: its typed number columns, 2 per dictionary code, ~32 per string. */
export function stagedBytesPerRow(table: TableName): number {
  return tableDef(table).columns.reduce((sum, c) => {
    const kind = columnKind(c);
    if (kind === 'num')
      return sum + (c.type === 'int64' || c.type === 'timestamp' ? 8 : c.type === 'int16' ? 2 : 4);
    return sum + (kind === 'dict' ? 2 : kind === 'str' ? 32 : 64);
  }, 0);
}

/**
 * Compressed Parquet bytes per row, roughly (measured: stimuli 8.6, outcomes 10.7, profiles 35): 2.5 per 64-bit
 * number, 1.5 per narrower one, 0.5 per dictionary code, 8 per string, 16 per list. Only sizes files.
 */
export function parquetBytesPerRow(table: TableName): number {
  return tableDef(table).columns.reduce((sum, c) => {
    const kind = columnKind(c);
    if (kind === 'num') return sum + (c.type === 'int64' || c.type === 'timestamp' ? 2.5 : 1.5);
    return sum + (kind === 'dict' ? 0.5 : kind === 'str' ? 8 : 16);
  }, 0);
}

/** Rows a file of the table holds at most in this format (Parquet: rows a part holds; see partsPerFile). */
export function rowsPerFile(table: TableName, format: FileFormat, stageBytes = PARQUET_STAGE_BYTES): number {
  if (format === 'csv') return ROWS_PER_FILE;
  return Math.max(1, Math.min(PARQUET_ROW_GROUP_ROWS, Math.floor(stageBytes / stagedBytesPerRow(table))));
}

/** HCPs per file of a table (Parquet: per part): rows per file over the plan's expected rows per HCP. */
export function hcpsPerFile(
  plan: Plan,
  table: TableName,
  format: FileFormat,
  stageBytes = PARQUET_STAGE_BYTES,
): number {
  const perHcp = plan.expected[table] / Math.max(1, plan.params.hcps);
  return Math.max(1, Math.floor(rowsPerFile(table, format, stageBytes) / Math.max(perHcp, 1e-9)));
}

/** Parts a Parquet file of the table is joined from, at most: PARQUET_FILE_BYTES over a part's estimated size. */
export function partsPerFile(table: TableName, stageBytes = PARQUET_STAGE_BYTES): number {
  const partBytes = rowsPerFile(table, 'parquet', stageBytes) * parquetBytesPerRow(table);
  return Math.max(1, Math.floor(PARQUET_FILE_BYTES / partBytes));
}

/**
 * The HCP ids where a new part of `table` starts inside from..to (Parquet: a part is staged and written alone).
 * `stageBytes` replaces PARQUET_STAGE_BYTES (tests: many parts in a small run).
 */
export function partBreaks(
  plan: Plan,
  table: TableName,
  from: number,
  to: number,
  format: FileFormat,
  stageBytes = PARQUET_STAGE_BYTES,
): number[] {
  const step = hcpsPerFile(plan, table, format, stageBytes);
  const out: number[] = [];
  for (let b = from + step; b <= to; b += step) out.push(b);
  return out;
}

/** The HCP ids where a new file of `table` starts inside from..to (the first file starts at `from`). */
export function fileBreaks(
  plan: Plan,
  table: TableName,
  from: number,
  to: number,
  format: FileFormat,
  stageBytes = PARQUET_STAGE_BYTES,
): number[] {
  const parts = partBreaks(plan, table, from, to, format, stageBytes);
  if (format === 'csv') return parts;
  const every = partsPerFile(table, stageBytes);
  return parts.filter((_, i) => (i + 1) % every === 0);
}

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

/** `stimuli/part-0001-of-0004-00002.parquet`: shard, shard count, the table's file number within the shard. */
export function dataFileName(table: TableName, shard: Shard, part: number, format: FileFormat): string {
  return `${table}/part-${pad(shard.index, 4)}-of-${pad(shard.count, 4)}-${pad(part, 5)}.${format}`;
}

/** Data file names hcpgen writes (and so may replace or remove with --wipe). */
export const DATA_FILE_RE = /^part-\d{4}-of-\d{4}-\d{5}\.(parquet|csv)$/;

/** The identity of a run's file output: manifests with the same key belong together. */
export function runKey(plan: Plan, format: FileFormat, shardCount: number): string {
  const identity = {
    scenarioHash: plan.scenario.hash,
    params: plan.params,
    fixturesHash: plan.fixtures?.hash ?? null,
    generatorVersion: plan.generatorVersion,
    format,
    shardCount,
  };
  return createHash('sha256').update(JSON.stringify(identity)).digest('hex');
}
