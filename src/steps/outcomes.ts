// Step 5: outcomes. Each stimulus gets at most one outcome: the deepest response reached, drawn against the
// channel's declared rates, after a lag from the outcome type's distribution. A response that would land
// after --as-of has not been observed yet, so it is not generated (as in real, censored CRM data).
// An outcome's id is its stimulus's id. Times are local wall-clock times in the HCP's zone: the lag is real
// elapsed time, added in UTC (src/time/zones.ts), so a response across a daylight-saving change is right.
import type { GenerationContext } from './context.js';
import { FIELD } from './context.js';
import type { Stimulus } from './stimuli.js';
import { sample } from '../random/distributions.js';
import { localToUtc, utcToLocal } from '../time/zones.js';

export interface Outcome {
  id: number;
  stimulus: Stimulus;
  type: string;
  ms: number;
}

export function drawOutcomes(
  ctx: GenerationContext,
  stimuli: readonly Stimulus[],
  timeZone = 'UTC',
): Outcome[] {
  const { plan, rng, seedK } = ctx;
  const endMs = plan.window.endMs;
  const out: Outcome[] = [];
  for (const s of stimuli) {
    const outcomes = plan.channels[s.channel]!.outcomes;
    if (outcomes.length === 0) continue;
    rng.reset(seedK, FIELD.outcome, s.id);
    const u = rng.next();
    let acc = 0;
    for (const o of outcomes) {
      acc += o.rate;
      if (u < acc) {
        // Whole seconds, at least one after the stimulus, so an outcome never precedes what it answers.
        const lagSeconds = Math.max(1, Math.round(sample(o.lagHours, rng) * 3600));
        const ms = utcToLocal(timeZone, localToUtc(timeZone, s.ms) + lagSeconds * 1000);
        if (ms < endMs) out.push({ id: s.id, stimulus: s, type: o.type, ms });
        break;
      }
    }
  }
  return out;
}
