// The model's reference samples: what a scenario implies, measured on data the generator itself makes from the
// plan under a fixed reference seed of its own (never the run's seed), so a run is compared with an independent
// draw of the same model. Two samples:
//
// - a population sample of POPULATION_SAMPLE HCPs' attributes (cheap: no events), for the mixes of
//   hcp_profiles that have no closed form (tier, segment, decile, target shares);
// - a simulated run of SIMULATED_HCPS HCPs through the very steps a worker runs (src/steps/chunk.ts), for the
//   event tables, where capacity, holidays, one-a-day moves, censoring at --as-of and the engagement lift make a
//   closed form impractical. The run's plan is kept whole but for its size: rep pools are scaled so each rep
//   carries the load it has in the run (the capacity rule depends on it), fixtures are left out.
import type { Plan, PlanRegion } from '../../plan/types.js';
import { KeyedRng, seedKey } from '../../random/keyed.js';
import { drawAttributes, type HcpAttributes } from '../../steps/hcp-attributes.js';
import { createContext } from '../../steps/context.js';
import { generateChunk, type ChunkBatches } from '../../steps/chunk.js';

/** The reference draws' seed: fixed, so a scenario's expectations do not move with --seed. */
export const REFERENCE_SEED = 0x0de1_5eed;
export const POPULATION_SAMPLE = 60_000;
export const SIMULATED_HCPS = 4_000;

export interface Reference {
  /** The population sample's attributes. */
  population: HcpAttributes[];
  /** The simulated run's plan (the run's, resized) and its rows, HCP ids 1..simulated. */
  plan: Plan;
  simulated: number;
  /** Attributes of simulated HCP #k at index k - 1. */
  simulatedAttributes: HcpAttributes[];
  batches: ChunkBatches;
}

/** The reference samples of a plan (drawn once per plan: src/validation/model/reference-models.ts). */
export function referenceOf(plan: Plan): Reference {
  const seedK = seedKey(REFERENCE_SEED);
  const rng = new KeyedRng();
  const population: HcpAttributes[] = [];
  for (let id = 1; id <= POPULATION_SAMPLE; id++)
    population.push(drawAttributes(plan.population, seedK, id, rng));

  const simPlan = resized(plan, SIMULATED_HCPS);
  const ctx = createContext(simPlan);
  const batches = generateChunk(ctx, 1, SIMULATED_HCPS);
  const simulatedAttributes: HcpAttributes[] = [];
  for (let id = 1; id <= SIMULATED_HCPS; id++)
    simulatedAttributes.push(drawAttributes(simPlan.population, ctx.seedK, id, rng));
  return { population, plan: simPlan, simulated: SIMULATED_HCPS, simulatedAttributes, batches };
}

/** The plan at another size and the reference seed: rep pools scaled to keep each rep's load. */
function resized(plan: Plan, hcps: number): Plan {
  const scale = hcps / Math.max(1, plan.params.hcps);
  const scaleReps = (r: PlanRegion): PlanRegion => ({
    ...r,
    reps: Math.max(1, Math.round(r.reps * scale)),
    secondaryReps: Math.max(1, Math.round(r.secondaryReps * scale)),
  });
  const { fixtures: _fixtures, ...rest } = plan;
  return {
    ...rest,
    params: { ...plan.params, seed: REFERENCE_SEED, hcps },
    population: { ...plan.population, regions: plan.population.regions.map(scaleReps) },
  };
}
