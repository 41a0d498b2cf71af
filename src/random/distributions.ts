// Sampling from the scenario format's distribution specs. `compileDistribution` checks a spec once and
// precomputes its constants; `sample` caches that per spec object, so a hot loop may call `sample(spec, rng)`.
//
// Poisson: inversion (sequential search from 0, one uniform, cost ~ mean + 1 steps) below mean 12, and
// Hörmann's PTRS transformed rejection (1993, "The transformed rejection method for generating Poisson random
// variables"; numpy uses it from 10) at 12 and above: exact, ~1.2 iterations of two uniforms on average.
// Negative binomial (variance = mean + mean^2 / dispersion): inversion below mean 16 (when dispersion >= 0.05),
// otherwise the
// gamma–Poisson mixture Poisson(Gamma(dispersion, mean / dispersion)), which is exact for any mean.
import type { Rng } from './keyed.js';
import { logFactorial, standardGamma, standardNormal, uniformOpenZero } from './special.js';

/** Optional post-processing shared by every numeric spec: clamp to [min, max], then make it an integer. */
export interface Shaping {
  min?: number;
  max?: number;
  /**
   * true: round half up (Math.round); 'floor': round down; false or absent: keep the real value.
   * When rounding, the bounds become ceil(min) / floor(max).
   */
  round?: boolean | 'floor';
}

export type ConstantSpec = { type: 'constant'; value: number } & Shaping;
export type UniformSpec = { type: 'uniform'; min: number; max: number } & Shaping;
export type NormalSpec = { type: 'normal'; mean: number; sd: number } & Shaping;
export type LognormalSpec = { type: 'lognormal'; mu: number; sigma: number } & Shaping;
export type PoissonSpec = { type: 'poisson'; mean: number } & Shaping;
export type NegativeBinomialSpec = { type: 'negative_binomial'; mean: number; dispersion: number } & Shaping;
export type GammaSpec = { type: 'gamma'; shape: number; scale: number } & Shaping;
export type ParetoSpec = { type: 'pareto'; xm: number; alpha: number } & Shaping;
export type WeightedSpec = {
  type: 'weighted';
  values: readonly { value: number; weight: number }[];
} & Shaping;

export type DistributionSpec =
  | ConstantSpec
  | UniformSpec
  | NormalSpec
  | LognormalSpec
  | PoissonSpec
  | NegativeBinomialSpec
  | GammaSpec
  | ParetoSpec
  | WeightedSpec;

export type Sampler = (rng: Rng) => number;

/** A spec whose parameters cannot be sampled from (negative sd, min > max, ...). */
export class DistributionError extends Error {
  override name = 'DistributionError';
}

const POISSON_INVERSION_BELOW = 12;
const NEGBIN_INVERSION_BELOW = 16;

function need(ok: boolean, spec: DistributionSpec, what: string): void {
  if (!ok) throw new DistributionError(`${spec.type} distribution: ${what}`);
}

function finite(x: unknown): x is number {
  return typeof x === 'number' && Number.isFinite(x);
}

/** Check a spec and build a fast sampler for it. Throws DistributionError on bad parameters. */
export function compileDistribution(spec: DistributionSpec): Sampler {
  const raw = rawSampler(spec);
  const { min, max, round } = spec;
  need(min === undefined || finite(min), spec, `min must be a finite number (got ${String(min)})`);
  need(max === undefined || finite(max), spec, `max must be a finite number (got ${String(max)})`);
  let lo = min ?? -Infinity;
  let hi = max ?? Infinity;
  need(lo <= hi, spec, `min (${lo}) must not exceed max (${hi})`);
  if (round !== undefined && round !== false) {
    need(
      round === true || round === 'floor',
      spec,
      `round must be true, false or 'floor' (got ${String(round)})`,
    );
    lo = Math.ceil(lo);
    hi = Math.floor(hi);
    need(lo <= hi, spec, `no integer lies between min (${String(min)}) and max (${String(max)})`);
  }
  const clampIt = lo !== -Infinity || hi !== Infinity;
  const toInt = round === true ? Math.round : round === 'floor' ? Math.floor : undefined;
  if (!clampIt && !toInt) return raw;
  if (!toInt) return (rng) => Math.min(hi, Math.max(lo, raw(rng)));
  return (rng) => Math.min(hi, Math.max(lo, toInt(raw(rng))));
}

