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
 * What a Parquet file may stage in DuckDB before it is written (DuckDB's COPY writes a whole file from a staged
 * table; measured: with files of ~10M rows, 1M HCPs needed more than 1 GiB, and a disk-backed staging database
 * did not evict staged rows in time). Rows per Parquet file = this over the table's staged bytes per row.
 */
export const PARQUET_STAGE_BYTES = 48 * 2 ** 20;

/** Bytes a row of the table takes staged in DuckDB: 8 per number, 2 per dictionary code, ~32 per string. */
export function stagedBytesPerRow(table: TableName): number {
  return tableDef(table).columns.reduce((sum, c) => {
    const kind = columnKind(c);
    return sum + (kind === 'num' ? 8 : kind === 'dict' ? 2 : kind === 'str' ? 32 : 64);
  }, 0);
}

/** Rows a file of the table holds at most in this format. */
export function rowsPerFile(table: TableName, format: FileFormat): number {
  return format === 'csv' ? ROWS_PER_FILE : Math.floor(PARQUET_STAGE_BYTES / stagedBytesPerRow(table));
}

/** HCPs per file of a table: rows per file over the plan's expected rows per HCP. */
export function hcpsPerFile(plan: Plan, table: TableName, format: FileFormat): number {
  const perHcp = plan.expected[table] / Math.max(1, plan.params.hcps);
  return Math.max(1, Math.floor(rowsPerFile(table, format) / Math.max(perHcp, 1e-9)));
}

/** The HCP ids where a new file of `table` starts inside from..to (the first file starts at `from`). */
export function fileBreaks(
  plan: Plan,
  table: TableName,
  from: number,
  to: number,
  format: FileFormat,
): number[] {
  const step = hcpsPerFile(plan, table, format);
  const out: number[] = [];
  for (let b = from + step; b <= to; b += step) out.push(b);
  return out;
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
