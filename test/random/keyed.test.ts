import { expect } from 'chai';
import {
  fieldKey,
  hash01,
  hash32,
  hashString,
  KeyedRng,
  mix2,
  mix2Finish,
  mix2Start,
  mix2Word,
  seedKey,
  stream,
  streamFor,
} from '../../src/random/keyed.js';

const SEED = seedKey(20250630);
const FIELD = fieldKey('hcp', 'specialty');

function draws(rng: KeyedRng, n: number): number[] {
  return Array.from({ length: n }, () => rng.next());
}

/** Pearson chi-square statistic of values in [0, 1) against `bins` equal bins. */
function chiSquareUniform(values: ArrayLike<number>, bins: number): number {
  const counts = new Array<number>(bins).fill(0);
  for (let i = 0; i < values.length; i++) counts[Math.floor((values[i] as number) * bins)]!++;
  const expected = values.length / bins;
  return counts.reduce((s, c) => s + (c - expected) ** 2 / expected, 0);
}

function correlation(xs: ArrayLike<number>, ys: ArrayLike<number>): number {
  const n = xs.length;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += xs[i] as number;
    my += ys[i] as number;
  }
  mx /= n;
  my /= n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = (xs[i] as number) - mx;
    const dy = (ys[i] as number) - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  return sxy / Math.sqrt(sxx * syy);
}

// chi-square critical value for 99 degrees of freedom at p = 0.001
const CHI2_99_P001 = 148.23;

