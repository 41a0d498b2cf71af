// Micro-benchmarks for the generator's building blocks (src/random, src/time). Run: npx tsx scripts/bench-primitives.ts
// Figures are ops/s, best of 3 rounds after a warm-up; they guide design, they are not asserted anywhere.
import seedrandom from 'seedrandom';
import { fieldKey, KeyedRng, seedKey, stream } from '../src/random/keyed.js';
import { sample, type DistributionSpec } from '../src/random/distributions.js';
import { RendezvousPool } from '../src/random/rendezvous.js';
import { npiForIndex } from '../src/random/npi.js';
import { formatDate, formatDateTime, parseDate } from '../src/time/calendar.js';

let sink = 0;
function bench(name: string, n: number, body: (i: number) => number): void {
  let best = Infinity;
  for (let round = 0; round < 4; round++) {
    const t0 = process.hrtime.bigint();
    let s = 0;
    for (let i = 0; i < n; i++) s += body(i);
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    sink += s;
    if (round > 0) best = Math.min(best, ms);
  }
  const rate = (n / best) * 1000;
  console.log(`${name.padEnd(52)} ${(rate / 1e6).toFixed(2).padStart(7)} M ops/s`);
}

const SEED = 20250630;
const sk = seedKey(SEED);
const fk = fieldKey('hcp', 'specialty');
const N = 1_000_000;

bench('seedrandom.alea(string key) + 10 draws', N / 4, (i) => {
  const r = seedrandom.alea(`${SEED}/hcp/${i}/specialty`);
  let s = 0;
  for (let j = 0; j < 10; j++) s += r();
  return s;
});
bench('stream(seedKey, fieldKey, id) + 10 draws', N, (i) => {
  const r = stream(sk, fk, i);
  let s = 0;
  for (let j = 0; j < 10; j++) s += r.next();
  return s;
});
const reused = new KeyedRng();
bench('KeyedRng#reset (reused) + 10 draws', N, (i) => {
  reused.reset(sk, fk, i);
  let s = 0;
  for (let j = 0; j < 10; j++) s += reused.next();
  return s;
});

const rng = stream(sk, fk, 1);
const specs: [string, DistributionSpec][] = [
  ['poisson mean 3 (inversion)', { type: 'poisson', mean: 3 }],
  ['poisson mean 40 (PTRS)', { type: 'poisson', mean: 40 }],
  [
    'negative_binomial mean 5, dispersion 1 (inversion)',
    { type: 'negative_binomial', mean: 5, dispersion: 1 },
  ],
  [
    'negative_binomial mean 60, dispersion 2 (mixture)',
    { type: 'negative_binomial', mean: 60, dispersion: 2 },
  ],
  ['lognormal', { type: 'lognormal', mu: 3, sigma: 0.8 }],
];
for (const [name, spec] of specs) bench(`sample: ${name}`, N * 4, () => sample(spec, rng));

const base = parseDate('2024-07-01');
const hashRng = stream(sk, fk, 2);
bench(
  'formatDate (events over 365 days)',
  N * 4,
  (i) => formatDate(base + ((i * 7919) % 365) * 86_400_000).length,
);
bench('formatDateTime (same day runs, then next)', N * 4, (i) => formatDateTime(base + i * 9_973).length);
const scattered = Float64Array.from(
  { length: 1 << 16 },
  (_, i) => base + Math.floor(hashRng.next() * 365 * 86_400_000) + i,
);
bench(
  'formatDateTime (scattered over 365 days)',
  N * 4,
  (i) => formatDateTime(scattered[i & 0xffff]!).length,
);

const pool50 = new RendezvousPool(
  Array.from({ length: 50 }, (_, i) => ({ id: i })),
  SEED,
);
const pool500 = new RendezvousPool(
  Array.from({ length: 500 }, (_, i) => ({ id: i })),
  SEED,
);
bench('rendezvous pick, pool of 50', N, (i) => pool50.pick(i));
bench('rendezvous pick, pool of 500', N / 10, (i) => pool500.pick(i));
bench('npiForIndex', N, (i) => npiForIndex(i, SEED).length);

if (sink === 42) console.log('');
