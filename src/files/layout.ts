// Where a file output's rows go, as pure functions of the plan and the shard, so that the same inputs give the
// same files on any machine, whatever --workers or --chunk-size: which HCPs a shard holds, where each table's
// files start (file boundaries fall on HCP ids, sized from the plan's expected rows per HCP), the files' names,
// and the run key that says which manifests belong to one run.
import { createHash } from 'node:crypto';
import type { Plan, TableName } from '../plan/types.js';
import type { FileFormat } from './views.js';

export interface Shard {
  /** 1-based. */
  index: number;
  count: number;
}

/** Rows a file holds at most (about 80 row groups): stimuli files come out at ~100-130 MB of zstd Parquet. */
export const ROWS_PER_FILE = 9_830_400;

/** Shard K of N holds HCPs floor((K-1) H / N) + 1 .. floor(K H / N): contiguous, disjoint, together 1..H. */
export function shardRange(hcps: number, shard: Shard): { from: number; to: number } {
  return {
    from: Math.floor(((shard.index - 1) * hcps) / shard.count) + 1,
    to: Math.floor((shard.index * hcps) / shard.count),
  };
}

/** HCPs per file of a table: ROWS_PER_FILE over the plan's expected rows per HCP. */
export function hcpsPerFile(plan: Plan, table: TableName): number {
  const perHcp = plan.expected[table] / Math.max(1, plan.params.hcps);
  return Math.max(1, Math.floor(ROWS_PER_FILE / Math.max(perHcp, 1e-9)));
}

/** The HCP ids where a new file of `table` starts inside from..to (the first file starts at `from`). */
export function fileBreaks(plan: Plan, table: TableName, from: number, to: number): number[] {
  const step = hcpsPerFile(plan, table);
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
