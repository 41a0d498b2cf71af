// A generation worker: loads its modules as soon as it starts (before the plan exists: see PrestartedWorkers),
// builds the context when the plan arrives ('init'), then answers requests: its share of the capacity pre-pass
// (see fromWorkers in chunk-source.ts) and chunks, each with the rows of every table in the run's encoding
// (src/steps/chunk-encode.ts). Messages arrive in order, so a request may follow the init without waiting.
import { parentPort } from 'node:worker_threads';
import type { Plan } from '../plan/types.js';
import { createContext, type GenerationContext } from '../steps/context.js';
import { chunkTransferables, type ChunkEncoding } from '../steps/chunk-encode.js';
import { makeChunk, statedSetup, type StatedSetup } from './stated-chunk.js';
import { adoptCapacity, CapacityShare } from '../steps/stimuli.js';
import type { CapacityState } from '../steps/rep-schedule.js';

export type WorkerRequest =
  // stated: the chunks come with the facts the generator states about them (src/validation/stated/).
  | { kind: 'init'; plan: Plan; encoding: ChunkEncoding; stated: boolean }
  // The capacity pre-pass, split between the workers: count a range of HCPs, gather its contenders against the
  // merged counts, then adopt the merged verdict.
  | { kind: 'capacity-count'; from: number; to: number; shares: number }
  | { kind: 'capacity-gather'; total: Uint16Array }
  | { kind: 'capacity-adopt'; state: CapacityState }
  | { kind: 'chunk'; from: number; to: number };

let state: { ctx: GenerationContext; encoding: ChunkEncoding; stated: StatedSetup | undefined } | undefined;
let share: CapacityShare | undefined;
parentPort!.on('message', (msg: WorkerRequest) => {
  if (msg.kind === 'init') {
    state = {
      ctx: createContext(msg.plan),
      encoding: msg.encoding,
      stated: msg.stated ? statedSetup(msg.plan) : undefined,
    };
    return;
  }
  if (!state) throw new Error(`generation worker: ${msg.kind} requested before init`);
  switch (msg.kind) {
    case 'capacity-count':
      share = new CapacityShare(state.ctx, msg.from, msg.to, msg.shares);
      parentPort!.postMessage(share.counts());
      return;
    case 'capacity-gather':
      if (!share) throw new Error('generation worker: capacity-gather before capacity-count');
      parentPort!.postMessage(share.gather(msg.total));
      return;
    case 'capacity-adopt':
      adoptCapacity(state.ctx, msg.state);
      share = undefined;
      return;
    case 'chunk': {
      const result = makeChunk(state.ctx, msg.from, msg.to, state.encoding, state.stated);
      // Hand the row buffers over instead of copying them.
      parentPort!.postMessage(result, chunkTransferables(result));
    }
  }
});
