// `scenario lint` evaluates every formula field over the whole range a run may give its variables (hcps
// 1..MAX_HCPS, months 1..MAX_MONTHS, each region's share of the HCPs), so a count that goes negative, fractional,
// NaN or infinite for some run is found before any run asks for it. compile() checks the one run it compiles;
// this checks them all. hcps is enumerated exactly up to EXACT_HCPS and geometrically (about 0.2% apart) above:
// formulas are piecewise smooth in hcps, and round() / ceil() / floor() steps are caught at the dense low end
// where they matter (the counts are small there).
import type { Scenario } from './scenario-types.js';
import type { Problem } from './problems.js';
import { compileFormula, FormulaError, type CompiledFormula } from '../expr/formula.js';
import { MAX_HCPS, MAX_MONTHS } from '../plan/limits.js';

type Locate = (pointer: string, offset: number) => { line: number; col: number };

const EXACT_HCPS = 2_000;
const GROWTH = 1.002;

interface Field {
  pointer: string;
  value: number | string | undefined;
  /** A count: must be a whole number. */
  whole: boolean;
  /** Per region: region_hcps is the region's share of hcps. */
  regional: boolean;
  /** The value must be at least this (reps: 1, so no region is left without a rep). */
  min: number;
  /** And at most this. */
  max: number;
}

function fields(s: Scenario): Field[] {
  const t = s.territories;
  return [
    {
      pointer: '/campaigns/count',
      value: s.campaigns.count,
      whole: true,
      regional: false,
      min: 0,
      max: Infinity,
    },
    {
      pointer: '/stimuli/per_hcp_month',
      value: s.stimuli.per_hcp_month,
      whole: false,
      regional: false,
      min: 0,
      max: Infinity,
    },
    {
      pointer: '/territories/assignments_per_hcp',
      value: t.assignments_per_hcp,
      whole: false,
      regional: false,
      min: 1,
      max: 2,
    },
    {
      pointer: '/territories/reps_per_region',
      value: t.reps_per_region,
      whole: true,
      regional: true,
      min: 1,
      max: Infinity,
    },
    {
      pointer: '/territories/secondary_reps_per_region',
      value: t.secondary_reps_per_region,
      whole: true,
      regional: true,
      min: 1,
      max: Infinity,
    },
  ];
}

/** The hcps values checked: every one up to EXACT_HCPS, then GROWTH apart, and MAX_HCPS itself. */
function hcpsGrid(): number[] {
  const out: number[] = [];
  for (let h = 1; h <= EXACT_HCPS; h++) out.push(h);
  for (let h = EXACT_HCPS * GROWTH; h < MAX_HCPS; h *= GROWTH) out.push(Math.round(h));
  out.push(MAX_HCPS);
  return out;
}

/** Each region's share of the HCPs, as compile() derives it from the state weights. */
function regionShares(s: Scenario): number[] {
  const weights = s.population.regions.map((r) => r.states.reduce((a, st) => a + st.weight, 0));
  const total = weights.reduce((a, b) => a + b, 0);
  return weights.map((w) => (total > 0 ? w / total : 0));
}

/** Problems of the formula fields anywhere in the allowed range of their variables (first failing point each). */
export function formulaRangeProblems(s: Scenario, file: string, locate: Locate): Problem[] {
  const problems: Problem[] = [];
  const grid = hcpsGrid();
  const shares = regionShares(s);
  for (const f of fields(s)) {
    if (typeof f.value !== 'string') continue;
    const names = f.regional ? ['hcps', 'months', 'region_hcps'] : ['hcps', 'months'];
    let formula: CompiledFormula;
    try {
      formula = compileFormula(f.value, names);
    } catch (err) {
      if (err instanceof FormulaError) continue; // reported by the load checks, with its column
      throw err;
    }
    const months = formula.variables.includes('months')
      ? Array.from({ length: MAX_MONTHS }, (_, i) => i + 1)
      : [1];
    const found = firstBad(formula, f, grid, months, f.regional ? shares : [1]);
    if (found) {
      const pos = locate(f.pointer, 0);
      problems.push({
        file,
        line: pos.line,
        col: pos.col,
        message: `formula ${JSON.stringify(f.value)} gives ${found.value} at ${found.at}, ${found.why}`,
        hint:
          `lint evaluates formulas for every run hcpgen allows (hcps 1..${MAX_HCPS.toLocaleString('en-US')}, months ` +
          `1..${MAX_MONTHS}${f.regional ? ", each region's HCPs" : ''}); ${found.fix}`,
      });
    }
  }
  return problems;
}

function firstBad(
  formula: CompiledFormula,
  f: Field,
  grid: readonly number[],
  months: readonly number[],
  shares: readonly number[],
): { value: number; at: string; why: string; fix: string } | null {
  const vars: Record<string, number> = { hcps: 0, months: 0, region_hcps: 0 };
  for (const m of months) {
    vars.months = m;
    for (const h of grid) {
      vars.hcps = h;
      for (const share of shares) {
        vars.region_hcps = h * share;
        const v = formula.evaluate(vars);
        const at = `hcps=${h}, months=${m}${f.regional ? `, region_hcps=${Number((h * share).toPrecision(6))}` : ''}`;
        if (!Number.isFinite(v))
          return { value: v, at, why: 'not a finite number', fix: 'make it finite for every run' };
        if (f.whole && !Number.isInteger(v))
          return {
            value: v,
            at,
            why: 'but a whole number is needed',
            fix: 'wrap it in round(), floor() or ceil()',
          };
        if (v < f.min)
          return {
            value: v,
            at,
            why: f.min === 0 ? 'which is negative' : `below the least allowed, ${f.min}`,
            fix: `keep it at ${f.min} or more, e.g. with max(${f.min}, ...)`,
          };
        if (v > f.max)
          return {
            value: v,
            at,
            why: `above the most allowed, ${f.max}`,
            fix: `keep it at ${f.max} or less, e.g. with min(${f.max}, ...)`,
          };
      }
    }
  }
  return null;
}
