// Worker thread: draws a plan's reference models (src/validation/model/reference-models.ts) and posts them.
import { parentPort, workerData } from 'node:worker_threads';
import type { Plan } from '../../plan/types.js';
import { drawReferenceModels } from './reference-models.js';

const { plan } = workerData as { plan: Plan };
parentPort!.postMessage(drawReferenceModels(plan));
