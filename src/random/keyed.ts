// Keyed random streams: every random value in hcpgen comes from a small PRNG whose state is a hash of
// (seed, entity/field, id, sub). Nothing is drawn from a shared sequence, so HCP #k gets the same values
// whatever the batch size, worker count or --hcps (snaplet/seed and TPC-H dbgen do the same).
//
// Why not `seedrandom` per key: seedrandom's generators are seeded from a *string* (Mash hashing of the
// key text, then building the state), so every stream costs a string build plus a character loop.
// Measured here (Node 20, 2 shared cores under load; creation + 10 draws, best of 3 rounds,
// `npx tsx scripts/bench-primitives.ts`):
//   seedrandom.alea(`${seed}/hcp/${id}/specialty`)   0.22-0.30 M streams/s
//   stream(seedKey, fieldKey, id)   (this file)       5.5-6.9 M streams/s   (~20-25x)
//   KeyedRng#reset (reused object, no allocation)     6.2-6.9 M streams/s
// We create one stream per HCP-field, per HCP-month and per stimulus (tens of millions at 1M HCPs), so
// creation cost dominates and the numeric-key path matters.
//
// The generator is sfc32 (Chris Doty-Humphrey's Small Fast Chaotic PRNG from PractRand: 128-bit state,
// period at least 2^32 thanks to its counter word). Its four state words come from two
// independent murmur3-style lanes over the key words, each finished with fmix32, so keys differing in one
// bit give unrelated streams and two distinct keys share a state only with ~2^-64 probability.

/** Anything that yields uniform numbers in [0, 1). Distributions take this, not a concrete class. */
export interface Rng {
  next(): number;
}

const TWO_32 = 4294967296;
const INV_TWO_32 = 1 / TWO_32;

/** murmur3's finalizer: full avalanche of a 32-bit word. Returns an unsigned 32-bit integer. */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

// One murmur3_32 body step: fold word k into running hash h (the word scrambled, xored in, the hash rotated
// and stepped). Its two halves are mix2Word and mixStep, so the split form of mix2 below is this same step.
function mixA(h: number, k: number): number {
  return mixStep(h ^ mix2Word(k));
}

function mixStep(h: number): number {
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

// A second, independent lane (different multipliers and rotations) so two lanes give 64 key bits.
function mixB(h: number, k: number): number {
  k = Math.imul(k, 0x85ebca77);
  k = (k << 13) | (k >>> 19);
  k = Math.imul(k, 0xc2b2ae3d);
  h ^= k;
  h = (h << 17) | (h >>> 15);
  return (Math.imul(h, 9) + 0x27d4eb2f) | 0;
}

// Integers up to 2^53 (stimulus ids are hcp_id * 10000 + j) are split into two 32-bit words.
function hiWord(x: number): number {
  return Math.floor(x / TWO_32) | 0;
}

/** 32-bit hash of a string (FNV-1a over UTF-16 units, then fmix32). Compute once, reuse as a key. */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return fmix32(h);
}

/** The key for a run seed (any safe integer). */
export function seedKey(seed: number): number {
  return fmix32(mixA(mixA(0x3c6ef372, seed >>> 0), hiWord(seed)));
}

/** The key for an (entity, field) pair, e.g. fieldKey('hcp', 'specialty'). Precompute it outside hot loops. */
export function fieldKey(entity: string, field: string): number {
  return fmix32(mixA(mixA(0x510e527f, hashString(entity)), hashString(field)));
}

/**
 * sfc32 with a keyed state. Create with `stream()`, or keep one instance and `reset()` it in hot loops
 * (no allocation at all).
 */
export class KeyedRng implements Rng {
  private a = 0;
  private b = 0;
  private c = 0;
  private d = 0;
  // The lanes' state after (seedK, fieldK), kept for the next reset: hot loops re-key one field for id after id.
  private lastSeedK = 0;
  private lastFieldK = 0;
  private prefix1 = mixA(mixA(0x6a09e667, 0), 0);
  private prefix2 = mixB(mixB(0xbb67ae85, 0), 0);

