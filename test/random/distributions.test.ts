import { expect } from 'chai';
import {
  compileDistribution,
  DistributionError,
  type DistributionSpec,
  mean,
  sample,
  variance,
  weightedPicker,
} from '../../src/random/distributions.js';
import { fieldKey, seedKey, stream } from '../../src/random/keyed.js';

const N = 200_000;
const rngFor = (name: string) => stream(seedKey(7), fieldKey('test', name), 0);

function moments(spec: DistributionSpec, name: string): { m: number; v: number; xs: Float64Array } {
  const rng = rngFor(name);
  const xs = new Float64Array(N);
  let s = 0;
  for (let i = 0; i < N; i++) s += xs[i] = sample(spec, rng);
  const m = s / N;
  let ss = 0;
  for (let i = 0; i < N; i++) ss += (xs[i]! - m) ** 2;
  return { m, v: ss / (N - 1), xs };
}

// Each case: the spec and the relative tolerance for its sample variance (about 5 standard errors of the
// sample variance, which depend on the distribution's kurtosis). The mean is checked to 5 standard errors.
const cases: { name: string; spec: DistributionSpec; varTol: number }[] = [
  { name: 'uniform', spec: { type: 'uniform', min: 2, max: 10 }, varTol: 0.015 },
  { name: 'normal', spec: { type: 'normal', mean: 5, sd: 2 }, varTol: 0.02 },
  { name: 'lognormal', spec: { type: 'lognormal', mu: 1, sigma: 0.5 }, varTol: 0.035 },
  { name: 'poisson 0.3', spec: { type: 'poisson', mean: 0.3 }, varTol: 0.03 },
  { name: 'poisson 3', spec: { type: 'poisson', mean: 3 }, varTol: 0.02 },
  { name: 'poisson 11.9', spec: { type: 'poisson', mean: 11.9 }, varTol: 0.02 },
  { name: 'poisson 12', spec: { type: 'poisson', mean: 12 }, varTol: 0.02 },
  { name: 'poisson 30', spec: { type: 'poisson', mean: 30 }, varTol: 0.02 },
  { name: 'poisson 250', spec: { type: 'poisson', mean: 250 }, varTol: 0.02 },
  { name: 'poisson 5000', spec: { type: 'poisson', mean: 5000 }, varTol: 0.02 },
  { name: 'negbin 2/1.5', spec: { type: 'negative_binomial', mean: 2, dispersion: 1.5 }, varTol: 0.05 },
  { name: 'negbin 10/0.5', spec: { type: 'negative_binomial', mean: 10, dispersion: 0.5 }, varTol: 0.08 },
  { name: 'negbin 15/40', spec: { type: 'negative_binomial', mean: 15, dispersion: 40 }, varTol: 0.025 },
  { name: 'negbin 40/2', spec: { type: 'negative_binomial', mean: 40, dispersion: 2 }, varTol: 0.04 },
  { name: 'negbin 300/5', spec: { type: 'negative_binomial', mean: 300, dispersion: 5 }, varTol: 0.03 },
  { name: 'gamma 2/3', spec: { type: 'gamma', shape: 2, scale: 3 }, varTol: 0.03 },
  { name: 'gamma 0.5/2', spec: { type: 'gamma', shape: 0.5, scale: 2 }, varTol: 0.06 },
  { name: 'pareto 1/6', spec: { type: 'pareto', xm: 1, alpha: 6 }, varTol: 0.08 },
  {
    name: 'weighted',
    spec: {
      type: 'weighted',
      values: [
        { value: 1, weight: 5 },
        { value: 4, weight: 3 },
        { value: 10, weight: 2 },
        { value: 99, weight: 0 },
      ],
    },
    varTol: 0.015,
  },
];

