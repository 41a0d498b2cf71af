// Chunks of generated rows, in HCP order, from worker threads (or in-process with workers = 0). Each chunk
// is a pure function of the plan and its id range, so the output is the same whatever the worker count or
// chunk size; order only matters for the progress display. At most 2 chunks per worker are in flight, which
// bounds memory whatever --hcps is.
import type { Worker } from 'node:worker_threads';
import { startModuleWorker } from '../lib/worker-thread.js';
import type { Plan } from '../plan/types.js';
import { createContext } from '../steps/context.js';
import type { ChunkEncoding } from '../steps/chunk-encode.js';
import { makeChunk, statedSetup, type GeneratedChunk } from './stated-chunk.js';
import type { WorkerRequest } from './worker.js';
import { emptyCapacity, hasCapacityRule } from '../steps/stimuli.js';

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
  /** Each chunk comes with the facts the generator states about it (GeneratedChunk.stated). */
  stated?: boolean;
  /** Stops the generation (the iteration throws the signal's reason) without waiting for the chunks in flight. */
  signal?: AbortSignal;
  /** Workers already started (their modules loading while the plan was made); more are started if needed. */
  prestarted?: PrestartedWorkers;
}

export async function* generateChunks(
  plan: Plan,
  options: ChunkSourceOptions,
): AsyncGenerator<GeneratedChunk> {
  const ranges = chunkRanges(options.from, options.to, options.chunkSize, options.breaks ?? []);
  if (options.workers <= 0) {
    const ctx = createContext(plan);
    const stated = options.stated ? statedSetup(plan) : undefined;
    for (const [from, to] of ranges) {
      options.signal?.throwIfAborted();
      yield makeChunk(ctx, from, to, options.encoding, stated);
    }
    return;
  }
  yield* fromWorkers(plan, options, ranges);
}

/**
 * `source`, started now: its first chunk requests go out at once, so rows are generated while the caller is
 * still setting up (opening the database, creating the staging schema); iterating it later yields from the
 * first chunk. Only for a source whose workers a PrestartedWorkers owns: if the result is never iterated to
 * the end, closing that pool is what stops the workers.
 */
export function startedNow<T>(source: AsyncGenerator<T>): AsyncGenerator<T> {
  const first = source.next();
  first.catch(() => undefined); // surfaced when iterated
  return (async function* (): AsyncGenerator<T> {
    const head = await first;
    if (head.done) return;
    yield head.value;
    yield* source;
  })();
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

/**
 * Generation workers started before the plan exists. A worker spends ~0.4 s loading its modules before it can
 * generate anything; started first thing, that overlaps with the main thread's own work (reading and compiling
 * the scenario, opening the database, creating the staging schema) instead of following it. The plan is sent to
 * them when generation starts; whatever is not taken by then is terminated by close().
 */
export class PrestartedWorkers {
  /** Every worker this pool started, taken or not: close() terminates them all. */
  private readonly all: Worker[] = [];
  private readonly waiting: Worker[];
  /** An error a worker raised before it was taken (while loading its modules): surfaced when it is taken. */
  private failure: Error | undefined;

  private constructor(count: number) {
    this.waiting = Array.from({ length: count }, () => this.spawn());
  }

  private spawn(): Worker {
    const w = spawnWorker();
    w.on('error', (err) => (this.failure ??= err));
    this.all.push(w);
    return w;
  }

  /**
   * The workers a run of about `hcps` HCPs will use: one per chunk up to `workers` (none for workers 0: generation
   * on the calling thread). The HCP count is what was asked for (the scenario's default is not known yet); a
   * worker too many is terminated unused.
   */
  static forRun(run: { workers: number; hcps: number; chunkSize: number }): PrestartedWorkers {
    const count = Math.min(run.workers, Math.ceil(run.hcps / Math.max(1, run.chunkSize)));
    return new PrestartedWorkers(Math.max(0, count));
  }

  /** `n` workers: the waiting ones first, then new ones, all still terminated by close(). */
  take(n: number): Worker[] {
    if (this.failure) throw this.failure;
    const taken = this.waiting.splice(0, n);
    while (taken.length < n) taken.push(this.spawn());
    return taken;
  }

  /**
   * Terminates every worker of the pool: those nobody took (a run that found its data already there, or failed
   * first) and those a chunk source still holds (one started early and then abandoned, see startedNow).
   */
  async close(): Promise<void> {
    this.waiting.length = 0;
    await Promise.all(this.all.splice(0).map((w) => w.terminate()));
  }
}

/** One request to a worker and its answer (a worker answers its requests one at a time, in order). */
function ask<T>(w: Worker, request: WorkerRequest): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onError = (err: Error): void => reject(err);
    w.once('error', onError);
    w.once('message', (result: T) => {
      w.off('error', onError);
      resolve(result);
    });
    w.postMessage(request);
  });
}

