import { expect } from 'chai';
import { RendezvousPool, rendezvousPick, type RendezvousCandidate } from '../../src/random/rendezvous.js';

const SEED = 424242;
const KEYS = 20_000;
const members = (n: number, from = 0): RendezvousCandidate[] =>
  Array.from({ length: n }, (_, i) => ({ id: from + i }));

describe('rendezvous hashing', () => {
  it('moves only ~5/55 of the keys when a pool grows from 50 to 55, all to new members', () => {
    const small = new RendezvousPool(members(50), SEED);
    const large = new RendezvousPool(members(55), SEED);
    let moved = 0;
    for (let key = 0; key < KEYS; key++) {
      const before = small.pick(key);
      const after = large.pick(key);
      if (before !== after) {
        moved++;
        expect(after, `key ${key} moved from ${before} to an old member`).to.be.at.least(50);
      }
    }
    const expected = 5 / 55;
    const se = Math.sqrt((expected * (1 - expected)) / KEYS);
    expect(Math.abs(moved / KEYS - expected)).to.be.below(5 * se);
  });

  it('moves only the keys of a removed member', () => {
    const all = new RendezvousPool(members(20), SEED);
    const without7 = new RendezvousPool(
      members(20).filter((c) => c.id !== 7),
      SEED,
    );
    for (let key = 0; key < KEYS; key++) {
      const before = all.pick(key);
      if (before !== 7) expect(without7.pick(key)).to.equal(before);
      else expect(without7.pick(key)).to.not.equal(7);
    }
  });

  it('chooses members in proportion to their weights', () => {
    const weights = [1, 2, 3, 4, 0];
    const pool = new RendezvousPool(
      weights.map((weight, i) => ({ id: 100 + i, weight })),
      SEED,
    );
    const n = 100_000;
    const counts = new Map<number, number>();
    for (let key = 0; key < n; key++) {
      const id = pool.pick(key);
      counts.set(id, (counts.get(id) ?? 0) + 1);
    }
    expect(counts.get(104)).to.equal(undefined); // weight 0 is never chosen
    let chi2 = 0;
    for (let i = 0; i < 4; i++) {
      const expected = (n * weights[i]!) / 10;
      chi2 += ((counts.get(100 + i) ?? 0) - expected) ** 2 / expected;
    }
    expect(chi2).to.be.below(16.27); // 3 degrees of freedom, p = 0.001
  });

  it('is deterministic, ignores candidate order, and depends on seed and salt', () => {
    const list = members(30);
    const shuffled = [...list].reverse();
    const a = new RendezvousPool(list, SEED);
    const b = new RendezvousPool(shuffled, SEED);
    let differentSeed = 0;
    let differentSalt = 0;
    const c = new RendezvousPool(list, SEED + 1);
    const d = new RendezvousPool(list, SEED, 'campaign');
    for (let key = 0; key < 1000; key++) {
      expect(b.pick(key)).to.equal(a.pick(key));
      expect(rendezvousPick(key, list, SEED)).to.equal(a.pick(key));
      if (c.pick(key) !== a.pick(key)) differentSeed++;
      if (d.pick(key) !== a.pick(key)) differentSalt++;
    }
    // an unrelated assignment agrees on ~1/30 of keys
    expect(differentSeed).to.be.above(900);
    expect(differentSalt).to.be.above(900);
  });

  it('handles keys above 2^32 and the sub key', () => {
    const pool = new RendezvousPool(members(40), SEED);
    let same = 0;
    let sameSub = 0;
    for (let key = 0; key < 1000; key++) {
      if (pool.pick(key) === pool.pick(key + 2 ** 32)) same++;
      if (pool.pick(key, 0) === pool.pick(key, 1)) sameSub++;
    }
    expect(same).to.be.below(100);
    expect(sameSub).to.be.below(100);
  });

  it('picks the same with equal weights as through the weighted (logarithmic) path', () => {
    const equal = new RendezvousPool(members(25), SEED);
    // a zero-weight member forces the weighted path but can never win
    const weighted = new RendezvousPool([...members(25), { id: 1000, weight: 0 }], SEED);
    for (let key = 0; key < 5000; key++) expect(weighted.pick(key)).to.equal(equal.pick(key));
  });

  it('pickMany returns distinct members, best first', () => {
    const pool = new RendezvousPool([...members(10), { id: 99, weight: 0 }], SEED);
    for (let key = 0; key < 200; key++) {
      const top = pool.pickMany(key, 3);
      expect(top).to.have.length(3);
      expect(new Set(top).size).to.equal(3);
      expect(top[0]).to.equal(pool.pick(key));
      expect(pool.pickMany(key, 20)).to.have.length(10); // the zero-weight member is never listed
    }
  });

  it('rejects empty pools and invalid weights', () => {
    expect(() => new RendezvousPool([], SEED)).to.throw(RangeError);
    expect(() => new RendezvousPool([{ id: 1, weight: 0 }], SEED)).to.throw(RangeError);
    expect(() => new RendezvousPool([{ id: 1, weight: -2 }], SEED)).to.throw(RangeError);
  });
});
