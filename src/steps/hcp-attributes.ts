// The attributes of HCP #k (specialty, credential, geography, volume, decile, tier, segment), drawn from
// one keyed stream per HCP. Shared by the hcp_profiles step and by the compiler, which samples the same
// model to derive decile thresholds and expected volumes, so the plan and the data cannot disagree.
import type { Plan } from '../plan/types.js';
import { fieldKey, KeyedRng } from '../random/keyed.js';
import { sample } from '../random/distributions.js';
import { choiceFor, pickIndex, pickValue } from './choice.js';

export interface HcpAttributes {
  specialtyIndex: number;
  credential: string;
  stateIndex: number;
  cityIndex: number;
  /** Baseline monthly TRx (all products), after the specialty multiplier. */
  volume: number;
  decile: number;
  tier: string;
  segment: string;
}

export type PopulationPlan = Plan['population'];

const ATTR_FIELD = fieldKey('hcp', 'attributes');

/** Decile 1..10 of a volume given the nine ascending equal-volume thresholds. */
export function decileOf(volume: number, bounds: readonly number[]): number {
  let d = 1;
  while (d <= bounds.length && volume >= (bounds[d - 1] as number)) d++;
  return d;
}

/**
 * Draws HCP #id's attributes. The draw order is fixed: new attributes must be appended at the end, or every
 * existing HCP would change. `bounds` may be empty while the compiler is still deriving them.
 */
export function drawAttributes(
  pop: PopulationPlan,
  seedK: number,
  id: number,
  rng: KeyedRng = new KeyedRng(),
  bounds: readonly number[] = pop.decileBounds,
): HcpAttributes {
  rng.reset(seedK, ATTR_FIELD, id);
  const specialtyIndex = pickIndex(pop.specialtyWeights, rng.next());
  const specialty = pop.specialties[specialtyIndex]!;
  const credential = pickValue(
    choiceFor(pop.credential, byValue(pop.credential.by, specialty.code)),
    rng.next(),
  );
  const stateIndex = pickIndex(pop.stateWeights, rng.next());
  const state = pop.states[stateIndex]!;
  const cityIndex = pickIndex(state.cityWeights, rng.next());
  const volume = Math.max(0, sample(pop.prescribingVolume, rng)) * specialty.trxMultiplier;
  const decile = bounds.length === 9 ? decileOf(volume, bounds) : 0;
  const context = { specialty: specialty.code, credential, region: state.region, state: state.code, decile };
  const tier = pickValue(choiceFor(pop.tier, lookup(pop.tier.by, context)), rng.next());
  const segment = pickValue(choiceFor(pop.segment, lookup(pop.segment.by, context, tier)), rng.next());
  return { specialtyIndex, credential, stateIndex, cityIndex, volume, decile, tier, segment };
}

/** The IANA zone of an HCP: its city's, where the scenario gives one, else its state's. */
export function hcpTimeZone(pop: PopulationPlan, a: { stateIndex: number; cityIndex: number }): string {
  const state = pop.states[a.stateIndex]!;
  return state.cities[a.cityIndex]?.timeZone ?? state.timeZone;
}

function byValue(by: string | undefined, specialtyCode: string): string | undefined {
  return by === 'specialty' ? specialtyCode : undefined;
}

interface Context {
  specialty: string;
  credential: string;
  region: string;
  state: string;
  decile: number;
}

function lookup(by: string | undefined, ctx: Context, tier?: string): string | undefined {
  switch (by) {
    case undefined:
      return undefined;
    case 'decile':
      return String(ctx.decile);
    case 'tier':
      return tier;
    case 'specialty':
    case 'credential':
    case 'region':
    case 'state':
      return ctx[by];
    default:
      return undefined;
  }
}
