// Chunks of generated rows, in HCP order, from worker threads (or in-process with workers = 0). Each chunk
// is a pure function of the plan and its id range, so the output is the same whatever the worker count or
// chunk size; order only matters for the progress display. At most 2 chunks per worker are in flight, which
// bounds memory whatever --hcps is.
import type { Worker } from 'node:worker_threads';
import { startModuleWorker } from '../lib/worker-thread.js';
import type { Plan } from '../plan/types.js';
import { createContext } from '../steps/context.js';
import { generateChunk } from '../steps/chunk.js';
import { encodeChunk, type ChunkEncoding, type ChunkResult } from '../steps/chunk-encode.js';

export interface ChunkSourceOptions {
  workers: number;
  chunkSize: number;
  /** First and last HCP id to generate. */
  from: number;
  to: number;
  /** HCP ids where a chunk must start (besides every chunkSize-th): a file sink's file boundaries. */
  breaks?: readonly number[];
  /** What each chunk's rows are encoded as (in the worker that generated them). */
  encoding: ChunkEncoding;
  /** Stops the generation (the iteration throws the signal's reason) without waiting for the chunks in flight. */
  signal?: AbortSignal;
}

export async function* generateChunks(plan: Plan, options: ChunkSourceOptions): AsyncGenerator<ChunkResult> {
  const ranges = chunkRanges(options.from, options.to, options.chunkSize, options.breaks ?? []);
  if (options.workers <= 0) {
    const ctx = createContext(plan);
    for (const [from, to] of ranges) {
      options.signal?.throwIfAborted();
      yield encodeChunk(from, to, generateChunk(ctx, from, to), options.encoding);
    }
    return;
  }
  yield* fromWorkers(plan, options.encoding, ranges, options.workers, options.signal);
}

/** from..to cut every `size` HCPs and at each break (a break starts a new range; ranges restart from it). */
export function chunkRanges(
  from: number,
  to: number,
  size: number,
  breaks: readonly number[],
): [number, number][] {
  const cuts = [...new Set(breaks)].filter((b) => b > from && b <= to).sort((a, b) => a - b);
  const ranges: [number, number][] = [];
  let start = from;
  for (const end of [...cuts, to + 1]) {
    for (let a = start; a < end; a += size) ranges.push([a, Math.min(end - 1, a + size - 1)]);
    start = end;
  }
  return ranges;
}

/**
 * `work`, or a rejection with the signal's reason as soon as it aborts. The abort listener lives only as long as
 * this one wait: racing every chunk against one long-lived "aborted" promise would make that promise hold a
 * reaction, and through it the resolved chunk, for every chunk of the run (that leaked ~4 KB of buffers per HCP).
 */
function unlessAborted<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return work;
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason as Error);
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** A generation worker (worker.ts) for this plan and encoding. */
export function startWorker(plan: Plan, encoding: ChunkEncoding): Worker {
  return startModuleWorker(import.meta.url, 'worker', { plan, encoding });
}

async function* fromWorkers(
  plan: Plan,
  encoding: ChunkEncoding,
  ranges: [number, number][],
  count: number,
  signal?: AbortSignal,
): AsyncGenerator<ChunkResult> {
  const workers = Array.from({ length: Math.min(count, ranges.length) }, () => startWorker(plan, encoding));
  const pending = new Map<number, Promise<ChunkResult>>();
  const idle: Worker[] = [...workers];
  const queue: ((w: Worker) => void)[] = [];
  const failures: Error[] = [];
  for (const w of workers) w.on('error', (err) => failures.push(err));

  const acquire = (): Promise<Worker> =>
    idle.length > 0 ? Promise.resolve(idle.pop()!) : new Promise((resolve) => queue.push(resolve));
  const release = (w: Worker): void => {
    const next = queue.shift();
    if (next) next(w);
    else idle.push(w);
  };
  const run = async (index: number): Promise<ChunkResult> => {
    const w = await acquire();
    const [from, to] = ranges[index]!;
    try {
      return await new Promise<ChunkResult>((resolve, reject) => {
        const onError = (err: Error): void => reject(err);
        w.once('error', onError);
        w.once('message', (result: ChunkResult) => {
          w.off('error', onError);
          resolve(result);
        });
        w.postMessage({ kind: 'chunk', from, to });
      });
    } finally {
      release(w);
    }
  };

  const ahead = workers.length * 2;
  // Waiting for a chunk (workers starting up, a big chunk) must not delay Ctrl-C: the finally below
  // terminates the workers mid-chunk.
  try {
    let next = 0;
    for (let i = 0; i < ranges.length; i++) {
      while (next < ranges.length && next < i + ahead) {
        const p = run(next);
        p.catch(() => undefined); // surfaced when awaited below
        pending.set(next, p);
        next++;
      }
      const result = await unlessAborted(pending.get(i)!, signal);
      pending.delete(i);
      if (failures.length > 0) throw failures[0]!;
      yield result;
    }
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
