// The reference side of every derived family for a plan, as plain data (Maps and numbers), so it can be drawn
// in a worker thread while the other checks run: the simulation of SIMULATED_HCPS HCPs costs about a second of
// CPU, which the validation's SQL would otherwise wait for.
import type { Plan } from '../../plan/types.js';
import { oncePer } from '../../lib/once-per.js';
import { startModuleWorker } from '../../lib/worker-thread.js';
import { familiesFor } from './families.js';
import { referenceOf } from './reference.js';
import {
  readCachedReference,
  referenceCache,
  writeCachedReference,
  type ReferenceModels,
} from './reference-cache.js';

export type { ReferenceModels } from './reference-cache.js';

/** Draws the references in this thread. */
export function drawReferenceModels(plan: Plan): ReferenceModels {
  const ref = referenceOf(plan);
  return new Map(familiesFor(plan).map((f) => [f.name, f.reference(plan, ref)]));
}

/**
 * The references of a plan, drawn once per plan object in a worker thread (in this thread if no worker can
 * start), unless the reference cache has them (reference-cache.ts). The first call starts the work; later calls
 * share it.
 */
export const referenceModels = oncePer(
  (plan: Plan) => plan,
  (plan: Plan): Promise<ReferenceModels> => {
    const cache = referenceCache();
    const cached = readCachedReference(plan, cache);
    if (cached) return Promise.resolve(cached);
    const p = inWorker(plan)
      .catch(() => drawReferenceModels(plan))
      .then((models) => {
        writeCachedReference(plan, models, cache);
        return models;
      });
    // Started ahead of its first await: a failure must not count as an unhandled rejection meanwhile.
    p.catch(() => undefined);
    return p;
  },
);

function inWorker(plan: Plan): Promise<ReferenceModels> {
  return new Promise((resolve, reject) => {
    const worker = startModuleWorker(import.meta.url, 'reference-worker', { plan });
    worker.once('message', (models: ReferenceModels) => {
      resolve(models);
      void worker.terminate();
    });
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the reference worker stopped (exit code ${code})`)));
  });
}
