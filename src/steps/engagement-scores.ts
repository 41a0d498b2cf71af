// Step 7: aggregations. One engagement score per HCP as of the window end, from recency (exponential decay
// with the scenario's half-life), frequency (stimuli in the last 90 days against a saturation level) and
// response (response rate against a saturation rate), weighted as the scenario says, on a 0..100 scale.
import type { GenerationContext } from './context.js';
import type { Outcome } from './outcomes.js';
import type { Stimulus } from './stimuli.js';
import { MS_PER_DAY } from '../time/calendar.js';

export interface EngagementScore {
  stimuliCount: number;
  responseCount: number;
  responseRate: number;
  lastStimulusMs: number | null;
  recencyDays: number | null;
  frequency90d: number;
  score: number;
  segment: string;
}

export function scoreEngagement(
  ctx: GenerationContext,
  stimuli: readonly Stimulus[],
  outcomes: readonly Outcome[],
): EngagementScore {
  const e = ctx.plan.engagement;
  const endMs = ctx.plan.window.endMs;
  const last = stimuli.length > 0 ? stimuli[stimuli.length - 1]!.ms : null;
  const recencyDays = last === null ? null : Math.floor((endMs - last) / MS_PER_DAY);
  const since = endMs - 90 * MS_PER_DAY;
  let frequency90d = 0;
  for (let i = stimuli.length - 1; i >= 0 && stimuli[i]!.ms >= since; i--) frequency90d++;
  const responseRate = stimuli.length > 0 ? outcomes.length / stimuli.length : 0;

  const recency = recencyDays === null ? 0 : 0.5 ** (recencyDays / e.recencyHalfLifeDays);
  const frequency = Math.min(1, frequency90d / e.frequencySaturation90d);
  const response = Math.min(1, responseRate / e.responseSaturation);
  const w = e.weights;
  const total = w.recency + w.frequency + w.response;
  const score =
    total > 0 ? (100 * (w.recency * recency + w.frequency * frequency + w.response * response)) / total : 0;
  const rounded = Math.round(score * 100) / 100;
  const segment =
    e.segments.find((s) => rounded >= s.minScore)?.name ?? e.segments[e.segments.length - 1]!.name;
  return {
    stimuliCount: stimuli.length,
    responseCount: outcomes.length,
    responseRate: Math.round(responseRate * 10_000) / 10_000,
    lastStimulusMs: last,
    recencyDays,
    frequency90d,
    score: rounded,
    segment,
  };
}