function rawSampler(spec: DistributionSpec): Sampler {
  switch (spec.type) {
    case 'constant': {
      need(finite(spec.value), spec, 'value must be a finite number');
      const v = spec.value;
      return () => v;
    }
    case 'uniform': {
      need(finite(spec.min) && finite(spec.max) && spec.min <= spec.max, spec, 'needs finite min <= max');
      const { min, max } = spec;
      const width = max - min;
      return (rng) => min + width * rng.next();
    }
    case 'normal': {
      need(finite(spec.mean) && finite(spec.sd) && spec.sd >= 0, spec, 'needs a finite mean and sd >= 0');
      const { mean, sd } = spec;
      return (rng) => mean + sd * standardNormal(rng);
    }
    case 'lognormal': {
      need(
        finite(spec.mu) && finite(spec.sigma) && spec.sigma >= 0,
        spec,
        'needs a finite mu and sigma >= 0',
      );
      const { mu, sigma } = spec;
      return (rng) => Math.exp(mu + sigma * standardNormal(rng));
    }
    case 'poisson': {
      need(finite(spec.mean) && spec.mean >= 0, spec, 'mean must be a finite number >= 0');
      return poissonSampler(spec.mean);
    }
    case 'negative_binomial': {
      need(finite(spec.mean) && spec.mean >= 0, spec, 'mean must be a finite number >= 0');
      need(finite(spec.dispersion) && spec.dispersion > 0, spec, 'dispersion must be a finite number > 0');
      return negativeBinomialSampler(spec.mean, spec.dispersion);
    }
    case 'gamma': {
      need(finite(spec.shape) && spec.shape > 0, spec, 'shape must be a finite number > 0');
      need(finite(spec.scale) && spec.scale > 0, spec, 'scale must be a finite number > 0');
      const { shape, scale } = spec;
      return (rng) => scale * standardGamma(shape, rng);
    }
    case 'pareto': {
      need(finite(spec.xm) && spec.xm > 0, spec, 'xm must be a finite number > 0');
      need(finite(spec.alpha) && spec.alpha > 0, spec, 'alpha must be a finite number > 0');
      const xm = spec.xm;
      const negInvAlpha = -1 / spec.alpha;
      return (rng) => xm * Math.pow(uniformOpenZero(rng), negInvAlpha);
    }
    case 'weighted': {
      need(Array.isArray(spec.values) && spec.values.length > 0, spec, 'values must be a non-empty list');
      for (const v of spec.values)
        need(finite(v.value), spec, `value ${String(v.value)} is not a finite number`);
      const values = Float64Array.from(spec.values, (v) => v.value);
      const picker = weightedPicker(spec.values.map((v) => v.weight));
      return (rng) => values[picker.pick(rng)] as number;
    }
    default: {
      const never: never = spec;
      throw new DistributionError(`unknown distribution type '${String((never as { type: unknown }).type)}'`);
    }
  }
}

function poissonSampler(lambda: number): Sampler {
  if (lambda === 0) return () => 0;
  if (lambda < POISSON_INVERSION_BELOW) {
    const p0 = Math.exp(-lambda);
    const cap = Math.ceil(lambda * 20 + 100);
    const ratio = (k: number) => lambda / (k + 1);
    return (rng) => invertDiscrete(rng.next(), p0, ratio, cap);
  }
  const c = ptrsConstants(lambda);
  return (rng) => ptrs(c, rng);
}

/**
 * Inversion by sequential search: the smallest k with u < P(0) + ... + P(k), where P(k + 1) = P(k) * ratio(k).
 * cap guards the floating-point case where the summed cdf stops just below u.
 */
function invertDiscrete(u: number, p0: number, ratio: (k: number) => number, cap: number): number {
  let k = 0;
  let p = p0;
  let cdf = p0;
  while (u >= cdf && k < cap) {
    p *= ratio(k);
    k++;
    cdf += p;
  }
  return k;
}

/** One Poisson variate for a mean known only at draw time (negative binomial's mixture). */
export function poissonDraw(lambda: number, rng: Rng): number {
  if (lambda < POISSON_INVERSION_BELOW) {
    if (lambda <= 0) return 0;
    return invertDiscrete(
      rng.next(),
      Math.exp(-lambda),
      (k) => lambda / (k + 1),
      Math.ceil(lambda * 20 + 100),
    );
  }
  return ptrs(ptrsConstants(lambda), rng);
}

interface PtrsConstants {
  lambda: number;
  logLambda: number;
  a: number;
  b: number;
  vr: number;
  logInvAlpha: number;
}

function ptrsConstants(lambda: number): PtrsConstants {
  const slam = Math.sqrt(lambda);
  const b = 0.931 + 2.53 * slam;
  return {
    lambda,
    logLambda: Math.log(lambda),
    a: -0.059 + 0.02483 * b,
    b,
    vr: 0.9277 - 3.6224 / (b - 2),
    logInvAlpha: Math.log(1.1239 + 1.1328 / (b - 3.4)),
  };
}

function ptrs(c: PtrsConstants, rng: Rng): number {
  for (;;) {
    const u = rng.next() - 0.5;
    const v = rng.next();
    const us = 0.5 - Math.abs(u);
    const k = Math.floor(((2 * c.a) / us + c.b) * u + c.lambda + 0.43);
    if (us >= 0.07 && v <= c.vr) return k;
    if (k < 0 || (us < 0.013 && v > us)) continue;
    const lhs = Math.log(v) + c.logInvAlpha - Math.log(c.a / (us * us) + c.b);
    if (lhs <= -c.lambda + k * c.logLambda - logFactorial(k)) return k;
  }
}