describe('keyed random streams', () => {
  it('gives the same sequence for the same key, however it is created', () => {
    const a = draws(stream(SEED, FIELD, 12345), 50);
    const b = draws(streamFor(20250630, 'hcp', 12345, 'specialty'), 50);
    const reused = new KeyedRng();
    reused.reset(SEED, FIELD, 999);
    reused.next();
    const c = draws(reused.reset(SEED, FIELD, 12345), 50);
    expect(b).to.deep.equal(a);
    expect(c).to.deep.equal(a);
  });

  it('a reused generator re-keyed across seeds and fields gives each key its own sequence', () => {
    // reset() keeps the lanes' state after (seed, field) for the next reset: switching keys must not leak it.
    const other = seedKey(7);
    const keys: [number, number, number][] = [
      [SEED, FIELD, 1],
      [SEED, FIELD, 2],
      [other, FIELD, 2],
      [SEED, fieldKey('hcp', 'tier'), 2],
      [0, 0, 3],
      [SEED, FIELD, 1],
    ];
    const reused = new KeyedRng();
    for (const [s, f, id] of keys) {
      const fresh = draws(stream(s, f, id), 8);
      expect(draws(reused.reset(s, f, id), 8)).to.deep.equal(fresh);
    }
  });

  it('mix2 and its split form (mix2Start, mix2Word, mix2Finish) are murmur3 over the two words', () => {
    // An independent statement of the definition: murmur3_32 body steps over a then b, length 8, finalizer.
    const rotl = (x: number, r: number) => (x << r) | (x >>> (32 - r));
    const body = (h: number, k: number) => {
      k = Math.imul(rotl(Math.imul(k, 0xcc9e2d51), 15), 0x1b873593);
      return (Math.imul(rotl(h ^ k, 13), 5) + 0xe6546b64) | 0;
    };
    const fmix = (h: number) => {
      h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
      h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
      return (h ^ (h >>> 16)) >>> 0;
    };
    const rng = stream(SEED, FIELD, 77);
    for (let i = 0; i < 2000; i++) {
      const a = rng.nextU32() | (i % 3 === 0 ? 0 : 0x80000000);
      const b = rng.nextU32();
      const expected = fmix(body(body(0x428a2f98, a), b) ^ 8);
      expect(mix2(a, b)).to.equal(expected);
      expect(mix2Finish(mix2Start(a), mix2Word(b))).to.equal(expected);
    }
  });

  it('gives different sequences when any part of the key changes', () => {
    const base = draws(stream(SEED, FIELD, 7, 0), 8);
    const variants = [
      stream(seedKey(20250631), FIELD, 7, 0),
      stream(SEED, fieldKey('hcp', 'tier'), 7, 0),
      stream(SEED, fieldKey('rep', 'specialty'), 7, 0),
      stream(SEED, FIELD, 8, 0),
      stream(SEED, FIELD, 7, 1),
      stream(SEED, FIELD, 7 + 2 ** 32, 0), // ids above 2^32 (stimulus ids) keep their high bits
    ];
    for (const v of variants) expect(draws(v, 8)).to.not.deep.equal(base);
  });

  it('draws uniformly within one stream (chi-square, 100k draws)', () => {
    const values = draws(stream(SEED, FIELD, 1), 100_000);
    expect(Math.min(...values)).to.be.at.least(0);
    expect(Math.max(...values)).to.be.below(1);
    expect(chiSquareUniform(values, 100)).to.be.below(CHI2_99_P001);
    // lag-1 serial correlation; its standard error is 1/sqrt(n) = 0.0032
    expect(Math.abs(correlation(values.slice(0, -1), values.slice(1)))).to.be.below(0.015);
  });

  it('makes the first draws of adjacent ids uniform and uncorrelated', () => {
    const n = 100_000;
    const first = new Float64Array(n);
    const second = new Float64Array(n);
    const rng = new KeyedRng();
    for (let id = 0; id < n; id++) {
      rng.reset(SEED, FIELD, id);
      first[id] = rng.next();
      second[id] = rng.next();
    }
    expect(chiSquareUniform(first, 100)).to.be.below(CHI2_99_P001);
    expect(chiSquareUniform(second, 100)).to.be.below(CHI2_99_P001);
    expect(Math.abs(correlation(first.subarray(0, n - 1), first.subarray(1)))).to.be.below(0.015);
    expect(Math.abs(correlation(first, second))).to.be.below(0.015);
    // every output bit of the first 32-bit word is set about half the time across adjacent ids
    const ones = new Array<number>(32).fill(0);
    for (let id = 0; id < n; id++) {
      const w = rng.reset(SEED, FIELD, id).nextU32();
      for (let b = 0; b < 32; b++) if ((w >>> b) & 1) ones[b]!++;
    }
    for (const c of ones) expect(Math.abs(c / n - 0.5)).to.be.below(0.008); // 5 standard errors
  });

  it('int() covers both ends inclusively and pick() every element', () => {
    const rng = stream(SEED, FIELD, 2);
    const seen = new Set<number>();
    for (let i = 0; i < 2000; i++) {
      const v = rng.int(-3, 3);
      expect(Number.isInteger(v)).to.equal(true);
      expect(v).to.be.within(-3, 3);
      seen.add(v);
    }
    expect([...seen].sort((a, b) => a - b)).to.deep.equal([-3, -2, -1, 0, 1, 2, 3]);
    const picked = new Set<string>();
    for (let i = 0; i < 500; i++) picked.add(rng.pick(['a', 'b', 'c']));
    expect([...picked].sort()).to.deep.equal(['a', 'b', 'c']);
    expect(() => rng.pick([])).to.throw(RangeError);
  });

  it('nextOpen() stays strictly inside (0, 1)', () => {
    const rng = stream(SEED, FIELD, 3);
    for (let i = 0; i < 10_000; i++) {
      const u = rng.nextOpen();
      expect(u > 0 && u < 1).to.equal(true);
    }
  });

  it('hash32/hash01 are deterministic, key-sensitive and uniform', () => {
    // Pinned values: a change to the hash changes every generated value (bump DATA_VERSION if it is meant).
    expect(hash32(1, 'a', 3)).to.equal(3916462340);
    expect(hashString('hcp')).to.equal(2357403504);
    expect(hash01(42, 'outcome', 0)).to.equal(0.4199608482886106);
    expect(hash32(1, 'a', 3)).to.not.equal(hash32(1, 'a', 4));
    expect(hash32(1, 2)).to.not.equal(hash32(2, 1));
    expect(hash32(1)).to.not.equal(hash32(1, 0));
    expect(hash32(5)).to.not.equal(hash32(5 + 2 ** 32));
    expect(hashString('hcp')).to.not.equal(hashString('hcq'));
    const values = Array.from({ length: 100_000 }, (_, i) => hash01(42, 'outcome', i));
    expect(chiSquareUniform(values, 100)).to.be.below(CHI2_99_P001);
    for (const v of values.slice(0, 1000)) expect(v >= 0 && v < 1).to.equal(true);
  });
});