  /** Re-key this generator in place; the sequence then equals `stream(seedK, fieldK, id, sub)`. */
  reset(seedK: number, fieldK: number, id: number, sub = 0): this {
    if (seedK !== this.lastSeedK || fieldK !== this.lastFieldK) {
      this.lastSeedK = seedK;
      this.lastFieldK = fieldK;
      this.prefix1 = mixA(mixA(0x6a09e667, seedK), fieldK);
      this.prefix2 = mixB(mixB(0xbb67ae85, seedK), fieldK);
    }
    const lo = id >>> 0;
    const hi = hiWord(id);
    let h1 = mixA(mixA(mixA(this.prefix1, lo), hi), sub);
    let h2 = mixB(mixB(mixB(this.prefix2, lo), hi), sub);
    h1 = fmix32(h1 ^ 20);
    h2 = fmix32(h2 ^ 20);
    this.a = h1 | 0;
    this.b = h2 | 0;
    this.c = fmix32(h1 ^ ((h2 << 16) | (h2 >>> 16)) ^ 0x9e3779b9) | 0;
    this.d = 1;
    // The state is already well mixed; a short warm-up lets the counter and c diffuse into a and b.
    for (let i = 0; i < 4; i++) this.nextU32();
    return this;
  }

  /** Next unsigned 32-bit integer. */
  nextU32(): number {
    const a = this.a;
    const b = this.b;
    const c = this.c;
    const d = this.d;
    const t = (((a + b) | 0) + d) | 0;
    this.d = (d + 1) | 0;
    this.a = b ^ (b >>> 9);
    this.b = (c + (c << 3)) | 0;
    this.c = (((c << 21) | (c >>> 11)) + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1), 32-bit resolution. */
  next(): number {
    return this.nextU32() * INV_TWO_32;
  }

  /** Uniform in (0, 1): never 0 nor 1, safe for log(). */
  nextOpen(): number {
    return (this.nextU32() + 0.5) * INV_TWO_32;
  }

  /** Uniform integer in [lo, hi], both inclusive. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  /** Uniform element of a non-empty array. */
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('pick() from an empty array');
    return items[Math.floor(this.next() * items.length)] as T;
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.next() < p;
  }
}

/** A fresh stream for (seed key, field key, id, sub). All arguments are numbers: see seedKey/fieldKey. */
export function stream(seedK: number, fieldK: number, id: number, sub = 0): KeyedRng {
  return new KeyedRng().reset(seedK, fieldK, id, sub);
}

/** Convenience form with strings; hashes them on every call, so prefer `stream()` in hot loops. */
export function streamFor(seed: number, entity: string, id: number, field: string, sub = 0): KeyedRng {
  return stream(seedKey(seed), fieldKey(entity, field), id, sub);
}

/** One-shot 32-bit hash of numbers (safe integers; fractions are truncated) and strings. */
export function hash32(...keys: readonly (number | string)[]): number {
  let h1 = 0x9b05688c;
  let h2 = 0x1f83d9ab;
  for (const key of keys) {
    const k = typeof key === 'string' ? hashString(key) : key;
    const lo = k >>> 0;
    const hi = typeof key === 'string' ? 0x5be0cd19 : hiWord(k);
    h1 = mixA(mixA(h1, lo), hi);
    h2 = mixB(mixB(h2, lo), hi);
  }
  return fmix32(h1 ^ fmix32(h2 ^ keys.length));
}

/** One-shot uniform in [0, 1) from keys (see hash32). */
export function hash01(...keys: readonly (number | string)[]): number {
  return hash32(...keys) * INV_TWO_32;
}

/** Fixed-arity, allocation-free hash of two 32-bit words, for inner loops (rendezvous, per-pair draws). */
export function mix2(a: number, b: number): number {
  return mix2Finish(mix2Start(a), mix2Word(b));
}

// mix2 in three parts, for a loop that hashes one word against many (a rendezvous pick scores every member
// against one key): the first word's part once per key, each second word's part once per member, and the rest
// per pair. mix2 is defined by them, so the split form cannot drift from it.

/** mix2's part that depends on the first word only. */
export function mix2Start(a: number): number {
  return mixA(0x428a2f98, a);
}

/** mix2's part that depends on the second word only (murmur3's scrambling of a word, mixA's first half). */
export function mix2Word(b: number): number {
  b = Math.imul(b, 0xcc9e2d51);
  b = (b << 15) | (b >>> 17);
  return Math.imul(b, 0x1b873593);
}

/** mix2(a, b) from mix2Start(a) and mix2Word(b). */
export function mix2Finish(start: number, word: number): number {
  return fmix32(mixStep(start ^ word) ^ 8);
}