function negativeBinomialSampler(mean: number, r: number): Sampler {
  if (mean === 0) return () => 0;
  // Tiny dispersions give a tail too long to walk; the mixture handles them.
  if (mean < NEGBIN_INVERSION_BELOW && r >= 0.05) {
    // P(0) = (r / (r + m))^r, P(k+1) = P(k) * q * (k + r) / (k + 1) with q = m / (r + m)
    const q = mean / (r + mean);
    const p0 = Math.exp(r * Math.log(r / (r + mean)));
    const cap = Math.ceil((50 * (mean + 1)) / (1 - q));
    const ratio = (k: number) => (q * (k + r)) / (k + 1);
    return (rng) => invertDiscrete(rng.next(), p0, ratio, cap);
  }
  const scale = mean / r;
  return (rng) => poissonDraw(scale * standardGamma(r, rng), rng);
}

/** Draw one value. Compiles and caches the sampler per spec object (the spec must not be mutated after). */
export function sample(spec: DistributionSpec, rng: Rng): number {
  let s = cache.get(spec);
  if (!s) {
    s = compileDistribution(spec);
    cache.set(spec, s);
  }
  return s(rng);
}
const cache = new WeakMap<DistributionSpec, Sampler>();

/**
 * The analytic expectation of the underlying distribution, *before* clamping to min/max and rounding
 * (so it is exact only when those do not bite; 'floor' alone lowers the real mean by about 0.5).
 * Pareto with alpha <= 1 has an infinite mean and returns Infinity.
 */
export function mean(spec: DistributionSpec): number {
  switch (spec.type) {
    case 'constant':
      return spec.value;
    case 'uniform':
      return (spec.min + spec.max) / 2;
    case 'normal':
      return spec.mean;
    case 'lognormal':
      return Math.exp(spec.mu + (spec.sigma * spec.sigma) / 2);
    case 'poisson':
    case 'negative_binomial':
      return spec.mean;
    case 'gamma':
      return spec.shape * spec.scale;
    case 'pareto':
      return spec.alpha > 1 ? (spec.alpha * spec.xm) / (spec.alpha - 1) : Infinity;
    case 'weighted': {
      let sw = 0;
      let swv = 0;
      for (const v of spec.values) {
        sw += v.weight;
        swv += v.weight * v.value;
      }
      return swv / sw;
    }
  }
}

/** The analytic variance, before clamping and rounding (Infinity where it does not exist). */
export function variance(spec: DistributionSpec): number {
  switch (spec.type) {
    case 'constant':
      return 0;
    case 'uniform':
      return (spec.max - spec.min) ** 2 / 12;
    case 'normal':
      return spec.sd * spec.sd;
    case 'lognormal': {
      const s2 = spec.sigma * spec.sigma;
      return Math.expm1(s2) * Math.exp(2 * spec.mu + s2);
    }
    case 'poisson':
      return spec.mean;
    case 'negative_binomial':
      return spec.mean + (spec.mean * spec.mean) / spec.dispersion;
    case 'gamma':
      return spec.shape * spec.scale * spec.scale;
    case 'pareto': {
      const a = spec.alpha;
      return a > 2 ? (spec.xm * spec.xm * a) / ((a - 1) * (a - 1) * (a - 2)) : Infinity;
    }
    case 'weighted': {
      const m = mean(spec);
      let sw = 0;
      let s = 0;
      for (const v of spec.values) {
        sw += v.weight;
        s += v.weight * (v.value - m) ** 2;
      }
      return s / sw;
    }
  }
}

export interface WeightedPicker {
  readonly size: number;
  /** Index chosen with probability weight / total. */
  pick(rng: Rng): number;
  /** Index for a given uniform u in [0, 1): monotone in u, so nearby u pick the same or adjacent entries. */
  indexFor(u: number): number;
}

/**
 * Fast repeated weighted choice: a cumulative table and binary search, O(log n) per pick, no allocation.
 * Weights must be finite and >= 0 with a positive total; zero-weight entries are never picked.
 */
export function weightedPicker(weights: readonly number[]): WeightedPicker {
  const n = weights.length;
  if (n === 0) throw new DistributionError('weighted choice needs at least one weight');
  const cum = new Float64Array(n);
  let total = 0;
  let lastPositive = -1;
  for (let i = 0; i < n; i++) {
    const w = weights[i];
    if (typeof w !== 'number' || !Number.isFinite(w) || w < 0) {
      throw new DistributionError(`weight #${i + 1} must be a finite number >= 0 (got ${String(w)})`);
    }
    total += w;
    cum[i] = total;
    if (w > 0) lastPositive = i;
  }
  if (!(total > 0)) throw new DistributionError('weighted choice needs at least one positive weight');
  const indexFor = (u: number): number => {
    const target = u * total;
    let lo = 0;
    let hi = lastPositive;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((cum[mid] as number) > target) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  };
  return { size: n, indexFor, pick: (rng) => indexFor(rng.next()) };
}