/**
 * The capacity verdict of the run (src/steps/rep-schedule.ts), from every worker's share of generated HCPs
 * 1..hcps: their counts merged here, then (if some rep-day is over capacity) their contenders for those days,
 * then the merged verdict sent to each. The verdict is the one a single pre-pass over all HCPs reaches: counts
 * add up, and the cutoffs come from sorting every contender whatever share it came from.
 */
async function sharedCapacity(plan: Plan, workers: readonly Worker[]): Promise<void> {
  const hcps = plan.params.hcps;
  const step = Math.ceil(hcps / workers.length);
  const cap = emptyCapacity(createContext(plan));
  const counts = await Promise.all(
    workers.map((w, i) =>
      ask<Uint16Array>(w, {
        kind: 'capacity-count',
        from: i * step + 1,
        to: Math.min(hcps, (i + 1) * step),
        shares: workers.length,
      }),
    ),
  );
  for (const c of counts) cap.addCounts(c);
  if (cap.anyOver()) {
    const total = cap.counts();
    const contenders = await Promise.all(
      workers.map((w) => ask<Map<number, number[]>>(w, { kind: 'capacity-gather', total })),
    );
    for (const c of contenders) cap.addContenders(c);
    cap.finish();
  }
  const adopt: WorkerRequest = { kind: 'capacity-adopt', state: cap.state() };
  for (const w of workers) w.postMessage(adopt);
}

/** A generation worker (worker.ts), loading its modules; it generates once it has been sent 'init'. */
function spawnWorker(): Worker {
  return startModuleWorker(import.meta.url, 'worker', null);
}

async function* fromWorkers(
  plan: Plan,
  options: ChunkSourceOptions,
  ranges: [number, number][],
): AsyncGenerator<GeneratedChunk> {
  const signal = options.signal;
  const count = Math.min(options.workers, ranges.length);
  const workers = options.prestarted?.take(count) ?? Array.from({ length: count }, spawnWorker);
  const pending = new Map<number, Promise<GeneratedChunk>>();
  const idle: Worker[] = [...workers];
  const queue: ((w: Worker) => void)[] = [];
  const failures: Error[] = [];
  for (const w of workers) {
    w.on('error', (err) => failures.push(err));
    const init: WorkerRequest = {
      kind: 'init',
      plan,
      encoding: options.encoding,
      stated: options.stated ?? false,
    };
    w.postMessage(init);
  }

  const acquire = (): Promise<Worker> =>
    idle.length > 0 ? Promise.resolve(idle.pop()!) : new Promise((resolve) => queue.push(resolve));
  const release = (w: Worker): void => {
    const next = queue.shift();
    if (next) next(w);
    else idle.push(w);
  };
  const run = async (index: number): Promise<GeneratedChunk> => {
    const w = await acquire();
    const [from, to] = ranges[index]!;
    try {
      return await ask<GeneratedChunk>(w, { kind: 'chunk', from, to });
    } finally {
      release(w);
    }
  };
  // The capacity pre-pass once for the run, split between the workers, instead of once in every worker.
  if (workers.length > 1 && hasCapacityRule(plan)) await unlessAborted(sharedCapacity(plan, workers), signal);

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
