// National Provider Identifiers: 10 digits, the last a Luhn check digit computed over the prefix 80840
// (the ISO card-issuer prefix for US health) followed by the first nine digits (CMS, "Requirements for
// NPI check digit"). Generated NPIs start with 1 (the individual-provider range).
//
// npiForIndex scrambles k with a Feistel permutation over [0, 10^8) keyed by the seed: a bijection, so
// distinct k give distinct NPIs without any lookup table, and consecutive k look unrelated.
//
// NPIs starting with 19 (19xxxxxxxC) are reserved for seed-data fixtures (seed-data/*.yaml): generated NPIs
// never fall in that block, so a fixture's NPI can never collide with a generated one, at any --hcps. The
// permutation is cycle-walked (re-applied while its output lands in the reserved block), which keeps it a
// deterministic bijection from [0, 9 x 10^7) onto the unreserved NPIs.
import { mix2, seedKey } from './keyed.js';

/** Every NPI starting with this prefix belongs to seed-data fixtures; the generator never produces one. */
export const FIXTURE_NPI_PREFIX = '19';
// Eight free digits follow the leading '1'; '1' + '9xxxxxxx' is the fixture block.
const RESERVED_FROM = 90_000_000;
/** How many distinct NPIs the generator can produce (indices 0 .. GENERATED_NPI_SPACE - 1). */
export const GENERATED_NPI_SPACE = RESERVED_FROM;
const HALF = 10_000; // Feistel works on two base-10^4 halves of the 8 digits
const ROUNDS = 6;

/** The Luhn check digit for the first nine digits of an NPI (a 9-digit string). */
export function npiCheckDigit(first9: string): number {
  if (!/^\d{9}$/.test(first9)) throw new RangeError(`NPI base must be 9 digits, got '${first9}'`);
  return luhn9(first9);
}

function luhn9(first9: string): number {
  // Doubling starts at the rightmost base digit; the prefix 80840 contributes a constant 24.
  let sum = 24;
  for (let i = 0; i < 9; i++) {
    let d = first9.charCodeAt(8 - i) - 48;
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return (10 - (sum % 10)) % 10;
}

/** True for a 10-digit string (or number) whose last digit is the NPI Luhn check digit. */
export function isValidNpi(npi: string | number): boolean {
  const s = typeof npi === 'number' ? String(npi) : npi;
  if (!/^\d{10}$/.test(s)) return false;
  return luhn9(s) === s.charCodeAt(9) - 48;
}

/** A keyed bijection on [0, 10^8). */
export function scramble8(x: number, key: number): number {
  let left = Math.floor(x / HALF);
  let right = x % HALF;
  for (let r = 0; r < ROUNDS; r++) {
    const f = mix2(key ^ Math.imul(r + 1, 0x9e3779b9), right) % HALF;
    const next = (left + f) % HALF;
    left = right;
    right = next;
  }
  return left * HALF + right;
}

/** True for an NPI in the block reserved for fixtures (whatever its check digit). */
export function isFixtureNpi(npi: string): boolean {
  return npi.startsWith(FIXTURE_NPI_PREFIX);
}

/**
 * The NPI for generated provider index k (0 <= k < 9 x 10^7): distinct k give distinct valid NPIs outside the
 * fixture block, the same (k, seed) always gives the same NPI, and the digits look random.
 */
export function npiForIndex(k: number, seed: number): string {
  if (!Number.isInteger(k) || k < 0 || k >= RESERVED_FROM) {
    throw new RangeError(`NPI index must be an integer in [0, ${RESERVED_FROM}), got ${k}`);
  }
  const key = seedKey(seed) ^ 0x4e5049;
  // Cycle-walking: on average 1.1 applications; the walk ends because k's cycle under the permutation
  // contains k itself, which is below the reserved block.
  let x = scramble8(k, key);
  while (x >= RESERVED_FROM) x = scramble8(x, key);
  const body = '1' + String(x).padStart(8, '0');
  return body + String(luhn9(body));
}
