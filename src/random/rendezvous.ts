// Weighted rendezvous (highest-random-weight) hashing, for links into pools that grow with scale (reps,
// territories, campaigns). Each (key, candidate) pair gets a hash score; the key goes to the best score.
// When the pool grows, a key moves only if a *new* member beats its old winner, so only ~new/total of the
// keys move and every moved key lands on a new member (TPC-H's order -> customer link lacks this).
//
// Weighting follows Schindelhauer & Schomaker ("Weighted distributed hash tables", 2005): with h uniform
// in (0, 1), score = -ln(h) / weight and the smallest score wins, i.e. an exponential race, so member i is
// chosen with probability weight_i / sum(weights) exactly (up to the hash's 32-bit resolution).
import { fmix32, hashString, mix2, mix2Finish, mix2Start, mix2Word, seedKey } from './keyed.js';

export interface RendezvousCandidate {
  id: number;
  /** Relative share of keys; default 1. Zero means never chosen. */
  weight?: number;
}

const INV_TWO_32 = 1 / 4294967296;

/** A prepared pool: per-member hashes and inverse weights are computed once, picks allocate nothing. */
export class RendezvousPool {
  private readonly ids: Float64Array;
  /** Per member, mix2Word of its hash: the member's part of every score, computed once. */
  private readonly memberWords: Int32Array;
  private readonly invWeights: Float64Array;
  private readonly salt: number;
  private readonly equalWeights: boolean;

  /** `seed` is the run seed; `salt` separates independent uses of the same pool (e.g. 'rep', 'campaign'). */
  constructor(candidates: readonly RendezvousCandidate[], seed: number, salt = '') {
    if (candidates.length === 0) throw new RangeError('rendezvous pool has no candidates');
    this.salt = fmix32(seedKey(seed) ^ hashString(salt));
    const n = candidates.length;
    this.ids = new Float64Array(n);
    this.memberWords = new Int32Array(n);
    this.invWeights = new Float64Array(n);
    let anyPositive = false;
    for (let i = 0; i < n; i++) {
      const c = candidates[i] as RendezvousCandidate;
      const w = c.weight ?? 1;
      if (!Number.isFinite(w) || w < 0) throw new RangeError(`candidate ${c.id} has invalid weight ${w}`);
      if (w > 0) anyPositive = true;
      this.ids[i] = c.id;
      // the member's hash depends on its id only, so adding members never changes existing scores
      this.memberWords[i] = mix2Word(mix2(c.id >>> 0, Math.floor(c.id / 4294967296) | 0));
      this.invWeights[i] = w > 0 ? 1 / w : Infinity;
    }
    if (!anyPositive) throw new RangeError('rendezvous pool has no candidate with a positive weight');
    const first = this.invWeights[0] as number;
    this.equalWeights = this.invWeights.every((w) => w === first);
  }

  get size(): number {
    return this.ids.length;
  }

  /** The chosen member id for `key` (a safe integer; `sub` picks an independent second choice space). */
  pick(key: number, sub = 0): number {
    const k = mix2Start(this.keyHash(key, sub));
    const ids = this.ids;
    const memberWords = this.memberWords;
    const n = ids.length;
    let bestId = NaN;
    if (this.equalWeights) {
      // all weights equal: -ln(h)/w is decreasing in h, so the highest hash wins; no log needed
      let best = -1;
      for (let i = 0; i < n; i++) {
        const h = mix2Finish(k, memberWords[i] as number);
        if (h > best || (h === best && (ids[i] as number) < bestId)) {
          best = h;
          bestId = ids[i] as number;
        }
      }
      return bestId;
    }
    const invWeights = this.invWeights;
    let best = Infinity;
    for (let i = 0; i < n; i++) {
      const score =
        -Math.log((mix2Finish(k, memberWords[i] as number) + 0.5) * INV_TWO_32) * (invWeights[i] as number);
      // zero-weight members score Infinity and never win; exact ties (2^-32 rare) go to the lower id
      if (score < best || (score === best && score !== Infinity && (ids[i] as number) < bestId)) {
        best = score;
        bestId = ids[i] as number;
      }
    }
    return bestId;
  }

  /** The `count` best members for `key`, best first (distinct; fewer if the pool has fewer positive weights). */
  pickMany(key: number, count: number, sub = 0): number[] {
    const k = mix2Start(this.keyHash(key, sub));
    const scored: { id: number; score: number }[] = [];
    for (let i = 0; i < this.ids.length; i++) {
      const score = this.score(k, i);
      if (score !== Infinity) scored.push({ id: this.ids[i] as number, score });
    }
    scored.sort((a, b) => a.score - b.score || a.id - b.id);
    return scored.slice(0, count).map((s) => s.id);
  }

  private keyHash(key: number, sub: number): number {
    return mix2(mix2(this.salt, key >>> 0), (Math.floor(key / 4294967296) | 0) ^ Math.imul(sub, 0x9e3779b9));
  }

  private score(keyStart: number, i: number): number {
    const h = mix2Finish(keyStart, this.memberWords[i] as number);
    return -Math.log((h + 0.5) * INV_TWO_32) * (this.invWeights[i] as number);
  }
}

/** One-off form; build a RendezvousPool instead when picking many keys from the same pool. */
export function rendezvousPick(
  key: number,
  candidates: readonly RendezvousCandidate[],
  seed: number,
  salt = '',
): number {
  return new RendezvousPool(candidates, seed, salt).pick(key);
}
