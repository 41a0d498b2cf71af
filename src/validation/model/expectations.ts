// What the scenario's model implies for a run of this size: per derived family and key, the expected value and
// the tolerance a correct run stays within. The tolerance is k standard deviations of sampling noise (the run's
// and the reference's), with one k for all the run's comparisons chosen so that a correct run fails any of them
// with probability at most FALSE_ALARM (Bonferroni over the comparisons, never below 4), plus a discreteness
// allowance for small counts. Shared by validation (src/validation/checks-model.ts) and `hcpgen plan`.
import type { Plan } from '../../plan/types.js';
import { DATA_HCPS, familiesFor, type Family } from './families.js';
import { modelValue, normalQuantile, spreadAt, type ModelValue } from './moments.js';
import { SIMULATED_HCPS } from './reference.js';
import { referenceModels } from './reference-models.js';
import { oncePer } from '../../lib/once-per.js';

/**
 * The family-wise false-alarm budget of the derived checks on a correct run. Small, because a run is
 * deterministic: a seed that trips a check spuriously would trip it on every rerun, in someone's CI.
 */
export const FALSE_ALARM = 0.001;
/** Below this many HCPs the normal approximations are too rough to judge by: the derived checks skip. */
export const MIN_HCPS = 500;
/** The fewest standard deviations any derived tolerance has. */
export const MIN_SIGMAS = 4;
/** Too few expected events for a normal tolerance: the key is reported as not measurable at this size. */
const MIN_EXPECTED_COUNT = 10;
/** The reference must have seen at least this many events of a key to state its value. */
const MIN_REFERENCE_COUNT = 20;

export interface KeyExpectation {
  key: string;
  /** `${family.name}.${key}` */
  name: string;
  value: ModelValue;
  /** Whether the value is exact and certain (a share of 0 or 1 the plan fixes): any deviation fails. */
  certain: boolean;
  /** Why the key is not checked at this size, if it is not. */
  unchecked?: string;
}

export interface FamilyExpectation {
  family: Family;
  keys: KeyExpectation[];
  /** What the family's data query needs of the reference. */
  params: unknown;
}

export interface Expectations {
  families: FamilyExpectation[];
  /** HCPs the data side reads (the run's generated HCPs, at most DATA_HCPS). */
  hcps: number;
  /** Standard deviations per tolerance, from the comparisons' count and FALSE_ALARM. */
  sigmas: number;
  comparisons: number;
}

/**
 * The expectations of a plan, derived once per plan object (every derived check reads them) from its reference,
 * drawn in a worker thread (src/validation/model/reference-models.ts).
 */
export const expectationsOf = oncePer((plan: Plan) => plan, derive);

async function derive(plan: Plan): Promise<Expectations> {
  const models = await referenceModels(plan);
  const hcps = Math.min(plan.params.hcps, DATA_HCPS);
  const families = familiesFor(plan).map((family): FamilyExpectation => {
    const { moments, exact, params } = models.get(family.name) ?? { moments: new Map() };
    const keys = [...moments.keys()].sort(compareKeys).map((key): KeyExpectation => {
      const m = moments.get(key)!;
      const value = modelValue(m, exact?.get(key));
      const certain = exact?.has(key) === true && value.sdPerHcp === 0;
      const expectation: KeyExpectation = { key, name: `${family.name}.${key}`, value, certain };
      const unchecked = why(family, value, certain, hcps, m.hcps, exact?.has(key) === true);
      return unchecked ? { ...expectation, unchecked } : expectation;
    });
    return { family, keys, params };
  });
  const comparisons = families.reduce(
    (a, f) => a + f.keys.filter((k) => !k.unchecked && !k.certain).length,
    0,
  );
  const sigmas = Math.max(MIN_SIGMAS, normalQuantile(FALSE_ALARM / (2 * Math.max(1, comparisons))));
  return { families, hcps, sigmas, comparisons };
}

/** Why a key cannot be judged at this size (too few expected events, or the reference saw too few). */
function why(
  family: Family,
  v: ModelValue,
  certain: boolean,
  hcps: number,
  referenceHcps: number,
  exact: boolean,
): string | undefined {
  if (!Number.isFinite(v.mean)) return 'the model has no value for it';
  const denominator = hcps * v.perHcpDenominator;
  if (certain) return denominator >= 1 ? undefined : 'no HCP of this kind is expected';
  const share = family.kind === 'share';
  const numerator = hcps * v.perHcpNumerator;
  const smaller = share ? Math.min(numerator, denominator - numerator) : numerator;
  if (!exact) {
    const refNumerator = referenceHcps * v.perHcpNumerator;
    const refDenominator = referenceHcps * v.perHcpDenominator;
    const refSmaller = share ? Math.min(refNumerator, refDenominator - refNumerator) : refNumerator;
    if (refSmaller < MIN_REFERENCE_COUNT)
      return `too rare to state (the reference of ${SIMULATED_HCPS} HCPs saw ${fmtCount(refSmaller)})`;
  }
  if (smaller < MIN_EXPECTED_COUNT) return `too rare at ${hcps} HCPs (${fmtCount(smaller)} expected)`;
  return undefined;
}

const fmtCount = (x: number): string => String(Math.round(x * 10) / 10);

/** Keys in a readable order: numbers as numbers (deciles 1..10), the rest as text. */
function compareKeys(a: string, b: string): number {
  const na = Number(a);
  const nb = Number(b);
  if (Number.isFinite(na) && Number.isFinite(nb)) return na - nb;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The tolerance around a key's value at `sigmas`, for a run reading `hcps` HCPs. */
export function toleranceOf(k: KeyExpectation, hcps: number, sigmas: number): number {
  if (k.certain) return 1e-9;
  const denominator = Math.max(1e-9, hcps * k.value.perHcpDenominator);
  // A count's distribution is skewed when small: the normal tail's (k^2 - 1) / 6 correction plus one unit.
  const discreteness = ((sigmas * sigmas - 1) / 6 + 1) / denominator;
  return sigmas * spreadAt(k.value, hcps) + discreteness;
}
