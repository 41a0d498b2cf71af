// Weighted choice over small, pre-normalised tables (specialties, states, tiers): a linear scan beats a
// binary search at these sizes and keeps the draw-to-value mapping obvious.
import type { CategoricalPlan, Choice } from '../plan/types.js';

/** Index chosen by uniform u in [0,1) from weights that sum to 1 (the last index absorbs rounding). */
export function pickIndex(weights: readonly number[], u: number): number {
  let acc = 0;
  const last = weights.length - 1;
  for (let i = 0; i < last; i++) {
    acc += weights[i] as number;
    if (u < acc) return i;
  }
  return last;
}

/**
 * pickIndex over a precomputed cumulative table (hot paths that pick from the same weights many times): the
 * index of the first cumulative weight above u; the last entry absorbs rounding. A table may stop at its last
 * non-zero weight, so trailing zero-weight values are never picked.
 */
export function pickCumulative(cumulative: readonly number[], u: number): number {
  const last = cumulative.length - 1;
  for (let i = 0; i < last; i++) if (u < (cumulative[i] as number)) return i;
  return last;
}

export function pickValue(choice: Choice, u: number): string {
  return choice.values[pickIndex(choice.weights, u)] as string;
}

/** The weights that apply given the value of the attribute the categorical is conditioned on. */
export function choiceFor(cat: CategoricalPlan, byValue: string | undefined): Choice {
  if (cat.by === undefined || byValue === undefined) return cat.default;
  return cat.cases[byValue] ?? cat.default;
}

/** Normalise a name -> weight map into a Choice; keys keep their declaration order. */
export function toChoice(weights: Record<string, number>): Choice {
  const values = Object.keys(weights);
  const raw = values.map((v) => weights[v] as number);
  return { values, weights: normalise(raw) };
}

export function normalise(raw: readonly number[]): number[] {
  const total = raw.reduce((a, b) => a + b, 0);
  if (!(total > 0)) throw new RangeError('weights must add up to more than 0');
  return raw.map((w) => w / total);
}
