// A generation worker: builds the context from the plan once, then answers chunk requests with the rows
// of each table (CSV or binary COPY tuples, see src/steps/chunk.ts).
import { parentPort, workerData } from 'node:worker_threads';
import type { Plan } from '../plan/types.js';
import { createContext } from '../steps/context.js';
import { generateChunk } from '../steps/chunk.js';

const ctx = createContext((workerData as { plan: Plan }).plan);
parentPort!.on('message', (msg: { from: number; to: number }) => {
  const result = generateChunk(ctx, msg.from, msg.to);
  // Hand the row buffers over instead of copying them.
  parentPort!.postMessage(
    result,
    Object.values(result.data).map((bytes) => bytes.buffer as ArrayBuffer),
  );
});