describe('distributions', () => {
  for (const { name, spec, varTol } of cases) {
    it(`${name}: sample mean and variance match the analytic values (200k draws)`, () => {
      const mu = mean(spec);
      const sigma2 = variance(spec);
      const { m, v } = moments(spec, name);
      expect(Math.abs(m - mu), `mean ${m} vs ${mu}`).to.be.below(5 * Math.sqrt(sigma2 / N));
      expect(Math.abs(v / sigma2 - 1), `variance ${v} vs ${sigma2}`).to.be.below(varTol);
    });
  }

  it('poisson by PTRS matches the exact probability mass function (chi-square)', () => {
    const lambda = 20;
    const { xs } = moments({ type: 'poisson', mean: lambda }, 'pmf');
    let chi2 = 0;
    let df = -1;
    let pk = Math.exp(-lambda);
    for (let k = 0; k <= 45; k++) {
      if (k > 0) pk *= lambda / k;
      if (k < 8) continue; // fold the thin tails out: expected counts there are < 5
      const expected = N * pk;
      const observed = xs.reduce((c, x) => c + (x === k ? 1 : 0), 0);
      chi2 += (observed - expected) ** 2 / expected;
      df++;
    }
    expect(df).to.be.above(30);
    expect(chi2).to.be.below(df + 5 * Math.sqrt(2 * df));
  });

  it('negative binomial gives the exact P(0) on both the inversion and mixture paths', () => {
    for (const [m, r] of [
      [3, 2],
      [20, 2],
    ] as const) {
      const p0 = (r / (r + m)) ** r;
      const { xs } = moments({ type: 'negative_binomial', mean: m, dispersion: r }, `p0 ${m}`);
      const zeros = xs.reduce((c, x) => c + (x === 0 ? 1 : 0), 0) / N;
      expect(Math.abs(zeros - p0)).to.be.below(5 * Math.sqrt((p0 * (1 - p0)) / N));
    }
  });

  it('draws whole numbers from the count distributions', () => {
    const rng = rngFor('ints');
    for (const spec of [
      { type: 'poisson', mean: 4 },
      { type: 'poisson', mean: 80 },
      { type: 'negative_binomial', mean: 4, dispersion: 1 },
      { type: 'negative_binomial', mean: 80, dispersion: 0.01 },
    ] as DistributionSpec[]) {
      for (let i = 0; i < 5000; i++) {
        const x = sample(spec, rng);
        expect(Number.isInteger(x) && x >= 0, `${spec.type} gave ${x}`).to.equal(true);
      }
    }
  });

  it('respects min/max and rounding', () => {
    const rng = rngFor('bounds');
    const specs: DistributionSpec[] = [
      { type: 'normal', mean: 0, sd: 10, min: -2.5, max: 3.5, round: true },
      { type: 'lognormal', mu: 3, sigma: 2, max: 100, round: 'floor' },
      { type: 'pareto', xm: 1, alpha: 0.8, max: 1000 },
    ];
    const seen = new Set<number>();
    for (let i = 0; i < 20_000; i++) {
      const a = sample(specs[0]!, rng);
      expect(Number.isInteger(a)).to.equal(true);
      expect(a).to.be.within(-2, 3);
      seen.add(a);
      const b = sample(specs[1]!, rng);
      expect(Number.isInteger(b)).to.equal(true);
      expect(b).to.be.within(0, 100);
      expect(sample(specs[2]!, rng)).to.be.within(1, 1000);
    }
    expect([...seen].sort((x, y) => x - y)).to.deep.equal([-2, -1, 0, 1, 2, 3]);
    // 'floor' moves the mean down by about one half
    const floored = moments({ type: 'uniform', min: 0, max: 10, round: 'floor' }, 'floor').m;
    expect(floored).to.be.closeTo(4.5, 0.05);
    expect(sample({ type: 'constant', value: 7.6, round: true }, rng)).to.equal(8);
    expect(sample({ type: 'constant', value: 7.6, round: false }, rng)).to.equal(7.6);
  });

  it('mean() is the analytic expectation before clamping', () => {
    expect(mean({ type: 'lognormal', mu: 0, sigma: 1 })).to.be.closeTo(Math.exp(0.5), 1e-12);
    expect(mean({ type: 'pareto', xm: 2, alpha: 3 })).to.equal(3);
    expect(mean({ type: 'pareto', xm: 2, alpha: 1 })).to.equal(Infinity);
    expect(mean({ type: 'normal', mean: 5, sd: 1, max: 0 })).to.equal(5);
    expect(mean({ type: 'gamma', shape: 2, scale: 1.5 })).to.equal(3);
  });

  it('rejects impossible parameters with a DistributionError', () => {
    const bad: unknown[] = [
      { type: 'normal', mean: 0, sd: -1 },
      { type: 'poisson', mean: -1 },
      { type: 'negative_binomial', mean: 3, dispersion: 0 },
      { type: 'gamma', shape: 0, scale: 1 },
      { type: 'pareto', xm: 0, alpha: 1 },
      { type: 'uniform', min: 3, max: 1 },
      { type: 'weighted', values: [] },
      { type: 'weighted', values: [{ value: 1, weight: -1 }] },
      { type: 'weighted', values: [{ value: 1, weight: 0 }] },
      { type: 'normal', mean: 0, sd: 1, min: 5, max: 4 },
      { type: 'normal', mean: 0, sd: 1, min: 0.2, max: 0.8, round: true },
      { type: 'normal', mean: 0, sd: 1, round: 'ceil' },
      { type: 'zipf', s: 1 },
    ];
    for (const spec of bad) {
      expect(() => compileDistribution(spec as DistributionSpec), JSON.stringify(spec)).to.throw(
        DistributionError,
      );
    }
    expect(() => compileDistribution({ type: 'normal', mean: 0, sd: -1 })).to.throw(
      /normal distribution: .*sd/,
    );
  });
});

describe('weightedPicker', () => {
  it('picks in proportion to the weights and never a zero weight', () => {
    const weights = [1, 0, 2, 3, 4, 0];
    const picker = weightedPicker(weights);
    const rng = rngFor('picker');
    const counts = new Array<number>(weights.length).fill(0);
    for (let i = 0; i < N; i++) counts[picker.pick(rng)]!++;
    expect(counts[1]).to.equal(0);
    expect(counts[5]).to.equal(0);
    let chi2 = 0;
    for (const i of [0, 2, 3, 4]) {
      const expected = (N * weights[i]!) / 10;
      chi2 += (counts[i]! - expected) ** 2 / expected;
    }
    expect(chi2).to.be.below(16.27); // 3 degrees of freedom, p = 0.001
  });

  it('maps u monotonically to indexes and handles the ends', () => {
    const picker = weightedPicker([0, 1, 1, 0]);
    expect(picker.indexFor(0)).to.equal(1);
    expect(picker.indexFor(0.4999)).to.equal(1);
    expect(picker.indexFor(0.5)).to.equal(2);
    expect(picker.indexFor(1 - 2 ** -32)).to.equal(2);
    let last = 0;
    for (let u = 0; u < 1; u += 0.001) {
      const i = picker.indexFor(u);
      expect(i).to.be.at.least(last);
      last = i;
    }
  });

  it('rejects empty, negative and all-zero weights', () => {
    expect(() => weightedPicker([])).to.throw(DistributionError);
    expect(() => weightedPicker([1, -1])).to.throw(DistributionError);
    expect(() => weightedPicker([0, 0])).to.throw(DistributionError);
    expect(() => weightedPicker([1, NaN])).to.throw(DistributionError);
  });
});
