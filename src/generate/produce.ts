// The rows of a run (or of one shard of it) into a sink: seed-data fixtures and campaigns (the rows that belong
// to no generated HCP, written once: by the unsharded run or by shard 1), then the HCPs from..to, chunk by chunk
// from the worker threads, each chunk already encoded for the sink.
import type { Plan, TableName } from '../plan/types.js';
import { TABLES } from '../plan/types.js';
import type { SeedData } from '../fixtures/seed-data.js';
import { HCP_TABLES } from '../steps/chunk.js';
import { encodeBatch } from '../steps/chunk-encode.js';
import type { BatchData } from '../tables/batch.js';
import { tableDef } from '../tables/tables.js';
import type { StatedFacts } from '../validation/stated/merge.js';
import { campaignLookup } from '../validation/stated/group-facts.js';
import { batchFingerprint } from '../validation/stated/fingerprint.js';
import { campaignBatch, stateGroup, type GeneratedChunk, type StatedChunk } from './stated-chunk.js';
import os from 'node:os';
import { generateChunks, PrestartedWorkers, startedNow } from './chunk-source.js';
import type { Progress } from './progress.js';
import type { Sink, SinkEncoding } from './sink.js';

export interface ProduceOptions {
  workers: number;
  chunkSize: number;
  /** The HCP ids to generate (a shard's range, or 1..hcps). */
  from: number;
  to: number;
  /** Write the fixtures and campaigns too (the unsharded run and shard 1). */
  shared: boolean;
  /** HCP ids where a chunk must start (file boundaries of a file sink); chunks are cut there. */
  breaks?: readonly number[];
  signal?: AbortSignal;
  progress: Progress;
  /** Workers started before the plan was made (generate and generate --out start them first thing). */
  prestarted?: PrestartedWorkers;
  /** The chunks, when the caller started them already (chunkSource with the same options, see startedNow). */
  chunks?: AsyncGenerator<GeneratedChunk>;
  /** Chunks come with the generator's stated facts (src/validation/stated/); see `collect`. */
  stated?: boolean;
  /** Where the stated facts of every row written go (the fixtures' and campaigns' too), with `stated`. */
  collect?: StatedFacts;
}

/** HCPs per chunk handed to a worker, unless asked otherwise. Output does not depend on it. */
export const DEFAULT_CHUNK = 500;

/** How a caller asked for the work to be split (generate's and generate --out's flags). */
export interface WorkSplit {
  workers?: number | undefined;
  chunkSize?: number | undefined;
  signal?: AbortSignal | undefined;
}

/** Worker threads of a run: as asked, else one per core. */
export function workerCount(split: WorkSplit): number {
  return split.workers ?? os.availableParallelism();
}

/**
 * `run` with generation workers started now, for about `hcps` HCPs (what was asked: the scenario's default is not
 * known yet), all of them terminated when it ends: their module loading overlaps the plan (see PrestartedWorkers).
 */
export async function withWorkers<T>(
  split: WorkSplit,
  hcps: number,
  run: (prestarted: PrestartedWorkers) => Promise<T>,
): Promise<T> {
  const prestarted = PrestartedWorkers.forRun({
    workers: workerCount(split),
    hcps,
    chunkSize: split.chunkSize ?? DEFAULT_CHUNK,
  });
  try {
    return await run(prestarted);
  } finally {
    await prestarted.close();
  }
}

/** What produce() takes besides the progress and the shared rows: the chunks and how they were split. */
export type StartedChunks = Pick<
  ProduceOptions,
  'workers' | 'chunkSize' | 'from' | 'to' | 'breaks' | 'signal' | 'prestarted' | 'chunks' | 'stated'
>;

/**
 * The chunks of HCPs from..to, started at once (see startedNow): rows are generated while the caller still sets
 * up its sink (opens the database and makes the staging schema, or prepares the output directory and DuckDB).
 */
export function startChunks(
  plan: Plan,
  encoding: SinkEncoding,
  split: WorkSplit,
  prestarted: PrestartedWorkers,
  range: { from: number; to: number; breaks?: readonly number[]; stated?: boolean },
): StartedChunks {
  const options = {
    workers: workerCount(split),
    chunkSize: split.chunkSize ?? DEFAULT_CHUNK,
    prestarted,
    ...range,
    ...(split.signal ? { signal: split.signal } : {}),
  };
  return { ...options, chunks: startedNow(chunkSource(plan, encoding, options)) };
}

/** The generated chunks of a run as produce() would draw them. */
function chunkSource(
  plan: Plan,
  encoding: SinkEncoding,
  options: Omit<ProduceOptions, 'progress' | 'shared' | 'chunks' | 'collect'>,
): AsyncGenerator<GeneratedChunk> {
  return generateChunks(plan, {
    workers: options.workers,
    chunkSize: options.chunkSize,
    from: options.from,
    to: options.to,
    encoding,
    stated: options.stated ?? false,
    ...(options.breaks ? { breaks: options.breaks } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.prestarted ? { prestarted: options.prestarted } : {}),
  });
}

export async function produce(
  plan: Plan,
  seed: SeedData | null,
  sink: Sink,
  options: ProduceOptions,
): Promise<Record<TableName, number>> {
  const counts = Object.fromEntries(TABLES.map((t) => [t, 0])) as Record<TableName, number>;
  const write = async (
    table: TableName,
    rows: number,
    data: Uint8Array | BatchData,
    firstHcp: number | null,
  ): Promise<void> => {
    if (rows === 0) return;
    options.signal?.throwIfAborted();
    const t0 = performance.now();
    await sink.write({ table, rows, data, firstHcp });
    options.progress.add(table, rows, performance.now() - t0);
    counts[table] += rows;
  };
  const encode = (batch: BatchData): Uint8Array | BatchData =>
    sink.encoding === 'batch' ? batch : encodeBatch(batch, sink.encoding);
  const collect = options.collect;
  const addStated = (s: StatedChunk): void => {
    collect!.addGroup(s.facts);
    for (const t of HCP_TABLES) collect!.addFingerprint(t, s.fingerprints[t]);
  };

  if (options.shared) {
    // Fixtures first (they are not in the progress bar's HCP count), then the random data.
    const campaigns = campaignBatch(plan);
    if (seed) {
      const batches = Object.fromEntries(TABLES.map((t) => [t, seed.rows.batches[t].data()])) as Record<
        TableName,
        BatchData
      >;
      if (collect) {
        // The fixtures are one HCP-closed group; their stimuli may join fixture or generated campaigns.
        addStated(stateGroup(plan, batches, campaignLookup([campaigns, batches.campaigns])));
        collect.addFingerprint('campaigns', batchFingerprint(tableDef('campaigns'), batches.campaigns));
      }
      for (const t of TABLES) await write(t, seed.rows.rows[t], encode(batches[t]), null);
    }
    collect?.addFingerprint('campaigns', batchFingerprint(tableDef('campaigns'), campaigns));
    await write('campaigns', campaigns.rows, encode(campaigns), null);
  }
  for await (const chunk of options.chunks ?? chunkSource(plan, sink.encoding, options)) {
    options.signal?.throwIfAborted();
    if (collect) {
      if (chunk.stated) addStated(chunk.stated);
      else collect.addUnstated();
    }
    for (const table of HCP_TABLES) await write(table, chunk.rows[table], chunk.data[table], chunk.from);
    options.progress.tick();
  }
  await sink.finish();
  return counts;
}
