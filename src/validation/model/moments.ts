// Every derived statistic is a ratio of sums over HCPs, R = sum(x) / sum(t): a share of HCPs (x = 1 if the HCP
// has the value, t = 1), a share of an HCP's events (x = its stimuli on a channel, t = all its stimuli), a rate
// per HCP-month (x = its stimuli, t = months). HCPs are drawn independently, so the sampling spread of R over n
// HCPs follows from the spread of x - R t between HCPs (the ratio estimator's variance):
//
//   sd(R; n) = sqrt( E[(x - R t)^2] / n ) / E[t]
//
// which counts the clustering of events within an HCP (an HCP's channel mix, its intensity) as it should. The
// moments below are what a sample must keep to know R and that spread.

/** Sums over one sample's HCPs of x, t, x^2, x t, t^2, and the HCP count (plain data: crosses threads). */
export interface MomentSums {
  hcps: number;
  x: number;
  t: number;
  xx: number;
  xt: number;
  tt: number;
}

export class Moments implements MomentSums {
  hcps = 0;
  x = 0;
  t = 0;
  xx = 0;
  xt = 0;
  tt = 0;

  add(x: number, t: number): void {
    this.x += x;
    this.t += t;
    this.xx += x * x;
    this.xt += x * t;
    this.tt += t * t;
  }

  /** Moments of 0/1 indicators from counts: `inside` HCPs with x = t = 1, `denominator` with t = 1, of `hcps`. */
  static ofCounts(inside: number, denominator: number, hcps: number): Moments {
    const m = new Moments();
    m.hcps = hcps;
    m.x = m.xx = m.xt = inside;
    m.t = m.tt = denominator;
    return m;
  }
}

/** What the model says of one statistic: its value and its spread per HCP. */
export interface ModelValue {
  /** The expected ratio. */
  mean: number;
  /** Standard deviation of the ratio over a sample of one HCP: divide by sqrt(n) for n HCPs. */
  sdPerHcp: number;
  /** Standard deviation of `mean` itself (the reference sample's own noise); 0 when `mean` is exact. */
  meanSd: number;
  /** E[t]: the denominator per HCP (stimuli per HCP for a channel share), for the minimum-size rule. */
  perHcpDenominator: number;
  /** E[x]: the numerator per HCP. */
  perHcpNumerator: number;
}

/** The model value from a reference sample's moments; `exact` replaces the sample's ratio where known. */
export function modelValue(m: MomentSums, exact?: number): ModelValue {
  const n = Math.max(1, m.hcps);
  const sampled = m.t > 0 ? m.x / m.t : NaN;
  const r = exact ?? sampled;
  const et = m.t / n;
  const residual = Math.max(0, (m.xx - 2 * r * m.xt + r * r * m.tt) / n);
  const sdPerHcp = et > 0 ? Math.sqrt(residual) / et : NaN;
  return {
    mean: r,
    sdPerHcp,
    meanSd: exact === undefined ? sdPerHcp / Math.sqrt(n) : 0,
    perHcpDenominator: et,
    perHcpNumerator: m.x / n,
  };
}

/** The standard deviation of a run's ratio over `hcps` HCPs around the model value. */
export function spreadAt(v: ModelValue, hcps: number): number {
  return Math.sqrt((v.sdPerHcp * v.sdPerHcp) / Math.max(1, hcps) + v.meanSd * v.meanSd);
}

/**
 * Upper quantile of the standard normal: z with P(Z > z) = p, for the small p of a false-alarm budget
 * (p < 0.02; larger p are clamped to it). Acklam's rational approximation of the tail, relative error < 1.2e-9.
 */
export function normalQuantile(p: number): number {
  const q = Math.min(Math.max(p, 1e-300), 0.02);
  const t = Math.sqrt(-2 * Math.log(q));
  const c = [
    -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968,
  ];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const lower =
    (((((c[0]! * t + c[1]!) * t + c[2]!) * t + c[3]!) * t + c[4]!) * t + 2.938163982698783) /
    ((((d[0]! * t + d[1]!) * t + d[2]!) * t + d[3]!) * t + 1);
  return -lower;
}
