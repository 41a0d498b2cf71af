// A generation worker: builds the context from the plan once, then answers chunk requests with the rows of
// each table in the run's encoding (src/steps/chunk-encode.ts).
import { parentPort, workerData } from 'node:worker_threads';
import type { Plan } from '../plan/types.js';
import { createContext } from '../steps/context.js';
import { generateChunk } from '../steps/chunk.js';
import { chunkTransferables, encodeChunk, type ChunkEncoding } from '../steps/chunk-encode.js';

const { plan, encoding } = workerData as { plan: Plan; encoding: ChunkEncoding };
const ctx = createContext(plan);
parentPort!.on('message', (msg: { kind: 'chunk'; from: number; to: number }) => {
  const result = encodeChunk(msg.from, msg.to, generateChunk(ctx, msg.from, msg.to), encoding);
  // Hand the row buffers over instead of copying them.
  parentPort!.postMessage(result, chunkTransferables(result));
});
