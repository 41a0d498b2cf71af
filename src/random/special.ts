// Numeric helpers the samplers need: standard normal, gamma variates and log-factorial.
import type { Rng } from './keyed.js';

const TWO_PI = 2 * Math.PI;

/** Uniform in (0, 1]: safe for log(). */
export function uniformOpenZero(rng: Rng): number {
  return 1 - rng.next();
}

/**
 * Standard normal by Box–Muller, one value per call (we keep no spare between calls: a stream's state must be
 * the generator's alone, so that sampling is a pure function of the stream).
 */
export function standardNormal(rng: Rng): number {
  const u1 = uniformOpenZero(rng);
  const u2 = rng.next();
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(TWO_PI * u2);
}

/** Gamma(shape, 1) by Marsaglia & Tsang (2000); shape < 1 uses the boost Gamma(shape+1) * U^(1/shape). */
export function standardGamma(shape: number, rng: Rng): number {
  if (shape < 1) {
    return standardGamma(shape + 1, rng) * Math.pow(uniformOpenZero(rng), 1 / shape);
  }
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    const z = standardNormal(rng);
    const t = 1 + c * z;
    if (t <= 0) continue;
    const v = t * t * t;
    const u = uniformOpenZero(rng);
    const z2 = z * z;
    if (u < 1 - 0.0331 * z2 * z2) return d * v;
    if (Math.log(u) < 0.5 * z2 + d * (1 - v + Math.log(v))) return d * v;
  }
}

const LOG_FACT_TABLE_SIZE = 256;
const LOG_FACT = new Float64Array(LOG_FACT_TABLE_SIZE);
for (let k = 2; k < LOG_FACT_TABLE_SIZE; k++) LOG_FACT[k] = (LOG_FACT[k - 1] as number) + Math.log(k);

const HALF_LOG_TWO_PI = 0.5 * Math.log(TWO_PI);

/** log(k!) for integer k >= 0: exact table below 256, Stirling series (error < 1e-14) above. */
export function logFactorial(k: number): number {
  if (k < LOG_FACT_TABLE_SIZE) return LOG_FACT[k] as number;
  const x = k + 1;
  const ix2 = 1 / (x * x);
  // lgamma(x) = (x - 1/2) ln x - x + ln(2 pi)/2 + 1/(12x) - 1/(360x^3) + 1/(1260x^5)
  return (x - 0.5) * Math.log(x) - x + HALF_LOG_TWO_PI + (1 / 12 - ix2 * (1 / 360 - ix2 / 1260)) / x;
}
